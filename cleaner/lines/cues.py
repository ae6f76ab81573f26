"""Where a line sits relative to the page's main prose run: extra columns for HEU010.

Kept apart from :mod:`cleaner.lines.features` (same contract, more columns). The main
prose run is the densest run of prose lines (:func:`cleaner.lines.features.body_span`);
related-story lists and link blocks sit after it, menus and datelines before it.
Weights: the ``cues`` of ``lines/weights.json`` (fitted by ``cleaner/lines/train.py``).

>>> rows = cue_rows([("Home", 0)] + [("The cat sat on the mat and it was happy with all of the day.", 1)] * 2 + [("More", 2)])
>>> [r[CUES.index("after_body")] > 0 for r in rows]
[False, False, False, True]
"""

from __future__ import annotations

from operator import mul

from .features import _body_span, _thirds, own_features

CUES = ("before_body", "after_body")


def cue_rows(lines: list[tuple[str, int]], own: list[tuple] | None = None) -> list[tuple[float, ...]]:
    """One row of :data:`CUES` per (stripped text, block id) line, in document order.

    ``own``: :func:`cleaner.lines.features.own_features` of the lines' texts, when already
    known (the classifier has them).
    """
    if own is None:
        own = own_features([text for text, _ in lines])
    prose = [i for i, o in enumerate(own) if o[4]]
    lo, hi = _body_span(prose, [len(t) for t, _ in lines])
    n = len(lines)
    if lo < 0:
        return [(0.0, 0.0)] * n
    thirds = _thirds(n)  # log1p(k) / 3.0
    return ([(thirds[lo - i], 0.0) for i in range(lo)] + [(0.0, 0.0)] * (hi + 1 - lo)
            + [(0.0, thirds[i - hi]) for i in range(hi + 1, n)])


def cue_scores(lines: list[tuple[str, int]], weights: tuple[float, ...],
               own: list[tuple] | None = None) -> list[float]:
    """``sum(weight * cue)`` of each line (zeros when every weight is zero); ``own`` as in :func:`cue_rows`."""
    if not any(weights):
        return [0.0] * len(lines)
    return [sum(map(mul, weights, row)) for row in cue_rows(lines, own)]  # the same products, in order
