"""Property test of the readers: whatever the bytes, every input ends in documents or documented
rejects, in bounded time and bounded memory.

Hypothesis writes WARC, ARC, JSONL, text and HTML files, valid and mangled (cut short, bytes
flipped, lengths made wrong, gzip and zstd wrapping, bombs in a body or a member), and each is
read through the reader registry (:func:`cleaner.sources.readers.read_file`) as ``run`` reads
it. Checked for every file: each document has bytes or a reason named in the README's table
of reasons; reading ends within a few seconds (an alarm fails the example otherwise); and the
peak of memory allocated while reading (tracemalloc) stays under a fixed multiple of the file
size plus a constant.
"""

from __future__ import annotations

import gzip
import re
import signal
import tracemalloc
from pathlib import Path

import brotli
import zstandard
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cleaner.sources.files import InputFile
from cleaner.sources.readers import Limits, file_format, read_file

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTED = set(re.findall(r"^\| `([a-z_]+)`(?:, `([a-z_]+)`)?", (ROOT / "README.md").read_text(), re.M))
REASONS = {name for pair in DOCUMENTED for name in pair if name}
MAX_BYTES = 1 << 20  # small, so that the bombs below go past it
SECONDS = 10
MEMORY = (20, 24 << 20)  # peak allocation under 20 x the file size + 24 MiB

BOMB = gzip.compress(b"<p>" * (20 << 20), 9)  # 60 MB of markup in about 60 kB
MEMBER_BOMB = gzip.compress(_ := b"WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: 30000000\r\n\r\n"
                            + b" " * 30_000_000, 9)
HTML = st.sampled_from([b"<html><body><p>Harbour bridge reopened after repairs.</p></body></html>",
                        b"<p>short</p>", b"", b"\xff\xfe<\x00p\x00>\x00", "<p>caf\u00e9 \u4e2d\u6587</p>".encode()])


def _warc_record(kind: str, block: bytes, version: bytes = b"WARC/1.0", eol: bytes = b"\r\n") -> bytes:
    head = [version, b"WARC-Type: " + kind.encode(), b"WARC-Record-ID: <urn:uuid:1>",
            b"WARC-Target-URI: http://example.org/", b"Content-Type: application/http; msgtype=response",
            b"Content-Length: %d" % len(block)]
    return eol.join(head) + eol + eol + block + eol + eol


def _compress(data: bytes, how: str) -> tuple[bytes, str]:
    """``data`` compressed ``how`` (gzip, zstd, br; ``bomb``: swapped for a gzip bomb), and how."""
    if how == "bomb":
        return BOMB, "gzip"
    squeeze = {"gzip": gzip.compress, "zstd": zstandard.compress, "br": brotli.compress}.get(how)
    return (squeeze(data) if squeeze else data), how


@st.composite
def http_blocks(draw) -> bytes:
    body = draw(HTML)
    headers = [b"HTTP/1.1 200 OK", b"Content-Type: text/html"]
    body, coding = _compress(body, draw(st.sampled_from(["", "gzip", "deflate", "br", "zstd", "bomb", "x-unknown"])))
    if coding:
        headers.append(b"Content-Encoding: " + coding.encode())
    if draw(st.booleans()):
        size = draw(st.sampled_from([b"%x" % len(body), b"-6", b"zz", b"ffffffffffffffffff", b"1"]))
        body = size + b"\r\n" + body + b"\r\n0\r\n\r\n"
        headers.append(b"Transfer-Encoding: chunked")
    return b"\r\n".join(headers) + b"\r\n\r\n" + body


