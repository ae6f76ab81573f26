"""Web archives as real crawls write them: ClueWeb-era quirks, ARC, .warc.zst, br and zstd bodies.

Every file is written by hand in the test (ISO 28500 records, the ARC 1.0 layout, IIPC
.warc.zst: one zstd frame per record).
"""

from __future__ import annotations

import gzip
import os
import struct

import brotli
import pytest
import zstandard
from conftest_helpers import read_jsonl
from warc_support import PAGE, URI, record

from cleaner.sources.readers import file_format
from cleaner.sources.warc import http_payload, iter_pages

RESPONSE = "application/http; msgtype=response"


def page(n: int, http: bytes, version: bytes = b"WARC/1.1") -> bytes:
    rec = record("response", f"00000000-0000-0000-0000-00000000000{n}", http, uri=f"{URI}/{n}", ctype=RESPONSE)
    return rec.replace(b"WARC/1.1", version, 1)


def ok(n: int) -> bytes:
    return page(n, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + PAGE)


def pages(tmp_path, name: str, data: bytes, max_bytes: int = 1 << 20) -> list:
    path = tmp_path / name
    path.write_bytes(data)
    return list(iter_pages(str(path), max_bytes))


@pytest.mark.parametrize("status", [b"HTTP/1.1 200", b"HTTP/1.0 OK", b"http/1.1 200 OK", b"HTTP/1.1  200  OK",
                                    b"\r\nHTTP/1.1 200 OK"])
def test_clueweb_status_lines_are_read_not_bad_http(tmp_path, status):
    data = ok(1) + page(2, status + b"\r\nContent-Type: text/html\r\n\r\n" + PAGE, b"WARC/0.18") + ok(3)
    found = pages(tmp_path, "c.warc", data)
    assert [PAGE] * 3 == [p.payload for p in found], [p.reason for p in found]


def test_bare_lf_records_with_crlf_lengths_keep_the_record_after(tmp_path):
    quirky = ok(2).replace(b"\r\n", b"\n")  # line ends rewritten, Content-Length not
    found = pages(tmp_path, "c.warc", ok(1) + quirky + ok(3))
    assert ["1", "2", "3"] == [p.uri.rsplit("/", 1)[1] for p in found]
    assert [PAGE] * 3 == [p.payload for p in found]


def test_a_content_length_too_short_keeps_the_whole_page(tmp_path):
    n = len(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + PAGE)
    short = ok(2).replace(f"Content-Length: {n}".encode(), f"Content-Length: {n - 40}".encode())
    assert [PAGE] * 3 == [p.payload for p in pages(tmp_path, "c.warc", ok(1) + short + ok(3))]


@pytest.mark.parametrize("coding, encode", [("br", brotli.compress), ("zstd", zstandard.compress),
                                            ("gzip, br", lambda b: brotli.compress(gzip.compress(b)))])
def test_br_and_zstd_content_encodings_are_undone(coding, encode):
    raw = b"HTTP/1.1 200 OK\r\nContent-Encoding: " + coding.encode() + b"\r\n\r\n" + encode(PAGE)
    assert PAGE == http_payload(raw)[2]


@pytest.mark.parametrize("coding, encode", [("br", lambda b: brotli.compress(b, quality=5)),
                                            ("zstd", zstandard.compress)])
def test_a_br_or_zstd_bomb_meets_the_ratio_limit(tmp_path, coding, encode):
    bomb = encode(b"<div>" * (8 << 20))  # 40 MB from a few kilobytes
    bad = page(2, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: " + coding.encode()
               + b"\r\n\r\n" + bomb)
    found = pages(tmp_path, "c.warc", ok(1) + bad + ok(3), max_bytes=64 << 20)
    assert ["", "decompression_limit", ""] == [p.reason for p in found]


def test_chunk_extensions_and_bare_lf_chunks_are_read():
    raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;name=x\nabcd\n3\r\nefg\r\n0\r\n\r\n"
    assert b"abcdefg" == http_payload(raw)[2]


def zst_frames(records: list[bytes], dictionary: bytes | None = None) -> bytes:
    """IIPC .warc.zst: one frame per record, the dictionary (if any) in a skippable frame first."""
    if dictionary is None:
        return b"".join(zstandard.ZstdCompressor().compress(r) for r in records)
    squeeze = zstandard.ZstdCompressor(dict_data=zstandard.ZstdCompressionDict(dictionary))
    return struct.pack("<II", 0x184D2A5D, len(dictionary)) + dictionary + b"".join(squeeze.compress(r) for r in records)


