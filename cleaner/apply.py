"""The one place that removes text: marks in, clean text and the audit trail out.

Every removal is a span ``[start, end)`` of the document's source text with the rule that
asked for it. Deleting those spans from the source text gives the clean text exactly:
:func:`replay` does it, and :func:`apply_marks` builds its output with :func:`replay`, so
the invariant holds by construction (and a test checks it anyway).

Blank lines: when a line is dropped, the blank lines around it that would otherwise pile
up into a double gap are removed with it (and recorded in the same removal).

A run of adjacent lines dropped by the same rule for the same reason is one removal (its
``line`` is the first, ``lines`` counts them): a 40-line menu is one entry of the log, and a
document of a million repeated lines does not write a million entries.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from .document import Document, Mark, Removal

_EXCERPT = 100


def excerpt(text: str) -> str:
    """A short single-line excerpt of removed text."""
    flat = " ".join(text.split())
    return flat if len(flat) <= _EXCERPT else flat[: _EXCERPT - 1] + "\u2026"


def replay(source: str, removals: list[Removal] | list[dict]) -> str:
    """Delete the removal spans from ``source``: the clean text.

    >>> replay("keep junk keep", [{"start": 4, "end": 9}])
    'keep keep'
    """
    spans = sorted((r["start"], r["end"]) if isinstance(r, dict) else (r.start, r.end) for r in removals)
    out, pos = [], 0
    for start, end in spans:
        if start < pos:
            raise ValueError(f"overlapping removals at {start}")
        out.append(source[pos:start])
        pos = end
    out.append(source[pos:])
    return "".join(out)


def _line_owners(doc: Document) -> list[Mark | None]:
    """For each line, the first whole-line mark that covers it."""
    owners: list[Mark | None] = [None] * len(doc.lines)
    starts = [ln.start for ln in doc.lines]
    for mark in doc.marks:
        if not mark.whole_line:
            continue
        i = bisect_left(starts, mark.start)
        while i < len(starts) and starts[i] <= mark.end:
            if owners[i] is None and doc.lines[i].end <= mark.end:
                owners[i] = mark
            i += 1
    return owners


def _spans_by_line(doc: Document, owners: list[Mark | None]) -> dict[int, list[Mark]]:
    """Inline marks of kept lines, merged so that none overlap (first mark wins)."""
    starts = [ln.start for ln in doc.lines]
    per_line: dict[int, list[Mark]] = {}
    for mark in doc.marks:
        if mark.whole_line:
            continue
        i = bisect_right(starts, mark.start) - 1
        if i < 0 or owners[i] is not None:
            continue
        ln = doc.lines[i]
        start, end = max(mark.start, ln.start), min(mark.end, ln.end)
        if end > start:
            per_line.setdefault(i, []).append(Mark(start, end, mark.rule, mark.reason))
    for i, marks in per_line.items():
        marks.sort(key=lambda m: (m.start, -m.end))
        merged: list[Mark] = []
        for m in marks:
            if merged and m.start < merged[-1].end:
                if m.end > merged[-1].end:
                    merged[-1] = Mark(merged[-1].start, m.end, merged[-1].rule, merged[-1].reason)
            else:
                merged.append(m)
        per_line[i] = merged
    return per_line


def _leaves_nothing(line_text: str, line_start: int, spans: list[Mark]) -> bool:
    """True when removing ``spans`` from the line leaves no letter or digit."""
    rest, pos = [], 0
    for m in spans:
        rest.append(line_text[pos:m.start - line_start])
        pos = m.end - line_start
    rest.append(line_text[pos:])
    return not any(ch.isalnum() for ch in "".join(rest))


def _absorb_blanks(owners: list[Mark | None], blank: list[bool], kept: list[bool]) -> None:
    """Give blank lines left around dropped lines to a neighbouring removal.

    In a gap between two kept lines that lost a line, the first run of blank lines stays
    (one paragraph break); the other blanks go. At the start or end of the text they all go.
    """
    n = len(owners)
    i = 0
    while i < n:
        if kept[i]:
            i += 1
            continue
        j = i
        while j < n and not kept[j]:
            j += 1
        gap = range(i, j)
        dropped = [k for k in gap if owners[k] is not None][:1]
        if dropped:
            spared: set[int] = set()
            if i > 0 and j < n:
                k = next((k for k in gap if blank[k]), None)
                while k is not None and k < j and blank[k]:
                    spared.add(k)
                    k += 1
            last = None
            for k in gap:
                if owners[k] is not None:
                    last = owners[k]
                elif blank[k] and k not in spared:
                    owners[k] = last or owners[dropped[0]]
        i = j


def _same(mark: Mark | None, owner: Mark) -> bool:
    """Whether a line's owner continues ``owner``'s removal: the same rule for the same reason."""
    return mark is owner or (mark is not None and mark.rule == owner.rule and mark.reason == owner.reason)


def apply_marks(doc: Document) -> tuple[str, list[Removal]]:
    """Remove every marked span of ``doc``; return the clean text and the removals."""
    lines, text = doc.lines, doc.text
    owners = _line_owners(doc)
    spans = _spans_by_line(doc, owners)
    for i, marks in list(spans.items()):
        if _leaves_nothing(lines[i].text, lines[i].start, marks):
            first = marks[0]
            owners[i] = Mark(lines[i].start, lines[i].end, first.rule, first.reason, whole_line=True)
            del spans[i]
    empty = [not ln.text or ln.text.isspace() for ln in lines]  # = Line.blank
    blank = [e and o is None for e, o in zip(empty, owners)]
    kept = [o is None and not b for o, b in zip(owners, blank)]
    _absorb_blanks(owners, blank, kept)

    removals: list[Removal] = []
    last, size = len(lines), len(text)
    i = 0
    while i < last:
        owner = owners[i]
        if owner is None:
            for m in spans.get(i, ()):
                removals.append(Removal(m.rule, m.reason, lines[i].number, m.start, m.end,
                                        excerpt(text[m.start:m.end])))
            i += 1
            continue
        j = i
        while j + 1 < last and _same(owners[j + 1], owner):
            j += 1
        start = lines[i].start
        end = lines[j].end + 1
        if end > size:
            end = size
        if i == j:  # one line (most removals)
            removals.append(Removal(owner.rule, owner.reason, lines[i].number, start, end,
                                    excerpt(text[start:end]), 1))
        else:
            body = [k for k in range(i, j + 1) if not empty[k]]
            removals.append(Removal(owner.rule, owner.reason, lines[body[0] if body else i].number,
                                    start, end, excerpt(text[start:end]), len(body) or 1))
        i = j + 1
    return replay(text, removals), removals
