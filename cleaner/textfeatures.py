"""Generic features of the lines of plain scraped text, for the main-body classifier.

Every feature is language-neutral or multilingual (stop words of a dozen languages) and
cheap: one pass of word splitting per line, then window sums over neighbouring lines.
The names in :data:`FEATURES` are the keys of the weights file (``line_weights.json``).

>>> rows = line_features([("Home", 0), ("News", 0), ("The cat sat on the mat and it was happy with the day.", 1)])
>>> 1.0 == rows[2][FEATURES.index("sentence_end")]
True
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

import regex

from .prefilter import may_match, required_literals
from .stopwords import STOPWORDS

_WORD = regex.compile(r"\w+")
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
_MENU_CHARS = "|•·»›/"
_SENT_END = ".!?…\"'”’»)"
_BULLETS = "•·-–—*►▸◦‣"

FEATURES = (
    "bias", "log_chars", "log_words", "stop_density", "sentence_end", "ends_colon", "ends_ellipsis",
    "title_ratio", "digit_ratio", "punct_ratio", "avg_word_len", "footer", "menu_sep", "bullet",
    "date", "one_two_words", "punct_per_word", "keyword_run", "lower_start", "repeated", "edge", "block_lines", "block_words", "prose",
    "prose_near", "prose_wide", "words_near", "short_run", "dist_prose", "inside_body",
    "stop_near", "char_share", "first_line",
)
_W = 3  # neighbours each side for the near window
_WIDE = 10  # neighbours each side for the wide window


@lru_cache(maxsize=8192)
def _own(text: str) -> tuple[tuple[float, ...], int, int]:
    """Features of one line by itself (FEATURES[1:19] order), its word and stop-word counts.

    Cached: the classifier judges the kept lines again, and menus repeat across pages.
    """
    if text.isascii():
        words = _ASCII_WORD.findall(text)
        digits = sum(map(text.count, "0123456789"))
    else:
        words = _WORD.findall(text)
        digits = sum(1 for ch in text if ch.isdigit())
    n = len(words)
    chars = len(text)
    stops = sum(map(STOPWORDS.__contains__, [w.casefold() for w in words]))
    titled = sum(1 for w in words if w[0].isupper())
    letters = sum(map(len, words))
    last = text[-1]
    footer = may_match(_FOOTER_HINTS, text) and _FOOTER.search(text) is not None
    menu = any(ch in text for ch in _MENU_CHARS) and _MENU_SEP.search(text) is not None
    return (
        math.log1p(chars) / 6.0,
        math.log1p(n) / 4.0,
        stops / n if n else 0.0,
        1.0 if last in _SENT_END and n >= 3 and not text.endswith("...") else 0.0,
        1.0 if last == ":" else 0.0,
        1.0 if text.endswith(("...", "…")) else 0.0,
        titled / n if n else 0.0,
        digits / chars,
        (chars - letters - text.count(" ")) / chars,
        min(letters / n, 12.0) / 12.0 if n else 0.0,
        1.0 if footer else 0.0,
        1.0 if menu else 0.0,
        1.0 if text[0] in _BULLETS or text[:2].rstrip(".)").isdigit() else 0.0,
        1.0 if n <= 12 and _DATE.search(text) else 0.0,
        1.0 if n <= 2 else 0.0,
        min(sum(text.count(p) for p in ".,;:!?") / n, 1.0) if n else 0.0,
        1.0 if n >= 8 and stops < 0.08 * n else 0.0,
        1.0 if text[0].islower() else 0.0,
    ), n, stops


def line_features(lines: list[tuple[str, int]]) -> list[list[float]]:
    """Feature rows for ``lines`` given as (stripped text, block id) in document order.

    The block id changes at each blank line of the source, so a run of lines without
    blank lines between them (a menu, a list) shares one id.
    """
    n = len(lines)
    if not n:
        return []
    own, nwords, nstops = [], [], []
    for text, _ in lines:
        row, w, s = _own(text)
        own.append(row)
        nwords.append(w)
        nstops.append(s)
    keys = Counter(text.casefold() for text, _ in lines)
    block_size: Counter = Counter(b for _, b in lines)
    block_words: Counter = Counter()
    for (_, b), w in zip(lines, nwords):
        block_words[b] += w
    prose = [1.0 if w >= 12 and s >= 0.15 * w and r[3] else 0.0
             for w, s, r in zip(nwords, nstops, own)]
    chars = [len(t) for t, _ in lines]
    total_chars = sum(chars) or 1
    # prefix sums for window means
    cp, cw, cs, cws = [0.0], [0.0], [0.0], [0.0]
    for p, w, s in zip(prose, nwords, nstops):
        cp.append(cp[-1] + p)
        cw.append(cw[-1] + w)
        cs.append(cs[-1] + s)
    # distance to the nearest prose line, both ways
    dist = [n] * n
    last = -n
    for i in range(n):
        if prose[i]:
            last = i
        dist[i] = i - last
    last = 2 * n
    for i in range(n - 1, -1, -1):
        if prose[i]:
            last = i
        dist[i] = min(dist[i], last - i)
    # runs of short lines (<= 4 words) around each line
    short_run = [0] * n
    i = 0
    while i < n:
        if nwords[i] <= 4:
            j = i
            while j < n and nwords[j] <= 4:
                j += 1
            for k in range(i, j):
                short_run[k] = j - i
            i = j
        else:
            i += 1
    prose_idx = [i for i in range(n) if prose[i]]
    lo, hi = _body_span(prose_idx, chars)
    rows = []
    for i, (text, block) in enumerate(lines):
        a, b = max(0, i - _W), min(n, i + _W + 1)
        wa, wb = max(0, i - _WIDE), min(n, i + _WIDE + 1)
        near_words = cw[b] - cw[a] - nwords[i]
        near_stops = cs[b] - cs[a]
        rows.append([
            1.0, *own[i],
            1.0 if keys[text.casefold()] > 1 else 0.0,
            min(i, n - 1 - i) / max(1, n - 1) * 2.0,
            math.log1p(block_size[block]) / 4.0,
            math.log1p(block_words[block] / block_size[block]) / 4.0,
            prose[i],
            (cp[b] - cp[a] - prose[i]) / max(1, b - a - 1),
            (cp[wb] - cp[wa]) / (wb - wa),
            math.log1p(near_words / max(1, b - a - 1)) / 4.0,
            math.log1p(short_run[i]) / 3.0,
            math.log1p(min(dist[i], n)) / 3.0,
            1.0 if lo <= i <= hi else 0.0,
            near_stops / (cw[b] - cw[a]) if cw[b] > cw[a] else 0.0,
            min(1.0, chars[i] * 20.0 / total_chars),
            1.0 if i == 0 else 0.0,
        ])
    return rows


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
    n = len(scores)
    if not n:
        return []
    clipped = [max(-6.0, min(6.0, s)) for s in scores]
    cum = [0.0]
    for s in clipped:
        cum.append(cum[-1] + s)
    best = max(clipped)
    lo, hi = _best_run(clipped)
    positive = sum(1 for s in clipped if s > 0) / n
    rows = []
    for i, s in enumerate(clipped):
        a1, b1 = max(0, i - 1), min(n, i + 2)
        a3, b3 = max(0, i - 3), min(n, i + 4)
        a10, b10 = max(0, i - 10), min(n, i + 11)
        pn = (cum[b1] - cum[a1] - s) / max(1, b1 - a1 - 1)
        near = (cum[b3] - cum[a3]) / (b3 - a3)
        outside = lo - i if i < lo else (i - hi if i > hi else 0)
        rows.append([
            1.0, s / 4.0, pn / 4.0, near / 4.0, (cum[b10] - cum[a10]) / (b10 - a10) / 4.0,
            (s - best) / 4.0, (near - best) / 4.0,
            1.0 if lo <= i <= hi else 0.0, math.log1p(outside) / 3.0, positive,
        ])
    return rows


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
