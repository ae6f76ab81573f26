"""Small WARC files written by the tests: records, HTTP responses, a crawl of a few pages."""

from __future__ import annotations

import gzip
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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


