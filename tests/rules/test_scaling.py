"""The multi-pattern prefilter never changes what the rules match (correctness, not timing)."""

from __future__ import annotations

import random
import string
import sys
from pathlib import Path

import pytest
import regex

from cleaner import Cleaner, Config
from cleaner.document import Document
from cleaner.rules.engine import RuleSet
from cleaner.lines.prefilter import fold_for_scan, required_literals
from cleaner.rules.pack import load_rules
from cleaner.rules.examples import check_rule

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "perf"))
from rulegen import make_rules, write_pack  # noqa: E402

SHIPPED = Cleaner().rules


@pytest.mark.parametrize("source, expected", [
    (r"sign up now\b.*", {"sign up now"}),
    (r"(?:sign\s?up|register)\b.{0,80}", {"sign", "register"}),
    (r"(?:foo)?barbaz", {"barbaz"}),
    (r"x(?:ab|abc|zz)+y", {"ab", "zz"}),  # "abc" contains "ab": finding "ab" is implied
    (r"\d+ comments?", {" comment"}),
    (r"(?<=hello )world", {"world"}),
    (r"copyright ©", {"copyright ©"}),
])
def test_required_literals(source, expected):
    assert expected == set(required_literals(source))


@pytest.mark.parametrize("source", [
    r"\p{Lu}\w+",            # no literal at all
    r"(?:ab)?cd?",           # nothing long enough is required
    r"[[:alpha:]]+ words",   # POSIX class: re would read it as literal text
    r"(?:wordy){e<=1}",      # fuzzy matching: re would read "{e<=1}" as literal text
    r"a|bcd",                # one branch has no usable literal
    r"(?|(ab)|(cd))",        # regex-only syntax re cannot parse
])
def test_patterns_without_safe_literals_are_tried_on_every_line(source):
    assert required_literals(source) is None


def test_folding_covers_every_character_regex_matches_case_insensitively():
    """Every character that regex's IGNORECASE matches to printable ASCII folds to it."""
    everything = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    for ch in string.ascii_letters + string.digits + string.punctuation + " ":
        same = {m.group() for m in regex.finditer(regex.escape(ch), everything, regex.IGNORECASE | regex.V0)}
        assert [] == [hex(ord(c)) for c in same if fold_for_scan(c) != ch.lower()], ch


def _marks(ruleset: RuleSet, text: str, domain: str | None = None, fmt: str = "text"):
    doc = Document(text, fmt, domain=domain)
    ruleset.tag(doc)
    return doc.drop_reason, [(m.start, m.end, m.rule, m.whole_line) for m in doc.marks]


def _texts(rules, rng: random.Random, count: int) -> list[str]:
    """Documents stitched from rule examples, prose and tricky characters."""
    pieces = ["A plain sentence of the article, long enough to be prose for sure.", "", "  ",
              "İ ſ \u212a ©", "Share", "Photo: Someone Else", "Copyright 2023 Somebody"]
    for rule in rules:
        pieces += [ex if isinstance(ex, str) else ex["text"] for ex in rule.examples_remove]
        pieces += list(rule.examples_keep)
    docs = []
    for _ in range(count):
        lines = rng.sample(pieces, k=min(len(pieces), rng.randint(1, 25)))
        lines = [ln.upper() if rng.random() < 0.1 else ln for ln in lines]
        docs.append("\n".join(lines) + ("\n" if rng.random() < 0.5 else ""))
    return docs


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_prefilter_marks_what_the_plain_engine_marks_with_shipped_rules(fmt):
    fast, plain = RuleSet(SHIPPED), RuleSet(SHIPPED, prefilter=False)
    assert fast._index.size > 0
    rng = random.Random(1)
    for text in _texts(SHIPPED, rng, 300):
        for domain in (None, "inkl.com", "www.reuters.com"):
            assert _marks(plain, text, domain, fmt) == _marks(fast, text, domain, fmt)


def test_prefilter_marks_what_the_plain_engine_marks_with_generated_rules(tmp_path):
    path = tmp_path / "generated.yaml"
    write_pack(str(path), 600)
    rules = SHIPPED + load_rules([str(path)])
    fast, plain = RuleSet(rules), RuleSet(rules, prefilter=False)
    assert len(fast._always) < len(rules) // 10  # nearly every rule is behind the automaton
    rng = random.Random(2)
    for text in _texts(rules, rng, 150):
        assert _marks(plain, text) == _marks(fast, text)


