"""Compose two removal logs: a second cleaning pass expressed in the first pass's source.

Cleaning is repeated until nothing more is removed (:meth:`Cleaner.clean_document`), so
that cleaning clean text removes nothing. The second pass's removals index into the first
pass's *output*; :func:`compose_removals` maps them back onto the original source text so
that one log still replays the original to the final output.

>>> from cleaner.document import Removal
>>> first = [Removal("A", "a", 1, 0, 5, "junk")]                 # "junk keep drop" -> "keep drop"
>>> second = [Removal("B", "b", 1, 4, 9, "drop")]                # "keep drop" -> "keep"
>>> [(r.rule, r.start, r.end) for r in compose_removals("junk keep drop", first, second)]
[('A', 0, 5), ('B', 9, 14)]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from .apply import excerpt
from .document import Removal


def _kept_segments(source: str, removals: list[Removal]) -> list[tuple[int, int, int]]:
    """(source start, source end, output start) of each stretch of ``source`` that was kept."""
    segments, pos, out = [], 0, 0
    for r in sorted(removals, key=lambda r: r.start):
        if r.start > pos:
            segments.append((pos, r.start, out))
            out += r.start - pos
        pos = max(pos, r.end)
    if pos < len(source):
        segments.append((pos, len(source), out))
    return segments


def _piece(source: str, newlines: list[int], rule: str, reason: str, start: int, end: int) -> Removal:
    """A removal of ``source[start:end]`` with its line number and line count."""
    body = source[start:end]
    first_char = start + (len(body) - len(body.lstrip()) if body.strip() else 0)
    line = bisect_left(newlines, first_char) + 1
    count = sum(1 for chunk in body.split("\n") if chunk.strip()) or 1
    return Removal(rule, reason, line, start, end, excerpt(body), lines=count)


def compose_removals(source: str, first: list[Removal], second: list[Removal]) -> list[Removal]:
    """One log, in ``source`` offsets, doing ``first`` and then ``second`` (sorted by start).

    A second-pass removal that spans text the first pass already removed is split around it,
    so no two removals overlap and :func:`cleaner.apply.replay` still gives the output.
    """
    if not second:
        return sorted(first, key=lambda r: r.start)
    segments = _kept_segments(source, first)
    starts = [seg[2] for seg in segments]
    newlines = [m.start() for m in re.finditer("\n", source)]
    out = list(first)
    for r in second:
        i = max(0, bisect_right(starts, r.start) - 1)
        while i < len(segments):
            src_start, src_end, out_start = segments[i]
            out_end = out_start + (src_end - src_start)
            if out_start >= r.end:
                break
            lo, hi = max(r.start, out_start), min(r.end, out_end)
            if hi > lo:
                a = src_start + (lo - out_start)
                out.append(_piece(source, newlines, r.rule, r.reason, a, a + (hi - lo)))
            i += 1
    return sorted(out, key=lambda r: r.start)
