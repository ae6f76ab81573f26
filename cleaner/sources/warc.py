"""WARC input (``.warc``, ``.warc.gz``): the HTML pages of a web crawl, with where they came from.

A WARC file is a sequence of records, each a ``WARC/1.x`` line, ``Name: value`` headers, a
blank line and ``Content-Length`` bytes of content (ISO 28500). Crawlers write ``.warc.gz``
as one gzip member per record, so a record's *offset* is where its member starts in the
compressed file: the offset a CDX index gives for it. The format is small enough to read
here in ~150 lines, without a dependency.

Documents are the HTML pages: ``response`` records holding an HTTP response with a 2xx
status and an HTML content type (chunked transfer and gzip/deflate content encoding are
undone), and ``resource`` records of type ``text/html``. Other records (requests, metadata,
images, redirects) are not documents and are passed over.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Iterator

from ..errors import DocumentError

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHUNK = 1 << 16


@dataclass(slots=True)
class WarcPage:
    """One HTML page of a WARC file, or the reason it cannot be one (``payload`` None)."""

    offset: int
    record_id: str
    uri: str | None
    date: str | None
    payload: bytes | None
    reason: str = ""
    detail: str = ""

    def provenance(self) -> dict[str, object]:
        """The WARC fields of the output record's metadata."""
        return {"warc_record_id": self.record_id, "warc_target_uri": self.uri,
                "warc_date": self.date, "warc_offset": self.offset}


def _headers(fh: BinaryIO, what: str) -> dict[str, str]:
    """``Name: value`` lines up to a blank line, names lower-cased (continuation lines joined)."""
    out: dict[str, str] = {}
    last = None
    while True:
        line = fh.readline(1 << 20)
        if not line:
            raise DocumentError("corrupt_warc", f"{what} headers end early")
        if line in (b"\r\n", b"\n"):
            return out
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        if text[:1] in (" ", "\t") and last:
            out[last] += " " + text.strip()
            continue
        name, sep, value = text.partition(":")
        if sep:
            last = name.strip().lower()
            out[last] = value.strip()


def read_records(fh: BinaryIO, base: int | None, max_bytes: int) -> Iterator[tuple[int, dict[str, str], bytes | None]]:
    """(offset, WARC headers, content or None when over ``max_bytes``) of each record in ``fh``.

    ``base`` is the offset to report for every record (a gzip member's), else ``fh.tell()``.
    """
    while True:
        pos = fh.tell()
        line = fh.readline(1 << 16)
        if not line:
            return
        if not line.strip():
            continue  # the two line breaks that end every record
        if not line.startswith(b"WARC/"):
            raise DocumentError("corrupt_warc", f"no WARC record at byte {pos if base is None else base}")
        headers = _headers(fh, "WARC")
        try:
            length = int(headers.get("content-length", ""))
        except ValueError:
            raise DocumentError("corrupt_warc", "a record without a valid Content-Length") from None
        offset = pos if base is None else base
        if length > max_bytes:
            fh.seek(length, 1)
            yield offset, headers, None
            continue
        block = fh.read(length)
        if len(block) < length:
            raise DocumentError("corrupt_warc", f"the record at byte {offset} ends early")
        yield offset, headers, block


def _members(raw: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes]]:
    """(compressed offset, decompressed bytes) of each gzip member of ``raw``."""
    offset, pending = 0, b""
    while True:
        if not pending:
            pending = raw.read(_CHUNK)
            if not pending:
                return
        start, inflater, parts, size = offset, zlib.decompressobj(31), [], 0
        while not inflater.eof:
            if not pending:
                pending = raw.read(_CHUNK)
                if not pending:
                    raise DocumentError("corrupt_archive", f"the gzip member at byte {start} ends early")
            try:
                piece = inflater.decompress(pending, max_bytes + 1 - size)
            except zlib.error as exc:
                raise DocumentError("corrupt_archive", f"gzip member at byte {start}: {exc}") from None
            used = len(pending) - len(inflater.unconsumed_tail) - len(inflater.unused_data)
            offset += used
            pending = inflater.unused_data if inflater.eof else inflater.unconsumed_tail
            size += len(piece)
            parts.append(piece)
            if size > max_bytes:
                raise DocumentError("decompression_limit", f"the gzip member at byte {start} expands past "
                                    f"{max_bytes} bytes")
        yield start, b"".join(parts)


def iter_records(path: str, max_bytes: int) -> Iterator[tuple[int, dict[str, str], bytes | None]]:
    """Every record of the WARC file at ``path`` (gzip-compressed when it ends in ``.gz``)."""
    with open(path, "rb") as raw:
        if not path.lower().endswith(".gz"):
            yield from read_records(raw, None, max_bytes)
            return
        for start, data in _members(raw, max_bytes):
            yield from read_records(io.BytesIO(data), start, max_bytes)


def _dechunk(body: bytes) -> bytes:
    out, pos = [], 0
    while True:
        end = body.find(b"\r\n", pos)
        if end < 0:
            raise DocumentError("bad_http", "chunked body ends early")
        try:
            size = int(body[pos:end].split(b";")[0].strip() or b"0", 16)
        except ValueError:
            raise DocumentError("bad_http", "bad chunk size") from None
        if size == 0:
            return b"".join(out)
        out.append(body[end + 2:end + 2 + size])
        pos = end + 2 + size + 2


def http_payload(block: bytes) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of an HTTP response as a WARC ``response`` record holds it."""
    fh = io.BytesIO(block)
    status_line = fh.readline(1 << 16).decode("latin-1").split()
    if len(status_line) < 2 or not status_line[0].startswith("HTTP/") or not status_line[1].isdigit():
        raise DocumentError("bad_http", "no HTTP status line")
    headers = _headers(fh, "HTTP")
    body = fh.read()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    coding = headers.get("content-encoding", "").lower().strip()
    if coding in ("gzip", "x-gzip", "deflate"):
        try:
            body = zlib.decompress(body, 47 if coding != "deflate" else zlib.MAX_WBITS)
        except zlib.error:
            try:
                body = zlib.decompress(body, -zlib.MAX_WBITS)
            except zlib.error as exc:
                raise DocumentError("bad_http", f"content encoding {coding}: {exc}") from None
    elif coding not in ("", "identity"):
        raise DocumentError("unsupported_encoding", f"content encoding {coding}")
    return int(status_line[1]), headers, body


def iter_pages(path: str, max_bytes: int) -> Iterator[WarcPage]:
    """The HTML pages of a WARC file, in file order."""
    for offset, headers, block in iter_records(path, max_bytes):
        kind = headers.get("warc-type", "").lower()
        ctype = headers.get("content-type", "").lower()
        if kind not in ("response", "resource"):
            continue
        page = WarcPage(offset, headers.get("warc-record-id", ""), headers.get("warc-target-uri") or None,
                        headers.get("warc-date") or None, None)
        if kind == "resource":
            if not ctype.startswith(_HTML_TYPES):
                continue
            page.payload = block
        elif "application/http" in ctype:
            if block is None:
                page.reason, page.detail = "too_large", f"record over {max_bytes} bytes"
                yield page
                continue
            try:
                status, http, body = http_payload(block)
            except DocumentError as exc:
                page.reason, page.detail = exc.reason, exc.detail
                yield page
                continue
            if not 200 <= status < 300 or not http.get("content-type", "").lower().startswith(_HTML_TYPES):
                continue
            page.payload = body
        else:
            continue
        if page.payload is None:
            page.reason, page.detail = "too_large", f"record over {max_bytes} bytes"
        yield page
