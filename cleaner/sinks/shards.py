"""The commit protocol of a sharded run: one output part per input shard, committed atomically,
marked done in a small manifest, verified on ``--resume``.

Layout under OUTPUT (a directory or an object-store prefix; ``--rejects`` and
``--attributes`` may name other prefixes)::

    OUTPUT/part-00000.jsonl.zst             the clean records of shard 0, in input order
    OUTPUT/part-00000.rejects.jsonl.zst     its rejected documents (REJECTS/ when given)
    ATTRIBUTES/part-00000.jsonl.zst         tag-only: its Dolma attributes, line for line
    OUTPUT/.cleaner/run.json                what the run was (rules, options, ``added``)
    OUTPUT/.cleaner/part-00000.json         the shard's marker: its files' sizes and sha256, its counts

A part is written under a hidden temporary name and renamed into place (a local file
system), or written to a local temporary file and uploaded whole to its final key (an object
store: a single PUT or a multipart upload is all or nothing; an upload that fails is retried
from the file).
Only then is the marker written (again whole or not at all). So a shard is *committed*
exactly when its marker exists; a part without a marker is a half-done shard and is written
again; a committed part whose size or hash no longer matches its marker is written again,
with a warning. Every operation on an object store is retried with backoff
(:func:`cleaner.sources.remote.with_retries`).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import sys
import tempfile
from typing import Any, Callable

from ..sources.compress import open_compressed
from ..sources.remote import is_url, open_fs, redact, with_retries
from .atomic import fsync_dir, temp_name, write_atomic
from .jsonl import line_bytes

PROTOCOL_VERSION = 1
MARKERS = ".cleaner"
SUFFIX = ".jsonl.zst"


def join(prefix: str, name: str) -> str:
    """``prefix/name`` for a path or a URL."""
    return prefix.rstrip("/") + "/" + name


class _Counted(io.RawIOBase):
    """A binary sink that counts and hashes what goes through it into ``raw``."""

    def __init__(self, raw):
        self.raw, self.size, self.sha = raw, 0, hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self.raw.write(data)
        self.size += len(data)
        self.sha.update(data)
        return len(data)


class _PartFile:
    """One part being written: compressed by its name, counted and hashed, committed or aborted.

    It is written to a local temporary file first: beside the part (a local directory, then
    renamed), or in the temporary directory (an object store, then uploaded whole, by a single
    PUT or a multipart upload, retried from the file as often as needed: an upload cut off
    leaves nothing, and a retry never resends half a stream).
    """

    def __init__(self, path: str):
        self.path = path
        self.remote = is_url(path)
        if self.remote:
            fd, self.tmp = tempfile.mkstemp(prefix="cleaner-part-", suffix=SUFFIX)
            self.raw = os.fdopen(fd, "wb")
        else:
            self.tmp = temp_name(path, f".part-{os.getpid()}-{secrets.token_hex(4)}")
            os.makedirs(os.path.dirname(self.tmp), exist_ok=True)
            self.raw = open(self.tmp, "wb")
        self.counted = _Counted(self.raw)
        self.fh = open_compressed(self.counted, path)

    def write(self, line: str | bytes) -> None:
        self.fh.write(line_bytes(line) + b"\n")

    def commit(self) -> dict[str, Any]:
        """Publish the part; its name, size and sha256 for the marker."""
        if self.fh is not self.counted:
            self.fh.close()
        self.raw.flush()
        if self.remote:
            self.raw.close()
            fs, key = open_fs(self.path)
            try:
                with_retries(lambda: fs.put_file(self.tmp, key), f"writing {self.path}")
            finally:
                os.unlink(self.tmp)
        else:
            os.fsync(self.raw.fileno())
            self.raw.close()
            os.replace(self.tmp, self.path)
            fsync_dir(self.path)
        return {"name": self.path.rsplit("/", 1)[-1], "bytes": self.counted.size, "sha256": self.counted.sha.hexdigest()}

    def abort(self) -> None:
        """Leave nothing: the temporary file is removed (nothing was uploaded)."""
        try:
            self.raw.close()
        finally:
            if os.path.exists(self.tmp):
                os.unlink(self.tmp)


class ShardWriter:
    """The files of one shard: records, rejects and (tag-only) attributes."""

    def __init__(self, store: "ShardStore", name: str, attributes: Callable[[str], str] | None = None):
        self.store, self.name, self.to_attributes = store, name, attributes
        self.parts: dict[str, _PartFile] = {}
        try:
            for kind, path in store.part_paths(name).items():
                self.parts[kind] = _PartFile(path)
        except BaseException:
            self.abort()
            raise

    def write(self, line: str | bytes) -> None:
        self.parts["output"].write(line)
        if self.to_attributes is not None and "attributes" in self.parts:
            self.parts["attributes"].write(self.to_attributes(line))

    def write_reject(self, line: str) -> None:
        self.parts["rejects"].write(line)

    def commit(self, marker: dict[str, Any]) -> dict[str, Any]:
        """Publish every file, then the marker that says the shard is done; the marker."""
        files = {kind: part.commit() for kind, part in self.parts.items()}
        marker = dict(marker, version=PROTOCOL_VERSION, shard=self.name, files=files)
        self.store.write_json(self.store.marker_path(self.name), marker)
        return marker

    def abort(self) -> None:
        for part in self.parts.values():
            try:
                part.abort()
            except Exception:  # noqa: BLE001 - abort what can be aborted
                pass


class ShardStore:
    """Where a sharded run's parts and markers live (paths or URLs)."""

    def __init__(self, output: str, rejects: str | None = None, attributes: str | None = None):
        self.output = output.rstrip("/") or "/"
        self.rejects = (rejects or output).rstrip("/")
        self.attributes = attributes.rstrip("/") if attributes else None

    def part_paths(self, name: str) -> dict[str, str]:
        paths = {"output": join(self.output, name + SUFFIX),
                 "rejects": join(self.rejects, name + ".rejects" + SUFFIX)}
        if self.attributes:
            paths["attributes"] = join(self.attributes, name + SUFFIX)
        return paths

    def marker_path(self, name: str) -> str:
        return join(join(self.output, MARKERS), name + ".json")

    @property
    def run_path(self) -> str:
        return join(join(self.output, MARKERS), "run.json")

    def open(self, name: str, attributes: Callable[[str], str] | None = None) -> ShardWriter:
        return ShardWriter(self, name, attributes)

    # -- small JSON files, whole or not at all -------------------------------------------

    def write_json(self, path: str, data: dict[str, Any]) -> None:
        text = json.dumps(data, sort_keys=True, ensure_ascii=False)
        if is_url(path):
            fs, key = open_fs(path)
            with_retries(lambda: fs.pipe_file(key, text.encode("utf-8")), f"writing {path}")  # one PUT
        else:
            write_atomic(path, text, durable=True)

    def read_json(self, path: str) -> dict[str, Any] | None:
        """The JSON at ``path``; None when absent or damaged (a damaged marker is not a commit)."""
        try:
            if is_url(path):
                fs, key = open_fs(path)
                raw = with_retries(lambda: fs.cat_file(key), f"reading {path}")
            else:
                with open(path, "rb") as fh:
                    raw = fh.read()
            return json.loads(raw)
        except FileNotFoundError:
            return None
        except ValueError:
            return None

    # -- resume ----------------------------------------------------------------------------

    def verify(self, marker: dict[str, Any]) -> str | None:
        """Why a committed shard's files no longer are what its marker says, or None when intact."""
        paths = self.part_paths(marker["shard"])
        if set(paths) != set(marker.get("files", {})):
            return "its files differ from the run's (rejects or attributes moved)"
        for kind, path in paths.items():
            want = marker["files"][kind]
            try:
                size, sha = _size_and_hash(path)
            except FileNotFoundError:
                return f"{redact(path)} is missing"
            if size != want["bytes"]:
                return f"{redact(path)} is {size} bytes, {want['bytes']} when committed"
            if sha != want["sha256"]:
                return f"{redact(path)} has changed since it was committed (sha256)"
        return None

    def clear(self, keep: set[str]) -> None:
        """A fresh start: remove the markers, and parts whose shard is not in ``keep`` (an earlier,
        larger run's), so that OUTPUT holds this run's parts only."""
        self.remove_stale(keep)
        for path in _listing(join(self.output, MARKERS)):
            _remove(path)
        self.sweep()

    def remove_stale(self, keep: set[str]) -> None:
        """Remove the parts and markers of shards not in ``keep``: on a resume whose plan has fewer
        shards (an input removed, a big file shrunk to fewer ranges, small files grouped), the old
        plan's parts would otherwise stay in OUTPUT beside this run's."""
        for prefix in {self.output, self.rejects} | ({self.attributes} if self.attributes else set()):
            for path in _listing(prefix):
                name = path.rsplit("/", 1)[-1]
                if name.startswith("part-") and name.endswith(SUFFIX) and name.split(".", 1)[0] not in keep:
                    _remove(path)
        for path in _listing(join(self.output, MARKERS)):
            name = path.rsplit("/", 1)[-1]
            if name.startswith("part-") and name.endswith(".json") and name[:-len(".json")] not in keep:
                _remove(path)

    def sweep(self) -> None:
        """Remove the temporary files of parts whose writer was killed (local directories only:
        an object store never shows an upload that did not complete)."""
        for prefix in {self.output, self.rejects} | ({self.attributes} if self.attributes else set()):
            if not is_url(prefix):
                for path in _listing(prefix):
                    name = os.path.basename(path)
                    if name.startswith(".part-") and ".part-" in name[1:].split(SUFFIX, 1)[-1]:
                        _remove(path)


