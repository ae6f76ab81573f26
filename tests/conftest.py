"""Make the helper module importable from the test modules, and offer the CLI runner."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest_helpers import cli as _cli  # noqa: E402


@pytest.fixture
def cli():
    return _cli
