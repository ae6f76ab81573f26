"""Benchmark ``cleaner run`` against its anchors, measured side by side in one run.

    python tests/perf/bench.py                 # every figure (a few minutes on 2 cores)
    python tests/perf/bench.py --quick         # small inputs, for iterating
    python tests/perf/bench.py --only ray      # --engine ray: 2 workers vs 1, the driver's memory

Anchors, run on the same machine in the same run:
- datatrove's JsonlReader -> C4QualityFilter -> JsonlWriter, one task (``pip install datatrove``;
  a benchmark-only extra, never a runtime dependency of cleaner);
- trafilatura's own CLI over a directory of HTML pages (``--input-dir``, ``--json``; and with
  ``--with-metadata`` against ``cleaner run --html-metadata full``). Every cleaner figure is
  the best of ``--repeat`` runs of its command, and so is every anchor.

Inputs are built in a temporary directory from ``../shared/bench`` (never copied into the
repository): scraped-page text wrapped into JSONL records (a fixed sample of ``--mb``
megabytes of distinct pages from every set, at most all of them, about 22 MB; the memory
figure compares it with a tenth of it), and the HTML pages decompressed. Every figure is printed next to its target.
This file is not collected by pytest (speed is measured here, never by timed tests).
"""

from __future__ import annotations

import argparse
import glob
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
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


def sample_pages(pages: list[dict], megabytes: float) -> list[dict]:
    """A fixed random sample of ``pages`` holding about ``megabytes`` of text (every set mixed in)."""
    shuffled = list(pages)
    random.Random(0).shuffle(shuffled)
    out, size = [], 0
    for page in shuffled:
        if size >= megabytes * MB:
            break
        out.append(page)
        size += len(page["text"].encode("utf-8"))
    return out


def write_corpus(pages: list[dict], path: Path) -> int:
    """``pages`` as JSONL records; the bytes of text written."""
    written = 0
    with open(path, "w", encoding="utf-8") as fh:
        for page in pages:
            fh.write(json.dumps({"id": page["id"], "text": page["text"]}) + "\n")
            written += len(page["text"].encode("utf-8"))
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


class Run(tuple):
    """(wall seconds, peak RSS in kB) of a command, with its CPU seconds as ``.cpu``."""

    cpu: float
    code: int
    err: str
    workers: int  # peak RSS in kB of the largest process it started (a worker cleans the documents)
    main_cpu: float | None  # CPU seconds of its own process (its workers' are the rest): cleaner_cmd(own_cpu=True)


