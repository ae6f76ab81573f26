"""Generic features of the lines of plain scraped text, for the main-body classifier.

Every feature is language-neutral or multilingual (stop words of a dozen languages) and
cheap: one pass of word splitting per line, then window sums over neighbouring lines.
The names in :data:`FEATURES` are the keys of the weights file (``lines/weights.json``).

>>> rows = line_features([("Home", 0), ("News", 0), ("The cat sat on the mat and it was happy with the day.", 1)])
>>> 1.0 == rows[2][FEATURES.index("sentence_end")]
True
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from itertools import accumulate, chain, groupby
from operator import itemgetter, mul, ne, sub, truediv

import ahocorasick
import regex

from .normalize import WORD as _WORD
from .prefilter import fold_for_scan, required_literals
from .chrome import CHROME
from .stopwords import STOPWORDS

_MENU_SEP = regex.compile(r"\s[|•·»›/]\s|\s[|•·»›]$")
_FOOTER = regex.compile(
    r"©|\(c\)\s*\d{4}|\ball rights reserved\b|\bprivacy policy\b|\bcookie|\bterms of (?:use|service)\b"
    r"|\balle rechte vorbehalten\b|\bimpressum\b|\bdatenschutz|\bnewsletter\b|\bsubscribe\b"
    r"|\bsign (?:in|up)\b|\blog ?in\b|\bshare (?:on|this)\b|\bfollow us\b|\bread more\b",
    regex.IGNORECASE,
)
_DATE = regex.compile(
    r"\b(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|(?:19|20)\d{2})\b"
)
# Cheap equivalents, checked before the patterns: \w+ on ASCII text with re (same tokens),
# the footer's required literals, the menu separators' characters.
_ASCII_WORD = re.compile(r"\w+")
_FOOTER_HINTS = required_literals(_FOOTER.pattern)
_FOOTER_AUTOMATON = ahocorasick.Automaton()
for _hint in _FOOTER_HINTS:
    _FOOTER_AUTOMATON.add_word(_hint, _hint)
_FOOTER_AUTOMATON.make_automaton()
_MENU_CHARS = "|•·»›/"
_SENT_END = ".!?…\"'”’»)"
_BULLETS = "•·-–—*►▸◦‣"

FEATURES = (
    "bias", "log_chars", "log_words", "stop_density", "sentence_end", "ends_colon", "ends_ellipsis",
    "title_ratio", "digit_ratio", "punct_ratio", "avg_word_len", "footer", "menu_sep", "bullet",
    "date", "one_two_words", "punct_per_word", "keyword_run", "lower_start", "chrome_share",
    "repeated", "edge", "block_lines", "block_words", "prose",
    "prose_near", "prose_wide", "words_near", "short_run", "dist_prose", "inside_body",
    "stop_near", "char_share", "first_line", "title_run", "chrome_near", "block_short", "block_title",
)
_W = 3  # neighbours each side for the near window
_WIDE = 10  # neighbours each side for the wide window
# Scales and thresholds of the features (core/src/features.rs uses the same numbers)
_CHARS_SCALE = 6.0  # log_chars = log1p(chars) / 6: about 1 for a 400-character line
_WORDS_SCALE = 4.0  # word counts (line, block, window) as log1p(words) / 4: about 1 for 55 words
_WORD_LEN_CAP = 12.0  # avg_word_len stops at 12 letters (a longer "word" is a URL or a code)
_SENTENCE_MIN_WORDS = 3  # sentence_end: a line of 3 words or more that ends as a sentence does
_DATE_MAX_WORDS = 12  # date: a short line (12 words at most) holding a date
_FEW_WORDS = 2  # one_two_words
_KEYWORD_MIN_WORDS, _KEYWORD_STOPS = 8, 0.08  # keyword_run: 8+ words with under 8% stop words (tag lists)
_PROSE_MIN_WORDS, _PROSE_STOPS = 12, 0.15  # prose: 12+ words, 15%+ stop words and a sentence end


_TITLE_ASCII = re.compile(r"\b[A-Z]")  # on ASCII text: the start of each \w+ word that is upper-case


_ASCII_DIGIT = re.compile(r"[0-9]")  # on ASCII text: what str.isdigit counts
_PUNCT = re.compile(r"[.,;:!?]")
_MENU_CHAR = re.compile("[" + re.escape(_MENU_CHARS) + "]")


def own_columns(texts: list[str]) -> tuple[list[list[float]], list[int], list[int], list[str], list[float]]:
    """Each line by itself, by column, for a non-empty list of (stripped) texts: the features
    FEATURES[1:20] (one list each), word and stop-word counts, case-folded texts and prose flags.

    The one place the per-line features are computed. The word, stop-word, title and letter
    counts come from one pass over all the texts' words, the footer and menu cues from one scan
    of the joined texts. A line's values never depend on the other texts of the list.
    """
    words, digits, folded, scan = _split_words(texts)
    counts = list(map(len, words))
    stops, chrome, titled, letters = _word_counts(words, counts, all(map(str.isascii, texts)))
    footer, menu = _cue_flags(texts, scan)
    punct = list(map(len, map(_PUNCT.findall, texts)))
    chars = list(map(len, texts))
    lasts = [t[-1] for t in texts]
    log1p = math.log1p
    sentence_end = [1.0 if last in _SENT_END and n >= _SENTENCE_MIN_WORDS and not t.endswith("...") else 0.0
                    for t, last, n in zip(texts, lasts, counts)]
    columns = [
        [log1p(c) / _CHARS_SCALE for c in chars],
        [log1p(n) / _WORDS_SCALE for n in counts],
        [st / n if n else 0.0 for st, n in zip(stops, counts)],
        sentence_end,
        [1.0 if last == ":" else 0.0 for last in lasts],
        [1.0 if t.endswith(("...", "…")) else 0.0 for t in texts],
        [ti / n if n else 0.0 for ti, n in zip(titled, counts)],
        list(map(truediv, digits, chars)),
        [(c - le - t.count(" ")) / c for t, c, le in zip(texts, chars, letters)],
        [min(le / n, _WORD_LEN_CAP) / _WORD_LEN_CAP if n else 0.0 for le, n in zip(letters, counts)],
        footer,
        menu,
        [1.0 if t[0] in _BULLETS or t[:2].rstrip(".)").isdigit() else 0.0 for t in texts],
        [1.0 if n <= _DATE_MAX_WORDS and d and _DATE.search(t) else 0.0 for t, n, d in zip(texts, counts, digits)],
        [1.0 if n <= _FEW_WORDS else 0.0 for n in counts],
        [min(pu / n, 1.0) if n else 0.0 for pu, n in zip(punct, counts)],
        [1.0 if n >= _KEYWORD_MIN_WORDS and st < _KEYWORD_STOPS * n else 0.0 for st, n in zip(stops, counts)],
        [1.0 if t[0].islower() else 0.0 for t in texts],
        [ch / n if n else 0.0 for ch, n in zip(chrome, counts)],
    ]
    prose = [1.0 if n >= _PROSE_MIN_WORDS and st >= _PROSE_STOPS * n and se else 0.0
             for n, st, se in zip(counts, stops, sentence_end)]
    return columns, counts, stops, folded, prose


def _split_words(texts: list[str]) -> tuple[list[list[str]], list[int], list[str], list[str]]:
    """Each text's words and digit count, its case-folded form, and the form the cue scan reads
    (the ASCII fast path when every text is ASCII)."""
    asc = list(map(str.isascii, texts))
    if all(asc):
        folded = list(map(str.lower, texts))
        return (list(map(_ASCII_WORD.findall, texts)), list(map(len, map(_ASCII_DIGIT.findall, texts))),
                folded, folded)
    words = [_ASCII_WORD.findall(t) if a else _WORD.findall(t) for t, a in zip(texts, asc)]
    digits = [len(_ASCII_DIGIT.findall(t)) if a else sum(map(str.isdigit, t)) for t, a in zip(texts, asc)]
    folded = list(map(str.casefold, texts))  # = lower() on the ASCII lines
    scan = [f if a else fold_for_scan(t) for t, f, a in zip(texts, folded, asc)]
    return words, digits, folded, scan


def _word_counts(words: list[list[str]], counts: list[int], every_ascii: bool
                 ) -> tuple[list[int], list[int], list[int], list[int]]:
    """Per line: stop words, chrome words, title-case words and letters in words, from one pass
    over all the lines' words (running sums cut at the lines' bounds)."""
    bounds = list(accumulate(counts, initial=0))
    flat = list(chain.from_iterable(words))
    # each line's words lower-cased (lower on ASCII lines, casefold elsewhere;
    # the two agree on ASCII): casefold works character by character without context, and the
    # words never touch across the joining spaces, so one call on all the words does it
    if flat:
        lowered = (" ".join(flat).lower() if every_ascii else " ".join(flat).casefold()).split(" ")
    else:
        lowered = []
    cut = itemgetter(*bounds)

    def per_line(flags) -> list[int]:
        sums = cut(list(accumulate(flags, initial=0)))
        return list(map(sub, sums[1:], sums[:-1]))

    return (per_line(map(STOPWORDS.__contains__, lowered)), per_line(map(CHROME.__contains__, lowered)),
            per_line(map(str.isupper, [w[0] for w in flat])), per_line(map(len, flat)))


def _cue_flags(texts: list[str], scan: list[str]) -> tuple[list[float], list[float]]:
    """Footer and menu flags per line: one scan of the joined texts finds the candidate lines,
    the line's own pattern confirms each."""
    starts = list(accumulate([len(x) + 1 for x in scan], initial=0))
    hinted = {bisect_right(starts, end) - 1 for end, _hint in _FOOTER_AUTOMATON.iter("\n".join(scan))}
    offsets = list(accumulate([len(t) + 1 for t in texts], initial=0))
    menu_lines = {bisect_right(offsets, m.start()) - 1 for m in _MENU_CHAR.finditer("\n".join(texts))}
    footer = [0.0] * len(texts)
    for i in hinted:
        if _FOOTER.search(texts[i]) is not None:
            footer[i] = 1.0
    menu = [0.0] * len(texts)
    for i in menu_lines:
        if _MENU_SEP.search(texts[i]) is not None:
            menu[i] = 1.0
    return footer, menu


