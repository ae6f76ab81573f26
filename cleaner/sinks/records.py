"""Output records: Dolma's fields at the top, provenance in ``metadata``.

``{"id", "text", "source", "added", "created", "metadata": {...}}``: ``metadata`` says where
the document came from (path, line, sha256, bytes, format, encoding, url, title, author,
date, sitename), what cleaned it (cleaner version, rule-set fingerprint) and what was
removed (``removed``: rule, reason, line, span, characters, excerpt).
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..settings import resolve_added
from ..sources.jsonline import SURROGATE

if TYPE_CHECKING:
    from ..document import CleanResult
    from ..pipeline import Cleaner
    from ..settings import Config

_KNOWN = ("url", "title", "author", "date", "sitename")
RESERVED = frozenset({"id", "text", "html", "source", "added", "created", "metadata"})
# How an HTML page's main text was made (method; extractor, version, settings, text hash):
# what replaying its removals needs (cleaner explain --replay)
EXTRACTION_KEYS = ("extraction", "extractor")


def dumps(obj: Any) -> str:
    """One strict JSON line (RFC 8259): no spaces, keys in the order built, valid UTF-8.

    A non-finite number is written as null and a lone surrogate as U+FFFD (the readers
    have already replaced and counted those of the input; this is the last guard).
    """
    try:
        line = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:  # NaN or Infinity somewhere: null, as JavaScript writes them
        line = json.dumps(_finite(obj), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return SURROGATE.sub("\ufffd", line) if SURROGATE.search(line) else line


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def make_id(*parts: Any) -> str:
    """A stable id from the document's place (path and line)."""
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def passthrough_fields(record: dict[str, Any], config: "Config") -> dict[str, Any]:
    """The fields of an input record that go into ``metadata`` as they are.

    Everything but the text, html and id fields and Dolma's own top-level fields; a nested
    ``metadata`` object is flattened in (its keys lose to the record's own).
    """
    taken = {config.text_field, config.html_field, config.id_field} | RESERVED
    fields = {k: v for k, v in record.items() if k not in taken}
    inner = record.get("metadata")
    return {**inner, **fields} if isinstance(inner, dict) else fields


def removal_fields(cleaner: "Cleaner", result: "CleanResult") -> dict[str, Any]:
    """What cleaned a document and what it removed: the provenance every output form carries."""
    return {"cleaner_version": __version__, "rules_fingerprint": cleaner.fingerprint,
            "chars_in": len(result.source_text), "chars_removed": result.chars_removed,
            "removed": [r.as_dict() for r in result.removals]}


def build_record(cleaner: "Cleaner", result: "CleanResult", *, doc_id: str, source: str,
                 added: str, provenance: dict[str, Any], passthrough: dict[str, Any] | None = None,
                 created: str | None = None) -> dict[str, Any]:
    """The output record of one cleaned document."""
    meta: dict[str, Any] = dict(provenance)
    info = result.metadata
    for key in _KNOWN:
        if info.get(key):
            meta[key] = info[key]
    for key in ("encoding", *EXTRACTION_KEYS, "replaced_chars", "control_chars_dropped"):
        if key in info:
            meta[key] = info[key]
    meta.update(removal_fields(cleaner, result))
    for key, value in (passthrough or {}).items():
        meta[key if key not in meta else f"input_{key}"] = value
    return {
        "id": doc_id,
        "text": result.source_text if cleaner.config.tag_only else result.text,
        "source": source,
        "added": added,
        "created": created or info.get("date") or None,
        "metadata": meta,
    }


def record_from_result(cleaner: "Cleaner", result: "CleanResult | None", record: dict[str, Any],
                       *, reason: str | None = None, detail: str = "") -> dict[str, Any]:
    """The output of :meth:`Cleaner.map` for one input record."""
    cfg = cleaner.config
    raw = record.get(cfg.id_field)
    body = record.get(cfg.text_field) if record.get(cfg.html_field) is None else record.get(cfg.html_field)
    doc_id = str(raw) if raw is not None else make_id(body if isinstance(body, str) else repr(body))
    passthrough = passthrough_fields(record, cfg)
    source = record.get("source") if isinstance(record.get("source"), str) else (cfg.source or "cleaner")
    added = resolve_added(cfg.added)
    if result is None:
        return {"id": doc_id, "text": "", "source": source, "added": added,
                "created": record.get("created"),
                "metadata": {**passthrough, "rejected": reason, "rejected_detail": detail,
                             "cleaner_version": __version__, "rules_fingerprint": cleaner.fingerprint}}
    out = build_record(cleaner, result, doc_id=doc_id, source=source, added=added,
                       provenance={"format": "record"}, passthrough=passthrough,
                       created=record.get("created") if isinstance(record.get("created"), str) else None)
    if reason:
        out["metadata"]["rejected"] = reason
        out["metadata"]["rejected_detail"] = detail
    return out
