"""Gold sets that ``cleaner eval`` scores against, read from disk.

Two layouts are understood:

- a *page set* (``ground-truth.jsonl`` with ``id``, ``html_file``, ``url`` and ``text`` or
  ``with`` / ``without`` snippets; ``html/<id>.html.gz`` raw pages; ``text/<id>.txt`` plain
  scraped dumps), as in the shared benchmark sets;
- a *line set*: scraped ``.txt`` files plus a ``labels.jsonl`` of keep / drop / either lines
  per file (``{"file", "lines": [{"line", "label", "text"}]}``), either in the same directory
  or in a sibling ``<dir>-gold/`` (as ``fixtures/seeds`` + ``fixtures/seeds-gold``).
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError

GROUND_TRUTH = "ground-truth.jsonl"
LABELS = "labels.jsonl"


@dataclass(slots=True)
class GoldPage:
    """One page of a gold set: where its inputs are and what should come out."""

    id: str
    url: str | None = None
    html_path: str | None = None
    text_path: str | None = None
    text: str | None = None  # the gold main text (None for snippet-only pages)
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)  # line labels (line sets)


@dataclass(slots=True)
class GoldSet:
    """A named list of gold pages; ``kind`` is ``pages`` or ``lines``."""

    name: str
    path: str
    kind: str
    pages: list[GoldPage]

    def pages_for(self, input_kind: str) -> list[GoldPage]:
        """The pages that can be scored on ``html`` or ``text`` input."""
        if input_kind == "html":
            return [p for p in self.pages if p.html_path and os.path.exists(p.html_path)]
        if self.kind == "lines":
            return [p for p in self.pages if p.text_path and os.path.exists(p.text_path)]
        return [p for p in self.pages if (p.text or p.with_snippets)
                and p.text_path and os.path.exists(p.text_path)]

    @property
    def snippet_only(self) -> bool:
        """True when no page has gold main text (scored by snippets)."""
        return all(p.text is None for p in self.pages)


def read_input(path: str) -> bytes:
    """The raw bytes of an input file (``.gz`` files are decompressed)."""
    if path.endswith(".gz"):
        with gzip.open(path, "rb") as fh:
            return fh.read()
    with open(path, "rb") as fh:
        return fh.read()


def _read_jsonl(path: str) -> list[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from None


def _load_pages(root: str, limit: int | None) -> list[GoldPage]:
    pages = []
    for rec in _read_jsonl(os.path.join(root, GROUND_TRUTH))[:limit]:
        pid = str(rec["id"])
        html_file = rec.get("html_file") or f"html/{pid}.html.gz"
        pages.append(GoldPage(
            id=pid, url=rec.get("url"), html_path=os.path.join(root, html_file),
            text_path=os.path.join(root, "text", f"{pid}.txt"), text=rec.get("text"),
            with_snippets=list(rec.get("with") or []), without_snippets=list(rec.get("without") or []),
        ))
    return pages


def _find_labels(root: str) -> tuple[str, str] | None:
    """(labels file, directory of the labelled files) for a line set, or None."""
    if os.path.isfile(os.path.join(root, LABELS)):
        inputs = root
        if root.endswith("-gold") and os.path.isdir(root[: -len("-gold")]):
            inputs = root[: -len("-gold")]
        return os.path.join(root, LABELS), inputs
    sibling = os.path.join(root + "-gold", LABELS)
    if os.path.isfile(sibling):
        return sibling, root
    return None


def _load_lines(labels: str, inputs: str, limit: int | None) -> list[GoldPage]:
    found: dict[str, str] = {}
    for dirpath, _dirs, files in os.walk(inputs):
        for name in files:
            found.setdefault(name, os.path.join(dirpath, name))
    pages = []
    for rec in _read_jsonl(labels)[:limit]:
        name = rec["file"]
        pages.append(GoldPage(id=name, text_path=found.get(name), lines=list(rec["lines"])))
    return pages


def load_gold_set(path: str, limit: int | None = None, sort_by_id: bool = False) -> GoldSet:
    """Read the gold set at ``path``; ``limit`` keeps its first pages (in file order, or by id)."""
    root = os.path.normpath(path)
    if not os.path.isdir(root):
        raise ConfigError(f"{path}: not a directory")
    name = os.path.basename(root)
    first = None if sort_by_id else limit
    if os.path.isfile(os.path.join(root, GROUND_TRUTH)):
        gold = GoldSet(name, root, "pages", _load_pages(root, first))
    else:
        found = _find_labels(root)
        if found is None:
            raise ConfigError(f"{path}: no {GROUND_TRUTH}, no {LABELS} and no {name}-gold/{LABELS}")
        if name.endswith("-gold"):
            name = name[: -len("-gold")]
        gold = GoldSet(name, root, "lines", _load_lines(*found, first))
    if sort_by_id:
        gold.pages = sorted(gold.pages, key=lambda p: p.id)[:limit]
    return gold
