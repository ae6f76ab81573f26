"""Show a document with every removal marked, and the rule and reason beside it."""

from __future__ import annotations

from ..document import CleanResult

_STRIKE_OPEN, _STRIKE_CLOSE = "\u27e6", "\u27e7"  # ⟦ ⟧ around inline spans


def score_notes(result: CleanResult, favor: str = "balanced") -> dict[int, str]:
    """For each line HEU010 removed (by 1-based number): its score and strongest features.

    The lines HEU010 judged are the source lines that no other rule or heuristic removed
    whole, in blocks split at blank lines, as the heuristic sees them; the score is that of
    its first round (:mod:`cleaner.lines.explain`).
    """
    from ..lines.body import MODEL_OF_FAVOR, RULE_ID
    from ..lines.explain import explain_lines

    if all(r.rule != RULE_ID for r in result.removals):
        return {}
    text = result.source_text
    mine: set[int] = set()
    other: set[int] = set()
    for r in result.removals:
        first = text.count("\n", 0, r.start) + 1
        (mine if r.rule == RULE_ID else other).update(
            range(first, text.count("\n", 0, max(r.start, r.end - 1)) + 2))
    block, numbers, texts = 0, [], []
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            block += 1
        elif n not in other:
            numbers.append(n)
            texts.append((line.strip(), block))
    scored = explain_lines(texts, MODEL_OF_FAVOR[favor])
    return {n: s.describe() for n, s in zip(numbers, scored) if n in mine}


def render_explanation(result: CleanResult, *, width: int = 100, notes: dict[int, str] | None = None) -> str:
    """Every source line with a gutter: ``-`` removed, ``~`` span stripped, blank kept.

    ``notes``: more to say about a removed line, by its number (:func:`score_notes`).
    """
    extra = notes or {}
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
            if note and n in extra:
                note += f" ({extra[n]})"
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


def explain_record(cleaner, path: str, fmt: str, *, line: int | None, ident: str | None,
                   url: str | None) -> CleanResult:
    """Clean the one record of a JSONL or WARC file that ``line`` or ``ident`` picks.

    JSONL: the record on line ``line``, or whose id field is ``ident`` (default: the first).
    WARC: the ``line``-th HTML page, or the one whose WARC-Record-ID is ``ident`` (default: the first).
    """
    import json

    from ..errors import ConfigError, DocumentError
    from ..sinks.records import id_text

    cfg = cleaner.config
    if fmt == "jsonl":
        from ..sources.files import iter_jsonl_lines

        for number, raw, size in iter_jsonl_lines(path, cfg.max_bytes, cfg.max_gz_ratio):
            if line is not None and number != line:
                continue
            if raw is None:
                raise DocumentError("too_large", f"line {number}: {size} bytes > --max-bytes {cfg.max_bytes}")
            try:
                record = json.loads(raw)
            except ValueError as exc:
                if ident is None:
                    raise DocumentError("bad_json", f"line {number}: {exc}") from None
                continue
            if not isinstance(record, dict):
                if ident is None:
                    raise DocumentError("not_an_object", f"line {number}: a JSON {type(record).__name__}")
                continue
            if ident is not None and (cfg.id_field not in record or id_text(record[cfg.id_field]) != ident):
                continue
            if url and not record.get(cfg.url_field):
                record[cfg.url_field] = url
            return cleaner.clean_record(record)
        raise ConfigError(f"{path}: no record " + (f"on line {line}" if line else f"with {cfg.id_field} {ident!r}"
                                                   if ident else "in the file"))
    from ..sources.warc import iter_pages

    for n, page in enumerate(iter_pages(path, cfg.max_bytes), start=1):
        if (line is not None and n != line) or (ident is not None and page.record_id != ident):
            continue
        if page.payload is None:
            raise DocumentError(page.reason, page.detail)
        return cleaner.clean_html(page.payload, url=url or page.uri)
    raise ConfigError(f"{path}: no HTML page " + (f"number {line}" if line else f"with WARC-Record-ID {ident!r}"
                                                  if ident else "in the file"))
