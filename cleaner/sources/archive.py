"""The records of a web archive file (WARC, ARC), whatever is wrong with some of them.

Headers are parsed by warcio (the IIPC's pywb family reader; it reads WARC 0.17 to 1.1 and
ARC, and takes ClueWeb-era quirks such as bare LF line ends in its stride). Around it sits the
framing that no reader library gives, so that one bad record never loses the records after it:

- compression is found by the first bytes, not the name, and undone member by member
  (:mod:`cleaner.sources.members`): a record's offset is where its gzip member or zstd frame
  starts, as a CDX index gives it, or its byte offset in an uncompressed file.
- a record whose ``Content-Length`` is missing, negative or wrong, junk between records, a
  header section that never ends: the record is rejected or cut where the next one starts, and
  reading resumes at the next line that starts a record (``WARC/1.x``, or an ARC URL line).
- a record clipped by the end of the file is ``truncated_record``; one over ``max_bytes`` is
  passed over without being read (its content comes as None).
- ARC version 2 (IA's ten-field URL line: ``url ip date mime result-code checksum location
  offset filename length``) is read as well as version 1 (``url ip date mime length``): warcio
  knows only version 1, so a version 2 line is handed to it as the version 1 line it holds.
"""

from __future__ import annotations

import logging
import re
import struct
from dataclasses import dataclass
from typing import BinaryIO, Generator, Iterator

from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeadersParserException

from ..errors import DocumentError
from .files import InputFile, open_input, open_regular
from .members import GZIP_MAGIC, ZSTD_MAGIC, Gzip, Zstd, iter_members, read_zstd_dictionary

logging.getLogger("warcio").addHandler(logging.NullHandler())  # its warnings are not ours to print

LINE_LIMIT = 1 << 16  # the longest line read at once (a longer one comes in pieces)
HEADER_LIMIT = 1 << 20  # the most bytes of headers one record may have
_LOADER = ArcWarcRecordLoader(verify_http=False)

# an ARC URL line: url ip date mime [version 2: result-code checksum location offset filename] length
_ARC_LINE = rb"[A-Za-z][A-Za-z0-9+.-]*:\S* \S+ \d{12,14} \S+(?: \S+ \S+ \S+ \S+ \S+)? \d+\r?\n"
_ARC_V2 = re.compile(rb"(\S+ \S+ \d{12,14} \S+) \S+ \S+ \S+ \S+ \S+ (\d+\r?\n)")
_STARTS = {"warc": re.compile(rb"WARC/[01]\.\d+\r?\n"), "arc": re.compile(_ARC_LINE)}
_INSIDE = {  # a record starting inside the block of the one before: where its first line begins
    "warc": re.compile(rb"\r?\n\r?\n(?=WARC/[01]\.\d+\r?\n)"),
    "arc": re.compile(rb"\n(?=" + _ARC_LINE + rb")"),
}


_SEPARATORS = {"warc": (b"\r\n\r\n", b"\n\n", b"\r\n\n"), "arc": (b"\n",)}


@dataclass(slots=True)
class ArchiveRecord:
    """One record: where it starts, its headers (names lower-cased) and content, or why not.

    ``content`` is the record block, None when it is over the byte limit, or the
    :class:`DocumentError` of a record that cannot be read (``headers`` then may be empty).
    """

    offset: int
    headers: dict[str, str]
    content: bytes | DocumentError | None
    index: int = 0  # its place among the records of one gzip member or zstd frame (0: the first)


class _HeaderTooLong(Exception):
    pass


class _Budgeted:
    """``fh`` for warcio's header parser: lines capped, and at most ``budget`` bytes of them; an
    ARC version 2 first line is given as its version 1 fields (``arc``)."""

    def __init__(self, fh: BinaryIO, budget: int, arc: bool = False):
        self.fh, self.budget, self.arc = fh, budget, arc

    def readline(self, size: int = -1) -> bytes:
        if self.budget <= 0:
            raise _HeaderTooLong
        line = self.fh.readline(min(self.budget, LINE_LIMIT))
        self.budget -= len(line)
        if self.arc:
            self.arc = False
            return as_arc_v1(line)
        return line

    def read(self, size: int = -1) -> bytes:
        return self.fh.read(size)

    def tell(self) -> int:
        return self.fh.tell()


