"""Files that appear whole or not at all: written under a temporary name beside the real one,
then renamed over it (a rename within a directory is atomic on POSIX file systems).

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "pack.yaml")
>>> write_atomic(path, "rules: []\\n")
>>> open(path).read(), os.listdir(os.path.dirname(path))
('rules: []\\n', ['pack.yaml'])
"""

from __future__ import annotations

import os

from ..errors import ConfigError


def temp_name(path: str, suffix: str | None = None) -> str:
    """``dir/.name.part-<pid>`` (or ``dir/.name<suffix>``) beside ``dir/name``: hidden, so that
    a directory listing never takes it for an input or an output."""
    directory, name = os.path.split(os.path.abspath(path))
    return os.path.join(directory, f".{name}{suffix if suffix is not None else f'.part-{os.getpid()}'}")


def fsync_dir(path: str) -> None:
    """Make the last rename in ``path``'s directory durable."""
    fd = os.open(os.path.dirname(os.path.abspath(path)) or ".", os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: str, data: str | bytes, *, durable: bool = False, suffix: str | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename; ``durable``: fsync the
    file and its directory too. A failure is a ConfigError naming the path; no temporary file stays.

    ``suffix``: a fixed temporary name (``dir/.name<suffix>``) for a file rewritten again and
    again by a run that may be killed: the next write takes the leftover over, where a name
    with the process id would stay behind.
    """
    tmp = temp_name(path, suffix)
    try:
        os.makedirs(os.path.dirname(tmp), exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
        if durable:
            fsync_dir(path)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None
