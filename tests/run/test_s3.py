"""Object storage: s3:// in, out, rejects and rule packs against a real S3-compatible server
(moto's server mode on 127.0.0.1), resume on S3, and credentials that never show."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("s3fs", reason="s3:// needs s3fs: pip install '.[test]'")
pytest.importorskip("moto.server", reason="the S3 server of the tests: pip install 'moto[server]'")

from shard_support import ACCESS_KEY, ADDED, SECRET_KEY, MotoServer, read_parts, write_corpus

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def s3():
    with MotoServer() as server:
        fs = server.fs()
        for bucket in ("corpus", "cleaned"):
            fs.mkdir(bucket)
        yield server


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cleaner", *args], capture_output=True, text=True,
                          env=dict(os.environ), timeout=180)


def _no_secret(*texts: str) -> None:
    """Not the credentials, nor any piece of them (a message may cut a secret at its '/')."""
    pieces = [ACCESS_KEY, SECRET_KEY] + [p for p in SECRET_KEY.replace("+", "/").split("/") if len(p) >= 6]
    for text in texts:
        assert [] == [p for p in pieces if p in text]


def test_s3_round_trip_in_out_and_resume(s3, tmp_path):
    src = write_corpus(tmp_path / "in")
    s3.upload(src, "s3://corpus/in")
    pack = tmp_path / "pack.yaml"
    pack.write_text("family: test\ndescription: the test's pack\nrules:\n  - id: TEST001\n    name: test-junk-line\n"
                    "    description: a junk line of the test\n    match: {regex: '^Advertisement$', scope: line}\n"
                    "    action: drop_line\n"
                    "    examples: {remove: [Advertisement], keep: [An advertisement ran on TV.]}\n")
    s3.fs().pipe_file("corpus/packs/pack.yaml", pack.read_bytes())
    local = cli("run", str(src), "-o", str(tmp_path / "local.jsonl"), "--added", ADDED, "--rules", str(pack),
                "--jobs", "1", "-q")
    assert 0 == local.returncode, local.stderr
    args = ["run", "s3://corpus/in", "-o", "s3://cleaned/run1", "--added", ADDED, "--rules",
            "s3://corpus/packs/pack.yaml", "--jobs", "2", "--stats", str(tmp_path / "stats.json"),
            "--shard-bytes", "0"]  # a part per file
    first = cli(*args)
    assert 0 == first.returncode, first.stderr
    fs = s3.fs()
    records, rejects, parts = read_parts(fs, "cleaned/run1")
    assert (tmp_path / "local.jsonl").read_bytes() == records
    assert (tmp_path / "local.rejects.jsonl").read_bytes() == rejects
    assert 9 == len(parts)
    # resume on S3: an unmarked shard and a changed part are redone, the rest skipped
    fs.rm_file("cleaned/run1/.cleaner/part-00001.json")
    fs.pipe_file("cleaned/run1/part-00003.jsonl.zst", b"not what was committed")
    again = cli(*args, "--resume")
    assert 0 == again.returncode, again.stderr
    assert "part-00003 was committed but" in again.stderr
    assert (records, rejects) == read_parts(fs, "cleaned/run1")[:2]
    stats = (tmp_path / "stats.json").read_text()
    _no_secret(first.stderr, again.stderr, stats, records.decode(), rejects.decode())
    assert "s3://corpus/in" == json.loads(stats)["input"]


def test_missing_bucket_or_prefix_is_one_line_and_exit_2(s3, tmp_path):
    src = write_corpus(tmp_path / "in")
    for args in (["run", "s3://no-such-bucket/in", "-o", "s3://cleaned/x"],
                 ["run", "s3://corpus/no-such-prefix", "-o", "s3://cleaned/x"],
                 ["run", str(src), "-o", "s3://no-such-bucket/out/"]):
        proc = cli(*args)
        assert 2 == proc.returncode, proc.stderr
        assert 1 == len(proc.stderr.strip().splitlines()), proc.stderr
        assert proc.stderr.startswith("cleaner: error:")
        _no_secret(proc.stderr)
    assert [] == s3.fs().ls("cleaned")  # nothing was written


def test_an_output_inside_a_url_input_is_refused_before_any_work(s3, tmp_path):
    src = write_corpus(tmp_path / "in")
    s3.upload(src, "s3://corpus/in")
    before = sorted(s3.fs().find("corpus/in"))
    for flag, url in (("-o", "s3://corpus/in"), ("-o", "s3://corpus/in/cleaned/"), ("-o", "s3://corpus/"),
                      ("--rejects", "s3://corpus/in/rejects/")):
        args = ["run", "s3://corpus/in", "-o", "s3://cleaned/y"] if flag != "-o" else ["run", "s3://corpus/in"]
        proc = cli(*args, flag, url)
        assert 2 == proc.returncode, proc.stderr
        assert 1 == len(proc.stderr.strip().splitlines()), proc.stderr
        assert "outputs never overwrite inputs" in proc.stderr
    assert before == sorted(s3.fs().find("corpus/in"))  # every input file as it was, nothing added


def test_credentials_in_a_url_never_show(s3, tmp_path):
    url = f"s3://{ACCESS_KEY}:{SECRET_KEY}@corpus/nothing-here"
    proc = cli("run", url, "-o", f"{tmp_path}/out/")
    assert 2 == proc.returncode
    assert 1 == len(proc.stderr.strip().splitlines()), proc.stderr
    assert "credentials in a URL are not accepted" in proc.stderr
    _no_secret(proc.stderr)


def test_an_unreadable_shard_is_listed_with_its_url_and_the_others_go_on(s3, tmp_path):
    from cleaner import Config
    from cleaner.run.plan import Shard
    from cleaner.run.shards import clean_shard
    from cleaner.sinks.shards import ShardStore
    from cleaner.sources.files import InputFile

    gone = Shard(0, InputFile("s3://corpus/in/vanished.jsonl", "vanished.jsonl", "jsonl"), "-")
    job = (Config(added=ADDED), "in", ADDED, ShardStore("s3://cleaned/gone"), "fingerprint")
    marker = clean_shard(gone, job)
    assert 1 == marker["summary"]["rejected"]
    _, rejects, _ = read_parts(s3.fs(), "cleaned/gone")
    (row,) = [json.loads(line) for line in rejects.decode().splitlines()]
    assert ("vanished.jsonl", "unreadable", "s3://corpus/in/vanished.jsonl") == (row["path"], row["reason"], row["url"])
    assert "FileNotFoundError" in row["detail"]
    _no_secret(json.dumps(row))


def test_throttling_503_slowdown_is_retried_with_backoff(s3, tmp_path):
    from shard_support import Throttler, s3_env

    src = write_corpus(tmp_path / "in")
    s3.upload(src, "s3://corpus/in")
    direct = cli("run", "s3://corpus/in", "-o", "s3://cleaned/direct", "--added", ADDED, "--jobs", "2", "-q")
    assert 0 == direct.returncode, direct.stderr
    with Throttler(s3.endpoint, budget=60) as proxy:
        env = dict(os.environ, **s3_env(proxy.endpoint))
        proc = subprocess.run([sys.executable, "-m", "cleaner", "run", "s3://corpus/in", "-o", "s3://cleaned/slow",
                               "--added", ADDED, "--jobs", "2", "-q", "--shard-bytes", "0"], capture_output=True, text=True, env=env,
                              timeout=300)
    assert 0 == proc.returncode, proc.stderr
    assert proxy.refused >= 30  # every other request of the 9 shards' was refused, 60 at most
    assert read_parts(s3.fs(), "cleaned/direct")[:2] == read_parts(s3.fs(), "cleaned/slow")[:2]


def test_a_burst_of_throttling_outlasting_botocore_and_s3fs_is_outlasted_by_our_retries(s3, tmp_path):
    """25 refusals in a row: botocore (2 attempts here) within s3fs (5) gives up after 10; cleaner's
    own backoff around each operation carries on."""
    from shard_support import Throttler, s3_env

    src = write_corpus(tmp_path / "in")
    s3.upload(src, "s3://corpus/in")
    with Throttler(s3.endpoint, burst=25, after=12) as proxy:
        env = dict(os.environ, **s3_env(proxy.endpoint), AWS_MAX_ATTEMPTS="2")
        proc = subprocess.run([sys.executable, "-m", "cleaner", "run", "s3://corpus/in", "-o", "s3://cleaned/burst",
                               "--added", ADDED, "--jobs", "1", "-q", "--shard-bytes", "0"], capture_output=True, text=True, env=env,
                              timeout=300)
    assert 0 == proc.returncode, proc.stderr
    assert 25 == proxy.refused
    local = cli("run", str(src), "-o", str(tmp_path / "local.jsonl"), "--added", ADDED, "--jobs", "1", "-q")
    assert 0 == local.returncode
    assert (tmp_path / "local.jsonl").read_bytes() == read_parts(s3.fs(), "cleaned/burst")[0]
