"""The README's Ray Data block runs as written (a fresh Ray on this machine, however few its cores)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("ray.data", reason="Ray Data is an optional extra: pip install '.[ray]'")

ROOT = Path(__file__).resolve().parents[2]


def readme_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Inside your own Ray Data pipeline"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_ray_data_block_runs_as_written(tmp_path):
    seeds = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))
    (tmp_path / "crawl").mkdir()
    with open(tmp_path / "crawl" / "part.jsonl", "w", encoding="utf-8") as fh:
        for path in seeds:
            fh.write(json.dumps({"id": path.stem, "text": path.read_text(encoding="utf-8")}) + "\n")
        fh.write(json.dumps({"id": "junk", "text": "Sign up now for unlimited free access to"}) + "\n")
    env = dict(os.environ, RAY_num_cpus="2", PYTHONWARNINGS="error::DeprecationWarning:cleaner")
    proc = subprocess.run([sys.executable, "-c", readme_block()], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=300)
    assert 0 == proc.returncode, proc.stderr[-3000:]
    rows = [json.loads(line) for f in sorted((tmp_path / "cleaned").glob("*.json*"))
            for line in f.read_text(encoding="utf-8").splitlines()]
    assert sorted(p.stem for p in seeds) == sorted(r["id"] for r in rows)  # the junk record was filtered out
    assert all(r["cleaner_rejected"] == "" for r in rows)
    assert any(json.loads(r["cleaner_removed"]) for r in rows)
