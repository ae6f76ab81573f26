"""The cache of loaded packs: the same rules as a load from the file, never a stale or damaged answer."""

import glob
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import Cleaner, Config, RuleError
from cleaner.lines import prefilter
from cleaner.rules import pack as packmod
from cleaner.rules import packcache
from cleaner.rules.pack import load_pack
from cleaner.rules.shipped import shipped_packs_dir

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "perf"))
from rulegen import write_pack  # noqa: E402

# every field and shape a rule can have: unless, domains and sites, formats, block, section, a
# remove example with its expected text, aliases, min_position, case_sensitive, a learned pack
VARIED = """\
family: varied
domains: [example.com]
rules:
  - id: VAR001
    name: signup-block
    description: A two-line signup block.
    match: {block: ["Sign up", {regex: 'for (?:free|more)\\\\b.*'}]}
    when: {formats: [text], within_tail: 20, min_position: 0.5}
    action: drop_line
    aliases: [VAR-OLD-001]
  - id: VAR002
    name: photo-credit
    description: A credit at the end of a line.
    match: {regex: '\\\\(photo: [^)]+\\\\)', scope: suffix, case_sensitive: true}
    when: {unless: 'keep me', sites: [example.com], max_words: 40, min_words: 2}
    action: strip_span
    examples:
      remove: [{text: "A cat. (photo: AP)", expect: "A cat."}]
      keep: ["(photo: AP) first"]
  - id: VAR003
    name: related-heading
    description: A related-stories heading.
    match: {literal: ["Related stories", "More stories"]}
    section: {max_lines: 5, max_words: 9}
    action: drop_section
  - id: VAR004
    name: ad-span
    description: An ad word in a line.
    match: {literal: "Advertisement", scope: span}
    action: strip_span
"""


@pytest.fixture
def cache(tmp_path, monkeypatch):
    where = tmp_path / "cache"
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(where))
    return where / "packs"


def entries(cache):
    return sorted(cache.glob("*.json")) if cache.is_dir() else []


def load_twice(path):
    """(the rules loaded from the file, the same loaded again), the second time from the cache."""
    first = load_pack(path)
    second = load_pack(path)
    return first, second


def same_rules(a, b):
    assert a == b
    assert [r.canonical for r in a] == [r.canonical for r in b]
    assert [r.path for r in a] == [r.path for r in b]
    for x, y in zip(a, b):
        for name in ("matchers", "unless", "domains", "examples_remove", "min_position"):
            assert type(getattr(x, name)) is type(getattr(y, name))
        assert [(m.regex.pattern, m.regex.flags) for m in x.matchers] == [(m.regex.pattern, m.regex.flags)
                                                                         for m in y.matchers]


@pytest.mark.parametrize("which", ["shipped", "generated", "varied"])
def test_a_pack_loads_from_the_cache_as_from_its_file(tmp_path, cache, monkeypatch, which):
    if which == "shipped":
        paths = sorted(glob.glob(f"{shipped_packs_dir()}/**/*.yaml", recursive=True))
    elif which == "generated":
        write_pack(str(tmp_path / "many.yaml"), 300)
        paths = [str(tmp_path / "many.yaml")]
    else:
        (tmp_path / "varied.yaml").write_text(VARIED, encoding="utf-8")
        paths = [str(tmp_path / "varied.yaml")]
    fresh = [load_pack(p) for p in paths]
    assert len(paths) == len(entries(cache))

    def no_yaml(self):
        raise AssertionError("the pack was read from its file again")

    monkeypatch.setattr(packmod._PackLoader, "load", no_yaml)
    prefilter._parse_reading.cache_clear()
    for path, rules in zip(paths, fresh):
        cached = load_pack(path)
        same_rules(rules, cached)
        for rule in cached:  # the prefilter's readings came with the entry: nothing is parsed
            if rule.scope != "block":
                source = rule.matchers[0].regex.pattern
                assert prefilter._parse_reading.__wrapped__(source) == prefilter.read_pattern(source)
    assert 0 == prefilter._parse_reading.cache_info().currsize


def test_a_cleaner_from_the_cache_is_the_same_cleaner(tmp_path, cache):
    write_pack(str(tmp_path / "many.yaml"), 120)
    (tmp_path / "varied.yaml").write_text(VARIED, encoding="utf-8")
    config = Config(rule_paths=(str(tmp_path / "many.yaml"), str(tmp_path / "varied.yaml")))
    fresh = Cleaner(config)
    assert entries(cache)
    prefilter._REMEMBERED.clear()
    prefilter._parse_reading.cache_clear()
    cached = Cleaner(config)
    assert fresh.fingerprint == cached.fingerprint
    assert fresh.ruleset.core_specs()[1] == cached.ruleset.core_specs()[1]
    text = "Advertisement\nSign up\nfor free today\nA real sentence stays here (photo: AP)\nRelated stories\n"
    assert fresh.clean_text(text) == cached.clean_text(text)


