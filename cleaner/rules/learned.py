"""Learned site rules keep to chrome: at the edges of HTML text, and on plain text what looks like it.

A learned rule (``cleaner mine`` / ``run --learn``) fires on every line of its site that
recurs verbatim on many pages. In a plain scraped dump that is mostly chrome (menus,
footers, cookie notices). In the main text extracted from HTML the chrome is gone already,
and what still recurs across a site's pages is mostly its own content: the code lines of
its documentation (``}``, ``return (``), the labels of its product specs (``Condition:``),
the headings every page has. What extraction does leave of the chrome stands at the edges
of the text (a breadcrumb or share bar above it, a sign-off or related box below it).
:func:`keep_learned_edges` takes back the marks of learned rules on HTML text except on
the lines before the first and after the last line that no rule removes, and of those only
the lines that look like chrome: those the junk model (``HEU010``'s model of ``--favor
recall``, fitted on every page type) scores under ``_CHROME_SCORE``, read in the context of
the whole text. The bar sits above the model's own (0, and lower still under ``recall``):
recurring verbatim on many pages of the site is evidence of chrome already, so a line the
model is unsure of (``Share this page``, ``No feedback yet``) goes. (1.0 since the junk model
was refitted with more weight on trimmed and clean text, which raised its scores: on the
bench dumps it marks the lines the old model marked under 0.5, 98% alike.) A spec row of a product
(``Delivery:``, ``Varies``) or a sentence of the seller's terms, which recur on every page
of a shop and stand at the end of its text, score well above it: content, and they stay.

On plain text (:func:`keep_learned_chrome`) learned rules fire anywhere in the dump, where the
chrome is, but a line the junk model scores as content (at or above its own decision, 0) stays
although it recurs: a documentation site's "Added in version 3.9." and "Note", a shop's
terms. Where the model scores every line of a short page (10 lines or fewer) as content, as
it does a menu over one sentence, it cannot tell, and the recurrence alone decides, as
before (on a longer page that reads as content throughout, a trimmed text, the lines stay).
On the ``wcxb-dev-sites`` text dumps (dev split, where the bar was chosen among 0, 0.5, 1
and 2) the content lines learned rules removed went from 913 to 745.
"""

from __future__ import annotations

from bisect import bisect_left

from ..document import Document
from ..lines.body import score_lines
from ..lines.views import LineView

_CHROME_SCORE = 1.0  # junk model log-odds of content under which a recurring line is chrome (HTML text)
_TEXT_CHROME_SCORE = 0.0  # the same on plain text: the junk model's own decision
_SHORT_PAGE = 10  # lines; a plain-text page this short where the model finds no chrome is left to the site


def _lines_of(starts: list[int], start: int, end: int, whole_line: bool) -> list[int]:
    """Indexes (into the document's lines) of the lines a mark from ``start`` to ``end`` touches."""
    if not whole_line:
        return [max(0, bisect_left(starts, start + 1) - 1)]
    out = []
    i = bisect_left(starts, start)
    while i < len(starts) and starts[i] <= end:
        out.append(i)
        i += 1
    return out


def keep_learned_edges(doc: Document, views: list[LineView], learned_ids: frozenset) -> int:
    """Drop the marks of learned rules inside the text (between its first and last unmarked
    lines) and those on lines that do not look like chrome; how many were dropped."""
    if not learned_ids or not doc.marks or not views:
        return 0
    starts = [ln.start for ln in doc.lines]
    touched: dict[int, list[int]] = {}  # mark index -> the lines it touches
    marked: set[int] = set()
    for n, mark in enumerate(doc.marks):
        lines = _lines_of(starts, mark.start, mark.end, mark.whole_line)
        touched[n] = lines
        marked.update(lines)
    free = [v.index for v in views if v.index not in marked]
    if not free:
        return 0
    first, last = free[0], free[-1]
    learned = [n for n, mark in enumerate(doc.marks) if mark.rule in learned_ids]
    if not learned:
        return 0
    inner = {n for n in learned if any(first < i < last for i in touched[n])}
    edges = [n for n in learned if n not in inner]
    if edges:  # of the marks at the edges, those on lines that do not look like chrome go too
        chrome = _chrome_lines(views, _CHROME_SCORE)
        inner.update(n for n in edges if not all(i in chrome for i in touched[n]))
    if inner:
        doc.marks = [m for n, m in enumerate(doc.marks) if n not in inner]
    return len(inner)


def keep_learned_chrome(doc: Document, views: list[LineView], learned_ids: frozenset) -> int:
    """Drop the marks of learned rules on plain-text lines that do not look like chrome: those
    the junk model, reading the whole text, scores at or above its own decision
    (``_TEXT_CHROME_SCORE``); how many were dropped. On a short page (``_SHORT_PAGE`` lines) where
    the model scores no line under it, none: there it cannot tell chrome, and the site's
    recurrence decides."""
    if not learned_ids or not doc.marks or not views:
        return 0
    learned = [n for n, mark in enumerate(doc.marks) if mark.rule in learned_ids]
    if not learned:
        return 0
    starts = [ln.start for ln in doc.lines]
    chrome = _chrome_lines(views, _TEXT_CHROME_SCORE)
    if not chrome and len(views) <= _SHORT_PAGE:  # too short for the model to tell: the site decides
        return 0
    unlike = {n for n in learned
              if not all(i in chrome for i in _lines_of(starts, doc.marks[n].start, doc.marks[n].end,
                                                        doc.marks[n].whole_line))}
    if unlike:
        doc.marks = [m for n, m in enumerate(doc.marks) if n not in unlike]
    return len(unlike)


def _chrome_lines(views: list[LineView], bar: float) -> set[int]:
    """Indexes of the lines the junk model, reading the whole text, scores under ``bar``."""
    scores = score_lines([(v.text, 0) for v in views], model="junk")
    return {v.index for v, score in zip(views, scores) if score < bar}
