"""Worker processes that may die or hang: every task's outcomes, in task order, whatever happens.

The supervisor keeps ``jobs`` worker processes (:func:`cleaner.run.worker.serve`), each on
its own pipe, and hands them tasks from a bounded window. A worker sends its finished
outcomes at the end of a task or every :data:`~cleaner.run.worker.SEND_EVERY` seconds, and
its clock (shared memory) says which document it is on, so when it dies the document in
progress is known and at most that much finished work is lost (and done again):

- **Killed** (the OOM killer, a segfault in C code, ``kill -9``): noticed at once (its
  process sentinel), a fresh worker is started and the task carries on with the documents
  that have no outcome yet. A document that kills a second worker is rejected as
  ``worker_crashed`` and the task goes on without it.
- **Stuck** past the hard limit (:func:`hard_limit`, a little over ``--doc-timeout``):
  inside C code, where the worker's own timer cannot interrupt it. The supervisor kills
  the worker, rejects the document as ``timeout`` and carries on with a fresh worker.
- **Stop asked** (Ctrl-C, SIGTERM): the supervisor returns within a poll interval; the
  tasks already yielded are what the run commits.

Outcomes are yielded per task in submission order, and a document's outcome never depends
on which worker cleaned it, so the output is the same bytes whatever ``jobs`` is.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from typing import Any, Callable, Iterator

from ..settings import Config
from .worker import Outcome, RunContext, serve, unit_reject, warm_kept

WINDOW_PER_JOB = 4
_POLL = 0.2  # seconds between looks at the stop flag and the clocks


def hard_limit(doc_timeout: float) -> float:
    """Seconds after which a worker still on one document is killed (0: never).

    A little over the soft limit, so that Python code always meets its own timer first
    and only a document stuck in C code is killed.

    >>> hard_limit(60), hard_limit(2), hard_limit(0)
    (70.0, 3.0, 0.0)
    """
    if not doc_timeout or doc_timeout <= 0:
        return 0.0
    return float(doc_timeout + min(10.0, max(1.0, doc_timeout / 4)))


@dataclass(slots=True)
class _Job:
    """One task in the window: its outcomes so far and how often each document crashed."""

    task: list[Any]
    outcomes: list[Outcome | None]
    crashes: Counter = field(default_factory=Counter)
    missing: int = 0  # documents without an outcome

    def settle(self, index: int, outcome: Outcome) -> None:
        """Take the outcome of document ``index`` (the first one given counts)."""
        if self.outcomes[index] is None:
            self.outcomes[index] = outcome
            self.missing -= 1

    @property
    def complete(self) -> bool:
        return not self.missing

    def todo(self) -> list[int]:
        """The indexes of the documents without an outcome, in order."""
        return [i for i, o in enumerate(self.outcomes) if o is None]


class _Worker:
    """One worker process, its pipe and its clock (index and start of the current document)."""

    def __init__(self, mp, config: Config, ctx: RunContext):
        self.clock = mp.RawArray("d", 2)
        self.conn, child = mp.Pipe()
        self.proc = mp.Process(target=serve, args=(child, self.clock, config, ctx), daemon=True)
        self.proc.start()
        child.close()
        self.seq: int | None = None  # the task it works on
        self.killed_for: int | None = None  # the document it was killed for overrunning
        self.dead = False

    def kill(self) -> None:
        try:
            os.kill(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def close(self) -> None:
        self.proc.join()
        self.conn.close()
        self.proc.close()


def _died(worker: _Worker) -> str:
    code = worker.proc.exitcode
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        return f"the worker was killed by {name}" + (" (out of memory?)" if name == "SIGKILL" else "")
    return f"the worker exited with status {code}"


def supervised_outcomes(tasks: Iterator[list[Any]], config: Config, ctx: RunContext, jobs: int,
                        stop: Callable[[], bool] = lambda: False) -> Iterator[list[Outcome]]:
    """The outcomes of each task, task by task in order, cleaned by ``jobs`` supervised workers."""
    pool = _Pool(tasks, config, ctx, jobs)
    try:
        while not stop():
            pool.fill()
            done = pool.next_complete()
            if done is not None:
                yield done
                continue
            if pool.idle:
                return
            pool.dispatch()
            pool.collect()
    finally:
        pool.close()


class _Pool:
    """The workers and the window of tasks in flight: tasks go out in order, outcomes come back
    in batches, and a dead or stuck worker is replaced (see the module's docstring)."""

    def __init__(self, tasks: Iterator[list[Any]], config: Config, ctx: RunContext, jobs: int):
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self.mp = multiprocessing.get_context(method)
        self.config, self.ctx, self.tasks = config, ctx, tasks
        self.hard = hard_limit(config.doc_timeout)
        if method == "fork" and jobs > 1:
            warm_kept(config)  # once here rather than in every worker (one worker: no gain, 40 MB more here)
        self.workers = [_Worker(self.mp, config, ctx) for _ in range(jobs)]
        self.window: dict[int, _Job] = {}
        self.order: deque[int] = deque()
        self.ready: deque[int] = deque()  # tasks waiting for a worker
        self.next_seq, self.exhausted, self.limit = 0, False, jobs * WINDOW_PER_JOB

    @property
    def idle(self) -> bool:
        """No task left in flight (and :meth:`fill` found none to add)."""
        return not self.order

    def fill(self) -> None:
        """Take tasks into the window until it is full or the tasks run out."""
        while not self.exhausted and len(self.order) < self.limit:
            task = next(self.tasks, None)
            if task is None:
                self.exhausted = True
                return
            seq, self.next_seq = self.next_seq, self.next_seq + 1
            self.window[seq] = _Job(task, [None] * len(task), missing=len(task))
            self.ready.append(seq)
            self.order.append(seq)

    def next_complete(self) -> list[Outcome] | None:
        """The oldest task's outcomes once all of them are in (tasks leave in order)."""
        if self.order and self.window[self.order[0]].complete:
            return self.window.pop(self.order.popleft()).outcomes
        return None

    def dispatch(self) -> None:
        """Replace dead workers, and give each idle worker the next task that waits."""
        for i, worker in enumerate(self.workers):
            if worker.dead:
                worker.close()
                worker = self.workers[i] = _Worker(self.mp, self.config, self.ctx)
            if worker.seq is None and self.ready:
                seq = self.ready.popleft()
                job = self.window[seq]
                worker.clock[0], worker.clock[1] = -1, 0.0  # on no document of this task yet
                try:
                    worker.conn.send((seq, job.task, job.todo()))
                except OSError:  # it died since it was last seen (EPIPE): the task waits for its successor
                    self.ready.appendleft(seq)
                    worker.dead = True
                    continue
                worker.seq = seq

    def collect(self) -> None:
        """Wait a poll interval for outcomes and deaths; kill a worker stuck past the hard limit."""
        busy = [w for w in self.workers if w.seq is not None]
        wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], _POLL)
        for worker in busy:
            try:
                while worker.conn.poll():
                    seq, done, finished = worker.conn.recv()
                    job = self.window.get(seq)  # (None: complete and handed on before its end came)
                    for index, outcome in done if job is not None else ():
                        job.settle(index, outcome)
                    if finished:
                        worker.seq = None
            except (EOFError, OSError):
                worker.dead = True
            if not worker.dead and not worker.proc.is_alive():
                worker.dead = True
            if worker.dead:
                if worker.seq is not None:
                    self.on_death(worker)
                continue
            started = worker.clock[1]
            if self.hard and started and time.monotonic() - started > self.hard:
                worker.killed_for = int(worker.clock[0])
                worker.kill()

    def on_death(self, worker: _Worker) -> None:
        """Settle the document a dead worker was on, and put the rest of its task back in line.

        The document is the one its clock was on; a worker that died between two documents
        (or before its first) is charged with the first document that has no outcome.
        """
        job = self.window.get(worker.seq)
        if job is None or job.complete:  # its task's outcomes were all in (and maybe handed on)
            return
        todo = job.todo()
        on = int(worker.clock[0]) if worker.clock[1] else -1
        culprit = on if on in todo else todo[0]
        if worker.killed_for == culprit:
            job.settle(culprit, unit_reject(job.task, culprit, "timeout",
                                            f"took over {self.config.doc_timeout:g}s (stuck; the worker "
                                            f"was stopped after {self.hard:g}s)"))
        else:
            job.crashes[culprit] += 1
            if job.crashes[culprit] >= 2:
                job.settle(culprit, unit_reject(job.task, culprit, "worker_crashed",
                                                _died(worker) + ", twice on this document"))
        if not job.complete:
            self.ready.appendleft(worker.seq)

    def close(self) -> None:
        """Let idle workers exit, kill busy ones, and reap them all within about two seconds."""
        for worker in self.workers:
            if worker.seq is None and not worker.dead:
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
            else:
                worker.kill()
        deadline = time.monotonic() + 2
        for worker in self.workers:
            worker.proc.join(max(0.0, deadline - time.monotonic()))
            if worker.proc.is_alive():
                worker.kill()
            worker.close()
