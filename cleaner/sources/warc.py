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
    content_type: str | None = None  # the page's Content-Type (its charset decodes it)

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


_WARC_LINE = b"WARC/"
_NEXT_RECORD = b"\r\n\r\nWARC/"
_SCAN = 1 << 16


def _is_warc_line(line: bytes) -> bool:
    return line.startswith(_WARC_LINE) and line[5:6].isdigit()


def _resync(fh: BinaryIO) -> bool:
    """Move ``fh`` to the next line that starts a WARC record; False at the end of the file."""
    while True:
        pos = fh.tell()
        line = fh.readline(_SCAN)
        if not line:
            return False
        if _is_warc_line(line):
            fh.seek(pos)
            return True


def read_records(fh: BinaryIO, base: int | None, max_bytes: int) -> Iterator[tuple[int, dict[str, str] | None, bytes | DocumentError | None]]:
    """(offset, WARC headers, content) of each record in ``fh``.

    The content is None when over ``max_bytes``. A record that cannot be read comes as
    (offset, None, DocumentError), and reading carries on at the next ``WARC/1.x`` line, so
    one bad record never loses the records after it. ``base`` is the offset to report for
    every record (a gzip member's), else ``fh.tell()``.
    """
    while True:
        pos = fh.tell()
        line = fh.readline(_SCAN)
        if not line:
            return
        if not line.strip():
            continue  # the two line breaks that end every record
        offset = pos if base is None else base
        if not _is_warc_line(line):
            yield offset, None, DocumentError("corrupt_warc", f"no WARC record at byte {offset}; skipped to the next")
            if not _resync(fh):
                return
            continue
        try:
            headers = _headers(fh, "WARC")
        except DocumentError:
            yield offset, None, DocumentError("truncated_record", f"the record at byte {offset} ends in its headers")
            return
        try:
            length = int(headers.get("content-length", ""))
        except ValueError:
            length = -1
        if length < 0:
            yield offset, None, DocumentError("corrupt_warc", f"the record at byte {offset} has no valid "
                                              f"Content-Length ({headers.get('content-length', '')!r})")
            if not _resync(fh):
                return
            continue
        if length > max_bytes:
            fh.seek(length, 1)
            yield offset, headers, None
            continue
        start = fh.tell()
        block = fh.read(length)
        inside = block.find(_NEXT_RECORD)
        if len(block) < length and inside < 0:
            yield offset, headers, DocumentError("truncated_record", f"the record at byte {offset} ends early "
                                                 f"({len(block)} of {length} bytes)")
            return
        if len(block) < length or not _ends_record(fh):  # a wrong Content-Length
            if inside >= 0:  # too long: the next record starts inside this block
                block = block[:inside]
                fh.seek(start + inside + 4)
            elif not _resync(fh):  # too short: the rest of this block comes first
                yield offset, headers, block
                return
        yield offset, headers, block


def _ends_record(fh: BinaryIO) -> bool:
    """True when the end of the file or blank lines and a WARC line follow (``fh`` is left in place)."""
    pos = fh.tell()
    ahead = fh.read(4 + len(_WARC_LINE) + 1)
    fh.seek(pos)
    rest = ahead.lstrip(b"\r\n")
    return not rest or (_WARC_LINE + b"1").startswith(rest[:6]) or _is_warc_line(rest)


_GZIP_MAGIC = b"\x1f\x8b\x08"


def _next_member(raw: BinaryIO, after: int) -> int | None:
    """The offset of the next gzip header after byte ``after``, or None."""
    raw.seek(after + 1)
    pos, tail = after + 1, b""
    while True:
        block = raw.read(_CHUNK)
        if not block:
            return None
        data = tail + block
        found = data.find(_GZIP_MAGIC)
        if found >= 0:
            return pos - len(tail) + found
        tail = data[-2:]
        pos += len(block)


def _members(raw: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | DocumentError]]:
    """(compressed offset, decompressed bytes) of each gzip member of ``raw``.

    A damaged member comes as (offset, DocumentError), and reading carries on at the next
    gzip header; a member clipped by the end of the file gives what it holds and then
    its error.
    """
    offset, pending = 0, b""
    while True:
        if not pending:
            pending = raw.read(_CHUNK)
            if not pending:
                return
        start, inflater, parts, size, error = offset, zlib.decompressobj(31), [], 0, None
        while not inflater.eof:
            if not pending:
                pending = raw.read(_CHUNK)
                if not pending:
                    error = DocumentError("truncated_record", f"the gzip member at byte {start} ends early")
                    break
            try:
                piece = inflater.decompress(pending, max_bytes + 1 - size)
            except zlib.error as exc:
                error = DocumentError("corrupt_archive", f"gzip member at byte {start}: {exc}")
                break
            used = len(pending) - len(inflater.unconsumed_tail) - len(inflater.unused_data)
            offset += used
            pending = inflater.unused_data if inflater.eof else inflater.unconsumed_tail
            size += len(piece)
            parts.append(piece)
            if size > max_bytes:
                error = DocumentError("decompression_limit", f"the gzip member at byte {start} expands past "
                                      f"{max_bytes} bytes")
                break
        if error is None:
            yield start, b"".join(parts)
            continue
        if error.reason == "truncated_record" and parts:
            yield start, b"".join(parts)  # its records, the last of them clipped
        else:
            yield start, error
        found = _next_member(raw, start)
        if found is None:
            return
        raw.seek(found)
        offset, pending = found, b""