def _hwm_kb(pid: int) -> int:
    """Peak resident memory of a running process (VmHWM; counts only its own memory since exec)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    """The processes ``pid`` started, and theirs (from /proc; empty where it is not readable)."""
    out, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            with open(f"/proc/{parent}/task/{parent}/children", encoding="ascii") as fh:
                kids = [int(k) for k in fh.read().split()]
        except OSError:
            continue
        out.extend(kids)
        todo.extend(kids)
    return out


def timed(cmd: list[str], check: bool = True, **kw) -> Run:
    """Run ``cmd``; (wall seconds, peak RSS in kB of the process itself), CPU seconds in ``.cpu``,
    the exit code in ``.code`` and the end of stderr in ``.err``.

    The peak is polled from /proc (wait4's ru_maxrss would include this script's own memory,
    inherited through fork); CPU time includes the command's worker processes. ``check``: a
    command that fails (exit code past 1) stops the bench; else the caller looks at ``.code``.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    err_chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)
    reader.start()
    peak = workers = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _hwm_kb(proc.pid))
        workers = max([workers, *map(_hwm_kb, _descendants(proc.pid))])
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    proc.stderr.close()
    err = b"".join(err_chunks).decode("utf-8", "replace")
    if check and proc.returncode not in (0, 1):
        sys.exit(f"bench: {' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    run = Run((elapsed, peak))
    run.cpu = usage.ru_utime + usage.ru_stime
    run.code, run.err = proc.returncode, err[-2000:]
    run.workers = workers
    said = [line for line in err.splitlines() if line.startswith(_OWN_CPU)]
    run.main_cpu = float(said[-1][len(_OWN_CPU):]) if said else None
    return run


_OWN_CPU = "bench: main process cpu "
# What ``python -m cleaner`` runs (cleaner/__main__.py), then the CPU seconds of this process
# alone, its workers not counted, on stderr
_RUN_AND_SAY_CPU = f"""
import resource, sys
from cleaner.cli.main import main
try:
    code = main(sys.argv[1:])
finally:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    sys.stderr.write("\\n{_OWN_CPU}" + str(usage.ru_utime + usage.ru_stime) + "\\n")
sys.exit(code)
"""


def cleaner_cmd(*args: str, own_cpu: bool = False) -> list[str]:
    """``cleaner run ARGS -q`` (``own_cpu``: the same call, which also says the CPU of the main
    process on stderr: ``timed`` reads it into ``.main_cpu``)."""
    # -P: the installed cleaner, never the source tree of the current directory (whose compiled
    # core may be stale or not built: then the Python reference would be measured)
    safe = ["-P"] if sys.version_info >= (3, 11) else []
    how = ["-c", _RUN_AND_SAY_CPU] if own_cpu else ["-m", "cleaner"]
    return [sys.executable, *safe, *how, "run", *args, "-q"]


def has_module(name: str) -> bool:
    return subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True).returncode == 0


