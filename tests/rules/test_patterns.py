"""Rule patterns: checked at load (by the core where it can vouch for them), compiled by Python's
``regex`` on first use; every bad pattern is still refused at load with the rule's file, line and id."""

import pickle
import textwrap

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import RuleError
from cleaner.rules.pack import load_pack
from cleaner.rules.patterns import EMPTY_PROBES, Pattern, check_pattern, vouch_pattern

needs_core = pytest.mark.skipif(vouch_pattern is None, reason="the compiled core is not built")
FLAGS = regex.V0 | regex.IGNORECASE

PACK = """\
family: mine
rules:
  - id: MINE001
    name: my-regex
    description: A regex rule.
    match: {regex: 'buy (?:my|our) book\\b.{0,20}'}
    action: drop_line
  - id: MINE002
    name: my-span
    description: A literal span rule (the loader puts lookarounds around it).
    match: {literal: "(ad)", scope: span}
    action: strip_span
  - id: MINE003
    name: my-lookbehind
    description: A pattern with a lookbehind, which only Python can check.
    match: {regex: '(?<=[.!?])\\s*read more', scope: suffix}
    action: strip_span
"""


@needs_core
def test_loading_leaves_python_compiling_to_first_use(tmp_path):
    path = tmp_path / "pack.yaml"
    path.write_text(PACK, encoding="utf-8")
    first, span, behind = (rule.matchers[0].regex for rule in load_pack(path))
    assert (None, None) == (first._compiled, span._compiled)
    assert behind._compiled is not None  # checked with Python at load
    assert first.fullmatch("Buy our book today") is not None
    assert first._compiled is not None
    assert [(13, 17)] == [m.span() for m in span.finditer("A sentence.  (ad) more")]


@pytest.mark.parametrize("source, message", [
    (r"\x{41}b", "bad regex"),  # the crate reads it; Python's regex does not
    (r"ab**", "bad regex"),
    (r"x{3}{2}", "bad regex"),
    (r"x{2,1}", "bad regex"),
    (r"(?:x|\b)", "can match the empty string"),
    (r"[^\s\S]?y?", "can match the empty string"),
    ("(?<=a)b?", "can match the empty string"),
])
def test_bad_patterns_are_refused_at_load_with_the_rule(tmp_path, source, message):
    path = tmp_path / "pack.yaml"
    path.write_text(textwrap.dedent(f"""\
        family: mine
        rules:
          - id: MINE001
            name: my-junk
            description: Junk of mine.
            match: {{regex: '{source}'}}
            action: drop_line
        """), encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_pack(path)
    assert (str(path), 3, "MINE001") == (info.value.path, info.value.line, info.value.rule_id)
    assert message in info.value.message


def test_a_pattern_pickles_without_its_compiled_form():
    pattern = Pattern("(?:abc)", FLAGS, regex.compile("(?:abc)", FLAGS))
    copy = pickle.loads(pickle.dumps(pattern))
    assert (pattern, None) == (copy, copy._compiled)
    assert copy.search("xABC").span() == (1, 4)


TOKENS = ["a", "b", "é", " ", "-", ",", "\\d", "\\w", "\\s", "\\W", ".", "*", "+", "?", "*?", "++", "{2}",
          "{1,3}", "{,2}", "{3,1}", "{", "}", "|", "(", ")", "(?:", "(?i:", "(?-i:", "(?P<n>", "(?<n>", "(?<=a)",
          "(?!b)", "[", "]", "[a-z]", "[^\\w]", "[\\d-z]", "[]a]", "[[", "&&", "\\b", "\\B", "^", "$", "\\A",
          "\\Z", "\\z", "\\x41", "\\x{41}", "\\u00e9", "\\U0001F600", "\\pL", "\\p{Lu}", "\\p{Greek}", "\\P{N}",
          "\\1", "\\.", "\\-", "\\%", "\\_", "\\<", "(?i)", "(?x)", "\\t", "\\v", "\\a", "\\e", "\\N{BULLET}",
          "\\0", "\\141", "[:alpha:]", "#"]
PROBES = EMPTY_PROBES + ("ab", "xA-1 é", "b\n", "a,b", "AÉ é 12")


def python_refuses(source: str) -> bool:
    """The loader's check before the core vouched: Python compiles it, and no probe matches empty."""
    try:
        compiled = regex.compile(source, FLAGS)
    except (regex.error, TypeError, ValueError, RecursionError):
        return True
    return any(m.end() == m.start() for probe in PROBES for m in compiled.finditer(probe, timeout=1.0))


@needs_core
@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=8))
def test_what_the_core_vouches_for_python_compiles_and_never_matches_empty(parts):
    source = "(?:" + "".join(parts) + ")"
    if vouch_pattern(source):
        assert not python_refuses(source), source
        # and it reads as the compiled pattern did: the same flags (the engine reads them)
        assert regex.compile(source, FLAGS).flags == check_pattern(source, FLAGS).flags
    # so the loader refuses exactly what it refused before the core vouched
    assert isinstance(check_pattern(source, FLAGS), str) == python_refuses_old(source)


def python_refuses_old(source: str) -> bool:
    try:
        compiled = regex.compile(source, FLAGS)
    except (regex.error, TypeError, ValueError):
        return True
    return any(m.end() == m.start() for probe in EMPTY_PROBES for m in compiled.finditer(probe, timeout=1.0))
