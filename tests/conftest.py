"""Make the helper module importable from the test modules, and offer the CLI runner."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
# Every `python -m cleaner` (and `python -c`) the tests start imports the installed package, with
# its compiled core: run from the source tree, Python would put the tree first, whose package
# has no core in CI (the CLI tests would exercise the Python fallbacks). Python 3.11+.
os.environ.setdefault("PYTHONSAFEPATH", "1")
# Rule packs load from their files in every test (and every CLI the tests start), never from a
# user's cache of loaded packs; tests/rules/test_packcache.py points the cache at a directory of its own.
os.environ["CLEANER_CACHE_DIR"] = ""

from conftest_helpers import cli as _cli  # noqa: E402


@pytest.fixture
def cli():
    return _cli
