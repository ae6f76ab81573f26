"""Output paths that would clobber data are refused before any work; streams are written, never replaced."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import threading

import pytest

from hostile_support import ENV, cleaner_cmd, hostile, run_cli


@pytest.fixture
def corpus(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(hostile.ARTICLE)
    (src / "b.html").write_text(hostile.PAGE)
    (src / "c.jsonl").write_text('{"id": "1", "text": "%s"}\n' % hostile.SENTENCE)
    return src


def snapshot(root):
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def refused(proc, words: str) -> None:
    assert 2 == proc.returncode, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert 1 == len(lines), proc.stderr
    assert lines[0].startswith("cleaner: error: ") and words in lines[0], lines[0]


def test_output_equal_to_the_input_file_is_refused(corpus):
    before = snapshot(corpus)
    target = corpus / "c.jsonl"
    refused(run_cli("run", str(target), "-o", str(target)), "is the input file")
    assert before == snapshot(corpus)


@pytest.mark.parametrize("engine", ["local", "ray"])
def test_output_inside_input_is_refused(corpus, engine):
    if engine == "ray":
        pytest.importorskip("ray")
    before = snapshot(corpus)
    refused(run_cli("run", str(corpus), "-o", str(corpus / "sub" / "out.jsonl"), "--engine", engine),
            "lies inside INPUT")
    assert before == snapshot(corpus)
    assert not (corpus / "sub").exists()


def test_rejects_inside_input_is_refused(corpus, tmp_path):
    refused(run_cli("run", str(corpus), "-o", str(tmp_path / "out.jsonl"), "--rejects", str(corpus / "r.jsonl")),
            "--rejects")
    assert not (tmp_path / "out.jsonl").exists()


def test_rejects_equal_to_output_is_refused(corpus, tmp_path):
    out = tmp_path / "out.jsonl"
    refused(run_cli("run", str(corpus), "-o", str(out), "--rejects", str(out)), "both name")
    assert [] == [p.name for p in tmp_path.iterdir() if p.name != "in"]


@pytest.mark.parametrize("option", ["-o", "--rejects"])
def test_a_directory_as_output_is_refused_before_any_work(corpus, tmp_path, option):
    target = tmp_path / "outdir"
    target.mkdir()
    args = {"-o": str(tmp_path / "out.jsonl"), "--rejects": str(tmp_path / "r.jsonl")}
    args[option] = str(target)
    refused(run_cli("run", str(corpus), "-o", args["-o"], "--rejects", args["--rejects"]), "is a directory")
    assert [] == list(target.iterdir())
    assert not (tmp_path / "out.jsonl").exists() and not (tmp_path / ".out.jsonl.part").exists()


def test_output_to_a_fifo_is_streamed_and_the_fifo_stays(corpus, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()), daemon=True)
    reader.start()
    proc = run_cli("run", str(corpus), "-o", str(fifo), timeout=60)
    reader.join(30)
    assert 0 == proc.returncode, proc.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    records = [json.loads(line) for line in got[0].decode("utf-8").splitlines()]
    assert ["a.txt", "b.html", "c.jsonl"] == [r["metadata"]["path"] for r in records]
    assert [] == [p.name for p in tmp_path.iterdir() if p.name not in ("in", "pipe")]


def test_output_to_a_device_is_written_never_replaced(corpus, tmp_path):
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of the test's own
        open(null, "wb").close()
    except (PermissionError, OSError):
        pytest.skip("cannot make a device node here")
    proc = run_cli("run", str(corpus), "-o", str(null), "--rejects", str(null))
    assert 0 == proc.returncode, proc.stderr
    assert stat.S_ISCHR(os.stat(null).st_mode)
    assert [] == [p.name for p in tmp_path.iterdir() if p.name not in ("in", "null")]


def test_output_to_dev_stdout_goes_to_stdout(corpus, tmp_path):
    log = tmp_path / "log.jsonl"
    log.write_bytes(b"kept\n")
    with open(log, "ab") as fh:  # stdout appends to a file: /dev/stdout must not truncate it
        proc = subprocess.run(cleaner_cmd("run", str(corpus), "-o", "/dev/stdout"), stdout=fh,
                              stderr=subprocess.PIPE, text=True, env=ENV, timeout=60)
    assert 0 == proc.returncode, proc.stderr
    assert os.path.islink("/dev/stdout") or stat.S_ISCHR(os.stat("/dev/stdout").st_mode)
    lines = log.read_text().splitlines()
    assert "kept" == lines[0]
    assert ["a.txt", "b.html", "c.jsonl"] == [json.loads(line)["metadata"]["path"] for line in lines[1:]]


def test_the_walker_skips_the_cleaners_own_outputs(corpus, tmp_path):
    first = tmp_path / "first" / "out.jsonl"
    assert 0 == run_cli("run", str(corpus), "-o", str(first)).returncode
    expected = first.read_bytes()
    shutil.copy(first, corpus / "old.jsonl")  # an earlier OUTPUT that a run is writing again ...
    (corpus / ".old.jsonl.progress.json").write_text("{}")  # ... its manifest beside it
    (corpus / "old.rejects.jsonl").write_text('{"path": "x", "reason": "bad_json"}\n')
    again = tmp_path / "again.jsonl"
    proc = run_cli("run", str(corpus), "-o", str(again))
    assert 0 == proc.returncode, proc.stderr
    assert expected == again.read_bytes()


def test_a_broken_pipe_on_stdout_exits_141(tmp_path):
    hostile.write_many(tmp_path / "in", files=60, lines=100)
    proc = subprocess.Popen(cleaner_cmd("run", str(tmp_path / "in"), "-o", "-", "--jobs", "1"), env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()  # as `| head -1` does
    proc.stdout.close()
    _, stderr = proc.communicate(timeout=120)
    assert json.loads(first)["id"]
    assert 141 == proc.returncode, stderr
    assert b"Traceback" not in stderr and b"Exception ignored" not in stderr