def test_generated_pack_is_a_valid_pack_whose_examples_pass(tmp_path):
    path = tmp_path / "generated.yaml"
    write_pack(str(path), 120)
    rules = load_rules([str(path)])
    assert 120 == len(rules)
    assert len(make_rules(120)) == len(rules)
    assert [] == [str(f) for rule in rules for f in check_rule(rule)]


def _reference_fold(text: str) -> str:
    """fold_text as first written (regex substitutions), to check the fast one against."""
    import unicodedata

    from cleaner.lines.normalize import _FOLD, _SPACES

    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return _SPACES.sub(" ", text).strip()


def test_fast_line_keys_equal_the_reference_folding():
    from cleaner.lines.normalize import _FOLD, fold_text

    rng = random.Random(3)
    alphabet = (string.printable + "\x1c\x1d\x1e\x1f\x85\u1680\u2028\u2029\u3000\u00a0\u2009ÄéßİıſK"
                + "".join(map(chr, _FOLD)) + "ﬁ①Ａ")
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert _reference_fold(text) == fold_text(text), repr(text)


SCOPED = """\
family: scoped
rules:
  - {id: SCOPE001, name: a, description: d, match: {regex: 'alpha \\d+ beta'}, action: drop_line,
     when: {domains: [example.org]}}
  - {id: SCOPE002, name: b, description: d, match: {regex: 'gamma \\d+ delta'}, action: drop_line,
     when: {sites: [other.net], formats: [text]}}
  - {id: SCOPE003, name: c, description: d, match: {regex: 'eps \\d+ zeta'}, action: drop_line,
     when: {formats: [html]}}
  - {id: SCOPE004, name: e, description: d, match: {regex: 'eta \\d+ theta'}, action: drop_line,
     when: {domains: [example.org], formats: [html]}}
"""


def test_a_new_sites_document_asks_only_the_scoped_rules(tmp_path, monkeypatch):
    from cleaner.heuristics import textcore
    from cleaner.rules import engine

    pack, scoped = tmp_path / "many.yaml", tmp_path / "scoped.yaml"
    write_pack(str(pack), 300)
    scoped.write_text(SCOPED, encoding="utf-8")
    cleaner = Cleaner(Config(rule_paths=(str(pack), str(scoped))))
    asked = []
    for module in (engine, textcore):
        real = module.rule_applies
        monkeypatch.setattr(module, "rule_applies", lambda r, d, k, real=real: asked.append(r.id) or real(r, d, k))
    text = "Alpha 12 beta\ngamma 3 delta\neps 4 zeta\nThe minister resigned on Tuesday after a long debate.\n"
    for url in ("https://www.example.org/a", "https://news.other.net/b", "https://third.com/c"):
        result = cleaner.clean_text(text, url=url)
        assert ({"https://www.example.org/a": ["SCOPE001"], "https://news.other.net/b": ["SCOPE002"]}.get(url, [])
                == [r.rule for r in result.removals if r.rule.startswith("SCOPE")])
    # per new site, the rules whose domains or sites depend on it, never the 300 others
    assert set(asked) <= {r.id for r in cleaner.rules if r.domains or r.sites}
    assert {"SCOPE001", "SCOPE002"} <= set(asked)


@pytest.mark.parametrize("kind", ["text", "html"])
def test_split_scoped_answers_as_rule_applies(tmp_path, kind):
    from cleaner.rules.engine import rule_applies, split_scoped

    scoped = tmp_path / "scoped.yaml"
    scoped.write_text(SCOPED, encoding="utf-8")
    rules = SHIPPED + load_rules([str(scoped)])
    base, asked = split_scoped(rules, kind)
    for domain, site in [("example.org", None), ("www.example.org", "other.net"), (None, None), ("x.net", "y")]:
        doc = Document("x\n", kind, domain=domain, site=site)
        got = list(base)
        for i in asked:
            got[i] = rule_applies(rules[i], doc, kind)
        assert [rule_applies(r, doc, kind) for r in rules] == got
