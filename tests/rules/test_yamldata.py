"""A pack's YAML becomes the same Python data as PyYAML's safe constructor makes of it, or the same error."""

import glob
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.rules.pack import safe_loader
from cleaner.rules.yamldata import construct_data

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "perf"))
from rulegen import make_rules  # noqa: E402


def both(text: str):
    """(PyYAML's constructor's answer or error, construct_data's answer or error), as their reprs
    (a recursive list is compared by its repr)."""
    out = []
    for build in (lambda loader, node: loader.construct_document(node), construct_data):
        loader = safe_loader()(text)
        try:
            node = loader.get_single_node()
            out.append(("ok", repr(build(loader, node) if node is not None else None)))
        except Exception as exc:  # noqa: BLE001 - whatever PyYAML raises, both must raise it alike
            out.append(("error", type(exc).__name__, str(exc)))
        finally:
            loader.dispose()
    return out


@pytest.mark.parametrize("path", sorted(glob.glob(str(ROOT / "cleaner" / "packs" / "**" / "*.yaml"), recursive=True)))
def test_shipped_packs(path):
    old, new = both(Path(path).read_text(encoding="utf-8"))
    assert old == new


@pytest.mark.parametrize("text", [
    "base: &b {max_words: 3, formats: [text]}\nrules:\n  - {id: A001, when: {<<: *b, min_words: 1}}\n",  # merge key
    "a: &x [1, 2]\nb: *x\n",  # a list used twice
    "a: &x {k: v}\nb: *x\n",
    "a: &x [*x]\n",  # recursive
    "s: !!set {a, b}\no: !!omap [{a: 1}, {b: 2}]\n",
    "t: 2024-01-02\nb: !!binary aGVsbG8=\nk: {2024-01-02: x}\n",
    "n: [yes, no, on, off, ~, null, 0x1F, 0o17, 1_000, 1:30, .inf, -.inf, 3.5e2, '007', \"x\\ty\"]\n",
    "x: !foo bar\n",  # unknown tag: the same error
    "x: !!int notanumber\n",
    "[a, b]: 1\n",  # a list as a key: the same error
    "{a: 1}: 2\n",
    "= : value\n",
    "a: 1\na: 2\n",  # a duplicate key: the last one
    "- !!str 12\n- !!float 1\n- !!null ''\n",
    "",
    "just a string\n",
])
def test_unusual_documents(text):
    old, new = both(text)
    assert old == new


def test_a_generated_pack():
    text = yaml.safe_dump({"family": "generated", "rules": make_rules(300)}, allow_unicode=True)
    old, new = both(text)
    assert ("ok",) == old[:1]
    assert old == new


SCALARS = st.one_of(st.text(max_size=12), st.integers(), st.booleans(), st.none(),
                    st.floats(allow_nan=False), st.dates(), st.sampled_from(["yes", "No", "~", "0x10", "1:20"]))
DATA = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), inner, max_size=4), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(DATA, st.sampled_from([None, True, False]))
def test_any_dumped_data(data, flow):
    old, new = both(yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True))
    assert old == new


def test_a_plain_pack_never_goes_through_the_constructor(monkeypatch):
    text = yaml.safe_dump({"family": "generated", "rules": make_rules(60)}, allow_unicode=True)
    loader = safe_loader()(text)
    node = loader.get_single_node()
    monkeypatch.setattr(loader, "construct_document", lambda node: pytest.fail("constructed the slow way"))
    data = construct_data(loader, node)
    loader.dispose()
    assert make_rules(60) == data["rules"]
