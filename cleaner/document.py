"""The one document type that travels the whole pipeline, and its marks and removals.

A :class:`Document` holds ``text``: the exact string that marks index into (the decoded
input for plain text, the extracted main text for HTML). Rules and heuristics only add
:class:`Mark` objects; :mod:`cleaner.apply` turns marks into the clean text and the list
of :class:`Removal` objects, the audit trail that replays to the output.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

# Actions a mark can carry.
DROP_LINE = "drop_line"
STRIP_SPAN = "strip_span"
DROP_TO_END = "drop_to_end"
DROP_SECTION = "drop_section"
DROP_DOCUMENT = "drop_document"
ACTIONS = (DROP_LINE, STRIP_SPAN, DROP_TO_END, DROP_SECTION, DROP_DOCUMENT)


@dataclass(slots=True)
class Line:
    """One line of ``Document.text``: ``start``/``end`` exclude the newline."""

    number: int  # 1-based
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass(slots=True)
class Mark:
    """A span a rule or heuristic wants removed; nothing is removed until apply."""

    start: int
    end: int
    rule: str
    reason: str
    whole_line: bool = False


@dataclass(slots=True)
class Removal:
    """One recorded removal: a span of the source text, who removed it and why."""

    rule: str
    reason: str
    line: int
    start: int
    end: int
    excerpt: str
    lines: int = 1

    @property
    def chars(self) -> int:
        return self.end - self.start

    def as_dict(self, compact: bool = False) -> dict[str, Any]:
        """The removal as a record writes it; ``compact``: no excerpt and no character count."""
        if compact:
            if self.lines > 1:
                return {"rule": self.rule, "reason": self.reason, "line": self.line, "lines": self.lines,
                        "start": self.start, "end": self.end}
            return {"rule": self.rule, "reason": self.reason, "line": self.line, "start": self.start,
                    "end": self.end}
        if self.lines > 1:
            return {"rule": self.rule, "reason": self.reason, "line": self.line, "lines": self.lines,
                    "start": self.start, "end": self.end, "chars": self.end - self.start,
                    "excerpt": self.excerpt}
        return {"rule": self.rule, "reason": self.reason, "line": self.line, "start": self.start,
                "end": self.end, "chars": self.end - self.start, "excerpt": self.excerpt}


def split_lines(text: str) -> list[Line]:
    """Split ``text`` on ``\\n`` into :class:`Line` objects with offsets."""
    lines: list[Line] = []
    pos = 0
    for number, chunk in enumerate(text.split("\n"), start=1):
        lines.append(Line(number, pos, pos + len(chunk), chunk))
        pos += len(chunk) + 1
    if lines and not lines[-1].text and len(lines) > 1:
        lines.pop()  # the empty piece after a final newline is not a line
    return lines


@dataclass(slots=True)
class Document:
    """A document on its way through cleaner."""

    text: str
    format: str = "text"  # text | html | jsonl-text | jsonl-html
    url: str | None = None
    domain: str | None = None
    site: str | None = None  # the key learned rules are scoped by (cleaner.sources.sites.site_key)
    metadata: dict[str, Any] = field(default_factory=dict)
    marks: list[Mark] = field(default_factory=list)
    drop_reason: str | None = None  # set by a drop_document rule: "RULEID"
    link_keys: frozenset = frozenset()  # HTML: title_key of the page's link texts (HEU021)
    discussion: bool = False  # HTML: the page declares itself a discussion; its replies are content
    _lines: list[Line] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def lines(self) -> list[Line]:
        """The lines of ``text`` (split when first asked for: the compiled core splits its own)."""
        if self._lines is None:
            self._lines = split_lines(self.text)
        return self._lines

    def mark_line(self, line: Line, rule: str, reason: str) -> None:
        """Mark a whole line for removal."""
        self.marks.append(Mark(line.start, line.end, rule, reason, True))

    def mark_span(self, start: int, end: int, rule: str, reason: str) -> None:
        """Mark an inline span for removal."""
        if end > start:
            self.marks.append(Mark(start, end, rule, reason))

    def mark_lines(self, first: int, last: int, rule: str, reason: str) -> None:
        """Mark lines ``first``..``last`` (0-based, inclusive) whole."""
        self.marks.append(
            Mark(self.lines[first].start, self.lines[last].end, rule, reason, whole_line=True)
        )

    def marked_lines(self) -> set[int]:
        """Indexes (0-based) of lines covered by a whole-line mark."""
        starts = [ln.start for ln in self.lines]
        out: set[int] = set()
        for m in self.marks:
            if m.whole_line:
                i = bisect_left(starts, m.start)
                while i < len(starts) and starts[i] <= m.end:
                    out.add(i)
                    i += 1
        return out


class CleanResult:
    """The clean text of one document, what was removed from it, and what is known about it.

    ``source_text`` is the text the removals index into (the decoded input, or the main text
    extracted from HTML): deleting every removal span from it gives ``text``.
    ``rejected`` is a short reason when the document should not be kept
    (``empty_after_cleaning``, ``dropped_by_rule``), else None.

    ``table`` (optional): the removals as columns, as the compiled core gives them
    (:class:`cleaner.heuristics.textcore.RemovalTable`); ``removals`` is then made from it when
    first asked for (and the table is then dropped, so that an edit of the list is what a record
    writer sees), and a record writer can take its JSON from the table without one object per
    removal.
    """

    __slots__ = ("text", "source_text", "_removals", "metadata", "rejected", "detail", "table")

    def __init__(self, text: str, source_text: str, removals: list[Removal] | None = None,
                 metadata: dict[str, Any] | None = None, rejected: str | None = None, detail: str = "",
                 table: Any = None):
        self.text = text
        self.source_text = source_text
        self._removals = removals if removals is not None or table is not None else []
        self.metadata = metadata if metadata is not None else {}
        self.rejected = rejected
        self.detail = detail
        self.table = table

    @property
    def removals(self) -> list[Removal]:
        if self._removals is None:
            # from now on the list is the removals (a caller may edit it): the table is dropped
            self._removals, self.table = list(self.table), None
        return self._removals

    @removals.setter
    def removals(self, value: list[Removal]) -> None:
        self._removals, self.table = value, None

    @property
    def chars_removed(self) -> int:
        if self._removals is None:
            return self.table.chars_removed()
        return sum(r.chars for r in self._removals)

    def _key(self) -> tuple:
        return (self.text, self.source_text, self.removals, self.metadata, self.rejected, self.detail)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # mutable, as the dataclass it was

    def __repr__(self) -> str:
        return (f"CleanResult(text={self.text!r}, source_text={self.source_text!r}, removals={self.removals!r}, "
                f"metadata={self.metadata!r}, rejected={self.rejected!r}, detail={self.detail!r})")
