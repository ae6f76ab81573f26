"""A sharded run, for both engines: plan the shards, clean each one where it runs, commit it
there, and merge the small summaries.

``cleaner run INPUT -o OUTPUT/`` (a directory, or a URL) and ``--engine ray`` both come here.
:func:`clean_shard` is the whole job of one task: it reads its input file itself (through
fsspec for a URL), cleans it with the code of the local engine (:func:`iter_tasks`,
:func:`process_documents`), writes its own part, rejects and attributes, and commits them
(:mod:`cleaner.sinks.shards`); what comes back to the driver is the shard's marker, a few
hundred bytes of counts. :func:`run_sharded` plans, skips what ``--resume`` finds committed
and intact, hands the rest to an executor (a local process pool here, Ray tasks in
:mod:`cleaner.run.ray`) and adds the counts up in shard order.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import multiprocessing
import os
import shutil
import tempfile
from typing import Any, Callable, Iterator

from ..errors import ConfigError, RunFailed
from ..pipeline import Cleaner
from ..settings import Config, resolve_added
from ..sinks.attributes import record_attributes
from ..sinks.records import dumps
from ..sinks.shards import ShardStore, warn
from ..sources.files import InputFile
from ..sources.remote import check_output_url, describe, fetch_to, is_url, open_fs, redact, with_retries
from .local import Summary, iter_tasks
from .plan import Shard, plan_shards, run_identity, source_name
from .worker import RunContext, init_worker, keep_cleaner, process_documents, reject

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


def _ready(config: Config, source: str, added: str, pool_worker: bool) -> None:
    """This process's Cleaner for ``config`` (built once, reused by every shard it cleans); a
    local pool worker leaves Ctrl-C to the parent and dies with it."""
    global _READY
    ctx = RunContext(source=source, added=added)
    if _READY != (config, ctx):
        init_worker(fetch_rule_packs(config), ctx, pool_worker)
        _READY = (config, ctx)


def clean_shard(shard: Shard, job: Job, *, pool_worker: bool = False) -> dict[str, Any]:
    """Clean one shard where this runs and commit its files; its marker (small: counts only)."""
    config, source, added, store, fingerprint = job
    _ready(config, source, added, pool_worker)
    summary = Summary()
    writer = store.open(shard.name, _attributes_line if store.attributes else None)
    scratch = None
    try:
        item = shard.item
        if is_url(item.path) and not item.problem:
            scratch = tempfile.mkdtemp(prefix="cleaner-shard-")
            try:
                item = InputFile(fetch_to(item.path, scratch), item.relpath, item.format)
            except OSError as exc:  # listed with its URL and reason; the other shards go on
                outcome = reject(item.relpath, "unreadable", str(exc)[:300], url=redact(item.path))
                summary.add(outcome)
                writer.write_reject(dumps(outcome.reject))
                item = None
        for task in iter_tasks([item], config) if item is not None else ():
            for outcome in process_documents(task):
                summary.add(outcome)
                if outcome.line is not None:
                    writer.write(outcome.line)
                else:
                    writer.write_reject(dumps(outcome.reject))
        summary.note_memory()  # this process cleaned the shard: its peak is a worker's
        summary.peak_worker_mib, summary.peak_main_mib = max(summary.peak_main_mib, summary.peak_worker_mib), 0
        marker = {"input": shard.item.relpath, "stamp": shard.stamp, "run": fingerprint,
                  "summary": summary.to_dict()}
        return writer.commit(marker)
    except BaseException:
        writer.abort()
        raise
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _attributes_line(line: str) -> str:
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
    store.sweep()
    done: dict[int, dict[str, Any]] = {}
    todo = []
    for shard in shards:
        marker = store.read_json(store.marker_path(shard.name))
        if marker is None or marker.get("run") != fingerprint:
            todo.append(shard)
        elif marker.get("input") != shard.item.relpath or marker.get("stamp") != shard.stamp:
            warn(f"{shard.name}: its input {shard.item.relpath} changed since it was cleaned: cleaning it again")
            todo.append(shard)
        elif (problem := store.verify(marker)) is not None:
            warn(f"{shard.name} was committed but {problem}: cleaning it again")
            todo.append(shard)
        else:
            done[shard.index] = marker
    return todo, done, saved.get("added") or added


def run_sharded(input_path: str, output: str, config: Config, execute: Executor, *,
                rejects: str | None = None, attributes: str | None = None, resume: bool = False,
                follow_symlinks: bool = False) -> Summary:
    """Clean ``input_path`` into one committed part per input file under ``output``."""
    config = config.with_(rule_paths=tuple(p if is_url(p) else os.path.abspath(p) for p in config.rule_paths))
    cleaner = Cleaner(fetch_rule_packs(config))  # load and check the rules before any work
    keep_cleaner(cleaner)  # reused by the local pool's forked workers
    store = prepare_store(output, rejects, attributes)
    shards, skipped = plan_shards(input_path, follow_symlinks=follow_symlinks, fmt=config.input_format)
    added = resolve_added(config.added)
    identity = run_identity(input_path, config, cleaner.fingerprint)
    todo, done, added = _to_do(shards, store, cleaner.fingerprint, resume, identity, added)
    resumed_at = sum(marker["summary"]["read"] for marker in done.values())  # documents, as the local engine counts
    job: Job = (config, source_name(input_path, config), added, store, cleaner.fingerprint)
    total = _InOrder([s.index for s in shards], done)
    failed: dict[int, str] = {}
    interrupted = False
    try:
        for shard, result in execute(todo, job):
            if isinstance(result, BaseException):
                failed[shard.index] = f"{type(result).__name__}: {describe(result)}"
                warn(f"{shard.name} ({shard.item.relpath}) failed: {failed[shard.index]}")
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
        raise RunFailed(f"{len(failed)} of {len(shards)} shards failed (listed above); the others are committed: "
                        "run the same command with --resume to finish", summary)
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

def _clean_in_pool(shard: Shard, job: Job) -> dict[str, Any]:
    return clean_shard(shard, job, pool_worker=True)


def local_executor(jobs: int, attempts: int = 3) -> Executor:
    """Shards cleaned by ``jobs`` local processes; a shard whose worker died is tried again
    (``attempts`` times in all) in a fresh pool."""

    def execute(todo: list[Shard], job: Job) -> Iterator[tuple[Shard, dict[str, Any] | BaseException]]:
        tries = {s.index: 0 for s in todo}
        pending = list(todo)
        while pending:
            broken: list[Shard] = []
            ctx = multiprocessing.get_context("fork")
            with cf.ProcessPoolExecutor(max_workers=max(1, min(jobs, len(pending))), mp_context=ctx) as pool:
                futures = {pool.submit(_clean_in_pool, s, job): s for s in pending}
                try:
                    for future in cf.as_completed(futures):
                        shard = futures[future]
                        tries[shard.index] += 1
                        try:
                            yield shard, future.result()
                        except cf.process.BrokenProcessPool as exc:
                            if tries[shard.index] < attempts:
                                broken.append(shard)
                            else:
                                yield shard, exc
                        except Exception as exc:  # noqa: BLE001 - this shard failed; the others go on
                            yield shard, exc
                except BaseException:  # Ctrl-C: stop now; the committed shards stand, --resume does the rest
                    for process in list(getattr(pool, "_processes", {}).values()):
                        process.terminate()
                    pool.shutdown(wait=False, cancel_futures=True)
                    raise
            pending = sorted(broken, key=lambda s: s.index)

    return execute
