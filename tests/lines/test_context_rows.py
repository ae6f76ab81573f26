"""The column-wise context features give exactly the floats of the plain loops they replaced."""

from __future__ import annotations

import math
import random
from collections import Counter
from pathlib import Path

from cleaner.lines.features import FEATURES, _W, _WIDE, _body_span, _context_rows, own_features

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"


def reference_rows(lines: list[tuple[str, int]], own: list[tuple]) -> list[tuple[float, ...]]:
    """The plain line-by-line loops the column-wise version replaced (kept as the reference)."""
    n = len(lines)
    if not n:
        return []
    log1p = math.log1p
    nwords = [o[1] for o in own]
    nstops = [o[2] for o in own]
    prose = [o[4] for o in own]
    keys = Counter([o[3] for o in own])
    repeated = [1.0 if keys[o[3]] > 1 else 0.0 for o in own]
    # block features, once per block
    block_size: Counter = Counter(b for _, b in lines)
    block_words: Counter = Counter()
    for (_, b), w in zip(lines, nwords):
        block_words[b] += w
    per_block = {b: (log1p(size) / 4.0, log1p(block_words[b] / size) / 4.0) for b, size in block_size.items()}
    blocks = [per_block[b] for _, b in lines]
    chars = [len(t) for t, _ in lines]
    total_chars = sum(chars) or 1
    # prefix sums (exact integers), padded at both ends so that clamped windows are plain slices
    cp, cw, cs = [0], [0], [0]
    p = w_ = s_ = 0
    for pr, w, s in zip(prose, nwords, nstops):
        p += pr == 1.0
        w_ += w
        s_ += s
        cp.append(p)
        cw.append(w_)
        cs.append(s_)
    pad = _WIDE + 1
    ext = lambda xs: [xs[0]] * pad + xs + [xs[-1]] * pad  # noqa: E731
    cp, cw, cs, cn = ext(cp), ext(cw), ext(cs), ext(list(range(n + 1)))
    # window i covers lines max(0, i - k) .. min(n, i + k + 1) - 1: slices of the padded sums
    hi3, lo3 = slice(pad + _W + 1, pad + _W + 1 + n), slice(pad - _W, pad - _W + n)
    hi10, lo10 = slice(pad + _WIDE + 1, pad + _WIDE + 1 + n), slice(pad - _WIDE, pad - _WIDE + n)
    others3 = [max(1, b - a - 1) for b, a in zip(cn[hi3], cn[lo3])]
    prose_near = [(b - a - x) / k for b, a, x, k in zip(cp[hi3], cp[lo3], prose, others3)]
    prose_wide = [(b - a) / (nb - na) for b, a, nb, na in zip(cp[hi10], cp[lo10], cn[hi10], cn[lo10])]
    words3 = [b - a for b, a in zip(cw[hi3], cw[lo3])]
    words_near = [log1p((t - w) / k) / 4.0 for t, w, k in zip(words3, nwords, others3)]
    stop_near = [(b - a) / t if t > 0 else 0.0 for b, a, t in zip(cs[hi3], cs[lo3], words3)]
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
        if last - i < dist[i]:
            dist[i] = last - i
    dist_prose = [log1p(d if d < n else n) / 3.0 for d in dist]
    # runs of short lines (<= 4 words) around each line
    short_run = [0.0] * n
    i = 0
    while i < n:
        if nwords[i] <= 4:
            j = i
            while j < n and nwords[j] <= 4:
                j += 1
            short_run[i:j] = [log1p(j - i) / 3.0] * (j - i)
            i = j
        else:
            i += 1
    lo, hi = _body_span([i for i in range(n) if prose[i]], chars)
    inside = [0.0] * n
    if lo >= 0:
        inside[lo:hi + 1] = [1.0] * (hi + 1 - lo)
    span = max(1, n - 1)
    edge = [(i if i < n - 1 - i else n - 1 - i) / span * 2.0 for i in range(n)]
    share = [min(1.0, c * 20.0 / total_chars) for c in chars]
    first = [0.0] * n
    first[0] = 1.0
    # runs of menu-shaped lines (1-6 words, no sentence end, half or more title-case)
    feats = [o[0] for o in own]
    shaped = [1 <= nwords[i] <= 6 and feats[i][FEATURES.index("sentence_end") - 1] == 0.0
              and feats[i][FEATURES.index("title_ratio") - 1] >= 0.5 for i in range(n)]
    title_run = [0.0] * n
    for i in range(n):
        a = i
        while a > 0 and shaped[a - 1] and shaped[i]:
            a -= 1
        b = i
        while b < n - 1 and shaped[b + 1] and shaped[i]:
            b += 1
        title_run[i] = log1p(b - a + 1) / 3.0 if shaped[i] else 0.0
    chrome = [f[FEATURES.index("chrome_share") - 1] for f in feats]
    chrome_near = []
    for i in range(n):
        others = [j for j in range(max(0, i - 3), min(n, i + 4)) if j != i]
        total = 0.0
        for j in others:
            total += chrome[j]
        chrome_near.append(total / max(1, len(others)))
    members = {b: [i for i in range(n) if lines[i][1] == b] for _, b in lines}
    block_short, block_title = [], []
    for _, b in lines:
        idx = members[b]
        k = len(idx)
        labels = sum(1 for i in idx if nwords[i] <= 4 and feats[i][FEATURES.index("sentence_end") - 1] == 0.0)
        titled = 0.0
        for i in idx:
            titled += feats[i][FEATURES.index("title_ratio") - 1]
        block_short.append(labels / k * (log1p(k) / 3.0) if k >= 2 else 0.0)
        block_title.append(titled / k * (log1p(k) / 3.0) if k >= 2 else 0.0)
    return list(zip(repeated, edge, [b[0] for b in blocks], [b[1] for b in blocks], prose, prose_near,
                    prose_wide, words_near, short_run, dist_prose, inside, stop_near, share, first,
                    title_run, chrome_near, block_short, block_title))


def _pages() -> list[list[tuple[str, int]]]:
    pages = []
    for path in sorted(SEEDS.glob("*.txt")):
        block, lines = 0, []
        for raw in path.read_text(encoding="utf-8").splitlines():
            if raw.strip():
                lines.append((raw.strip(), block))
            else:
                block += 1
        pages.append(lines)
    rng = random.Random(5)
    words = ["Home", "the cat sat on the mat and it was happy with all of the day today.", "News", "About Us", "Contact", "Log in", "a b",
             "This is a sentence of running text that goes on for a while, as prose does, and ends."]
    for size in (1, 2, 3, 7, 25, 90):
        for _ in range(4):
            pages.append([(rng.choice(words) * rng.randint(1, 3), rng.randint(0, 3) + 4 * (i // 5))
                          for i in range(size)])
    pages.append([("one", 3), ("two", 1), ("three", 3), ("four", 1)])  # block ids out of order
    return pages


def test_context_rows_equal_the_plain_loops():
    pages = _pages()
    assert len(pages) > 20
    for lines in pages:
        own = own_features([text for text, _ in lines])
        assert reference_rows(lines, own) == _context_rows(lines, own)
