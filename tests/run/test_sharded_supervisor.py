"""Sharded local runs (-o DIR/) under the worker supervisor, as the single-file run: a document
that kills its workers or sticks in C code is rejected alone, the other shards keep their bytes,
a signal to the process group stops the run with the committed shards kept, and the byte
progress bar shows. Real runs of the CLI, real SIGKILLs, real signals, a real terminal."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import fsspec
import pytest

from conftest_helpers import run_on_terminal
from hostile_support import (ENV, children, finish, hostile, run_cli, session_alive, start, stuck_page, wait_for,
                             write_good_and_stuck)
from shard_support import ROOT, read_parts

LOCAL = fsspec.filesystem("file")


def _cpu(pid: int) -> int:
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return -1
    return int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks


def the_busy_one(pids: list[int]) -> int | None:
    """The one process of ``pids`` that used CPU time in the last second while the others
    were idle (the worker inside the stuck page), else None."""
    before = {pid: _cpu(pid) for pid in pids}
    time.sleep(1.0)
    busy = [pid for pid in pids if _cpu(pid) > before[pid]]
    return busy[0] if len(busy) == 1 and len(pids) > 1 else None


def corpus_with(src: Path, page: str) -> Path:
    """The seeds, a JSONL file and ``page`` as the second of the files (in shard order)."""
    shutil.copytree(ROOT / "fixtures" / "seeds", src)
    shutil.copy(ROOT / "fixtures" / "jsonl" / "sample.jsonl", src / "sample.jsonl")
    (src / "a-page.html").write_text(page)
    (src / "b-good.html").write_text(hostile.PAGE)
    return src


def without(rejects: bytes, path: str) -> list[bytes]:
    return [line for line in rejects.splitlines() if f'"path":"{path}"'.encode() not in line]


def test_a_page_stuck_in_c_code_is_stopped_at_the_doc_timeout_in_a_sharded_run(tmp_path):
    src = corpus_with(tmp_path / "in", stuck_page())
    out = tmp_path / "parts"
    proc = start("run", str(src), "-o", f"{out}/", "--jobs", "2", "--doc-timeout", "1")
    finish(proc, 90)  # the page alone takes minutes
    assert 0 == proc.returncode
    records, rejects, parts = read_parts(LOCAL, str(out))
    assert b"a-page.html" not in records and b"b-good.html" in records
    (line,) = [x for x in rejects.splitlines() if b"a-page.html" in x]
    assert b'"reason":"timeout"' in line


def test_a_document_that_kills_two_workers_is_rejected_alone_and_the_other_shards_keep_their_bytes(tmp_path):
    src = corpus_with(tmp_path / "in", stuck_page())
    base = ["run", str(src), "--jobs", "2"]
    reference = tmp_path / "ref.jsonl"
    assert 0 == run_cli(*base, "-o", str(reference), "--doc-timeout", "1").returncode  # the page: a timeout
    out = tmp_path / "parts"
    proc = start(*base, "-o", f"{out}/", "--doc-timeout", "0")
    for _ in range(2):  # the worker inside the page, then the fresh one that retried it
        victim = wait_for(lambda: the_busy_one(children(proc.pid)))  # inside the page; the other one idle
        os.kill(victim, signal.SIGKILL)  # as the OOM killer does
        wait_for(lambda: victim not in children(proc.pid))
    finish(proc, 90)
    assert 0 == proc.returncode
    records, rejects, parts = read_parts(LOCAL, str(out))
    assert reference.read_bytes() == records  # every other document as in the reference run
    ref_rejects = (tmp_path / "ref.rejects.jsonl").read_bytes()
    assert without(ref_rejects, "a-page.html") == without(rejects, "a-page.html")
    (line,) = [x for x in rejects.splitlines() if b"a-page.html" in x]
    assert b'"reason":"worker_crashed"' in line and b"SIGKILL" in line
    assert len(parts) == len(list((out / ".cleaner").glob("part-*.json")))  # every shard committed


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_the_group_stops_a_sharded_run_and_resume_finishes(tmp_path, sig):
    src = tmp_path / "in"
    hostile.write_many(src, files=150, lines=200)
    base = ["run", str(src), "--jobs", "2"]
    reference = tmp_path / "ref.jsonl"
    assert 0 == run_cli(*base, "-o", str(reference), timeout=300).returncode
    out = tmp_path / "parts"
    proc = start(*base, "-o", f"{out}/", "--shard-bytes", "0")  # a part per file
    wait_for(lambda: len(list((out / ".cleaner").glob("part-*.json"))) >= 10 or proc.poll() is not None, 120)
    assert proc.poll() is None, "the run ended before the signal"
    os.killpg(proc.pid, sig)  # timeout(1), systemd, a scheduler or a terminal: the whole group
    stopped = time.monotonic()
    stderr = finish(proc, 30)
    assert time.monotonic() - stopped < 10
    assert 130 == proc.returncode, stderr
    assert "interrupted after" in stderr and "--resume" in stderr
    wait_for(lambda: not session_alive(proc.pid), 10)
    committed = len(list((out / ".cleaner").glob("part-*.json")))
    assert 10 <= committed < 150
    assert [] == [p.name for p in out.iterdir() if p.name.startswith(".part-")]  # nothing half-written left
    final = run_cli(*base, "-o", f"{out}/", "--resume", "--shard-bytes", "0", timeout=300)
    assert 0 == final.returncode, final.stderr
    assert "resumed after" in final.stderr
    records, rejects, _ = read_parts(LOCAL, str(out))
    assert reference.read_bytes() == records
    assert (tmp_path / "ref.rejects.jsonl").read_bytes() == rejects


def test_a_sharded_run_on_a_terminal_shows_the_byte_progress_bar(tmp_path):
    src = corpus_with(tmp_path / "in", hostile.PAGE)
    total = sum(p.stat().st_size for p in src.iterdir())
    code, screen = run_on_terminal("run", str(src), "-o", f"{tmp_path / 'parts'}/", "-j", "1", env=ENV)
    assert 0 == code
    bars = [x for x in screen.replace("\r", "\n").splitlines() if "%|" in x]
    assert bars, screen
    last = bars[-1]
    assert last.lstrip().startswith("100%|"), last
    assert f"/{total / 1024:.1f}k" in last, (total, last)  # the byte total of the shards
    assert "B/s" in last and "docs" in last, last


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_a_sharded_run_with_a_worker_stuck_in_c_code_within_seconds(tmp_path, sig):
    src = write_good_and_stuck(tmp_path / "in")
    out = tmp_path / "parts"
    proc = start("run", str(src), "-o", f"{out}/", "--jobs", "2", "--doc-timeout", "0", "--shard-bytes", "0")
    wait_for(lambda: (out / ".cleaner" / "part-00000.json").exists() or proc.poll() is not None)
    time.sleep(1.0)  # inside the page, which takes minutes
    assert proc.poll() is None, "the run ended before the signal"
    os.killpg(proc.pid, sig)
    stopped = time.monotonic()
    stderr = finish(proc, 30)
    assert time.monotonic() - stopped < 10
    assert 130 == proc.returncode, stderr
    assert "--resume" in stderr
    wait_for(lambda: not session_alive(proc.pid), 10)
    assert ["part-00000.json", "run.json"] == sorted(p.name for p in (out / ".cleaner").iterdir())  # the good shard
    assert [] == [p.name for p in out.iterdir() if p.name.startswith(".part-")]
