"""The plan of a sharded run: a big plain JSONL file cut at line boundaries into ranges whose
records keep the ids and line numbers of the file read whole, runs of small files grouped into
one shard, deterministically, and resume range by range."""

from __future__ import annotations

import json

import fsspec

from cleaner import Config
from cleaner.run.local import run
from cleaner.run.plan import GROUP_FILES, plan_shards
from cleaner.run.shards import local_executor, run_sharded

from shard_support import ADDED, read_parts, write_big

LOCAL = fsspec.filesystem("file")
CONFIG = Config(added=ADDED, max_bytes=3000)


def test_a_big_jsonl_file_is_cut_at_line_starts_and_small_files_are_grouped(tmp_path):
    src = write_big(tmp_path / "in")
    shards, _ = plan_shards(str(src), shard_bytes=8000)
    assert shards == plan_shards(str(src), shard_bytes=8000)[0]  # the same plan every time
    ranges = [s for s in shards if s.item.span is not None]
    size = (src / "m-big.jsonl").stat().st_size
    assert len(ranges) >= 5
    assert 0 == ranges[0].item.span.start and size == ranges[-1].item.span.end
    data = (src / "m-big.jsonl").read_bytes()
    for before, after in zip(ranges, ranges[1:]):
        cut = after.item.span.start
        assert before.item.span.end == cut and data[cut - 1:cut] == b"\n"
        assert data[:cut].count(b"\n") + 1 == after.item.span.line
    groups = [s for s in shards if s.item.span is None]
    files = [s.item.relpath for s in plan_shards(str(src), shard_bytes=0)[0]]  # every file, in listing order
    assert [[f for f in files if f < "m-big.jsonl"], [f for f in files if f > "m-big.jsonl"]] == \
        [[f.relpath for f in s.items] for s in groups]  # small files grouped, the big file's ranges between
    assert list(range(len(shards))) == [s.index for s in shards]
    assert [s.item.relpath for s in shards] == sorted(s.item.relpath for s in shards)
    assert [shards.index(r) for r in ranges] == list(range(shards.index(ranges[0]), shards.index(ranges[0]) + len(ranges)))


