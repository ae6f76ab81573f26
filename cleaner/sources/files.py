"""Reading input files within limits: whole documents, JSONL lines, decompression.

Every read here is bounded (``--max-bytes``, ``--max-gz-ratio``) and never blocks: a FIFO
or device named like a document is refused, not opened. Which files are inputs, and which
reader reads each, is :mod:`cleaner.sources.readers`.
"""

from __future__ import annotations

import errno
import gzip
import io
import os
import stat
import zlib
from dataclasses import dataclass
from typing import Iterator

from ..errors import DocumentError
from .compress import COMPRESSED, ZstdReader, zstd_errors

_GZ_FLOOR = 16 * 1024 * 1024  # a small .gz may expand this far whatever its ratio
_ARCHIVE_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error, OSError)  # a broken or truncated stream


@dataclass(frozen=True, slots=True)
class Span:
    """Bytes ``start`` to ``end`` of a plain JSONL file; its first byte starts line number ``line``
    (:mod:`cleaner.sources.ranges` cuts them)."""

    start: int
    end: int
    line: int


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read: where it is, how it is named in provenance, and its format."""

    path: str
    relpath: str
    format: str
    problem: str | None = None  # a reason to reject it without reading
    within: str = ""  # the real path of the directory it must lie in when opened ("" anywhere)
    follow: bool = True  # open it through a symbolic link (False: a file when listed, never a link)
    raw_relpath: bytes | None = None  # the relative path's bytes when not UTF-8 (``relpath`` escapes them)
    span: Span | None = None  # only these bytes of a plain JSONL file (a shard of a big one)


class LimitedReader(io.RawIOBase):
    """A stream that raises DocumentError once more than ``limit`` bytes were read."""

    def __init__(self, raw, limit: int, reason: str, detail: str):
        self.raw, self.limit, self.reason, self.detail, self.count = raw, limit, reason, detail, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        self.count += len(data)
        if self.count > self.limit:
            raise DocumentError(self.reason, self.detail)
        buffer[: len(data)] = data
        return len(data)


def open_regular(path: str, *, within: str = "", follow: bool = True):
    """``path`` opened for binary reading; DocumentError if it is not a regular file.

    Opened without blocking, so a FIFO named like a document cannot hang the run. The checks
    are made on the opened descriptor, not on the name, so a file swapped for a link between
    listing and reading is caught: with ``follow`` False a symbolic link is not opened
    (``O_NOFOLLOW``), and with ``within`` the file opened must really lie in that directory
    (``symlink_outside_input``).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        why = "a broken symbolic link" if os.path.islink(path) else "the file disappeared before it was read"
        raise DocumentError("vanished", why) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow and os.path.islink(path):
            raise DocumentError("symlink_swapped", "a symbolic link now, a file when listed; not followed") from None
        if exc.errno == errno.ELOOP:
            raise DocumentError("symlink_loop", "the symbolic link leads round in a circle") from None
        raise DocumentError("unreadable", exc.strerror or str(exc)) from None
    fh = os.fdopen(fd, "rb")
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise DocumentError("not_a_regular_file", "a FIFO, socket, device or directory")
        if within and not _opened_within(fd, path, within):
            raise DocumentError("symlink_outside_input", "the file opened lies outside INPUT (a link was swapped in)")
    except BaseException:
        fh.close()
        raise
    return fh


def _opened_within(fd: int, path: str, root: str) -> bool:
    """Whether the file open on ``fd`` lies under the directory ``root`` (a real path).

    Asks the kernel which file the descriptor is (``/proc/self/fd``); elsewhere, the real
    path of ``path`` must still be the very file that is open.
    """
    try:
        real = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        real = os.path.realpath(path)
        try:
            if not os.path.samestat(os.stat(real), os.fstat(fd)):
                return False
        except OSError:
            return False
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def open_input(item: InputFile):
    """The input file ``item`` opened as :func:`open_regular` opens it, under its listing's terms."""
    return open_regular(item.path, within=item.within, follow=item.follow)


