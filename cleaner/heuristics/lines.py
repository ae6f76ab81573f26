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

import regex

from ..document import Document
from ..lines.body import RULE_ID as BODY_ID
from ..lines.body import RULE_NAME as BODY_NAME
from ..lines.body import QUIET_SHIFT, block_ids, classify_lines, visible_texts
from ..lines.normalize import SENTENCE_END, line_key
from ..lines.views import LineView
from ..settings import Favor
from .registry import ARTICLE, Context, Example, heuristic
from .sitebody import mark_site_body

_HEAD = 12  # non-blank lines that count as the head of a document
_NAME = r"\p{Lu}[\p{L}'’.\-]+(?:\s+(?:\p{Lu}[\p{L}'’.\-]+|de|van|von|der|da|di|al|bin|le|la)){1,3}"
_BYLINE = regex.compile(
    rf"(?:(?i:by|von|par|por|door)\s+)?"
    rf"(?P<names>{_NAME}(?:\s*,\s*{_NAME})*(?:,?\s+(?:and|&|und|et|y|e)\s+{_NAME})?)"
)
_BY_PREFIX = regex.compile(r"^(?:by|von|par|por|door)\s+", regex.IGNORECASE)
_NAME_SPLIT = regex.compile(r"\s*(?:,|\band\b|&|\bund\b|\bet\b)\s*")


def _free(views: list[LineView], doc: Document) -> list[LineView]:
    marked = doc.marked_lines()
    return [v for v in views if v.index not in marked]


@heuristic("HEU001", "repeated-headline",
           "A line repeated in the first lines of the document, or right after itself: "
           "the later copy goes.",
           examples=(
               Example("Council extends night buses\nCouncil extends night buses\n" + ARTICLE,
                       removes=("Council extends night buses",)),
               Example("Yes\nShould the night buses run all week?\nYes\n" + ARTICLE),  # one word
           ))
def mark_repeated_headline(doc: Document, views: list[LineView], ctx: Context) -> None:
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
    return v.words <= 3 and not SENTENCE_END.search(v.text) and any(ch.isalpha() for ch in v.text)


@heuristic("HEU002", "head-chrome",
           "Two or more short labels (publisher, section, widget titles) stacked above the "
           "headline.",
           examples=(
               Example("Reuters\nWorld News\n" + ARTICLE, removes=("Reuters", "World News")),
               Example("Politics\n" + ARTICLE),  # one label: a section heading, perhaps
           ))
def mark_head_chrome(doc: Document, views: list[LineView], ctx: Context) -> None:
    """Drop two or more short labels stacked above the first real line of the document.

    A generic guess at head chrome: not made where the site's chrome is learned (``ctx.site_body``).
    """
    if ctx.site_body:
        return
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


@heuristic("HEU003", "byline-names",
           "A line near the top that is only a list of person names; they become "
           "metadata.author.",
           examples=(
               Example("Night buses for the north\nDmitry Antonov and Simon Lewis\n" + ARTICLE,
                       removes=("Dmitry Antonov and Simon Lewis",)),
               Example("Russia Says US Failing On Ukraine\n" + ARTICLE),  # a headline in title case
           ))
def mark_byline(doc: Document, views: list[LineView], ctx: Context) -> None:
    """Drop a head line that is only person names, and keep them as the author."""
    for v in _free(views, doc)[:_HEAD // 2]:
        names = byline_names(v.text)
        if names:
            doc.mark_line(v.line, "HEU003", "byline-names")
            doc.metadata.setdefault("author", "; ".join(names))
            return


@heuristic("HEU030", "comment-thread",
           "Reader comments after the article, found from two or more comment headers "
           "(\"NAME says:\", \"NAME on DATE at TIME said:\", a name over a timestamp): "
           "from the first header to the end.",
           examples=(
               Example(ARTICLE + "\nJohn Smith says:\nGreat news for those of us on the late shift.\n"
                       "Mary Jones says:\nAbout time, honestly.\n",
                       removes=("John Smith says:", "Great news for those of us on the late shift.",
                                "Mary Jones says:", "About time, honestly.")),
               Example("Thread starter: John Smith\nReplies: 3\n" + ARTICLE
                       + "".join(f"{name}\n12 March 2024, 10:{m:02d}\nI take the night bus every day and it is fine.\n"
                                 for name, m in (("John Smith", 5), ("Mary Jones", 7), ("Ann Lee", 9)))),
           ))
def _run_comments(doc: Document, views: list[LineView], ctx: Context) -> None:
    from .comments import mark_comment_thread  # its patterns compile at the first document of the Python path

    mark_comment_thread(doc, views, ctx)


@heuristic(BODY_ID, BODY_NAME,
           "What a scraper adds (navigation, link lists, footers, calls to action, legal text), "
           "found from length, sentence shape, stop and chrome words, blocks and position, "
           "smoothed over neighbouring lines; when unsure the line stays (--favor precision: "
           "everything outside the article body goes).", formats=("text", "html"),
           examples=(
               Example("Skip to content\nHome\nNews\nSport\nSign in\nSubscribe\n" + ARTICLE
                       + "Privacy policy\nTerms of use\n© 2024 City Times. All rights reserved.\n",
                       removes=("Skip to content", "Home", "News", "Sport", "Sign in", "Subscribe",
                                "Privacy policy", "Terms of use", "© 2024 City Times. All rights reserved.")),
               Example(ARTICLE),
               # not an article, and no junk: headings, a list and short sentences stay
               Example("Installation\n\nRun the installer and follow the steps on the screen.\n\n"
                       "Requirements\n\n- Python 3.9 or newer\n- 2 GB of free disk space\n"
                       "- A network connection for the first start\n\nConfiguration\n\n"
                       "The settings live in config.toml next to the program.\n"),
           ))
def mark_boilerplate_lines(doc: Document, views: list[LineView], ctx: Context) -> None:
    """Mark the lines the classifier (:mod:`cleaner.lines.body`) puts outside the main body.

    Plain text only; except where learned site rules cleaned the document (``ctx.site_body``),
    plain text or HTML alike: there the classifier is told the site's chrome
    (:mod:`cleaner.heuristics.sitebody`). On ``balanced``, a document in which no rule found
    anything a scraper adds (``ctx.rules_found`` is False) is read with ``recall``'s bias
    (:data:`cleaner.lines.body.QUIET_SHIFT`): text that shows no chrome is mostly text a scraper
    already trimmed, and there an unsure line stays.
    """
    if ctx.site_body:
        mark_site_body(doc, views, ctx)
        return
    if doc.format != "text":
        return
    shift = QUIET_SHIFT if ctx.favor == Favor.BALANCED and ctx.rules_found is False else 0.0
    views = _free(views, doc)
    if not views:
        return
    visible = visible_texts(doc, views)
    texts = list(zip(visible, block_ids(doc, views)))
    keys = [v.key if t is v.text else line_key(t) for t, v in zip(visible, views)]
    keeps = classify_lines(texts, ctx.favor, shift=shift, memo=ctx.memo, keys=keys, line_bias=ctx.line_bias)
    for view, keep in zip(views, keeps):
        if not keep:
            doc.mark_line(view.line, BODY_ID, BODY_NAME)