def test_thousands_of_tiny_files_make_a_few_shards(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(2 * GROUP_FILES + 10):
        (src / f"{i:05d}.txt").write_text(f"Tiny document {i}.\n")
    shards, _ = plan_shards(str(src))
    assert [GROUP_FILES, GROUP_FILES, 10] == [len(s.items) for s in shards]
    assert [f"{i:05d}.txt" for i in range(2 * GROUP_FILES + 10)] == [f.relpath for s in shards for f in s.items]
    assert [len(plan_shards(str(src), shard_bytes=0)[0])] == [2 * GROUP_FILES + 10]  # 0: a shard per file


def test_ranges_and_groups_give_the_bytes_of_the_single_file_run(tmp_path):
    src = write_big(tmp_path / "in")
    single = run(str(src), str(tmp_path / "one.jsonl"), CONFIG, jobs=1)
    summary = run_sharded(str(src), str(tmp_path / "parts"), CONFIG, local_executor(2), shard_bytes=8000)
    records, rejects, parts = read_parts(LOCAL, str(tmp_path / "parts"))
    assert len(parts) == len(plan_shards(str(src), shard_bytes=8000)[0]) > 5
    assert (tmp_path / "one.jsonl").read_bytes() == records  # ids carry the line numbers: the same ids
    assert (tmp_path / "one.rejects.jsonl").read_bytes() == rejects
    assert (single.read, single.written, single.rejected) == (summary.read, summary.written, summary.rejected)
    reasons = [json.loads(x)["reason"] for x in rejects.splitlines()]
    assert {"too_large", "bad_json"} <= set(reasons)


def test_resume_redoes_only_the_ranges_that_are_not_committed(tmp_path):
    src = write_big(tmp_path / "in")
    out = tmp_path / "parts"
    run(str(src), str(tmp_path / "one.jsonl"), CONFIG, jobs=1)
    run_sharded(str(src), str(out), CONFIG, local_executor(2), shard_bytes=8000)
    ranges = [s for s in plan_shards(str(src), shard_bytes=8000)[0] if s.item.span is not None]
    gone, damaged = ranges[1].name, ranges[3].name
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.jsonl.zst")}
    (out / ".cleaner" / f"{gone}.json").unlink()
    with open(out / f"{damaged}.jsonl.zst", "ab") as fh:
        fh.write(b"x")
    summary = run_sharded(str(src), str(out), CONFIG, local_executor(2), shard_bytes=8000, resume=True)
    redone = {p.name.split(".")[0] for p in out.glob("part-*.jsonl.zst") if p.stat().st_mtime_ns != stamps[p.name]}
    assert {gone, damaged} == redone
    assert summary.resumed_at > 0
    assert (tmp_path / "one.jsonl").read_bytes() == read_parts(LOCAL, str(out))[0]


def test_shard_bytes_is_refused_for_a_single_output_file_and_checked(tmp_path):
    from hostile_support import run_cli

    from shard_support import ROOT

    seeds = str(ROOT / "fixtures" / "seeds")
    single = run_cli("run", seeds, "-o", str(tmp_path / "out.jsonl"), "--shard-bytes", "1M")
    assert 2 == single.returncode and "--shard-bytes goes with a sharded OUTPUT" in single.stderr
    bad = run_cli("run", seeds, "-o", f"{tmp_path}/parts/", "--shard-bytes", "lots")
    assert 2 == bad.returncode and "not a size" in bad.stderr and "Traceback" not in bad.stderr
    every = run_cli("run", seeds, "-o", f"{tmp_path}/files/", "--shard-bytes", "0", "-q")
    assert 0 == every.returncode, every.stderr
    assert 5 == len(list((tmp_path / "files").glob("part-*[0-9].jsonl.zst")))


def test_a_resume_whose_plan_has_fewer_shards_removes_the_old_plans_parts(tmp_path):
    """The big file shrinks to fewer ranges between the run and its resume: the parts and markers
    of the old plan's extra shards go, so OUTPUT holds what a fresh run of the new input gives."""
    src = write_big(tmp_path / "in")
    out = tmp_path / "parts"
    run_sharded(str(src), str(out), CONFIG, local_executor(2), shard_bytes=8000)
    before = len(list(out.glob("part-*[0-9].jsonl.zst")))
    big = src / "m-big.jsonl"
    lines = big.read_bytes().split(b"\n")
    big.write_bytes(b"\n".join(lines[:60]))
    run_sharded(str(src), str(out), CONFIG, local_executor(2), shard_bytes=8000, resume=True)
    fresh = tmp_path / "fresh"
    run_sharded(str(src), str(fresh), CONFIG, local_executor(2), shard_bytes=8000)
    names = sorted(p.name for p in fresh.glob("part-*"))
    assert len(names) < 2 * before
    assert names == sorted(p.name for p in out.glob("part-*"))
    assert sorted(p.name for p in (fresh / ".cleaner").iterdir()) == sorted(p.name for p in (out / ".cleaner").iterdir())
    assert read_parts(LOCAL, str(fresh))[:2] == read_parts(LOCAL, str(out))[:2]


def test_a_range_of_a_file_changed_after_planning_is_rejected_not_read_across_its_cuts(tmp_path):
    """Cuts planned on other bytes may fall inside lines: each range of the changed file is one
    ``input_changed`` reject, never fragments of lines read as records (or as bad_json)."""
    from cleaner.run.shards import shard_tasks

    src = write_big(tmp_path / "in")
    shards, _ = plan_shards(str(src), shard_bytes=8000)
    ranges = [s for s in shards if s.item.span is not None]
    big = src / "m-big.jsonl"
    data = big.read_bytes()
    big.write_bytes(data[:20] + b"1234567" + data[20:])
    for shard in ranges:
        (task,) = list(shard_tasks(shard, CONFIG))
        (doc,) = task
        assert ("input_changed", shard.item.span.line) == (doc.reason, doc.line)
    for shard in shards:
        if shard.item.span is None:  # the small files, unchanged, are read as planned
            assert all(doc.reason != "input_changed" for task in shard_tasks(shard, CONFIG) for doc in task)
