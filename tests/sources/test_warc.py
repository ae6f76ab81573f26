"""WARC input: HTML responses are cleaned, everything else is passed over, provenance points back."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.errors import DocumentError
from cleaner.sources.warc import http_payload, iter_pages
from conftest_helpers import read_jsonl

ROOT = Path(__file__).resolve().parents[2]
PAGE = (ROOT / "fixtures" / "html" / "harbour-bridge.html").read_bytes()
URI = "https://news.example.org/2024/harbour-bridge"


def record(kind: str, rid: str, block: bytes, uri: str | None = URI, ctype: str | None = None) -> bytes:
    """One WARC/1.1 record, written by hand from the format (ISO 28500)."""
    head = [b"WARC/1.1", f"WARC-Type: {kind}".encode(), f"WARC-Record-ID: <urn:uuid:{rid}>".encode(),
            b"WARC-Date: 2024-05-01T10:00:00Z"]
    if uri:
        head.append(f"WARC-Target-URI: {uri}".encode())
    if ctype:
        head.append(f"Content-Type: {ctype}".encode())
    head.append(f"Content-Length: {len(block)}".encode())
    return b"\r\n".join(head) + b"\r\n\r\n" + block + b"\r\n\r\n"


def http(body: bytes, status: str = "200 OK", ctype: str = "text/html; charset=utf-8", extra: bytes = b"") -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\n".encode() + extra
            + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)


def chunked(body: bytes) -> bytes:
    half = len(body) // 2
    parts = [body[:half], body[half:]]
    return b"".join(f"{len(p):x}\r\n".encode() + p + b"\r\n" for p in parts) + b"0\r\n\r\n"


def crawl() -> list[bytes]:
    """The records of a small crawl: two HTML pages among things that are not pages."""
    gz_body = gzip.compress(PAGE)
    return [
        record("warcinfo", "00000000-0000-0000-0000-000000000000", b"software: hand\r\n", uri=None,
               ctype="application/warc-fields"),
        record("request", "00000000-0000-0000-0000-000000000001", b"GET / HTTP/1.1\r\n\r\n",
               ctype="application/http; msgtype=request"),
        record("response", "00000000-0000-0000-0000-000000000002", http(PAGE), ctype="application/http; msgtype=response"),
        record("response", "00000000-0000-0000-0000-000000000003", http(b"<html>gone</html>", "404 Not Found"),
               ctype="application/http; msgtype=response"),
        record("response", "00000000-0000-0000-0000-000000000004", http(b"\x89PNG....", ctype="image/png"),
               ctype="application/http; msgtype=response"),
        record("response", "00000000-0000-0000-0000-000000000005",
               http(chunked(gz_body), extra=b"Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n")
               .replace(f"Content-Length: {len(chunked(gz_body))}\r\n".encode(), b""),
               uri=URI + "?page=2", ctype="application/http; msgtype=response"),
        record("metadata", "00000000-0000-0000-0000-000000000006", b"via: x\r\n", ctype="application/warc-fields"),
    ]


def write_warc_gz(path: Path, records: list[bytes]) -> list[int]:
    """One gzip member per record, as crawlers write them; the member offsets."""
    offsets, data = [], b""
    for rec in records:
        offsets.append(len(data))
        data += gzip.compress(rec)
    path.write_bytes(data)
    return offsets


def test_html_responses_become_records_with_their_provenance(tmp_path, cli):
    src = tmp_path / "in"
    src.mkdir()
    offsets = write_warc_gz(src / "crawl.warc.gz", crawl())
    out = tmp_path / "out.jsonl"
    proc = cli("run", str(src), "-o", str(out), "-q")
    assert 0 == proc.returncode, proc.stderr
    records = read_jsonl(out)
    assert ["<urn:uuid:00000000-0000-0000-0000-000000000002>",
            "<urn:uuid:00000000-0000-0000-0000-000000000005>"] == [r["id"] for r in records]
    meta = records[0]["metadata"]
    assert "crawl.warc.gz" == meta["path"]
    assert "warc" == meta["format"]
    assert URI == meta["warc_target_uri"]
    assert "2024-05-01T10:00:00Z" == meta["warc_date"]
    assert [offsets[2], offsets[5]] == [r["metadata"]["warc_offset"] for r in records]
    assert Cleaner().clean_html(PAGE, url=URI).text == records[0]["text"]  # as if it were a .html file
    assert "harbour bridge reopened" in records[0]["text"]
    assert records[0]["text"] == records[1]["text"]  # chunked + gzip-encoded body, same page


def test_the_offset_is_where_the_record_can_be_read_back(tmp_path, cli):
    src = tmp_path / "in"
    src.mkdir()
    write_warc_gz(src / "crawl.warc.gz", crawl())
    out = tmp_path / "out.jsonl"
    assert 0 == cli("run", str(src), "-o", str(out), "-q").returncode
    data = (src / "crawl.warc.gz").read_bytes()
    for rec in read_jsonl(out):
        member = zlib.decompressobj(31).decompress(data[rec["metadata"]["warc_offset"]:])
        assert member.startswith(b"WARC/1.1\r\nWARC-Type: response\r\n")
        assert f"WARC-Record-ID: {rec['id']}".encode() in member


def test_uncompressed_warc_offsets_are_byte_offsets(tmp_path):
    records = crawl()
    path = tmp_path / "crawl.warc"
    path.write_bytes(b"".join(records))
    pages = list(iter_pages(str(path), 1 << 20))
    assert [sum(map(len, records[:2])), sum(map(len, records[:5]))] == [p.offset for p in pages]
    assert PAGE == pages[0].payload


def test_a_truncated_warc_keeps_what_came_before_and_rejects_the_rest(tmp_path, cli):
    src = tmp_path / "in"
    src.mkdir()
    write_warc_gz(src / "crawl.warc.gz", crawl()[:3])
    whole = (src / "crawl.warc.gz").read_bytes()
    (src / "crawl.warc.gz").write_bytes(whole + gzip.compress(crawl()[5])[:200])
    out = tmp_path / "out.jsonl"
    proc = cli("run", str(src), "-o", str(out), "-q")
    assert 1 == proc.returncode, proc.stderr
    assert 1 == len(read_jsonl(out))
    assert ["corrupt_archive"] == [r["reason"] for r in read_jsonl(tmp_path / "out.rejects.jsonl")]


def test_a_page_over_the_size_limit_is_rejected_with_its_record_id(tmp_path, cli):
    src = tmp_path / "in"
    src.mkdir()
    (src / "crawl.warc").write_bytes(b"".join(crawl()))
    out = tmp_path / "out.jsonl"
    proc = cli("run", str(src), "-o", str(out), "-q", "--max-bytes", "2000")
    assert 1 == proc.returncode, proc.stderr
    rejects = read_jsonl(tmp_path / "out.rejects.jsonl")
    assert {"too_large"} == {r["reason"] for r in rejects}
    assert "<urn:uuid:00000000-0000-0000-0000-000000000002>" == rejects[0]["warc_record_id"]


def test_http_payload_undoes_chunking_and_content_encoding():
    body = b"<html><body><p>Hello</p></body></html>"
    raw = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
           + chunked(gzip.compress(body)))
    status, headers, payload = http_payload(raw)
    assert (200, body) == (status, payload)
    with pytest.raises(DocumentError) as info:
        http_payload(b"not http at all")
    assert "bad_http" == info.value.reason
