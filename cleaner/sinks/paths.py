"""Where a run may write: checked before any work, so an output never clobbers an input.

- ``-``, ``/dev/stdout`` and an existing FIFO, character or block device are *streams*:
  written to as they are, never replaced by a renamed file (:func:`is_stream`).
- Anything else is a file the run writes under a temporary name and renames into place;
  :func:`check_outputs` refuses one that is a directory, an input file, lies inside INPUT
  (its records would be read back in by the next run) or is the other output.
"""

from __future__ import annotations

import os
import stat

from ..errors import ConfigError

STDOUT_NAMES = ("-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")


def is_stdout(path: str) -> bool:
    """True for the names of standard output (written through this process's stdout)."""
    return path in STDOUT_NAMES


def is_stream(path: str) -> bool:
    """True when ``path`` is written to as a stream: stdout, or an existing FIFO or device."""
    if is_stdout(path):
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISSOCK(mode)


def _real(path: str) -> str:
    return os.path.realpath(os.path.abspath(path))


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def check_url_outputs(input_url: str, outputs: dict[str, str | None]) -> None:
    """Raise ConfigError when an output URL (``{"-o": url, ...}``) is INPUT's prefix, lies inside
    it or holds it: its parts would replace input files of the same name (``part-00000.jsonl.zst``)
    or be read back in by the next run.

    >>> check_url_outputs("s3://b/crawl/", {"-o": "s3://b/clean/"})
    >>> check_url_outputs("s3://b/crawl", {"-o": "s3://b/crawl/out/"})
    Traceback (most recent call last):
    cleaner.errors.ConfigError: -o s3://b/crawl/out/ lies inside INPUT s3://b/crawl (or holds it): outputs never overwrite inputs
    """
    from ..sources.remote import is_url, redact

    base = input_url.rstrip("/") + "/"
    for flag, url in outputs.items():
        if url is None or not is_url(url):
            continue
        prefix = url.rstrip("/") + "/"
        if prefix.startswith(base) or base.startswith(prefix):
            raise ConfigError(f"{flag} {redact(url)} lies inside INPUT {redact(input_url)} (or holds it): "
                              "outputs never overwrite inputs")


def check_outputs(input_path: str, outputs: dict[str, str | None], *, directories: tuple[str, ...] = ()) -> None:
    """Raise ConfigError when an output (``{"-o": path, "--rejects": path}``) would clobber data.

    ``directories`` names the options that are meant to be directories (Ray's OUTPUT).
    """
    real_input = _real(input_path)
    input_is_dir = os.path.isdir(real_input)
    files: dict[str, str] = {}
    for option, path in outputs.items():
        if path is None or is_stream(path):
            continue
        real = _real(path)
        if os.path.isdir(real) and option not in directories:
            raise ConfigError(f"{option} {path} is a directory; name a file, such as {os.path.join(path, 'out.jsonl')}"
                              + (f" (or {path.rstrip('/')}/ for a part per input file)" if option == "-o" else ""))
        if input_is_dir and _inside(real, real_input):
            raise ConfigError(f"{option} {path} lies inside INPUT {input_path}: the next run would read it back "
                              "in; write it outside INPUT")
        if not input_is_dir and (real == real_input or _same_file(real, real_input)):
            raise ConfigError(f"{option} {path} is the input file; writing it would destroy the input")
        for other, seen in files.items():
            if seen == real or _same_file(seen, real):
                raise ConfigError(f"{option} and {other} both name {path}; give them different files")
        check_writable(option, path, real if option not in directories else os.path.join(real, "x"))
        files[option] = real


def check_writable(option: str, path: str, real: str) -> None:
    """ConfigError when the directory that would hold ``real`` exists and cannot be written
    (a read-only file system, or no permission): found before any work, not after it."""
    parent = os.path.dirname(real)
    while parent and not os.path.lexists(parent):  # the first directory that exists (the rest is made)
        parent = os.path.dirname(parent) if os.path.dirname(parent) != parent else ""
    if not parent or not os.path.isdir(parent):
        return  # a file where a directory should be: the run's first write says so
    if not os.access(parent, os.W_OK | os.X_OK, effective_ids=os.access in os.supports_effective_ids):
        why = "a read-only file system" if _read_only_fs(parent) else "no permission to write there"
        raise ConfigError(f"{option} {path}: cannot write in {parent} ({why}); choose another place")


def _read_only_fs(path: str) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
