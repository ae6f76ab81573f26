"""The compiled core decides every line as the Python reference does (tests/core/differential.py):
HEU010 and the rule matcher line by line, and plain text cleaned whole by the core document by
document.

The bench sets (``../shared/bench/*/text``) take minutes: set ``CLEANER_BENCH_DIFF=1`` to run them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

from differential import run  # noqa: E402

from cleaner import DocumentError
from cleaner.lines import body, compiled

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT.parent / "shared" / "bench"

pytestmark = pytest.mark.skipif(compiled.LineModel is None, reason="the compiled core is not built")


def test_every_fixture_line_gets_the_same_decision():
    tally = run([ROOT / "fixtures" / "seeds", ROOT / "fixtures" / "html"])
    assert tally.lines > 500
    assert [] == tally.examples
    assert 0 == tally.differ
    assert tally.rule_marks > 50
    assert [] == tally.rule_examples
    assert 0 == tally.rule_differ
    assert tally.docs >= 15  # the seeds, each with three favors: the whole-document core against Python
    assert [] == tally.doc_examples
    assert 0 == tally.doc_differ


@pytest.mark.skipif(not os.environ.get("CLEANER_BENCH_DIFF") or not BENCH.is_dir(), reason="CLEANER_BENCH_DIFF=1")
@pytest.mark.parametrize("name", sorted(p.parent.name for p in BENCH.glob("*/text")) if BENCH.is_dir() else [])
def test_every_bench_line_gets_the_same_decision(name):
    tally = run([BENCH / name / "text"], favors=("balanced",))
    assert tally.lines > 1000
    assert [] == tally.examples
    assert 0 == tally.differ
    assert tally.rule_marks > 100
    assert [] == tally.rule_examples
    assert 0 == tally.rule_differ
    assert tally.docs > 10
    assert [] == tally.doc_examples
    assert 0 == tally.doc_differ


HARD = [
    ("Über uns · Impressum · Datenschutz", 0),
    ("STRASSE der Straße: ΣΊΣΥΦΟΣ ſtop ǅemal İstanbul ﬁnal", 0),
    ("\u0661\u0662.\u0663 ٣ ⅷ ²³ 12.03.2024 © 2024 All rights reserved", 1),
    ("مرحبا بكم في الموقع، هذه جملة طويلة بما فيه الكفاية لتكون نصا رئيسيا في الصفحة.", 1),
    ("e\u0301\u0301\u0301 combining marks \u200d\u200c and NUL \x00 and \x1c separators\x1d here", 2),
    ("The cat sat on the mat and it was happy with the day and all of the night.", 2),
    ("• one | two | three", 3),
    ("x" * 100_000, 4),
] * 3


@pytest.mark.parametrize("favor", ["balanced", "precision", "recall"])
def test_hard_unicode_gets_the_same_decisions(favor):
    assert body.classify_lines(HARD, favor, reference=True) == body.classify_lines(HARD, favor)


def test_a_lone_surrogate_falls_back_to_the_reference():
    lines = [("The cat sat on the mat \udc80 and it was happy with the day and night.", 0), ("Home", 1)]
    assert body.classify_lines(lines, reference=True) == body.classify_lines(lines)


def test_an_empty_line_rejects_the_document_with_a_reason():
    model = body.core_model("junk")
    with pytest.raises(DocumentError) as err:
        compiled.classify_document(model, [("Home", 0), ("", 0)], ["home", ""], None, 0.0, 0.5)
    assert "core_failed" == err.value.reason
    assert "line 1 is empty" in err.value.detail


def test_arrays_of_the_wrong_length_are_an_error_not_a_crash():
    model = body.core_model("junk")
    with pytest.raises(compiled.CoreError, match="one block, key and bias per line"):
        model.classify(["Home", "News"], [0], [0, 1], None, 0.0, 0.5)


def _seed_lines():
    from cleaner.lines.cjk import feature_text

    for path in sorted((ROOT / "fixtures" / "seeds").glob("*.txt")):
        block, lines = 0, []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                block += 1
            else:
                lines.append((feature_text(line.strip()), block))
        yield path.name, lines
    yield "hard", [(feature_text(t), b) for t, b in HARD]


@pytest.mark.parametrize("name,lines", list(_seed_lines()))
def test_the_scores_are_the_same_floats(name, lines):
    model = body.core_model("junk")
    assert body.score_lines(lines) == model.scores([t for t, _ in lines], [b for _, b in lines])


def test_a_settled_answer_is_given_again_without_asking_the_core():
    model = body.core_model("junk")
    calls = []

    class Counting:  # the core's model, counting its calls
        def classify(self, *args):
            calls.append(args)
            return model.classify(*args)

    from cleaner.heuristics.registry import ARTICLE

    page = "Home\nNews\nSport\nWeather\nContact us\n" + ARTICLE + "Privacy policy\nTerms of use\n"
    texts = [(line, i) for i, line in enumerate(page.split("\n")) if line]
    keys = [t.lower() for t, _ in texts]
    memo: dict = {}
    core = Counting()
    keep = compiled.classify_document(core, texts, keys, None, 0.1, 0.5, memo)
    assert 1 == len(calls) and not all(keep) and any(keep)
    kept = [i for i, k in enumerate(keep) if k]
    again = compiled.classify_document(core, [texts[i] for i in kept], [keys[i] for i in kept], None, 0.1, 0.5, memo)
    assert 1 == len(calls)  # answered from the memo
    assert [True] * len(kept) == again
    # what the core itself answers for them
    assert again == model.classify([texts[i][0] for i in kept], [texts[i][1] for i in kept],
                                   list(range(len(kept))), None, 0.1, 0.5)[0]
    # another bias is another question
    compiled.classify_document(core, [texts[i] for i in kept], [keys[i] for i in kept], None, 0.2, 0.5, memo)
    assert 2 == len(calls)


# pieces of adversarial lines: prose, menus, footers, case folds, combining marks, RTL, NUL,
# separators str.split() alone splits on, digits of other scripts, a lone surrogate
_PIECES = ["The cat sat on the mat and it was happy.", "Home", " | ", "News", "© 2024", "Sign up",
           "\u212a", "ſ", "İ", "ß", "\u0301", "\u202e", "مرحبا بكم", "\x00", "\x1c", "\u3000", "٣",
           "²", "...", "…", ":", "  ", "\udc80", "和平", "x" * 300]
_LINES = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_LINES, st.integers(0, 3)), min_size=1, max_size=25),
       st.sampled_from(["balanced", "precision", "recall"]))
def test_random_adversarial_lines_get_the_reference_decisions(rows, favor):
    texts = [(t.strip(), b) for t, b in rows if t.strip()]
    memo: dict = {}
    core = body.classify_lines(texts, favor, memo=memo)
    assert body.classify_lines(texts, favor, reference=True) == core
    kept = [tb for tb, k in zip(texts, core) if k]  # a second pass, answered from the memo or not
    assert body.classify_lines(kept, favor, reference=True) == body.classify_lines(kept, favor, memo=memo)
