"""The column-wise line features give exactly what the per-line function gives."""

from __future__ import annotations

from itertools import chain
from operator import mul
from pathlib import Path

from cleaner.body import load_weights
from cleaner.textfeatures import FEATURES, _CONTEXT_ROW, _own, _own_batch, own_features

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"

TRICKY = [
    "ΟΔΟΣ ΣΟΦΙΑΣ is a street", "Straße ß ﬁne print", "İstanbul ſtop the Cookie policy", "Home | News | Sport",
    "© 2020 All Rights Reserved.", "a/b/c", "²³ digits ٣ and 12 more", "_Under score TITLE Case", "Über Ärger...",
    "日本語のテキスト。", "• a bullet", "12) numbered", "3.", "x", "Read more…", "Posted 12/03/2021 by Ann",
    "Menu ›", "a » b » c", "Sign in to comment:", "THE END!", "hello world " * 20,
    "Posted\x1c12/03/2021", "cookie\x1cpolicy 2019", "a\x1f|\x1fb", "Terms of\x1duse",
]


def _texts() -> list[str]:
    lines = list(TRICKY)
    for path in sorted(SEEDS.glob("*.txt")):
        lines += [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return list(dict.fromkeys(lines))


def test_own_batch_equals_own_line_by_line():
    texts = _texts()
    assert len(texts) > 150
    for size in (len(texts), 7, 1):
        for k in range(0, len(texts), size):
            chunk = texts[k:k + size]
            assert [_own.__wrapped__(t) for t in chunk] == _own_batch(chunk)


def test_own_features_terms_are_the_products_of_own():
    weights = load_weights()[0]
    first = weights[:len(FEATURES) - len(_CONTEXT_ROW)]
    texts = _texts()
    got = own_features(texts + texts[:3], weights)
    for text, row in zip(texts + texts[:3], got):
        mine = _own.__wrapped__(text)
        assert (mine, tuple(map(mul, first, chain((1.0,), mine[0])))) == row