class Table:
    """Rows of figures printed as they come and again at the end."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    def add(self, figure: str, ours: str, anchor: str, ratio: str, target: str, ok: bool | None) -> None:
        row = (figure, ours, anchor, ratio, target, "-" if ok is None else ("yes" if ok else "NO"))
        self.rows.append(row)
        print("  " + " | ".join(row), flush=True)

    def render(self) -> str:
        head = ("figure", "cleaner", "anchor (same run)", "ratio", "target", "met")
        rows = [head] + self.rows
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        fmt = lambda r: " | ".join(c.ljust(w) for c, w in zip(r, widths))  # noqa: E731
        return "\n".join([fmt(head), "-+-".join("-" * w for w in widths)] + [fmt(r) for r in self.rows])


def bench_text(work: Path, args, table: Table) -> None:
    # distinct pages only: a page seen twice would be cheaper the second time (the classifier
    # caches what it decided for lines and whole pages), which no real corpus offers
    every = text_pages()
    pages = sample_pages(every, args.mb)
    src = work / "text"
    src.mkdir()
    corpus = src / "corpus.jsonl"
    size = write_corpus(pages, corpus) / MB
    small = work / "small.jsonl"
    small_size = write_corpus(pages[: max(1, len(pages) // 10)], small) / MB
    print(f"text corpus: {size:.1f} MB of page text in {corpus.stat().st_size / MB:.1f} MB of JSONL "
          f"({len(pages)} distinct bench pages of {len(every)}, a fixed sample of every set)", flush=True)
    added = ["--added", "2020-01-01T00:00:00.000Z"]

    pack = work / "generated.yaml"
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from rulegen import write_pack

    write_pack(str(pack), args.rules)
    # the first run with a pack loads it from its YAML and keeps what it loaded in the cache
    # (cleaner.rules.packcache); every later run reads that: timed once here, before the others
    cold = timed(cleaner_cmd(str(corpus), "-o", str(work / "c-cold.jsonl"), "-j", "1", "--rules", str(pack), *added))
    # one core with the shipped rules, with the generated ones, and --jobs N, in turns, --repeat
    # times; each figure keeps its best run (a machine's noise only ever adds time)
    jobs = max(2, args.jobs)
    singles, manys, pars = [], [], []
    for _ in range(max(1, args.repeat)):
        singles.append(timed(cleaner_cmd(str(corpus), "-o", str(work / "c1.jsonl"), "-j", "1", *added,
                                         own_cpu=True)))
        manys.append(timed(cleaner_cmd(str(corpus), "-o", str(work / "c-many.jsonl"), "-j", "1",
                                       "--rules", str(pack), *added)))
        pars.append(timed(cleaner_cmd(str(corpus), "-o", str(work / "c2.jsonl"), "-j", str(jobs), *added,
                                      own_cpu=True)))
    first = min(singles, key=lambda run: run.cpu)
    one, rss_big = min(run[0] for run in singles), max(run[1] for run in singles)
    ours, ours_cpu = size / one, size / first.cpu
    # datatrove's C4QualityFilter splits sentences with spaCy: without it the anchor crashes, and a
    # crash is reported as one, never as a speed
    dt_runs = [timed([sys.executable, "-c", DATATROVE, str(src), str(work / f"dt-out{run}"),
                      str(work / f"dt-logs{run}")], check=False)
               for run in range(max(1, args.repeat))] if has_module("datatrove") else []
    dt_ok = [run for run in dt_runs if run.code == 0 and list((work / "dt-out0").glob("*"))]
    if dt_ok:
        dt_run = min(dt_ok, key=lambda run: run[0])
        dt_cpu = min(dt_ok, key=lambda run: run.cpu)
        dt = dt_run[0]
        theirs, theirs_cpu = size / dt, size / dt_cpu.cpu
        table.add("text: MB/s per core by wall clock, -j 1 (read JSONL, clean, write)",
                  f"{ours:.2f} MB/s ({one:.1f} s)", f"datatrove C4 {theirs:.2f} MB/s ({dt:.1f} s)",
                  f"{ours / theirs:.1f}x", ">= 30x and >= 15 MB/s", ours / theirs >= 30 and ours >= 15)
        table.add("text: MB/s per CPU second (load-independent)", f"{ours_cpu:.2f} MB/s ({first.cpu:.1f} cpu s)",
                  f"datatrove C4 {theirs_cpu:.2f} MB/s ({dt_cpu.cpu:.1f} cpu s)", f"{ours_cpu / theirs_cpu:.1f}x",
                  ">= 30x and >= 15 MB/s", ours_cpu / theirs_cpu >= 30 and ours_cpu >= 15)
    else:
        why = ("not installed (pip install datatrove spacy)" if not dt_runs else
               f"crashed (exit {dt_runs[0].code}): {dt_runs[0].err.strip().splitlines()[-1:] or ''}")
        print(f"  datatrove anchor {why}: no anchor figure", flush=True)
        table.add("text: MB/s, 1 core (wall clock)", f"{ours:.2f} MB/s ({one:.1f} s)",
                  f"datatrove {why[:60]}", "-", ">= 15 MB/s", ours >= 15)
        table.add("text: MB/s per CPU second (load-independent)", f"{ours_cpu:.2f} MB/s ({first.cpu:.1f} cpu s)",
                  "datatrove: no figure", "-", ">= 15 MB/s", ours_cpu >= 15)

    # output bytes per input byte (JSONL in), with each provenance form
    compact = timed(cleaner_cmd(str(corpus), "-o", str(work / "c-compact.jsonl"), "-j", "1",
                                "--provenance", "compact", *added))
    jsonl_in = corpus.stat().st_size
    full_out, compact_out = (work / "c1.jsonl").stat().st_size, (work / "c-compact.jsonl").stat().st_size
    table.add("output bytes per input byte (JSONL in), --provenance full vs compact",
              f"compact {compact_out / jsonl_in:.2f} ({size / compact.cpu:.2f} MB/s per cpu s)",
              f"full {full_out / jsonl_in:.2f}", f"{compact_out / full_out:.2f}x", "-", None)

    many_run = min(manys, key=lambda run: run.cpu)
    many = many_run.cpu
    table.add(f"text with {args.rules} more rules: CPU seconds, -j 1", f"{many:.1f} cpu s ({many_run[0]:.1f} s)",
              f"shipped rules {first.cpu:.1f} cpu s ({first[0]:.1f} s)", f"{many / first.cpu:.2f}x", "<= 1.5x",
              many / first.cpu <= 1.5)
    table.add(f"text with {args.rules} more rules, its first run (the pack not yet in the cache)",
              f"{cold.cpu:.1f} cpu s ({cold[0]:.1f} s)", f"shipped rules {first.cpu:.1f} cpu s",
              f"{cold.cpu / first.cpu:.2f}x", "-", None)

    par_run = min(pars, key=lambda run: run[0])
    par = par_run[0]
    table.add(f"text: --jobs {jobs} vs --jobs 1 throughput", f"{size / par:.2f} MB/s ({par:.1f} s)",
              f"--jobs 1 {ours:.2f} MB/s ({one:.1f} s)", f"{one / par:.2f}x", ">= 1.8x (2 jobs)",
              one / par >= 1.8)
    # The main process starts (imports, loads the packs), reads, hands out, collects and writes;
    # the workers clean. Its CPU is what it takes from the workers when every core is cleaning.
    if par_run.main_cpu is not None and first.main_cpu is not None:
        table.add(f"text: the main process's share of the CPU, --jobs {jobs} (--jobs 1)",
                  f"{par_run.main_cpu:.2f} of {par_run.cpu:.1f} cpu s ({par_run.main_cpu / par_run.cpu:.0%})",
                  f"--jobs 1 {first.main_cpu:.2f} of {first.cpu:.1f} cpu s ({first.main_cpu / first.cpu:.0%})",
                  "-", "-", None)
    if (work / "c1.jsonl").read_bytes() != (work / "c2.jsonl").read_bytes():
        print("  WARNING: --jobs 1 and --jobs N outputs differ", flush=True)
    _bench_scaling(work, args, table, corpus, size, jobs, added)

    _, rss_small = timed(cleaner_cmd(str(small), "-o", str(work / "c-small.jsonl"), "-j", "1", *added))
    table.add("peak RSS, corpus 10x larger (--jobs 1)", f"{rss_big / 1024:.0f} MB for {size:.1f} MB",
              f"{rss_small / 1024:.0f} MB for {small_size:.1f} MB (a tenth)", f"{rss_big / rss_small:.2f}x", "<= 1.2x",
              rss_big / rss_small <= 1.2)


def _bench_scaling(work: Path, args, table: Table, corpus: Path, size: float, jobs: int, added: list[str]) -> None:
    """--jobs N against --jobs 1 on the corpus written SCALE_COPIES times (a run of a few seconds
    is a third start-up: importing, compiling the packs, starting the workers). The copies are
    other documents to the cleaner (it keeps nothing from one document to the next)."""
    if args.scale_copies <= 1:
        return
    big = work / "scale.jsonl"
    with open(big, "wb") as out:
        for _ in range(args.scale_copies):
            out.write(corpus.read_bytes())
    total = size * args.scale_copies
    ones, pars = [], []
    for _ in range(max(1, args.repeat)):
        ones.append(timed(cleaner_cmd(str(big), "-o", str(work / "s1.jsonl"), "-j", "1", *added))[0])
        pars.append(timed(cleaner_cmd(str(big), "-o", str(work / "s2.jsonl"), "-j", str(jobs), *added))[0])
    one, par = min(ones), min(pars)
    table.add(f"text: --jobs {jobs} vs --jobs 1, the corpus {args.scale_copies} times ({total:.0f} MB)",
              f"{total / par:.2f} MB/s ({par:.1f} s)", f"--jobs 1 {total / one:.2f} MB/s ({one:.1f} s)",
              f"{one / par:.2f}x", ">= 1.8x (2 jobs)", one / par >= 1.8)


def bench_big_document(work: Path, args, table: Table) -> None:
    """Peak memory of one 30 MB document of 7.5 million short lines (a JSONL record of it)."""
    lines = max(1, int(args.big_mb * MB / 4))
    src = work / "big.jsonl"
    with open(src, "w", encoding="utf-8") as fh:
        fh.write('{"id": "big", "text": "' + "ab.\\n" * lines + '"}\n')
    run = timed(cleaner_cmd(str(src), "-o", str(work / "big-out.jsonl"), "-j", "1", "--doc-timeout", "600"))
    rejects = work / "big-out.rejects.jsonl"
    note = f"rejected: {rejects.read_text()[:120]}" if rejects.exists() and rejects.stat().st_size else "cleaned"
    # the document is cleaned in a worker: the peak is the largest process's, main or worker
    peak = max(run[1], run.workers)
    table.add(f"peak RSS (largest process), one {lines * 4 / MB:.0f} MB document of {lines:,} lines",
              f"{peak / 1024:.0f} MB ({run[0]:.0f} s, {note}; main process {run[1] / 1024:.0f} MB)", "-",
              f"{peak * 1024 / (lines * 4):.0f}x its size", "< 1.5 GB", peak < 1.5 * 1024 * 1024)


def bench_html(work: Path, args, table: Table) -> None:
    html = work / "html"
    pages, total = write_html_dir(html, args.pages)
    print(f"html: {pages} pages, {total / MB:.1f} MB; best of {args.repeat} runs each", flush=True)
    jobs = str(args.jobs)
    traf = BIN / "trafilatura"
    traf_cmd = [str(traf)] if traf.exists() else ([shutil.which("trafilatura")] if shutil.which("trafilatura") else None)
    # cleaner's default (the metadata a page declares) against trafilatura's CLI defaults (no
    # metadata), and cleaner with trafilatura's metadata search against trafilatura's with it
    for label, ours_extra, theirs_extra in (("defaults", [], []),
                                            ("with trafilatura's metadata", ["--html-metadata", "full"],
                                             ["--with-metadata"])):
        figure = f"html: pages/s, {jobs} cores, {label}"
        # cleaner and trafilatura in turns, so that a slow spell of the machine falls on both
        ours_runs, theirs_runs = [], []
        for run in range(max(1, args.repeat)):
            ours_runs.append(timed(cleaner_cmd(str(html), "-o", str(work / f"h{run}.jsonl"), "-j", jobs,
                                               *ours_extra)))
            if traf_cmd is not None:
                theirs_runs.append(timed(traf_cmd + [
                    "--input-dir", str(html), "--output-dir", str(work / f"traf-out{len(theirs_extra)}-{run}"),
                    "--json", "--parallel", jobs, *theirs_extra]))
        ours = min(run[0] for run in ours_runs)
        if traf_cmd is None:
            table.add(figure, f"{pages / ours:.1f}", "trafilatura CLI missing", "-", ">= 1.0x", None)
            continue
        theirs = min(run[0] for run in theirs_runs)
        table.add(figure, f"{pages / ours:.1f} pages/s ({ours:.1f} s)",
                  f"trafilatura CLI {' '.join(['--json', *theirs_extra])} {pages / theirs:.1f} pages/s ({theirs:.1f} s)",
                  f"{theirs / ours:.2f}x", ">= 1.5x", theirs / ours >= 1.5)
        # the same runs by CPU seconds (all processes): what the machine's slow spells move least
        ours_cpu = min(run.cpu for run in ours_runs)
        theirs_cpu = min(run.cpu for run in theirs_runs)
        table.add(f"html: pages per CPU second, {label} (load-independent)",
                  f"{pages / ours_cpu:.1f} pages/cpu s ({ours_cpu:.1f} cpu s)",
                  f"trafilatura CLI {pages / theirs_cpu:.1f} pages/cpu s ({theirs_cpu:.1f} cpu s)",
                  f"{theirs_cpu / ours_cpu:.2f}x", ">= 1.5x", theirs_cpu / ours_cpu >= 1.5)


RAY_DRIVER = """
import json, os, sys, time, ray
from cleaner import Config
from cleaner.run.ray import run_ray
src, out, cpus, light = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "light"
ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False, logging_level="ERROR",
         object_store_memory=200 * 1024 * 1024)
