"""Hold the compiled core against the Python reference on real documents.

Every call of ``classify_lines`` made while cleaning a document (the text path, the HTML
path's line stage and block growing) is made twice, by the core and by the reference
(``reference=True``), and every line whose keep/drop differs is counted. So is every rule
engine pass (``RuleSet.tag``): once with the core's prefilter and regexes, once with Python's,
and every mark (line or span, rule id) that one makes and the other does not is counted.
The core's answer goes on, so a difference shows where it arises.

Plain text is cleaned whole by the core (:mod:`cleaner.heuristics.textcore`): each text document
is also cleaned by the Python pipeline (``Cleaner._clean_passes``, whose classifier and rule
passes are compared as above), and every document whose clean text, removals (rule, reason,
line, offsets, excerpt, line count), rejection or metadata differ is counted.

    python tests/core/differential.py fixtures/seeds ../shared/bench/*/text   # a count per set
    python tests/core/differential.py --rules-only ../shared/bench/*/text   # the rules alone (faster)
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
from cleaner.pipeline import text_document
from cleaner.lines import body
from cleaner.rules import engine

FAVORS = ("balanced", "precision", "recall")


@dataclass
class Tally:
    """Calls, lines and the lines on which the two implementations differ (with examples)."""

    calls: int = 0
    lines: int = 0
    differ: int = 0
    examples: list[tuple[str, bool, bool]] = field(default_factory=list)
    rule_passes: int = 0  # RuleSet.tag calls compared
    rule_lines: int = 0  # lines those passes looked at
    rule_marks: int = 0  # marks the reference made
    rule_differ: int = 0  # marks made by one side only (or a different drop_document)
    rule_examples: list[tuple[str, str, tuple]] = field(default_factory=list)
    docs: int = 0  # plain-text documents cleaned by the whole-document core and by Python
    doc_differ: int = 0
    doc_examples: list[tuple[str, str]] = field(default_factory=list)


@contextmanager
def compared(tally: Tally, heu010: bool = True):
    """Within the block, every ``classify_lines`` (unless not ``heu010``) and every rule pass
    run both implementations into ``tally``."""
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

    tag = engine.RuleSet.tag

    def both_tags(self, doc, views=None, memo=None):
        views = views if views is not None else engine.line_views(doc)
        marks, drop = list(doc.marks), doc.drop_reason
        core, self._core = self._core, None
        try:
            tag(self, doc, views, None)  # the reference: Python's prefilter and regexes
        finally:
            self._core = core
        ref = [(m.start, m.end, m.rule, m.whole_line) for m in doc.marks[len(marks):]] + [("drop", doc.drop_reason)]
        doc.marks[:], doc.drop_reason = marks, drop
        tag(self, doc, views, memo)
        got = [(m.start, m.end, m.rule, m.whole_line) for m in doc.marks[len(marks):]] + [("drop", doc.drop_reason)]
        tally.rule_passes += 1
        tally.rule_lines += len(views)
        tally.rule_marks += len(ref) - 1
        if got != ref:
            only = set(got) ^ set(ref)
            tally.rule_differ += max(1, len(only))
            for item in sorted(only, key=str)[:3]:
                if len(tally.rule_examples) < 20:
                    side = "core" if item in got else "reference"
                    span = doc.text[item[0]:item[1]] if isinstance(item[0], int) else str(item)
                    tally.rule_examples.append((side, span[:100], item))

    modules = (body, heuristic_lines, sitebody, grow)  # every module that calls it by name
    saved = [m.classify_lines for m in modules]
    for m in modules:
        m.classify_lines = both if heu010 else m.classify_lines
    engine.RuleSet.tag = both_tags
    try:
        yield tally
    finally:
        for m, f in zip(modules, saved):
            m.classify_lines = f
        engine.RuleSet.tag = tag


def documents(path: Path):
    """(kind, content) of each document under ``path``: .txt as text, .html as HTML."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for f in files:
        if f.suffix in (".txt", ".html", ".htm"):
            yield ("html" if f.suffix != ".txt" else "text"), f.read_text(encoding="utf-8", errors="surrogateescape")


def _outcome(result) -> tuple:
    return (result.text, result.rejected, result.detail, result.metadata,
            [(r.rule, r.reason, r.line, r.start, r.end, r.excerpt, r.lines) for r in result.removals])


def compare_document(tally: Tally, engine_: cleaner.Cleaner, content: str, name: str) -> None:
    """Clean one plain text with the whole-document core and with the Python pipeline."""
    try:
        core = engine_.clean_document(text_document(content, engine_.config))
    except cleaner.DocumentError as exc:
        core = exc.reason
    try:
        ref = engine_._clean_passes(text_document(content, engine_.config))
    except cleaner.DocumentError as exc:
        ref = exc.reason
    tally.docs += 1
    a = core if isinstance(core, str) else _outcome(core)
    b = ref if isinstance(ref, str) else _outcome(ref)
    if a != b:
        tally.doc_differ += 1
        if len(tally.doc_examples) < 20:
            only = set(map(str, a[4] if not isinstance(a, str) else [a])) ^ set(map(str, b[4] if not isinstance(b, str) else [b]))
            tally.doc_examples.append((name, "; ".join(sorted(only)[:3]) or "text, rejection or metadata"))


def run(paths: list[Path], favors=FAVORS, heu010: bool = True, **options) -> Tally:
    """Clean every document of ``paths`` with each favor, comparing the two implementations
    (of the rule matching only, when not ``heu010``); ``options``: more of the Config."""
    tally = Tally()
    with compared(tally, heu010):
        for favor in favors:
            config = cleaner.Config(favor=favor, **options)
            engine_ = cleaner.Cleaner(config)
            for path in paths:
                for kind, content in documents(path):
                    if kind == "text":
                        compare_document(tally, engine_, content, f"{path}: {content[:40]!r}")
                        continue
                    try:
                        cleaner.clean_html(content, config=config)
                    except cleaner.DocumentError:
                        pass  # a rejected document: what was classified before is counted
    return tally


if __name__ == "__main__":
    rules_only = "--rules-only" in sys.argv  # the rule matching alone (HEU010's reference is slow)
    for arg in [a for a in sys.argv[1:] if a != "--rules-only"]:
        t = run([Path(arg)], favors=("balanced",), heu010=not rules_only)
        print(f"{arg}: HEU010 {t.calls} calls, {t.lines} lines, {t.differ} differ; "
              f"rules {t.rule_passes} passes, {t.rule_lines} lines, {t.rule_marks} marks, {t.rule_differ} differ; "
              f"documents {t.docs}, {t.doc_differ} differ")
        for name, what in t.doc_examples:
            print(f"   document {name}: {what}")
        for text, core, ref in t.examples:
            print(f"   core={core} reference={ref}: {text[:100]!r}")
        for side, text, item in t.rule_examples:
            print(f"   only the {side}: {item}: {text!r}")