def read_small_file(path: str, limit: int) -> bytes:
    """The bytes of the regular file ``path`` if it holds at most ``limit`` of them.

    For the files a run is configured with (rule packs, ``--keep-lines``): a FIFO, a device
    (``/dev/zero``) or a directory is refused without reading it, and a file over the limit is
    refused after reading no more than the limit. OSError when it cannot be opened; ValueError
    saying why it is refused.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError("not a regular file (a FIFO, device or directory)")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"larger than {limit >> 20} MiB")
    return data


def _skip_rest_of_line(stream, size: int) -> int:
    """Read past the end of an over-long line without keeping it; its full size."""
    while True:
        chunk = stream.readline(1 << 20)
        size += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return size


def iter_jsonl_lines(path: str | InputFile, max_bytes: int,
                     max_gz_ratio: int = 100) -> Iterator[tuple[int, bytes | None, int]]:
    """(line number, raw bytes, size) of each non-blank line of a JSONL file, plain, gzip or zstd.

    No more than ``max_bytes`` of a line is held in memory: a longer line comes as
    ``(number, None, size)``. A gzip or zstd stream that expands more than ``max_gz_ratio``
    times its compressed size (and past 16 MiB), is corrupt or ends early raises DocumentError.
    ``path`` may be a listed :class:`InputFile`, opened under its terms (:func:`open_input`).
    """
    fh = open_input(path) if isinstance(path, InputFile) else open_regular(path)
    span = path.span if isinstance(path, InputFile) else None
    path = path.path if isinstance(path, InputFile) else path
    try:
        stream = decompressing(fh, path, max_gz_ratio) if path.lower().endswith(COMPRESSED) else fh
        number, left = 0, None
        if span is not None:  # a range of a plain file: it starts a line, numbered as in the whole file
            fh.seek(span.start)
            number, left = span.line - 1, span.end - span.start
        try:
            while left is None or left > 0:
                raw = stream.readline(max_bytes + 1)
                if not raw:
                    return
                number += 1
                size = len(raw)
                if len(raw) > max_bytes and not raw.endswith(b"\n"):
                    size = _skip_rest_of_line(stream, len(raw))
                    yield number, None, size
                elif raw.strip():
                    yield number, raw, len(raw)
                if left is not None:
                    left -= size
        except _ARCHIVE_ERRORS + zstd_errors() as exc:
            raise DocumentError("corrupt_archive", f"{type(exc).__name__}: {exc}") from None
    finally:
        fh.close()


def decompressing(fh, name: str, max_gz_ratio: int):
    """A reader of the gzip or zstd stream ``fh`` (by ``name``'s extension) that raises
    DocumentError (``decompression_bomb``) once it expands more than ``max_gz_ratio`` times
    the compressed size, and past 16 MiB."""
    limit = max(_GZ_FLOOR, max_gz_ratio * os.fstat(fh.fileno()).st_size)
    detail = f"expands past {limit} bytes (--max-gz-ratio {max_gz_ratio})"
    inner = gzip.GzipFile(fileobj=fh) if name.lower().endswith(".gz") else ZstdReader(fh)
    return io.BufferedReader(LimitedReader(inner, limit, "decompression_bomb", detail))


def read_decompressed(fh, name: str, max_bytes: int, max_gz_ratio: int) -> bytes:
    """The content of a compressed document of at most ``max_bytes`` once decompressed, or
    DocumentError: ``too_large``, ``decompression_bomb`` or ``corrupt_archive``."""
    try:
        data = decompressing(fh, name, max_gz_ratio).read(max_bytes + 1)
    except _ARCHIVE_ERRORS + zstd_errors() as exc:
        raise DocumentError("corrupt_archive", f"{type(exc).__name__}: {exc}") from None
    if len(data) > max_bytes:
        raise DocumentError("too_large", f"more than --max-bytes {max_bytes} once decompressed")
    return data


def read_document(item: InputFile, max_bytes: int, max_gz_ratio: int = 100) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, or DocumentError with the reason;
    a ``.gz`` or ``.zst`` document decompressed (within ``max_bytes`` and ``max_gz_ratio``).

    Never blocks: a FIFO or device named like a document is refused, not opened for reading.
    """
    if item.problem:
        raise DocumentError(item.problem, "not followed")
    with open_input(item) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > max_bytes:
            raise DocumentError("too_large", f"{size} bytes > --max-bytes {max_bytes}")
        if item.path.lower().endswith(COMPRESSED):
            return read_decompressed(fh, item.path, max_bytes, max_gz_ratio)
        try:
            data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise DocumentError("unreadable", exc.strerror or str(exc)) from None
    if len(data) > max_bytes:
        raise DocumentError("too_large", f"more than --max-bytes {max_bytes} (the file grew)")
    return data
