"""Byte ranges of a big plain JSONL file, cut at line boundaries, each with the number of its
first line.

A range read alone (:func:`cleaner.sources.files.iter_jsonl_lines` with the file's ``span``)
gives the documents of the file read whole, with the same line numbers and so the same ids:
finding the cuts reads the file once, counting newlines, which is what a task starting in the
middle of a file could not know without reading what comes before.
"""

from __future__ import annotations

from .files import InputFile, Span, open_input

_CHUNK = 1 << 20


def split_lines(item: InputFile, size: int, parts: int) -> list[Span]:
    """The ``size`` bytes of ``item`` as at most ``parts`` consecutive ranges of about equal size,
    each starting a line (fewer when its lines are longer than a range).

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "a.jsonl")
    >>> _ = open(path, "wb").write(b"one\\ntwo\\n\\nthree\\nfour")
    >>> split_lines(InputFile(path, "a.jsonl", "jsonl"), 19, 3)
    [Span(start=0, end=8, line=1), Span(start=8, end=15, line=3), Span(start=15, end=19, line=5)]
    """
    if parts <= 1 or size <= 0:
        return [Span(0, size, 1)]
    with open_input(item) as fh:
        cuts: list[int] = []
        for k in range(1, parts):
            cut = _line_start_at(fh, max(1, k * size // parts))
            if cut is not None and cut < size and (not cuts or cut > cuts[-1]):
                cuts.append(cut)
        lines = _newlines_before(fh, cuts)
    starts, ends = [0, *cuts], [*cuts, size]
    return [Span(s, e, n + 1) for s, e, n in zip(starts, ends, [0, *lines])]


def _line_start_at(fh, pos: int) -> int | None:
    """The first line start at or after ``pos`` (>= 1): the byte after a newline; None if none."""
    fh.seek(pos - 1)
    offset = pos - 1
    while chunk := fh.read(1 << 16):
        found = chunk.find(b"\n")
        if found >= 0:
            return offset + found + 1
        offset += len(chunk)
    return None


def _newlines_before(fh, cuts: list[int]) -> list[int]:
    """How many newlines come before each of the increasing offsets ``cuts``."""
    fh.seek(0)
    counts, pos, seen = [], 0, 0
    for cut in cuts:
        while pos < cut and (chunk := fh.read(min(_CHUNK, cut - pos))):
            seen += chunk.count(b"\n")
            pos += len(chunk)
        counts.append(seen)
    return counts
