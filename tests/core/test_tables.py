"""core/src/tables.rs holds this interpreter's character classes (regenerate: python core/gen_tables.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GEN = ROOT / "core" / "gen_tables.py"


@pytest.mark.skipif(not GEN.is_file(), reason="needs the source checkout")
def test_the_tables_are_generated_from_this_python():
    spec = importlib.util.spec_from_file_location("gen_tables", GEN)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert gen.render() == gen.OUT.read_text(encoding="utf-8")