def iter_records(path: str, max_bytes: int) -> Iterator[tuple[int, dict[str, str] | None, bytes | DocumentError | None]]:
    """Every record of the WARC file at ``path`` (gzip-compressed when it ends in ``.gz``)."""
    with open(path, "rb") as raw:
        if not path.lower().endswith(".gz"):
            yield from read_records(raw, None, max_bytes)
            return
        for start, data in _members(raw, max_bytes):
            if isinstance(data, DocumentError):
                yield start, None, data
                continue
            yield from read_records(io.BytesIO(data), start, max_bytes)


def _dechunk(body: bytes, limit: int) -> bytes:
    """The body of a chunked HTTP message (RFC 9112 7.1); DocumentError ``bad_chunking``.

    A last chunk clipped by the end of the record keeps what it holds, as browsers do.
    """
    out, pos, size_out = [], 0, 0
    while pos < len(body):
        end = body.find(b"\n", pos)
        if end < 0:
            break  # the record ends after the last chunk's data
        text = body[pos:end].split(b";")[0].strip()
        if not text:
            pos = end + 1
            continue
        if not all(c in b"0123456789abcdefABCDEF" for c in text) or len(text) > 16:
            raise DocumentError("bad_chunking", f"chunk size {text[:20]!r} at byte {pos} of the body")
        size = int(text, 16)
        if size == 0:
            break
        data = body[end + 1:end + 1 + size]
        size_out += len(data)
        if size_out > limit:
            raise DocumentError("too_large", f"the chunked body is over --max-bytes {limit}")
        out.append(data)
        pos = end + 1 + size
    return b"".join(out)


def _inflate(body: bytes, coding: str, max_bytes: int, max_gz_ratio: int) -> bytes:
    """``body`` with its gzip or deflate Content-Encoding undone, within the byte and ratio limits."""
    ratio_limit = max(_GZ_FLOOR, max_gz_ratio * len(body))
    limit = min(max_bytes, ratio_limit)
    attempts = (47, -zlib.MAX_WBITS) if coding != "deflate" else (zlib.MAX_WBITS, -zlib.MAX_WBITS)
    error: zlib.error | None = None
    for wbits in attempts:
        inflater = zlib.decompressobj(wbits)
        try:
            out = inflater.decompress(body, limit + 1)
        except zlib.error as exc:
            error = exc
            continue
        if len(out) > ratio_limit:
            raise DocumentError("decompression_limit", f"content encoding {coding} expands past {ratio_limit} "
                                f"bytes (--max-gz-ratio {max_gz_ratio})")
        if len(out) > max_bytes:
            raise DocumentError("too_large", f"more than --max-bytes {max_bytes} once decoded")
        return out
    raise DocumentError("bad_http", f"content encoding {coding}: {error}")


_GZ_FLOOR = 16 * 1024 * 1024  # as for .gz files: a small body may expand this far whatever its ratio


def http_payload(block: bytes, max_bytes: int = 64 << 20, max_gz_ratio: int = 100) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of an HTTP response as a WARC ``response`` record holds it."""
    fh = io.BytesIO(block)
    status_line = fh.readline(1 << 16).decode("latin-1").split()
    if len(status_line) < 2 or not status_line[0].startswith("HTTP/") or not status_line[1].isdigit():
        raise DocumentError("bad_http", "no HTTP status line")
    try:
        headers = _headers(fh, "HTTP")
    except DocumentError:
        raise DocumentError("truncated_record", "the HTTP headers end early") from None
    body = fh.read()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _dechunk(body, max_bytes)
    coding = headers.get("content-encoding", "").lower().strip()
    if coding in ("gzip", "x-gzip", "deflate"):
        body = _inflate(body, coding, max_bytes, max_gz_ratio)
    elif coding not in ("", "identity"):
        raise DocumentError("unsupported_encoding", f"content encoding {coding}")
    return int(status_line[1]), headers, body


def iter_pages(path: str, max_bytes: int, max_gz_ratio: int = 100) -> Iterator[WarcPage]:
    """The HTML pages of a WARC file, in file order (and a page with its reason per bad record)."""
    for offset, headers, block in iter_records(path, max_bytes):
        if headers is None:
            yield WarcPage(offset, "", None, None, None, block.reason, block.detail)
            continue
        kind = headers.get("warc-type", "").lower()
        ctype = headers.get("content-type", "").lower()
        if kind not in ("response", "resource"):
            continue
        page = WarcPage(offset, headers.get("warc-record-id", ""), headers.get("warc-target-uri") or None,
                        headers.get("warc-date") or None, None)
        if isinstance(block, DocumentError):
            page.reason, page.detail = block.reason, block.detail
            yield page
            continue
        if kind == "resource":
            if not ctype.startswith(_HTML_TYPES):
                continue
            page.payload, page.content_type = block, ctype
        elif "application/http" in ctype:
            if block is None:
                page.reason, page.detail = "too_large", f"record over {max_bytes} bytes"
                yield page
                continue
            try:
                status, http, body = http_payload(block, max_bytes, max_gz_ratio)
            except DocumentError as exc:
                page.reason, page.detail = exc.reason, exc.detail
                yield page
                continue
            if not 200 <= status < 300 or not http.get("content-type", "").lower().startswith(_HTML_TYPES):
                continue
            page.payload, page.content_type = body, http.get("content-type")
        else:
            continue
        if page.payload is None:
            page.reason, page.detail = "too_large", f"record over {max_bytes} bytes"
        yield page
