"""Compressed web archives, one member at a time: gzip members and zstd frames, bounded, damaged ones skipped.

Crawlers compress a WARC or ARC one record per gzip member (``.warc.gz``) or zstd frame
(``.warc.zst``, IIPC), so a member's offset is the offset a CDX index gives for its record.
Each member is inflated a bounded piece at a time into a spooled temporary file: a file
compressed as one stream is read record by record whatever its size, and a member that expands
past ``--max-gz-ratio`` times its compressed size (and 16 MiB) is a bomb. A damaged member is
skipped to the next member's header.
"""

from __future__ import annotations

import io
import struct
import tempfile
import zlib
from typing import BinaryIO, Iterator

from ..errors import DocumentError
from .http_body import GZ_FLOOR

_PIECE = 1 << 16
_PIECE_OUT = 1 << 20  # the most one call inflates
_SPOOL = 8 << 20  # a member past this is spooled to a temporary file
_DICT_LIMIT = 8 << 20  # the largest zstd dictionary read

GZIP_MAGIC = b"\x1f\x8b\x08"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_DICT_FRAME = 0x184D2A5D  # the IIPC .warc.zst dictionary's skippable frame


class Gzip:
    """One gzip member, inflated piece by piece."""

    magic = GZIP_MAGIC
    name = "gzip member"

    def __init__(self) -> None:
        self._inflater = zlib.decompressobj(31)
        self.errors: tuple[type[BaseException], ...] = (zlib.error,)

    def inflate(self, data: bytes, room: int) -> tuple[bytes, bytes, bool]:
        """(output, the input not used yet, whether the member ended)."""
        out = self._inflater.decompress(data, room)
        if self._inflater.eof:
            return out, self._inflater.unused_data, True
        return out, self._inflater.unconsumed_tail, False


class Zstd:
    """One zstd frame, inflated from small pieces (a few bytes can expand to megabytes)."""

    magic = ZSTD_MAGIC
    name = "zstd frame"
    _SMALL = 64

    def __init__(self, dictionary: bytes | None = None) -> None:
        import zstandard

        params = {"dict_data": zstandard.ZstdCompressionDict(dictionary)} if dictionary else {}
        self._inflater = zstandard.ZstdDecompressor(**params).decompressobj()
        self.errors = (zstandard.ZstdError,)

    def inflate(self, data: bytes, room: int) -> tuple[bytes, bytes, bool]:
        out = self._inflater.decompress(data[:self._SMALL])
        if self._inflater.eof:
            return out, self._inflater.unused_data + data[self._SMALL:], True
        return out, data[self._SMALL:], False


def _next_header(raw: BinaryIO, after: int, magic: bytes) -> int | None:
    """The offset of the next ``magic`` after byte ``after``, or None."""
    raw.seek(after + 1)
    pos, tail = after + 1, b""
    while True:
        block = raw.read(_PIECE)
        if not block:
            return None
        data = tail + block
        found = data.find(magic)
        if found >= 0:
            return pos - len(tail) + found
        tail = data[-(len(magic) - 1):]
        pos += len(block)


def iter_members(raw: BinaryIO, max_gz_ratio: int, new) -> Iterator[tuple[int, BinaryIO | DocumentError]]:
    """(compressed offset, decompressed member as a file) of each gzip member or zstd frame of ``raw``.

    A member is held in memory up to 8 MiB and spooled to a temporary file past that, so a WARC
    compressed as one gzip stream (as some collections are) is read record by record; one that
    expands more than ``max_gz_ratio`` times its compressed size, past 16 MiB, is a bomb
    (``decompression_limit``). A damaged member comes as (offset, DocumentError), and reading
    carries on at the next member's header; a member clipped by the end of the file gives
    what it holds.
    """
    offset, pending = raw.tell(), b""
    while True:
        if not pending:
            pending = raw.read(_PIECE)
            if not pending:
                return
        start, member, size, error, ended = offset, new(), 0, None, False
        spool = tempfile.SpooledTemporaryFile(_SPOOL)
        while not ended:
            if not pending:
                pending = raw.read(_PIECE)
                if not pending:
                    error = DocumentError("truncated_record", f"the {member.name} at byte {start} ends early")
                    break
            try:
                piece, rest, ended = member.inflate(pending, _PIECE_OUT)
            except member.errors as exc:
                error = DocumentError("corrupt_archive", f"{member.name} at byte {start}: {exc}")
                break
            offset += len(pending) - len(rest)
            pending = rest
            size += len(piece)
            spool.write(piece)
            if size > max(GZ_FLOOR, max_gz_ratio * (offset - start)):
                error = DocumentError("decompression_limit", f"the {member.name} at byte {start} expands more than "
                                      f"{max_gz_ratio} times (--max-gz-ratio)")
                break
        with spool:
            if error is None or (error.reason == "truncated_record" and size):
                spool.seek(0)
                yield start, spool  # (a clipped member: its records, the last of them clipped)
                if error is None:
                    continue
            else:
                yield start, error
        found = _next_header(raw, start, member.magic)
        if found is None:
            return
        raw.seek(found)
        offset, pending = found, b""


def read_zstd_dictionary(raw: BinaryIO) -> bytes | None:
    """The dictionary of an IIPC ``.warc.zst`` (a skippable frame first), ``raw`` left after it."""
    head = raw.read(8)
    if len(head) < 8 or struct.unpack("<I", head[:4])[0] != _DICT_FRAME:
        raw.seek(0)
        return None
    data = raw.read(struct.unpack("<I", head[4:])[0])
    if data.startswith(ZSTD_MAGIC):  # the dictionary may itself be compressed
        import zstandard

        with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)) as reader:
            data = reader.read(_DICT_LIMIT)
    return data
