"""An HTTP message body as a browser sees it: chunked transfer and content encodings undone, within limits.

A crawler stores the body as the server sent it: ``Transfer-Encoding: chunked`` framing
(RFC 9112 7.1) and a ``Content-Encoding`` of gzip, deflate, br (Brotli) or zstd. Both are
undone here under the limits that hold for compressed files: at most ``max_bytes`` once
decoded, and at most ``max_gz_ratio`` times the encoded size past a 16 MiB floor. Every
decoder is asked for at most the limit plus one byte, so a bomb costs the limit, never
what it would expand to. Errors are :class:`~cleaner.errors.DocumentError` with reasons
``bad_chunking``, ``decompression_limit``, ``too_large``, ``bad_http`` (a body that does not
decode) and ``unsupported_encoding``.

>>> decode_body(b"5\\r\\nHello\\r\\n0\\r\\n\\r\\n", {"transfer-encoding": "chunked"}, 100, 100)
b'Hello'
"""

from __future__ import annotations

import io
import zlib

from ..errors import DocumentError

GZ_FLOOR = 16 * 1024 * 1024  # as for .gz files: a small body may expand this far whatever its ratio
_HEX = frozenset(b"0123456789abcdefABCDEF")


def dechunk_body(body: bytes, limit: int) -> bytes:
    """The body of a chunked HTTP message (RFC 9112 7.1); DocumentError ``bad_chunking``.

    Read as browsers read it: chunk extensions are ignored, a bare LF ends a size line as a
    CRLF does, and a last chunk clipped by the end of the record keeps what it holds.

    >>> dechunk_body(b"3;x=1\\nabc\\n2\\r\\nde\\r\\n0\\r\\n\\r\\n", 100)
    b'abcde'
    """
    out, pos, size_out = [], 0, 0
    while pos < len(body):
        end = body.find(b"\n", pos, pos + 4096)
        if end < 0:
            if len(body) - pos >= 4096:
                raise DocumentError("bad_chunking", f"no chunk size line at byte {pos} of the body")
            break  # the record ends after the last chunk's data
        text = body[pos:end].split(b";")[0].strip()
        if not text:
            pos = end + 1
            continue
        if len(text) > 16 or not _HEX.issuperset(text):
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


def _inflate_zlib(body: bytes, coding: str, limit: int) -> bytes:
    """gzip (also several members) or deflate (zlib-wrapped, or raw as some servers send it)."""
    attempts = (47, -zlib.MAX_WBITS) if coding != "deflate" else (zlib.MAX_WBITS, -zlib.MAX_WBITS)
    error: zlib.error | None = None
    for wbits in attempts:
        try:
            return _inflate_members(body, wbits, limit)
        except zlib.error as exc:
            error = exc
    raise DocumentError("bad_http", f"content encoding {coding}: {error}")


def _inflate_members(body: bytes, wbits: int, limit: int) -> bytes:
    out, rest = [], body
    size = 0
    while rest:
        inflater = zlib.decompressobj(wbits)
        piece = inflater.decompress(rest, limit + 1 - size)
        out.append(piece)
        size += len(piece)
        if size > limit or not inflater.eof:
            break  # over the limit, or the body ends inside the stream (kept, as browsers do)
        rest = inflater.unused_data if wbits == 47 else b""
        if rest and not rest.startswith(b"\x1f\x8b"):
            break  # trailing bytes after the last member
    return b"".join(out)


def _inflate_brotli(body: bytes, limit: int) -> bytes:
    try:
        import brotli
    except ImportError:  # pragma: no cover - declared as a dependency
        raise DocumentError("unsupported_encoding", "content encoding br needs the brotli package") from None
    inflater = brotli.Decompressor()
    try:
        out = [inflater.process(body, output_buffer_limit=limit + 1)]
        size = len(out[0])
        while size <= limit and not inflater.is_finished() and not inflater.can_accept_more_data():
            piece = inflater.process(b"", output_buffer_limit=limit + 1 - size)
            if not piece:
                break
            out.append(piece)
            size += len(piece)
    except brotli.error as exc:
        raise DocumentError("bad_http", f"content encoding br: {exc}") from None
    return b"".join(out)


def _inflate_zstd(body: bytes, limit: int) -> bytes:
    import zstandard

    try:
        with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(body), read_across_frames=True) as reader:
            return reader.read(limit + 1)
    except zstandard.ZstdError as exc:
        raise DocumentError("bad_http", f"content encoding zstd: {exc}") from None


def inflate_body(body: bytes, coding: str, max_bytes: int, max_gz_ratio: int) -> bytes:
    """``body`` with its Content-Encoding undone, within the byte and ratio limits."""
    ratio_limit = max(GZ_FLOOR, max_gz_ratio * len(body))
    limit = min(max_bytes, ratio_limit)
    if coding in ("gzip", "x-gzip", "deflate"):
        out = _inflate_zlib(body, coding, limit)
    elif coding == "br":
        out = _inflate_brotli(body, limit)
    elif coding == "zstd":
        out = _inflate_zstd(body, limit)
    else:
        raise DocumentError("unsupported_encoding", f"content encoding {coding[:40]}")
    if len(out) > ratio_limit:
        raise DocumentError("decompression_limit", f"content encoding {coding} expands past {ratio_limit} "
                            f"bytes (--max-gz-ratio {max_gz_ratio})")
    if len(out) > max_bytes:
        raise DocumentError("too_large", f"more than --max-bytes {max_bytes} once decoded")
    return out


def decode_body(body: bytes, headers: dict[str, str], max_bytes: int, max_gz_ratio: int) -> bytes:
    """The body with the transfer coding and then the content codings of ``headers`` undone."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = dechunk_body(body, max_bytes)
    codings = [c.strip() for c in headers.get("content-encoding", "").lower().split(",")]
    for coding in reversed([c for c in codings if c not in ("", "identity")]):
        body = inflate_body(body, coding, max_bytes, max_gz_ratio)
    return body
