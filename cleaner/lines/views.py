"""The line model: the non-blank lines of a document as rules and heuristics see them.

A :class:`LineView` is one non-blank line with its place (index, offset, rank from the head
and the tail), its word count and its folded key. Views are built once per cleaning pass,
column by column, and shared by the rule engine and every heuristic.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..document import Document, Line
from .normalize import _SPLIT_ONLY, line_key

_PROSE_END = (".", "!", "?", ".\"", ".'", ".”", "!”", "?”", ".)")


@dataclass(slots=True)
class LineView:
    """What the engine knows about one non-blank line while matching."""

    index: int  # index into Document.lines
    line: Line
    text: str  # stripped
    offset: int  # offset of ``text`` in Document.text
    words: int
    key: str
    head: int  # 0-based rank among non-blank lines
    tail: int  # 0-based rank from the end among non-blank lines


def line_views(doc: Document, memo: dict | None = None) -> list[LineView]:
    """The non-blank lines of ``doc`` with their positions and keys (``memo``: see tag)."""
    rows = [ln for ln in doc.lines if ln.text and not ln.text.isspace()]
    raws = [ln.text for ln in rows]
    texts = list(map(str.strip, raws))
    known = list(map(memo.get, texts)) if memo is not None else [None] * len(texts)
    if None in known:
        # an ASCII line's key is its words joined and lower-cased (line_key), unless the
        # document holds the separators str.split() alone splits on
        plain = _SPLIT_ONLY.search(doc.text) is None
        for i, text in enumerate(texts):
            if known[i] is None:
                if plain and text.isascii():
                    parts = text.split()
                    got = (len(parts), " ".join(parts).lower())
                else:
                    got = (len(text.split()), line_key(text))
                known[i] = got
                if memo is not None:
                    memo[text] = got
    # built column by column and handed to LineView by map: no per-line loop in Python
    offsets = [ln.start if len(t) == len(r) else ln.start + len(r) - len(r.lstrip())
               for ln, r, t in zip(rows, raws, texts)]
    last = len(rows) - 1
    return list(map(LineView, [ln.number - 1 for ln in rows], rows, texts, offsets,
                    [k[0] for k in known], [k[1] for k in known], range(last + 1), range(last, -1, -1)))


def looks_like_prose(view: LineView) -> bool:
    """A line that reads as a sentence of running text, not a link or a label."""
    return view.words > 25 or (view.words >= 10 and view.text.endswith(_PROSE_END))
