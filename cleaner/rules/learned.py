"""Learned site rules on the main text extracted from HTML: only the chrome left at its edges.

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
"""

from __future__ import annotations

from bisect import bisect_left

from ..document import Document
from ..lines.body import score_lines
from ..lines.views import LineView

_CHROME_SCORE = 1.0  # junk model log-odds of content under which a recurring line is chrome


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
        scores = score_lines([(v.text, 0) for v in views], model="junk")
        chrome = {v.index for v, score in zip(views, scores) if score < _CHROME_SCORE}
        inner.update(n for n in edges if not all(i in chrome for i in touched[n]))
    if inner:
        doc.marks = [m for n, m in enumerate(doc.marks) if n not in inner]
    return len(inner)
