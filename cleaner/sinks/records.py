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

import orjson

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
    """One strict JSON line (RFC 8259): no spaces, keys in the order built, valid UTF-8
    (:func:`dumps_bytes`: the same line as UTF-8 bytes).

    A non-finite number is written as null and a lone surrogate as U+FFFD (the readers
    have already replaced and counted those of the input; this is the last guard).
    orjson writes it; what orjson refuses or writes differently (lone surrogates, keys that
    are not strings, integers past 64 bits, dates, subclasses, floats below 1e-4, which orjson
    writes in its own form) goes through :mod:`json`, so the bytes are the standard encoder's
    either way.
    """
    line = _orjson_line(obj)
    return line.decode("utf-8") if line is not None else _json_line(obj)


def dumps_bytes(obj: Any) -> bytes:
    """:func:`dumps` as UTF-8 bytes: orjson's own, with no decoding and encoding again (what a
    worker sends and the main process writes).

    >>> dumps_bytes({"a": "\u00e9", "f": 1.5e-05}) == dumps({"a": "\u00e9", "f": 1.5e-05}).encode("utf-8")
    True
    """
    line = _orjson_line(obj)
    return line if line is not None else _json_line(obj).encode("utf-8")


def _orjson_line(obj: Any) -> bytes | None:
    """The line as orjson writes it, or None where it must be json's (see :func:`dumps`)."""
    if _small_float(obj):
        return None
    try:
        return orjson.dumps(obj, default=_raw_fragment, option=_ORJSON)
    except TypeError:
        return None


def _json_line(obj: Any) -> str:
    """The line as json writes it, non-finite numbers as null and lone surrogates as U+FFFD."""
    try:
        line = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_raw_value)
    except ValueError:  # NaN or Infinity somewhere: null, as JavaScript writes them
        line = json.dumps(_finite(obj), ensure_ascii=False, separators=(",", ":"), allow_nan=False,
                          default=_raw_value)
    return SURROGATE.sub("\ufffd", line) if SURROGATE.search(line) else line


class RawJSON:
    """A value already written as JSON (a document's removals, from the compiled core): records
    carry it as it is, and :func:`dumps` writes its bytes in place."""

    __slots__ = ("data",)

    def __init__(self, data: bytes):
        self.data = data


def _raw_fragment(value: Any) -> Any:
    if type(value) is RawJSON:
        return orjson.Fragment(value.data)
    raise TypeError  # what orjson passes through goes to json, as before


def _raw_value(value: Any) -> Any:
    if type(value) is RawJSON:
        return json.loads(value.data)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# Types orjson would write but json refuses (or writes otherwise) go to json: as before.
_ORJSON = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS


# Types that hold no float: _small_float does not look inside them (a record's removals are
# dicts of these only, one per removal: no call per value).
_NO_FLOAT = frozenset({str, int, bool, type(None)})


def _small_float(value: Any) -> bool:
    """Whether ``value`` holds a float that orjson writes unlike json (0 < |x| < 1e-4: 1.5e-05)."""
    kind = type(value)
    if kind is float:
        return 0.0 < abs(value) < 1e-4
    if kind is dict:
        return any(_small_float(v) for v in value.values() if type(v) not in _NO_FLOAT)
    if kind is list or kind is tuple:
        return any(_small_float(v) for v in value if type(v) not in _NO_FLOAT)
    return False


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def make_id(*parts: Any) -> str:
    """A stable id from the document's place (path and line); a ``bytes`` part (a file name that
    is not UTF-8) counts as its bytes, so two names that display alike still differ."""
    raw = b"\x1f".join(p if isinstance(p, bytes) else str(p).encode("utf-8", "surrogatepass") for p in parts)
    return hashlib.sha256(raw).hexdigest()[:32]


def id_text(value: Any) -> str:
    """The output ``id`` of an input record's id value: a string as it is, any other JSON value
    as its JSON text, so that every output id is a string, as Dolma's format has it (and a
    Parquet or datasets column of ids has one type).

    >>> [id_text(v) for v in ("a-1", 7, True, 1.5, {"k": [1]})]
    ['a-1', '7', 'true', '1.5', '{"k":[1]}']
    """
    return value if isinstance(value, str) else dumps(value)


