"""Find the main body of plain scraped text from its lines alone (heuristic ``HEU010``).

In the spirit of jusText's context-sensitive classification, on lines:

1. Each line gets a score (log-odds of being main text) from a small logistic model over
   generic features (:mod:`cleaner.lines.features`): length, sentence shape, stop-word
   density, menu and footer cues, position, repetition, and the same cues summed over
   its neighbours and its blank-line block. Weights live in ``lines/weights.json``
   (fitted by ``cleaner/lines/train.py``). A weights file may hold ``trees`` instead of
   line weights: the first stage is then a small ensemble of boosted regression trees over
   the same row (:mod:`cleaner.lines.trees`); the second stage and the smoothing are the same.
2. The keep/drop decision is smoothed over neighbouring lines: the best labelling of
   the whole document where each switch between body and boilerplate costs a penalty
   (a two-state Viterbi). Short subheadings and bullets between prose stay; a lone
   prose-looking line inside a menu goes.
3. ``favor`` moves the decision threshold: ``precision`` removes more, ``recall`` keeps more.

Two fitted models share the features (:data:`MODELS`). ``junk`` (``lines/weights.json``)
is fitted on line labels of every page type and of three regimes (whole dumps, dumps cut
around their content, clean gold text: ``cleaner/lines/train.py``), content against what a
scraper adds (navigation, calls to action, legal text, bylines...), and its stored offset
makes it keep a line unless it is clearly junk. ``article`` (``lines/weights-article.json``)
is the model fitted to article bodies. On plain text (:data:`TEXT_PRESETS`) ``balanced``, the
default, and ``recall`` use the junk model, ``precision`` the article model at the operating
point the default had before the junk model (the article-only output). The HTML block
grower names the article model itself and takes the bias of :data:`PRESETS`.

If no run of lines clears the bar (a page with one short paragraph) the best-scoring run
is kept anyway: dropping a whole document is not the classifier's call.
"""

from __future__ import annotations

import json
from functools import lru_cache
from itertools import accumulate
from operator import mul
from pathlib import Path
from typing import Callable

from ..document import Document
from ..settings import Favor
from .compiled import classify_document, line_model
from .cues import CUES, cue_rows, cue_scores
from .features import CONTEXT, FEATURES, context_scores, line_features, line_scores, own_features
from .normalize import line_key
from .trees import Forest, forest_scores, read_forest
from .views import LineView

RULE_ID, RULE_NAME = "HEU010", "boilerplate-lines"
WEIGHTS_FILE = Path(__file__).with_name("weights.json")
ARTICLE_WEIGHTS_FILE = Path(__file__).with_name("weights-article.json")
MODELS = {"junk": str(WEIGHTS_FILE), "article": str(ARTICLE_WEIGHTS_FILE)}
_MAX_ROUNDS = 6  # classification rounds at most (each drops lines or ends it; 2.1 on average on the bench)

_SWITCH = 0.5  # log-odds one change body <-> boilerplate costs in the smoothing
# favor -> (bias added to every line's log-odds, cost of one switch body <-> boilerplate)
PRESETS = {
    Favor.PRECISION: (-0.75, _SWITCH),
    Favor.BALANCED: (0.0, _SWITCH),
    Favor.RECALL: (0.6, _SWITCH),
}
# Plain text, no model named: favor -> (model, bias added to its log-odds). ``balanced`` keeps
# a line unless it is clearly junk; ``recall`` keeps even more; ``precision`` is the article
# model at bias 0 (the article-only output of the default before the junk model).
TEXT_PRESETS = {
    Favor.PRECISION: ("article", 0.0),
    Favor.BALANCED: ("junk", 0.6),
    Favor.RECALL: ("junk", 1.2),
}
MODEL_OF_FAVOR = {favor: model for favor, (model, _) in TEXT_PRESETS.items()}
# ``balanced`` on a plain-text document in which no rule found anything a scraper adds: this is
# added to its bias, which makes it ``recall``'s (such text is mostly trimmed already, and there
# an unsure line stays; cleaner.heuristics.lines.mark_boilerplate_lines and the core)
QUIET_SHIFT = TEXT_PRESETS[Favor.RECALL][1] - TEXT_PRESETS[Favor.BALANCED][1]


Weights = tuple[tuple[float, ...], tuple[float, ...]]


