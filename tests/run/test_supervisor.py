"""Workers that die or hang: the run notices, replaces them, goes on and never hangs.

Real runs of the CLI, real SIGKILLs to its worker processes, real signals to its process
group, and a page that keeps libxml2 busy for minutes in one call (a ``<div>`` with a huge
number of attributes), which no timer inside the worker can interrupt.
"""

from __future__ import annotations

import json
import os
import signal
import time

import pytest

from hostile_support import (children, finish, hostile, outcomes, run_cli, session_alive, start, stuck_page,
                             tasks_committed, wait_for, write_good_and_stuck)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_killed_worker_is_replaced_and_the_output_is_the_same(tmp_path, jobs):
    hostile.write_many(tmp_path / "in", files=150, lines=200)
    base = ["run", str(tmp_path / "in"), "--jobs", jobs, "--checkpoint-every", "10"]
    reference = tmp_path / "ref.jsonl"
    assert 0 == run_cli(*base, "-o", str(reference)).returncode
    out = tmp_path / "out.jsonl"
    proc = start(*base, "-o", str(out))
    wait_for(lambda: tasks_committed(tmp_path / ".out.jsonl.progress.json") >= 10 or proc.poll() is not None)
    assert proc.poll() is None, "the run ended before a worker could be killed"
    victim = children(proc.pid)[0]
    os.kill(victim, signal.SIGKILL)  # as the OOM killer does
    finish(proc)
    assert 0 == proc.returncode
    assert victim not in children(proc.pid)
    assert reference.read_bytes() == out.read_bytes()
    assert (tmp_path / "ref.rejects.jsonl").read_bytes() == (tmp_path / "out.rejects.jsonl").read_bytes()


