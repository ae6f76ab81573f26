"""A cache on disk of loaded rule packs: a big pack's YAML and checks are paid for once.

Loading a pack of 5,000 rules costs about a second of CPU (PyYAML composing its nodes, the
checks of every rule, the parse of every pattern for the prefilter's literals), in every
run that uses it; the shipped packs cost about 40 ms. :func:`cleaner.rules.pack.load_pack`
keeps what it loaded here, as JSON (data, never code: no pickle), with the prefilter's
reading of every pattern, and the next load of the same pack reads it back (5,000 rules:
about 0.2 s).

An entry is never wrong: it is named by the SHA-256 of everything the loaded rules depend
on: the pack's bytes and file name (its family defaults to it), the source of the modules
that load, check and reduce rules (``pack``, ``patterns``, ``yamldata``, this module,
``lines.normalize``, ``lines.prefilter``, ``document``), the compiled core's bytes, PyYAML's
``__init__`` (its version) and whether it has libyaml, and the versions of Python, its Unicode
tables and ``regex``. Change any of them and the old entry is simply not found. An entry
carries the SHA-256 of its own body, checked on every read: a torn or damaged file is a miss,
never a wrong answer. Only packs that loaded without error are kept (a bad pack fails at every
load, with its ``path:line``). A run whose packs are all in the cache never imports PyYAML.

Entries are written atomically (a temporary file in the same directory, then renamed), so
runs in parallel never read half an entry. A directory that cannot be written (a read-only
home, a container) only means no entry is kept: loading works as without the cache. An entry
is data (rules), never code; on POSIX one that another user owns is ignored.

Where: ``$CLEANER_CACHE_DIR``, else ``$XDG_CACHE_HOME/cleaner``, else ``~/.cache/cleaner``,
in its ``packs`` directory. ``CLEANER_CACHE_DIR=`` (empty) turns the cache off. Entries are
never pruned: delete the directory at any time to reclaim the space.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

FORMAT = b"cleaner-pack-cache 1"  # the first line of every entry; bumped if the layout changes
# The modules whose code decides what a pack loads as, relative to the cleaner package.
_CODE = ("rules/pack.py", "rules/patterns.py", "rules/yamldata.py", "rules/packcache.py",
         "lines/normalize.py", "lines/prefilter.py", "document.py")


def cache_dir() -> Path | None:
    """The directory of the pack entries (None: the cache is off)."""
    base = os.environ.get("CLEANER_CACHE_DIR")
    if base is None:
        home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(home, "cleaner")
    return Path(base, "packs") if base else None


@lru_cache(maxsize=1)
def code_digest() -> str | None:
    """SHA-256 of the loader's code and the versions it runs on (None: a file of it cannot be
    read, so nothing is cached)."""
    import regex

    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(FORMAT)
    for part in (sys.implementation.name, sys.version, unicodedata.unidata_version, regex.__version__):
        digest.update(part.encode() + b"\0")
    # PyYAML by its files, not imported: a run whose packs are all here never imports it
    spec = importlib.util.find_spec("yaml")
    if spec is None or not spec.origin:
        return None
    yaml_dir = Path(spec.origin).parent
    cores = sorted(p for p in package.glob("_core*") if p.suffix in (".so", ".pyd"))
    try:
        for path in [package / name for name in _CODE] + cores + [yaml_dir / "__init__.py"]:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        digest.update(repr(sorted(p.name for p in yaml_dir.iterdir() if p.name.startswith("_yaml"))).encode())
    except OSError:
        return None
    return digest.hexdigest()


def entry_path(raw: bytes, name: str) -> Path | None:
    """Where the entry of the pack with bytes ``raw`` and file name ``name`` lives (None: off)."""
    where, code = cache_dir(), code_digest()
    if where is None or code is None:
        return None
    key = hashlib.sha256(code.encode() + b"\0" + name.encode("utf-8", "surrogatepass") + b"\0" + raw)
    return where / f"{key.hexdigest()}.json"


def read_entry(path: Path) -> bytes | None:
    """The body of the entry at ``path``, or None (no entry, one that fails its checksum, or one
    another user wrote)."""
    try:
        with open(path, "rb") as fh:
            if hasattr(os, "getuid") and os.fstat(fh.fileno()).st_uid != os.getuid():
                return None  # written by another user (a shared directory): not to be trusted
            data = fh.read()
    except OSError:
        return None
    head, sep, body = data.partition(b"\n")
    if not sep or head != FORMAT + b" " + hashlib.sha256(body).hexdigest().encode():
        return None
    return body


def write_entry(path: Path, body: bytes) -> bool:
    """Keep ``body`` at ``path`` atomically; False (and nothing kept) when it cannot be written."""
    import tempfile  # only to write: a run that reads its packs from here never needs it

    data = FORMAT + b" " + hashlib.sha256(body).hexdigest().encode() + b"\n" + body
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        return True
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False
