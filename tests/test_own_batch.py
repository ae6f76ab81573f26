"""The column-wise line features give exactly what the per-line function gives."""

from __future__ import annotations

from operator import mul
from pathlib import Path

from cleaner.lines.body import load_weights
from cleaner.lines.features import _own, _own_batch, line_features, line_scores, own_features

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


def test_own_features_are_own_line_by_line():
    texts = _texts()
    got = own_features(texts + texts[:3])  # the repeats come from the cache
    assert [_own.__wrapped__(t) for t in texts + texts[:3]] == got


def test_line_scores_are_the_weighted_sums_of_line_features():
    weights = load_weights()[0]
    lines = [(t, i // 4) for i, t in enumerate(_texts())]
    expected = [sum(map(mul, weights, row)) for row in line_features(lines)]
    assert expected == line_scores(lines, weights)
    assert expected == line_scores(lines, weights, own_features([t for t, _ in lines]))
