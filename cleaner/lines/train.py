"""Fit the boilerplate-line classifier (``cleaner/lines/weights.json``) on public ground truth.

Not a test: a development script (needs numpy). The lines of the bench text dumps carry
the labels of :mod:`cleaner.eval.linelabels` (``keep``: content, ``drop``: what a scraper
added, ``either``: left out), on every page type (articles, forums, products, services,
documentation, listings, collections) and language the sets hold. Only the ``dev`` half of
the split by site is used unless ``--split`` says otherwise: the held-out sites stay
unseen. Features come from :mod:`cleaner.lines.features` after the rule packs and the
other heuristics have run, exactly as at cleaning time. Every page weighs the same, and
every page type the same in total (``--type-balance``), so that the many article pages
do not decide alone what content looks like; within a page each labelled line weighs
the same, as the line figures count them (or by its words to the power ``--token-weight``).

Each page is seen in three *regimes* (``--regimes``), so that the model learns what junk
looks like rather than what lies outside an article body: ``dump`` (the whole scraped page),
``crop`` (the dump cut to the lines from three above its first content line to three below
its last: text a scraper has already trimmed, with the junk inside and around the body) and
``gold`` (the gold main text alone, every line content: cleaning clean text must keep it).

    python -m cleaner.lines.train --fit ../shared/bench/wcxb-dev ../shared/bench/scrapinghub-aeb \\
        ../shared/bench/trafilatura-eval --write --offset 0.4 --token-weight 0.5

``--trees N`` fits the first stage as N boosted regression trees (scikit-learn, the ``train``
extra) instead of the logistic regression, exported to the weights file as plain arrays
(:mod:`cleaner.lines.trees`); ``--cache`` keeps the built rows for refits with other settings.

Report generalisation honestly: read the figures on the held-out split (``cleaner eval
--breakdown``), never fit on it.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from pathlib import Path

import numpy as np

from cleaner import Cleaner
from cleaner.document import Document
from cleaner.eval.linelabels import REGIMES, LabelledPage, load_labelled_set, page_regimes
from cleaner.heuristics import Context
from cleaner.lines.body import WEIGHTS_FILE, block_ids, visible_texts
from cleaner.lines.cjk import feature_text
from cleaner.lines.cues import CUES, cue_rows
from cleaner.lines.features import CONTEXT, FEATURES, context_features, line_features
from cleaner.lines.views import line_views
from cleaner.settings import Config
from cleaner.sources.decode import finish_text

def load_pages(sets: list[Path], split: str = "dev") -> list[LabelledPage]:
    """The labelled pages of the bench ``sets`` in ``split`` (``dev``, ``heldout`` or ``all``)."""
    return [p for s in sets for p in load_labelled_set(str(s)) if split in ("all", p.split)]


def free_lines(cleaner: Cleaner, raw: str) -> tuple[list[tuple[str, int]], list[int], list[str]]:
    """(text, block) of the lines left to HEU010 after the rules and other heuristics, with
    their 1-based line numbers and stripped texts in the document."""
    doc = Document(finish_text(raw).text, "text")
    views = line_views(doc)
    cleaner.ruleset.tag(doc, views)
    for h in cleaner.heuristics:
        if h.id != "HEU010" and doc.format in h.formats:  # as cleaning runs them
            h.run(doc, views, Context(favor=Config.favor, include_comments=False, memo=None))
    marked = doc.marked_lines()
    free = [v for v in views if v.index not in marked]
    return (list(zip(visible_texts(doc, free), block_ids(doc, free))),
            [v.line.number for v in free], [v.text for v in free])


_TARGET = {"keep": 1.0, "drop": 0.0}


def line_targets(labels: list[dict], numbers: list[int], texts: list[str]) -> list[float | None]:
    """1 (content), 0 (junk) or None (``either`` or unlabelled) for each free line, by the
    page's line ``labels``."""
    by_number = {x["line"]: x for x in labels}
    out = []
    for number, text in zip(numbers, texts):
        item = by_number.get(number)
        out.append(_TARGET.get(item["label"]) if item and item["text"].strip() == text else None)
    return out


