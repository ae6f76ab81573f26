"""The progress bar: bytes of input on disk as its total, so it can show a rate and an ETA."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from collections import deque
from pathlib import Path

from cleaner.run.local import disk_size, iter_tasks, weigh_tasks
from cleaner.settings import Config
from cleaner.sources.readers import list_inputs

from conftest_helpers import run_on_terminal

ROOT = Path(__file__).resolve().parents[2]


def corpus(root: Path) -> Path:
    src = root / "in"
    shutil.copytree(ROOT / "fixtures" / "seeds", src)
    rows = "".join(json.dumps({"id": str(i), "text": f"Line {i} of a real article, kept.\n"}) + "\n" for i in range(300))
    (src / "plain.jsonl").write_text(rows + "\n\n")
    with gzip.open(src / "packed.jsonl.gz", "wt") as fh:
        fh.write(rows)
    (src / "empty.jsonl").write_text("")
    (src / "page.html").write_text((ROOT / "fixtures" / "html" / "harbour-bridge.html").read_text())
    return src


def test_task_weights_add_up_to_the_input_sizes_and_keep_the_task_order(tmp_path):
    src = corpus(tmp_path)
    files, _ = list_inputs(str(src))
    weights: deque = deque()
    weighed = list(weigh_tasks(files, Config(), weights))
    assert list(iter_tasks(files, Config())) == weighed  # --resume counts tasks: same tasks, same order
    assert len(weighed) == len(weights)
    empty = next(f for f in files if f.relpath == "empty.jsonl")
    assert sum(disk_size(f) for f in files) - disk_size(empty) == sum(weights) - 0  # empty: no task, 0 bytes
    plain = [w for t, w in zip(weighed, weights) if t[0].relpath == "plain.jsonl"]
    assert len(plain) > 1 and all(w > 0 for w in plain)  # a plain JSONL advances batch by batch
    packed = [w for t, w in zip(weighed, weights) if t[0].relpath == "packed.jsonl.gz"]
    assert [0] * (len(packed) - 1) + [os.path.getsize(src / "packed.jsonl.gz")] == packed


def test_the_bar_on_a_terminal_has_a_byte_total_and_an_eta(tmp_path):
    src = corpus(tmp_path)
    total = sum(p.stat().st_size for p in src.iterdir())
    code, screen = run_on_terminal("run", str(src), "-o", str(tmp_path / "out.jsonl"), "-j", "1")
    assert 0 == code
    last = [x for x in screen.replace("\r", "\n").splitlines() if "%|" in x][-1]
    assert last.lstrip().startswith("100%|"), last
    shown = f"{total / 1024:.1f}k" if total < 1024 * 1024 else None
    assert f"/{shown}" in last, (total, last)  # the byte total
    assert "<00:00" in last and "B/s" in last  # elapsed<remaining, and a byte rate
    assert "606 docs" in last and "1 rejected" not in last, last
