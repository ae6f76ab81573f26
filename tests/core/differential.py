"""Hold the compiled HEU010 against the Python reference on real documents.

Every call of ``classify_lines`` made while cleaning a document (the text path, the HTML
path's line stage and block growing) is made twice, by the core and by the reference
(``reference=True``), and every line whose keep/drop differs is counted. The core's answer
goes on, so a difference shows where it arises.

    python tests/core/differential.py fixtures/seeds ../shared/bench/*/text   # a count per set
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import cleaner
from cleaner.extract import grow
from cleaner.heuristics import lines as heuristic_lines
from cleaner.heuristics import sitebody
from cleaner.lines import body

FAVORS = ("balanced", "precision", "recall")


@dataclass
class Tally:
    """Calls, lines and the lines on which the two implementations differ (with examples)."""

    calls: int = 0
    lines: int = 0
    differ: int = 0
    examples: list[tuple[str, bool, bool]] = field(default_factory=list)


@contextmanager
def compared(tally: Tally):
    """Within the block, every ``classify_lines`` runs both implementations into ``tally``."""
    original = body.classify_lines

    def both(texts, *args, **kwargs):
        core = original(texts, *args, **kwargs)
        kwargs.pop("memo", None)
        ref = original(texts, *args, **{**kwargs, "reference": True})
        tally.calls += 1
        tally.lines += len(texts)
        for (text, _), a, b in zip(texts, core, ref):
            if a != b:
                tally.differ += 1
                if len(tally.examples) < 20:
                    tally.examples.append((text, a, b))
        return core

    modules = (body, heuristic_lines, sitebody, grow)  # every module that calls it by name
    saved = [m.classify_lines for m in modules]
    for m in modules:
        m.classify_lines = both
    try:
        yield tally
    finally:
        for m, f in zip(modules, saved):
            m.classify_lines = f


def documents(path: Path):
    """(kind, content) of each document under ``path``: .txt as text, .html as HTML."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for f in files:
        if f.suffix in (".txt", ".html", ".htm"):
            yield ("html" if f.suffix != ".txt" else "text"), f.read_text(encoding="utf-8", errors="surrogateescape")


def run(paths: list[Path], favors=FAVORS) -> Tally:
    """Clean every document of ``paths`` with each favor, comparing the two implementations."""
    tally = Tally()
    with compared(tally):
        for favor in favors:
            config = cleaner.Config(favor=favor)
            for path in paths:
                for kind, content in documents(path):
                    try:
                        if kind == "text":
                            cleaner.clean_text(content, config=config)
                        else:
                            cleaner.clean_html(content, config=config)
                    except cleaner.DocumentError:
                        pass  # a rejected document: what was classified before is counted
    return tally


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        t = run([Path(arg)], favors=("balanced",))
        print(f"{arg}: {t.calls} calls, {t.lines} lines, {t.differ} differ")
        for text, core, ref in t.examples:
            print(f"   core={core} reference={ref}: {text[:100]!r}")
