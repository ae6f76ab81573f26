"""Zstandard JSONL: read like plain JSONL, written when OUTPUT ends in .zst, bounded on read."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import zstandard

from conftest_helpers import read_jsonl

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "fixtures" / "jsonl" / "sample.jsonl"


def test_zstd_input_gives_the_records_of_plain_input(tmp_path, cli):
    plain, packed = tmp_path / "plain", tmp_path / "packed"
    plain.mkdir()
    packed.mkdir()
    shutil.copy(SAMPLE, plain / "sample.jsonl")
    (packed / "sample.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(SAMPLE.read_bytes()))
    for src in (plain, packed):
        assert 0 == cli("run", str(src), "-o", str(tmp_path / f"{src.name}.jsonl"), "-q", "--source", "s").returncode
    a, b = read_jsonl(tmp_path / "plain.jsonl"), read_jsonl(tmp_path / "packed.jsonl")
    assert len(a) > 1
    for x, y in zip(a, b):
        assert "sample.jsonl.zst" == y["metadata"].pop("path")
        x["metadata"].pop("path")
        assert x == y


def test_multi_frame_zstd_is_read_across_frames(tmp_path, cli):
    lines = SAMPLE.read_bytes().splitlines(keepends=True)
    comp = zstandard.ZstdCompressor()
    src = tmp_path / "in"
    src.mkdir()
    (src / "x.jsonl.zst").write_bytes(b"".join(comp.compress(line) for line in lines))
    assert 0 == cli("run", str(src), "-o", str(tmp_path / "out.jsonl"), "-q").returncode
    assert len([x for x in lines if x.strip()]) == len(read_jsonl(tmp_path / "out.jsonl"))


def test_zst_output_decompresses_to_the_plain_output(tmp_path, cli):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLE, src / "sample.jsonl")
    assert 0 == cli("run", str(src), "-o", str(tmp_path / "out.jsonl"), "-q").returncode
    assert 0 == cli("run", str(src), "-o", str(tmp_path / "out.jsonl.zst"), "-q").returncode
    packed = (tmp_path / "out.jsonl.zst").read_bytes()
    assert packed.startswith(b"\x28\xb5\x2f\xfd")  # the zstd frame magic
    with zstandard.ZstdDecompressor().stream_reader(packed, read_across_frames=True) as fh:
        assert (tmp_path / "out.jsonl").read_bytes() == fh.read()


def test_corrupt_oversized_and_bomb_zstd_are_rejected_with_reasons(tmp_path, cli):
    src = tmp_path / "in"
    src.mkdir()
    comp = zstandard.ZstdCompressor()
    good = comp.compress(SAMPLE.read_bytes())
    (src / "broken.jsonl.zst").write_bytes(good[: len(good) // 2])
    long_line = json.dumps({"id": "big", "text": "word " * 400_000}).encode() + b"\n"
    (src / "long.jsonl.zst").write_bytes(comp.compress(long_line))
    bomb = json.dumps({"id": "bomb", "text": "a" * 20_000_000}).encode() + b"\n"
    (src / "bomb.jsonl.zst").write_bytes(comp.compress(bomb))
    out = tmp_path / "out.jsonl"
    proc = cli("run", str(src), "-o", str(out), "-q", "--max-bytes", "30000000")
    assert 1 == proc.returncode, proc.stderr
    reasons = {r["path"]: r["reason"] for r in read_jsonl(tmp_path / "out.rejects.jsonl")}
    assert {"broken.jsonl.zst": "corrupt_archive", "bomb.jsonl.zst": "decompression_bomb"} == reasons
    proc = cli("run", str(src / "long.jsonl.zst"), "-o", str(out), "-q", "--max-bytes", "100000")
    assert 1 == proc.returncode, proc.stderr
    assert ["too_large"] == [r["reason"] for r in read_jsonl(tmp_path / "out.rejects.jsonl")]


def test_zst_output_in_checkpointed_frames_is_one_stream(tmp_path, cli):
    src = tmp_path / "in"
    shutil.copytree(ROOT / "fixtures" / "seeds", src)
    assert 0 == cli("run", str(src), "-o", str(tmp_path / "out.jsonl"), "-q").returncode
    assert 0 == cli("run", str(src), "-o", str(tmp_path / "out.jsonl.zst"), "-q", "--checkpoint-every", "1").returncode
    packed = (tmp_path / "out.jsonl.zst").read_bytes()
    assert packed.count(b"\x28\xb5\x2f\xfd") >= 2  # a frame per commit
    with zstandard.ZstdDecompressor().stream_reader(packed, read_across_frames=True) as fh:
        assert (tmp_path / "out.jsonl").read_bytes() == fh.read()
