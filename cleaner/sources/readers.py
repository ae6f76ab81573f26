"""One reader per input format, behind one registry: every command reads its documents here.

``cleaner run`` (the local and the Ray engine), mining (``cleaner mine``, ``run --learn``) and
``cleaner explain`` list their inputs with :func:`list_inputs` and turn each file into documents
with :func:`read_file`, so a format is added in one place and every command reads it alike:
same files, same limits, same reject reasons.

A reader yields :class:`RawDocument`: the bytes of one document (a whole file, one JSONL line,
one WARC page) with where it came from, or the reason it cannot be read (``data`` is None).
Decoding and cleaning come later, in :meth:`cleaner.pipeline.Cleaner.clean_raw`.

>>> [file_format(name) for name in ("a.txt", "page.html.gz", "crawl.warc.gz", "old.arc.gz", "b.jsonl.zst", "c.pdf")]
['text', 'html', 'warc', 'warc', 'jsonl', None]
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from ..errors import ConfigError, DocumentError
from .compress import COMPRESSED
from .decode import charset_of
from .files import InputFile, iter_jsonl_lines, read_document
from .jsonline import parse_line


@dataclass(frozen=True, slots=True)
class Limits:
    """How much one document may be: bytes once decompressed, and the decompression ratio."""

    max_bytes: int
    max_gz_ratio: int = 100


@dataclass(slots=True)
class RawDocument:
    """One document as its reader found it, before decoding; or why it cannot be read."""

    relpath: str  # the input file, relative to INPUT (as provenance names it)
    format: str  # the reader that read it: text, html, jsonl or warc
    kind: str  # what the bytes are: "text", "html", or "record" (one JSON object)
    data: bytes | None  # None: rejected with ``reason`` and ``detail``
    line: int | None = None  # the JSONL line number
    position: int | str = 0  # what the default document id is made from: JSONL line, WARC offset, 0
    url: str | None = None  # the page URL the container gives (a WARC target URI)
    doc_id: str | None = None  # the id the container gives (a WARC record id)
    origin: dict[str, Any] | None = None  # the container's provenance fields (WARC headers)
    raw_relpath: bytes | None = None  # the file's relative path as bytes, when not UTF-8 (ids use it)
    charset: str | None = None  # the charset its HTTP header declared (a WARC response)
    reason: str = ""
    detail: str = ""


ReadFn = Callable[[InputFile, Limits], Iterator[RawDocument]]


@dataclass(frozen=True, slots=True)
class Reader:
    """An input format: the file names that have it, and how its files become documents."""

    name: str
    suffixes: tuple[str, ...]
    read: ReadFn
    compressed_alone: bool  # a file of this format compressed on its own (page.html.gz) is one too


READERS: dict[str, Reader] = {}  # in the order file names are matched


def reader(name: str, suffixes: tuple[str, ...], *, compressed_alone: bool = False) -> Callable[[ReadFn], ReadFn]:
    """Register the decorated function as the reader of ``name`` files."""

    def register(fn: ReadFn) -> ReadFn:
        READERS[name] = Reader(name, suffixes, fn, compressed_alone)
        return fn

    return register


def file_format(name: str) -> str | None:
    """The format of a file from its name (the first reader whose suffix fits), else None."""
    low = name.lower()
    for entry in READERS.values():
        if low.endswith(entry.suffixes):
            return entry.name
    if low.endswith(COMPRESSED):
        inner = low.rsplit(".", 1)[0]
        for entry in READERS.values():
            if entry.compressed_alone and inner.endswith(entry.suffixes):
                return entry.name
    return None


def read_file(item: InputFile, limits: Limits) -> Iterator[RawDocument]:
    """Every document of one input file, in file order; a file that cannot be read ends in a reject."""
    if item.problem:
        yield RawDocument(item.relpath, item.format, "text", None, reason=item.problem, detail="not followed")
        return
    for doc in READERS[item.format].read(item, limits):
        doc.raw_relpath = item.raw_relpath
        yield doc


def id_path(doc: RawDocument) -> str | bytes:
    """What a document's default id is made from: its relative path, as bytes when the name is
    not UTF-8 (so ``a<0xFF>.txt`` and a file named ``a\\xff.txt`` get different ids)."""
    return doc.raw_relpath if doc.raw_relpath is not None else doc.relpath


def parse_record(data: bytes, fixes: dict[str, int] | None = None) -> dict[str, Any]:
    """The JSON object of one JSONL line, or DocumentError (``bad_json``, ``not_an_object``).

    Made fit for strict JSON (:func:`cleaner.sources.jsonline.parse_line`); what that changed
    is added to ``fixes``.
    """
    try:
        record, found = parse_line(data)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise DocumentError("bad_json", str(exc)[:200]) from None
    if not isinstance(record, dict):
        raise DocumentError("not_an_object", f"a JSON {type(record).__name__}, not an object")
    if fixes is not None:
        fixes.update(found)
    return record


def _rejected(item: InputFile, exc: DocumentError, line: int | None = None) -> RawDocument:
    return RawDocument(item.relpath, item.format, "text", None, line=line, reason=exc.reason, detail=exc.detail)


# -- the readers, in the order their suffixes are tried ----------------------------------

@reader("jsonl", (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json.gz", ".jsonl.zst", ".ndjson.zst", ".json.zst"))
def _read_jsonl(item: InputFile, limits: Limits) -> Iterator[RawDocument]:
    """One document per non-blank line; a line over the byte limit is rejected, not held."""
    try:
        for number, raw, size in iter_jsonl_lines(item, limits.max_bytes, limits.max_gz_ratio):
            if raw is None:
                yield RawDocument(item.relpath, "jsonl", "record", None, line=number, position=number,
                                  reason="too_large", detail=f"{size} bytes > --max-bytes {limits.max_bytes}")
            else:
                yield RawDocument(item.relpath, "jsonl", "record", raw, line=number, position=number)
    except DocumentError as exc:
        yield _rejected(item, exc)


@reader("warc", (".warc", ".warc.gz", ".warc.zst", ".arc", ".arc.gz", ".arc.zst"))
def _read_warc(item: InputFile, limits: Limits) -> Iterator[RawDocument]:
    """The HTML pages of a web crawl, WARC or ARC (:mod:`cleaner.sources.warc`), each with its WARC fields."""
    from .warc import iter_pages  # warcio (and the fsspec it imports) only for a crawl: ~60 ms at start-up

    try:
        for page in iter_pages(item, limits.max_bytes, limits.max_gz_ratio):
            yield RawDocument(item.relpath, "warc", "html", page.payload, position=page.position, url=page.uri,
                              doc_id=page.record_id or None, origin=page.provenance(),
                              reason=page.reason, detail=page.detail, charset=charset_of(page.content_type))
    except FileNotFoundError:
        yield _rejected(item, DocumentError("vanished", "the file disappeared before it was read"))
    except OSError as exc:
        yield _rejected(item, DocumentError("unreadable", exc.strerror or str(exc)))
    except DocumentError as exc:
        yield _rejected(item, exc)


def _read_whole(item: InputFile, limits: Limits) -> Iterator[RawDocument]:
    """The whole file is one document (decompressed if it is a ``.gz`` or ``.zst`` on its own)."""
    kind = "html" if item.format == "html" else "text"
    try:
        data = read_document(item, limits.max_bytes, limits.max_gz_ratio)
    except DocumentError as exc:
        yield RawDocument(item.relpath, item.format, kind, None, reason=exc.reason, detail=exc.detail)
        return
    yield RawDocument(item.relpath, item.format, kind, data)


reader("html", (".html", ".htm", ".xhtml"), compressed_alone=True)(_read_whole)
reader("text", (".txt", ".text"), compressed_alone=True)(_read_whole)


# -- listing the inputs ------------------------------------------------------------------

def _display(path: str) -> str:
    """A path as text even when the file name is not valid UTF-8 (its bytes escaped as ``\\xff``)."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _raw_bytes(path: str) -> bytes | None:
    """The bytes of a path that is not valid UTF-8 (None for one that is)."""
    raw = os.fsencode(path)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw
    return None


