"""Web archives (``.warc``, ``.arc``, gzip- or zstd-compressed): the HTML pages of a crawl, with where they came from.

Records come from :mod:`cleaner.sources.archive` (warcio's parser inside framing that
resynchronises after a bad record). Documents are the HTML pages: ``response`` records holding
an HTTP response with a 2xx status and an HTML content type (every ARC record is one), and
``resource`` records of type ``text/html``. HTTP headers are parsed by warcio as browsers read
them (bare LF, a status line without a reason or a code, an extra blank line first); the body
has its chunked transfer and gzip, deflate, br or zstd content encoding undone within the
limits (:mod:`cleaner.sources.http_body`). Other records (requests, metadata, images,
redirects) are not documents and are passed over.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Iterator

from warcio.statusandheaders import StatusAndHeadersParser

from ..errors import DocumentError
from .archive import HEADER_LIMIT, LINE_LIMIT, iter_archive
from .files import InputFile
from .http_body import decode_body

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HTML_OPENINGS = (b"<!doctype html", b"<html", b"<head", b"<body")
_HTTP = StatusAndHeadersParser(["HTTP/"], verify=False)


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
    index: int = 0  # its record's place in a gzip member holding several (0: the first)

    @property
    def position(self) -> int | str:
        """What its default id is made from: the offset, and the index in a member past the first."""
        return f"{self.offset}.{self.index}" if self.index else self.offset

    def provenance(self) -> dict[str, object]:
        """The WARC fields of the output record's metadata."""
        return {"warc_record_id": self.record_id, "warc_target_uri": self.uri,
                "warc_date": self.date, "warc_offset": self.offset}


class _Capped(io.BytesIO):
    """The block for warcio's HTTP header parser: lines and the header section capped."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.budget = HEADER_LIMIT

    def readline(self, size: int | None = -1) -> bytes:  # type: ignore[override]
        if self.budget <= 0:
            raise DocumentError("bad_http", f"HTTP headers over {HEADER_LIMIT} bytes")
        line = super().readline(min(self.budget, LINE_LIMIT))
        self.budget -= len(line)
        return line


def _is_html(ctype: str, body: bytes) -> bool:
    """An HTML type, or no type and a body that opens as HTML (as browsers sniff it)."""
    if ctype:
        return ctype.startswith(_HTML_TYPES)
    return body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")[:14].lower().startswith(_HTML_OPENINGS)


def _holds_http(block: bytes | None) -> bool:
    """Whether a record that does not say what it holds starts with an HTTP status line."""
    return block is not None and block.lstrip()[:5].upper() == b"HTTP/"


def _status_code(statusline: str) -> int:
    """The status of ``200 OK``; 200 when the line gives none, as browsers assume."""
    code = statusline.split(" ", 1)[0]
    return int(code) if code.isdigit() and len(code) == 3 else 200


def http_payload(block: bytes, max_bytes: int = 64 << 20, max_gz_ratio: int = 100) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of an HTTP response as a WARC ``response`` record holds it.

    >>> http_payload(b"HTTP/1.0 200\\nContent-Type: text/html\\n\\n<p>hi")
    (200, {'content-type': 'text/html'}, b'<p>hi')
    """
    fh = _Capped(block)
    first = fh.readline()
    while first.strip() == b"" and first:  # blank lines before the status line
        first = fh.readline()
    if not first.lstrip()[:5].upper() == b"HTTP/":
        raise DocumentError("bad_http", "no HTTP status line")
    parsed = _HTTP.parse(fh, first.lstrip())
    end = fh.tell()
    if end == len(block) and not block.endswith((b"\n\n", b"\n\r\n")):
        raise DocumentError("truncated_record", "the HTTP headers end early")
    headers: dict[str, str] = {}
    for name, value in parsed.headers:
        headers.setdefault(name.strip().lower(), value.strip())
    body = decode_body(block[end:], headers, max_bytes, max_gz_ratio)
    return _status_code(parsed.statusline), headers, body


def iter_pages(path: str | InputFile, max_bytes: int, max_gz_ratio: int = 100) -> Iterator[WarcPage]:
    """The HTML pages of a web archive, in file order (and a page with its reason per bad record).

    ``path`` may be a listed :class:`~cleaner.sources.files.InputFile`, opened under its terms."""
    for record in iter_archive(path, max_bytes, max_gz_ratio):
        headers, block = record.headers, record.content
        if not headers:
            yield WarcPage(record.offset, "", None, None, None, block.reason, block.detail, index=record.index)
            continue
        kind = headers.get("warc-type", "").lower()
        ctype = headers.get("content-type", "").lower()
        if kind not in ("response", "resource"):
            continue
        page = WarcPage(record.offset, headers.get("warc-record-id", ""), headers.get("warc-target-uri") or None,
                        headers.get("warc-date") or None, None, index=record.index)
        if isinstance(block, DocumentError):
            page.reason, page.detail = block.reason, block.detail
            yield page
            continue
        if kind == "resource":
            if not ctype.startswith(_HTML_TYPES):
                continue
            page.payload, page.content_type = block, ctype
        elif "application/http" in ctype or (not ctype and _holds_http(block)):
            if not headers.get("warc-target-uri", "http").lower().startswith("http"):
                continue  # dns: and whois: records of a crawl, filedesc: of an ARC
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
            if not 200 <= status < 300 or not _is_html(http.get("content-type", "").lower(), body):
                continue
            page.payload, page.content_type = body, http.get("content-type")
        else:
            continue
        if page.payload is None:
            page.reason, page.detail = "too_large", f"record over {max_bytes} bytes"
        yield page