def test_a_document_that_kills_two_workers_is_rejected_and_the_run_goes_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a-deadly.html").write_text(stuck_page())
    (src / "b-good.txt").write_text(hostile.ARTICLE)
    (src / "c-good.html").write_text(hostile.PAGE)
    out = tmp_path / "out.jsonl"
    proc = start("run", str(src), "-o", str(out), "--jobs", "1", "--doc-timeout", "0")
    for _ in range(2):  # the first worker, then the fresh one that retried the document
        victim = wait_for(lambda: children(proc.pid))[0]
        time.sleep(1.0)  # well inside the page, which takes minutes
        os.kill(victim, signal.SIGKILL)
        wait_for(lambda: victim not in children(proc.pid))
    finish(proc)
    assert 0 == proc.returncode
    records, rejects = outcomes(out)
    assert {("b-good.txt", None), ("c-good.html", None)} == set(records)
    assert ["a-deadly.html"] == [path for path, _ in rejects]
    reject = rejects[("a-deadly.html", None)]
    assert "worker_crashed" == reject["reason"]
    assert "SIGKILL" in reject["detail"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_page_stuck_in_c_code_is_stopped_at_the_doc_timeout(tmp_path, jobs):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a-good.txt").write_text(hostile.ARTICLE)
    (src / "b-stuck.html").write_text(stuck_page())
    (src / "c-good.html").write_text(hostile.PAGE)
    out = tmp_path / "out.jsonl"
    proc = start("run", str(src), "-o", str(out), "--jobs", jobs, "--doc-timeout", "1")
    finish(proc, 40)  # the page alone takes minutes
    assert 0 == proc.returncode
    records, rejects = outcomes(out)
    assert {("a-good.txt", None), ("c-good.html", None)} == set(records)
    assert "timeout" == rejects[("b-stuck.html", None)]["reason"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_record_stuck_in_c_code_amid_its_task_is_the_one_rejected(tmp_path, jobs):
    """Workers send their outcomes in batches: the records finished before the stuck one (not yet
    sent when the worker is killed) are cleaned again by its successor and written, and the
    timeout goes to the record the worker's clock was on, not to the first one without an outcome."""
    src = tmp_path / "in.jsonl"
    good = [json.dumps({"id": f"g{i}", "text": hostile.ARTICLE}) for i in range(8)]
    src.write_text("\n".join(good[:5] + [json.dumps({"id": "stuck", "html": stuck_page()})] + good[5:]) + "\n")
    out = tmp_path / "out.jsonl"
    proc = start("run", str(src), "-o", str(out), "--jobs", jobs, "--doc-timeout", "1")
    finish(proc, 60)
    assert 0 == proc.returncode
    records, rejects = outcomes(out)
    assert {("in.jsonl", n) for n in (1, 2, 3, 4, 5, 7, 8, 9)} == set(records)
    assert ["timeout"] == [r["reason"] for r in rejects.values()]
    assert ("in.jsonl", 6) in rejects


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_the_group_stops_the_run_and_resume_finishes(tmp_path, sig):
    src = tmp_path / "in"
    hostile.write_many(src, files=150, lines=200)
    base = ["run", str(src), "--jobs", "2", "--checkpoint-every", "10"]
    reference = tmp_path / "ref.jsonl"
    assert 0 == run_cli(*base, "-o", str(reference)).returncode
    out = tmp_path / "out.jsonl"
    proc = start(*base, "-o", str(out))
    manifest = tmp_path / ".out.jsonl.progress.json"
    wait_for(lambda: tasks_committed(manifest) >= 20 or proc.poll() is not None)
    assert proc.poll() is None, "the run ended before the signal"
    os.killpg(proc.pid, sig)  # timeout(1), systemd, a scheduler or a terminal: the whole group
    stderr = finish(proc, 30)
    assert 130 == proc.returncode, stderr
    assert "interrupted after" in stderr and "--resume" in stderr
    wait_for(lambda: not session_alive(proc.pid))
    assert not out.exists()
    assert json.loads(manifest.read_text())["saved"]["summary"]["committed"] >= 20
    final = run_cli(*base, "-o", str(out), "--resume")
    assert 0 == final.returncode, final.stderr
    assert reference.read_bytes() == out.read_bytes()
    assert (tmp_path / "ref.rejects.jsonl").read_bytes() == (tmp_path / "out.rejects.jsonl").read_bytes()


@pytest.mark.parametrize("presses", [1, 2])
def test_ctrl_c_stops_a_worker_stuck_in_c_code_within_seconds(tmp_path, presses):
    src = write_good_and_stuck(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    proc = start("run", str(src), "-o", str(out), "--jobs", "2", "--doc-timeout", "0")
    wait_for(lambda: children(proc.pid))
    time.sleep(1.5)  # inside the page, which takes minutes
    for _ in range(presses):
        os.killpg(proc.pid, signal.SIGINT)
        time.sleep(0.05)
    stderr = finish(proc, 20)
    assert 130 == proc.returncode, stderr
    assert "--resume" in stderr
    wait_for(lambda: not session_alive(proc.pid), 10)




def test_a_worker_killed_while_idle_gets_no_task_and_is_replaced():
    """A worker that dies with no task (nothing watches it then) is found when a task is handed
    to it: the send fails (EPIPE) and the task goes to a fresh worker. It used to escape as a
    BrokenPipeError, which the command line reports as exit 141."""
    from cleaner import Config
    from cleaner.run.supervisor import supervised_outcomes
    from cleaner.run.worker import RunContext
    from cleaner.sources.readers import RawDocument

    tasks = [[RawDocument(f"{name}.txt", "text", "text", hostile.ARTICLE.encode("utf-8"))] for name in "ab"]
    before = set(children(os.getpid()))
    killed: list[int] = []

    def stop() -> bool:  # asked before each round; the first time, the idle new worker dies
        if not killed:
            killed.extend(sorted(set(children(os.getpid())) - before))
            for pid in killed:
                os.kill(pid, signal.SIGKILL)
            wait_for(lambda: all(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] == "Z"
                                 for pid in killed))
        return False

    results = list(supervised_outcomes(iter(tasks), Config(), RunContext(source="t", added="2023-01-01T00:00:00.000Z"),
                                       1, stop))
    assert 1 == len(killed)
    assert [None, None] == [outcomes[0].reject for outcomes in results]
    assert all(outcomes[0].line for outcomes in results)
