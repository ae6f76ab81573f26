"""Helpers the test modules import (kept out of conftest so they can be imported)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``cleaner`` in a real process (``added`` pinned for determinism)."""
    full_env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "cleaner", *args], capture_output=True, text=True, env=full_env)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(x) for x in Path(path).read_text(encoding="utf-8").splitlines() if x.strip()]


def run_and_read(input_dir: Path, tmp: Path, *extra: str) -> dict[str, dict]:
    """Run ``cleaner run`` and return the records by file name."""
    out = tmp / "out.jsonl"
    proc = cli("run", str(input_dir), "-o", str(out), "-q", *extra)
    assert proc.returncode == 0, proc.stderr
    return {Path(r["metadata"]["path"]).name: r for r in read_jsonl(out)}