config = Config(added="2020-01-01T00:00:00.000Z", heuristics=not light)
warm = out + "-warm-in"  # a small file per CPU: the workers start and compile the rules before the clock
os.makedirs(warm)
for i in range(cpus):
    with open(f"{warm}/w{i}.jsonl", "w") as fh:
        fh.write(json.dumps({"id": str(i), "text": "Warm up.\\nA line of text that is kept."}) + "\\n")
run_ray(warm, out + "-warm", config, quiet=True)
start = time.perf_counter()
summary = run_ray(src, out, config, quiet=True)
print(json.dumps({"seconds": time.perf_counter() - start, "read": summary.read}))
"""


def write_shards(pages: list[dict], directory: Path, megabytes: float, files: int) -> int:
    """About ``megabytes`` of page text as ``files`` JSONL files of the same size (pages dealt
    round-robin; repeated, with new ids, past the distinct ones); the number of files."""
    directory.mkdir(parents=True)
    handles = [open(directory / f"shard-{i:04d}.jsonl", "w", encoding="utf-8") for i in range(files)]
    size, n = 0, 0
    while size < megabytes * MB:
        page = pages[n % len(pages)]
        handles[n % files].write(json.dumps({"id": f"{page['id']}#{n}", "text": page["text"]}) + "\n")
        size += len(page["text"].encode("utf-8"))
        n += 1
    for fh in handles:
        fh.close()
    return files


def _ray_run(src: Path, out: Path, cpus: int, light: bool) -> tuple[float, int]:
    """(seconds of the run itself, the driver's peak RSS in kB) of a local Ray with ``cpus`` CPUs."""
    proc = subprocess.run([sys.executable, "-c", RAY_DRIVER + "\nimport os\nprint(open(f'/proc/{os.getpid()}/status').read())",
                           str(src), str(out), str(cpus), "light" if light else "full"],
                          capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        sys.exit(f"bench: the Ray run failed:\n{proc.stderr[-2000:]}")
    seconds = json.loads(proc.stdout.splitlines()[0])["seconds"]
    hwm = next(int(line.split()[1]) for line in proc.stdout.splitlines() if line.startswith("VmHWM:"))
    return seconds, hwm


def bench_ray(work: Path, args, table: Table) -> None:
    """--engine ray: 2 workers against 1 on the same shards; the driver's peak memory as the input grows."""
    if not has_module("ray"):
        print("  ray is not installed (pip install '.[ray]'): no Ray figures", flush=True)
        return
    pages = text_pages()
    if args.ray_mb:
        _ray_scaling(work, args, table, pages)
    if args.ray_memory:
        _ray_memory(work, args, table, pages)


def _ray_scaling(work: Path, args, table: Table, pages: list[dict]) -> None:
    """2 Ray workers against 1 on the same 8 equal shards (an even share for each worker)."""
    src = work / "ray-in"
    files = write_shards(pages, src, args.ray_mb, 8)
    one = min(_ray_run(src, work / f"ray1-{i}", 1, False)[0] for i in range(max(1, args.repeat)))
    two = min(_ray_run(src, work / f"ray2-{i}", 2, False)[0] for i in range(max(1, args.repeat)))
    table.add(f"ray: 2 workers vs 1, {args.ray_mb:g} MB of text in {files} shards (seconds of the run)",
              f"{args.ray_mb / two:.2f} MB/s ({two:.1f} s)", f"1 worker {args.ray_mb / one:.2f} MB/s ({one:.1f} s)",
              f"{one / two:.2f}x", ">= 1.8x", one / two >= 1.8)


def _ray_memory(work: Path, args, table: Table, pages: list[dict]) -> None:
    """The driver's peak RSS as the input grows (shards of about 10 MB: their number grows too)."""
    peaks = []
    for mb in args.ray_memory:
        directory = work / f"ray-mem-{mb:g}"
        count = write_shards(pages, directory, mb, max(1, round(mb / 10)))
        seconds, hwm = _ray_run(directory, work / f"ray-mem-out-{mb:g}", 2, True)
        peaks.append((mb, count, hwm, seconds))
        shutil.rmtree(directory, ignore_errors=True)
        shutil.rmtree(work / f"ray-mem-out-{mb:g}", ignore_errors=True)
        shutil.rmtree(work / f"ray-mem-out-{mb:g}-warm", ignore_errors=True)
    (small_mb, small_n, small_hwm, _), (big_mb, big_n, big_hwm, big_s) = peaks[0], peaks[-1]
    table.add(f"ray: driver peak RSS, {small_mb:g} -> {big_mb:g} MB of input (10 MB shards, heuristics off)",
              f"{big_hwm / 1024:.0f} MB for {big_mb:g} MB, {big_n} shards ({big_s:.0f} s)",
              "; ".join(f"{hwm / 1024:.0f} MB for {mb:g} MB" for mb, _, hwm, _ in peaks[:-1]),
              f"{big_hwm / small_hwm:.2f}x", "flat (<= 1.2x)", big_hwm / small_hwm <= 1.2)


def compile_bytecode() -> None:
    """Compile the installed cleaner's modules to bytecode, as ``pip install .`` does: from an
    editable install under PYTHONDONTWRITEBYTECODE=1, every run measured would compile them
    again (about 0.17 CPU s of the main process's start-up)."""
    where = subprocess.run([sys.executable, "-P", "-c", "import cleaner, os; print(os.path.dirname(cleaner.__file__))"],
                           capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", where], stdout=subprocess.DEVNULL, check=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=48,
                    help="megabytes of distinct page text in the text corpus (default 48; at most all, about 22)")
    ap.add_argument("--pages", type=int, default=400, help="HTML pages (default 400)")
    ap.add_argument("--rules", type=int, default=5000, help="generated rules for the scaling figure (default 5000)")
    ap.add_argument("--scale-copies", type=int, default=4,
                    help="copies of the text corpus for the --jobs figure on a longer run (default 4; 1: none)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="cores for the parallel and HTML figures")
    ap.add_argument("--only", choices=("text", "big", "html", "ray"), help="run one part")
    ap.add_argument("--big-mb", type=float, default=30, help="size of the one big document (default 30 MB)")
    ap.add_argument("--ray-mb", type=float, default=40, help="MB of text for the Ray scaling figure (default 40; 0: none)")
    ap.add_argument("--ray-memory", default="100,1000",
                    help="input sizes in MB for the Ray driver-memory figure (default 100,1000)")
    ap.add_argument("--repeat", type=int, default=2,
                    help="runs of each cleaner and trafilatura command; the best is kept (default 2)")
    ap.add_argument("--quick", action="store_true", help="small inputs (5 MB, 100 pages, 1,000 rules)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()
    if args.quick:
        args.mb, args.pages, args.rules, args.big_mb = 5, 100, 1000, 3
        args.ray_mb, args.ray_memory = 8, "20,60"
    args.ray_memory = [float(x) for x in str(args.ray_memory).split(",") if x.strip()]  # "": no memory figure
    load = os.getloadavg()
    print(f"bench: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"python {sys.version.split()[0]}; data {BENCH}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="cleaner-bench-"))
    # the cache of loaded packs (cleaner.rules.packcache) starts empty, here, never a user's
    os.environ["CLEANER_CACHE_DIR"] = str(work / "cache")
    compile_bytecode()
    table = Table()
    try:
        if args.only in (None, "text"):
            bench_text(work, args, table)
        if args.only in (None, "big"):
            bench_big_document(work, args, table)
        if args.only in (None, "html"):
            bench_html(work, args, table)
        if args.only in (None, "ray"):
            bench_ray(work, args, table)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    load = os.getloadavg()
    print(f"\nload average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n")
    print(table.render())


if __name__ == "__main__":
    main()
