"""The figures ``cleaner eval`` prints: token P/R/F1, snippet counts, line-label recalls.

- Token scores: bag-of-words precision, recall and F1 of one output against the gold main
  text, over lower-cased ``\\w+`` tokens (Python's ``re`` word class, as the shared scorers
  use it: a combining mark splits a word), averaged over pages. A page with neither
  predicted nor gold tokens scores 1 / 1 / 1.
- Snippet scores (sets without gold main text): each ``with`` snippet found in the output is
  a true positive, each missing one a false negative, each ``without`` snippet found a false
  positive; counts are pooled over the set (trafilatura's evaluation convention). Snippets
  and output are compared lower-cased with whitespace folded.
- Line labels: content recall and junk recall from :func:`cleaner.eval.scoring.score_lines`.

>>> page_prf("the cat sat", "The cat sat down")
(1.0, 0.75, 0.8571428571428571)
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .goldsets import GoldPage
from .scoring import LineScore, score_lines

# A token of the scorers (../shared/tools use the same stdlib pattern on lower-cased text).
TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def count_words(text: str) -> Counter:
    """Lower-cased ``\\w+`` tokens of ``text`` and how often each occurs."""
    return Counter(TOKEN.findall(text.lower()))


def page_prf(predicted: str, gold: str) -> tuple[float, float, float]:
    """Token precision, recall and F1 of one output against its gold text."""
    pred, ref = count_words(predicted), count_words(gold)
    if not pred and not ref:
        return 1.0, 1.0, 1.0
    shared = sum((pred & ref).values())
    precision = shared / max(1, sum(pred.values()))
    recall = shared / max(1, sum(ref.values()))
    return precision, recall, _harmonic(precision, recall)


def _harmonic(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def fold_space(text: str) -> str:
    """``text`` lower-cased, runs of whitespace made one space, ends trimmed."""
    return _SPACE.sub(" ", text).strip().lower()


def count_snippets(predicted: str, with_snippets: list[str], without_snippets: list[str]) -> tuple[int, int, int, int]:
    """(true positives, false negatives, false positives, true negatives) of one page."""
    haystack = fold_space(predicted)
    found = sum(1 for s in with_snippets if fold_space(s) in haystack)
    leaked = sum(1 for s in without_snippets if fold_space(s) in haystack)
    return found, len(with_snippets) - found, leaked, len(without_snippets) - leaked


@dataclass(slots=True)
class SystemScore:
    """One system's figures on one set and input: what ``cleaner eval`` prints in a row."""

    metric: str  # "tokens", "snippets" or "lines"
    pages: int = 0
    empty: int = 0  # pages where the system produced no text (rejected, failed or all removed)
    seconds: float = 0.0
    precision: float = 0.0
    recall: float = 0.0
    f1: float = 0.0
    accuracy: float | None = None  # snippets only
    content_recall: float | None = None  # lines only
    junk_recall: float | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The figures as a JSON-ready dict (unset fields left out)."""
        out = {"metric": self.metric, "pages": self.pages, "empty": self.empty,
               "seconds": round(self.seconds, 3)}
        if self.metric == "lines":
            out.update(content_recall=self.content_recall, junk_recall=self.junk_recall)
        else:
            out.update(P=self.precision, R=self.recall, F1=self.f1)
        if self.accuracy is not None:
            out["acc"] = self.accuracy
        if self.counts:
            out["counts"] = dict(self.counts)
        return out


def score_outputs(pages: list[GoldPage], outputs: dict[str, str], metric: str) -> SystemScore:
    """Score the ``outputs`` (page id -> text; a missing id counts as empty) of one system."""
    score = SystemScore(metric, pages=len(pages))
    score.empty = sum(1 for p in pages if not outputs.get(p.id, "").strip())
    if metric == "lines":
        total = LineScore()
        for page in pages:
            total += score_lines(page.lines, outputs.get(page.id, ""))
        score.content_recall, score.junk_recall = total.content_recall, total.junk_recall
        score.counts = {"keep": total.keep, "keep_found": total.keep_found,
                        "drop": total.drop, "drop_removed": total.drop_removed}
        return score
    if metric == "snippets":
        tp = fn = fp = tn = 0
        for page in pages:
            a, b, c, d = count_snippets(outputs.get(page.id, ""), page.with_snippets, page.without_snippets)
            tp, fn, fp, tn = tp + a, fn + b, fp + c, tn + d
        score.precision = tp / max(1, tp + fp)
        score.recall = tp / max(1, tp + fn)
        score.f1 = _harmonic(score.precision, score.recall)
        score.accuracy = (tp + tn) / max(1, tp + fn + fp + tn)
        score.counts = {"tp": tp, "fn": fn, "fp": fp, "tn": tn}
        return score
    scored = [p for p in pages if p.text is not None]
    if scored:
        rows = [page_prf(outputs.get(p.id, ""), p.text) for p in scored]
        score.precision = sum(r[0] for r in rows) / len(rows)
        score.recall = sum(r[1] for r in rows) / len(rows)
        score.f1 = sum(r[2] for r in rows) / len(rows)
    score.pages = len(scored)
    return score
