"""``-`` as INPUT, the writer chosen by OUTPUT's name (JSONL, Parquet), and ``--format``."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest_helpers import read_jsonl

ROOT = Path(__file__).resolve().parents[2]
SEED = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))[0]
RECORDS = [{"id": "a", "text": "The council approved the new budget on Monday after a long debate.\nSource link\n"},
           {"id": "b", "text": "Sign up now for unlimited free access to\nSource link\n"}]


def run_stdin(data: bytes, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    return subprocess.run([sys.executable, "-m", "cleaner", "run", "-", *args], input=data,
                          capture_output=True, env=env)


def jsonl_bytes(rows) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def test_stdin_text_gives_the_same_text_as_the_file(tmp_path, cli):
    assert 0 == cli("run", str(SEED), "-o", str(tmp_path / "file.jsonl"), "-q").returncode
    proc = run_stdin(SEED.read_bytes(), "-o", "-", "-q")
    assert 0 == proc.returncode, proc.stderr
    [from_stdin] = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    [from_file] = read_jsonl(tmp_path / "file.jsonl")
    assert from_file["text"] == from_stdin["text"]
    assert ("stdin", "stdin.txt", "text") == (from_stdin["source"], from_stdin["metadata"]["path"],
                                               from_stdin["metadata"]["format"])
    assert from_file["metadata"]["sha256"] == from_stdin["metadata"]["sha256"]


@pytest.mark.parametrize("compress", [False, True])
def test_stdin_jsonl_is_detected_plain_or_gzip(tmp_path, compress):
    data = jsonl_bytes(RECORDS)
    out = tmp_path / "out.jsonl"
    proc = run_stdin(gzip.compress(data) if compress else data, "-o", str(out), "-q")
    assert 0 == proc.returncode, proc.stderr
    assert ["a"] == [r["id"] for r in read_jsonl(out)]
    assert [("stdin.jsonl" + (".gz" if compress else ""), 2, "empty_after_cleaning")] == [
        (r["path"], r["line"], r["reason"]) for r in read_jsonl(tmp_path / "out.rejects.jsonl")]


def test_format_overrides_detection_on_stdin_and_on_files(tmp_path, cli):
    data = jsonl_bytes(RECORDS)
    proc = run_stdin(data, "-o", "-", "-q", "--format", "text")  # one text document, JSON and all
    assert 0 == proc.returncode, proc.stderr
    [record] = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert "text" == record["metadata"]["format"] and '{"id": "a"' in record["text"]
    src = tmp_path / "in"
    src.mkdir()
    (src / "records.data").write_bytes(data)  # a name that says nothing
    out = tmp_path / "out.jsonl"
    proc = cli("run", str(src), "-o", str(out), "-q")
    assert 0 == proc.returncode and not out.read_text()
    assert 0 == cli("run", str(src), "-o", str(out), "-q", "--format", "jsonl").returncode
    assert ["a"] == [r["id"] for r in read_jsonl(out)]


def test_stdin_cannot_resume(cli):
    proc = run_stdin(b"text\n", "-o", "/dev/null.jsonl", "--resume")
    assert 2 == proc.returncode
    assert b"standard input cannot be read again" in proc.stderr


@pytest.mark.parametrize("name", ["out.csv", "out.txt", "out", "out.jsonl.bz2"])
def test_an_unknown_output_suffix_is_a_one_line_error(tmp_path, cli, name):
    proc = cli("run", str(SEED), "-o", str(tmp_path / name))
    assert 2 == proc.returncode
    assert 1 == len(proc.stderr.splitlines()), proc.stderr
    assert "cannot tell the output format" in proc.stderr and ".parquet" in proc.stderr
    assert [] == os.listdir(tmp_path)  # nothing written


def test_parquet_output_holds_the_jsonl_records(tmp_path, cli):
    pq = pytest.importorskip("pyarrow.parquet")
    src = tmp_path / "in"
    shutil.copytree(ROOT / "fixtures" / "seeds", src)
    (src / "more.jsonl").write_bytes(jsonl_bytes(RECORDS))
    assert 0 == cli("run", str(src), "-o", str(tmp_path / "ref.jsonl"), "-q").returncode
    proc = cli("run", str(src), "-o", str(tmp_path / "out.parquet"), "-q")
    assert 0 == proc.returncode, proc.stderr
    table = pq.read_table(tmp_path / "out.parquet")
    assert ["id", "text", "source", "added", "created", "metadata"] == table.column_names
    rows = table.to_pylist()
    ref = read_jsonl(tmp_path / "ref.jsonl")
    assert ref == [{**r, "metadata": json.loads(r["metadata"])} for r in rows]
    assert read_jsonl(tmp_path / "ref.rejects.jsonl") == read_jsonl(tmp_path / "out.rejects.jsonl")
    assert ["in", "out.parquet", "out.rejects.jsonl", "ref.jsonl", "ref.rejects.jsonl"] == sorted(os.listdir(tmp_path))
