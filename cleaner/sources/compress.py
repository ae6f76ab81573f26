"""Compressed JSONL in and out: gzip (``.gz``) and Zstandard (``.zst``).

Zstandard is what large web corpora ship in (Dolma, RedPajama, FineWeb exports); the
``zstandard`` package is its standard Python binding (the stdlib gains ``compression.zstd``
only in Python 3.14). Reading is bounded by :mod:`cleaner.sources.files` like gzip (a ratio
limit); :class:`ZstdReader` feeds the decoder small pieces so one call cannot explode.
"""

from __future__ import annotations

import gzip
import io
from typing import BinaryIO

from ..errors import ConfigError

COMPRESSED = (".gz", ".zst")


class ZstdReader(io.RawIOBase):
    """Decompresses a stream of zstd frames; a last frame that ends early raises EOFError.

    Input goes in small pieces so that one call cannot expand without bound (a small
    compressed piece of repeated data can expand thousands of times).
    """

    _PIECE = 1024

    def __init__(self, raw: BinaryIO):
        self.raw = raw
        self._new = _zstd().ZstdDecompressor().decompressobj
        self._inflater = None
        self._out = b""
        self._pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self._pos >= len(self._out):
            self._out, self._pos = b"", 0
            piece = self.raw.read(self._PIECE)
            if not piece:
                if self._inflater is not None and not self._inflater.eof:
                    raise EOFError("the zstd stream ends in the middle of a frame")
                return 0
            while piece:
                if self._inflater is None:
                    self._inflater = self._new()
                self._out += self._inflater.decompress(piece)
                piece = b""
                if self._inflater.eof:  # a frame ended; what follows starts the next one
                    piece, self._inflater = self._inflater.unused_data, None
        n = min(len(buffer), len(self._out) - self._pos)
        buffer[:n] = self._out[self._pos:self._pos + n]
        self._pos += n
        return n


def _zstd():
    try:
        import zstandard
    except ImportError:  # pragma: no cover - declared as a dependency
        raise ConfigError("reading or writing .zst needs the zstandard package: pip install zstandard") from None
    return zstandard


def open_compressed(raw: BinaryIO, name: str) -> BinaryIO:
    """A writer into ``raw`` that compresses by ``name``'s extension (close it, then ``raw``)."""
    low = name.lower()
    if low.endswith(".gz"):
        return gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0)
    if low.endswith(".zst"):
        return _zstd().ZstdCompressor(level=3).stream_writer(raw, closefd=False)
    return raw


def zstd_errors() -> tuple[type[BaseException], ...]:
    """zstandard's exception for a damaged stream (none when it is not installed)."""
    try:
        import zstandard
    except ImportError:  # pragma: no cover
        return ()
    return (zstandard.ZstdError,)
