"""``-`` as INPUT: standard input spooled to a temporary file, then read like any input.

The run reads its inputs by path (workers open them; ``--learn`` reads them twice), so the
stream is copied once to a file in a private temporary directory, named ``stdin.jsonl``,
``stdin.html``, ``stdin.warc`` or ``stdin.txt`` after the format: ``--format``, else a look
at the first bytes (``{`` JSONL, ``<`` HTML, ``WARC/`` WARC or ``filedesc://`` ARC, a gzip or Zstandard header
JSONL compressed so, else text). Provenance names the document ``stdin.<ext>``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from typing import BinaryIO

_EXT = {"jsonl": ".jsonl", "html": ".html", "warc": ".warc", "text": ".txt"}
_PEEK = 4096


def _inner(head: bytes, comp: str) -> bytes:
    """The first decompressed bytes of a compressed stream's head (b"" if they cannot be had)."""
    try:
        if comp == ".gz":
            import zlib

            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head)
        import zstandard

        return zstandard.ZstdDecompressor().decompressobj().decompress(head)
    except Exception:  # a damaged head: the reader will say so, with its reason
        return b""


def sniff_format(head: bytes) -> tuple[str, str]:
    """(format, compression suffix) from the first bytes of a stream.

    >>> sniff_format(b'{"text": "a"}'), sniff_format(b"<!doctype html>"), sniff_format(b"Plain")
    (('jsonl', ''), ('html', ''), ('text', ''))
    """
    for magic, comp in ((b"\x1f\x8b", ".gz"), (b"\x28\xb5\x2f\xfd", ".zst")):
        if head.startswith(magic):
            fmt = sniff_format(_inner(head, comp))[0]
            return ("jsonl" if fmt in ("text", "html") else fmt), comp  # page.html.gz has a name
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if body.startswith(b"{"):
        return "jsonl", ""
    if body.startswith((b"WARC/", b"filedesc://")):  # a WARC, or an ARC (the same reader)
        return "warc", ""
    if body.startswith(b"<"):
        return "html", ""
    return "text", ""


def spool_stdin(fmt: str | None, stream: BinaryIO | None = None) -> tuple[str, str]:
    """Copy standard input to a temporary file; (its directory, to remove later; its path)."""
    stream = stream or sys.stdin.buffer
    head = stream.read(_PEEK)
    sniffed, comp = sniff_format(head)
    directory = tempfile.mkdtemp(prefix="cleaner-stdin-")
    path = os.path.join(directory, "stdin" + _EXT[fmt or sniffed] + comp)
    with open(path, "wb") as fh:
        fh.write(head)
        shutil.copyfileobj(stream, fh, 1 << 20)
    return directory, path
