"""--shard-size: numbered outputs of bounded size that together hold the unsharded output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import zstandard

from cleaner.errors import ConfigError
from cleaner.sinks.jsonl import parse_size, shard_name

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def src(tmp_path):
    d = tmp_path / "in"
    shutil.copytree(ROOT / "fixtures" / "seeds", d)
    shutil.copy(ROOT / "fixtures" / "jsonl" / "sample.jsonl", d / "sample.jsonl")
    return d


def test_shards_are_bounded_and_concatenate_to_the_unsharded_output(src, tmp_path, cli):
    assert 0 == cli("run", str(src), "-o", str(tmp_path / "whole.jsonl"), "-q").returncode
    whole = (tmp_path / "whole.jsonl").read_bytes()
    limit = 6000
    assert 0 == cli("run", str(src), "-o", str(tmp_path / "out.jsonl"), "-q", "--shard-size", str(limit)).returncode
    shards = sorted(tmp_path.glob("out-*.jsonl"))
    assert [tmp_path / f"out-{i:05d}.jsonl" for i in range(len(shards))] == shards
    assert len(shards) >= 2
    assert whole == b"".join(s.read_bytes() for s in shards)
    for shard in shards:
        data = shard.read_bytes()
        assert len(data) <= limit or data.count(b"\n") == 1  # only a lone record may be larger
    assert not (tmp_path / "out.jsonl").exists()
    assert (tmp_path / "out.rejects.jsonl").exists()


def test_zstd_shards_and_stale_shards_of_an_earlier_run(src, tmp_path, cli):
    out = tmp_path / "out.jsonl.zst"
    assert 0 == cli("run", str(src), "-o", str(out), "-q", "--shard-size", "4000").returncode
    many = sorted(tmp_path.glob("out-*.jsonl.zst"))
    assert len(many) >= 3
    assert 0 == cli("run", str(src), "-o", str(out), "-q", "--shard-size", "1G").returncode
    assert [tmp_path / "out-00000.jsonl.zst"] == sorted(tmp_path.glob("out-*.jsonl.zst"))
    assert 0 == cli("run", str(src), "-o", str(tmp_path / "plain.jsonl"), "-q").returncode
    with zstandard.ZstdDecompressor().stream_reader((tmp_path / "out-00000.jsonl.zst").read_bytes()) as fh:
        assert (tmp_path / "plain.jsonl").read_bytes() == fh.read()


def test_shard_size_needs_a_file_and_a_size(src, tmp_path, cli):
    assert 2 == cli("run", str(src), "-o", "-", "--shard-size", "1M").returncode
    proc = cli("run", str(src), "-o", str(tmp_path / "o.jsonl"), "--shard-size", "lots")
    assert 2 == proc.returncode
    assert "not a size" in proc.stderr


def test_shard_names_and_sizes():
    assert "d/out-00012.jsonl.zst" == shard_name("d/out.jsonl.zst", 12)
    assert "out-00000.ndjson" == shard_name("out.ndjson", 0)
    assert "data-00001" == shard_name("data", 1)
    assert (2_000_000, 3 * 2**30, 512) == (parse_size("2M"), parse_size("3GiB"), parse_size("512"))
    with pytest.raises(ConfigError):
        parse_size("0")