def build(pages: list[LabelledPage], cleaner: Cleaner, type_balance: bool = True,
          regimes: dict[str, float] | None = None, token_weight: float = 0.0):
    """Per page and regime: feature matrix, labels and sample weights of its labelled free lines.

    ``regimes``: what each regime weighs (every page of a page type in a regime weighs the
    same); by default every regime of :data:`REGIMES` weighs 1."""
    regimes = regimes or dict.fromkeys(REGIMES, 1.0)
    types = Counter(p.page_type for p in pages)
    out = []
    for page in pages:
        with open(page.text_path, encoding="utf-8", errors="replace") as fh:
            raw = fh.read()
        for regime, text, labels in page_regimes(page, raw, tuple(regimes)):
            lines, numbers, texts = free_lines(cleaner, text)
            targets = line_targets(labels, numbers, texts)
            if not lines or all(t is None for t in targets):
                continue
            seen = [(feature_text(t), b) for t, b in lines]  # as body.classify_lines
            feats = np.hstack([np.array(line_features(seen)), np.array(cue_rows(seen)).reshape(len(seen), len(CUES))])
            y = np.array([t if t is not None else 0.0 for t in targets])
            w = np.array([0.0 if t is None else 1.0 for t in targets])
            if token_weight:
                w *= (np.array([len(t.split()) for t, _ in lines]) + 1.0) ** token_weight
            w *= regimes[regime] * (1.0 / types[page.page_type] if type_balance else 1.0) / w.sum()
            out.append((feats, y, w))
    return out


def save_built(path: Path, built) -> None:
    """Keep what :func:`build` made (an ``.npz``), so that refits with other settings skip it."""
    x, y, w = stack(built)
    np.savez(path, x=x, y=y, w=w, sizes=np.array([len(p[1]) for p in built]))


def load_built(path: Path):
    """What :func:`save_built` kept: per page and regime, (features, labels, weights)."""
    data = np.load(path)
    cuts = np.cumsum(data["sizes"])[:-1]
    return list(zip(np.split(data["x"], cuts), np.split(data["y"], cuts), np.split(data["w"], cuts)))


def stack(pages):
    """One matrix, label and weight vector over all pages."""
    return (np.vstack([p[0] for p in pages]), np.concatenate([p[1] for p in pages]),
            np.concatenate([p[2] for p in pages]))


def fit(x, y, w, l2: float = 1e-3, steps: int = 40):
    """Weighted L2 logistic regression by Newton's method."""
    beta = np.zeros(x.shape[1])
    w = w / w.sum()
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ beta))
        grad = x.T @ (w * (p - y)) + l2 * beta
        hess = (x * (w * p * (1 - p))[:, None]).T @ x + l2 * np.eye(len(beta))
        beta -= np.linalg.solve(hess, grad)
    return beta


