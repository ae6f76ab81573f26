"""Tasks are bounded in bytes, a big document travels alone, and the run reports its peak memory."""

from __future__ import annotations

import json

from cleaner import Config
from cleaner.run import local
from cleaner.sources.readers import list_inputs
from conftest_helpers import cli

ARTICLE = "The council approved the new budget on Monday after a long debate about schools."


def test_a_big_document_never_shares_a_task(tmp_path, monkeypatch):
    monkeypatch.setattr(local, "_BATCH_BYTES", 4000)
    sizes = [100, 100, 9000, 100, 1500, 1500, 1500, 100]
    with open(tmp_path / "docs.jsonl", "w") as fh:
        for n, size in enumerate(sizes):
            fh.write(json.dumps({"id": str(n), "text": "x" * size}) + "\n")
    files, _ = list_inputs(str(tmp_path))
    tasks = [[doc.line for doc in task] for task in local.iter_tasks(files, Config())]
    assert [[1, 2], [3], [4, 5, 6], [7, 8]] == tasks
    for task in local.iter_tasks(files, Config()):
        assert len(task) == 1 or sum(len(d.data) for d in task) <= 4000


def test_the_summary_and_stats_report_peak_memory(tmp_path):
    (tmp_path / "in").mkdir()
    for n in range(3):
        (tmp_path / "in" / f"{n}.txt").write_text(f"{ARTICLE} Item {n}.\nSource link\n")
    proc = cli("run", str(tmp_path / "in"), "-o", str(tmp_path / "out.jsonl"), "--stats", str(tmp_path / "s.json"))
    assert 0 == proc.returncode, proc.stderr
    line = next(x for x in proc.stderr.splitlines() if "peak memory" in x)
    assert "MiB in the main process" in line and "MiB in the largest worker" in line
    memory = json.loads((tmp_path / "s.json").read_text())["memory"]
    assert memory["peak_main_mib"] > 0 and memory["peak_worker_mib"] > 0
