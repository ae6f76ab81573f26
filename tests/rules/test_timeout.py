"""Dangerous rules: a backtracking regex is stopped per rule and document; loading runs no code."""

from __future__ import annotations

import time

import pytest
import regex

from cleaner import Cleaner, Config, DocumentError, RuleError
from cleaner.rules.pack import load_pack
from hostile_support import hostile, outcomes, run_cli

# ``(a|aa)+$`` really backtracks in the regex module (``(a+)+$`` and ``(x+x+)+y`` are optimised);
# the lookahead keeps the rule on Python's regex (the compiled core's regex crate has none), where
# the timeout is what stops it. Without it the core runs the rule, in linear time (tested below).
LINEAR = "(?:a|aa)+$"
EVIL = "(?:a|aa)+(?=$)"
PACK = f"""family: user
description: A rule with catastrophic backtracking.
rules:
  - id: USER001
    name: evil-backtracking
    description: Ends in a run of a's.
    match:
      regex: '{EVIL}'
      scope: span
    action: drop_line
    examples:
      remove: ["aaaa"]
      keep: ["bbbb"]
"""
TRAP = "a" * 64 + "b"


def test_the_pattern_really_backtracks():
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        regex.compile(EVIL).search(TRAP, timeout=0.2)
    # it ran until the timeout stopped it (an optimised pattern would fail in microseconds);
    # regex reads its own clock, so allow for clock granularity against time.monotonic
    assert time.monotonic() - started >= 0.15


def test_the_core_runs_the_same_pattern_in_linear_time(tmp_path):
    from cleaner.rules import engine

    if engine.RuleMatcher is None:
        pytest.skip("the compiled core is not built")
    pack = tmp_path / "linear.yaml"
    pack.write_text(PACK.replace(EVIL, LINEAR))
    cleaner = Cleaner(Config(rule_paths=(str(pack),), rule_timeout=0.2))
    assert "core" == cleaner.ruleset.engine_of(next(r for r in cleaner.rules if r.id == "USER001"))
    started = time.monotonic()
    text = cleaner.clean_text(f"{hostile.SENTENCE}\n{'a' * 100_000 + 'b'}\n").text  # no match, no timeout
    assert "aaaa" in text and time.monotonic() - started < 5


def test_rule_timeout_rejects_the_document_with_the_rule_id(tmp_path):
    pack = tmp_path / "evil.yaml"
    pack.write_text(PACK)
    cleaner = Cleaner(Config(rule_paths=(str(pack),), rule_timeout=0.2))
    with pytest.raises(DocumentError) as info:
        cleaner.clean_text(f"{hostile.SENTENCE}\n{TRAP}\n")
    assert ("rule_timeout", "USER001") == (info.value.reason, info.value.rule)
    assert "aaaa\n" not in cleaner.clean_text(f"{hostile.SENTENCE}\naaaa\n").text


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_goes_on_and_summary_names_the_rule(tmp_path, jobs):
    pack = tmp_path / "evil.yaml"
    pack.write_text(PACK)
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(hostile.ARTICLE)
    (src / "b-trap.txt").write_text(f"{hostile.ARTICLE}{TRAP}\n")
    (src / "c.jsonl").write_text('{"id": "1", "text": "%s\\n%s"}\n{"id": "2", "text": "%s"}\n'
                                 % (hostile.SENTENCE, TRAP, hostile.SENTENCE))
    out = tmp_path / "out.jsonl"
    proc = run_cli("run", str(src), "-o", str(out), "--rules", str(pack), "--rule-timeout", "0.2",
                   "--jobs", jobs, timeout=120)
    assert 0 == proc.returncode, proc.stderr
    records, rejects = outcomes(out)
    assert {("a.txt", None), ("c.jsonl", 2)} == set(records)
    assert {("b-trap.txt", None): ("rule_timeout", "USER001"), ("c.jsonl", 1): ("rule_timeout", "USER001")} == \
        {key: (r["reason"], r["rule"]) for key, r in rejects.items()}
    assert "rules that ran out of time (fix or --disable them): USER001 x2" in proc.stderr


NASTY = [
    "!!python/object/apply:os.system ['touch {marker}']\n",
    "family: x\nrules: !!python/object/new:os.system ['touch {marker}']\n",
    "family: !!python/name:os.system x\nrules: []\n",
    "family: x\ndescription: !include /etc/passwd\nrules: []\n",
    "family: x\nrules:\n  - id: X001\n    name: x\n    description: x\n    match: {{regex: \"__import__('os').system('touch {marker}')\"}}\n"
    "    action: drop_line\n    examples: {{remove: [x], keep: [y]}}\n",
]


@pytest.mark.parametrize("text", NASTY, ids=["apply", "new", "name", "include", "eval-string"])
def test_loading_a_rule_file_never_runs_code(tmp_path, text):
    marker = tmp_path / "pwned"
    path = tmp_path / "pack.yaml"
    path.write_text(text.format(marker=marker))
    try:
        rules = load_pack(str(path))
    except RuleError:
        rules = None
    assert not marker.exists()
    if rules:  # the string is only ever a pattern
        cleaner = Cleaner(Config(rule_paths=(str(path),)))
        cleaner.clean_text(f"{hostile.SENTENCE}\n__import__('os').system('touch {marker}')\n")
        assert not marker.exists()
