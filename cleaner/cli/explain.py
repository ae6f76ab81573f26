"""Show a document with every removal marked, and the rule and reason beside it."""

from __future__ import annotations

from ..document import CleanResult

_STRIKE_OPEN, _STRIKE_CLOSE = "\u27e6", "\u27e7"  # ⟦ ⟧ around inline spans


def render_explanation(result: CleanResult, *, width: int = 100) -> str:
    """Every source line with a gutter: ``-`` removed, ``~`` span stripped, blank kept."""
    text = result.source_text
    by_line: dict[int, list] = {}
    removed_lines: dict[int, object] = {}
    for r in result.removals:
        first = text.count("\n", 0, r.start) + 1
        last = text.count("\n", 0, max(r.start, r.end - 1)) + 1
        whole = (r.start == 0 or text[r.start - 1] == "\n") and (r.end == len(text) or text[r.end - 1] == "\n")
        if whole:
            for n in range(first, last + 1):
                removed_lines[n] = r
        else:
            by_line.setdefault(first, []).append(r)
    out = []
    pos = 0
    pieces_of_text = text.split("\n")
    if text.endswith("\n"):
        pieces_of_text.pop()
    for n, line in enumerate(pieces_of_text, start=1):
        start = pos
        pos += len(line) + 1
        if n in removed_lines:
            r = removed_lines[n]
            note = f"{r.rule} {r.reason}" if line.strip() else ""
            shown = line if len(line) <= width else line[: width - 1] + "\u2026"
            out.append(f"- {n:>4} | {shown}" + (f"    <- {note}" if note else ""))
        elif n in by_line:
            spans = sorted(by_line[n], key=lambda r: r.start)
            pieces, cur = [], start
            for r in spans:
                pieces.append(text[cur:r.start] + _STRIKE_OPEN + text[r.start:r.end] + _STRIKE_CLOSE)
                cur = r.end
            pieces.append(text[cur:start + len(line)])
            notes = "; ".join(f"{r.rule} {r.reason}" for r in spans)
            out.append(f"~ {n:>4} | {''.join(pieces)}    <- {notes}")
        else:
            out.append(f"  {n:>4} | {line}")
    kept = len(result.text)
    out.append(f"\n{len(result.removals)} removals, {result.chars_removed} of {len(text)} characters; "
               f"{kept} characters kept" + (f"; document rejected: {result.rejected}" if result.rejected else ""))
    return "\n".join(out)
