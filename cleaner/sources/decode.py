"""Bytes to text: sniff binaries, detect the charset, decode, and say what it cost.

Order, as browsers do: a byte-order mark wins; then the charset of the HTTP header (a WARC
response's ``Content-Type``, a record's ``content_type`` or ``headers``); then one declared in
an HTML ``<meta>``; then charset-normalizer's guess. One exception: bytes that are valid
UTF-8 (and not plain ASCII, which every declaration reads alike) are read as UTF-8 whatever
is declared: a legacy-encoded page is practically never valid UTF-8, while a server's default
``charset=ISO-8859-1`` on a UTF-8 page is common. Only bytes that cannot be decoded are
replaced (U+FFFD), and their number is recorded. Newlines are normalised to ``\\n`` and
control characters (NUL and friends, which make lxml raise) are dropped and counted.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import regex

from ..errors import DocumentError

_MAGIC = (
    (b"\x89PNG", "png image"), (b"GIF8", "gif image"), (b"\xff\xd8\xff", "jpeg image"),
    (b"%PDF", "pdf"), (b"PK\x03\x04", "zip archive"), (b"\x7fELF", "executable"),
    (b"MZ", "executable"), (b"\x1f\x8b", "gzip data"), (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ", "xz data"), (b"(\xb5/\xfd", "zstd data"), (b"RIFF", "media file"),
    (b"\x00\x00\x01\x00", "icon"), (b"OggS", "media file"), (b"ID3", "mp3 audio"),
    (b"\xca\xfe\xba\xbe", "executable"), (b"wOFF", "font"), (b"wOF2", "font"),
    (b"SQLite format 3", "database"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = regex.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]{2,40})""", regex.IGNORECASE
)
# C0 controls but tab and newline, DEL, and C1 controls (the re module scans a plain
# character class over a whole page several times faster than regex does)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
# The same characters in UTF-8 bytes: the C0 ones and DEL are single bytes, deleted in one C
# pass to see whether any is there; the C1 ones are \xc2\x80 to \xc2\x9f. Several times
# faster than the scan of the decoded page, which is then skipped when neither is found.
_C0_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
_MAX_REPLACED_SHARE = 0.25


@dataclass(slots=True)
class Decoded:
    """Text decoded from bytes, with how."""

    text: str
    encoding: str
    replaced: int = 0  # undecodable bytes replaced by U+FFFD
    controls: int = 0  # control characters dropped


def sniff_binary(data: bytes) -> str | None:
    """A short description if ``data`` is a binary format, else None."""
    head = data[:16]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            if what == "executable" and magic == b"MZ" and b"\x00" not in data[:512]:
                continue  # plain text that happens to start with "MZ"
            return what
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """Guess UTF-16 without a BOM from the pattern of zero bytes in ASCII-heavy text."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    zeros_even = even.count(0) / max(1, len(even))
    zeros_odd = odd.count(0) / max(1, len(odd))
    if zeros_odd > 0.4 and zeros_even < 0.05:
        return "utf-16-le"
    if zeros_even > 0.4 and zeros_odd < 0.05:
        return "utf-16-be"
    return None


def _declared(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    return codec_of(m.group(1).decode("ascii", "replace")) if m else None


def codec_of(name: str | None) -> str | None:
    """Python's codec for a declared charset name, or None for one it does not know.

    >>> codec_of("ISO-8859-1"), codec_of("Shift_JIS"), codec_of("x-unknown")
    ('cp1252', 'shift_jis', None)
    """
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("\"'").lower()).name
    except LookupError:
        return None
    # Pages that declare latin-1 are nearly always cp1252 (the WHATWG rule).
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_:.\-]{2,40})""", re.IGNORECASE)


def charset_of(content_type: str | None) -> str | None:
    """The charset an HTTP ``Content-Type`` value names, or None.

    >>> charset_of("text/html; charset=windows-1251"), charset_of("text/html")
    ('windows-1251', None)
    """
    m = _HEADER_CHARSET.search(content_type or "")
    return m.group(1) if m else None


def _guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    matches = from_bytes(data[:200_000])
    best = matches.best()
    if best is None:
        return None
    # Single-byte code pages often tie on short texts; the web's default (cp1252) breaks the tie.
    tied = [m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    return "cp1252" if "cp1252" in tied else best.encoding


def decode_bytes(data: bytes, *, html: bool = False, charset: str | None = None) -> Decoded:
    """Decode ``data`` to text, or raise :class:`DocumentError` with the reason.

    ``charset`` is the one the HTTP header declared (a WARC response, a record's headers).
    """
    if not data or data.isspace():  # (no stripped copy of the page is made to find out)
        raise DocumentError("empty", "no text in the document")
    binary = sniff_binary(data)
    if binary:
        raise DocumentError("binary_content", binary)
    encoding = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding, data = name, data[len(bom):]
            break
    if encoding is None:
        encoding = _utf16_without_bom(data[:4096])
    if encoding is None:
        if b"\x00" in data[:8192] and data[:8192].count(b"\x00") > len(data[:8192]) // 10:
            raise DocumentError("binary_content", "many NUL bytes")
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
            if len(data.translate(None, _C0_BYTES)) == len(data) and _C1_UTF8.search(data) is None:
                return finish_text(text, encoding, 0, check_controls=False)
        except UnicodeDecodeError:
            encoding = codec_of(charset) or (_declared(data) if html else None) or _guess(data) or "cp1252"
            if encoding.replace("_", "-").lower() in ("utf-8", "utf8"):
                encoding = _guess(data) or "cp1252"
            text = None
    else:
        text = None
    replaced = 0
    if text is None:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            try:
                text = data.decode(encoding, errors="replace")
            except LookupError:
                encoding = "utf-8"
                text = data.decode(encoding, errors="replace")
            replaced = text.count("\ufffd") - data.count("\xef\xbf\xbd".encode("latin-1"))
            replaced = max(replaced, 0)
    if replaced and replaced > _MAX_REPLACED_SHARE * max(1, len(text)):
        raise DocumentError("undecodable", f"{replaced} of {len(text)} characters undecodable as {encoding}")
    return finish_text(text, encoding, replaced)


def finish_text(text: str, encoding: str = "utf-8", replaced: int = 0, *,
                check_controls: bool = True) -> Decoded:
    """Normalise newlines and drop control characters of already-decoded text
    (``check_controls=False``: the caller knows there are none)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = 0
    if check_controls and CONTROL.search(text):
        text, controls = CONTROL.subn("", text)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text or text.isspace():
        raise DocumentError("empty", "only whitespace or control characters")
    return Decoded(text, encoding, replaced, controls)
