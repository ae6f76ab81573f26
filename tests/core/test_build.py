"""The compiled core is part of the package: built by ``pip install .``, same version as the package."""

import re
from importlib.metadata import version
from pathlib import Path

import cleaner
from cleaner import _core

ROOT = Path(__file__).resolve().parents[2]


def test_the_core_has_the_package_version():
    cargo = (ROOT / "core" / "Cargo.toml").read_text(encoding="utf-8")
    crate_version = re.search(r'^version = "([^"]+)"', cargo, re.M).group(1)
    assert cleaner.__version__ == _core.__version__ == crate_version == version("boilerclean")


def test_the_core_sits_in_the_package():
    assert Path(_core.__file__).parent == Path(cleaner.__file__).parent