def test_warc_zst_is_read_with_frame_offsets_and_a_truncated_last_frame(tmp_path):
    frames = [zstandard.ZstdCompressor().compress(r) for r in (ok(1), ok(2), ok(3))]
    data = frames[0] + frames[1] + frames[2][:len(frames[2]) // 2]
    found = pages(tmp_path, "c.warc.zst", data)
    assert [0, len(frames[0]), len(frames[0]) + len(frames[1])] == [p.offset for p in found]
    assert [PAGE, PAGE, None] == [p.payload for p in found]
    assert "truncated_record" == found[2].reason


def test_warc_zst_with_a_dictionary_and_a_damaged_frame(tmp_path):
    dictionary = zstandard.train_dictionary(2048, [ok(n) + bytes([n]) * n for n in range(1, 9)] * 20).as_bytes()
    frames = zst_frames([ok(1), ok(2), ok(3)], dictionary)
    cut = frames.index(b"\x28\xb5\x2f\xfd", frames.index(b"\x28\xb5\x2f\xfd", 8) + 4)  # the second frame
    broken = frames[:cut + 12] + b"\xff" * 30 + frames[cut + 42:]
    found = pages(tmp_path, "c.warc.zst", broken)
    assert [PAGE, None, PAGE] == [p.payload for p in found]
    assert "corrupt_archive" == found[1].reason


def arc(records: list[tuple[str, bytes]]) -> bytes:
    """An ARC 1.0 file: its filedesc header, then one ``URL IP DATE TYPE LENGTH`` line per record."""
    version = b"1 0 Hand\nURL IP-address Archive-date Content-type Archive-length\n"
    out = [b"filedesc://c.arc 0.0.0.0 20240501100000 text/plain %d\n" % len(version) + version + b"\n"]
    for uri, http in records:
        out.append(f"{uri} 192.0.2.1 20240501100000 text/html {len(http)}\n".encode() + http + b"\n")
    return b"".join(out)


def test_arc_and_arc_gz_are_read_page_by_page(tmp_path):
    http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + PAGE
    items = [(f"{URI}/1", http), ("dns:news.example.org", b"192.0.2.1\n"), (f"{URI}/2", http)]
    plain = arc(items)
    found = pages(tmp_path, "c.arc", plain)
    assert [(f"{URI}/1", PAGE), (f"{URI}/2", PAGE)] == [(p.uri, p.payload) for p in found]
    assert "2024-05-01T10:00:00Z" == found[0].date and "" == found[0].record_id
    members = [gzip.compress(part) for part in plain.split(b"\n\n", 1)[:1]] + [
        gzip.compress(arc([item])[arc([item]).index(b"\n\n") + 2:]) for item in items]
    found = pages(tmp_path, "c.arc.gz", b"".join(members))
    assert [PAGE, PAGE] == [p.payload for p in found]
    assert sum(map(len, members[:3])) == found[1].offset


def test_arc_with_a_wrong_length_keeps_the_records_after(tmp_path):
    http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + PAGE
    data = arc([(f"{URI}/{n}", http) for n in (1, 2, 3)])
    data = data.replace(f"{URI}/2 192.0.2.1 20240501100000 text/html {len(http)}".encode(),
                        f"{URI}/2 192.0.2.1 20240501100000 text/html {len(http) + 90}".encode())
    assert [f"{URI}/{n}" for n in (1, 2, 3)] == [p.uri for p in pages(tmp_path, "c.arc", data)]


def arc_v2(records: list[tuple[str, bytes]]) -> bytes:
    """An ARC 2 file (IA's layout): a ten-field filedesc line and version block, then one
    ``URL IP DATE TYPE RESULT CHECKSUM LOCATION OFFSET FILENAME LENGTH`` line per record."""
    version = (b"2 0 Hand\nURL IP-address Archive-date Content-type Result-code Checksum Location Offset "
               b"Filename Archive-length\n")
    out = [b"filedesc://c.arc 0.0.0.0 20240501100000 text/plain 200 - - 0 c.arc %d\n" % len(version)
           + version + b"\n"]
    for uri, http in records:
        head = f"{uri} 192.0.2.1 20240501100000 text/html 200 3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ - "
        out.append(f"{head}{sum(map(len, out))} c.arc {len(http)}\n".encode() + http + b"\n")
    return b"".join(out)


def test_arc_version_2_is_read_like_version_1(tmp_path, cli):
    http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + PAGE
    items = [(f"{URI}/1", http), ("dns:news.example.org", b"192.0.2.1\n"), (f"{URI}/2", http)]
    data = arc_v2(items)
    found = pages(tmp_path, "c.arc", data)
    assert [(f"{URI}/1", PAGE), (f"{URI}/2", PAGE)] == [(p.uri, p.payload) for p in found], found
    assert ["2024-05-01T10:00:00Z"] * 2 == [p.date for p in found]
    assert [data.index(f"{URI}/{n} ".encode()) for n in (1, 2)] == [p.offset for p in found]
    wrong = data.replace(f"c.arc {len(http)}\n{http[:8].decode()}".encode(),
                         f"c.arc {len(http) + 90}\n{http[:8].decode()}".encode(), 1)  # the first too long
    assert [f"{URI}/1", f"{URI}/2"] == [p.uri for p in pages(tmp_path, "w.arc", wrong)]
    src = tmp_path / "in"
    src.mkdir()
    (src / "v2.arc.gz").write_bytes(b"".join(gzip.compress(part + b"\n") for part in data.split(b"\n\n")[:-1]))
    out = tmp_path / "out.jsonl"
    proc = cli("run", str(src), "-o", str(out), "-q")
    assert 0 == proc.returncode, proc.stderr
    assert [f"{URI}/1", f"{URI}/2"] == [r["metadata"]["warc_target_uri"] for r in read_jsonl(out)]
    assert not (tmp_path / "out.rejects.jsonl").exists() or "" == (tmp_path / "out.rejects.jsonl").read_text()


def test_every_command_reads_arc_and_warc_zst_through_the_registry(tmp_path, cli):
    assert ["warc"] * 4 == [file_format(n) for n in ("a.warc.zst", "a.arc", "a.arc.gz", "a.arc.zst")]
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.warc.zst").write_bytes(zst_frames([ok(1), ok(2)]))
    (src / "b.arc.gz").write_bytes(gzip.compress(arc([(f"{URI}/9", b"HTTP/1.0 200 OK\r\nContent-Type: text/html"
                                                        b"\r\n\r\n" + PAGE)])))
    out = tmp_path / "out.jsonl"
    proc = cli("run", str(src), "-o", str(out), "-q")
    assert 0 == proc.returncode, proc.stderr
    assert [f"{URI}/1", f"{URI}/2", f"{URI}/9"] == [r["metadata"]["warc_target_uri"] for r in read_jsonl(out)]
    proc = cli("explain", str(src / "b.arc.gz"))
    assert 0 == proc.returncode, proc.stderr
    assert "harbour bridge reopened" in proc.stdout.lower()


def test_a_chunk_longer_than_the_body_keeps_what_it_holds_and_a_header_flood_is_one_bad_record(tmp_path):
    clipped = page(2, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                   + b"%x\r\n" % (len(PAGE) + 500) + PAGE)
    flood = ok(3).replace(b"Content-Length:", b"X-Pad: zzzzzzzz\r\n" * 120_000 + b"Content-Length:", 1)  # 2 MB
    found = pages(tmp_path, "c.warc", ok(1) + clipped + flood + ok(4))
    assert [PAGE, PAGE, None, PAGE] == [p.payload for p in found]
    assert "corrupt_warc" == found[2].reason


def test_a_warc_gzipped_whole_is_read_record_by_record_past_max_bytes(tmp_path):
    records = [page(n, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + PAGE + b"<!-- %d -->" % n)
               for n in range(600)]  # 1.7 MB in one gzip member, as some collections ship a WARC
    found = pages(tmp_path, "whole.warc.gz", gzip.compress(b"".join(records)), max_bytes=1 << 20)
    assert 600 == len(found) and all(p.payload is not None for p in found), {p.reason for p in found}
    assert {0} == {p.offset for p in found}  # the offset a CDX index gives: the member's


def test_a_response_record_without_content_type_is_read_as_http_when_it_holds_http(tmp_path):
    bare = ok(2).replace(b"Content-Type: " + RESPONSE.encode() + b"\r\n", b"")
    assert [PAGE] * 3 == [p.payload for p in pages(tmp_path, "c.warc", ok(1) + bare + ok(3))]


def test_an_http_response_without_content_type_is_a_page_when_its_body_opens_as_html(tmp_path):
    untyped = page(2, b"HTTP/1.1 200 OK\r\nServer: x\r\n\r\n" + PAGE)
    image = page(3, b"HTTP/1.1 200 OK\r\nServer: x\r\n\r\n\x89PNG\r\n")
    assert [PAGE, PAGE] == [p.payload for p in pages(tmp_path, "c.warc", ok(1) + untyped + image)]


def test_arc_records_in_one_gzip_member_get_distinct_ids(tmp_path, cli):
    http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + PAGE
    src = tmp_path / "in"
    src.mkdir()
    (src / "whole.arc.gz").write_bytes(gzip.compress(arc([(f"{URI}/{n}", http) for n in (1, 2, 3)])))
    out = tmp_path / "out.jsonl"
    assert 0 == cli("run", str(src), "-o", str(out), "-q").returncode
    records = read_jsonl(out)
    assert [f"{URI}/{n}" for n in (1, 2, 3)] == [r["metadata"]["warc_target_uri"] for r in records]
    assert 3 == len({r["id"] for r in records})  # no record id in an ARC, one offset for the member


def test_a_warc_swapped_for_a_link_after_listing_is_not_read(tmp_path):
    from cleaner.sources.readers import Limits, list_inputs, read_file

    root, outside = tmp_path / "in", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "a.warc").write_bytes(ok(1))
    (outside / "secret.warc").write_bytes(ok(2))
    (item,), _ = list_inputs(str(root))
    os.unlink(root / "a.warc")
    os.symlink(outside / "secret.warc", root / "a.warc")
    docs = list(read_file(item, Limits(1 << 20)))
    assert [(None, "symlink_swapped")] == [(d.data, d.reason) for d in docs]
