"""Plain text cleaned whole by the compiled core gives what the Python pipeline gives.

:mod:`cleaner.heuristics.textcore` hands a plain-text document to the core in one call (every
pass: rules, HEU001-HEU030, HEU010, marks, composition). The Python pipeline
(``Cleaner._clean_passes``) is the reference: these tests build documents from the lines the rule
packs' examples remove and keep, the heuristics' cues, Unicode edge cases and blank lines, and
hold the two to the same clean text, removals, rejection and metadata.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, Config, DocumentError
from cleaner.heuristics import textcore
from cleaner.pipeline import text_document

sys.path.insert(0, str(Path(__file__).resolve().parent))

from differential import run  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(textcore.TextCore is None, reason="the compiled core is not built")

PROSE = ("The city council voted on Tuesday to extend the night bus service to the northern suburbs, "
         "after a year of complaints from shift workers who had no way home.")


def _outcome(result):
    return (result.text, result.rejected, result.detail, result.metadata,
            [(r.rule, r.reason, r.line, r.start, r.end, r.excerpt, r.lines) for r in result.removals])


def both(engine: Cleaner, text: str):
    """(core, Python) outcomes of cleaning ``text``; the core must have taken it."""
    core = engine._text_core.clean(text_document(text, engine.config))
    assert core is not None, "the core left the document to Python"
    ref = engine._clean_passes(text_document(text, engine.config))
    return _outcome(core), _outcome(ref)


def _pool() -> list[str]:
    """Lines the shipped rules remove and keep, and lines the heuristics look for."""
    engine = Cleaner()
    lines = []
    for rule in engine.rules:
        lines += [e if isinstance(e, str) else e["text"] for e in rule.examples_remove]
        lines += list(rule.examples_keep)
    lines += [
        PROSE, PROSE.upper(), "Dmitry Antonov, Tom Balmforth and Simon Lewis", "By Anna Smith",
        "John Smith says:", "Mary Jones on March 3, 2019 at 6:34 am said:", "2 days ago at 07:47 am",
        "Ann Lee", "Replies: 12", "Reuters", "World News", "Home", "Sign in", "Subscribe",
        "关于我们 联系我们 隐私政策", "これはペンです。今日はいい天気ですね。", "Über uns · Impressum · Datenschutz",
        "  \t ", "", "\u00a0", "Stra\u00dfe \u2014 \u201cquoted\u201d \u2019s ﬁnal", "\u0661\u0662 © 2024 All rights reserved",
        "e\u0301\u0301 \u200d\x1c\x1d mixed", "• one | two | three", "Related stories", "Leave a Reply",
    ]
    return [line for line in lines if "\n" not in line and "\r" not in line]


POOL = _pool()
ENGINES = {}


def _engine(favor: str, comments: bool) -> Cleaner:
    key = (favor, comments)
    if key not in ENGINES:
        ENGINES[key] = Cleaner(Config(favor=favor, include_comments=comments))
    return ENGINES[key]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(POOL), st.text(max_size=40).filter(lambda t: "\n" not in t)),
                min_size=0, max_size=40),
       st.sampled_from(["balanced", "precision", "recall"]), st.booleans(), st.booleans())
def test_any_document_of_rule_examples_and_cues_is_cleaned_the_same(lines, favor, comments, final_newline):
    text = "\n".join(lines) + ("\n" if final_newline else "")
    engine = _engine(favor, comments)
    try:
        core, ref = both(engine, text)
    except DocumentError as exc:  # both must reject it alike
        with pytest.raises(DocumentError) as again:
            engine._clean_passes(text_document(text, engine.config))
        assert exc.reason == again.value.reason
        return
    assert core == ref


@pytest.mark.parametrize("favor", ["balanced", "precision", "recall"])
@pytest.mark.parametrize("comments", [False, True])
def test_every_fixture_and_seed_is_cleaned_the_same(favor, comments):
    tally = run([ROOT / "fixtures"], favors=(favor,), include_comments=comments)
    assert tally.docs >= 10
    assert [] == tally.doc_examples
    assert 0 == tally.doc_differ


def _outlined(text: str) -> str:
    """``text`` in MATHEMATICAL OUTLINED letters (Unicode 16, compatibility-decomposing to ASCII)."""
    return "".join(chr(0x1CCD6 + ord(ch) - ord("a")) if "a" <= ch <= "z" else ch for ch in text)


@pytest.mark.parametrize("line", [
    _outlined("original source"),              # NFKC (Unicode 16) "original source", a FOOT001 line
    "x \U0001E030\U0001E031 y\nx \u0430\u0431 y",  # Unicode 15 modifier letters, NFKC (15) Cyrillic ones
])
def test_characters_newer_than_python_unicode_are_keyed_as_python_keys_them(line):
    """Python's NFKC keeps a character its Unicode does not know; the core's normalization crate
    has newer tables: the core keeps such a character too, so the line keys agree."""
    assert unicodedata.category(line[2] if line[0] == "x" else line[0]) == "Cn"  # unknown to this Python
    core, ref = both(_engine("balanced", False), PROSE + "\n" + line + "\n" + PROSE + "\n")
    assert core == ref


def test_a_record_carries_the_removals_list_a_caller_edited():
    from cleaner.sinks.records import build_record, dumps

    engine = _engine("balanced", False)
    result = engine.clean_document(text_document("Home\nNews\n" + PROSE + "\nShare this\n", engine.config))
    assert result.table is not None and len(result.removals) >= 2
    dropped = result.removals.pop()
    record = build_record(engine, result, doc_id="x", source="s", added="a", provenance={}, raw=True)
    removed = json.loads(dumps(record))["metadata"]["removed"]
    assert [r["start"] for r in removed] == [r.start for r in result.removals]
    assert dropped.start not in [r["start"] for r in removed]


def test_a_lone_surrogate_is_left_to_python():
    engine = _engine("balanced", False)
    doc = text_document("Home\n" + PROSE + " \udc80\n", engine.config)
    assert engine._text_core.clean(doc) is None
    assert "\udc80" in engine.clean_document(doc).text


def _with_rule(tmp_path, rule_yaml: str) -> Cleaner:
    """A cleaner with the shipped packs and one more pack holding ``rule_yaml`` (a YAML list item)."""
    pack = tmp_path / "extra.yaml"
    pack.write_text("family: test\nrules:\n" + rule_yaml, encoding="utf-8")
    return Cleaner(Config(rule_paths=(str(pack),)))


def test_a_rule_the_core_leaves_to_python_sends_the_document_there(tmp_path):
    engine = _with_rule(tmp_path, "  - id: LOOK001\n    name: lookahead-line\n    description: A line of z and q followed by w.\n"
                                  "    action: drop_line\n    match: {regex: 'zqq(?=w)w', scope: line}\n"
                                  "    examples: {remove: ['zqqw'], keep: ['zqq']}\n")
    assert engine._text_core is not None
    with_rule = text_document(PROSE + "\nzqqw\n", engine.config)
    assert engine._text_core.clean(with_rule) is None
    assert ["LOOK001"] == [r.rule for r in engine.clean_document(with_rule).removals]
    without = text_document(PROSE + "\nplain\n", engine.config)  # the prefilter keeps it out
    assert engine._text_core.clean(without) is not None


def test_a_bracket_inside_a_class_is_read_as_python_reads_it(tmp_path):
    # Python's regex (V0) reads [a[b]] as one class of a, "[" and b, then "]"; the crate would
    # read a nested class of a and b: the core leaves the rule to Python
    engine = _with_rule(tmp_path, "  - id: BRACKET001\n    name: bracket-class\n    description: zq, a bracket class.\n"
                                  "    action: drop_line\n    match: {regex: 'zq[a[b]]', scope: line}\n"
                                  "    examples: {remove: ['zqa]', 'zq[]'], keep: ['zqa']}\n")
    doc = text_document(PROSE + "\nzqa]\nzqa\n", engine.config)
    assert engine._text_core.clean(doc) is None
    assert [(2, "BRACKET001")] == [(r.line, r.rule) for r in engine.clean_document(doc).removals]  # not zqa


def test_a_drop_document_rule_rejects_it_in_the_core(tmp_path):
    engine = _with_rule(tmp_path, "  - id: GONE001\n    name: gone-page\n    description: A page that is gone.\n"
                                  "    action: drop_document\n    match: {literal: 'This page has been removed', scope: line}\n"
                                  "    examples: {remove: ['This page has been removed'], keep: ['This page']}\n")
    core, ref = both(engine, PROSE + "\nThis page has been removed\n")
    assert core == ref
    assert "dropped_by_rule" == core[1] and "rule GONE001" == core[2]


# Characters feature_text treats apart: Hangul syllables and jamo, the particles it cuts off,
# Han, kana, the prolonged sound mark, spaces (ASCII and ideographic), CJK punctuation
_CJK_ALPHABET = ("대중들반응비난이어졌다홈뉴스로그인ᄀᄁ" "은는이가을를의에도로와과만서게까지부터처럼보다"
                 "時政地方法治新华网正文关于我们ニュースこれはペンですー々" "  \u3000。！？，、；.a1_")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_CJK_ALPHABET, max_size=30))
def test_feature_text_of_the_core_is_the_reference(line):
    """Korean particles, lists of Chinese or Japanese items and word cutting: the core's
    feature_text gives the reference's text on any mix of these characters."""
    from cleaner._core import feature_text as core_feature_text
    from cleaner.lines.cjk import feature_text

    assert core_feature_text(line) == feature_text(line)
