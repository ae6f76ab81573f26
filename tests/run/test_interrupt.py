"""Ctrl-C stops cleanly: workers end, the summary says how far it got, --resume finishes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import pytest

from hostile_support import ENV, cleaner_cmd, hostile, run_cli, session_alive, tasks_committed


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_commits_stops_workers_and_resume_finishes(tmp_path, jobs):
    hostile.write_many(tmp_path / "in", files=150, lines=200)
    base = ["run", str(tmp_path / "in"), "--jobs", jobs, "--checkpoint-every", "10"]
    reference = tmp_path / "ref.jsonl"
    assert 1 == run_cli(*base, "-o", str(reference)).returncode
    out = tmp_path / "out.jsonl"
    manifest = tmp_path / ".out.jsonl.progress.json"
    proc = subprocess.Popen(cleaner_cmd(*base, "-o", str(out)), env=ENV, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    while tasks_committed(manifest) < 30 and proc.poll() is None:
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C: the whole group
    _, stderr = proc.communicate(timeout=60)
    assert 130 == proc.returncode, stderr
    assert "Traceback" not in stderr
    assert "interrupted after" in stderr and "--resume" in stderr
    assert [] == session_alive(proc.pid)
    assert not out.exists()
    state = json.loads(manifest.read_text())
    stated = int(stderr.split("interrupted after ")[1].split()[0])
    assert stated == state["saved"]["summary"]["committed"] >= 30
    final = run_cli(*base, "-o", str(out), "--resume")
    assert 1 == final.returncode, final.stderr
    assert reference.read_bytes() == out.read_bytes()
    assert (tmp_path / "ref.rejects.jsonl").read_bytes() == (tmp_path / "out.rejects.jsonl").read_bytes()