def fit_trees(x, y, w, trees: int, leaves: int, min_leaf: int, rate: float, l2: float):
    """A gradient-boosted tree ensemble (scikit-learn's ``HistGradientBoostingClassifier``,
    the ``train`` extra) over the same rows, every weight as given, no early stopping."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_iter=trees, max_leaf_nodes=leaves, min_samples_leaf=min_leaf, learning_rate=rate,
        l2_regularization=l2, early_stopping=False, random_state=0,
    ).fit(x, y, sample_weight=w / w.mean())


def export_trees(model, columns: list[str]) -> dict:
    """The ``trees`` section of a weights file (:mod:`cleaner.lines.trees`) from a fitted
    ``HistGradientBoostingClassifier``: its nodes as plain arrays, thresholds and values as
    the floats its ``decision_function`` compares and adds."""
    if model.n_trees_per_iteration_ != 1:
        raise ValueError("a binary classifier has one tree per iteration")
    out: dict = {"columns": columns, "base": float(np.ravel(model._baseline_prediction)[0]),
                 "feature": [], "threshold": [], "missing_left": [], "left": [], "right": [], "value": [],
                 "roots": []}
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        if nodes["is_categorical"].any():
            raise ValueError("categorical splits are not exported")
        start = len(out["feature"])
        out["roots"].append(start)
        for node in nodes:
            leaf = bool(node["is_leaf"])
            threshold = float(node["num_threshold"])
            if not leaf and not math.isfinite(threshold):
                raise ValueError("a split on an infinite threshold (missing values in training?)")
            out["feature"].append(-1 if leaf else int(node["feature_idx"]))
            out["threshold"].append(0.0 if leaf else threshold)
            out["missing_left"].append(0 if leaf else int(node["missing_go_to_left"]))
            out["left"].append(0 if leaf else start + int(node["left"]))
            out["right"].append(0 if leaf else start + int(node["right"]))
            out["value"].append(float(node["value"]))
    return out


def dump_weights(data: dict) -> str:
    """A weights file's text: one key a line, each of the trees' arrays on one line."""
    trees = data.get("trees")
    if trees is None:
        return json.dumps(data, indent=1) + "\n"
    text = json.dumps({**data, "trees": "@"}, indent=1)
    inner = ",\n".join(f'  "{k}": {json.dumps(v, separators=(",", ":"))}' for k, v in trees.items())
    return text.replace('"@"', "{\n" + inner + "\n }") + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit", nargs="+", required=True, type=Path, help="bench sets to fit on")
    ap.add_argument("--write", action="store_true", help=f"write {WEIGHTS_FILE.name}")
    ap.add_argument("--out", type=Path, default=WEIGHTS_FILE, help="where --write writes")
    ap.add_argument("--l2", type=float, default=1e-3)
    ap.add_argument("--offset", type=float, default=0.0,
                    help="decision offset stored with the weights (added to every favor preset's bias)")
    ap.add_argument("--split", choices=("dev", "heldout", "all"), default="dev",
                    help="which half of the split by site to fit on (default: dev)")
    ap.add_argument("--no-type-balance", dest="type_balance", action="store_false",
                    help="every page weighs the same, whatever its type (default: every page type does)")
    ap.add_argument("--regimes", default="dump=1,crop=0.75,gold=0.75",
                    help="regime=weight, comma-separated: the regimes each page is seen in and what each "
                         "weighs (default: dump=1,crop=0.75,gold=0.75)")
    ap.add_argument("--token-weight", type=float, default=0.0,
                    help="weigh each line by (words + 1) to this power within its page (default: 0, lines alike)")
    ap.add_argument("--trees", type=int, default=0,
                    help="first stage: this many boosted trees (needs scikit-learn, the 'train' extra); "
                         "0: a logistic regression (default)")
    ap.add_argument("--leaves", type=int, default=15, help="leaves per tree at most (default: 15)")
    ap.add_argument("--min-leaf", type=int, default=200, help="labelled lines per leaf at least (default: 200)")
    ap.add_argument("--rate", type=float, default=0.1, help="the trees' learning rate (default: 0.1)")
    ap.add_argument("--tree-l2", type=float, default=1.0, help="the trees' L2 regularisation (default: 1)")
    ap.add_argument("--cache", type=Path,
                    help="an .npz of the built rows: read when it exists, else written (the rows depend on "
                         "the sets, split, regimes, balance, token weight and the rules: delete it when they change)")
    a = ap.parse_args()
    pages = load_pages(a.fit, a.split)
    regimes = {r.split("=")[0]: float(r.split("=")[1]) if "=" in r else 1.0 for r in a.regimes.split(",") if r}
    if a.cache and a.cache.exists():
        built = load_built(a.cache)
    else:
        built = build(pages, Cleaner(), a.type_balance, regimes, a.token_weight)
        if a.cache:
            save_built(a.cache, built)
    x, y, w = stack(built)
    keep = w > 0
    columns = list(FEATURES) + list(CUES)
    if a.trees:
        model = fit_trees(x[keep], y[keep], w[keep], a.trees, a.leaves, a.min_leaf, a.rate, a.tree_l2)
        first = model.decision_function(x)
    else:
        beta = fit(x[keep], y[keep], w[keep], a.l2)
        first = x @ beta
    x, y, w = x[keep], y[keep], w[keep]
    pred = first[keep] > 0
    print(f"fitted on {len(pages)} pages, {len(y)} lines, content share {(w * y).sum() / w.sum():.3f}, "
          f"weighted line accuracy {(w * (pred == y)).sum() / w.sum():.3f}")
    # second stage: each line judged against its page's first-stage scores
    cuts = np.cumsum([len(p[1]) for p in built])[:-1]
    cx = np.vstack([np.array(context_features(list(s))) for s in np.split(first, cuts)])[keep]
    gamma = fit(cx, y, w, a.l2)
    pred = (cx @ gamma) > 0
    print(f"context stage: weighted line accuracy {(w * (pred == y)).sum() / w.sum():.3f}")
    context = {name: round(float(b), 4) for name, b in zip(CONTEXT, gamma)}
    if a.trees:
        stage1 = {"cues": dict.fromkeys(CUES, 1.0), "trees": export_trees(model, columns),
                  "tree_settings": {"trees": a.trees, "leaves": a.leaves, "min_leaf": a.min_leaf,
                                    "rate": a.rate, "l2": a.tree_l2}}
        shown = {}
        print(f"  {len(stage1['trees']['feature'])} tree nodes")
    else:
        weights = {name: round(float(b), 4) for name, b in zip(FEATURES, beta)}
        cues = {name: round(float(b), 4) for name, b in zip(CUES, beta[len(FEATURES):])}
        stage1 = {"weights": weights, "cues": cues}
        shown = {**weights, **{"cue." + k: v for k, v in cues.items()}}
    if a.write:
        a.out.write_text(dump_weights({
            "fitted_on": [s.name for s in a.fit], "split": a.split, "labels": "cleaner.eval.linelabels",
            "type_balance": a.type_balance, "regimes": regimes, "token_weight": a.token_weight,
            "pages": len(pages), "l2": a.l2, "offset": a.offset,
            **stage1, "context": context}), encoding="utf-8")
        print(f"wrote {a.out}")
    for name, b in sorted({**shown, **{"ctx." + k: v for k, v in context.items()}}.items(), key=lambda kv: -abs(kv[1])):
        print(f"  {name:18s} {b:+.3f}")


if __name__ == "__main__":
    main()
