"""The body classifier (HEU010) on a page whose site chrome was learned from the corpus.

The generic classifier is tuned on articles; on product, listing and documentation pages
it often drops most of the page. Where learned site rules (``cleaner mine`` /
``run --learn``) already removed the page's recurring chrome, what is left is mostly the
page's own text, and the chrome is known: the classifier then needs to keep at least
``MIN_KEPT`` of the remaining words. When it would keep less, it is judging a page unlike
the pages it was fitted on, and its bias moves up the ``SHIFTS`` ladder (keep more) until it
keeps enough or the ladder ends. Only the page's own free-standing words count towards
``MIN_KEPT``: not those of lines ``SHARED_SHARE`` or more of the site's other pages share
(:mod:`cleaner.rules.counts`; a line on fewer may be there by chance: a date, a rating),
nor of lines set in the site's template, where ``TEMPLATE_SHARE`` or more of the
``2 * TEMPLATE_REACH`` lines around it on the page are shared or were removed by learned
rules (a listing's item names between shared price and rating lines). Lines stay with the classifier: a line of nav the site
rules missed can still go, and what the classifier drops is recorded as ``HEU010``.

The classifier runs here without its ``SKIP_CUES`` (:mod:`cleaner.lines.cues`): the distance
below the page's main prose run stands for related-story lists and footers, which are site
chrome the learned rules already cut out; what still follows the prose is mostly the
page's own (specifications, listings, reference sections), and the cue held it against them.

The shift chosen on the first cleaning pass is kept for the document's later passes
(``memo``): their text no longer holds the chrome, so the ratio would mean something else.
"""

from __future__ import annotations

from ..document import Document
from ..lines.body import RULE_ID, RULE_NAME, block_ids, classify_lines, visible_texts
from ..lines.normalize import WORD
from ..lines.views import LineView
from ..rules.counts import SHARE_WEIGHT
from .registry import Context

SHIFTS = (0.0, 0.6, 1.5, 3.0)  # added to the favor preset's bias, tried in order
MIN_KEPT = 0.5  # share of the words left after the learned rules the classifier must keep
TEMPLATE_REACH = 3  # lines above and below a line that tell whether it sits in the site's template
TEMPLATE_SHARE = 0.7  # ... and the share of them that must be shared or learned-removed
SKIP_CUES = ("after_body",)  # position cues HEU010 leaves out here
SHARED_SHARE = 0.1  # a line on this share of the site's other pages or more is the site's, not the page's
_MEMO_KEY = object()  # the shift chosen for the document, kept across cleaning passes


def site_lines(texts: list[str], removed: list[bool], line_bias=None) -> list[bool]:
    """Per line of a page: True where it is the site's (removed by rules, or on ``SHARED_SHARE``
    or more of the site's other pages by ``line_bias``), not the page's own."""
    cut = -SHARE_WEIGHT * SHARED_SHARE
    return [r or (line_bias is not None and line_bias(t) <= cut) for t, r in zip(texts, removed)]


def in_template(shared: list[bool], reach: int = TEMPLATE_REACH, share: float = TEMPLATE_SHARE) -> list[bool]:
    """Per line of a page: True where ``share`` or more of the lines around it are ``shared``."""
    out = []
    for i in range(len(shared)):
        around = shared[max(0, i - reach):i] + shared[i + 1:i + 1 + reach]
        out.append(bool(around) and sum(around) >= share * len(around))
    return out


def choose_keep(texts: list[tuple[str, int]], favor: str, shifts=SHIFTS,
                min_kept: float = MIN_KEPT, line_bias=None,
                counted: list[bool] | None = None,
                skip_cues: tuple[str, ...] = SKIP_CUES) -> tuple[list[bool], float]:
    """Keep/drop per (text, block id) line at the first shift that keeps ``min_kept`` of the words
    (of the ``counted`` lines, when given)."""
    words = [len(WORD.findall(t)) for t, _ in texts]
    if counted is not None:
        words = [w if c else 0 for w, c in zip(words, counted)]
    total = sum(words)
    keep: list[bool] = []
    shift = shifts[0]
    for shift in shifts:
        keep = classify_lines(texts, favor, shift=shift, line_bias=line_bias, skip_cues=skip_cues)
        if sum(w for w, k in zip(words, keep) if k) >= min_kept * total:
            break
    return keep, shift


def mark_site_body(doc: Document, views: list[LineView], ctx: Context) -> None:
    """Mark the lines outside the main body of a page whose site chrome learned rules removed."""
    marked = doc.marked_lines()
    favor, line_bias, memo = ctx.favor, ctx.line_bias, ctx.memo
    shared = site_lines([v.text for v in views], [v.index in marked for v in views], line_bias)
    free = [not s and not t for s, t, v in zip(shared, in_template(shared), views) if v.index not in marked]
    views = [v for v in views if v.index not in marked]
    if not views:
        return
    texts = list(zip(visible_texts(doc, views), block_ids(doc, views)))
    if memo is not None and _MEMO_KEY in memo:
        keep = classify_lines(texts, favor, shift=memo[_MEMO_KEY], line_bias=line_bias, skip_cues=SKIP_CUES)
    else:
        keep, shift = choose_keep(texts, favor, line_bias=line_bias, counted=free)
        if memo is not None:
            memo[_MEMO_KEY] = shift
    for view, kept in zip(views, keep):
        if not kept:
            doc.mark_line(view.line, RULE_ID, RULE_NAME)


def site_body_chosen(memo: dict | None) -> bool:
    """True when an earlier pass of this document chose a shift (it was cleaned by learned rules)."""
    return memo is not None and _MEMO_KEY in memo
