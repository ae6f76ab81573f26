"""Malformed WARC files: no loop, no crash, the reason named, and every good record around a bad one kept.

Each WARC is written by hand in the test (ISO 28500 records, RFC 9112 chunking) and run
through the real CLI with a timeout, so a loop fails the test instead of hanging it.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest

from conftest_helpers import read_jsonl
from hostile_support import run_cli
ROOT = Path(__file__).resolve().parents[2]
PAGE = (ROOT / "fixtures" / "html" / "harbour-bridge.html").read_bytes()
URI = "https://news.example.org/2024/harbour-bridge"


def record(kind: str, rid: str, block: bytes, uri: str | None = URI, ctype: str | None = None) -> bytes:
    """One WARC/1.1 record (ISO 28500)."""
    head = [b"WARC/1.1", f"WARC-Type: {kind}".encode(), f"WARC-Record-ID: <urn:uuid:{rid}>".encode(),
            b"WARC-Date: 2024-05-01T10:00:00Z", f"WARC-Target-URI: {uri}".encode()]
    if ctype:
        head.append(f"Content-Type: {ctype}".encode())
    head.append(f"Content-Length: {len(block)}".encode())
    return b"\r\n".join(head) + b"\r\n\r\n" + block + b"\r\n\r\n"


def http(body: bytes) -> bytes:
    return (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)


def good(n: int) -> bytes:
    return record("response", f"00000000-0000-0000-0000-00000000000{n}", http(PAGE), uri=f"{URI}/{n}",
                  ctype="application/http; msgtype=response")


def response(n: int, block: bytes) -> bytes:
    return record("response", f"00000000-0000-0000-0000-00000000000{n}", block, uri=f"{URI}/{n}",
                  ctype="application/http; msgtype=response")


def raw_http(body: bytes, headers: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + headers + b"\r\n" + body


def run_warc(tmp_path, name: str, data: bytes, *extra: str):
    src = tmp_path / "in"
    src.mkdir()
    (src / name).write_bytes(data)
    out = tmp_path / "out.jsonl"
    proc = run_cli("run", str(src), "-o", str(out), "-q", "--jobs", "1", *extra, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    written = [r["metadata"]["warc_target_uri"] for r in read_jsonl(out)]
    rejects = [r["reason"] for r in read_jsonl(tmp_path / "out.rejects.jsonl")]
    return proc, written, rejects


def uris(*numbers: int) -> list[str]:
    return [f"{URI}/{n}" for n in numbers]


def test_a_negative_chunk_size_is_bad_chunking_and_the_other_pages_are_kept(tmp_path):
    bad = response(2, raw_http(b"a\r\n<html><p>x\r\n-6\r\nmore text\r\n0\r\n\r\n", b"Transfer-Encoding: chunked\r\n"))
    proc, written, rejects = run_warc(tmp_path, "c.warc", good(1) + bad + good(3))
    assert 1 == proc.returncode
    assert uris(1, 3) == written
    assert ["bad_chunking"] == rejects


def test_a_negative_content_length_is_one_bad_record_not_a_crash(tmp_path):
    bad = good(2).replace(f"Content-Length: {len(http(PAGE))}".encode(), b"Content-Length: -5")
    proc, written, rejects = run_warc(tmp_path, "c.warc", good(1) + bad + good(3))
    assert 1 == proc.returncode
    assert uris(1, 3) == written
    assert ["corrupt_warc"] == rejects


def test_a_gzip_bomb_in_content_encoding_meets_the_ratio_limit(tmp_path):
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = squeeze.compress(b"<html><body><div>") + b"".join(
        squeeze.compress(b"<div>" * 200_000) for _ in range(300)) + squeeze.flush()  # 300 MB of nested divs
    bad = response(2, raw_http(bomb, b"Content-Encoding: gzip\r\n"))
    proc, written, rejects = run_warc(tmp_path, "c.warc.gz", b"".join(
        gzip.compress(r) for r in (good(1), bad, good(3))))
    assert 1 == proc.returncode
    assert uris(1, 3) == written
    assert ["decompression_limit"] == rejects


@pytest.mark.parametrize("shift", [-40, 40])
def test_a_wrong_content_length_loses_only_its_own_record(tmp_path, shift):
    n = len(http(PAGE))
    bad = good(2).replace(f"Content-Length: {n}".encode(), f"Content-Length: {n + shift}".encode())
    proc, written, rejects = run_warc(tmp_path, "c.warc", good(1) + bad + good(3) + good(4))
    assert {1, 3, 4} <= {int(u.rsplit("/", 1)[1]) for u in written}, (written, rejects)
    assert uris(3, 4) == written[-2:]


def test_garbage_between_records_is_skipped_to_the_next_warc_header(tmp_path):
    junk = b"this is not a record\r\nnor is this\r\n\x00\x01\x02 binary\r\n"
    proc, written, rejects = run_warc(tmp_path, "c.warc", junk + good(1) + junk + good(2) + good(3))
    assert 1 == proc.returncode  # the leading junk is named; the junk after a record ends it
    assert uris(1, 2, 3) == written
    assert ["corrupt_warc"] == rejects


def test_a_truncated_last_record_keeps_the_records_before(tmp_path):
    proc, written, rejects = run_warc(tmp_path, "c.warc", good(1) + good(2) + good(3)[:-900])
    assert 1 == proc.returncode
    assert uris(1, 2) == written
    assert ["truncated_record"] == rejects


def test_a_corrupt_gzip_member_loses_only_its_record(tmp_path):
    members = [gzip.compress(r) for r in (good(1), good(2), good(3), good(4))]
    broken = bytearray(members[1])
    broken[len(broken) // 2: len(broken) // 2 + 40] = b"\xff" * 40
    members[1] = bytes(broken)
    proc, written, rejects = run_warc(tmp_path, "c.warc.gz", b"".join(members))
    assert 1 == proc.returncode
    assert uris(1, 3, 4) == written
    assert 1 == len(rejects) and rejects[0] in ("corrupt_archive", "truncated_record")
