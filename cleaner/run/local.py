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

The workers are supervised (:mod:`cleaner.run.supervisor`): a killed worker is replaced
and its task carried on, a worker stuck past the hard time limit is killed. Ctrl-C or
SIGTERM (to the parent or to the whole process group) stops within a fraction of a second:
the tasks finished so far are committed, the workers end, and the summary says how far the
run got and how to resume. A second Ctrl-C stops at once.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import json
import os
import signal
import sys
import threading
from collections import Counter, deque
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Callable, Iterator

from ..errors import ConfigError
from ..pipeline import Cleaner
from ..settings import Config, resolve_added
from ..sinks.checkpoint import CheckpointedOutput, StreamOutput
from ..sinks.paths import check_outputs, is_stream
from ..sinks.records import dumps
from ..sources.compress import COMPRESSED
from ..sources.files import InputFile
from ..sources.readers import Limits, RawDocument, list_inputs, read_file
from ..sources.sites import preload as preload_suffixes
from .supervisor import supervised_outcomes
from .worker import SAMPLES, Outcome, RunContext, init_worker, keep_cleaner, process_documents, sample_of_record

_BATCH_DOCS = 64  # documents per task: big enough to pay for the hand-over to a worker
_BATCH_BYTES = 8 << 20  # and no more bytes than this per task (a batch of big pages)
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
    bytes_in: int = 0
    bytes_out: int = 0
    rule_chars: Counter = field(default_factory=Counter)
    rule_lines: Counter = field(default_factory=Counter)
    kept_ratio: Counter = field(default_factory=Counter)  # written documents by tenth of chars kept
    samples: list = field(default_factory=list)  # a few documents with removals, for the report
    resumed_at: int = 0  # documents already done by the interrupted run(s)
    committed: int = 0  # documents safely on disk (what --resume starts after)
    interrupted: bool = False
    peak_main_mib: int = 0  # peak resident memory of the main process, MiB
    peak_worker_mib: int = 0  # ... and of the largest worker process (0: none ran)

    def note_memory(self) -> None:
        """Record the peak resident memory of this process and of its ended workers."""
        import resource

        scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
        main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale >> 20
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale >> 20
        self.peak_main_mib, self.peak_worker_mib = max(self.peak_main_mib, main), max(self.peak_worker_mib, workers)

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
        self.bytes_in += outcome.bytes_in
        self.bytes_out += outcome.bytes_out
        self.rule_chars.update(outcome.rule_chars)
        self.rule_lines.update(outcome.rule_lines)
        if outcome.line is not None:
            kept = 1 - outcome.chars_removed / outcome.chars_in if outcome.chars_in else 1.0
            self.kept_ratio[str(min(9, int(kept * 10)))] += 1
            if outcome.chars_removed and len(self.samples) < SAMPLES:
                self.samples.append(outcome.sample or sample_of(outcome.line))

    def merge(self, other: "Summary") -> None:
        """Add ``other``'s counts (a shard's) to these; its samples follow these ones."""
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if isinstance(mine, Counter):
                mine.update(theirs)
            elif f.name.startswith("peak_"):
                setattr(self, f.name, max(mine, theirs))
            elif isinstance(mine, bool):
                setattr(self, f.name, mine or theirs)
            elif isinstance(mine, int):
                setattr(self, f.name, mine + theirs)
        self.samples.extend(other.samples[:max(0, SAMPLES - len(self.samples))])

    def to_dict(self) -> dict[str, Any]:
        return {f.name: (dict(v) if isinstance(v := getattr(self, f.name), Counter) else v) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Summary":
        """The summary saved in a manifest; ValueError when a figure is not what it should be."""
        known = {f.name: f for f in fields(cls)}
        out = cls(**{k: v for k, v in data.items() if k in known})
        for name in ("rules", "reasons", "rule_timeouts", "rule_chars", "rule_lines", "kept_ratio"):
            value = getattr(out, name)
            if not (isinstance(value, dict) and all(isinstance(n, int) for n in value.values())):
                raise ValueError(f"summary.{name} is not a table of counts")
            setattr(out, name, Counter(value))
        for name, spec in known.items():
            value = getattr(out, name)
            if spec.type in ("int", "bool") and type(value).__name__ != spec.type:
                raise ValueError(f"summary.{name} is not {'a count' if spec.type == 'int' else 'true or false'}")
        if not isinstance(out.samples, list):
            raise ValueError("summary.samples is not a list")
        return out

    def render(self, top: int = 8) -> str:
        share = self.chars_removed / self.chars_in if self.chars_in else 0.0
        lines = [
            f"cleaner: {self.read} documents read, {self.written} written, {self.rejected} rejected"
            + (f", {self.skipped_files} files skipped (unsupported type: --format text, html, jsonl or warc reads them)" if self.skipped_files else ""),
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
        if self.peak_main_mib:
            lines.append(f"cleaner: peak memory {self.peak_main_mib:,} MiB in the main process"
                         + (f", {self.peak_worker_mib:,} MiB in the largest worker" if self.peak_worker_mib else ""))
        if self.interrupted:
            lines.append(f"cleaner: interrupted after {self.read} documents ({self.committed} of them "
                         "committed); run the same command with --resume to finish")
        return "\n".join(lines)




def sample_of(line: str | bytes) -> dict[str, Any]:
    """What the report shows of one cleaned document, from its written line (Ray's outcomes)."""
    return sample_of_record(json.loads(line))


def _counts(counter: Counter, top: int | None = None) -> str:
    rows = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return ", ".join(f"{key} x{n}" for key, n in rows)


# -- tasks -------------------------------------------------------------------------------

def iter_tasks(files: list[InputFile], config: Config) -> Iterator[list[RawDocument]]:
    """Tasks in output order: batches of the documents of one file as its reader reads them,
    each batch at most ``_BATCH_DOCS`` documents and ``_BATCH_BYTES`` bytes; a document larger
    than that goes alone (never with others, so a worker holds one big document at a time).

    The same inputs and limits always give the same tasks (``--resume`` counts on it).
    """
    limits = Limits(config.max_bytes, config.max_gz_ratio)
    for item in files:  # a task never spans two files: a checkpoint can fall after any file
        batch: list[RawDocument] = []
        size = 0
        for doc in read_file(item, limits):
            weight = len(doc.data) if doc.data is not None else 0
            if batch and size + weight > _BATCH_BYTES:  # a big document goes in a task of its own
                yield batch
                batch, size = [], 0
            batch.append(doc)
            size += weight
            if len(batch) >= _BATCH_DOCS or size >= _BATCH_BYTES:
                yield batch
                batch, size = [], 0
        if batch:
            yield batch


def disk_size(item: InputFile) -> int:
    """The size of an input on disk (0 when it cannot be had: it is then rejected anyway); of
    its range, for a range of a file."""
    if item.span is not None:
        return item.span.end - item.span.start
    try:
        return os.stat(item.path).st_size
    except OSError:
        return 0


def weigh_tasks(files: list[InputFile], config: Config, weights: deque) -> Iterator[list[RawDocument]]:
    """:func:`iter_tasks`, appending to ``weights`` each task's share of the inputs' bytes on disk.

    The shares of a file add up to its size: a plain JSONL batch weighs its lines; the file's
    last task takes what is left (all of it for a whole file, a WARC or a compressed file,
    whose position in the compressed stream is not known). Progress is in bytes on disk.
    """
    carry = 0  # the size of files that made no task
    for item in files:
        size, given = disk_size(item) + carry, 0
        plain = item.format == "jsonl" and not item.path.lower().endswith(COMPRESSED)
        pending = None
        for task in iter_tasks([item], config):
            if pending is not None:
                yield pending
            share = min(size - given, sum(len(doc.data or b"") for doc in task)) if plain else 0
            given += share
            weights.append(share)
            pending = task
        if pending is None:
            carry = size
            continue
        weights[-1] += size - given  # not yet yielded, so not yet taken by the consumer
        carry = 0
        yield pending


def iter_task_outcomes(tasks: Iterator[list[RawDocument]], config: Config, ctx: RunContext,
                       jobs: int, stop: Callable[[], bool] = lambda: False,
                       supervised: bool = False) -> Iterator[list[Outcome]]:
    """The outcomes of each task, task by task in order, cleaned by ``jobs`` processes.

    ``jobs`` 1 cleans in this process unless ``supervised`` (the run's way: then a killed or
    stuck worker is replaced, see :mod:`cleaner.run.supervisor`).
    """
    if jobs <= 1 and not supervised:
        init_worker(config, ctx)
        for task in tasks:
            yield process_documents(task)
        return
    yield from supervised_outcomes(tasks, config, ctx, max(1, jobs), stop)


# -- the run -----------------------------------------------------------------------------

def default_rejects_path(output: str) -> str | None:
    """``OUTPUT.rejects.jsonl`` beside the output (none when writing to a stream)."""
    if is_stream(output):
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


class StopRequest:
    """Ctrl-C / SIGTERM: the first asks the run to stop at the next task; the second stops now."""

    def __init__(self) -> None:
        self.asked = False
        self.previous: dict[int, Any] = {}

    def __enter__(self) -> "StopRequest":
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self.previous[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum, frame) -> None:
        if self.asked:
            raise KeyboardInterrupt
        self.asked = True
        print("\ncleaner: stopping; committing what is done (Ctrl-C again to stop now)", file=sys.stderr)

    def __exit__(self, *exc) -> None:
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)


def build_kept_cleaner(config: Config) -> Cleaner:
    """The run's Cleaner, kept (:func:`~cleaner.run.worker.keep_cleaner`): compiled once, reused
    here and by forked workers.

    The cyclic collector stays off until the keeping freezes what the build made: its first
    pass after the build would scan every object of it (~50 ms with 5,000 rules) just before
    the freeze takes them out of its view for good.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        cleaner = Cleaner(config)
        keep_cleaner(cleaner)
    finally:
        if was_enabled:
            gc.enable()
    return cleaner


def run(input_path: str, output: str, config: Config, *, jobs: int = 1, rejects: str | None = None,
        progress: bool = False, follow_symlinks: bool = False, resume: bool = False,
        checkpoint_every: int = CHECKPOINT_EVERY, shard_size: int | None = None) -> Summary:
    """Clean every document under ``input_path`` into ``output``; return the counts."""
    cleaner = build_kept_cleaner(config)  # load and check the rules before any work (raises ConfigError)
    if checkpoint_every < 1:
        raise ConfigError("--checkpoint-every must be at least 1")
    rejects = rejects if rejects is not None else default_rejects_path(output)
    check_outputs(input_path, {"-o": output, "--rejects": rejects})
    streams = [path for path in (output, rejects) if path is not None and is_stream(path)]
    if streams and (shard_size or resume):
        raise ConfigError(f"{'--shard-size' if shard_size else '--resume'} needs files to write, "
                          f"not a stream ({streams[0]})")
    files, skipped = list_inputs(input_path, follow_symlinks=follow_symlinks, fmt=config.input_format)
    source = config.source or os.path.basename(os.path.normpath(os.path.abspath(input_path))) or "cleaner"
    if is_stream(output):
        sink = StreamOutput(output, rejects)
    else:
        identity = _identity(input_path, files, config, cleaner, rejects, checkpoint_every)
        if shard_size:
            identity["shard_size"] = shard_size
        sink = CheckpointedOutput(output, rejects, identity, resume=resume, shard_size=shard_size)
        if sink.complete:
            return _saved_summary(sink.saved, sink)
    saved = getattr(sink, "saved", {})
    summary = _saved_summary(saved, sink) if saved else Summary()
    summary.skipped_files, summary.resumed_at, summary.interrupted = skipped, summary.read, False
    ctx = RunContext(source=source, added=saved.get("added") or resolve_added(config.added))
    done = getattr(sink, "tasks_done", 0)
    weights: deque = deque()
    tasks = weigh_tasks(files, config, weights)
    skipped_bytes = _skip_committed(tasks, weights, done, sink, output)
    bar = progress_bar(sum(disk_size(f) for f in files), skipped_bytes, summary.read) if progress else None
    if any(item.format in ("html", "warc") for item in files):
        from ..extract.page import preload as preload_html  # (a plain-text run never needs it)

        preload_html()  # once here, not in every forked worker
    if jobs > 1:
        first = next(tasks, None)
        if first is not None:
            tasks = itertools.chain([first], tasks)
            if _may_need_sites(files, first, config):  # parsed once here for the forked workers
                preload_suffixes()
    stop = StopRequest()
    stream = iter_task_outcomes(tasks, config, ctx, max(1, jobs), lambda: stop.asked, supervised=True)
    writer = _OutcomeWriter(sink, summary, weights, bar, {"added": ctx.added}, checkpoint_every)
    try:
        with stop:
            done = writer.write(stream, done, stop)
        stream.close()  # ends the worker pool
        summary.note_memory()  # (the workers have ended: their peaks are counted)
        writer.end(done, output)
    finally:
        stream.close()
        summary.note_memory()
        sink.close()
        if bar is not None:
            bar.close()
    return summary


def _may_need_sites(files: list[InputFile], first: list[RawDocument], config: Config) -> bool:
    """Whether the run's documents may need the Public Suffix List (a URL's site key, ~45 ms to
    parse): HTML and WARC inputs, and JSONL records of the first task that name the URL or HTML
    field. A guess, never a change of output: a worker parses the list itself when a document
    needs it."""
    if any(item.format in ("html", "warc") for item in files):
        return True
    names = [f'"{name}"'.encode("utf-8", "surrogatepass") for name in (config.url_field, config.html_field)]
    return any(doc.url or doc.kind == "html" or (doc.data is not None and doc.kind == "record"
                                                 and any(name in doc.data for name in names))
               for doc in first)


def _skip_committed(tasks: Iterator[list[RawDocument]], weights: deque, done: int, sink, output: str) -> int:
    """Pass over the ``done`` tasks an interrupted run committed (listed again, not cleaned);
    return the input bytes they stand for."""
    skipped_bytes = 0
    for _ in range(done):
        if next(tasks, None) is None:
            sink.close()
            raise ConfigError(f"cannot resume {output}: its manifest counts {done} tasks done, more than "
                              "the input makes; run without --resume to start again")
        skipped_bytes += weights.popleft()
    return skipped_bytes


@dataclass
class _OutcomeWriter:
    """Writes a run's outcomes to its sink, counts them, moves the bar and commits checkpoints."""

    sink: Any
    summary: Summary
    weights: deque  # input bytes of each task, in task order
    bar: Any
    extra: dict[str, Any]  # saved in the manifest beside the summary
    checkpoint_every: int

    def write(self, stream: Iterator[list[Outcome]], done: int, stop: StopRequest) -> int:
        """Every task's outcomes until the stream ends or a stop is asked; return the tasks done."""
        summary, since_commit = self.summary, 0
        for outcomes in stream:
            for outcome in outcomes:
                summary.add(outcome)
                if outcome.line is not None:
                    self.sink.write(outcome.line)
                else:
                    self.sink.write_reject(dumps(outcome.reject))
            done += 1
            since_commit += len(outcomes)
            share = self.weights.popleft()
            if self.bar is not None:
                self.bar.update(share)
                self.bar.set_postfix_str(f"{summary.read:,} docs, {summary.rejected:,} rejected", refresh=False)
            if stop.asked:
                summary.interrupted = True
                break
            if since_commit >= self.checkpoint_every:
                self.commit(done)
                since_commit = 0
        summary.interrupted = summary.interrupted or stop.asked  # the workers stopped first
        return done

    def commit(self, done: int) -> None:
        self.summary.committed = self.summary.read
        self.sink.commit(done, {"summary": self.summary.to_dict(), **self.extra})

    def end(self, done: int, output: str) -> None:
        """Publish a finished run; keep what an interrupted one wrote, where it can be resumed."""
        if not self.summary.interrupted:
            if self.bar is not None:
                self.bar.update(max(0, self.bar.total - self.bar.n))  # inputs that made no task (an empty JSONL)
            self.summary.committed = self.summary.read
            self.sink.finish(done, {"summary": self.summary.to_dict(), **self.extra})
        elif not output.endswith((".gz", ".zst")):  # a member or frame ends where a full run ends one
            self.commit(done)


def _saved_summary(saved: dict[str, Any], sink) -> Summary:
    """The summary an interrupted run saved in its manifest, or ConfigError if it was edited."""
    try:
        if not isinstance(saved.get("added", ""), str):
            raise ValueError("added is not a timestamp")
        return Summary.from_dict(saved["summary"])
    except (KeyError, TypeError, ValueError) as exc:
        sink.close()
        raise ConfigError(f"cannot resume: the manifest of {sink.output} is damaged ({exc}); "
                          "run without --resume to start again") from None


def progress_bar(total: int, initial: int, docs: int):
    """Bytes of input on disk, with rate and ETA; the documents read and rejected beside."""
    from tqdm import tqdm

    tqdm.monitor_interval = 0
    bar = tqdm(total=total, initial=initial, unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr,
               dynamic_ncols=True, mininterval=0.5, smoothing=0.1)
    bar.set_postfix_str(f"{docs:,} docs", refresh=False)
    return bar
