"""Line heuristics for plain text: what rule packs cannot say as patterns.

Each heuristic has a stable id and a name like a rule, only marks lines, and can be
switched off with ``--disable``. They run after the rule packs and look only at the
lines no rule has marked.

- ``HEU001 repeated-headline``: the second copy of a line repeated near the top (or
  immediately after itself).
- ``HEU002 head-chrome``: a run of short labels above the headline (publisher, section).
- ``HEU003 byline-names``: a head line that is only a list of person names (moved to
  ``metadata.author``).
- ``HEU030 comment-thread``: reader comments after the article (:mod:`cleaner.heuristics.comments`).
- ``HEU010 boilerplate-lines``: the main-body classifier (:mod:`cleaner.lines.body`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import regex

from ..document import Document
from ..lines.views import LineView

_HEAD = 12  # non-blank lines that count as the head of a document
_SENTENCE_END = regex.compile(r"[.!?:;…]['\"”’)]*$")
_NAME = r"\p{Lu}[\p{L}'’.\-]+(?:\s+(?:\p{Lu}[\p{L}'’.\-]+|de|van|von|der|da|di|al|bin|le|la)){1,3}"
_BYLINE = regex.compile(
    rf"(?:(?i:by|von|par|por|door)\s+)?"
    rf"(?P<names>{_NAME}(?:\s*,\s*{_NAME})*(?:,?\s+(?:and|&|und|et|y|e)\s+{_NAME})?)"
)
_BY_PREFIX = regex.compile(r"^(?:by|von|par|por|door)\s+", regex.IGNORECASE)
_NAME_SPLIT = regex.compile(r"\s*(?:,|\band\b|&|\bund\b|\bet\b)\s*")


@dataclass(frozen=True)
class Heuristic:
    """A named line heuristic: ``run(doc, views, settings)`` adds marks."""

    id: str
    name: str
    description: str
    run: Callable[..., None]
    formats: tuple[str, ...] = ("text",)

    @property
    def kind(self) -> str:
        return "heuristic"


def _free(views: list[LineView], doc: Document) -> list[LineView]:
    marked = doc.marked_lines()
    return [v for v in views if v.index not in marked]


def mark_repeated_headline(doc: Document, views: list[LineView], settings: dict) -> None:
    """Drop the later copy of a line repeated in the head or right after the last kept line."""
    seen: set[str] = set()
    prev_key = None
    rank = 0  # counts kept lines only, so that cleaning the output again changes nothing
    for v in _free(views, doc):
        if v.key == prev_key or (rank < _HEAD and v.key in seen and v.words >= 2):
            doc.mark_line(v.line, "HEU001", "repeated-headline")
            continue  # the kept copy stays the line to compare with
        if rank < _HEAD:
            seen.add(v.key)
        prev_key = v.key
        rank += 1


def _is_label(v: LineView) -> bool:
    return v.words <= 3 and not _SENTENCE_END.search(v.text) and any(ch.isalpha() for ch in v.text)


def mark_head_chrome(doc: Document, views: list[LineView], settings: dict) -> None:
    """Drop two or more short labels stacked above the first real line of the document."""
    free = _free(views, doc)
    run = []
    for v in free[:_HEAD]:
        if _is_label(v):
            run.append(v)
            continue
        break
    else:
        return  # no real line in the head: not a headline layout, leave it to the body classifier
    if len(run) >= 2:
        for v in run:
            doc.mark_line(v.line, "HEU002", "head-chrome")


def byline_names(text: str) -> list[str] | None:
    """The names of a byline that is only a list of people, else None.

    >>> byline_names("Dmitry Antonov, Tom Balmforth and Simon Lewis")
    ['Dmitry Antonov', 'Tom Balmforth', 'Simon Lewis']
    >>> byline_names("Russia Says US Failing On Ukraine") is None
    True
    """
    m = _BYLINE.fullmatch(text.strip())
    if not m:
        return None
    names = [n.strip() for n in _NAME_SPLIT.split(m.group("names")) if n.strip()]
    if len(names) < 2 and not _BY_PREFIX.match(text.strip()):
        return None
    return names


def mark_byline(doc: Document, views: list[LineView], settings: dict) -> None:
    """Drop a head line that is only person names, and keep them as the author."""
    for v in _free(views, doc)[:_HEAD // 2]:
        names = byline_names(v.text)
        if names:
            doc.mark_line(v.line, "HEU003", "byline-names")
            doc.metadata.setdefault("author", "; ".join(names))
            return


def _run_comments(doc: Document, views: list[LineView], settings: dict) -> None:
    from .comments import mark_comment_thread

    mark_comment_thread(doc, views, settings)


def _run_body(doc: Document, views: list[LineView], settings: dict) -> None:
    from ..lines.body import mark_boilerplate_lines

    mark_boilerplate_lines(doc, _free(views, doc), settings)


HEURISTICS: tuple[Heuristic, ...] = (
    Heuristic("HEU001", "repeated-headline",
              "A line repeated in the first lines of the document, or right after itself: "
              "the later copy goes.", mark_repeated_headline),
    Heuristic("HEU002", "head-chrome",
              "Two or more short labels (publisher, section, widget titles) stacked above the "
              "headline.", mark_head_chrome),
    Heuristic("HEU003", "byline-names",
              "A line near the top that is only a list of person names; they become "
              "metadata.author.", mark_byline),
    Heuristic("HEU030", "comment-thread",
              "Reader comments after the article, found from two or more comment headers "
              "(\"NAME says:\", \"NAME on DATE at TIME said:\", a name over a timestamp): "
              "from the first header to the end.", _run_comments),
    Heuristic("HEU010", "boilerplate-lines",
              "Navigation, link lists, footers and other non-prose lines outside the main body, "
              "found from length, sentence shape, stop words and position, smoothed over "
              "neighbouring lines.", _run_body, formats=("text",)),
)