def _size_and_hash(path: str) -> tuple[int, str]:
    sha, size = hashlib.sha256(), 0
    if is_url(path):
        fs, key = open_fs(path)
        fh = with_retries(lambda: fs.open(key, "rb"), f"reading {path}")
    else:
        fh = open(path, "rb")
    with fh:
        while chunk := fh.read(1 << 20):
            sha.update(chunk)
            size += len(chunk)
    return size, sha.hexdigest()


def _listing(prefix: str) -> list[str]:
    if is_url(prefix):
        fs, key = open_fs(prefix)
        protocol = prefix.split("://", 1)[0]
        try:
            return [f"{protocol}://{p}" for p in with_retries(lambda: fs.ls(key, detail=False), f"listing {prefix}")]
        except FileNotFoundError:
            return []
    try:
        return [os.path.join(prefix, n) for n in sorted(os.listdir(prefix))]
    except (FileNotFoundError, NotADirectoryError):
        return []


def _remove(path: str) -> None:
    if is_url(path):
        fs, key = open_fs(path)
        with_retries(lambda: fs.rm_file(key), f"removing {path}")
    elif os.path.isfile(path):
        os.unlink(path)


def warn(message: str) -> None:
    """One line on stderr, credentials removed."""
    print(f"cleaner: {redact(message)}", file=sys.stderr)
