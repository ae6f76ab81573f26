"""The batch job behind ``cleaner run``: inputs in, JSONL and rejects out, in a stable order.

Work is cut into tasks (one file, or a batch of JSONL lines) that worker processes clean
and serialise. Results are consumed in submission order through a bounded window, so the
output is ordered by input path and line whatever ``jobs`` is, and memory stays flat.
Output goes to a temporary file renamed into place when the run completes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import multiprocessing
import os
import sys
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any, Iterator

from .config import Config, resolve_added
from .core import Cleaner, CleanResult
from .errors import DocumentError
from .records import RESERVED, build_record, dumps, make_id
from .sinks import open_sink
from .sources import InputFile, iter_jsonl_lines, list_inputs
from .warc import process_warc, warc_tasks

_BATCH_LINES = 64
_WINDOW_PER_JOB = 4


@dataclass(slots=True)
class Outcome:
    """What became of one input document."""

    line: str | None = None  # the JSON record, serialised
    reject: dict[str, Any] | None = None
    chars_in: int = 0
    chars_removed: int = 0
    rules: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class Summary:
    """Counts of a run, printed at the end and used for the exit code."""

    read: int = 0
    written: int = 0
    rejected: int = 0
    skipped_files: int = 0
    chars_in: int = 0
    chars_removed: int = 0
    rules: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)

    def add(self, outcome: Outcome) -> None:
        self.read += 1
        if outcome.line is not None:
            self.written += 1
        else:
            self.rejected += 1
            self.reasons[outcome.reject.get("reason", "?")] += 1
        self.chars_in += outcome.chars_in
        self.chars_removed += outcome.chars_removed
        self.rules.update(outcome.rules)

    def render(self, top: int = 8) -> str:
        share = self.chars_removed / self.chars_in if self.chars_in else 0.0
        lines = [
            f"cleaner: {self.read} documents read, {self.written} written, {self.rejected} rejected"
            + (f", {self.skipped_files} files skipped (unsupported type)" if self.skipped_files else ""),
            f"cleaner: {self.chars_removed:,} of {self.chars_in:,} characters removed ({share:.1%})",
        ]
        if self.rules:
            lines.append("cleaner: rules that fired most: " + ", ".join(
                f"{rule} x{n}" for rule, n in sorted(self.rules.items(), key=lambda kv: (-kv[1], kv[0]))[:top]))
        if self.reasons:
            lines.append("cleaner: reject reasons: " + ", ".join(
                f"{reason} x{n}" for reason, n in sorted(self.reasons.items(), key=lambda kv: (-kv[1], kv[0]))))
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class RunContext:
    """Per-run values every worker needs."""

    source: str
    added: str


# -- workers ---------------------------------------------------------------------------

_WORKER: tuple[Cleaner, RunContext] | None = None


def _init_worker(config: Config, ctx: RunContext) -> None:
    global _WORKER
    # a forked worker inherits the parent's compiled rules; build them only when missing
    cleaner = _WORKER[0] if _WORKER is not None and _WORKER[0].config == config else Cleaner(config)
    _WORKER = (cleaner, ctx)


def _reject(relpath: str, reason: str, detail: str = "", line: int | None = None, **extra: Any) -> Outcome:
    rec: dict[str, Any] = {"path": relpath}
    if line is not None:
        rec["line"] = line
    rec.update(reason=reason, detail=detail)
    rec.update(extra)
    return Outcome(reject=rec)


def _finish(cleaner: Cleaner, ctx: RunContext, result: CleanResult, *, relpath: str, data: bytes,
            fmt: str, line: int | None = None, doc_id: str | None = None,
            passthrough: dict[str, Any] | None = None, created: str | None = None,
            origin: dict[str, Any] | None = None) -> Outcome:
    if result.rejected:
        out = _reject(relpath, result.rejected, result.detail, line)
        out.chars_in = len(result.source_text)
        return out
    provenance: dict[str, Any] = {"path": relpath}
    if line is not None:
        provenance["line"] = line
    provenance.update(origin or {})
    provenance.update(sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), format=fmt)
    record = build_record(cleaner, result, doc_id=doc_id or make_id(relpath, line or 0),
                          source=ctx.source, added=ctx.added, provenance=provenance,
                          passthrough=passthrough, created=created)
    return Outcome(dumps(record), None, len(result.source_text), result.chars_removed,
                   dict(Counter(r.rule for r in result.removals)))


def process_file(item: InputFile) -> list[Outcome]:
    """Clean one .txt or .html file."""
    cleaner, ctx = _WORKER
    if item.problem:
        return [_reject(item.relpath, item.problem, "not followed")]
    try:
        size = os.path.getsize(item.path)
        if size > cleaner.config.max_bytes:
            return [_reject(item.relpath, "too_large", f"{size} bytes > --max-bytes {cleaner.config.max_bytes}")]
        with open(item.path, "rb") as fh:
            data = fh.read(cleaner.config.max_bytes + 1)
    except FileNotFoundError:
        return [_reject(item.relpath, "vanished", "the file disappeared before it was read")]
    except OSError as exc:
        return [_reject(item.relpath, "unreadable", exc.strerror or str(exc))]
    try:
        if item.format == "html":
            result = cleaner.clean_html(data)
        else:
            result = cleaner.clean_text(data)
    except DocumentError as exc:
        return [_reject(item.relpath, exc.reason, exc.detail)]
    return [_finish(cleaner, ctx, result, relpath=item.relpath, data=data, fmt=item.format)]


def _clean_json_line(cleaner: Cleaner, ctx: RunContext, relpath: str, number: int, raw: bytes) -> Outcome:
    cfg = cleaner.config
    try:
        record = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        return _reject(relpath, "bad_json", str(exc)[:200], number)
    if not isinstance(record, dict):
        return _reject(relpath, "not_an_object", f"a JSON {type(record).__name__}, not an object", number)
    try:
        result = cleaner.clean_record(record)
    except DocumentError as exc:
        return _reject(relpath, exc.reason, exc.detail, number)
    raw_id = record.get(cfg.id_field)
    taken = {cfg.text_field, cfg.html_field, cfg.id_field} | RESERVED
    passthrough = {k: v for k, v in record.items() if k not in taken}
    if isinstance(record.get("metadata"), dict):
        passthrough = {**record["metadata"], **passthrough}
    created = record.get("created") if isinstance(record.get("created"), str) else None
    fmt = "jsonl-html" if record.get(cfg.html_field) is not None else "jsonl"
    return _finish(cleaner, ctx, result, relpath=relpath, data=raw, fmt=fmt, line=number,
                   doc_id=str(raw_id) if raw_id is not None else None, passthrough=passthrough,
                   created=created)


def process_lines(relpath: str, lines: list[tuple[int, bytes]]) -> list[Outcome]:
    """Clean a batch of JSONL lines of one file."""
    cleaner, ctx = _WORKER
    return [_clean_json_line(cleaner, ctx, relpath, n, raw) for n, raw in lines]


# -- the run ---------------------------------------------------------------------------

def _tasks(files: list[InputFile], max_bytes: int) -> Iterator[tuple[Any, ...]]:
    """Tasks in output order: ("file", item), ("lines", relpath, batch) or ("done", outcomes)."""
    for item in files:
        if item.format == "warc" and not item.problem:
            yield from warc_tasks(item, max_bytes)
            continue
        if item.format != "jsonl" or item.problem:
            yield ("file", item)
            continue
        batch: list[tuple[int, bytes]] = []
        try:
            for number, raw in iter_jsonl_lines(item.path, max_bytes):
                if len(raw) > max_bytes:
                    if batch:
                        yield ("lines", item.relpath, batch)
                        batch = []
                    yield ("done", [_reject(item.relpath, "too_large", f"{len(raw)} bytes", number)])
                    continue
                batch.append((number, raw))
                if len(batch) >= _BATCH_LINES:
                    yield ("lines", item.relpath, batch)
                    batch = []
        except FileNotFoundError:
            yield ("done", [_reject(item.relpath, "vanished", "the file disappeared before it was read")])
        except OSError as exc:
            yield ("done", [_reject(item.relpath, "unreadable", exc.strerror or str(exc))])
        except DocumentError as exc:
            if batch:
                yield ("lines", item.relpath, batch)
                batch = []
            yield ("done", [_reject(item.relpath, exc.reason, exc.detail)])
        if batch:
            yield ("lines", item.relpath, batch)


def _run_task(task: tuple[Any, ...]) -> list[Outcome]:
    if task[0] == "file":
        return process_file(task[1])
    if task[0] == "warc":
        return process_warc(task[1], task[2])
    return process_lines(task[1], task[2])


def iter_outcomes(files: list[InputFile], config: Config, ctx: RunContext, jobs: int) -> Iterator[Outcome]:
    """Outcomes of every document, in input order, cleaned by ``jobs`` processes."""
    tasks = _tasks(files, config.max_bytes)
    if jobs <= 1:
        _init_worker(config, ctx)
        for task in tasks:
            yield from (task[1] if task[0] == "done" else _run_task(task))
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if method == "fork":
        _init_worker(config, ctx)  # compiled once here, inherited by every worker
        if any(f.format == "html" for f in files):
            _warm_up_html()
    mp = multiprocessing.get_context(method)
    with mp.Pool(jobs, initializer=_init_worker, initargs=(config, ctx)) as pool:
        window: deque = deque()
        limit = jobs * _WINDOW_PER_JOB
        for task in tasks:
            window.append(task[1] if task[0] == "done" else pool.apply_async(_run_task, (task,)))
            while len(window) > limit:
                yield from _result(window.popleft())
        while window:
            yield from _result(window.popleft())


def _warm_up_html() -> None:
    """Import trafilatura and fill its lazy caches once, so that forked workers share them."""
    try:
        _WORKER[0].clean_html("<html><body><article><p>A warm-up sentence, written once, "
                              "then shared by every worker.</p></article></body></html>")
    except Exception:  # noqa: BLE001 - a warm-up failing only costs time
        pass


def _result(item: Any) -> list[Outcome]:
    return item if isinstance(item, list) else item.get()


class _Sink:
    """An output file written under a temporary name and renamed on success."""

    def __init__(self, path: str):
        self.path = path
        self.stdout = path == "-"
        if self.stdout:
            self.fh = sys.stdout
            return
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)
        self.tmp = os.path.join(directory, f".{os.path.basename(path)}.part-{os.getpid()}")
        raw = open(self.tmp, "wb")
        if path.endswith(".gz"):
            self.fh = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0)
            self._raw = raw
        else:
            self.fh, self._raw = raw, None

    def write(self, line: str) -> None:
        if self.stdout:
            self.fh.write(line + "\n")
        else:
            self.fh.write((line + "\n").encode("utf-8", "surrogatepass"))

    def commit(self) -> None:
        if self.stdout:
            self.fh.flush()
            return
        self.fh.close()
        if self._raw is not None:
            self._raw.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        if self.stdout:
            return
        try:
            self.fh.close()
            if self._raw is not None:
                self._raw.close()
        finally:
            if os.path.exists(self.tmp):
                os.unlink(self.tmp)


def default_rejects_path(output: str) -> str | None:
    """``OUTPUT.rejects.jsonl`` beside the output (none when writing to stdout)."""
    if output == "-":
        return None
    base = output[:-3] if output.endswith(".gz") else (output[:-4] if output.endswith(".zst") else output)
    base = base[:-6] if base.endswith(".jsonl") else base
    return base + ".rejects.jsonl"


def run(input_path: str, output: str, config: Config, *, jobs: int = 1, rejects: str | None = None,
        progress: bool = False, follow_symlinks: bool = False, shard_size: int | None = None) -> Summary:
    """Clean every document under ``input_path`` into ``output``; return the counts."""
    source = config.source or os.path.basename(os.path.normpath(os.path.abspath(input_path))) or "cleaner"
    ctx = RunContext(source=source, added=resolve_added(config.added))
    global _WORKER
    _WORKER = (Cleaner(config), ctx)  # load and check the rules before any work (raises ConfigError)
    files, skipped = list_inputs(input_path, follow_symlinks=follow_symlinks)
    summary = Summary(skipped_files=skipped)
    rejects = rejects if rejects is not None else default_rejects_path(output)
    sink = open_sink(output, shard_size)
    reject_sink = _Sink(rejects) if rejects else None
    bar = None
    if progress:
        from tqdm import tqdm

        tqdm.monitor_interval = 0
        bar = tqdm(total=None, unit="doc", file=sys.stderr, dynamic_ncols=True, mininterval=0.5)
    try:
        for outcome in iter_outcomes(files, config, ctx, max(1, jobs)):
            summary.add(outcome)
            if outcome.line is not None:
                sink.write(outcome.line)
            else:
                if reject_sink is not None:
                    reject_sink.write(dumps(outcome.reject))
                else:
                    print(f"cleaner: rejected {outcome.reject['path']}: {outcome.reject['reason']}",
                          file=sys.stderr)
            if bar is not None:
                bar.update(1)
    except BaseException:
        sink.abort()
        if reject_sink is not None:
            reject_sink.abort()
        raise
    finally:
        if bar is not None:
            bar.close()
    sink.commit()
    if reject_sink is not None:
        reject_sink.commit()
    return summary
