"""A tree first stage for HEU010 (cleaner/lines/trees.py): the exported trees decide as
scikit-learn does, the core adds them up as the Python reference does, ``explain`` splits a
score among the features along each tree's path."""

from __future__ import annotations

import json
import math
import random

import pytest

from cleaner.lines import body, compiled
from cleaner.lines.cues import CUES
from cleaner.lines.explain import explain_lines
from cleaner.lines.features import FEATURES, context_scores
from cleaner.lines.trees import Forest, attribute_forest, forest_arrays, forest_scores, read_forest

COLUMNS = FEATURES + CUES
PROSE = "The committee met on Tuesday and agreed that the new bridge would open in the spring."
LINES = [("Home", 0), ("News | Sport | Weather", 0), ("Sign in", 0), (PROSE, 1),
         ("It will cost less than planned, officials said on Monday evening.", 1), ("Weak diplomacy", 2),
         ("Die Brücke wird im Frühjahr eröffnet, sagte der Bürgermeister am Dienstag.", 3),
         ("Share on Facebook", 4), ("© 2024 All rights reserved", 5), ("Related", 6), ("More stories", 7)]


def random_forest(seed: int, rows: list[tuple[float, ...]], trees: int = 12, depth: int = 4) -> Forest:
    """Trees splitting on random columns at values the rows take (so equality at a threshold occurs)."""
    rng = random.Random(seed)
    arrays: dict[str, list] = {k: [] for k in ("feature", "threshold", "missing_left", "left", "right", "value", "roots")}

    def grow(level: int) -> int:
        me = len(arrays["feature"])
        for k, v in (("feature", -1), ("threshold", 0.0), ("missing_left", False), ("left", 0), ("right", 0),
                     ("value", rng.uniform(-1, 1))):
            arrays[k].append(v)
        if level < depth and rng.random() < 0.8:
            col = rng.randrange(1, len(COLUMNS))
            arrays["feature"][me] = col
            arrays["threshold"][me] = rng.choice(rows)[col]
            arrays["missing_left"][me] = rng.random() < 0.5
            arrays["left"][me] = grow(level + 1)
            arrays["right"][me] = grow(level + 1)
        return me

    for _ in range(trees):
        arrays["roots"].append(grow(0))
    return read_forest({"columns": list(COLUMNS), "base": rng.uniform(-1, 1), **arrays}, COLUMNS)


def test_a_row_at_a_threshold_goes_left_and_a_nan_goes_where_the_split_says():
    # one split on column 1 at 0.5: left leaf -1, right leaf +1; NaN left in the first tree, right in the second
    f = Forest(0.25, (1, -1, -1, 1, -1, -1), (0.5, 0.0, 0.0, 0.5, 0.0, 0.0), (True, False, False, False, False, False),
               (1, 0, 0, 4, 0, 0), (2, 0, 0, 5, 0, 0), (0.0, -1.0, 1.0, 0.0, -0.5, 0.5), (0, 3))
    assert [0.25 - 1.0 - 0.5, 0.25 + 1.0 + 0.5, 0.25 - 1.0 + 0.5] == forest_scores(
        f, [(1.0, 0.5), (1.0, 0.5000001), (1.0, math.nan)])


def test_trees_of_other_columns_or_broken_arrays_are_refused():
    good = {"columns": list(COLUMNS), "base": 0.0, "feature": [1, -1, -1], "threshold": [0.5, 0, 0],
            "missing_left": [0, 0, 0], "left": [1, 0, 0], "right": [2, 0, 0], "value": [0, -1, 1], "roots": [0]}
    assert 3 == len(read_forest(good, COLUMNS).feature)
    with pytest.raises(ValueError, match="other feature columns"):
        read_forest({**good, "columns": list(COLUMNS)[:-1]}, COLUMNS)
    with pytest.raises(ValueError, match="points outside"):
        read_forest({**good, "right": [0, 0, 0]}, COLUMNS)  # a child before its parent: a loop
    with pytest.raises(ValueError, match="do not fit"):
        read_forest({**good, "value": [0, 1]}, COLUMNS)


