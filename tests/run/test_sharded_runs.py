"""Sharded runs on the local engine (-o DIR/): one committed part per input file, the bytes of the
single-file run, and resume shard by shard (a committed part is checked against its marker)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import fsspec

from cleaner import Config
from cleaner.run.local import run
from cleaner.run.shards import local_executor, run_sharded

from shard_support import ADDED, ROOT, read_parts, write_corpus

LOCAL = fsspec.filesystem("file")


def _run(src: Path, out: Path, **kw):
    return run_sharded(str(src), str(out), Config(added=ADDED), local_executor(2), shard_bytes=0, **kw)  # a part per file


def test_parts_hold_the_bytes_of_the_single_file_run(tmp_path):
    src = write_corpus(tmp_path / "in")
    single = run(str(src), str(tmp_path / "one.jsonl"), Config(added=ADDED), jobs=1)
    summary = _run(src, tmp_path / "parts")
    records, rejects, parts = read_parts(LOCAL, str(tmp_path / "parts"))
    assert (tmp_path / "one.jsonl").read_bytes() == records
    assert (tmp_path / "one.rejects.jsonl").read_bytes() == rejects
    assert [f"part-{i:05d}.jsonl.zst" for i in range(9)] == parts  # 5 seeds, 4 other files
    assert (single.read, single.written, single.rejected, single.rules) == \
        (summary.read, summary.written, summary.rejected, summary.rules)
    assert single.samples == summary.samples
    assert [] == [n for n in os.listdir(tmp_path / "parts") if n.startswith(".part")]  # no temporary left


def test_resume_skips_intact_parts_and_redoes_changed_or_unmarked_ones(tmp_path, capsys):
    src = write_corpus(tmp_path / "in")
    out = tmp_path / "parts"
    _run(src, out)
    want = read_parts(LOCAL, str(out))
    markers = out / ".cleaner"
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.jsonl.zst")}
    (markers / "part-00002.json").unlink()  # killed between the part and its marker
    with open(out / "part-00004.jsonl.zst", "ab") as fh:  # a committed part damaged since
        fh.write(b"x")
    (out / ".part-00006.jsonl.zst.part-1-abcd").write_bytes(b"half")  # a half-written temporary
    capsys.readouterr()
    summary = _run(src, out, resume=True)
    err = capsys.readouterr().err
    assert "part-00004 was committed but" in err and "cleaning it again" in err
    assert want == read_parts(LOCAL, str(out))
    redone = {p.name for p in out.glob("part-*.jsonl.zst") if p.stat().st_mtime_ns != stamps[p.name]}
    assert {f"part-0000{i}{kind}.jsonl.zst" for i in (2, 4) for kind in ("", ".rejects")} == redone
    intact = [json.loads(p.read_text()) for p in markers.glob("part-*.json") if p.stem not in ("part-00002", "part-00004")]
    assert 7 == len(intact)
    assert sum(m["summary"]["read"] for m in intact) == summary.resumed_at  # documents of the 7 shards not redone
    assert 9 == len(list(markers.glob("part-*.json")))
    assert not (out / ".part-00006.jsonl.zst.part-1-abcd").exists()


def test_resume_refuses_other_options_and_a_fresh_run_drops_stale_parts(tmp_path):
    import pytest

    from cleaner.errors import ConfigError

    src = write_corpus(tmp_path / "in")
    out = tmp_path / "parts"
    _run(src, out)
    (out / "part-00042.jsonl.zst").write_bytes(b"")  # an earlier, larger run's
    with pytest.raises(ConfigError, match="options changed"):
        run_sharded(str(src), str(out), Config(added=ADDED, favor="precision"), local_executor(1), resume=True,
                    shard_bytes=0)
    _run(src, out)
    assert not (out / "part-00042.jsonl.zst").exists()
    run_json = json.loads((out / ".cleaner" / "run.json").read_text())
    assert ADDED == run_json["added"]


def test_ctrl_c_stops_a_sharded_run_and_resume_finishes_it_byte_for_byte(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))]
    src = tmp_path / "in"
    src.mkdir()
    files = 40  # several times the supervisor's window of tasks (4 per job): the run cannot end
    # between its first commit and the signal, even when the shards in flight commit at once
    for n in range(files):
        with open(src / f"crawl-{n:02d}.jsonl", "w", encoding="utf-8") as fh:
            for i in range(40):
                fh.write(json.dumps({"id": f"{n}-{i}", "text": seeds[i % len(seeds)] + f"\n\nItem {n}/{i}."}) + "\n")
    cmd = [sys.executable, "-m", "cleaner", "run", str(src), "--added", ADDED, "--jobs", "2"]
    assert 0 == subprocess.run(cmd + ["-o", str(tmp_path / "one.jsonl"), "-q"], timeout=300).returncode
    out = tmp_path / "parts"
    cmd += ["--shard-bytes", "0"]  # a part per file
    proc = subprocess.Popen(cmd + ["-o", f"{out}/"], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list((out / ".cleaner").glob("part-*.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    stopped = time.monotonic()
    _, err = proc.communicate(timeout=60)
    assert 130 == proc.returncode, err
    assert time.monotonic() - stopped < 10
    assert "--resume" in err
    done = len(list((out / ".cleaner").glob("part-*.json")))
    assert 0 < done < files
    again = subprocess.run(cmd + ["-o", f"{out}/", "--resume", "-q"], capture_output=True, text=True, timeout=300)
    assert 0 == again.returncode, again.stderr
    assert (tmp_path / "one.jsonl").read_bytes() == read_parts(LOCAL, str(out))[0]


def test_a_shard_that_cannot_be_committed_fails_alone_and_resume_finishes(tmp_path):
    import subprocess
    import sys

    src = write_corpus(tmp_path / "in")
    cmd = [sys.executable, "-m", "cleaner", "run", str(src), "--added", ADDED, "--jobs", "2"]
    assert 0 == subprocess.run(cmd + ["-o", str(tmp_path / "one.jsonl"), "-q"], timeout=300).returncode
    out = tmp_path / "parts"
    cmd += ["--shard-bytes", "0"]  # a part per file
    (out / "part-00003.jsonl.zst").mkdir(parents=True)  # the rename into place fails for this shard
    proc = subprocess.run(cmd + ["-o", f"{out}/"], capture_output=True, text=True, timeout=300)
    assert 1 == proc.returncode, proc.stderr
    assert "part-00003" in proc.stderr and "1 of 9 shards failed" in proc.stderr and "--resume" in proc.stderr
    assert 8 == len(list((out / ".cleaner").glob("part-*.json")))
    (out / "part-00003.jsonl.zst").rmdir()
    again = subprocess.run(cmd + ["-o", f"{out}/", "--resume"], capture_output=True, text=True, timeout=300)
    assert 0 == again.returncode, again.stderr
    assert "resumed after" in again.stderr
    assert (tmp_path / "one.jsonl").read_bytes() == read_parts(LOCAL, str(out))[0]