def test_a_changed_pack_is_never_answered_from_the_old_entry(tmp_path, cache):
    path = tmp_path / "varied.yaml"
    path.write_text(VARIED, encoding="utf-8")
    load_twice(path)
    path.write_text(VARIED.replace("Advertisement", "Sponsored"), encoding="utf-8")
    assert "Sponsored" in load_pack(path)[3].matchers[0].source
    assert 2 == len(entries(cache))


def test_the_file_name_is_part_of_the_key(tmp_path, cache):
    # a pack without a family is named after its file
    text = VARIED.replace("family: varied\n", "")
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    assert {"a"} == {r.family for r in load_pack(tmp_path / "a.yaml")}
    assert {"b"} == {r.family for r in load_pack(tmp_path / "b.yaml")}


def test_a_damaged_entry_is_a_miss_and_is_written_again(tmp_path, cache, monkeypatch):
    path = tmp_path / "varied.yaml"
    path.write_text(VARIED, encoding="utf-8")
    fresh = load_pack(path)
    [entry] = entries(cache)
    good = entry.read_bytes()
    for damaged in (good[:-10], good.replace(b"VAR004", b"VAR005"), b"", b"not an entry"):
        entry.write_bytes(damaged)
        same_rules(fresh, load_pack(path))
        assert good == entry.read_bytes()
    # the checksum holds but the body is not what the loader wrote: loaded from the file
    body = b'{"rules": [{"id": 1}], "readings": {}}'
    assert packcache.write_entry(entry, body)
    same_rules(fresh, load_pack(path))


def test_a_cache_that_cannot_be_written_only_means_no_entry(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(blocker / "cache"))  # under a file: cannot be made
    path = tmp_path / "varied.yaml"
    path.write_text(VARIED, encoding="utf-8")
    same_rules(*load_twice(path))
    assert not (blocker.parent / "cache").exists()


def test_an_empty_cache_dir_turns_it_off(tmp_path, monkeypatch):
    monkeypatch.setenv("CLEANER_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = tmp_path / "varied.yaml"
    path.write_text(VARIED, encoding="utf-8")
    same_rules(*load_twice(path))
    assert [path] == [p for p in tmp_path.rglob("*") if p.is_file()]


def test_the_default_place_is_the_user_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("CLEANER_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert tmp_path / "xdg" / "cleaner" / "packs" == packcache.cache_dir()
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert tmp_path / "home" / ".cache" / "cleaner" / "packs" == packcache.cache_dir()


def test_a_bad_pack_is_never_kept(tmp_path, cache):
    path = tmp_path / "bad.yaml"
    path.write_text(VARIED.replace("action: drop_section", "action: explode"), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RuleError, match="'action' must be one of"):
            load_pack(path)
    assert [] == entries(cache)


def test_a_pack_json_cannot_hold_loads_without_an_entry(tmp_path, cache):
    path = tmp_path / "odd.yaml"  # a count past 64 bits (orjson's integers)
    path.write_text(VARIED.replace("max_words: 40", "max_words: 100000000000000000000"), encoding="utf-8")
    same_rules(*load_twice(path))
    assert [] == entries(cache)


def test_the_key_covers_the_loader_code(monkeypatch):
    names = [Path(p).as_posix() for p in packcache._CODE]
    for module in (packmod, prefilter, packcache):
        assert any(Path(module.__file__).as_posix().endswith(n) for n in names), module.__name__
    package = Path(packmod.__file__).resolve().parents[1]
    assert all((package / name).is_file() for name in names)


def test_a_run_whose_packs_are_all_cached_never_imports_pyyaml(tmp_path):
    probe = "import sys; from cleaner import Cleaner; Cleaner(); print('yaml' in sys.modules)"
    env = {**os.environ, "CLEANER_CACHE_DIR": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
            .stdout.split() for _ in range(2)]
    assert [["True"], ["False"]] == runs  # the first run loads the YAML and keeps the entries


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners")
def test_an_entry_another_user_owns_is_ignored(tmp_path, cache, monkeypatch):
    path = tmp_path / "varied.yaml"
    path.write_text(VARIED, encoding="utf-8")
    fresh = load_pack(path)
    [entry] = entries(cache)
    assert packcache.read_entry(entry) is not None
    monkeypatch.setattr(os, "getuid", lambda: os.stat(entry).st_uid + 1)
    assert packcache.read_entry(entry) is None
    same_rules(fresh, load_pack(path))  # loaded from its file