def as_arc_v1(line: bytes) -> bytes:
    """An ARC URL line as version 1 has it (``url ip date mime length``); other lines unchanged.

    >>> as_arc_v1(b"http://a.org/ 192.0.2.1 20240501100000 text/html 200 - - 1234 a.arc 77\\n")
    b'http://a.org/ 192.0.2.1 20240501100000 text/html 77\\n'
    """
    v2 = _ARC_V2.fullmatch(line)
    return v2[1] + b" " + v2[2] if v2 else line


def parse_headers(fh: BinaryIO, fmt: str) -> dict[str, str]:
    """The headers of the record that starts at ``fh``'s position (warcio's parser); ``ValueError``
    when there is none. ARC headers come as their WARC names (``warc-target-uri``, ...)."""
    try:
        record = _LOADER.parse_record_stream(_Budgeted(fh, HEADER_LIMIT, arc=fmt == "arc"), known_format=fmt,
                                             no_record_parse=True)
    except (ArchiveLoadFailed, StatusAndHeadersParserException, EOFError, _HeaderTooLong) as exc:
        raise ValueError(str(exc)[:200] or type(exc).__name__) from None
    headers: dict[str, str] = {}
    for name, value in record.rec_headers.headers:
        headers.setdefault(name.lower(), value)
    if fmt == "arc":
        headers.pop("warc-record-id", None)  # warcio makes a random one up: ARC records have none
        headers["content-length"] = str(record.length)  # less the version block of the file header
    return headers


def _resync(fh: BinaryIO, fmt: str) -> bool:
    """Move ``fh`` to the next line that starts a record; False at the end of the file."""
    start = _STARTS[fmt]
    while True:
        pos = fh.tell()
        line = fh.readline(LINE_LIMIT)
        if not line:
            return False
        if start.match(line):
            fh.seek(pos)
            return True


def _ends_record(fh: BinaryIO, fmt: str) -> bool:
    """True when the end of the file, or line breaks and a record's first line, follow."""
    pos = fh.tell()
    ahead = fh.read(LINE_LIMIT if fmt == "arc" else 16)
    fh.seek(pos)
    rest = ahead.lstrip(b"\r\n")
    if not rest:
        return True
    if fmt == "warc":
        return b"WARC/1.".startswith(rest[:7]) or _STARTS["warc"].match(rest) is not None
    return _STARTS["arc"].match(rest) is not None


def read_records(fh: BinaryIO, base: int | None, max_bytes: int, fmt: str = "warc") -> Iterator[ArchiveRecord]:
    """Every record of an uncompressed archive in ``fh`` (``fmt`` ``warc`` or ``arc``).

    ``base`` is the offset to report for every record (a gzip member's; each record then has
    its ``index`` in the member), else the record's byte offset in ``fh``.
    """
    for index, record in enumerate(_frame_records(fh, base, max_bytes, fmt)):
        if base is not None:
            record.index = index
        yield record


def _frame_records(fh: BinaryIO, base: int | None, max_bytes: int, fmt: str) -> Iterator[ArchiveRecord]:
    while True:
        pos = fh.tell()
        line = fh.readline(LINE_LIMIT)
        if not line:
            return
        if not line.strip():
            continue  # the line breaks that end every record
        offset = pos if base is None else base
        if not _STARTS[fmt].match(line):
            yield ArchiveRecord(offset, {}, DocumentError("corrupt_warc", f"no {fmt.upper()} record at byte {pos}; "
                                                          "skipped to the next"))
            if not _resync(fh, fmt):
                return
            continue
        fh.seek(pos)
        try:
            headers = parse_headers(fh, fmt)
        except ValueError as exc:
            yield ArchiveRecord(offset, {}, DocumentError("corrupt_warc", f"the record at byte {pos}: {exc}"))
            fh.seek(pos + len(line))
            if not _resync(fh, fmt):
                return
            continue
        if not (yield from _read_block(fh, offset, pos, headers, max_bytes, fmt)):
            return


