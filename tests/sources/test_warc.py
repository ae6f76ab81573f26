"""WARC input: HTML responses are cleaned, everything else is passed over, provenance points back."""

from __future__ import annotations

import gzip
import zlib

import pytest
from conftest_helpers import read_jsonl
from warc_support import PAGE, URI, chunked, crawl, write_warc_gz

from cleaner import Cleaner
from cleaner.errors import DocumentError
from cleaner.sources.warc import http_payload, iter_pages


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
    assert 0 == proc.returncode, proc.stderr
    assert 1 == len(read_jsonl(out))
    assert ["truncated_record"] == [r["reason"] for r in read_jsonl(tmp_path / "out.rejects.jsonl")]


def test_a_page_over_the_size_limit_is_rejected_with_its_record_id(tmp_path, cli):
    src = tmp_path / "in"
    src.mkdir()
    (src / "crawl.warc").write_bytes(b"".join(crawl()))
    out = tmp_path / "out.jsonl"
    proc = cli("run", str(src), "-o", str(out), "-q", "--max-bytes", "2000")
    assert 0 == proc.returncode, proc.stderr
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
