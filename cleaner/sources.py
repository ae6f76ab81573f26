"""Inputs: walk INPUT, decide each file's format, and read JSONL records.

Files are listed sorted by their path relative to INPUT, so output order never depends on
the file system. Symbolic links are not followed unless asked; a link that leads outside
INPUT is rejected with its reason rather than read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterator

from .compress import LimitedReader, corrupt_errors, open_decompressed  # noqa: F401 (LimitedReader: API)
from .errors import ConfigError, DocumentError

TEXT_EXT = (".txt", ".text")
HTML_EXT = (".html", ".htm", ".xhtml")
JSONL_EXT = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json.gz",
             ".jsonl.zst", ".ndjson.zst", ".json.zst")
WARC_EXT = (".warc", ".warc.gz")


def file_format(name: str) -> str | None:
    """``text``, ``html``, ``jsonl`` or ``warc`` from a file name, else None."""
    low = name.lower()
    if low.endswith(JSONL_EXT):
        return "jsonl"
    if low.endswith(WARC_EXT):
        return "warc"
    if low.endswith(HTML_EXT):
        return "html"
    if low.endswith(TEXT_EXT):
        return "text"
    return None


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read: where it is, how it is named in provenance, and its format."""

    path: str
    relpath: str
    format: str
    problem: str | None = None  # a reason to reject it without reading


def _display(path: str) -> str:
    """A path as text even when the file name is not valid UTF-8."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def list_inputs(root: str, *, follow_symlinks: bool = False) -> tuple[list[InputFile], int]:
    """The input files under ``root`` (or ``root`` itself), sorted; and how many were skipped."""
    if not os.path.exists(root):
        raise ConfigError(f"input not found: {root}")
    if os.path.isfile(root):
        fmt = file_format(root) or "text"
        return [InputFile(root, _display(os.path.basename(root)), fmt)], 0
    if not os.path.isdir(root):
        raise ConfigError(f"input is neither a file nor a directory: {root}")
    if not os.access(root, os.R_OK | os.X_OK):
        raise ConfigError(f"cannot read input directory: {root}")
    real_root = os.path.realpath(root)
    found: list[InputFile] = []
    skipped = 0
    seen_dirs: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=follow_symlinks):
        if follow_symlinks:
            real = os.path.realpath(dirpath)
            if real in seen_dirs:  # a symlink loop
                dirnames[:] = []
                continue
            seen_dirs.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.startswith("."):
                continue
            path = os.path.join(dirpath, name)
            rel = _display(os.path.relpath(path, root))
            fmt = file_format(name)
            if fmt is None:
                skipped += 1
                continue
            problem = None
            if os.path.islink(path):
                target = os.path.realpath(path)
                if not follow_symlinks:
                    inside = target == real_root or target.startswith(real_root + os.sep)
                    problem = None if inside else "symlink_outside_input"
                if os.path.isdir(target):
                    skipped += 1
                    continue
            found.append(InputFile(path, rel, fmt, problem))
    found.sort(key=lambda f: f.relpath)
    return found, skipped


def iter_jsonl_lines(path: str, max_bytes: int) -> Iterator[tuple[int, bytes]]:
    """(line number, raw bytes) of each non-blank line of a JSONL file, plain, gzip or zstd.

    A compressed stream that expands past ``max_bytes`` or ends early raises DocumentError.
    """
    fh = open(path, "rb")
    try:
        stream = open_decompressed(fh, path, max_bytes)
        number = 0
        try:
            for raw in stream:
                number += 1
                if raw.strip():
                    yield number, raw
        except corrupt_errors() as exc:
            raise DocumentError("corrupt_archive", f"{type(exc).__name__}: {exc}") from None
    finally:
        fh.close()
