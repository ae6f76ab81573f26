"""A document that takes too long becomes a ``timeout`` reject; the worker carries on."""

from __future__ import annotations

import time

import pytest

from cleaner import DocumentError
from cleaner.run.worker import time_limit
from hostile_support import hostile, outcomes, run_cli


def test_time_limit_stops_python_work():
    started = time.monotonic()
    with pytest.raises(DocumentError) as info:
        with time_limit(0.2):
            while True:
                pass
    assert "timeout" == info.value.reason
    assert time.monotonic() - started < 5


def test_time_limit_leaves_fast_work_alone():
    with time_limit(5):
        total = sum(range(1000))
    assert 499500 == total
    time.sleep(0.01)  # no stray alarm afterwards


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_slow_page_times_out_and_the_rest_is_written(tmp_path, jobs):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a-good.txt").write_text(hostile.ARTICLE)
    slow = hostile.slow_page(40000)  # about 10 s of work on an idle machine, linear in its size
    (src / "b-slow.html").write_text(slow)
    (src / "c-good.html").write_text(hostile.PAGE)
    (src / "d.jsonl").write_text('{"id": "1", "text": "%s"}\n{"id": "2", "html": "%s"}\n'
                                 % (hostile.SENTENCE, slow.replace("'", "")))
    out = tmp_path / "out.jsonl"
    # 2 s: far above a good page (~0.05 s) even on a loaded machine, far below the slow one (~10 s;
    # 8,000 rows took 8 s while block location was quadratic, 2.3 s since: too close to the limit)
    proc = run_cli("run", str(src), "-o", str(out), "--jobs", jobs, "--doc-timeout", "2")
    assert 0 == proc.returncode, proc.stderr
    records, rejects = outcomes(out)
    assert {("a-good.txt", None), ("c-good.html", None), ("d.jsonl", 1)} == set(records)
    assert {("b-slow.html", None): "timeout", ("d.jsonl", 2): "timeout"} == {k: r["reason"] for k, r in rejects.items()}
    assert "timeout x2" in proc.stderr
