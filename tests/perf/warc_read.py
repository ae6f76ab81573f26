"""How fast web archives are read: cleaner's WARC reader beside the bare libraries' ArchiveIterator.

    python tests/perf/warc_read.py            # every page of ../shared/bench, .warc and .warc.gz

Builds, in a temporary directory, a WARC of every HTML page of ``../shared/bench`` (a request
and a response record per page; a quarter of the bodies gzip-encoded, a third chunked) and
the same as ``.warc.gz`` (one member per record), then reads each with
:func:`cleaner.sources.warc.iter_pages` (every HTML page decoded, as ``run`` reads them) and
with warcio's and FastWARC's ArchiveIterator (response records, payload read; FastWARC is
used when installed). Prints records read and CPU seconds; the record counts must agree.
Not collected by pytest.
"""

from __future__ import annotations

import glob
import gzip
import resource
import sys
import tempfile
from pathlib import Path

from cleaner.sources.warc import iter_pages

BENCH = Path(__file__).resolve().parents[3] / "shared" / "bench"


def _record(kind: str, n: int, block: bytes, uri: str, ctype: str) -> bytes:
    head = [b"WARC/1.0", f"WARC-Type: {kind}".encode(), f"WARC-Record-ID: <urn:uuid:{n:08d}-0000-0000-0000-000000000000>".encode(),
            b"WARC-Date: 2024-05-01T10:00:00Z", f"WARC-Target-URI: {uri}".encode(), f"Content-Type: {ctype}".encode(),
            f"Content-Length: {len(block)}".encode()]
    return b"\r\n".join(head) + b"\r\n\r\n" + block + b"\r\n\r\n"


def _chunked(body: bytes) -> bytes:
    parts = [body[i:i + 4096] for i in range(0, len(body), 4096)]
    return b"".join(f"{len(p):x}\r\n".encode() + p + b"\r\n" for p in parts) + b"0\r\n\r\n"


def build_warc(directory: Path) -> tuple[Path, Path, int]:
    """(the .warc, the .warc.gz, how many pages) built from the bench pages."""
    records = []
    pages = sorted(glob.glob(str(BENCH / "*" / "html" / "*.html.gz")))
    for i, name in enumerate(pages):
        body, extra, uri = gzip.decompress(Path(name).read_bytes()), b"", f"https://bench.example/{i}"
        if i % 4 == 1:
            body, extra = gzip.compress(body, mtime=0), extra + b"Content-Encoding: gzip\r\n"
        if i % 3 == 2:
            body, extra = _chunked(body), extra + b"Transfer-Encoding: chunked\r\n"
        else:
            extra += f"Content-Length: {len(body)}\r\n".encode()
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n" + extra + b"\r\n" + body
        records.append(_record("request", 2 * i, f"GET /{i} HTTP/1.1\r\n\r\n".encode(), uri,
                               "application/http; msgtype=request"))
        records.append(_record("response", 2 * i + 1, http, uri, "application/http; msgtype=response"))
    plain, packed = directory / "bench.warc", directory / "bench.warc.gz"
    plain.write_bytes(b"".join(records))
    packed.write_bytes(b"".join(gzip.compress(r, 6, mtime=0) for r in records))
    return plain, packed, len(pages)


def _cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def read_cleaner(path: Path) -> int:
    return sum(1 for page in iter_pages(str(path), 64 << 20) if page.payload is not None)


def read_warcio(path: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as fh:
        return sum(1 for rec in ArchiveIterator(fh) if rec.rec_type == "response" and rec.content_stream().read() is not None)


def read_fastwarc(path: Path) -> int:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    with open(path, "rb") as fh:  # auto_decode="all" loses the records after a chunked gzip body (2.0.0)
        return sum(1 for rec in ArchiveIterator(fh, record_types=WarcRecordType.response, auto_decode="transfer")
                   if rec.reader.read() is not None)


def main() -> int:
    readers = [("cleaner iter_pages", read_cleaner), ("warcio ArchiveIterator", read_warcio)]
    try:
        import fastwarc  # noqa: F401

        readers.append(("FastWARC ArchiveIterator", read_fastwarc))
    except ImportError:
        pass
    with tempfile.TemporaryDirectory() as tmp:
        plain, packed, n = build_warc(Path(tmp))
        print(f"{n} pages; {plain.stat().st_size / 1e6:.0f} MB .warc, {packed.stat().st_size / 1e6:.0f} MB .warc.gz")
        for path in (plain, packed):
            for name, read in readers:
                before = _cpu()
                count = read(path)
                print(f"{path.name:14} {name:26} {count:6} records {_cpu() - before:6.2f} CPU s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
