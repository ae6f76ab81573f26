"""The compiled rule matcher marks what Python's prefilter and regexes mark (tests/core/differential.py
holds the two against each other on every fixture and bench document)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, Config
from cleaner.document import Document
from cleaner.rules import engine
from cleaner.rules.engine import RuleSet
from cleaner.rules.pack import load_rules

pytestmark = pytest.mark.skipif(engine.RuleMatcher is None, reason="the compiled core is not built")

RULES = Cleaner().rules


def marks(ruleset: RuleSet, text: str, kind: str = "text") -> tuple:
    doc = Document(text, kind)
    ruleset.tag(doc)
    return [(m.start, m.end, m.rule, m.whole_line) for m in doc.marks], doc.drop_reason


CORE, REFERENCE = RuleSet(RULES), RuleSet(RULES, core=False)

HARD = "\n".join([
    "Sign up now for unlimited free access to",
    "\u212aelvin SIGN UP now for free access to our newsletter",  # KELVIN SIGN folds to k
    "İstanbul Read more »",
    "Photo: ſomeone / REUTERS",
    "مرحبا Advertisement \u200f\u202e RTL override Advertisement",
    "e\u0301\u0301\u0301 combining marks \u200d and NUL \x00 in a line © 2024 All rights reserved",
    "Share this article on Facebook",
    "ADVERTISEMENT",
    "The story continues below. - Copyright 2024 Example News all rights reserved",
    "Image copyright Getty Images",
    "x" * 200_000 + " Read more",
    "",
    "",
    "Leave a Reply",
    "Your email address will not be published.",
])


def test_every_shipped_rule_runs_in_the_core_and_a_back_reference_in_python(tmp_path):
    engines = {r.id: CORE.engine_of(r) for r in RULES}
    assert {"core", "table"} == set(engines.values())
    assert engines["FOOT004"] == engines["WIDGET002"] == "core"  # a leading lookbehind, checked apart
    assert {"python", "table"} == {REFERENCE.engine_of(r) for r in RULES}
    pack = tmp_path / "mine.yaml"
    pack.write_text("family: mine\nrules:\n"
                    "  - id: MINE001\n    name: doubled-word\n    description: A word twice.\n"
                    "    match: {regex: '(\\w+) \\1 again', scope: line}\n    action: drop_line\n"
                    "  - id: MINE002\n    name: not-followed\n    description: A lookahead.\n"
                    "    match: {regex: 'menu(?! item)', scope: span}\n    action: strip_span\n")
    rules = load_rules([str(pack)])
    mine = RuleSet(rules)
    assert ["python", "python"] == [mine.engine_of(r) for r in rules]
    text = "menu menu again\nthe menu and the menu item\n"
    assert marks(mine, text) == marks(RuleSet(rules, core=False), text)
    assert {"MINE001", "MINE002"} == {m[2] for m in marks(mine, text)[0]}


def test_hard_unicode_gets_the_same_marks_from_the_core_and_the_reference():
    got = marks(CORE, HARD)
    assert got == marks(REFERENCE, HARD)
    assert {"PROMO001", "WIDGET004", "CMT001"} <= {m[2] for m in got[0]}


def test_every_rule_example_gets_the_same_marks():
    for rule in RULES:
        for example in (*rule.examples_remove, *rule.examples_keep):
            text = example["text"] if isinstance(example, dict) else example
            for kind in ("text", "html"):
                assert marks(CORE, text, kind) == marks(REFERENCE, text, kind), (rule.id, text)


def test_a_lone_surrogate_falls_back_to_python():
    text = "Sign up now for unlimited free access to \ud800\nAdvertisement\n"
    assert marks(CORE, text) == marks(REFERENCE, text)
    assert {"PROMO001", "WIDGET004"} <= {m[2] for m in marks(CORE, text)[0]}


def test_millions_of_empty_lines_and_one_long_line():
    text = "\n" * 2_000_000 + "Advertisement\n" + "word " * 400_000 + "\n"
    assert marks(CORE, text) == marks(REFERENCE, text)


def test_a_panic_or_error_in_the_core_rejects_the_document(monkeypatch):
    class Broken:
        def find(self, texts):
            raise engine.CoreError("panic in the core: boom")

    rs = RuleSet(RULES)
    monkeypatch.setattr(rs, "_core", Broken())
    with pytest.raises(engine.DocumentError) as err:
        rs.tag(Document("Advertisement\n", "text"))
    assert "core_failed" == err.value.reason


lines = st.lists(st.sampled_from(
    ["Advertisement", "Sign up", " now for free access", "REUTERS", "Read more", "©", "2024", "  ", "",
     "\u212a", "ſ", "İ", "\u0301", "\u202e", "\x00", "é", "Share this", "Photo:", "/", "see also", "comments"]),
    max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(lines, max_size=12).map("\n".join))
def test_random_lines_get_the_same_marks(text):
    assert marks(CORE, text) == marks(REFERENCE, text)


def test_the_cleaner_output_is_the_same_with_and_without_the_core(monkeypatch):
    c = Cleaner(Config())
    with_core = c.clean_text(HARD)
    monkeypatch.setattr(c.ruleset, "_core", None)
    without = c.clean_text(HARD)
    assert with_core.text == without.text
    assert [r.as_dict() for r in with_core.removals] == [r.as_dict() for r in without.removals]


def test_a_later_pass_asks_the_core_only_for_lines_it_has_not_seen():
    asked = []

    class Counting:
        def __init__(self, core):
            self.core = core

        def find(self, texts):
            asked.append(list(texts))
            return self.core.find(texts)

    rs = RuleSet(RULES)
    rs._core = Counting(rs._core)
    memo: dict = {}
    first = "Sign up now for unlimited free access to\nA line of the article.\nAdvertisement\n"
    second = "A line of the article.\nAdvertisement\nRead more »\n"
    for text in (first, second):
        doc = Document(text, "text")
        rs.tag(doc, memo=memo)
        assert [(m.start, m.end, m.rule) for m in doc.marks] == [m[:3] for m in marks(REFERENCE, text)[0]]
    assert [["Sign up now for unlimited free access to", "A line of the article.", "Advertisement"],
            ["Read more »"]] == asked


def test_the_rule_matcher_is_built_only_when_a_document_needs_it():
    cleaner = Cleaner()
    cleaner.clean_text("Sign up now for unlimited free access to\nThe minister resigned on Tuesday.\n")
    assert cleaner.ruleset._matcher is None  # plain text: the text core has its own matcher
    cleaner.clean_html("<html><body><article><p>The minister resigned on Tuesday, officials said "
                       "in a statement.</p><p>Sign up now for unlimited free access to</p></article></body></html>")
    assert cleaner.ruleset._matcher is not None