def _read_block(fh: BinaryIO, offset: int, pos: int, headers: dict[str, str], max_bytes: int,
                fmt: str) -> Generator[ArchiveRecord, None, bool]:
    """The block of the record whose headers were just read, ``fh`` left after it; False when
    nothing more can be read."""
    start = fh.tell()
    fh.seek(max(0, start - 3))
    tail = fh.read(start - fh.tell())
    if not (tail.endswith(b"\n") if fmt == "arc" else tail.endswith((b"\n\n", b"\n\r\n"))):
        yield ArchiveRecord(offset, headers, DocumentError("truncated_record",
                                                           f"the record at byte {pos} ends in its headers"))
        return False
    try:
        length = int(headers.get("content-length", ""))
    except ValueError:
        length = -1
    if length < 0:
        given = headers.get("content-length", "")[:40]
        yield ArchiveRecord(offset, headers, DocumentError("corrupt_warc", f"the record at byte {pos} has no valid "
                                                           f"Content-Length ({given!r})"))
        return _resync(fh, fmt)
    if length > max_bytes:
        fh.seek(length, 1)
        yield ArchiveRecord(offset, headers, None)
        return True
    block = fh.read(length)
    if len(block) == length and _ends_record(fh, fmt):
        yield ArchiveRecord(offset, headers, block)
        return True
    # a wrong Content-Length, or the end of the file: the next record starts where its first line does
    ahead = fh.read(LINE_LIMIT)
    ended = len(block) == length and ahead.startswith(_SEPARATORS[fmt])  # junk after a whole record
    found = None if ended else _INSIDE[fmt].search(block + ahead)
    if found is not None:
        block = (block + ahead)[:found.start()]
        fh.seek(start + found.end())
    elif len(block) < length:
        yield ArchiveRecord(offset, headers, DocumentError("truncated_record", f"the record at byte {pos} ends "
                                                           f"early ({len(block)} of {length} bytes)"))
        return False
    elif not ended and len(ahead) < LINE_LIMIT:  # too short, and the file ends soon after: the rest is its
        yield ArchiveRecord(offset, headers, block + ahead.rstrip(b"\r\n"))
        return False
    else:
        fh.seek(start + len(block))
        if not _resync(fh, fmt):
            yield ArchiveRecord(offset, headers, block)
            return False
    yield ArchiveRecord(offset, headers, block)
    return True


def sniff_format(head: bytes, default: str) -> str:
    """``warc`` or ``arc`` from the first bytes of an uncompressed archive, else ``default``.

    >>> arc = b"filedesc://a.arc 0.0.0.0 20240101000000 text/plain 9\\n"
    >>> sniff_format(b"WARC/1.0\\r\\n", "arc"), sniff_format(arc, "warc")
    ('warc', 'arc')
    """
    head = head.lstrip(b"\r\n")
    line = head[:head.find(b"\n") + 1]
    for fmt, start in _STARTS.items():
        if start.match(line):
            return fmt
    return default


def iter_archive(path: str | InputFile, max_bytes: int, max_gz_ratio: int = 100) -> Iterator[ArchiveRecord]:
    """Every record of the archive file at ``path`` (or a listed input, opened under its terms:
    :func:`~cleaner.sources.files.open_input`), compressed (gzip, zstd) or not; WARC or ARC as
    its first record says (else as its name says)."""
    name = path.path if isinstance(path, InputFile) else path
    default = "arc" if ".arc" in name.lower().rsplit("/", 1)[-1] else "warc"
    with (open_input(path) if isinstance(path, InputFile) else open_regular(path)) as raw:
        head = raw.read(4)
        raw.seek(0)
        if head.startswith(GZIP_MAGIC):
            members = iter_members(raw, max_gz_ratio, Gzip)
        elif head == ZSTD_MAGIC or (len(head) == 4 and 0x184D2A50 <= struct.unpack("<I", head)[0] <= 0x184D2A5F):
            dictionary = read_zstd_dictionary(raw)
            members = iter_members(raw, max_gz_ratio, lambda: Zstd(dictionary))
        else:
            members = iter([(None, raw)])
        for start, data in members:
            if isinstance(data, DocumentError):
                yield ArchiveRecord(start, {}, data)
                continue
            fmt = sniff_format(data.read(LINE_LIMIT), default)
            data.seek(0)
            yield from read_records(data, start, max_bytes, fmt)