def line_features(lines: list[tuple[str, int]]) -> list[list[float]]:
    """Feature rows for ``lines`` given as (stripped text, block id) in document order.

    The block id changes at each blank line of the source, so a run of lines without
    blank lines between them (a menu, a list) shares one id.
    """
    own = own_features([text for text, _ in lines])
    return [[1.0, *mine[0], *near] for mine, near in zip(own, _context_rows(lines, own))]


def own_features(texts: list[str]) -> list[tuple]:
    """Each text by itself: (features FEATURES[1:20], words, stop words, case-folded text,
    prose flag), as :func:`line_scores` and :func:`cleaner.lines.cues.cue_rows` take them back.

    Kept per line text (the classifier judges kept lines again, menus repeat across pages);
    the lines not seen yet are computed together by :func:`own_columns`.
    """
    global _OWN
    if len(_OWN) > _OWN_MAX:
        _OWN = {}
    cache = _OWN
    missing = list(dict.fromkeys([t for t in texts if t not in cache]))
    if missing:
        columns, counts, stops, folded, prose = own_columns(missing)
        cache.update(zip(missing, zip(zip(*columns), counts, stops, folded, prose)))
    return [cache[t] for t in texts]


_OWN: dict = {}
_OWN_MAX = 16384


def line_scores(lines: list[tuple[str, int]], weights: tuple[float, ...], own: list | None = None) -> list[float]:
    """``sum(weight * feature)`` of each row of :func:`line_features`, in the same order of terms.

    ``own``: :func:`own_features` of the lines' texts, when already known.
    """
    if own is None:
        own = own_features([text for text, _ in lines])
    # the row of line_features is (1.0, *own features, *context features)
    return [sum(map(mul, weights, chain(_ONE, mine[0], near))) for mine, near in zip(own, _context_rows(lines, own))]


