"""Replay an output record from its input: the check behind ``cleaner explain --replay``.

A record's ``removed`` spans index into its source text: the decoded input, or for an HTML
page the main text its extractor made (``metadata.extractor``: name, version, settings and
the text's sha256). Replaying reads the record's input again (``metadata.path``, ``line`` or
the record id; the provenance may sit under ``metadata.cleaner``, :func:`provenance_of`), checks that the input bytes are the ones cleaned (``sha256``), makes the
source text again with the recorded extraction settings, checks its hash, and deletes the
removal spans: the result must be the record's ``text``. Each check that fails is named.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from ..apply import replay
from ..document import CleanResult, Removal
from ..errors import ConfigError, DocumentError
from ..extract.page import extractor_version, text_sha256
from ..pipeline import source_document
from ..settings import Config, Favor, HtmlMetadata
from ..sinks.records import make_id, provenance_of
from ..sources.files import iter_jsonl_lines
from ..sources.readers import Limits, RawDocument, list_inputs, read_file


@dataclass(slots=True)
class Replayed:
    """One output record replayed: the source text with the record's removals, and what did
    not match (empty: the record is reproduced exactly)."""

    record: dict[str, Any]
    result: CleanResult
    problems: list[str] = field(default_factory=list)


def pick_output_record(path: str, config: Config, *, line: int | None = None,
                       ident: str | None = None) -> dict[str, Any]:
    """The record of a ``cleaner run`` output file on ``line``, or with id ``ident`` (default: the first)."""
    try:
        for number, raw, _size in iter_jsonl_lines(path, config.max_bytes, config.max_gz_ratio):
            if raw is None or (line is not None and number != line):
                continue
            try:
                record = json.loads(raw)
            except ValueError as exc:
                if line is not None:
                    raise ConfigError(f"{path} line {number} is not JSON: {exc}") from None
                continue
            if not isinstance(record, dict) or (ident is not None and str(record.get("id")) != ident):
                continue
            return record
    except DocumentError as exc:  # a FIFO, a device, a broken .gz: not a file of records
        raise ConfigError(f"{path}: {exc.reason}: {exc.detail}") from None
    which = f"on line {line}" if line is not None else f"with id {ident!r}" if ident is not None else "in it"
    raise ConfigError(f"{path}: no output record {which}")


def replay_record(record: dict[str, Any], input_root: str, config: Config) -> Replayed:
    """Read ``record``'s input under ``input_root`` again and replay its removals (module docstring)."""
    metadata = record.get("metadata")
    meta = provenance_of(metadata) if isinstance(metadata, dict) else {}
    if not isinstance(meta, dict) or not isinstance(meta.get("path"), str) or not isinstance(meta.get("removed"), list):
        raise ConfigError("not a record of 'cleaner run' (no metadata.path or metadata.removed)")
    problems: list[str] = []
    extractor = meta.get("extractor")
    if isinstance(extractor, dict):
        try:
            config = config.with_(favor=Favor.parse(extractor["favor"], "favor"),
                                  include_comments=bool(extractor["include_comments"]),
                                  html_metadata=HtmlMetadata.parse(extractor["html_metadata"], "html_metadata"))
        except (KeyError, TypeError) as exc:
            raise ConfigError(f"metadata.extractor lacks {exc}: not a record of 'cleaner run'") from None
        if extractor.get("version") != extractor_version():
            problems.append(f"extracted with {extractor.get('name')} {extractor.get('version')}, "
                            f"this is {extractor_version()}")
    doc = _find_input(record, meta, input_root, config)
    if hashlib.sha256(doc.data).hexdigest() != meta.get("sha256"):
        problems.append(f"{meta['path']} is not the input that was cleaned (its sha256 differs)")
    source = source_document(doc, config).text
    if isinstance(extractor, dict) and text_sha256(source) != extractor.get("text_sha256"):
        problems.append("the extracted main text differs from the one cleaned (text_sha256)")
    try:
        removals = [Removal(r["rule"], r.get("reason", ""), r.get("line", 0), int(r["start"]), int(r["end"]),
                            r.get("excerpt", ""), r.get("lines", 1)) for r in meta["removed"]]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"metadata.removed holds a removal without rule, start or end ({exc})") from None
    outside = [r for r in removals if not 0 <= r.start <= r.end <= len(source)]
    if outside:
        problems.append(f"{len(outside)} removals lie outside the source text of {len(source)} characters "
                        f"(the first: {outside[0].rule} {outside[0].start}-{outside[0].end})")
        removals = [r for r in removals if r not in outside]
    try:
        text = replay(source, removals)
    except ValueError as exc:
        problems.append(f"the removals do not apply: {exc}")
        text = source
    if text != record.get("text") and source != record.get("text"):  # tag-only records keep the source
        problems.append("deleting the removals from the source does not give the record's text")
    return Replayed(record, CleanResult(text, source, removals, dict(meta)), problems)


def _find_input(record: dict[str, Any], meta: dict[str, Any], input_root: str, config: Config) -> RawDocument:
    """The document of ``input_root`` that ``record`` was made from (its path, then line or id)."""
    items, _ = list_inputs(input_root, fmt=config.input_format)
    item = next((i for i in items if i.relpath == meta["path"]), None)
    if item is None:
        raise ConfigError(f"{meta['path']} is not under {input_root}")
    for doc in read_file(item, Limits(config.max_bytes, config.max_gz_ratio)):
        if "line" in meta:
            if doc.line != meta["line"]:
                continue
        elif item.format == "warc" and (doc.doc_id or make_id(doc.relpath, doc.position)) != record.get("id"):
            continue
        if doc.data is None:
            raise DocumentError(doc.reason, doc.detail)
        return doc
    raise ConfigError(f"{meta['path']}: the record's document is not in it any more")

