"""Loading rule packs: broken files fail loudly with file, line, rule id; files are data."""

import textwrap

import pytest

from cleaner import Cleaner, Config, RuleError
from cleaner.rules.pack import load_pack

GOOD = """\
family: mine
rules:
  - id: MINE001
    name: my-junk
    description: Junk of mine.
    match: {literal: "Buy my book"}
    action: drop_line
    examples: {remove: ["Buy my book"], keep: ["I bought a book."]}
"""


def write(tmp_path, text, name="pack.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_user_pack_adds_rules(tmp_path):
    path = write(tmp_path, GOOD)
    result = Cleaner(Config(rule_paths=(str(path),))).clean_text("Buy my book\nThe actual sentence stays here.\n")
    assert "The actual sentence stays here.\n" == result.text
    assert ["MINE001"] == [r.rule for r in result.removals]


@pytest.mark.parametrize("patch, line, rule_id, message", [
    (("action: drop_line", "action: explode"), 3, "MINE001", "'action' must be one of"),
    (('match: {literal: "Buy my book"}', "match: {regex: 'a*'}"), 3, "MINE001", "can match the empty string"),
    (('match: {literal: "Buy my book"}', "match: {regex: '(unclosed'}"), 3, "MINE001", "bad regex"),
    (("name: my-junk", "name: My Junk"), 3, "MINE001", "kebab-case"),
    (("id: MINE001", "id: mine-1"), 3, "mine-1", "'id' must look like"),
    (("description: Junk of mine.", "colour: red"), 3, "MINE001", "unknown keys: colour"),
    (('match: {literal: "Buy my book"}', "match: {literal: 'x', regex: 'y'}"), 3, "MINE001", "exactly one of"),
])
def test_broken_rule_reports_file_line_and_id(tmp_path, patch, line, rule_id, message):
    path = write(tmp_path, GOOD.replace(*patch))
    with pytest.raises(RuleError) as info:
        load_pack(path)
    err = info.value
    assert (str(path), line, rule_id) == (err.path, err.line, err.rule_id)
    assert message in err.message
    assert f"{path}:{line}:" in str(err)


def test_yaml_syntax_error_has_a_line(tmp_path):
    path = write(tmp_path, GOOD + "  - id: [unclosed\n")
    with pytest.raises(RuleError) as info:
        load_pack(path)
    assert info.value.line == 10
    assert "not valid YAML" in info.value.message


def test_duplicate_ids_across_packs(tmp_path):
    write(tmp_path, GOOD, "a.yaml")
    write(tmp_path, GOOD.replace("my-junk", "other-junk"), "b.yaml")
    with pytest.raises(RuleError) as info:
        Cleaner(Config(rule_paths=(str(tmp_path),)))
    assert "duplicate id MINE001" in info.value.message


def test_loading_never_executes_code(tmp_path):
    marker = tmp_path / "pwned"
    path = write(tmp_path, f"!!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(RuleError):
        load_pack(path)
    assert not marker.exists()


def test_cli_stops_with_exit_2_before_any_work(tmp_path, cli):
    bad = write(tmp_path, GOOD.replace("action: drop_line", "action: explode"))
    src = tmp_path / "in"
    src.mkdir()
    (src / "doc.txt").write_text("A sentence of content for the test.\n")
    out = tmp_path / "out.jsonl"
    proc = cli("run", str(src), "-o", str(out), "--rules", str(bad))
    assert 2 == proc.returncode
    assert f"{bad}:3: rule MINE001" in proc.stderr
    assert not out.exists()


def test_unknown_disable_is_a_config_error(tmp_path, cli):
    src = tmp_path / "doc.txt"
    src.write_text("A sentence of content for the test.\n")
    proc = cli("run", str(src), "-o", str(tmp_path / "o.jsonl"), "--disable", "NOPE999")
    assert 2 == proc.returncode
    assert "NOPE999" in proc.stderr


def test_unless_applies_to_whole_line_literals_too(tmp_path):
    path = write(tmp_path, GOOD.replace('match: {literal: "Buy my book"}',
                                        'match: {literal: "Buy my book"}\n    when: {unless: "^Buy my book$"}'))
    result = Cleaner(Config(rule_paths=(str(path),), default_rules=False)).clean_text(
        "Buy my book\nThe actual sentence stays here.\n")
    assert "Buy my book" in result.text
    assert [] == [r.rule for r in result.removals if r.rule == "MINE001"]
