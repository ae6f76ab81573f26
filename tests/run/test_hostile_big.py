"""Hostile sizes: a 100 MB line and a 1 GB file are rejected without being read whole."""

from __future__ import annotations

import subprocess
import sys

from hostile_support import ENV, hostile, outcomes

PEAK = ("import resource, sys\n"
        "from cleaner.cli.main import main\n"
        "code = main(sys.argv[1:])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")


def peak_kib(*args: str) -> int:
    """Run ``cleaner`` in one process (``--jobs 1``) and return its peak resident memory."""
    proc = subprocess.run([sys.executable, "-c", PEAK, *args, "--jobs", "1", "-q"], capture_output=True,
                          text=True, env=ENV, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return int(proc.stdout.split()[-1])


def test_huge_line_and_sparse_gigabyte_are_rejected_in_bounded_memory(tmp_path):
    small = tmp_path / "small"
    small.mkdir()
    (small / "good.txt").write_text(hostile.ARTICLE)
    big = tmp_path / "big"
    big.mkdir()
    (big / "good.txt").write_text(hostile.ARTICLE)
    expected = hostile.write_big(big)
    expected[("good.txt", None)] = "written"
    limit = "1000000"
    baseline = peak_kib("run", str(small), "-o", str(tmp_path / "small.jsonl"), "--max-bytes", limit)
    heavy = peak_kib("run", str(big), "-o", str(tmp_path / "big.jsonl"), "--max-bytes", limit)
    records, rejects = outcomes(tmp_path / "big.jsonl")
    actual = {key: "written" if key in records else rejects[key]["reason"] for key in expected}
    assert expected == actual
    assert {"too_large"} == {rec["reason"] for rec in rejects.values()}
    # the 100 MiB line and the 1 GiB file must not have been held in memory
    assert heavy - baseline < 48 * 1024, (baseline, heavy)
