"""A sharded run, for both engines: plan the shards, clean each one, commit it, and merge the
small summaries.

``cleaner run INPUT -o OUTPUT/`` (a directory, or a URL) and ``--engine ray`` both come here.
:func:`run_sharded` plans, skips what ``--resume`` finds committed and intact, hands the rest
to an executor and adds the counts up in shard order. Both executors read a shard's input with
:func:`shard_tasks` (through fsspec for a URL), clean it with the code of the local engine and
write and commit its files with :class:`ShardOutput` (:mod:`cleaner.sinks.shards`):

- Ray (:mod:`cleaner.run.ray`): :func:`clean_shard` is the whole job of one task, where it
  runs; what comes back to the driver is the shard's marker, a few hundred bytes of counts.
- Local (:func:`local_executor`): the shards' tasks go, in order, through the supervised
  workers of the single-file run (:mod:`cleaner.run.supervisor`), so one crashing or stuck
  document is rejected alone, and each shard is committed here once all its tasks are in.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter, deque
from typing import Any, Callable, Iterator

from ..errors import NO_ROOM, ConfigError, RunFailed
from ..settings import Config, resolve_added
from ..sinks.attributes import record_attributes
from ..sinks.records import dumps
from ..sinks.shards import ShardStore, warn
from ..sources.files import InputFile
from ..sources.readers import RawDocument
from ..sources.remote import check_output_url, describe, fetch_to, is_url, open_fs, redact, with_retries
from ..sources.sites import preload as preload_suffixes
from .local import StopRequest, Summary, build_kept_cleaner, iter_tasks, progress_bar, weigh_tasks
from .plan import SHARD_BYTES, Shard, input_stamp, plan_shards, run_identity, source_name
from .supervisor import supervised_outcomes
from .worker import Outcome, RunContext, init_worker, process_documents

# what a task needs besides its shard: (config, source, added, store, run fingerprint)
Job = tuple[Config, str, str, ShardStore, str]
Executor = Callable[[list[Shard], Job], Iterator[tuple[Shard, dict[str, Any] | BaseException]]]

_READY: tuple[Config, RunContext] | None = None
_RULES_DIR: str | None = None


def fetch_rule_packs(config: Config) -> Config:
    """``config`` with every rule pack named by a URL fetched into a local directory (once per
    process): rule packs may live in the object store beside the data."""
    global _RULES_DIR
    if not any(is_url(p) for p in config.rule_paths):
        return config
    if _RULES_DIR is None:
        _RULES_DIR = tempfile.mkdtemp(prefix="cleaner-rules-")
    local = []
    for i, path in enumerate(config.rule_paths):
        if not is_url(path):
            local.append(path)
            continue
        fs, key = open_fs(path)
        target = os.path.join(_RULES_DIR, f"{i}-" + key.rstrip("/").rsplit("/", 1)[-1])
        try:
            if not os.path.exists(target):
                with_retries(lambda: fs.get(key, target, recursive=fs.isdir(key)), f"reading {path}")
        except FileNotFoundError:
            raise ConfigError(f"rule pack not found: {redact(path)}") from None
        except Exception as exc:  # noqa: BLE001
            raise ConfigError(f"cannot read rule pack {redact(path)}: {describe(exc)}") from None
        local.append(target)
    return config.with_(rule_paths=tuple(local))


def _ready(config: Config, source: str, added: str) -> None:
    """This process's Cleaner for ``config`` (built once, reused by every shard it cleans)."""
    global _READY
    ctx = RunContext(source=source, added=added)
    if _READY != (config, ctx):
        init_worker(fetch_rule_packs(config), ctx)
        _READY = (config, ctx)


def shard_tasks(shard: Shard, config: Config, weights: deque | None = None) -> Iterator[list[RawDocument]]:
    """The tasks of one shard in output order, read where this runs: a URL is fetched into a
    scratch directory first, and one that cannot be fetched is a single ``unreadable`` reject
    (listed with its URL and reason; the other files go on). With ``weights``, each task's
    share of the input's bytes is appended to it as :func:`weigh_tasks` does."""
    for item in shard.items:
        scratch = None
        try:
            if is_url(item.path) and not item.problem:
                scratch = tempfile.mkdtemp(prefix="cleaner-shard-")
                try:
                    item = InputFile(fetch_to(item.path, scratch), item.relpath, item.format)
                except OSError as exc:
                    if weights is not None:
                        weights.append(0)
                    yield [RawDocument(item.relpath, item.format, "text", None, reason="unreadable",
                                       detail=str(exc)[:300], origin={"url": redact(item.path)})]
                    continue
            if item.span is not None and input_stamp(item) != shard.stamp:
                # its cuts were planned on other bytes: they may fall inside lines now
                if weights is not None:
                    weights.append(item.span.end - item.span.start)
                yield [RawDocument(item.relpath, item.format, "text", None, reason="input_changed",
                                   detail=f"changed since the run was planned (bytes {item.span.start}-"
                                          f"{item.span.end} of it were this shard); run again",
                                   line=item.span.line, position=item.span.line)]
                continue
            yield from (weigh_tasks([item], config, weights) if weights is not None else iter_tasks([item], config))
        finally:
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)


