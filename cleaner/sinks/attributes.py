"""Dolma attribute files: what cleaner would remove, as tagged spans, beside untouched documents.

``cleaner run --attributes DIR`` is the tag-only mode: the documents are written with their
source text (the decoded input, or the main text extracted from HTML) left as it is, and
for each output file ``DIR`` gets a file of the same name, line for line, in Dolma's
attribute format::

    {"id": "...", "source": "...", "attributes": {"cleaner__boilerplate__PROMO001": [[start, end, 1.0]], ...}}

One key per rule or heuristic that fired (spans are character offsets into ``text``, sorted,
never overlapping; score 1.0: rules and heuristics decide, they do not grade). A document
that cleaning would reject whole (``empty_after_cleaning``, ``dropped_by_rule``) is written
too, with ``cleaner__boilerplate__rejected__<reason>`` spanning the whole text: with
Dolma's mixer, ``exclude`` drops those documents and ``span_replacement`` with ``""`` on
the other keys gives cleaner's output text. Written from the output records after the run
(one pass over them), so the two can never disagree.
"""

from __future__ import annotations

import json
import os

from ..sources.files import iter_jsonl_lines
from .jsonl import FileSink, shard_name
from .records import dumps, provenance_of

PREFIX = "cleaner__boilerplate__"
REJECTED = PREFIX + "rejected__"


def record_attributes(record: dict) -> dict:
    """The Dolma attribute line of one output record of a tag-only run."""
    spans: dict[str, list[list]] = {}
    meta = provenance_of(record.get("metadata") or {})
    for removal in meta.get("removed", ()):
        spans.setdefault(PREFIX + removal["rule"], []).append([removal["start"], removal["end"], 1.0])
    for key in spans:
        spans[key].sort()
    if meta.get("rejected"):
        spans[REJECTED + meta["rejected"]] = [[0, len(record["text"]), 1.0]]
    return {"id": record["id"], "source": record.get("source"), "attributes": dict(sorted(spans.items()))}


def output_files(output: str, sharded: bool) -> list[str]:
    """The files a run wrote: OUTPUT, or its numbered shards."""
    if not sharded:
        return [output]
    paths, index = [], 0
    while os.path.exists(shard_name(output, index)):
        paths.append(shard_name(output, index))
        index += 1
    return paths


def write_attributes(documents: list[str], directory: str, max_bytes: int) -> list[str]:
    """For each documents file, an attribute file of the same name in ``directory``."""
    written = []
    for path in documents:
        target = os.path.join(directory, os.path.basename(path))
        sink = FileSink(target)
        try:
            # a record holds its document's text and its provenance: well within 4x the input limit
            for number, raw, _ in iter_jsonl_lines(path, max_bytes=4 * max_bytes + (1 << 20)):
                if raw is None:
                    raise ValueError(f"{path}:{number}: a record too large to read back")
                sink.write(dumps(record_attributes(json.loads(raw))))
        except BaseException:
            sink.abort()
            raise
        sink.commit()
        written.append(target)
    return written
