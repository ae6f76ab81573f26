"""The batch job behind ``cleaner run``: tasks in, ordered outcomes, sinks out.

1. **Tasks**: the inputs (sorted by path) are read by their readers
   (:mod:`cleaner.sources.readers`) and the documents cut into batches.
2. **Ordered outcomes**: worker processes (:mod:`cleaner.run.worker`) turn each task into one
   outcome per document; results are consumed in submission order through a bounded
   window, so the output is ordered by input path and line whatever ``jobs`` is, and
   memory stays flat.
3. **Sinks** (:mod:`cleaner.sinks.checkpoint`): records go to OUTPUT, rejects to REJECTS, both
   committed every ``checkpoint_every`` documents; ``resume`` carries on from the last
   commit after a crash, a kill or Ctrl-C, with output byte-identical to a single run.

Ctrl-C (or SIGTERM) stops at the next task boundary: what is done is committed, the
workers end, and the summary says how far the run got. A second Ctrl-C stops at once.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import sys
import threading
from collections import Counter, deque
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Iterator

from ..errors import ConfigError
from ..extract.page import preload as preload_html
from ..pipeline import Cleaner
from ..settings import Config, resolve_added
from ..sinks.checkpoint import CheckpointedOutput, StreamOutput
from ..sinks.records import dumps
from ..sources.files import InputFile
from ..sources.readers import Limits, RawDocument, list_inputs, read_file
from .worker import Outcome, RunContext, init_worker, keep_cleaner, process_documents

_BATCH_DOCS = 64  # documents per task: big enough to pay for the hand-over to a worker
_BATCH_BYTES = 8 << 20  # and no more bytes than this per task (a batch of big pages)
_WINDOW_PER_JOB = 4
CHECKPOINT_EVERY = 1000  # documents between commits


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
    rule_timeouts: Counter = field(default_factory=Counter)
    resumed_at: int = 0  # documents already done by the interrupted run(s)
    committed: int = 0  # documents safely on disk (what --resume starts after)
    interrupted: bool = False

    def add(self, outcome: Outcome) -> None:
        self.read += 1
        if outcome.line is not None:
            self.written += 1
        else:
            self.rejected += 1
            self.reasons[outcome.reject.get("reason", "?")] += 1
            if outcome.reject.get("rule"):
                self.rule_timeouts[outcome.reject["rule"]] += 1
        self.chars_in += outcome.chars_in
        self.chars_removed += outcome.chars_removed
        self.rules.update(outcome.rules)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: (dict(v) if isinstance(v := getattr(self, f.name), Counter) else v) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Summary":
        known = {f.name for f in fields(cls)}
        out = cls(**{k: v for k, v in data.items() if k in known})
        for name in ("rules", "reasons", "rule_timeouts"):
            setattr(out, name, Counter(getattr(out, name)))
        return out

    def render(self, top: int = 8) -> str:
        share = self.chars_removed / self.chars_in if self.chars_in else 0.0
        lines = [
            f"cleaner: {self.read} documents read, {self.written} written, {self.rejected} rejected"
            + (f", {self.skipped_files} files skipped (unsupported type)" if self.skipped_files else ""),
            f"cleaner: {self.chars_removed:,} of {self.chars_in:,} characters removed ({share:.1%})",
        ]
        if self.resumed_at:
            lines.append(f"cleaner: resumed after {self.resumed_at} documents done by an earlier run")
        if self.rules:
            lines.append("cleaner: rules that fired most: " + _counts(self.rules, top))
        if self.reasons:
            lines.append("cleaner: reject reasons: " + _counts(self.reasons))
        if self.rule_timeouts:
            lines.append("cleaner: rules that ran out of time (fix or --disable them): "
                         + _counts(self.rule_timeouts))
        if self.interrupted:
            lines.append(f"cleaner: interrupted after {self.read} documents ({self.committed} of them "
                         "committed); run the same command with --resume to finish")
        return "\n".join(lines)


def _counts(counter: Counter, top: int | None = None) -> str:
    rows = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return ", ".join(f"{key} x{n}" for key, n in rows)


# -- tasks -------------------------------------------------------------------------------

def iter_tasks(files: list[InputFile], config: Config) -> Iterator[list[RawDocument]]:
    """Tasks in output order: batches of the documents of one file as its reader reads them,
    each batch at most ``_BATCH_DOCS`` documents or about ``_BATCH_BYTES`` bytes.

    The same inputs and limits always give the same tasks (``--resume`` counts on it).
    """
    limits = Limits(config.max_bytes, config.max_gz_ratio)
    for item in files:  # a task never spans two files: a checkpoint can fall after any file
        batch: list[RawDocument] = []
        size = 0
        for doc in read_file(item, limits):
            batch.append(doc)
            size += len(doc.data or b"")
            if len(batch) >= _BATCH_DOCS or size >= _BATCH_BYTES:
                yield batch
                batch, size = [], 0
        if batch:
            yield batch


def iter_task_outcomes(tasks: Iterator[tuple[Any, ...]], config: Config, ctx: RunContext,
                       jobs: int) -> Iterator[list[Outcome]]:
    """The outcomes of each task, task by task in order, cleaned by ``jobs`` processes."""
    if jobs <= 1:
        init_worker(config, ctx)
        for task in tasks:
            yield process_documents(task)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    mp = multiprocessing.get_context(method)
    with mp.Pool(jobs, initializer=init_worker, initargs=(config, ctx, True)) as pool:
        window: deque = deque()
        limit = jobs * _WINDOW_PER_JOB
        for task in tasks:
            window.append(pool.apply_async(process_documents, (task,)))
            while len(window) > limit:
                yield _result(window.popleft())
        while window:
            yield _result(window.popleft())


def _result(item: Any) -> list[Outcome]:
    return item.get()


# -- the run -----------------------------------------------------------------------------

def default_rejects_path(output: str) -> str | None:
    """``OUTPUT.rejects.jsonl`` beside the output (none when writing to stdout)."""
    if output == "-":
        return None
    base = output[:-3] if output.endswith(".gz") else (output[:-4] if output.endswith(".zst") else output)
    base = base[:-6] if base.endswith(".jsonl") else base
    return base + ".rejects.jsonl"


def _identity(input_path: str, files: list[InputFile], config: Config, cleaner: Cleaner,
              rejects: str, checkpoint_every: int) -> dict[str, Any]:
    """What must not change between an interrupted run and its ``--resume``."""
    listing = hashlib.sha256()
    for item in files:
        try:
            info = os.stat(item.path)
            stamp = f"{info.st_size}:{info.st_mtime_ns}"
        except OSError:
            stamp = "-"
        listing.update(f"{item.relpath}\x1f{item.format}\x1f{item.problem}\x1f{stamp}\n".encode("utf-8", "surrogatepass"))
    options = {k: v for k, v in asdict(config).items() if k != "extra"}
    return {"input": os.path.abspath(input_path), "inputs": listing.hexdigest(),
            "options": hashlib.sha256(json.dumps(options, sort_keys=True, default=list).encode()).hexdigest(),
            "rules": cleaner.fingerprint, "rejects": os.path.abspath(rejects),
            "checkpoint_every": checkpoint_every}


class _StopRequest:
    """Ctrl-C / SIGTERM: the first asks the run to stop at the next task; the second stops now."""

    def __init__(self) -> None:
        self.asked = False
        self.previous: dict[int, Any] = {}

    def __enter__(self) -> "_StopRequest":
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self.previous[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum, frame) -> None:
        if self.asked:
            raise KeyboardInterrupt
        self.asked = True
        print("\ncleaner: stopping after the documents in progress (Ctrl-C again to stop now)", file=sys.stderr)

    def __exit__(self, *exc) -> None:
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)


def run(input_path: str, output: str, config: Config, *, jobs: int = 1, rejects: str | None = None,
        progress: bool = False, follow_symlinks: bool = False, resume: bool = False,
        checkpoint_every: int = CHECKPOINT_EVERY, shard_size: int | None = None) -> Summary:
    """Clean every document under ``input_path`` into ``output``; return the counts."""
    cleaner = Cleaner(config)  # load and check the rules before any work (raises ConfigError)
    keep_cleaner(cleaner)  # compiled once: reused here and by forked workers
    if checkpoint_every < 1:
        raise ConfigError("--checkpoint-every must be at least 1")
    files, skipped = list_inputs(input_path, follow_symlinks=follow_symlinks)
    source = config.source or os.path.basename(os.path.normpath(os.path.abspath(input_path))) or "cleaner"
    rejects = rejects if rejects is not None else default_rejects_path(output)
    if output == "-":
        if shard_size:
            raise ConfigError("--shard-size needs an output file, not stdout")
        if resume:
            raise ConfigError("--resume needs an output file, not stdout")
        sink = StreamOutput(rejects)
    else:
        identity = _identity(input_path, files, config, cleaner, rejects, checkpoint_every)
        if shard_size:
            identity["shard_size"] = shard_size
        sink = CheckpointedOutput(output, rejects, identity, resume=resume, shard_size=shard_size)
        if sink.complete:
            return Summary.from_dict(sink.saved["summary"])
    saved = getattr(sink, "saved", {})
    summary = Summary.from_dict(saved["summary"]) if saved else Summary()
    summary.skipped_files, summary.resumed_at, summary.interrupted = skipped, summary.read, False
    ctx = RunContext(source=source, added=saved.get("added") or resolve_added(config.added))
    done = getattr(sink, "tasks_done", 0)
    bar = _progress_bar(summary.read) if progress else None
    tasks = iter_tasks(files, config)
    for _ in range(done):  # what the interrupted run committed: listed again, not cleaned
        next(tasks)
    since_commit = 0
    if jobs > 1 and any(item.format in ("html", "warc") for item in files):
        preload_html()  # once here, not in every forked worker
    stream = iter_task_outcomes(tasks, config, ctx, max(1, jobs))
    try:
        with _StopRequest() as stop:
            for outcomes in stream:
                for outcome in outcomes:
                    summary.add(outcome)
                    if outcome.line is not None:
                        sink.write(outcome.line)
                    else:
                        sink.write_reject(dumps(outcome.reject))
                done += 1
                since_commit += len(outcomes)
                if bar is not None:
                    bar.update(len(outcomes))
                if stop.asked:
                    summary.interrupted = True
                    break
                if since_commit >= checkpoint_every:
                    summary.committed = summary.read
                    sink.commit(done, {"summary": summary.to_dict(), "added": ctx.added})
                    since_commit = 0
        stream.close()  # ends the worker pool
        if not summary.interrupted:
            summary.committed = summary.read
            sink.finish(done, {"summary": summary.to_dict(), "added": ctx.added})
        elif not output.endswith((".gz", ".zst")):  # a member or frame ends where a full run ends one
            summary.committed = summary.read
            sink.commit(done, {"summary": summary.to_dict(), "added": ctx.added})
    finally:
        stream.close()
        sink.close()
        if bar is not None:
            bar.close()
    return summary


def _progress_bar(initial: int):
    from tqdm import tqdm

    tqdm.monitor_interval = 0
    return tqdm(total=None, initial=initial, unit="doc", file=sys.stderr, dynamic_ncols=True, mininterval=0.5)