@lru_cache(maxsize=4)
def load_weights(path: str = str(WEIGHTS_FILE)) -> Weights:
    """Line and context weights, in :data:`FEATURES` / :data:`CONTEXT` order (missing: 0)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    line = tuple(float((data.get("weights") or {}).get(name, 0.0)) for name in FEATURES)
    context = data.get("context") or {"score": 4.0}  # no context model: the line score as is
    return line, tuple(float(context.get(name, 0.0)) for name in CONTEXT)


@lru_cache(maxsize=4)
def load_cue_weights(path: str = str(WEIGHTS_FILE)) -> tuple[float, ...]:
    """Weights of the extra line cues (:data:`cleaner.lines.cues.CUES` order; missing: 0)."""
    cues = json.loads(Path(path).read_text(encoding="utf-8")).get("cues") or {}
    return tuple(float(cues.get(name, 0.0)) for name in CUES)


@lru_cache(maxsize=4)
def load_forest(path: str = str(WEIGHTS_FILE)) -> Forest | None:
    """The first stage's trees (:mod:`cleaner.lines.trees`), when the model has them instead of
    line weights (``None``: a logistic first stage)."""
    trees = json.loads(Path(path).read_text(encoding="utf-8")).get("trees")
    return None if trees is None else read_forest(trees, FEATURES + CUES)


def model_cues(model: str, skip_cues: tuple[str, ...] = ()) -> tuple[float, ...]:
    """The cue weights of ``model`` with the ``skip_cues`` zeroed (a tree model's cue weights are 1:
    they scale its cue columns, and a skipped cue reads 0)."""
    return tuple(0.0 if name in skip_cues else w for name, w in zip(CUES, load_cue_weights(MODELS[model])))


def core_model(model: str, skip_cues: tuple[str, ...] = ()):
    """The compiled core's classifier for ``model`` (``None`` without the core)."""
    line_w, context_w = load_weights(MODELS[model])
    return line_model(line_w, context_w, model_cues(model, skip_cues), load_forest(MODELS[model]))


@lru_cache(maxsize=4)
def load_offset(path: str = str(WEIGHTS_FILE)) -> float:
    """The fitted model's decision offset (added to every preset's bias; missing: 0)."""
    return float(json.loads(Path(path).read_text(encoding="utf-8")).get("offset", 0.0))


def visible_texts(doc: Document, views: list[LineView]) -> list[str]:
    """The text of each view as it will be output: inline spans marked for removal cut out."""
    spans = sorted((m.start, m.end) for m in doc.marks if not m.whole_line)
    if not spans:
        return [v.text for v in views]
    out = []
    for v in views:
        start, end = v.line.start, v.line.end
        cut = [(max(a, start), min(b, end)) for a, b in spans if a < end and b > start]
        if not cut:
            out.append(v.text)
            continue
        pieces, pos = [], start
        for a, b in cut:
            pieces.append(doc.text[pos:a])
            pos = max(pos, b)
        pieces.append(doc.text[pos:end])
        out.append("".join(pieces).strip() or v.text)
    return out


def block_ids(doc: Document, views: list[LineView]) -> list[int]:
    """For each view (in document order), the number of its blank-line-separated block in ``doc``."""
    before = list(accumulate([not ln.text or ln.text.isspace() for ln in doc.lines], initial=0))
    return [before[v.index] for v in views]  # the blank lines above a line: its block


def first_scores(texts: list[tuple[str, int]], weights: tuple[float, ...], own: list | None = None,
                 skip_cues: tuple[str, ...] = (), model: str = "junk", forest: Forest | None = None) -> list[float]:
    """First-stage log-odds of each (text, block id) line from its own and nearby features
    (leaving out the position cues of :mod:`cleaner.lines.cues` named in ``skip_cues``;
    the cue weights of ``model``): the trees of ``forest`` when given, else the line ``weights``."""
    if own is None:
        own = own_features([text for text, _ in texts])
    cue_w = model_cues(model, skip_cues)
    if forest is not None:
        return forest_scores(forest, tree_rows(texts, cue_w, own))
    scores = line_scores(texts, weights, own)
    if not any(cue_w):
        return scores
    return [s + c for s, c in zip(scores, cue_scores(texts, cue_w, own))]