_ONE = (1.0,)
_CONTEXT_ROW = FEATURES[FEATURES.index("repeated"):]  # what _context_rows gives, in order


def _context_rows(lines: list[tuple[str, int]], own: list[tuple]) -> list[tuple[float, ...]]:
    """FEATURES[20:] of each line: its place among its neighbours, block and page.

    Built column by column from runs and prefix sums rather than line by line (the
    classifier's hot path); ``tests/test_context_rows.py`` checks it against the plain loops.
    """
    n = len(lines)
    if not n:
        return []
    log1p = math.log1p
    nwords = [o[1] for o in own]
    nstops = [o[2] for o in own]
    prose = [o[4] for o in own]
    folded = [o[3] for o in own]
    keys = Counter(folded)
    repeated = [1.0 if keys[f] > 1 else 0.0 for f in folded]
    chars = [len(t) for t, _ in lines]
    total_chars = sum(chars) or 1
    # prefix sums (exact integers), padded at both ends so that clamped windows are plain slices
    cp = list(accumulate([pr == 1.0 for pr in prose], initial=0))
    cw = list(accumulate(nwords, initial=0))
    cs = list(accumulate(nstops, initial=0))
    block_size, block_words = _block_totals([b for _, b in lines], cw)
    per_block = {b: (log1p(size) / _WORDS_SCALE, log1p(block_words[b] / size) / _WORDS_SCALE)
                 for b, size in block_size.items()}
    blocks = [per_block[b] for _, b in lines]
    pad = _WIDE + 1
    ext = lambda xs: [xs[0]] * pad + xs + [xs[-1]] * pad  # noqa: E731
    cp, cw, cs, cn = ext(cp), ext(cw), ext(cs), ext(list(range(n + 1)))
    # window i covers lines max(0, i - k) .. min(n, i + k + 1) - 1: slices of the padded sums
    hi3, lo3 = slice(pad + _W + 1, pad + _W + 1 + n), slice(pad - _W, pad - _W + n)
    hi10, lo10 = slice(pad + _WIDE + 1, pad + _WIDE + 1 + n), slice(pad - _WIDE, pad - _WIDE + n)
    others3 = [b - a - 1 if b - a - 1 > 1 else 1 for b, a in zip(cn[hi3], cn[lo3])]  # = max(1, b - a - 1)
    prose_near = [(b - a - x) / k for b, a, x, k in zip(cp[hi3], cp[lo3], prose, others3)]
    prose_wide = [(b - a) / (nb - na) for b, a, nb, na in zip(cp[hi10], cp[lo10], cn[hi10], cn[lo10])]
    words3 = [b - a for b, a in zip(cw[hi3], cw[lo3])]
    words_near = [log1p((t - w) / k) / _WORDS_SCALE for t, w, k in zip(words3, nwords, others3)]
    stop_near = [(b - a) / t if t > 0 else 0.0 for b, a, t in zip(cs[hi3], cs[lo3], words3)]
    prose_idx = [i for i, pr in enumerate(prose) if pr]
    thirds = _thirds(n)
    dist_prose = [thirds[d] for d in _prose_distances(prose_idx, n)]
    short_run = _short_runs(nwords, thirds)
    lo, hi = _body_span(prose_idx, chars)
    inside = [0.0] * n
    if lo >= 0:
        inside[lo:hi + 1] = [1.0] * (hi + 1 - lo)
    span = max(1, n - 1)
    half = [i / span * 2.0 for i in range((n + 1) // 2)]  # edge: i or n - 1 - i, the nearer end
    edge = half + half[:n // 2][::-1]
    share = [x if x < 1.0 else 1.0 for x in [c * 20.0 / total_chars for c in chars]]  # = min(1.0, x)
    first = [0.0] * n
    first[0] = 1.0
    title_run = _title_runs(own, thirds)
    chrome_near = _near_means([o[0][_CHROME_COL] for o in own])
    block_short, block_title = _block_shapes([b for _, b in lines], own, thirds)
    return list(zip(repeated, edge, [b[0] for b in blocks], [b[1] for b in blocks], prose, prose_near,
                    prose_wide, words_near, short_run, dist_prose, inside, stop_near, share, first,
                    title_run, chrome_near, block_short, block_title))


_SENTENCE_COL = FEATURES.index("sentence_end") - 1  # columns of a line's own features
_TITLE_COL = FEATURES.index("title_ratio") - 1
_CHROME_COL = FEATURES.index("chrome_share") - 1


def _title_runs(own: list[tuple], thirds: list[float]) -> list[float]:
    """log1p(length) / 3 of the run of menu-shaped lines each line is in (0 outside).

    Menu-shaped: one to six words, no sentence end, at least half the words title-case
    (``Home``, ``About Us``, ``Contact``): a run of them is a menu or a link list, while a
    heading stands alone and a content list item reads as a phrase or sentence.
    """
    out: list[float] = []
    shaped = [1 <= o[1] <= 6 and o[0][_SENTENCE_COL] == 0.0 and o[0][_TITLE_COL] >= 0.5 for o in own]
    for menu, run in groupby(shaped):
        k = sum(1 for _ in run)
        out += [thirds[k] if menu else 0.0] * k
    return out


def _block_shapes(blocks: list[int], own: list[tuple], thirds: list[float]) -> tuple[list[float], list[float]]:
    """Per line, of its blank-line block (two lines or more; 0 for a lone line), scaled by
    log1p(lines) / 3: the share of its lines that are labels (four words at most, no sentence
    end), and the mean title-case share of its lines.

    A block of labels (``About us``, ``Careers``, ``Store locator``) is a menu or a footer in
    any language; a block that mixes labels with sentences (a list with its lead-in) is not.
    The sums run in document order (the compiled core adds in the same order).
    """
    size: dict[int, int] = {}
    labels: dict[int, int] = {}
    titled: dict[int, float] = {}
    for b, o in zip(blocks, own):
        size[b] = size.get(b, 0) + 1
        labels[b] = labels.get(b, 0) + (o[1] <= 4 and o[0][_SENTENCE_COL] == 0.0)
        titled[b] = titled.get(b, 0.0) + o[0][_TITLE_COL]
    short = {b: labels[b] / k * thirds[k] if k >= 2 else 0.0 for b, k in size.items()}
    title = {b: titled[b] / k * thirds[k] if k >= 2 else 0.0 for b, k in size.items()}
    return [short[b] for b in blocks], [title[b] for b in blocks]


def _near_means(values: list[float]) -> list[float]:
    """The mean of ``values`` over the up to three lines each side of each line (itself left out),
    summed left to right as the compiled core does."""
    n = len(values)
    out = []
    for i in range(n):
        lo, hi = max(0, i - _W), min(n, i + _W + 1)
        total = 0.0
        for j in range(lo, hi):
            if j != i:
                total += values[j]
        out.append(total / max(1, hi - lo - 1))
    return out


_THIRDS: list[float] = []  # _THIRDS[k] == log1p(k) / 3.0, grown on demand


def _thirds(n: int) -> list[float]:
    """``log1p(k) / 3.0`` for k = 0 .. at least n (one table: the same floats every time)."""
    if len(_THIRDS) <= n:
        _THIRDS.extend(math.log1p(k) / 3.0 for k in range(len(_THIRDS), 2 * n + 64))
    return _THIRDS


def _block_totals(blocks: list[int], word_sums: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Lines and words of each block id (``word_sums``: prefix sums of the lines' words)."""
    first = dict(zip(reversed(blocks), range(len(blocks) - 1, -1, -1)))  # the first line of each id
    after = dict(zip(blocks, range(1, len(blocks) + 1)))  # one past its last line
    if sum(map(ne, blocks, blocks[1:])) + 1 == len(first):  # every id is one run of lines
        return ({b: after[b] - a for b, a in first.items()},
                {b: word_sums[after[b]] - word_sums[a] for b, a in first.items()})
    size: Counter = Counter(blocks)
    words: Counter = Counter()
    for b, w in zip(blocks, map(sub, word_sums[1:], word_sums)):
        words[b] += w
    return size, words


def _prose_distances(prose_idx: list[int], n: int) -> list[int]:
    """Each line's distance to the nearest prose line (n when there is none)."""
    if not prose_idx:
        return [n] * n
    dist = list(range(prose_idx[0], 0, -1))  # above the first prose line
    for a, b in zip(prose_idx, prose_idx[1:]):
        gap = b - a  # lines a .. b - 1: min(i - a, b - i)
        dist += range(gap // 2 + 1)
        dist += range((gap - 1) // 2, 0, -1)
    dist += range(n - prose_idx[-1])  # the last prose line and below
    return dist


def _short_runs(nwords: list[int], thirds: list[float]) -> list[float]:
    """log1p(length) / 3 of the run of short lines (<= 4 words) each line is in (0 outside)."""
    out: list[float] = []
    for short, run in groupby(nwords, (4).__ge__):
        k = sum(1 for _ in run)
        out += [thirds[k] if short else 0.0] * k
    return out


def _body_span(prose_idx: list[int], chars: list[int]) -> tuple[int, int]:
    """First and last line of the densest run of prose (gaps of up to 8 lines bridged)."""
    if not prose_idx:
        return -1, -1
    best, best_score = (prose_idx[0], prose_idx[0]), -1.0
    start = prev = prose_idx[0]
    score = 0.0
    for i in prose_idx:
        if i - prev > 8:
            if score > best_score:
                best, best_score = (start, prev), score
            start, score = i, 0.0
        score += chars[i]
        prev = i
    if score > best_score:
        best = (start, prev)
    return best


CONTEXT = (
    "bias", "score", "prev_next", "near", "wide", "below_best", "near_below_best",
    "in_best_run", "outside_best_run", "doc_positive",
)


def context_features(scores: list[float]) -> list[list[float]]:
    """Second-stage features of each line from the first-stage scores of the whole page.

    A line is judged against its neighbours, against the best line of the page and
    against the best-scoring contiguous run of lines (the likely main body).
    """
    return [list(row) for row in _context_columns(scores)]


def context_scores(scores: list[float], weights: tuple[float, ...]) -> list[float]:
    """``sum(weight * feature)`` of each row of :func:`context_features`, in the same order of terms."""
    return [sum(map(mul, weights, row)) for row in _context_columns(scores)]


def _context_columns(scores: list[float]) -> list[tuple[float, ...]]:
    n = len(scores)
    if not n:
        return []
    clipped = [-6.0 if s < -6.0 else (6.0 if s > 6.0 else s) for s in scores]  # = max(-6, min(6, s))
    cum = [0.0]
    total = 0.0
    for s in clipped:
        total += s
        cum.append(total)
    best = max(clipped)
    lo, hi = _best_run(clipped)
    positive = sum(1 for s in clipped if s > 0) / n
    # windows of 1, 3 and 10 lines each side, clamped to the page: slices of padded sums
    pad = 11
    ext = [0.0] * pad + cum + [cum[-1]] * pad
    cnt = [0] * pad + list(range(n + 1)) + [n] * pad
    def window(k: int) -> tuple[list, list, list, list]:
        hi_, lo_ = slice(pad + k + 1, pad + k + 1 + n), slice(pad - k, pad - k + n)
        return ext[hi_], ext[lo_], cnt[hi_], cnt[lo_]
    b1, a1, nb1, na1 = window(1)
    pn = [(b - a - s) / (nb - na - 1 if nb - na - 1 > 1 else 1)
          for b, a, s, nb, na in zip(b1, a1, clipped, nb1, na1)]
    b3, a3, nb3, na3 = window(3)
    near = [(b - a) / (nb - na) for b, a, nb, na in zip(b3, a3, nb3, na3)]
    b10, a10, nb10, na10 = window(10)
    wide = [(b - a) / (nb - na) / 4.0 for b, a, nb, na in zip(b10, a10, nb10, na10)]
    in_run = [0.0] * n
    in_run[lo:hi + 1] = [1.0] * (hi + 1 - lo)
    log1p = math.log1p
    outside = [log1p(lo - i) / 3.0 for i in range(lo)] + [0.0] * (hi + 1 - lo) \
        + [log1p(i - hi) / 3.0 for i in range(hi + 1, n)]
    return list(zip([1.0] * n, [s / 4.0 for s in clipped], [p / 4.0 for p in pn], [x / 4.0 for x in near],
                    wide, [(s - best) / 4.0 for s in clipped], [(x - best) / 4.0 for x in near],
                    in_run, outside, [positive] * n))


def _best_run(scores: list[float]) -> tuple[int, int]:
    """First and last index of the contiguous run with the largest sum (Kadane)."""
    best, best_lo, best_hi = scores[0], 0, 0
    run, run_lo = 0.0, 0
    for i, s in enumerate(scores):
        if run <= 0:
            run, run_lo = s, i
        else:
            run += s
        if run > best:
            best, best_lo, best_hi = run, run_lo, i
    return best_lo, best_hi
