"""Fit the main-body line classifier (``cleaner/lines/weights.json``) on public ground truth.

Not a test: a development script (needs numpy). Lines of the bench text dumps are
labelled from the gold main text (a line is body text when its words appear as a run in
the gold text), features come from :mod:`cleaner.lines.features` after the rule packs and
the other heuristics have run, exactly as at cleaning time. Each page weighs the same
(line weight = its share of the page's words), like the per-page token F1 it is scored by.

    python -m cleaner.lines.train --fit ../shared/bench/wcxb-dev --eval ../shared/bench/scrapinghub-aeb
    python -m cleaner.lines.train --fit SET [SET...] --write [--offset X]   # store the weights in the package

Report generalisation honestly: fit on one set, read the score on the others.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

import numpy as np

from cleaner import Cleaner
from cleaner.document import Document
from cleaner.heuristics import Context
from cleaner.lines.body import WEIGHTS_FILE, block_ids, visible_texts
from cleaner.lines.cjk import feature_text
from cleaner.lines.cues import CUES, cue_rows
from cleaner.lines.features import CONTEXT, FEATURES, context_features, line_features
from cleaner.lines.views import line_views
from cleaner.settings import Config
from cleaner.sources.decode import finish_text

_TOK = re.compile(r"\w+")


def load_set(path: Path) -> list[dict]:
    """Pages of a bench set that have full gold text, with their raw text dump."""
    out = []
    for raw in (path / "ground-truth.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(raw) if raw.strip() else None
        if not rec or not rec.get("text"):
            continue
        dump = path / "text" / f"{rec['id']}.txt"
        if dump.exists():
            rec["raw"] = dump.read_text(encoding="utf-8")
            out.append(rec)
    return out


def free_lines(cleaner: Cleaner, raw: str) -> list[tuple[str, int]]:
    """(text, block) of the lines left to HEU010 after the rules and other heuristics."""
    doc = Document(finish_text(raw).text, "text")
    views = line_views(doc)
    cleaner.ruleset.tag(doc, views)
    for h in cleaner.heuristics:
        if h.id != "HEU010" and doc.format in h.formats:  # as cleaning runs them
            h.run(doc, views, Context(favor=Config.favor, include_comments=False, memo=None))
    marked = doc.marked_lines()
    free = [v for v in views if v.index not in marked]
    return list(zip(visible_texts(doc, free), block_ids(doc, free)))


def label_lines(lines: list[tuple[str, int]], gold: str) -> list[int]:
    """1 for lines whose words occur as a run in the gold text (short ones: as a gold line)."""
    gold_flat = " " + " ".join(_TOK.findall(gold.lower())) + " "
    gold_lines = {" ".join(_TOK.findall(g.lower())) for g in gold.splitlines()}
    gold_bag = Counter(gold_flat.split())
    out = []
    for text, _ in lines:
        toks = _TOK.findall(text.lower())
        flat = " ".join(toks)
        if not toks:
            out.append(0)
        elif len(toks) <= 3:
            out.append(1 if flat in gold_lines else 0)
        elif f" {flat} " in gold_flat:
            out.append(1)
        else:
            hit = sum(min(c, gold_bag[t]) for t, c in Counter(toks).items())
            out.append(1 if len(toks) >= 8 and hit >= 0.9 * len(toks) else 0)
    return out


def build(pages: list[dict], cleaner: Cleaner):
    """Per page: feature matrix, labels and sample weights of its lines."""
    out = []
    for rec in pages:
        lines = free_lines(cleaner, rec["raw"])
        if not lines:
            continue
        words = np.array([max(1, len(t.split())) for t, _ in lines], dtype=float)
        seen = [(feature_text(t), b) for t, b in lines]  # as body.classify_lines
        feats = np.hstack([np.array(line_features(seen)), np.array(cue_rows(seen)).reshape(len(seen), len(CUES))])
        out.append((feats, np.array(label_lines(lines, rec["text"]), dtype=float),
                    words / words.sum()))
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
    a = ap.parse_args()
    cleaner = Cleaner()
    pages = [p for s in a.fit for p in load_set(s)]
    built = build(pages, cleaner)
    x, y, w = stack(built)
    beta = fit(x, y, w, a.l2)
    pred = (x @ beta) > 0
    print(f"fitted on {len(pages)} pages, {len(y)} lines, body share {y.mean():.3f}, "
          f"weighted line accuracy {(w * (pred == y)).sum() / w.sum():.3f}")
    # second stage: each line judged against its page's first-stage scores
    cx = np.vstack([np.array(context_features(list(p[0] @ beta))) for p in built])
    gamma = fit(cx, y, w, a.l2)
    pred = (cx @ gamma) > 0
    print(f"context stage: weighted line accuracy {(w * (pred == y)).sum() / w.sum():.3f}")
    weights = {name: round(float(b), 4) for name, b in zip(FEATURES, beta)}
    cues = {name: round(float(b), 4) for name, b in zip(CUES, beta[len(FEATURES):])}
    context = {name: round(float(b), 4) for name, b in zip(CONTEXT, gamma)}
    if a.write:
        a.out.write_text(json.dumps({
            "fitted_on": [s.name for s in a.fit], "pages": len(pages), "l2": a.l2, "offset": a.offset,
            "weights": weights, "cues": cues, "context": context}, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {a.out}")
    for name, b in sorted({**weights, **{"cue." + k: v for k, v in cues.items()}, **{"ctx." + k: v for k, v in context.items()}}.items(),
                          key=lambda kv: -abs(kv[1])):
        print(f"  {name:18s} {b:+.3f}")


if __name__ == "__main__":
    main()