def passthrough_fields(record: dict[str, Any], config: "Config") -> dict[str, Any]:
    """The fields of an input record that go into ``metadata`` as they are.

    Everything but the text, html and id fields and Dolma's own top-level fields; a nested
    ``metadata`` object is flattened in (its keys lose to the record's own).
    """
    taken = {config.text_field, config.html_field, config.id_field} | RESERVED
    fields = {k: v for k, v in record.items() if k not in taken}
    inner = record.get("metadata")
    return {**inner, **fields} if isinstance(inner, dict) else fields


def removal_fields(cleaner: "Cleaner", result: "CleanResult", *, raw: bool = False) -> dict[str, Any]:
    """What cleaned a document and what it removed: the provenance every output form carries
    (``--provenance compact``: each removal without its excerpt and character count).

    ``raw``: the removals may come as :class:`RawJSON` (written by the core from its table, with
    no object per removal) for a record that is only written out.
    """
    compact = cleaner.config.provenance == "compact"
    table = result.table
    if raw and table is not None:
        removed: Any = RawJSON(table.json(compact))
    else:
        removed = [r.as_dict(compact) for r in result.removals]
    return {"cleaner_version": __version__, "rules_fingerprint": cleaner.fingerprint,
            "chars_in": len(result.source_text), "chars_removed": result.chars_removed,
            "removed": removed}


def build_record(cleaner: "Cleaner", result: "CleanResult", *, doc_id: str, source: str,
                 added: str, provenance: dict[str, Any], passthrough: dict[str, Any] | None = None,
                 created: str | None = None, record: dict[str, Any] | None = None,
                 raw: bool = False) -> dict[str, Any]:
    """The output record of one cleaned document (``record``: the JSONL input record it was,
    whose own fields are kept: :func:`keep_input_fields`; ``raw``: see :func:`removal_fields`)."""
    meta: dict[str, Any] = dict(provenance)
    info = result.metadata
    for key in _KNOWN:
        if info.get(key):
            meta[key] = info[key]
    for key in ("encoding", *EXTRACTION_KEYS, "replaced_chars", "control_chars_dropped"):
        if key in info:
            meta[key] = info[key]
    meta.update(removal_fields(cleaner, result, raw=raw))
    out = {
        "id": doc_id,
        "text": result.source_text if cleaner.config.tag_only else result.text,
        "source": source,
        "added": added,
        "created": created or info.get("date") or None,
        "metadata": meta,
    }
    if result.rejected:  # tag-only: kept, marked
        meta.update(rejected=result.rejected, rejected_detail=result.detail)
    body = (cleaner.config.text_field, cleaner.config.html_field)
    return keep_input_fields(out, record, passthrough, body)


def keep_input_fields(out: dict[str, Any], record: dict[str, Any] | None,
                      passthrough: dict[str, Any] | None = None,
                      body: tuple[str, ...] = ("text", "html")) -> dict[str, Any]:
    """Put the input record's own fields back into its output record ``out``, unchanged.

    - The input's ``source``, ``added`` and ``created`` win over the cleaner's values.
    - A Dolma-style record (one with a ``metadata`` object) keeps that object as it is, and its
      other fields at the top level (but the ``body`` fields, the document the clean ``text`` replaces); the cleaner's provenance is written beside the input's
      metadata keys, or whole under ``metadata.cleaner`` when one of its keys is taken
      (:func:`place_provenance`).
    - A flat record (no ``metadata`` object) has its other fields (``passthrough``) written into
      ``metadata`` after the provenance, as ``input_KEY`` where the cleaner has a KEY (or KEY is
      ``cleaner``).

    >>> out = {"id": "1", "text": "t", "source": "run", "added": "A", "created": None,
    ...        "metadata": {"path": "a.jsonl", "removed": []}}
    >>> keep_input_fields(dict(out), {"text": "x", "source": "cc", "metadata": {"path": "s3://b/k"}, "v": 2})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'id': '1', 'text': 't', 'source': 'cc', 'added': 'A', 'created': None,
     'metadata': {'path': 's3://b/k', 'cleaner': {'path': 'a.jsonl', 'removed': []}}, 'v': 2}
    """
    meta = out["metadata"]
    if record is None:
        for key, value in (passthrough or {}).items():
            meta[key if key not in meta and key != "cleaner" else f"input_{key}"] = value
        return out
    for key in ("source", "added", "created"):
        if key in record:
            out[key] = record[key]
    inner = record.get("metadata")
    if not isinstance(inner, dict):
        rejected = {k: meta.pop(k) for k in ("rejected", "rejected_detail") if k in meta and passthrough}
        for key, value in (passthrough or {}).items():
            meta[key if key not in meta and key != "cleaner" else f"input_{key}"] = value
        meta.update(rejected)  # after the input's fields, where they always were
        return out
    out["metadata"] = place_provenance(inner, meta)
    for key, value in record.items():
        if key not in out and key not in body:
            out[key] = value
    return out


