"""The plan of a sharded run: the input as numbered shards, the same for every engine.

The input files, in the order of the sorted listing, become shards numbered in that order,
so shard ``i`` of a run is always the same input, its output is always ``part-<i>``, and
concatenating the parts in order gives the local engine's single OUTPUT. With a shard size S
(``--shard-bytes``, 256 MiB unless told):

- a plain JSONL file larger than S is cut at line boundaries into ranges of about S
  (:mod:`cleaner.sources.ranges`), each a shard that knows its first line number, so its
  records keep the ids and line numbers of the file read whole;
- consecutive small files (each under 1 MiB) are grouped into one shard, up to 32 MiB or
  1,000 files, so 200,000 tiny files are 200 tasks, not 200,000;
- any other file is a shard of its own.

``--shard-bytes 0`` makes one shard of every file. Ranges are cut in local files only (a URL
would be read whole by the planner to count its lines): a big object is one shard.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, replace
from typing import Any

from ..settings import Config
from ..sources.compress import COMPRESSED
from ..sources.files import InputFile
from ..sources.ranges import split_lines
from ..sources.readers import file_format, list_inputs
from ..sources.remote import is_url, list_remote_inputs, redact


SHARD_BYTES = 256 << 20  # the default shard size: a plain JSONL file above it is cut into ranges
SMALL_FILE = 1 << 20  # files under this are grouped with their small neighbours ...
GROUP_BYTES = 32 << 20  # ... up to this many bytes
GROUP_FILES = 1000  # ... or files


@dataclass(frozen=True, slots=True)
class Shard:
    """One unit of work: its number, its input (a file, a range of one, or a group of files)
    and what that looked like when planned."""

    index: int
    item: InputFile  # the first (or only) file; a range of a file has ``item.span``
    stamp: str  # size and modification time (or ETag): an input that changed is not "done"
    width: int = 5  # digits of the shard number in file names
    more: tuple[InputFile, ...] = ()  # a group's other files, in order
    size: int = -1  # bytes of input (-1: the first number of ``stamp``)

    @property
    def name(self) -> str:
        """``part-00042``: the stem of the shard's output files."""
        return f"part-{self.index:0{self.width}d}"

    @property
    def items(self) -> tuple[InputFile, ...]:
        """The files to read, in order."""
        return (self.item, *self.more)

    @property
    def label(self) -> str:
        """What the shard reads, as its marker records it: a path, a range or a group."""
        if self.item.span is not None:
            return f"{self.item.relpath} bytes {self.item.span.start}-{self.item.span.end}"
        if self.more:
            return f"{self.item.relpath} .. {self.more[-1].relpath} ({len(self.items)} files)"
        return self.item.relpath


def input_stamp(item: InputFile) -> str:
    """A local input's size and modification time."""
    try:
        info = os.stat(item.path)
        return f"{info.st_size}:{info.st_mtime_ns}"
    except OSError:
        return "-"


def plan_shards(input_path: str, *, follow_symlinks: bool = False, fmt: str | None = None,
                shard_bytes: int = SHARD_BYTES) -> tuple[list[Shard], int]:
    """The shards of ``input_path`` (a directory, a file or a URL) in output order, and how
    many files were skipped (no reader for their name)."""
    if is_url(input_path):
        files, skipped, stamps = list_remote_inputs(input_path, fmt=fmt, file_format=file_format,
                                                    skip=lambda rel: rel.lower().endswith(".rejects.jsonl"))
    else:
        files, skipped = list_inputs(input_path, follow_symlinks=follow_symlinks, fmt=fmt)
        files = [replace(f, path=os.path.abspath(f.path)) for f in files]
        stamps = {f.path: input_stamp(f) for f in files}
    units = _units(files, stamps, shard_bytes) if shard_bytes > 0 else [([f], stamps[f.path], _size(stamps[f.path]))
                                                                       for f in files]
    width = max(5, len(str(max(0, len(units) - 1))))
    return [Shard(i, group[0], stamp, width, tuple(group[1:]), size)
            for i, (group, stamp, size) in enumerate(units)], skipped


def _size(stamp: str) -> int:
    size = stamp.split(":", 1)[0]
    return int(size) if size.isdigit() else 0


def _units(files: list[InputFile], stamps: dict[str, str],
           shard_bytes: int) -> list[tuple[list[InputFile], str, int]]:
    """(files, stamp, size) of each shard: big plain JSONL files cut into ranges, runs of small
    files grouped, in the order of ``files``."""
    units: list[tuple[list[InputFile], str, int]] = []
    group: list[InputFile] = []
    held = 0  # bytes in the group

    def close() -> None:
        nonlocal held
        if group:
            stamp = stamps[group[0].path] if len(group) == 1 else hashlib.sha256(
                "\n".join(f"{f.relpath}\x1f{stamps[f.path]}" for f in group).encode("utf-8", "surrogatepass")).hexdigest()
            units.append((list(group), stamp, held))
            group.clear()
            held = 0

    for item in files:
        size = _size(stamps[item.path])
        if size > shard_bytes and _splittable(item):
            close()
            try:
                spans = split_lines(item, size, -(-size // shard_bytes))
            except OSError:  # read as a whole, where its reader says why it cannot be
                spans = []
            for span in spans:
                units.append(([replace(item, span=span)], stamps[item.path], span.end - span.start))
            if spans:
                continue
        small = size < SMALL_FILE and not item.problem
        if group and (not small or len(group) >= GROUP_FILES or held + size > GROUP_BYTES):
            close()
        group.append(item)
        held += size
        if not small:
            close()
    close()
    return units


def _splittable(item: InputFile) -> bool:
    """A local plain JSONL file: one whose ranges can be read alone."""
    return (item.format == "jsonl" and not item.problem and not is_url(item.path)
            and not item.path.lower().endswith(COMPRESSED))


def source_name(input_path: str, config: Config) -> str:
    """The records' ``source``: ``--source``, else the input's last path component (local or URL)."""
    if config.source:
        return config.source
    tail = input_path.rstrip("/").rsplit("/", 1)[-1] if is_url(input_path) else \
        os.path.basename(os.path.normpath(os.path.abspath(input_path)))
    return tail or "cleaner"


def run_identity(input_path: str, config: Config, fingerprint: str) -> dict[str, Any]:
    """What a resumed run must share with the run it carries on (the input listing is checked
    shard by shard: a shard whose file changed is redone; ``added`` is the first run's)."""
    options = {k: v for k, v in asdict(config).items() if k not in ("extra", "rule_paths")}
    where = redact(input_path) if is_url(input_path) else os.path.abspath(input_path)
    return {"input": where, "rules": fingerprint,
            "options": hashlib.sha256(json.dumps(options, sort_keys=True, default=list).encode()).hexdigest()}
