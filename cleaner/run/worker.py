"""The worker side of a batch run: one task in, one :class:`Outcome` per document out.

A task is a batch of documents as the readers (:mod:`cleaner.sources.readers`) read them.
Every document is cleaned under a time limit
(``Config.doc_timeout``, a SIGALRM timer in the process's main thread, so it works with
``--jobs 1`` as well as in pool workers); a document that overruns becomes a ``timeout``
reject and the worker carries on. Anything a document does wrong ends as a reject with a
reason; nothing here raises for one bad document.
"""

from __future__ import annotations

import gc
import hashlib
import json
import signal
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from ..document import CleanResult
from ..errors import DocumentError
from ..pipeline import Cleaner
from ..rules.shipped import shipped_packs_dir
from ..settings import Config
from ..sinks.records import build_record, dumps, dumps_bytes, id_text, make_id, passthrough_fields, provenance_of
from ..sources.readers import RawDocument, id_path, parse_record


@dataclass(slots=True)
class Outcome:
    """What became of one input document: a JSON line, or a reject record."""

    line: bytes | None = None  # the JSON record, serialised (UTF-8, no newline)
    reject: dict[str, Any] | None = None
    chars_in: int = 0
    chars_removed: int = 0
    rules: dict[str, int] = field(default_factory=dict)  # removals per rule
    bytes_in: int = 0  # the document as read (decompressed)
    bytes_out: int = 0  # its output line, newline included
    rule_chars: dict[str, int] = field(default_factory=dict)
    rule_lines: dict[str, int] = field(default_factory=dict)  # lines touched
    sample: dict[str, Any] | None = None  # what the report shows of it (documents with removals)


@dataclass(frozen=True, slots=True)
class RunContext:
    """Per-run values every worker needs."""

    source: str
    added: str


_WORKER: tuple[Cleaner, RunContext] | None = None
# Rejects a tag-only run writes anyway (the text is there; the attributes say why)
TAGGED_REJECTS = frozenset({"empty_after_cleaning", "dropped_by_rule"})


def init_worker(config: Config, ctx: RunContext, ignore_sigint: bool = False) -> None:
    """Build this process's Cleaner (pool workers leave Ctrl-C to the parent).

    A forked worker inherits the parent's signal handlers: SIGTERM goes back to its
    default so that the pool can end its workers; and it dies with its parent.
    """
    global _WORKER, _samples_made
    _samples_made = 0
    if ignore_sigint:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _die_with_parent()
        _keep_alarm_handler()
    _WORKER = (cleaner_for(config), ctx)
    _tune_gc()


# Objects allocated between two runs of the young generation's collector: cleaning makes
# hundreds of thousands of short-lived objects per megabyte (lines, views, marks, removals)
# and hardly any reference cycles, so Python's default (700) spends ~8% of the time in
# collections that find nothing.
GC_YOUNG = 20000


def _tune_gc() -> None:
    """Collect cycles less often, and never rescan what exists now (compiled rules, modules)."""
    gc.freeze()
    young, *older = gc.get_threshold()
    if young and young < GC_YOUNG:
        gc.set_threshold(GC_YOUNG, *older)


_BUILT: Cleaner | None = None


def keep_cleaner(cleaner: Cleaner) -> None:
    """Let init_worker reuse ``cleaner`` (in this process and in workers forked from it).

    The compiled rules live as long as the run: they leave the cyclic collector's view (its full
    passes would rescan them while this process reads and writes, ~0.1 s each for 5,000 rules).
    """
    global _BUILT
    _BUILT = cleaner
    gc.freeze()


def cleaner_for(config: Config) -> Cleaner:
    """The kept Cleaner (:func:`keep_cleaner`; in a forked worker, the parent's) when it was built
    from ``config``, else a new one: a pack of thousands of rules is not loaded twice."""
    return _BUILT if _BUILT is not None and _BUILT.config == config else Cleaner(config)


_WARMED: set[int] = set()  # the Cleaners (ids) whose core was warmed in this process