def _own_output(name: str, hidden: set[str]) -> bool:
    """A file a cleaner run wrote (its rejects, or an OUTPUT that a run is writing again)."""
    if name.lower().endswith(".rejects.jsonl"):
        return True
    return f".{name}.progress.json" in hidden or f".{name}.lock" in hidden


def list_inputs(root: str, *, follow_symlinks: bool = False,
                fmt: str | None = None) -> tuple[list[InputFile], int]:
    """The input files under ``root`` (or ``root`` itself), sorted by relative path; and how
    many were skipped (no reader for their name, or a link to a directory). ``fmt`` (a reader's
    name: text, html, jsonl, warc) overrides what the file names say: every file is read so.
    A single file named as ``root`` follows the same rule: without a reader for its name (and
    no ``fmt``) it is skipped.

    Symbolic links are not followed unless asked; a link that leads outside INPUT is listed
    with its reason (``symlink_outside_input``) rather than read.
    """
    if fmt is not None and fmt not in READERS:
        raise ConfigError(f"--format must be one of {', '.join(sorted(READERS))}, not {fmt!r}")
    if not os.path.exists(root):
        raise ConfigError(f"input not found: {root}")
    if os.path.isfile(root):  # named on its own: read (through a link too) if a reader takes its name
        kind = fmt or file_format(root)
        name = os.path.basename(root)
        return ([InputFile(root, _display(name), kind, raw_relpath=_raw_bytes(name))], 0) if kind else ([], 1)
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
        hidden = {name for name in filenames if name.startswith(".")}
        for name in filenames:
            if name.startswith(".") or _own_output(name, hidden):
                continue
            path = os.path.join(dirpath, name)
            raw_rel = os.path.relpath(path, root)
            rel = _display(raw_rel)
            kind = fmt or file_format(name)
            if kind is None:
                skipped += 1
                continue
            problem = None
            link = os.path.islink(path)
            if link:
                target = os.path.realpath(path)
                if not follow_symlinks:
                    inside = target == real_root or target.startswith(real_root + os.sep)
                    problem = None if inside else "symlink_outside_input"
                if os.path.isdir(target):
                    skipped += 1
                    continue
            found.append(InputFile(path, rel, kind, problem, within="" if follow_symlinks else real_root,
                                   follow=link or follow_symlinks, raw_relpath=_raw_bytes(raw_rel)))
    found.sort(key=lambda f: f.relpath)
    return found, skipped