def tree_rows(texts: list[tuple[str, int]], cue_w: tuple[float, ...], own: list | None = None) -> list[tuple[float, ...]]:
    """The rows a tree first stage reads: :func:`line_features` and each cue times its weight."""
    return [(*row, *map(mul, cue_w, cues)) for row, cues in zip(line_features(texts), cue_rows(texts, own))]


def score_lines(texts: list[tuple[str, int]], weights: Weights | None = None, own: list | None = None,
                skip_cues: tuple[str, ...] = (), model: str = "junk") -> list[float]:
    """Log-odds that each (text, block id) line is content (``model`` ``junk``) or main
    body text (``article``), judged in its page.

    ``own``: :func:`cleaner.lines.features.own_features` of the texts, when already known.
    ``skip_cues``: position cues to leave out (:func:`first_scores`).
    """
    line_w, context_w = weights or load_weights(MODELS[model])
    forest = load_forest(MODELS[model]) if weights is None else None
    return context_scores(first_scores(texts, line_w, own, skip_cues, model, forest), context_w)


def smooth_decisions(scores: list[float], bias: float, switch: float) -> list[bool]:
    """The keep/drop labelling maximising kept log-odds minus ``switch`` per change of state."""
    if not scores:
        return []
    # best total ending in drop (0) / keep (1), with back-pointers
    drop, keep = 0.0, scores[0] + bias
    back: list[tuple[int, int]] = [(0, 1)]
    for s in scores[1:]:
        from_drop_to_keep, from_keep_to_keep = drop - switch, keep
        from_keep_to_drop, from_drop_to_drop = keep - switch, drop
        nd, bd = (from_drop_to_drop, 0) if from_drop_to_drop >= from_keep_to_drop else (from_keep_to_drop, 1)
        nk, bk = (from_keep_to_keep, 1) if from_keep_to_keep >= from_drop_to_keep else (from_drop_to_keep, 0)
        drop, keep = nd, nk + s + bias
        back.append((bd, bk))
    state = 1 if keep > drop else 0
    out = [False] * len(scores)
    for i in range(len(scores) - 1, -1, -1):
        out[i] = state == 1
        state = back[i][state]
    return out


def classify_lines(texts: list[tuple[str, int]], favor: Favor = Favor.BALANCED,
                   weights: Weights | None = None, shift: float = 0.0, memo: dict | None = None,
                   keys: list[str] | None = None,
                   line_bias: Callable[[str], float] | None = None,
                   skip_cues: tuple[str, ...] = (), model: str | None = None,
                   reference: bool = False) -> list[bool]:
    """Keep (True) or drop (False) for each (text, block id) line, after smoothing.

    ``model``: ``junk`` or ``article`` (:data:`MODELS`); by default the one of ``favor``
    (:data:`MODEL_OF_FAVOR`).

    The kept lines are classified again until none drops, so that cleaning the output a
    second time changes nothing (the classifier judges lines against their page). A line
    that becomes the repeat of the line kept just before it goes too. ``shift`` is added to
    the preset's bias (positive keeps more). ``keys``: the :func:`line_key` of each text, when
    known. ``line_bias`` (optional): a bias added to each line's score, by its text (the
    share of the site's pages holding it, :mod:`cleaner.rules.counts`). ``skip_cues``: position cues
    (:data:`cleaner.lines.cues.CUES`) to leave out. ``memo`` (optional, one per document) keeps
    each round's decisions by its exact input: a later cleaning pass of the same document
    usually hands the classifier the lines its last round kept, and gets the answer back.
    The compiled core decides in one call when it is built (``memo`` then keeps its settled
    answers: :func:`cleaner.lines.compiled.classify_document`);
    ``reference=True`` runs the Python implementation it is held to.
    """
    bias, switch = TEXT_PRESETS[favor][1] if model is None else PRESETS[favor][0], PRESETS[favor][1]
    model = model or MODEL_OF_FAVOR[favor]
    bias += shift + (load_offset(MODELS[model]) if weights is None else 0.0)
    if keys is None:
        keys = [line_key(t) for t, _ in texts]
    extra = [line_bias(t) for t, _ in texts] if line_bias is not None else None  # by the real text
    # Chinese and Japanese cut into words (an ASCII line has none: no call, the same pair);
    # imported here: its Unicode-class patterns cost every start-up ~10 ms, and plain text is
    # classified in the compiled core
    from .cjk import feature_text

    texts = [tb if tb[0].isascii() else (feature_text(tb[0]), tb[1]) for tb in texts]
    if texts and not reference:
        if weights is None:
            compiled = core_model(model, skip_cues)
        else:
            compiled = line_model(*weights, model_cues(model, skip_cues), None)
        if compiled is not None:
            keep = classify_document(compiled, texts, keys, extra, bias, switch, memo)
            if keep is not None:
                return keep
    return _classify_reference(texts, (bias, switch), weights, memo, keys, extra, skip_cues, model)


