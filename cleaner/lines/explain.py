"""Why HEU010 scored a line as it did: its score and the features that weighed most.

For ``cleaner explain``: each line's second-stage log-odds (:func:`cleaner.lines.body.score_lines`,
the Python reference the compiled core is held to) and the first-stage terms that pulled it
down most: ``weight * feature`` (:data:`cleaner.lines.features.FEATURES` and the position cues)
for a logistic first stage; for a tree first stage, what each feature's splits moved the score
along the line's path through the trees (:func:`cleaner.lines.trees.attribute_forest`). The scores are those of the first round of :func:`classify_lines` on the
lines given; later rounds judge the kept lines again.

>>> rows = explain_lines([("Home", 0), ("Login", 0), ("The cat sat on the mat and it was happy with all of the day.", 1)])
>>> [len(r.top) for r in rows]
[3, 3, 3]
"""

from __future__ import annotations

from dataclasses import dataclass

from .body import MODELS, load_cue_weights, load_forest, load_weights, model_cues, score_lines, tree_rows
from .cjk import feature_text
from .cues import CUES, cue_rows
from .features import FEATURES, line_features
from .trees import attribute_forest


@dataclass(slots=True)
class LineScore:
    """One line's log-odds of being kept and its strongest first-stage terms (name, weight * value)."""

    score: float
    top: list[tuple[str, float]]

    def describe(self) -> str:
        """``score -2.31: footer -1.52, short_run -0.66, ...``."""
        return f"score {self.score:+.2f}: " + ", ".join(f"{name} {value:+.2f}" for name, value in self.top)


def explain_lines(texts: list[tuple[str, int]], model: str = "junk", top: int = 3) -> list[LineScore]:
    """A :class:`LineScore` for each (text, block id) line, judged in its page by ``model``."""
    if not texts:
        return []
    seen = [tb if tb[0].isascii() else (feature_text(tb[0]), tb[1]) for tb in texts]
    scores = score_lines(seen, model=model)
    forest = load_forest(MODELS[model])
    if forest is not None:
        names = FEATURES + tuple("cue." + c for c in CUES)
        rows = tree_rows(seen, model_cues(model))
        return [LineScore(score, _strongest(zip(names, attribute_forest(forest, row, len(names))), top))
                for score, row in zip(scores, rows)]
    line_w, _ = load_weights(MODELS[model])
    cue_w = load_cue_weights(MODELS[model])
    names = FEATURES[1:] + tuple("cue." + c for c in CUES)
    out = []
    for score, row, cues in zip(scores, line_features(seen), cue_rows(seen)):
        terms = [(n, w * x) for n, w, x in zip(names, line_w[1:] + cue_w, row[1:] + list(cues))]
        out.append(LineScore(score, _strongest(terms, top)))
    return out


def _strongest(terms, top: int) -> list[tuple[str, float]]:
    """The ``top`` non-zero terms, most negative (towards junk) first."""
    return sorted([t for t in terms if t[1]], key=lambda t: t[1])[:top]