def test_exported_trees_decide_as_scikit_learn_on_the_same_floats():
    np = pytest.importorskip("numpy")
    pytest.importorskip("sklearn")
    from cleaner.lines.train import export_trees, fit_trees

    rng = np.random.default_rng(0)
    n = 4000
    x = np.column_stack([np.ones(n)] + [rng.normal(size=n) for _ in range(10)]
                        + [rng.integers(0, 4, size=n) / 4.0 for _ in range(len(COLUMNS) - 11)])
    y = ((x[:, 1] + x[:, 2] * x[:, 12] + rng.normal(scale=0.5, size=n)) > 0.2).astype(float)
    model = fit_trees(x, y, np.ones(n), trees=20, leaves=7, min_leaf=20, rate=0.3, l2=1.0)
    forest = read_forest(json.loads(json.dumps(export_trees(model, list(COLUMNS)))), COLUMNS)
    probe = np.vstack([x[:500], np.column_stack([np.ones(3)] + [np.full(3, math.nan)] * (len(COLUMNS) - 1))])
    # the training values themselves sit on either side of every threshold; NaN goes where sklearn sends it
    assert list(model.decision_function(probe)) == forest_scores(forest, probe.tolist())


@pytest.mark.skipif(compiled.LineModel is None, reason="the compiled core is not built")
@pytest.mark.parametrize("seed", range(5))
def test_the_core_adds_the_trees_up_as_the_reference_does(seed):
    cue_w = (1.0, 1.0) if seed % 2 else (1.0, 0.0)  # a skipped cue reads 0
    rows = body.tree_rows(LINES, cue_w)
    forest = random_forest(seed, rows)
    line_w, context_w = body.load_weights()
    expected = context_scores(forest_scores(forest, rows), context_w)
    core = compiled.LineModel(list(line_w), list(context_w), list(cue_w), set(compiled.STOPWORDS), forest_arrays(forest))
    assert expected == core.scores([t for t, _ in LINES], [b for _, b in LINES])
    for sub in (LINES[:1], LINES[3:5], LINES[::2]):
        sub_rows = body.tree_rows(sub, cue_w)
        assert context_scores(forest_scores(forest, sub_rows), context_w) == core.scores(
            [t for t, _ in sub], [b for _, b in sub])


@pytest.mark.skipif(compiled.LineModel is None, reason="the compiled core is not built")
def test_the_core_refuses_trees_that_do_not_fit_together():
    line_w, context_w = body.load_weights()
    bad = (0.0, [1, -1], [0.5, 0.0], [False, False], [1, 0], [7, 0], [0.0, 1.0], [0])
    with pytest.raises(compiled.CoreError, match="points outside"):
        compiled.LineModel(list(line_w), list(context_w), [1.0, 1.0], set(compiled.STOPWORDS), bad)


def test_a_forest_splits_its_score_among_the_features_on_each_path():
    rows = body.tree_rows(LINES, (1.0, 1.0))
    forest = random_forest(7, rows)
    start = forest.base + sum(forest.value[r] for r in forest.roots)
    for row, score in zip(rows, forest_scores(forest, rows)):
        parts = attribute_forest(forest, row, len(COLUMNS))
        assert score == pytest.approx(start + sum(parts), abs=1e-9)
        assert 0.0 == parts[0]  # the constant column is never split on


def test_explain_shows_the_path_attribution_of_a_tree_model(tmp_path, monkeypatch):
    rows = body.tree_rows(LINES, (1.0, 1.0))
    forest = random_forest(3, rows)
    weights = json.loads(body.WEIGHTS_FILE.read_text(encoding="utf-8"))
    weights.pop("weights", None)
    weights["cues"] = dict.fromkeys(CUES, 1.0)
    weights["trees"] = {"columns": list(COLUMNS), "base": forest.base, "feature": list(forest.feature),
                        "threshold": list(forest.threshold), "missing_left": list(forest.missing_left),
                        "left": list(forest.left), "right": list(forest.right), "value": list(forest.value),
                        "roots": list(forest.roots)}
    path = tmp_path / "weights.json"
    path.write_text(json.dumps(weights), encoding="utf-8")
    monkeypatch.setitem(body.MODELS, "junk", str(path))
    names = FEATURES + tuple("cue." + c for c in CUES)
    shown = explain_lines(LINES, model="junk", top=3)
    assert len(LINES) == len(shown)
    for row, line in zip(rows, shown):
        parts = dict(zip(names, attribute_forest(forest, row, len(names))))
        expected = sorted([(n, v) for n, v in parts.items() if v], key=lambda t: t[1])[:3]
        assert expected == line.top
        assert all(value < 0 for _, value in line.top[:1]) or not any(v < 0 for v in parts.values())
    # and the line's score is the tree model's, the same from the core and the reference
    assert [s.score for s in shown] == body.score_lines([(t, b) for t, b in LINES], model="junk")
    assert body.classify_lines(LINES, reference=True) == body.classify_lines(LINES)
