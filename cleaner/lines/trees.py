"""A small ensemble of regression trees over a line's feature row: HEU010's first stage.

The ``trees`` of a weights file (``lines/weights.json``, written by ``cleaner/lines/train.py``
from scikit-learn's ``HistGradientBoostingClassifier``) as flat arrays, one entry per node
(trees one after the other, each starting at its ``roots`` entry):

- ``feature``: the column of the row split on (the row is ``1.0``, :data:`FEATURES` ``[1:]``
  and the :data:`cleaner.lines.cues.CUES`, each cue scaled by its cue weight), ``-1`` at a leaf;
- ``threshold``: go left when ``value <= threshold``; a NaN goes left when ``missing_left``;
- ``left`` / ``right``: the children (node numbers in the arrays);
- ``value``: the tree's output at a leaf, and at a split node the value the tree would give
  there (what :func:`attribute_forest` reads).

A line's log-odds is ``base`` plus each tree's leaf, added in the order of the trees (as
scikit-learn's ``decision_function`` adds them, so the sums agree to the last bit; the core,
``core/src/body.rs``, adds them in the same order).

>>> f = Forest(0.5, (0, -1, -1), (0.25, 0.0, 0.0), (False, False, False), (1, 0, 0), (2, 0, 0), (0.0, -1.0, 2.0), (0,))
>>> forest_scores(f, [(0.1,), (0.25,), (0.3,)])
[-0.5, -0.5, 2.5]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True, slots=True, eq=False)
class Forest:
    """The trees of a first stage, as flat arrays (see the module's docstring); hashed by identity,
    as a loaded model is (the compiled core keeps one per loaded forest)."""

    base: float
    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    missing_left: tuple[bool, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]
    roots: tuple[int, ...]


def read_forest(data: dict, columns: Sequence[str]) -> Forest:
    """The :class:`Forest` of a weights file's ``trees`` section, checked against the row's ``columns``.

    Raises ``ValueError`` when the file was fitted on other columns or its arrays do not fit together.
    """
    if list(data.get("columns", [])) != list(columns):
        raise ValueError("the trees were fitted on other feature columns: refit them (cleaner/lines/train.py)")
    forest = Forest(float(data["base"]), tuple(int(i) for i in data["feature"]),
                    tuple(float(t) for t in data["threshold"]), tuple(bool(m) for m in data["missing_left"]),
                    tuple(int(i) for i in data["left"]), tuple(int(i) for i in data["right"]),
                    tuple(float(v) for v in data["value"]), tuple(int(i) for i in data["roots"]))
    n = len(forest.feature)
    arrays = (forest.threshold, forest.missing_left, forest.left, forest.right, forest.value)
    if any(len(a) != n for a in arrays) or any(not 0 <= r < n for r in forest.roots):
        raise ValueError("the trees' arrays do not fit together")
    for i, f in enumerate(forest.feature):
        if f >= len(columns) or (f >= 0 and not (i < forest.left[i] < n and i < forest.right[i] < n)):
            raise ValueError(f"tree node {i} points outside the trees or the row")
    return forest


def leaf_of(forest: Forest, root: int, row: Sequence[float]) -> int:
    """The leaf one ``row`` reaches from ``root``."""
    feature, threshold, left, right = forest.feature, forest.threshold, forest.left, forest.right
    node = root
    while feature[node] >= 0:
        x = row[feature[node]]
        if x <= threshold[node]:
            node = left[node]
        elif x != x:  # NaN
            node = left[node] if forest.missing_left[node] else right[node]
        else:
            node = right[node]
    return node


def forest_arrays(forest: Forest) -> tuple:
    """The forest as the compiled core takes it (``cleaner._core.LineModel``'s ``trees``)."""
    return (forest.base, list(forest.feature), list(forest.threshold), list(forest.missing_left),
            list(forest.left), list(forest.right), list(forest.value), list(forest.roots))


def forest_scores(forest: Forest, rows: Sequence[Sequence[float]]) -> list[float]:
    """The log-odds of each row: ``base`` plus the leaf of each tree, in the trees' order."""
    value = forest.value
    out = []
    for row in rows:
        total = forest.base
        for root in forest.roots:
            total += value[leaf_of(forest, root, row)]
        out.append(total)
    return out


def attribute_forest(forest: Forest, row: Sequence[float], width: int) -> list[float]:
    """How much each of the ``width`` columns moved ``row``'s log-odds from ``base``: along the
    path through each tree, the change of the tree's value at each split goes to the column split on
    (the sum over the columns plus ``base`` plus the roots' values is the score)."""
    out = [0.0] * width
    feature, threshold, value = forest.feature, forest.threshold, forest.value
    for root in forest.roots:
        node = root
        while feature[node] >= 0:
            x = row[feature[node]]
            go_left = x <= threshold[node] or (math.isnan(x) and forest.missing_left[node])
            child = forest.left[node] if go_left else forest.right[node]
            out[feature[node]] += value[child] - value[node]
            node = child
    return out