def _classify_reference(texts: list[tuple[str, int]], preset: tuple[float, float], weights: Weights | None,
                        memo: dict | None, keys: list[str], extra: list[float] | None,
                        skip_cues: tuple[str, ...], model: str) -> list[bool]:
    """:func:`classify_lines` in Python on feature texts: the reference the core is held to."""
    alive = list(range(len(texts)))
    own: list | None = None  # each line's own features, looked up once for every round
    for _ in range(_MAX_ROUNDS):
        alive = [i for n, i in enumerate(alive) if n == 0 or keys[i] != keys[alive[n - 1]]]
        subset = [texts[i] for i in alive]
        table, key = _memo_slot(memo, subset, preset, weights,
                                tuple([extra[i] for i in alive]) if extra else None, skip_cues, model)
        keep = table.get(key) if table is not None else None
        if keep is None:
            if own is None:
                own = own_features([t for t, _ in texts])
            keep = _decide(subset, preset, weights, [own[i] for i in alive],
                           [extra[i] for i in alive] if extra else None, skip_cues, model)
            if table is not None:
                table[key] = keep
        if all(keep):
            break
        alive = [i for i, k in zip(alive, keep) if k]
    out = [False] * len(texts)
    for i in alive:
        out[i] = True
    return out


_DECISIONS = object()  # the key of the decisions' table in a document's memo


def _memo_slot(memo: dict | None, texts: list[tuple[str, int]], preset: tuple[float, float],
               weights: Weights | None, extra: tuple | None, skip_cues: tuple[str, ...] = (),
               model: str = "junk") -> tuple[dict | None, tuple | None]:
    """The decisions' table in ``memo`` and the key of one round's exact input (block ids by pattern)."""
    if memo is None:
        return None, None
    table = memo.get(_DECISIONS)
    if table is None:
        table = memo[_DECISIONS] = {}
    ids: dict[int, int] = {}
    return table, (preset, model, extra, skip_cues, weights, tuple([t for t, _ in texts]),
                   tuple([ids.setdefault(b, len(ids)) for _, b in texts]))


def _decide(texts: list[tuple[str, int]], preset: tuple[float, float], weights: Weights | None,
            own: list | None = None, extra: list[float] | None = None,
            skip_cues: tuple[str, ...] = (), model: str = "junk") -> list[bool]:
    bias, switch = preset  # the bias with the shift and the model's offset in it
    scores = score_lines(texts, weights, own, skip_cues, model)
    if extra:
        scores = [s + e for s, e in zip(scores, extra)]
    keep = smooth_decisions(scores, bias, switch)
    if not any(keep) and scores:
        # no run clears the bar (a short page): keep the best-scoring run instead
        keep = smooth_decisions(scores, _FALLBACK_LIFT - max(scores), _SWITCH)
    return extend_head(texts, scores, keep)


# A page where no run clears the bar keeps its best run: the best line is lifted this far over it
_FALLBACK_LIFT = 1.5
# Near-miss lines right above the body that are kept (a headline, a standfirst): how many at
# most, the lowest log-odds, the fewest words (a shorter line above the body is a label)
_HEAD_REACH, _HEAD_FLOOR, _HEAD_MIN_WORDS = 2, -1.5, 4


def extend_head(texts: list[tuple[str, int]], scores: list[float], keep: list[bool],
                reach: int = _HEAD_REACH, floor: float = _HEAD_FLOOR) -> list[bool]:
    """Keep up to ``reach`` near-miss lines right above the body (headline, standfirst)."""
    if True not in keep:
        return keep
    top = keep.index(True)
    for i in range(top - 1, max(-1, top - 1 - reach), -1):
        if scores[i] < floor or len(texts[i][0].split()) < _HEAD_MIN_WORDS:
            break
        keep[i] = True
    return keep
