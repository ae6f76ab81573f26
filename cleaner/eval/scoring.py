"""Scores used by the tests and ``cleaner eval``.

- Line labels (keep / drop / either per line): content recall is the share of keep lines
  found intact in the output, junk recall the share of drop lines absent from it. Lines
  are compared after NFKC and whitespace folding; each output line is used once.

Token precision / recall / F1 against gold text lives in :mod:`cleaner.eval.figures`.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import regex

_WS = regex.compile(r"\s+")


def _norm(line: str) -> str:
    return _WS.sub(" ", unicodedata.normalize("NFKC", line)).strip()


@dataclass
class LineScore:
    """Counts of a line-labelled comparison, and the lines that went wrong."""

    keep: int = 0
    keep_found: int = 0
    drop: int = 0
    drop_removed: int = 0
    lost: list[str] = field(default_factory=list)
    leaked: list[str] = field(default_factory=list)

    @property
    def content_recall(self) -> float:
        return self.keep_found / self.keep if self.keep else 1.0

    @property
    def junk_recall(self) -> float:
        return self.drop_removed / self.drop if self.drop else 1.0

    def __iadd__(self, other: "LineScore") -> "LineScore":
        self.keep += other.keep
        self.keep_found += other.keep_found
        self.drop += other.drop
        self.drop_removed += other.drop_removed
        self.lost += other.lost
        self.leaked += other.leaked
        return self


def score_lines(labels: list[dict], output_text: str) -> LineScore:
    """Compare one document's output with its labelled lines."""
    available = Counter(_norm(x) for x in output_text.split("\n") if x.strip())
    score = LineScore()
    by_label = {"keep": [], "either": [], "drop": []}
    for item in labels:
        by_label.setdefault(item["label"], []).append(item)
    for item in by_label["keep"]:  # kept lines claim their output line first
        score.keep += 1
        key = _norm(item["text"])
        if available[key] > 0:
            available[key] -= 1
            score.keep_found += 1
        else:
            score.lost.append(item["text"])
    for item in by_label["either"]:
        key = _norm(item["text"])
        if available[key] > 0:
            available[key] -= 1
    for item in by_label["drop"]:
        score.drop += 1
        key = _norm(item["text"])
        if available[key] > 0:
            available[key] -= 1
            score.leaked.append(item["text"])
        else:
            score.drop_removed += 1
    return score