def warm_kept(config: Config) -> None:
    """Warm the kept Cleaner's compiled core (:func:`keep_cleaner`) when it is the one for
    ``config``; called before a pool of two workers or more forks them, which then inherit it
    warm (it costs this process ~40 MB of memory: what the core compiled)."""
    if _BUILT is not None and _BUILT.config == config and id(_BUILT) not in _WARMED:
        _WARMED.add(id(_BUILT))
        warm_core(_BUILT)


def warm_core(cleaner: Cleaner) -> None:
    """Pay what the compiled core does at its first documents in a process: it compiles a rule
    when a line first meets it, and its feature patterns when first used (~0.14 CPU s with the
    shipped rules). Cleaning the shipped rules' own examples once does it here, so that every
    forked worker starts with it done rather than paying it again; the rules of other packs
    (thousands, maybe) are left to be compiled where a line meets them."""
    shipped = shipped_packs_dir() if cleaner.config.default_rules else None
    lines = [example if isinstance(example, str) else example["text"]
             for rule in cleaner.rules if shipped and rule.path.startswith(shipped)
             for example in (*rule.examples_remove, *rule.examples_keep)]
    try:
        cleaner.clean_text("\n".join(lines) + "\n" + WARM_TEXT)
    except DocumentError:
        pass


# A short page with the usual chrome around a few sentences of prose (what the core's
# heuristics and features look at).
WARM_TEXT = """Home | News | Sport | Contact
By John Smith and Jane Doe
Published March 3, 2021 10:45 am
The council approved the new budget on Tuesday, after a debate that lasted most of the evening.
Officials said the plan would cover schools, roads and the library for the next three years.
"We have waited long enough," said the mayor, who voted for it.
Share this article
Leave a Reply
Your email address will not be published.
12 comments
© 2021 Example Media. All rights reserved.
Privacy Policy
"""


def _die_with_parent() -> None:
    """Linux: a pool worker is killed when its parent dies (even by SIGKILL), never orphaned."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


_WARM = False


def warm_up(cleaner: Cleaner) -> None:
    """Pay trafilatura's first-page costs (imports, compiled XPaths) outside any time limit."""
    global _WARM
    if not _WARM:
        _WARM = True
        try:
            cleaner.clean_html("<html><body><article><p>Warm up the extractor once.</p></article></body></html>")
        except DocumentError:
            pass


class _Overrun(BaseException):
    """Raised by the SIGALRM handler; a BaseException so no ``except Exception`` swallows it."""


def _on_alarm(signum, frame):
    raise _Overrun()


_ALARM_KEPT = False  # this process is a pool worker: SIGALRM's handler is _on_alarm for good


