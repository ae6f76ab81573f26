"""Run every rule's own examples: lines it must remove and look-alikes it must keep."""

from __future__ import annotations

from dataclasses import dataclass

from ..apply import apply_marks
from ..document import Document
from .engine import RuleSet
from .pack import Rule


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    """An example a rule got wrong."""

    rule: str
    kind: str  # remove | keep
    text: str
    got: str

    def __str__(self) -> str:
        want = "remove" if self.kind == "remove" else "keep unchanged"
        return f"{self.rule}: should {want} {self.text!r}, output was {self.got!r}"


def run_rule(rule: Rule, text: str) -> str:
    """``text`` after applying ``rule`` alone."""
    domain = rule.domains[0] if rule.domains else None
    kind = rule.formats[0] if rule.formats else "text"
    doc = Document(text, kind, domain=domain, site=rule.sites[0] if rule.sites else None)
    RuleSet([rule], rule_timeout=5.0).tag(doc)
    if doc.drop_reason:
        return ""
    return apply_marks(doc)[0]


def check_rule(rule: Rule) -> list[ExampleFailure]:
    """Every example of ``rule`` it gets wrong."""
    failures = []
    for ex in rule.examples_remove:
        text, expect = (ex, "") if isinstance(ex, str) else (ex["text"], ex["expect"])
        got = run_rule(rule, text)
        if got.strip() != expect.strip():
            failures.append(ExampleFailure(rule.id, "remove", text, got))
    for text in rule.examples_keep:
        got = run_rule(rule, text)
        if got != text:
            failures.append(ExampleFailure(rule.id, "keep", text, got))
    return failures
