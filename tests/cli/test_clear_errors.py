"""Bad paths and values end in one clear line and exit 2 (a full disk too; exit 1 for another
write that fails mid-run),
never a traceback or a hang: real processes, real files, FIFOs, devices and mounts."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from hostile_support import ENV, cleaner_cmd, hostile, run_cli, tasks_committed

ROOT = Path(__file__).resolve().parents[2]
SEEDS = str(ROOT / "fixtures" / "seeds")


def one_line(proc, code: int, *phrases: str) -> str:
    """The single stderr line of a run that ended with ``code``, holding every phrase."""
    lines = proc.stderr.splitlines()
    assert code == proc.returncode, proc.stderr
    assert 1 == len(lines) and "Traceback" not in proc.stderr, proc.stderr
    for phrase in phrases:
        assert phrase in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("option", ["--rules", "--keep-lines"])
def test_a_fifo_as_a_config_file_is_refused_not_waited_on(tmp_path, fifo, option):
    command = "mine" if option == "--keep-lines" else "run"
    out = tmp_path / ("out.yaml" if command == "mine" else "out.jsonl")
    proc = run_cli(command, SEEDS, "-o", str(out), option, str(fifo), timeout=60)
    one_line(proc, 2, str(fifo), "not a regular file")


def test_dev_zero_as_rules_is_refused(tmp_path):
    proc = run_cli("run", SEEDS, "-o", str(tmp_path / "out.jsonl"), "--rules", "/dev/zero", timeout=60)
    one_line(proc, 2, "/dev/zero", "not a regular file")


def test_a_huge_rule_file_is_refused_unread(tmp_path):
    huge = tmp_path / "huge.yaml"
    with open(huge, "wb") as fh:  # sparse: 1 GiB on paper, nothing on disk
        fh.truncate(1 << 30)
    start = time.monotonic()
    proc = run_cli("run", SEEDS, "-o", str(tmp_path / "out.jsonl"), "--rules", str(huge), timeout=60)
    one_line(proc, 2, str(huge), "larger than 64 MiB")
    assert time.monotonic() - start < 30


def test_explain_of_a_fifo_does_not_hang(fifo):
    proc = run_cli("explain", str(fifo), timeout=60)
    one_line(proc, 2, str(fifo))


@pytest.mark.parametrize("value", ["yesterday", "2023-13-45", "14/11/2023"])
def test_added_must_be_a_timestamp(tmp_path, value):
    proc = run_cli("run", SEEDS, "-o", str(tmp_path / "out.jsonl"), "--added", value)
    one_line(proc, 2, "--added", repr(value))
    assert not (tmp_path / "out.jsonl").exists()


def test_added_keeps_a_valid_timestamp_as_given(tmp_path):
    proc = run_cli("run", SEEDS, "-o", str(tmp_path / "out.jsonl"), "-q", "--added", "2024-02-29T12:00:00Z")
    assert 0 == proc.returncode, proc.stderr
    first = json.loads((tmp_path / "out.jsonl").read_text().splitlines()[0])
    assert "2024-02-29T12:00:00Z" == first["added"]


def _mount_tmpfs(where: Path, options: str) -> bool:
    where.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                              capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@pytest.fixture
def read_only_dir(tmp_path):
    """A directory no run can write in: a read-only tmpfs as root, else a chmod 555 directory."""
    where = tmp_path / "ro"
    if os.geteuid() == 0:
        if not _mount_tmpfs(where, "size=64k,ro"):
            pytest.skip("root, but cannot mount a read-only tmpfs here")
        yield where
        subprocess.run(["umount", str(where)], check=False)
        return
    where.mkdir()
    where.chmod(0o555)
    yield where
    where.chmod(0o755)


def test_a_read_only_output_directory_is_refused_before_any_work(read_only_dir):
    proc = run_cli("run", SEEDS, "-o", str(read_only_dir / "sub" / "out.jsonl"))
    one_line(proc, 2, "-o", str(read_only_dir), "cannot write")


@pytest.fixture
def full_disk(tmp_path):
    """A 32 KiB tmpfs as root (a real full disk); None where mounting is not allowed."""
    where = tmp_path / "small"
    if os.geteuid() != 0 or not _mount_tmpfs(where, "size=32k"):
        yield None
        return
    yield where
    subprocess.run(["umount", str(where)], check=False)


def test_a_full_disk_ends_in_one_line_that_says_how_to_carry_on(tmp_path, full_disk):
    """A real full disk (tmpfs) as root, then made larger: --resume finishes the same bytes as a
    run that had room. Otherwise RLIMIT_FSIZE, which fails the write with EFBIG. Exit 2: the
    run cannot go on until the user acts (README's exit codes)."""
    hostile.write_many(tmp_path / "in", files=100, lines=200)
    if full_disk is not None:
        out, limit = full_disk / "out.jsonl", None
    else:
        out, limit = tmp_path / "out" / "out.jsonl", 32 << 10

    def cap():
        if limit is not None:
            import resource

            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    args = ("run", str(tmp_path / "in"), "-o", str(out), "-q", "--added", "2024-01-01", "--checkpoint-every", "20")
    proc = subprocess.run(cleaner_cmd(*args), env=ENV, capture_output=True, text=True, timeout=300, preexec_fn=cap)
    one_line(proc, 2, "the run failed", str(out.parent / ".out.jsonl.part"), "make room", "--resume")
    if full_disk is None:
        return
    assert 0 == subprocess.run(["mount", "-o", "remount,size=16m", str(full_disk)]).returncode
    resumed = run_cli(*args, "--resume")
    assert 0 == resumed.returncode, resumed.stderr
    assert "nothing to resume" not in resumed.stderr  # it went on from a commit made before the disk filled
    room = tmp_path / "room.jsonl"
    assert 0 == run_cli(*args[:2], "-o", str(room), *args[4:]).returncode
    assert room.read_bytes() == out.read_bytes()


def _interrupted_run(tmp_path) -> tuple[list[str], Path, Path]:
    """A run killed after its first commit: (its arguments, OUTPUT, the manifest)."""
    hostile.write_many(tmp_path / "in", files=60, lines=100)
    out = tmp_path / "out" / "out.jsonl"
    manifest = out.parent / ".out.jsonl.progress.json"
    args = ["run", str(tmp_path / "in"), "-o", str(out), "--checkpoint-every", "5", "--jobs", "1"]
    proc = subprocess.Popen(cleaner_cmd(*args), env=ENV, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while tasks_committed(manifest) < 1 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the run ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert tasks_committed(manifest) >= 1
    return args, out, manifest


def test_resume_with_the_part_file_missing_says_so(tmp_path):
    args, out, _ = _interrupted_run(tmp_path)
    part = out.parent / ".out.jsonl.part"
    part.unlink()
    proc = run_cli(*args, "--resume")
    one_line(proc, 2, "cannot resume", str(part), "missing")


@pytest.mark.parametrize("edit", [
    lambda m: [],  # not an object
    lambda m: {**m, "tasks": "many"},
    lambda m: {**m, "tasks": 10 ** 9},  # more tasks than the input makes
    lambda m: {**m, "bytes": [-1, 0]},
    lambda m: {**m, "saved": {**m["saved"], "summary": {**m["saved"]["summary"], "read": "x"}}},
    lambda m: {**m, "saved": {"added": 5}},
], ids=["list", "tasks-word", "tasks-huge", "bytes-negative", "summary-read", "saved-added"])
def test_resume_with_an_edited_manifest_says_so(tmp_path, edit):
    args, _, manifest = _interrupted_run(tmp_path)
    manifest.write_text(json.dumps(edit(json.loads(manifest.read_text()))))
    proc = run_cli(*args, "--resume")
    one_line(proc, 2, "cannot resume")


def test_a_full_disk_in_a_sharded_run_exits_2_and_resume_finishes_the_parts(tmp_path, full_disk):
    """Sharded output (-o DIR/) on a full disk: each failed shard is listed, the run ends with
    exit 2 saying to make room and --resume (as a single-file run does), and --resume after the
    disk grew gives the parts of a run that had room."""
    if full_disk is None:
        pytest.skip("needs root to mount a small tmpfs")
    hostile.write_many(tmp_path / "in", files=40, lines=200)
    out = full_disk / "parts"
    args = ("run", str(tmp_path / "in"), "-o", f"{out}/", "--added", "2024-01-01", "--shard-bytes", "0")
    proc = run_cli(*args)
    assert 2 == proc.returncode, proc.stderr
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert "shards failed" in last and "make room" in last and "--resume" in last, last
    assert 0 == subprocess.run(["mount", "-o", "remount,size=16m", str(full_disk)]).returncode
    resumed = run_cli(*args, "--resume")
    assert 0 == resumed.returncode, resumed.stderr
    room = tmp_path / "room"
    assert 0 == run_cli(*args[:2], "-o", f"{room}/", *args[4:]).returncode
    names = sorted(p.name for p in room.iterdir() if p.is_file())
    assert names == sorted(p.name for p in out.iterdir() if p.is_file())
    for name in names:
        assert (room / name).read_bytes() == (out / name).read_bytes(), name
