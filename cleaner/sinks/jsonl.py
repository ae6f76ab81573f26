"""Where clean records go: one JSONL file, or numbered shards of a bounded size.

Every file is written under a temporary name and renamed into place only when the run
completes, so a failed run never leaves a half-written output. The extension picks the
compression: ``.gz`` (gzip) or ``.zst`` (Zstandard). With a shard size, ``out.jsonl.zst``
becomes ``out-00000.jsonl.zst``, ``out-00001.jsonl.zst``, ... each holding at most that
many (uncompressed) bytes of records; a record is never split across shards.
:class:`FileSink` writes the attribute files of a single-file run; ``cleaner run``'s resumable
output, sharded by size or not, is :class:`cleaner.sinks.checkpoint.CheckpointedOutput`, and a
run sharded by input file commits its parts through :mod:`cleaner.sinks.shards`.
"""

from __future__ import annotations

import os
import re
import sys

from ..errors import ConfigError
from ..sources.compress import COMPRESSED, open_compressed
from .atomic import temp_name

_UNITS = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9, "ki": 2**10, "mi": 2**20, "gi": 2**30}


def parse_size(text: str) -> int:
    """Bytes from ``"500000"``, ``"100M"``, ``"1GiB"`` (decimal k/M/G, binary Ki/Mi/Gi).

    >>> parse_size("100M"), parse_size("1Ki")
    (100000000, 1024)
    """
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]i?)?b?\s*", text.lower())
    if not m or float(m.group(1)) <= 0:
        raise ConfigError(f"not a size: {text!r} (say 500000, 100M or 1GiB)")
    return int(float(m.group(1)) * _UNITS[m.group(2) or ""])


def line_bytes(line: str | bytes) -> bytes:
    """A JSON line as the UTF-8 bytes written (a worker's outcome is bytes already)."""
    return line if type(line) is bytes else line.encode("utf-8", "surrogatepass")


class FileSink:
    """One output file written under a temporary name and renamed on success."""

    def __init__(self, path: str):
        self.path = path
        self.stdout = path == "-"
        self.size = 0
        if self.stdout:
            self.fh = sys.stdout
            return
        self.tmp = temp_name(path)
        os.makedirs(os.path.dirname(self.tmp), exist_ok=True)
        self._raw = open(self.tmp, "wb")
        self.fh = open_compressed(self._raw, path)

    def write(self, line: str) -> None:
        if self.stdout:
            self.fh.write(line + "\n")
            return
        data = (line + "\n").encode("utf-8", "surrogatepass")
        self.size += len(data)
        self.fh.write(data)

    def _close(self) -> None:
        if self.fh is not self._raw:
            self.fh.close()
        self._raw.close()

    def commit(self) -> None:
        if self.stdout:
            self.fh.flush()
            return
        self._close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        if self.stdout:
            return
        try:
            self._close()
        finally:
            if os.path.exists(self.tmp):
                os.unlink(self.tmp)


def shard_name(path: str, index: int) -> str:
    """``out.jsonl.zst`` -> ``out-00003.jsonl.zst`` (the index before the extensions)."""
    directory, name = os.path.split(path)
    ext = ""
    for comp in ("",) + COMPRESSED:
        for base in (".jsonl", ".ndjson", ".json"):
            if name.lower().endswith(base + comp):
                ext = name[len(name) - len(base + comp):]
                break
        if ext:
            break
    stem = name[: len(name) - len(ext)] if ext else name
    return os.path.join(directory, f"{stem}-{index:05d}{ext}")


class ShardCutter:
    """Where shards are cut: a record starts a new shard when it would take the current one past
    ``limit`` (uncompressed) bytes and the current one already holds a record; a record is never
    split, so a lone larger record gets a shard of its own.

    >>> cut = ShardCutter(10)
    >>> [cut.add("abcd") for _ in range(3)], cut.index
    ([False, False, True], 1)
    """

    def __init__(self, limit: int, index: int = 0, size: int = 0):
        self.limit, self.index, self.size = limit, index, size

    def add(self, line: str | bytes) -> bool:
        """Count ``line`` (written with its newline); True when it opens a new shard."""
        size = len(line_bytes(line)) + 1
        new = bool(self.size) and self.size + size > self.limit
        if new:
            self.index, self.size = self.index + 1, 0
        self.size += size
        return new


def stale_shards(path: str, first: int, *, parts: bool = False) -> list[str]:
    """The shard files numbered ``first`` and up that exist (an earlier, larger run's), and with
    ``parts`` their unfinished temporary files too; the numbering stops at the first gap."""
    from .atomic import temp_name

    found = []
    index = first
    while True:
        names = [shard_name(path, index)] + ([temp_name(shard_name(path, index), ".part")] if parts else [])
        present = [name for name in names if os.path.exists(name)]
        if not present:
            return found
        found += present
        index += 1
