"""Shared by the hostile-input, resume and interrupt tests: the generator and a CLI runner."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "fixtures" / "hostile"))

import hostile  # noqa: E402, F401  (fixtures/hostile/hostile.py, re-exported to the tests)

ENV = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")


def cleaner_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "cleaner", *args]


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real CLI in a subprocess, with a timeout so a hang fails the test instead of the suite."""
    return subprocess.run(cleaner_cmd(*args), capture_output=True, text=True, env=ENV, timeout=timeout)


def outcomes(out: Path) -> tuple[dict, dict]:
    """(records, rejects) of a run, each keyed by (path, line)."""
    rejects_path = Path(str(out).removesuffix(".jsonl") + ".rejects.jsonl")
    records = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        key = (rec["metadata"]["path"], rec["metadata"].get("line"))
        assert key not in records, f"duplicate {key}"
        records[key] = rec
    rejects = {}
    for line in rejects_path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        key = (rec["path"], rec.get("line"))
        assert key not in rejects, f"duplicate reject {key}"
        rejects[key] = rec
    return records, rejects


def tasks_committed(manifest) -> int:
    try:
        return json.loads(manifest.read_text())["tasks"]
    except (FileNotFoundError, ValueError):
        return 0


def _live(field: int, value: int) -> list[int]:
    """Live processes whose ``/proc/PID/stat`` field ``field`` (after the name) is ``value``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[field]) == value and fields[0] != "Z":
                found.append(int(entry))
    return sorted(found)


def session_alive(sid: int) -> list[int]:
    """Processes still running in session ``sid`` (the killed run and its workers)."""
    return _live(3, sid)


def children(pid: int) -> list[int]:
    """The live child processes of ``pid`` (the run's workers)."""
    return _live(1, pid)


def stuck_page(attributes: int = 120_000) -> str:
    """An HTML page that libxml2 takes minutes to parse (quadratic in the attributes of one tag)."""
    attrs = " ".join(f'a{i}="x"' for i in range(attributes))
    return f"<html><body><div {attrs}>stuck</div><p>{hostile.SENTENCE}</p></body></html>"


def write_good_and_stuck(src: Path) -> Path:
    """``src`` with a good text file, then a page stuck in C code for minutes (in path order)."""
    src.mkdir()
    (src / "a-good.txt").write_text(hostile.ARTICLE)
    (src / "b-stuck.html").write_text(stuck_page())
    return src


def wait_for(predicate, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError("waited in vain")


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(cleaner_cmd(*args), env=ENV, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen, seconds: float = 60) -> str:
    try:
        _, stderr = proc.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise AssertionError(f"the run hung (still running after {seconds}s)") from None
    assert "Traceback" not in stderr, stderr
    return stderr
