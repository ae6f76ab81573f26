"""Line heuristics for the main text trafilatura extracts from HTML.

They run on HTML documents only (after the rule packs), like the plain-text heuristics
only mark lines, and can be switched off with ``--disable``.

- ``HEU020 title-line``: the page title repeated as the first lines of the main text.
  Corpora keep the title in ``metadata.title``; in the text it is a duplicate headline.
- ``HEU021 trailing-links``: the last lines of the main text when each is the text of a
  link on the page (maybe followed by its teaser): a related-headlines list that
  trafilatura took for the end of the article. Once the run has a line that is mostly
  link text, a line above it may be any link of three words or more with a longer teaser
  (another card of the list). Only the final run goes, never lines inside the body, and
  never ``_MAX_RUN_WORDS`` of the text's words (a listing of linked headlines with teasers
  is its own content; a long list of short headlines under an article is not).
"""

from __future__ import annotations

from ..document import Document
from ..lines.normalize import title_key
from ..lines.views import LineView
from .registry import ARTICLE, Context, Example, heuristic

_TITLE_HEAD = 3  # the title copy must be among the first non-blank lines
_MIN_PREFIX = 16  # a shortened title (site name cut off) must be at least this long
_LINK_SHARE = 0.3  # a link text must cover this share of a line's words (headline + teaser)
_MAX_RUN_WORDS = 0.4  # the trailing run must stay below this share of the kept lines' words


def matches_title(line: str, title: str) -> bool:
    """Whether ``line`` is the page title, maybe without the site name or a short suffix.

    >>> matches_title("Cat found in Oregon", "Cat found in Oregon | The Daily News")
    True
    >>> matches_title("Cat found in Oregon after five years, the owner said on Monday.",
    ...               "Cat found in Oregon")
    False
    """
    line_k, title_k = title_key(line), title_key(title)
    if not line_k or not title_k:
        return False
    if line_k == title_k:
        return True
    if len(line_k) < _MIN_PREFIX:
        return False
    if title_k.startswith(line_k):
        return True
    return line_k.startswith(title_k) and len(line_k) < 1.3 * len(title_k)


@heuristic("HEU020", "title-line",
           "The page title repeated in the first lines of the main text extracted from "
           "HTML (it stays in metadata.title).", formats=("html",),
           examples=(
               Example("Council extends night buses\n" + ARTICLE, title="Council extends night buses | City Times",
                       removes=("Council extends night buses",)),
               Example("Night buses\n" + ARTICLE, title="City Times: local news"),
           ))
def mark_title_line(doc: Document, views: list[LineView], ctx: Context) -> None:
    """Drop copies of the page title among the first lines, unless nothing else is left."""
    title = doc.metadata.get("title")
    if not isinstance(title, str) or not title.strip():
        return
    marked = doc.marked_lines()
    free = [v for v in views if v.index not in marked]
    hits = [v for v in free[:_TITLE_HEAD] if matches_title(v.text, title)]
    if not hits or len(hits) >= len(free):
        return
    for v in hits:
        doc.mark_line(v.line, "HEU020", "title-line")


def is_link_line(text: str, links: frozenset, share: float = _LINK_SHARE) -> bool:
    """Whether ``text`` is a link text of the page, maybe followed by a teaser: a link text of
    three words or more that starts it and covers ``share`` of it at least.

    >>> links = frozenset({"rams top bears as offenses struggle"})
    >>> is_link_line("- Rams top Bears as offenses struggle Neither team scored much", links)
    True
    >>> is_link_line("The Rams top the Bears as offenses struggle, the coach said.", links)
    False
    >>> teaser = ("- Rams top Bears as offenses struggle Neither the Rams nor the Bears found the end zone "
    ...           "until the last minutes of a cold and windy game")
    >>> is_link_line(teaser, links), is_link_line(teaser, links, share=0.0)
    (False, True)
    """
    key = title_key(text)
    if not key:
        return False
    if key in links:
        return True
    words = key.split(" ")
    prefix = ""
    for i, word in enumerate(words):
        prefix = f"{prefix} {word}" if prefix else word
        if i >= 2 and prefix in links and len(prefix) >= share * len(key):
            return True
    return False


@heuristic("HEU021", "trailing-links",
           "The last lines of the main text extracted from HTML when each is the text of a "
           "link on the page: a related-headlines list.", formats=("html",),
           examples=(
               Example(ARTICLE + "Mayor opens new library\nRain expected all weekend\n",
                       links=("Mayor opens new library", "Rain expected all weekend"),
                       removes=("Mayor opens new library", "Rain expected all weekend")),
               Example(ARTICLE + "Mayor opens new library\nThe library opens at nine on weekdays.\n",
                       links=("Mayor opens new library",)),
               Example(ARTICLE + "".join(f"Night buses in {town}\n" for town in ("Ash", "Bray", "Cove", "Dale", "Esk")),
                       links=tuple(f"Night buses in {town}" for town in ("Ash", "Bray", "Cove", "Dale", "Esk")),
                       removes=tuple(f"Night buses in {town}" for town in ("Ash", "Bray", "Cove", "Dale", "Esk"))),
               Example(ARTICLE + "- Harbour ferry gets new timetable From May the boats leave every twenty "
                       "minutes, and the last one sails at midnight on Fridays and Saturdays\n"
                       "- Rain expected all weekend\n",
                       links=("Harbour ferry gets new timetable", "Rain expected all weekend"),
                       removes=("- Harbour ferry gets new timetable From May the boats leave every twenty "
                                "minutes, and the last one sails at midnight on Fridays and Saturdays",
                                "- Rain expected all weekend")),
               Example("Harbour news\n- Harbour ferry gets new timetable From May the boats leave every "
                       "twenty minutes, and the last one sails at midnight on Fridays and Saturdays\n"
                       "- Rain expected all weekend\n",
                       links=("Harbour ferry gets new timetable", "Rain expected all weekend")),
           ))
def mark_trailing_links(doc: Document, views: list[LineView], ctx: Context) -> None:
    """Drop the final run of lines that are link texts of the page (a related-headlines list)."""
    if not doc.link_keys:
        return
    marked = doc.marked_lines()
    free = [v for v in views if v.index not in marked]
    run = []
    for view in reversed(free):
        # (below a line that is mostly link text, another card of the list may have a longer teaser)
        if not is_link_line(view.text, doc.link_keys, 0.0 if run else _LINK_SHARE):
            break
        run.append(view)
    if not run:
        return
    if sum([len(v.text.split()) for v in run]) >= _MAX_RUN_WORDS * sum([len(v.text.split()) for v in free]):
        return
    for view in run:
        doc.mark_line(view.line, "HEU021", "trailing-links")
