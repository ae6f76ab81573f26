"""Benchmark ``cleaner run`` against its anchors, measured side by side in one run.

    python tests/perf/bench.py                 # every figure (a few minutes on 2 cores)
    python tests/perf/bench.py --quick         # small inputs, for iterating

Anchors, run on the same machine in the same run:
- datatrove's JsonlReader -> C4QualityFilter -> JsonlWriter, one task (``pip install datatrove``;
  a benchmark-only extra, never a runtime dependency of cleaner);
- trafilatura's own CLI over a directory of HTML pages (``--input-dir``, ``--json``).

Inputs are built in a temporary directory from ``../shared/bench`` (never copied into the
repository): scraped-page text wrapped into JSONL records and replicated to ``--mb``
megabytes, and the HTML pages decompressed. Every figure is printed next to its target.
This file is not collected by pytest (speed is measured here, never by timed tests).
"""

from __future__ import annotations

import argparse
import glob
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BENCH = Path(os.environ.get("CLEANER_BENCH_DATA", REPO.parent / "shared" / "bench"))
if not BENCH.is_dir():
    BENCH = Path("/work/shared/bench")
BIN = Path(sys.executable).parent
MB = 1_000_000

DATATROVE = """
import sys
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.filters import C4QualityFilter
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter
src, out, logs = sys.argv[1:4]
LocalPipelineExecutor(pipeline=[JsonlReader(src, glob_pattern="*.jsonl"), C4QualityFilter(),
                                JsonlWriter(out, compression=None)],
                      tasks=1, workers=1, logging_dir=logs).run()
"""


def text_pages() -> list[dict]:
    """One record per scraped-text page of the bench sets."""
    pages = []
    for path in sorted(glob.glob(str(BENCH / "*" / "text" / "*.txt"))):
        with open(path, encoding="utf-8", errors="replace") as fh:
            pages.append({"id": f"{Path(path).parent.parent.name}/{Path(path).stem}", "text": fh.read()})
    if not pages:
        sys.exit(f"bench: no text pages under {BENCH}/*/text")
    return pages


def write_corpus(pages: list[dict], path: Path, megabytes: float) -> int:
    """Replicate ``pages`` as JSONL records into ``path`` until it holds ``megabytes`` of text."""
    target, written, copy = megabytes * MB, 0, 0
    with open(path, "w", encoding="utf-8") as fh:
        while written < target:
            for page in pages:
                fh.write(json.dumps({"id": f"{page['id']}#{copy}", "text": page["text"]}) + "\n")
                written += len(page["text"].encode("utf-8"))
                if written >= target:
                    break
            copy += 1
    return written


def write_html_dir(directory: Path, limit: int) -> tuple[int, int]:
    """Decompress up to ``limit`` bench pages into ``directory``; (pages, bytes)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = sorted(glob.glob(str(BENCH / "*" / "html" / "*.html.gz")))[:limit]
    total = 0
    for path in paths:
        data = gzip.decompress(Path(path).read_bytes())
        (directory / f"{Path(path).parent.parent.name}-{Path(path).name[:-3]}").write_bytes(data)
        total += len(data)
    return len(paths), total


def timed(cmd: list[str], **kw) -> tuple[float, int]:
    """Run ``cmd``; (wall seconds, peak RSS in kB of it and its waited-for children)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"bench: {' '.join(cmd)} failed ({code}):\n{err[-2000:]}")
    return elapsed, usage.ru_maxrss


def cleaner_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "cleaner", "run", *args, "-q"]
