"""Killed runs resume: SIGKILL at several points, then --resume: every document exactly once.

The run is really killed (SIGKILL to the parent process, whose workers die with it) at
several points, each later run carrying on with ``--resume``; the final output must hold
every input document once (written or rejected) and be byte-identical to a run that was
never interrupted.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from cleaner.run.local import default_rejects_path

from hostile_support import ENV, cleaner_cmd, hostile, outcomes, run_cli, session_alive, tasks_committed

EVERY = "10"


def run_and_kill(args: list[str], manifest, at_tasks: int, delay: float) -> int:
    """Start a run; SIGKILL it once ``at_tasks`` tasks are committed (plus ``delay`` seconds)."""
    proc = subprocess.Popen(cleaner_cmd(*args), env=ENV, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while tasks_committed(manifest) < at_tasks and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(delay)
    assert proc.poll() is None, "the run ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    for _ in range(200):  # the workers follow their parent
        if not session_alive(proc.pid):
            break
        time.sleep(0.01)
    assert [] == session_alive(proc.pid)
    return tasks_committed(manifest)


# (tasks committed, then wait seconds) before each SIGKILL: at start-up, before the first
# commit, just after commits, between commits, late in the run (of about 215 tasks)
# (no fixed long waits: on a fast machine a run finishes in well under a second)
PLANS = {"out.jsonl": [(0, 0.0), (1, 0.0), (40, 0.0), (80, 0.013), (120, 0.0), (170, 0.004)],
         "out.jsonl.gz": [(1, 0.0), (90, 0.007)]}


@pytest.mark.parametrize("name", sorted(PLANS))
def test_sigkill_at_several_points_then_resume(tmp_path, name):
    docs_in = hostile.write_many(tmp_path / "in", files=200, lines=300)
    base = ["run", str(tmp_path / "in"), "--jobs", "2", "--checkpoint-every", EVERY]
    reference = tmp_path / "ref" / name
    assert 0 == run_cli(*base, "-o", str(reference)).returncode
    out = tmp_path / "run" / name
    manifest = out.parent / f".{name}.progress.json"
    seen = []
    for n, (at, delay) in enumerate(PLANS[name]):
        if n >= 2:  # a kill waits for a commit past where the last one landed (a faster run or a
            at = max(at, seen[-1] + 1)  # slower machine must not put two kills at one point)
        args = base + ["-o", str(out)] + (["--resume"] if n else [])
        seen.append(run_and_kill(args, manifest, at, delay))
        assert not out.exists(), "a killed run must not leave OUTPUT behind"
    assert seen == sorted(seen) and seen[-1] >= PLANS[name][-1][0]
    # the kills landed at distinct points inside the run, not all after its end
    assert all(a < b for a, b in zip(seen[1:], seen[2:])), seen
    final = run_cli(*base, "-o", str(out), "--resume")
    assert 0 == final.returncode, final.stderr
    assert "resumed after" in final.stderr
    assert reference.read_bytes() == out.read_bytes()
    rejects = lambda p: Path(default_rejects_path(str(p)))  # noqa: E731
    assert rejects(reference).read_bytes() == rejects(out).read_bytes()
    assert not manifest.exists()
    if name == "out.jsonl":
        records, rejected = outcomes(out)  # raises on a duplicate
        lines = len(out.read_text().splitlines()) + len(rejects(out).read_text().splitlines())
        keys = set(records) | set(rejected)
        print(f"\nresume figures: kill points (wait for tasks, seconds) {PLANS[name]}, tasks committed when killed {seen}; documents in {docs_in}, "
              f"out {lines} ({len(records)} written + {len(rejected)} rejected), "
              f"duplicates {lines - len(keys)}, losses {docs_in - len(keys)}")
        assert (docs_in, docs_in, 0) == (lines, len(keys), lines - len(keys))


def test_resume_refuses_changed_input(tmp_path):
    hostile.write_many(tmp_path / "in", files=40, lines=10)
    out = tmp_path / "out.jsonl"
    args = ["run", str(tmp_path / "in"), "-o", str(out), "--jobs", "1", "--checkpoint-every", "5"]
    run_and_kill(args, out.parent / ".out.jsonl.progress.json", 2, 0.0)
    (tmp_path / "in" / "docs" / "00001.txt").write_text(hostile.ARTICLE + "changed\n")
    proc = run_cli(*args, "--resume")
    assert 2 == proc.returncode
    assert "cannot resume" in proc.stderr and "inputs" in proc.stderr
    assert 0 == run_cli(*args).returncode  # starting again without --resume works


def test_resume_without_progress_starts_from_the_beginning(tmp_path):
    hostile.write_many(tmp_path / "in", files=5, lines=3)
    out = tmp_path / "out.jsonl"
    proc = run_cli("run", str(tmp_path / "in"), "-o", str(out), "--resume")
    assert 0 == proc.returncode, proc.stderr
    assert "nothing to resume" in proc.stderr
    records, rejects = outcomes(out)
    assert 9 == len(records) + len(rejects)


@pytest.mark.parametrize("name", ["out.jsonl", "out.jsonl.zst"])
def test_sharded_run_killed_then_resumed_gives_the_same_shards(tmp_path, name):
    hostile.write_many(tmp_path / "in", files=120, lines=100)
    base = ["run", str(tmp_path / "in"), "--jobs", "1", "--checkpoint-every", EVERY, "--shard-size", "40000"]
    reference = tmp_path / "ref" / name
    assert 0 == run_cli(*base, "-o", str(reference)).returncode
    shards = lambda d: sorted(p.name for p in d.glob("out-*"))  # noqa: E731
    expected = shards(reference.parent)
    assert len(expected) >= 3
    out = tmp_path / "run" / name
    manifest = out.parent / f".{name}.progress.json"
    seen = [run_and_kill(base + ["-o", str(out)], manifest, 30, 0.0)]
    assert [] == shards(out.parent), "a killed run must not publish shards"
    seen.append(run_and_kill(base + ["-o", str(out), "--resume"], manifest, seen[0] + 30, 0.003))
    assert seen[0] < seen[1]
    final = run_cli(*base, "-o", str(out), "--resume")
    assert 0 == final.returncode, final.stderr
    assert "resumed after" in final.stderr
    assert expected == shards(out.parent)
    for shard in expected:
        assert (reference.parent / shard).read_bytes() == (out.parent / shard).read_bytes(), shard
    rejects = lambda p: Path(default_rejects_path(str(p)))  # noqa: E731
    assert rejects(reference).read_bytes() == rejects(out).read_bytes()
    assert not manifest.exists() and not out.exists()
    assert [] == [p.name for p in out.parent.iterdir() if p.name.startswith(".")]


def test_resume_refuses_another_shard_size(tmp_path):
    hostile.write_many(tmp_path / "in", files=40, lines=10)
    out = tmp_path / "out.jsonl"
    args = ["run", str(tmp_path / "in"), "-o", str(out), "--jobs", "1", "--checkpoint-every", "5"]
    run_and_kill(args + ["--shard-size", "5000"], out.parent / ".out.jsonl.progress.json", 2, 0.0)
    proc = run_cli(*args, "--shard-size", "6000", "--resume")
    assert 2 == proc.returncode
    assert "cannot resume" in proc.stderr and "shard_size" in proc.stderr


def test_a_manifest_from_before_provenance_is_refused_in_one_line(tmp_path):
    """A run interrupted under a cleaner without ``--provenance`` (its options hashed without
    that key), resumed by this one: one line, exit 2, what to do; nothing resumed or published."""
    import hashlib
    import json
    from dataclasses import asdict

    from cleaner.cli.main import _config, _parser

    hostile.write_many(tmp_path / "in", files=40, lines=10)
    out = tmp_path / "out.jsonl"
    args = ["run", str(tmp_path / "in"), "-o", str(out), "--jobs", "1", "--checkpoint-every", "5"]
    manifest = out.parent / ".out.jsonl.progress.json"
    run_and_kill(args, manifest, 2, 0.0)
    old = {k: v for k, v in asdict(_config(_parser().parse_args(args))).items() if k not in ("extra", "provenance")}
    state = json.loads(manifest.read_text())
    state["run"]["options"] = hashlib.sha256(json.dumps(old, sort_keys=True, default=list).encode()).hexdigest()
    state.pop("sha256")  # nor did older manifests hash the committed parts
    manifest.write_text(json.dumps(state))
    part = out.parent / ".out.jsonl.part"
    before = part.read_bytes()
    proc = run_cli(*args, "--resume")
    assert 2 == proc.returncode and 1 == len(proc.stderr.splitlines()), proc.stderr
    line = proc.stderr.strip()
    for phrase in ("cannot resume", "(options)", "another version of cleaner", "run without --resume"):
        assert phrase in line, line
    assert "Traceback" not in proc.stderr and not out.exists() and before == part.read_bytes()
    assert 0 == run_cli(*args).returncode  # starting again without --resume works
