"""The plan of a sharded run: the input as numbered shards, the same for every engine.

A shard is one input file (a local path or a URL), numbered in the order of the sorted
listing, so shard ``i`` of a run is always the same file and its output is always
``part-<i>``; concatenating the parts in order gives the local engine's single OUTPUT.
Files are not cut into byte ranges: every record's provenance carries its line number and
its id defaults to ``path:line``, which a task starting in the middle of a file cannot know
without reading what comes before; a big input is best split into files of ~100 MB-1 GB
(docs/scale-out.md).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, replace
from typing import Any

from ..settings import Config
from ..sources.files import InputFile
from ..sources.readers import file_format, list_inputs
from ..sources.remote import is_url, list_remote_inputs, redact


@dataclass(frozen=True, slots=True)
class Shard:
    """One unit of work: an input file, its number, and what it looked like when planned."""

    index: int
    item: InputFile
    stamp: str  # size and modification time (or ETag): an input that changed is not "done"
    width: int = 5  # digits of the shard number in file names

    @property
    def name(self) -> str:
        """``part-00042``: the stem of the shard's output files."""
        return f"part-{self.index:0{self.width}d}"


def _stamp(item: InputFile) -> str:
    """A local input's size and modification time."""
    try:
        info = os.stat(item.path)
        return f"{info.st_size}:{info.st_mtime_ns}"
    except OSError:
        return "-"


def plan_shards(input_path: str, *, follow_symlinks: bool = False, fmt: str | None = None) -> tuple[list[Shard], int]:
    """The shards of ``input_path`` (a directory, a file or a URL) in output order, and how
    many files were skipped (no reader for their name)."""
    if is_url(input_path):
        files, skipped, stamps = list_remote_inputs(input_path, fmt=fmt, file_format=file_format,
                                                    skip=lambda rel: rel.lower().endswith(".rejects.jsonl"))
    else:
        files, skipped = list_inputs(input_path, follow_symlinks=follow_symlinks, fmt=fmt)
        files = [replace(f, path=os.path.abspath(f.path)) for f in files]
        stamps = {f.path: _stamp(f) for f in files}
    width = max(5, len(str(max(0, len(files) - 1))))
    return [Shard(i, item, stamps[item.path], width) for i, item in enumerate(files)], skipped


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
