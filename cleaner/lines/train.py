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

Report generalisation honestly: read the figures on the held-out split (``cleaner eval
--breakdown``), never fit on it.
"""

from __future__ import annotations

import argparse
import json
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
    a = ap.parse_args()
    cleaner = Cleaner()
    pages = load_pages(a.fit, a.split)
    regimes = {r.split("=")[0]: float(r.split("=")[1]) if "=" in r else 1.0 for r in a.regimes.split(",") if r}
    built = build(pages, cleaner, a.type_balance, regimes, a.token_weight)
    x, y, w = stack(built)
    keep = w > 0
    x, y, w = x[keep], y[keep], w[keep]
    beta = fit(x, y, w, a.l2)
    pred = (x @ beta) > 0
    print(f"fitted on {len(pages)} pages, {len(y)} lines, content share {(w * y).sum() / w.sum():.3f}, "
          f"weighted line accuracy {(w * (pred == y)).sum() / w.sum():.3f}")
    # second stage: each line judged against its page's first-stage scores
    cx = np.vstack([np.array(context_features(list(p[0] @ beta))) for p in built])[keep]
    gamma = fit(cx, y, w, a.l2)
    pred = (cx @ gamma) > 0
    print(f"context stage: weighted line accuracy {(w * (pred == y)).sum() / w.sum():.3f}")
    weights = {name: round(float(b), 4) for name, b in zip(FEATURES, beta)}
    cues = {name: round(float(b), 4) for name, b in zip(CUES, beta[len(FEATURES):])}
    context = {name: round(float(b), 4) for name, b in zip(CONTEXT, gamma)}
    if a.write:
        a.out.write_text(json.dumps({
            "fitted_on": [s.name for s in a.fit], "split": a.split, "labels": "cleaner.eval.linelabels",
            "type_balance": a.type_balance, "regimes": regimes, "token_weight": a.token_weight,
            "pages": len(pages), "l2": a.l2, "offset": a.offset,
            "weights": weights, "cues": cues, "context": context}, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {a.out}")
    for name, b in sorted({**weights, **{"cue." + k: v for k, v in cues.items()}, **{"ctx." + k: v for k, v in context.items()}}.items(),
                          key=lambda kv: -abs(kv[1])):
        print(f"  {name:18s} {b:+.3f}")


if __name__ == "__main__":
    main()