def _keep_alarm_handler() -> None:
    """Set SIGALRM's handler once in a pool worker (not twice per document: 20 ms per 1,000)."""
    global _ALARM_KEPT
    signal.signal(signal.SIGALRM, _on_alarm)
    _ALARM_KEPT = True


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise DocumentError("timeout") if the block runs longer than ``seconds`` (0: no limit).

    Works in the main thread of a process (where Python delivers signals); elsewhere the
    block runs without a limit. Code inside a C call is interrupted when the call returns.
    """
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    kept = _ALARM_KEPT
    previous = None if kept else signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Overrun:
        raise DocumentError("timeout", f"took over {seconds:g}s") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        if not kept:
            signal.signal(signal.SIGALRM, previous)


def reject(relpath: str, reason: str, detail: str = "", line: int | None = None, **extra: Any) -> Outcome:
    """An outcome that rejects one document with ``reason``."""
    rec: dict[str, Any] = {"path": relpath}
    if line is not None:
        rec["line"] = line
    rec.update(reason=reason, detail=detail)
    rec.update({k: v for k, v in extra.items() if v is not None})
    return Outcome(reject=rec)


def _guarded(relpath: str, line: int | None, clean: Callable[[], Outcome], seconds: float) -> Outcome:
    """Run ``clean`` under the time limit; a DocumentError becomes a reject."""
    try:
        with time_limit(seconds):
            return clean()
    except DocumentError as exc:
        return reject(relpath, exc.reason, exc.detail, line, rule=exc.rule)
    except _Overrun:  # the alarm went off just as the document finished
        return reject(relpath, "timeout", f"took over {seconds:g}s", line)
    except RecursionError:
        return reject(relpath, "too_deeply_nested", "recursion limit reached", line)
    except MemoryError:
        return reject(relpath, "out_of_memory", "the document did not fit in memory", line)


def _finish(cleaner: Cleaner, ctx: RunContext, result: CleanResult, *, relpath: str, data: bytes,
            fmt: str, line: int | None = None, doc_id: str | None = None,
            passthrough: dict[str, Any] | None = None, created: str | None = None,
            origin: dict[str, Any] | None = None, fixes: dict[str, int] | None = None,
            record: dict[str, Any] | None = None) -> Outcome:
    if result.rejected and not (cleaner.config.tag_only and result.rejected in TAGGED_REJECTS):
        out = reject(relpath, result.rejected, result.detail, line)
        out.chars_in, out.bytes_in = len(result.source_text), len(data)
        return out
    provenance: dict[str, Any] = {"path": relpath}
    if line is not None:
        provenance["line"] = line
    provenance.update(origin or {})
    provenance.update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), format=fmt)
    provenance.update(fixes or {})  # what parse_record changed to make the record strict JSON
    out_record = build_record(cleaner, result, doc_id=doc_id or make_id(relpath, line or 0),
                              source=ctx.source, added=ctx.added, provenance=provenance,
                              passthrough=passthrough, created=created, record=record, raw=True)
    if result.table is not None:  # the core's columns: counted without an object per removal
        rules, chars, lines = result.table.tally()
    else:
        rules, chars, lines = Counter(), Counter(), Counter()
        for removal in result.removals:
            rules[removal.rule] += 1
            chars[removal.rule] += removal.chars
            lines[removal.rule] += removal.lines
        rules, chars, lines = dict(rules), dict(chars), dict(lines)
    line = dumps_bytes(out_record)
    removed = result.chars_removed
    return Outcome(line, None, len(result.source_text), removed, rules, len(data), len(line) + 1, chars, lines,
                   sample_of_record(out_record, result, cleaner.config.provenance == "compact")
                   if removed and _want_sample() else None)


SAMPLES = 12  # documents kept as before/after samples for the report
_samples_made = 0


def _want_sample() -> bool:
    """Whether to make the report's sample of a document with removals: only for this process's
    first SAMPLES of them. A worker's documents come in run order, so a later one is never among
    the run's first SAMPLES when this one's are not (and the run makes a sample from the written
    line when an outcome has none: the report is the same)."""
    global _samples_made
    _samples_made += 1
    return _samples_made <= SAMPLES


def sample_of_record(record: dict[str, Any], result: CleanResult | None = None,
                     compact: bool = False) -> dict[str, Any]:
    """What the report shows of one cleaned document: its start and what was removed.

    Made from the record before it is written (and ``result``, whose first removals are read
    when the record carries them as raw JSON), so the main process never parses a big
    document's line back to show it (made fit for strict JSON as the line is).
    """
    meta = provenance_of(record["metadata"])
    removed = meta["removed"]
    if not isinstance(removed, list):
        # in the form the record has (compact: no excerpt), as a sample made from the line would
        removed = [r.as_dict(compact) for r in (result.table.head(10) if result.table is not None
                                                else result.removals[:10])]
    sample = {"id": record["id"], "path": meta.get("path"), "url": meta.get("url"),
              "chars_in": meta.get("chars_in"), "chars_removed": meta.get("chars_removed"),
              "kept": record["text"][:600],
              "removed": [{k: r.get(k) for k in ("rule", "reason", "line", "excerpt")} for r in removed[:10]]}
    return json.loads(dumps(sample))


def _clean_document(cleaner: Cleaner, ctx: RunContext, doc: RawDocument) -> Outcome:
    """Clean one document that its reader read; a DocumentError escapes to :func:`_guarded`."""
    if doc.kind != "record":
        result = cleaner.clean_raw(doc)
        return _finish(cleaner, ctx, result, relpath=doc.relpath, data=doc.data, fmt=doc.format,
                       doc_id=doc.doc_id or make_id(id_path(doc), doc.position), origin=doc.origin)
    cfg = cleaner.config
    fixes: dict[str, int] = {}
    record = parse_record(doc.data, fixes)
    result = cleaner.clean_raw(doc, record)
    raw_id = record.get(cfg.id_field)
    created = record.get("created") if isinstance(record.get("created"), str) else None
    fmt = "jsonl-html" if record.get(cfg.html_field) is not None else "jsonl"
    return _finish(cleaner, ctx, result, relpath=doc.relpath, data=doc.data, fmt=fmt, line=doc.line,
                   doc_id=id_text(raw_id) if raw_id is not None else make_id(id_path(doc), doc.position),
                   passthrough=passthrough_fields(record, cfg), created=created, fixes=fixes, record=record)


def _may_hold_html(docs: list[RawDocument], html_field: str) -> bool:
    """Whether a batch may need trafilatura: an HTML document, or a record naming the html field.

    Plain-text batches never load it (0.3 s of CPU per process). A key written with escapes is
    not seen here: its first page then pays the warm-up inside its own time limit.
    """
    needle = b'"' + html_field.encode("utf-8") + b'"'
    return any(doc.kind == "html" or (doc.kind == "record" and doc.data is not None and needle in doc.data)
               for doc in docs)


def process_documents(docs: list[RawDocument]) -> list[Outcome]:
    """Clean a batch of documents, each under its own time limit: one outcome per document."""
    cleaner, ctx = _WORKER
    if _may_hold_html(docs, cleaner.config.html_field):
        warm_up(cleaner)
    return [_outcome_of(cleaner, ctx, doc) for doc in docs]


def _outcome_of(cleaner: Cleaner, ctx: RunContext, doc: RawDocument) -> Outcome:
    """One document cleaned under its time limit (the extractor warmed up already if need be)."""
    if doc.data is None:
        return reject(doc.relpath, doc.reason, doc.detail, doc.line, **(doc.origin or {}))
    outcome = _guarded(doc.relpath, doc.line, lambda: _clean_document(cleaner, ctx, doc), cleaner.config.doc_timeout)
    outcome.bytes_in = outcome.bytes_in or len(doc.data)  # a bad_json line was read too
    if outcome.reject is not None and doc.origin:
        for key, value in doc.origin.items():
            outcome.reject.setdefault(key, value)
    return outcome


def unit_reject(task: list[RawDocument], index: int, reason: str, detail: str) -> Outcome:
    """A reject for document ``index`` of ``task`` (as its own cleaning would have named it)."""
    doc = task[index]
    return reject(doc.relpath, reason, detail, doc.line, **(doc.origin or {}))


# Seconds of finished outcomes a supervised worker holds before it sends them: what a worker
# that dies can lose (its successor cleans those documents again, to the same outcomes).
SEND_EVERY = 0.25


def serve(conn, clock, config: Config, ctx: RunContext) -> None:
    """A supervised worker's loop: ``(seq, task, todo)`` in (``todo``: the indexes of the task's
    documents to clean, in order), ``(seq, [(index, outcome), ...], finished)`` out.

    Before each document, ``clock`` (shared memory) holds its index and start time
    (``time.monotonic``, the same clock in every process), and after it the start time is 0, so
    the supervisor can kill a worker stuck inside C code and knows which document a dead worker
    was on. Outcomes go out together: at the task's end, and with the first document that ends
    :data:`SEND_EVERY` seconds or more after the last send (a message per document woke the
    supervisor ~1,000 times for 10 MB). A worker that dies loses the document in progress and
    at most that much finished work, which its successor does again. The extractor's warm-up
    is paid before a document's clock starts.
    """
    init_worker(config, ctx, True)
    cleaner = _WORKER[0]
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        seq, task, todo = msg
        done: list[tuple[int, Outcome]] = []
        sent = time.monotonic()
        for index in todo:
            doc = task[index]
            if _may_hold_html([doc], cleaner.config.html_field):
                warm_up(cleaner)
            clock[0], clock[1] = index, time.monotonic()
            outcome = _outcome_of(cleaner, ctx, doc)
            clock[1] = 0.0
            done.append((index, outcome))
            if time.monotonic() - sent >= SEND_EVERY and index != todo[-1]:
                conn.send((seq, done, False))
                done, sent = [], time.monotonic()
        conn.send((seq, done, True))