@st.composite
def archives(draw) -> tuple[str, bytes]:
    """A WARC or ARC file, its records possibly with wrong lengths, compressed per record or not."""
    arc = draw(st.booleans())
    records = []
    for block in draw(st.lists(http_blocks(), min_size=1, max_size=4)):
        if arc:
            records.append(b"http://example.org/ 192.0.2.1 20240501100000 text/html %d\n" % len(block) + block + b"\n")
        else:
            records.append(_warc_record(draw(st.sampled_from(["response", "resource", "request"])), block,
                                        draw(st.sampled_from([b"WARC/1.0", b"WARC/1.1", b"WARC/0.18"])),
                                        draw(st.sampled_from([b"\r\n", b"\n"]))))
    shift = draw(st.integers(-60, 60))
    if shift and draw(st.booleans()):
        i = draw(st.integers(0, len(records) - 1))
        records[i] = re.sub(rb"(?i)(Content-Length: |text/html )(\d+)",
                            lambda m: m.group(1) + str(int(m.group(2)) + shift).encode(), records[i], count=1)
    packing = draw(st.sampled_from(["", ".gz", ".zst", ".bomb"]))
    if packing == ".bomb":  # a member that expands past --max-bytes, among good ones
        records, packing = [gzip.compress(r) for r in records] + [MEMBER_BOMB], ".gz"
    if packing == ".gz":
        records = [r if r is MEMBER_BOMB else gzip.compress(r) for r in records]
    elif packing == ".zst":
        records = [zstandard.compress(r) for r in records]
    return (".arc" if arc else ".warc") + packing, b"".join(records)


@st.composite
def flat_files(draw) -> tuple[str, bytes]:
    """A JSONL, text or HTML file, possibly compressed as a whole."""
    suffix = draw(st.sampled_from([".jsonl", ".txt", ".html"]))
    if suffix == ".jsonl":
        lines = draw(st.lists(st.sampled_from([b'{"text": "a line"}', b'{"html": "<p>x</p>"}', b"[1]", b"{bad",
                                               b'{"text": NaN}', b'{"text": "\\ud800"}', b""]), max_size=6))
        data = b"\n".join(lines)
    else:
        data = draw(HTML) + draw(st.binary(max_size=200))
    data, packing = _compress(data, draw(st.sampled_from(["", "gzip", "zstd", "bomb"])))
    packing = {"gzip": ".gz", "zstd": ".zst"}.get(packing, "")
    return suffix + packing, data


@st.composite
def mangled(draw) -> tuple[str, bytes]:
    """Any of the files above, then perhaps cut short and with some bytes flipped."""
    suffix, data = draw(st.one_of(archives(), flat_files()))
    if data and draw(st.booleans()):
        data = data[:draw(st.integers(0, len(data)))]
    flips = draw(st.lists(st.tuples(st.integers(0, max(0, len(data) - 1)), st.integers(1, 255)), max_size=4))
    if data:
        buf = bytearray(data)
        for at, mask in flips:
            buf[at] ^= mask
        data = bytes(buf)
    return suffix, data


class _Late(Exception):
    pass


def _alarm(signum, frame):
    raise _Late(f"reading took more than {SECONDS} s")


def test_the_readers_know_every_reason_they_give():
    assert {"corrupt_warc", "truncated_record", "bad_chunking", "decompression_limit", "corrupt_archive",
            "bad_http", "too_large", "unsupported_encoding"} <= REASONS


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=mangled())
def test_every_input_ends_in_documents_or_documented_rejects_in_bounded_time_and_memory(tmp_path, case):
    suffix, data = case
    path = tmp_path / ("input" + suffix)
    path.write_bytes(data)
    item = InputFile(str(path), path.name, file_format(path.name) or "text")
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(SECONDS)
    tracemalloc.start()
    try:
        docs = list(read_file(item, Limits(MAX_BYTES, 100)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    for doc in docs:
        event(f"{suffix}: {doc.reason or 'document'}")
        assert (doc.data is None) == bool(doc.reason), doc
        assert doc.data is not None or doc.reason in REASONS, (doc.reason, doc.detail)
        assert doc.data is None or len(doc.data) <= MAX_BYTES
    assert peak <= MEMORY[0] * len(data) + MEMORY[1], f"{peak} bytes allocated reading {len(data)}"