class ShardOutput:
    """One shard's files while it is cleaned: outcomes in (counted and written), then committed."""

    def __init__(self, shard: Shard, job: Job):
        store, self.fingerprint = job[3], job[4]
        self.shard, self.summary = shard, Summary()
        self.writer = store.open(shard.name, _attributes_line if store.attributes else None)

    def add(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            self.summary.add(outcome)
            if outcome.line is not None:
                self.writer.write(outcome.line)
            else:
                self.writer.write_reject(dumps(outcome.reject))

    def commit(self) -> dict[str, Any]:
        """Publish the shard's files and its marker (nothing is left if that fails); the marker."""
        marker = {"input": self.shard.label, "stamp": self.shard.stamp, "run": self.fingerprint,
                  "summary": self.summary.to_dict()}
        try:
            return self.writer.commit(marker)
        except BaseException:
            self.writer.abort()
            raise

    def abort(self) -> None:
        self.writer.abort()


def clean_shard(shard: Shard, job: Job) -> dict[str, Any]:
    """Clean one shard in this process and commit its files; its marker (small: counts only)."""
    config, source, added = job[:3]
    _ready(config, source, added)
    out = ShardOutput(shard, job)
    try:
        for task in shard_tasks(shard, config):
            out.add(process_documents(task))
        summary = out.summary
        summary.note_memory()  # this process cleaned the shard: its peak is a worker's
        summary.peak_worker_mib, summary.peak_main_mib = max(summary.peak_main_mib, summary.peak_worker_mib), 0
        return out.commit()
    except BaseException:
        out.abort()
        raise


def shard_bytes(shard: Shard) -> int:
    """The size of a shard's input as planned (0 when unknown)."""
    if shard.size >= 0:
        return shard.size
    size = shard.stamp.split(":", 1)[0]
    return int(size) if size.isdigit() else 0


def _attributes_line(line: str | bytes) -> str:
    return dumps(record_attributes(json.loads(line)))


# -- the driver ------------------------------------------------------------------------

def prepare_store(output: str, rejects: str | None, attributes: str | None) -> ShardStore:
    """The store for OUTPUT, checked before any work: a bucket that does not exist is exit 2."""
    for path in (output, rejects, attributes):
        if path is None:
            continue
        if is_url(path):
            check_output_url(path)
        elif os.path.exists(path) and not os.path.isdir(path):
            raise ConfigError(f"a sharded OUTPUT is a directory or a URL prefix: {path} is a file")
    return ShardStore(output, rejects, attributes)


def _to_do(shards: list[Shard], store: ShardStore, fingerprint: str, resume: bool,
           identity: dict[str, Any], added: str) -> tuple[list[Shard], dict[int, dict[str, Any]], str]:
    """The shards still to clean, the markers of those already done, and the run's ``added``."""
    saved = store.read_json(store.run_path) if resume else None
    if resume and saved is None:
        warn(f"nothing to resume in {store.output}: starting from the beginning")
    if saved is not None and saved.get("run") != identity:
        changed = sorted(k for k in identity if (saved.get("run") or {}).get(k) != identity[k])
        raise ConfigError(f"cannot resume {redact(store.output)}: the rules or options changed since the "
                          f"interrupted run ({', '.join(changed)}); run without --resume to start again")
    if saved is None:
        store.clear({s.name for s in shards})
        store.write_json(store.run_path, {"version": 1, "run": identity, "added": added})
        return shards, {}, added
    store.remove_stale({s.name for s in shards})
    store.sweep()
    done: dict[int, dict[str, Any]] = {}
    todo = []
    for shard in shards:
        marker = store.read_json(store.marker_path(shard.name))
        if marker is None or marker.get("run") != fingerprint:
            todo.append(shard)
        elif marker.get("input") != shard.label or marker.get("stamp") != shard.stamp:
            warn(f"{shard.name}: its input {shard.label} changed since it was cleaned: cleaning it again")
            todo.append(shard)
        elif (problem := store.verify(marker)) is not None:
            warn(f"{shard.name} was committed but {problem}: cleaning it again")
            todo.append(shard)
        else:
            done[shard.index] = marker
    return todo, done, saved.get("added") or added


def run_sharded(input_path: str, output: str, config: Config, execute: Executor, *,
                rejects: str | None = None, attributes: str | None = None, resume: bool = False,
                follow_symlinks: bool = False, shard_bytes: int = SHARD_BYTES) -> Summary:
    """Clean ``input_path`` into one committed part per shard under ``output`` (shards planned by
    :func:`cleaner.run.plan.plan_shards` with ``shard_bytes``)."""
    config = config.with_(rule_paths=tuple(p if is_url(p) else os.path.abspath(p) for p in config.rule_paths))
    cleaner = build_kept_cleaner(fetch_rule_packs(config))  # load and check the rules before any work
    store = prepare_store(output, rejects, attributes)
    shards, skipped = plan_shards(input_path, follow_symlinks=follow_symlinks, fmt=config.input_format,
                                  shard_bytes=shard_bytes)
    added = resolve_added(config.added)
    identity = dict(run_identity(input_path, config, cleaner.fingerprint), shard_bytes=shard_bytes)
    todo, done, added = _to_do(shards, store, cleaner.fingerprint, resume, identity, added)
    resumed_at = sum(marker["summary"]["read"] for marker in done.values())  # documents, as the local engine counts
    job: Job = (config, source_name(input_path, config), added, store, cleaner.fingerprint)
    total = _InOrder([s.index for s in shards], done)
    failed: dict[int, str] = {}
    interrupted = no_room = False
    try:
        for shard, result in execute(todo, job):
            if isinstance(result, BaseException):
                no_room = no_room or (isinstance(result, OSError) and result.errno in NO_ROOM)
                failed[shard.index] = f"{type(result).__name__}: {describe(result)}"
                warn(f"{shard.name} ({shard.label}) failed: {failed[shard.index]}")
                total.skip(shard.index)
            else:
                total.add(shard.index, result)
    except KeyboardInterrupt:
        interrupted = True
    summary = total.finish()
    summary.note_memory()  # the driver's own peak (and the local pool's workers, once ended)
    summary.skipped_files, summary.resumed_at = skipped, resumed_at
    summary.interrupted = interrupted
    summary.committed = summary.read
    if failed and not interrupted:
        room = ("; make room on the file system that holds the output, then " if no_room
                else ": ")
        raise RunFailed(f"{len(failed)} of {len(shards)} shards failed (listed above); the others are committed"
                        f"{room}run the same command with --resume to finish", summary, no_room=no_room)
    return summary


class _InOrder:
    """The shards' counts added up in shard order as they arrive in any order: a marker waits
    only until the shards before it are in, so the driver holds a few markers, not all of them."""

    def __init__(self, order: list[int], done: dict[int, dict[str, Any]]):
        self.order, self.cursor = order, 0
        self.waiting: dict[int, dict[str, Any] | None] = dict(done)
        self.total = Summary()
        self._advance()

    def add(self, index: int, marker: dict[str, Any]) -> None:
        self.waiting[index] = marker
        self._advance()

    def skip(self, index: int) -> None:
        self.waiting[index] = None
        self._advance()

    def _advance(self) -> None:
        while self.cursor < len(self.order) and self.order[self.cursor] in self.waiting:
            marker = self.waiting.pop(self.order[self.cursor])
            if marker is not None:
                self.total.merge(Summary.from_dict(marker["summary"]))
            self.cursor += 1

    def finish(self) -> Summary:
        """The total; shards still missing (an interrupted run) are left out, the rest added in order."""
        for index in sorted(self.waiting):
            if self.waiting[index] is not None:
                self.total.merge(Summary.from_dict(self.waiting[index]["summary"]))
        self.waiting.clear()
        return self.total


# -- the local executor ------------------------------------------------------------------

def local_executor(jobs: int, progress: bool = False) -> Executor:
    """Shards cleaned by ``jobs`` supervised local processes, as the single-file run cleans
    (:mod:`cleaner.run.supervisor`): a document that kills two workers is rejected alone
    (``worker_crashed``), one stuck in C code past the hard limit is killed (``timeout``), and
    Ctrl-C or SIGTERM stops within seconds with the shards completed so far committed.
    ``progress``: the byte progress bar of the single-file run, over the shards to clean."""

    def execute(todo: list[Shard], job: Job) -> Iterator[tuple[Shard, dict[str, Any] | BaseException]]:
        return _SupervisedShards(todo, job, jobs, progress).results()

    return execute


class _SupervisedShards:
    """The shards' tasks, in shard order, through one supervised pool; each shard committed
    here (in this process) once the outcomes of all its tasks are written."""

    def __init__(self, todo: list[Shard], job: Job, jobs: int, progress: bool):
        self.todo, self.job, self.jobs = todo, job, max(1, jobs)
        self.shards = {shard.index: shard for shard in todo}
        self.config = fetch_rule_packs(job[0])
        self.owners: deque[tuple[int, int]] = deque()  # (shard, bytes) of each task handed on
        self.tasks_of: dict[int, int] = {}  # tasks per shard, once its input is all read
        self.seen: Counter = Counter()  # tasks whose outcomes came back, per shard
        self.failed: dict[int, BaseException] = {}
        self.outputs: dict[int, ShardOutput] = {}
        self.cursor = 0  # the first shard not yet committed (or failed)
        self.progress, self.bar = progress, None
        self.shown: Counter = Counter()  # bytes the bar has shown, per shard
        self.read = self.rejected = 0

    def feed(self) -> Iterator[list[RawDocument]]:
        """Every shard's tasks in order; a shard whose input fails midway fails alone."""
        weights: deque = deque()
        for shard in self.todo:
            count = 0
            try:
                for task in shard_tasks(shard, self.config, weights):
                    self.owners.append((shard.index, weights.pop()))
                    count += 1
                    yield task
            except Exception as exc:  # noqa: BLE001 - this shard failed; the others go on
                self.failed[shard.index] = exc
                weights.clear()
            self.tasks_of[shard.index] = count

    def results(self) -> Iterator[tuple[Shard, dict[str, Any] | BaseException]]:
        if not self.todo:  # all committed by an earlier run: no worker to start
            return
        source, added = self.job[1], self.job[2]
        self.bar = progress_bar(sum(map(shard_bytes, self.todo)), 0, 0) if self.progress else None
        if any(item.format in ("html", "warc") for shard in self.todo for item in shard.items):
            from ..extract.page import preload as preload_html  # (a plain-text run never needs it)

            preload_html()  # once here, not in every forked worker
        if self.jobs > 1:  # parsed once here for the forked workers; one worker parses it if a URL needs it
            preload_suffixes()
        stop = StopRequest()
        try:
            with stop:
                stream = supervised_outcomes(self.feed(), self.config, RunContext(source=source, added=added),
                                             self.jobs, lambda: stop.asked)
                try:
                    for outcomes in stream:
                        index, weight = self.owners.popleft()
                        yield from self.settle()  # the shards before this task's, all in
                        self.take(index, outcomes, weight)
                        yield from self.settle()
                        if stop.asked:
                            break
                finally:
                    stream.close()  # ends the workers
                yield from self.settle()  # shards without tasks at the end; after a stop, what is complete
        finally:
            for out in self.outputs.values():
                out.abort()
            if self.bar is not None:
                self.bar.close()
        if stop.asked:
            raise KeyboardInterrupt

    def take(self, index: int, outcomes: list[Outcome], weight: int) -> None:
        """Write one task's outcomes into its shard's files."""
        self.seen[index] += 1
        self.read += len(outcomes)
        self.rejected += sum(outcome.line is None for outcome in outcomes)
        if self.bar is not None:
            self.bar.update(weight)
            self.shown[index] += weight
            self.bar.set_postfix_str(f"{self.read:,} docs, {self.rejected:,} rejected", refresh=False)
        if index in self.failed:
            return
        try:
            if index not in self.outputs:
                self.outputs[index] = ShardOutput(self.shards[index], self.job)
            self.outputs[index].add(outcomes)
        except Exception as exc:  # noqa: BLE001 - this shard failed; the others go on
            self.failed[index] = exc
            out = self.outputs.pop(index, None)
            if out is not None:
                out.abort()

    def settle(self) -> Iterator[tuple[Shard, dict[str, Any] | BaseException]]:
        """Commit, in order, the shards whose tasks have all come back."""
        while self.cursor < len(self.todo):
            shard = self.todo[self.cursor]
            if shard.index not in self.tasks_of or self.seen[shard.index] < self.tasks_of[shard.index]:
                return
            self.cursor += 1
            out = self.outputs.pop(shard.index, None)
            result: dict[str, Any] | BaseException | None = self.failed.get(shard.index)
            if result is None:
                try:
                    result = (out or ShardOutput(shard, self.job)).commit()
                except Exception as exc:  # noqa: BLE001 - this shard failed; the others go on
                    result = exc
            elif out is not None:
                out.abort()
            if self.bar is not None:
                self.bar.update(max(0, shard_bytes(shard) - self.shown.pop(shard.index, 0)))
            yield shard, result