def place_provenance(fields: dict[str, Any], provenance: dict[str, Any]) -> dict[str, Any]:
    """Metadata ``fields`` of the input, unchanged, with the cleaner's ``provenance`` beside them;
    when one of its keys (or ``cleaner``) is already there, the provenance goes whole under
    ``cleaner`` (or ``_cleaner``, ... when that is taken too), so :func:`provenance_of` finds it.

    >>> place_provenance({"lang": "en"}, {"removed": []})
    {'lang': 'en', 'removed': []}
    >>> place_provenance({"path": "x"}, {"path": "a.txt", "removed": []})
    {'path': 'x', 'cleaner': {'path': 'a.txt', 'removed': []}}
    """
    if "cleaner" not in fields and not any(key in fields for key in provenance):
        return {**fields, **provenance}
    key = "cleaner"
    while key in fields:
        key = "_" + key
    return {**fields, key: provenance}


def provenance_of(metadata: dict[str, Any]) -> dict[str, Any]:
    """Where an output record's ``metadata`` holds the cleaner's provenance: itself, or the
    last of ``cleaner``, ``_cleaner``, ... it has (:func:`place_provenance`).

    >>> provenance_of({"path": "x", "cleaner": {"path": "a.txt"}})
    {'path': 'a.txt'}
    """
    key, found = "cleaner", None
    while key in metadata:
        found, key = key, "_" + key
    return metadata[found] if found is not None else metadata


def record_from_result(cleaner: "Cleaner", result: "CleanResult | None", record: dict[str, Any],
                       *, reason: str | None = None, detail: str = "") -> dict[str, Any]:
    """The output of :meth:`Cleaner.map` for one input record (its own fields kept as
    :func:`keep_input_fields` says)."""
    cfg = cleaner.config
    raw = record.get(cfg.id_field)
    body = record.get(cfg.text_field) if record.get(cfg.html_field) is None else record.get(cfg.html_field)
    doc_id = id_text(raw) if raw is not None else make_id(body if isinstance(body, str) else repr(body))
    passthrough = passthrough_fields(record, cfg)
    source = record.get("source") if isinstance(record.get("source"), str) else (cfg.source or "cleaner")
    added = resolve_added(cfg.added)
    if result is None:
        out = {"id": doc_id, "text": "", "source": source, "added": added,
               "created": record.get("created"),
               "metadata": {"rejected": reason, "rejected_detail": detail,
                            "cleaner_version": __version__, "rules_fingerprint": cleaner.fingerprint}}
        if not isinstance(record.get("metadata"), dict):  # a flat record: its fields first, as always
            out["metadata"] = {**passthrough, **out["metadata"]}
            return keep_input_fields(out, record, {}, (cfg.text_field, cfg.html_field))
        return keep_input_fields(out, record, passthrough, (cfg.text_field, cfg.html_field))
    out = build_record(cleaner, result, doc_id=doc_id, source=source, added=added,
                       provenance={"format": "record"}, passthrough=passthrough,
                       created=record.get("created") if isinstance(record.get("created"), str) else None,
                       record=record)
    if reason and not result.rejected:
        provenance_of(out["metadata"]).update(rejected=reason, rejected_detail=detail)
    return out
