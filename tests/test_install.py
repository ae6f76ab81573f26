"""The installed package is the product: the tests must exercise it, rule packs included."""

import os
from pathlib import Path

import pytest

import cleaner
from cleaner.rules.shipped import shipped_packs_dir

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(not os.environ.get("CLEANER_TEST_INSTALLED"), reason="only where the wheel is installed (CI)")
def test_tests_run_against_the_installed_wheel():
    assert "site-packages" in cleaner.__file__
    packs = Path(shipped_packs_dir())
    assert packs.parent == Path(cleaner.__file__).parent
    shipped = sorted(p.relative_to(packs).as_posix() for p in packs.rglob("*.yaml"))
    source = sorted(p.relative_to(ROOT / "rules").as_posix() for p in (ROOT / "rules").rglob("*.yaml"))
    assert source == shipped


def test_shipped_packs_load():
    assert len(cleaner.Cleaner().rules) >= 20
