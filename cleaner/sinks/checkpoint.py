"""Sinks that survive being killed: OUTPUT and its rejects, committed in steps, renamed at the end.

While a run works, OUTPUT is written to ``.OUTPUT.part`` and the rejects to ``.REJECTS.part``
beside them. Every few hundred documents the runner *commits*: both files are flushed
and fsync'd, then a manifest ``.OUTPUT.progress.json`` (written to a temporary name,
fsync'd, renamed) records how many tasks are done and how many bytes of each file hold
them. The manifest is the only proof of progress: bytes past the committed sizes are
thrown away by ``--resume``, which truncates both files and carries on with the next task.
When the last task is committed the files are renamed to their real names, so OUTPUT is
never seen half-written. Commits fall after a fixed number of documents, so a gzip OUTPUT
(one gzip member per commit) is byte-identical whether or not the run was interrupted.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sys
from typing import Any

from ..errors import ConfigError
from ..sources.compress import open_compressed
from .atomic import fsync_dir, temp_name, write_atomic
from .jsonl import ShardCutter, line_bytes, shard_name, stale_shards
from .paths import is_stdout, is_stream

_MANIFEST_VERSION = 1


def hidden_path(path: str, suffix: str) -> str:
    """``dir/.name<suffix>`` for ``dir/name``."""
    return temp_name(path, suffix)


class _Hashed:
    """A file that keeps the sha256 of what was written to it (from its start, or from a prefix
    whose hash it is given), so that a commit can record it and ``--resume`` check it."""

    def __init__(self, fh):
        self.fh, self.sha = fh, hashlib.sha256()

    def write(self, data) -> int:
        self.sha.update(data)
        return self.fh.write(data)

    def __getattr__(self, name: str):
        return getattr(self.fh, name)


def prefix_hash(path: str, size: int):
    """The sha256 (a hashlib object, to go on with) of the first ``size`` bytes of ``path``."""
    sha = hashlib.sha256()
    with open(path, "rb") as fh:
        left = size
        while left > 0 and (chunk := fh.read(min(left, 1 << 20))):
            sha.update(chunk)
            left -= len(chunk)
    return sha


class _Part:
    """One output file under its temporary name; compressed when the name ends in .gz or .zst
    (one gzip member or zstd frame per commit)."""

    def __init__(self, path: str, committed: int | None):
        self.path = path
        self.gzip, self.member = False, None
        if is_stream(path):  # a FIFO or device (--rejects /dev/null): written to, never replaced
            self.tmp = None
            self.raw = os.fdopen(os.dup(sys.stdout.fileno()), "wb") if is_stdout(path) else open(path, "wb")
            return
        self.tmp = hidden_path(path, ".part")
        os.makedirs(os.path.dirname(self.tmp), exist_ok=True)
        try:
            self.raw = _Hashed(open(self.tmp, "r+b" if committed is not None else "wb"))
        except FileNotFoundError:
            if committed is None:
                raise
            raise ConfigError(f"cannot resume: {self.tmp}, which holds the committed output, is missing; "
                              "run without --resume to start again") from None
        if committed is not None:
            if os.fstat(self.raw.fileno()).st_size < committed:
                raise ConfigError(f"cannot resume: {self.tmp} is shorter than its manifest says")
            self.raw.truncate(committed)
            self.raw.sha = prefix_hash(self.tmp, committed)
            self.raw.seek(committed)
        self.gzip = path.endswith((".gz", ".zst"))  # compressed in members
        self.member = None  # the open gzip member or zstd frame

    def write(self, line: str | bytes) -> None:
        data = line_bytes(line)  # (no joined copy of a big line)
        try:
            if self.member is None and self.gzip:
                self.member = open_compressed(self.raw, self.path)
            out = self.member if self.gzip else self.raw
            out.write(data)
            out.write(b"\n")
        except OSError as exc:
            raise self._named(exc) from None

    def sync(self) -> int:
        """Flush and fsync what was written; the committed size."""
        try:
            if self.member is not None:
                self.member.close()  # closes the gzip member, not the file
                self.member = None
            self.raw.flush()
            if self.tmp is None:
                return 0
            os.fsync(self.raw.fileno())
        except OSError as exc:
            raise self._named(exc) from None
        return self.raw.tell()

    def close(self) -> None:
        try:
            try:
                if self.member is not None:
                    self.member.close()
            finally:
                self.raw.close()  # even when the member's last frame could not be written
        except OSError as exc:
            raise self._named(exc) from None

    def _named(self, exc: OSError) -> OSError:
        """The error of a write with the file it failed on (a write error names none)."""
        return exc if exc.filename else OSError(exc.errno, exc.strerror, self.tmp or self.path)


def manifest_problem(state: Any) -> str | None:
    """What is wrong with a manifest's shape (an edited or damaged file), or None.

    >>> manifest_problem({"version": 1, "run": {}, "tasks": 3, "bytes": [10, 0], "complete": False, "saved": {}})
    >>> manifest_problem({"version": 1, "run": {}, "tasks": -3, "bytes": [10, 0], "complete": False, "saved": {}})
    'tasks is not a count'
    """
    def count(value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0

    if not isinstance(state, dict):
        return "not a JSON object"
    if not isinstance(state.get("run"), dict):
        return "run is not an object"
    if not count(state.get("tasks")):
        return "tasks is not a count"
    sizes = state.get("bytes")
    if not (isinstance(sizes, list) and len(sizes) == 2 and all(count(n) for n in sizes)):
        return "bytes is not two sizes"
    if not isinstance(state.get("complete"), bool):
        return "complete is not true or false"
    saved = state.get("saved")
    if not isinstance(saved, dict) or not isinstance(saved.get("summary", {}), dict):
        return "saved is not an object"
    shard = state.get("shard", [0, 0])
    if not (isinstance(shard, list) and len(shard) == 2 and all(count(n) for n in shard)):
        return "shard is not two counts"
    hashes = state.get("sha256", [None, None])  # absent from the manifests of older cleaners
    if not (isinstance(hashes, list) and len(hashes) == 2 and all(h is None or isinstance(h, str) for h in hashes)):
        return "sha256 is not two hashes"
    return None


class CheckpointedOutput:
    """OUTPUT and REJECTS written in committed steps; see the module docstring.

    With ``shard_size``, OUTPUT is written as numbered shards (:func:`cleaner.sinks.jsonl.shard_name`)
    of at most that many uncompressed bytes each (a lone larger record gets a shard of its
    own); the manifest also records the current shard and its uncompressed size, so a
    resumed run cuts its shards where an uninterrupted run would.
    """

    def __init__(self, output: str, rejects: str, identity: dict[str, Any], *, resume: bool,
                 shard_size: int | None = None):
        self.output, self.rejects, self.identity = output, rejects, identity
        self.shard_size = shard_size
        self.manifest_path = hidden_path(output, ".progress.json")
        os.makedirs(os.path.dirname(self.manifest_path), exist_ok=True)
        self.lock_fd = os.open(hidden_path(output, ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.lock_fd)
            raise ConfigError(f"another cleaner run is writing {output}") from None
        self.state = self._load() if resume else None
        if not resume and os.path.exists(self.manifest_path):
            os.unlink(self.manifest_path)  # a fresh start: an old run's progress no longer applies
        if resume and self.state is None:
            print(f"cleaner: nothing to resume for {output}: starting from the beginning", file=sys.stderr)
        self.parts: list[_Part] = []
        if self.state is not None and not self.complete and (problem := self._damaged()) is not None:
            print(f"cleaner: {problem}: its committed part no longer matches the manifest (size or sha256); "
                  "starting from the beginning", file=sys.stderr)
            self.state = None
            os.unlink(self.manifest_path)
        if self.complete:  # killed while moving the files into place: finish that
            self._publish()
            return
        sizes = (self.state or {}).get("bytes", [None, None])
        # with shards: the shard being written and its uncompressed bytes
        self.cutter = ShardCutter(shard_size or 0, *(self.state or {}).get("shard", [0, 0]))
        self.parts = [_Part(self._records_path(self.cutter.index), sizes[0]), _Part(rejects, sizes[1])]

    def _damaged(self) -> str | None:
        """The part file whose committed bytes are not those the manifest recorded, if any."""
        hashes = self.state.get("sha256")
        if not hashes:  # a manifest of an older cleaner
            return None
        index = self.state.get("shard", [0])[0] if self.shard_size else 0
        for path, size, want in zip((self._records_path(index), self.rejects), self.state["bytes"], hashes):
            if want is None or is_stream(path):
                continue
            tmp = hidden_path(path, ".part")
            if not os.path.exists(tmp):
                continue  # missing altogether: opening it says so (exit 2)
            if os.path.getsize(tmp) < size or prefix_hash(tmp, size).hexdigest() != want:
                return tmp
        return None

    def _records_path(self, index: int) -> str:
        return shard_name(self.output, index) if self.shard_size else self.output

    def _load(self) -> dict[str, Any] | None:
        try:
            with open(self.manifest_path, encoding="utf-8") as fh:
                state = json.load(fh)
        except FileNotFoundError:
            return None
        except ValueError as exc:
            raise ConfigError(f"cannot resume: {self.manifest_path} is damaged ({exc})") from None
        problem = manifest_problem(state)
        if problem:
            raise ConfigError(f"cannot resume: {self.manifest_path} is damaged ({problem}); "
                              "run without --resume to start again")
        if state.get("version") != _MANIFEST_VERSION or state.get("run") != self.identity:
            changed = sorted(k for k in self.identity if (state.get("run") or {}).get(k) != self.identity[k])
            raise ConfigError(f"cannot resume {self.output}: the input or options changed since the "
                              "interrupted run, or another version of cleaner made it "
                              f"({', '.join(changed) or 'format'}); run without --resume to start again")
        return state

    @property
    def tasks_done(self) -> int:
        return (self.state or {}).get("tasks", 0)

    @property
    def saved(self) -> dict[str, Any]:
        """What the interrupted run stored beside its progress (summary, timestamps)."""
        return (self.state or {}).get("saved", {})

    @property
    def complete(self) -> bool:
        return bool((self.state or {}).get("complete"))

    def write(self, line: str | bytes) -> None:
        if self.shard_size and self.cutter.add(line):
            self.parts[0].sync()
            self.parts[0].close()
            self.parts[0] = _Part(self._records_path(self.cutter.index), None)
        self.parts[0].write(line)

    def write_reject(self, line: str) -> None:
        self.parts[1].write(line)

    def commit(self, tasks: int, saved: dict[str, Any], *, complete: bool = False) -> None:
        """Make everything written so far durable and record it as done."""
        sizes = [part.sync() for part in self.parts]
        hashes = [part.raw.sha.hexdigest() if part.tmp is not None else None for part in self.parts]
        self.state = {"version": _MANIFEST_VERSION, "run": self.identity, "tasks": tasks,
                      "bytes": sizes, "sha256": hashes, "complete": complete, "saved": saved}
        if self.shard_size:
            self.state["shard"] = [self.cutter.index, self.cutter.size]
        write_atomic(self.manifest_path, json.dumps(self.state, sort_keys=True), durable=True, suffix=".tmp")

    def finish(self, tasks: int, saved: dict[str, Any]) -> None:
        """Commit the last step and move the files to their real names."""
        self.commit(tasks, saved, complete=True)
        self._publish()

    def _publish(self) -> None:
        for part in self.parts:
            part.close()
        last = (self.state or {}).get("shard", [0])[0] if self.shard_size else 0
        for path in [self._records_path(i) for i in range(last + 1)] + [self.rejects]:
            if is_stream(path):
                continue
            tmp = hidden_path(path, ".part")
            if os.path.exists(tmp):
                os.replace(tmp, path)
        if self.shard_size:  # shards past the last: left by an earlier, larger run, or unfinished
            for path in stale_shards(self.output, last + 1, parts=True):
                os.unlink(path)
        fsync_dir(self.output)
        os.unlink(self.manifest_path)
        os.unlink(hidden_path(self.output, ".lock"))
        self.close()

    def close(self) -> None:
        """Release the files (uncommitted bytes stay until the next run truncates them)."""
        for part in self.parts:
            if not part.raw.closed:
                part.close()
        if self.lock_fd is not None:
            os.close(self.lock_fd)
            self.lock_fd = None


class StreamOutput:
    """OUTPUT as a stream: stdout, a FIFO or a device (no checkpoints: a stream cannot be resumed).

    The rejects go to a file, or as one line each to stderr.
    """

    def __init__(self, output: str, rejects: str | None):
        self.fh = sys.stdout.buffer if is_stdout(output) else open(output, "wb")
        self.path = rejects
        self.rejects = _Part(rejects, None) if rejects else None

    def write(self, line: str | bytes) -> None:
        self.fh.write(line_bytes(line) + b"\n")

    def write_reject(self, line: str) -> None:
        if self.rejects is not None:
            self.rejects.write(line)
        else:
            rec = json.loads(line)
            print(f"cleaner: rejected {rec['path']}: {rec['reason']}", file=sys.stderr)

    def commit(self, tasks: int, saved: dict[str, Any], *, complete: bool = False) -> None:
        self.fh.flush()

    def finish(self, tasks: int, saved: dict[str, Any]) -> None:
        self.commit(tasks, saved)
        if self.rejects is not None:
            self.rejects.close()
            if self.rejects.tmp is not None:
                os.replace(self.rejects.tmp, self.path)

    def close(self) -> None:
        if self.fh is not sys.stdout.buffer and not self.fh.closed:
            self.fh.close()
        if self.rejects is not None and not self.rejects.raw.closed:
            self.rejects.close()
