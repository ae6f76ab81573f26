"""The line features: one implementation (:func:`cleaner.lines.features.own_columns`), checked
by what the features mean on lines written for it, and by the properties the classifier needs."""

from __future__ import annotations

from operator import mul
from pathlib import Path

import pytest

from cleaner.lines import features
from cleaner.lines.body import load_weights
from cleaner.lines.features import FEATURES, line_features, line_scores, own_features

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"

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


def fresh(texts: list[str]) -> list[tuple]:
    """:func:`own_features` computed now, not taken from its cache of lines seen before."""
    saved = features._OWN
    features._OWN = {}
    try:
        return own_features(texts)
    finally:
        features._OWN = saved


def feature(text: str, name: str) -> float:
    """One named feature of ``text`` as a line by itself (FEATURES[0] is the intercept)."""
    return fresh([text])[0][0][FEATURES.index(name) - 1]


@pytest.mark.parametrize(("text", "name", "value"), [
    ("Home | News | Sport", "menu_sep", 1.0),
    ("Home and News and Sport", "menu_sep", 0.0),
    ("© 2020 All Rights Reserved.", "footer", 1.0),
    ("The minister resigned on Tuesday after the vote.", "footer", 0.0),
    ("The minister resigned on Tuesday after the vote.", "sentence_end", 1.0),
    ("Wait for it...", "sentence_end", 0.0),  # an ellipsis is a teaser, not the end of a sentence
    ("Read more…", "ends_ellipsis", 1.0),
    ("Sign in to comment:", "ends_colon", 1.0),
    ("• a bullet", "bullet", 1.0),
    ("12) numbered", "bullet", 1.0),
    ("Posted 12/03/2021 by Ann", "date", 1.0),
    ("x", "one_two_words", 1.0),
    ("a lower-case start", "lower_start", 1.0),
])
def test_a_feature_means_what_its_name_says(text, name, value):
    assert value == feature(text, name)


def test_a_line_has_the_same_features_alone_and_among_others():
    """Computed by column over a batch, a line's values never depend on the rest of the batch
    (ASCII-only batches take a faster path than mixed ones: both must agree)."""
    texts = _texts()
    assert len(texts) > 150
    alone = [fresh([t])[0] for t in texts]
    for size in (len(texts), 7, 2):
        together = []
        for k in range(0, len(texts), size):
            together += fresh(texts[k:k + size])
        assert alone == together


def test_line_scores_are_the_weighted_sums_of_line_features():
    weights = load_weights()[0]
    lines = [(t, i // 4) for i, t in enumerate(_texts())]
    expected = [sum(map(mul, weights, row)) for row in line_features(lines)]
    assert expected == line_scores(lines, weights)
    assert expected == line_scores(lines, weights, own_features([t for t, _ in lines]))


def test_chrome_share_counts_chrome_words_in_many_languages():
    col = FEATURES.index("chrome_share") - 1
    rows = fresh(["Login | Warenkorb", "Etusivu", "Dela på Facebook", "Inicio", "Kirjaudu sisään",
                  "The cat sat on the mat and it was happy."])
    assert [1.0, 1.0] == [rows[0][0][col], rows[1][0][col]]
    assert rows[2][0][col] > 0.5 and rows[3][0][col] == 1.0 and rows[4][0][col] > 0.0
    assert 0.0 == rows[5][0][col]


def test_finnish_and_swedish_prose_has_stop_words():
    col = FEATURES.index("stop_density") - 1
    fi, sv = fresh(["Hän sanoi, että se oli hyvä päivä ja kaikki olivat tyytyväisiä kun he lähtivät kotiin.",
                    "Hon sa att det var en bra dag och att alla var nöjda när de gick hem på kvällen."])
    assert fi[0][col] >= 0.15 and sv[0][col] >= 0.15


def test_a_run_of_menu_words_is_a_title_run_and_a_lone_heading_is_short():
    rows = line_features([("Home", 0), ("About Us", 0), ("Contact", 0), ("Shop", 0),
                          ("The cat sat on the mat and it was happy with all of the day.", 1),
                          ("Our History", 2),
                          ("The dog sat on the mat and it was happy with all of the day.", 3)])
    run = [r[FEATURES.index("title_run")] for r in rows]
    assert run[0] == run[3] > run[5] > 0.0 == run[4] == run[6]
    near = [r[FEATURES.index("chrome_near")] for r in rows]
    assert near[1] > near[6]
