"""--engine ray: Ray tasks write the parts of the local engine; --stats and --attributes work with
Ray; CleanBatch in a user's Ray Data pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install '.[ray]'")
pytest.importorskip("ray.data", reason="Ray Data is an optional extra: pip install '.[ray]'")

import fsspec

from cleaner import Cleaner, Config
from cleaner.cli.main import main
from cleaner.integrations.hf import CleanBatch as HfCleanBatch
from cleaner.run.local import run
from cleaner.run.ray import CleanBatch, run_ray

from shard_support import ADDED, read_parts, write_big, write_corpus

ROOT = Path(__file__).resolve().parents[2]
LOCAL = fsspec.filesystem("file")


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, object_store_memory=100 * 1024 * 1024, include_dashboard=False,
             log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


def test_ray_engine_writes_the_records_of_the_local_engine(local_ray, tmp_path):
    corpus = write_corpus(tmp_path / "in")
    config = Config(added=ADDED)
    local = run(str(corpus), str(tmp_path / "local.jsonl"), config, jobs=1)
    summary = run_ray(str(corpus), str(tmp_path / "ray"), config, shard_bytes=0)  # a part per file
    records, rejects, parts = read_parts(LOCAL, str(tmp_path / "ray"))
    assert len(parts) == 9
    assert (tmp_path / "local.jsonl").read_bytes() == records
    assert (tmp_path / "local.rejects.jsonl").read_bytes() == rejects
    assert (local.read, local.written, local.rejected) == (summary.read, summary.written, summary.rejected)
    assert local.rules == summary.rules
    assert summary.rejected >= 2



def test_ray_engine_with_ranges_of_a_big_file_and_groups_of_small_ones_writes_the_local_bytes_and_resumes_per_range(local_ray, tmp_path):
    from cleaner.run.plan import plan_shards

    src = write_big(tmp_path / "in")
    config = Config(added=ADDED, max_bytes=3000)
    run(str(src), str(tmp_path / "local.jsonl"), config, jobs=1)
    run_ray(str(src), str(tmp_path / "ray"), config, shard_bytes=8000)
    records, rejects, parts = read_parts(LOCAL, str(tmp_path / "ray"))
    shards = plan_shards(str(src), shard_bytes=8000)[0]
    assert len(parts) == len(shards) and sum(s.item.span is not None for s in shards) >= 5
    assert (tmp_path / "local.jsonl").read_bytes() == records
    assert (tmp_path / "local.rejects.jsonl").read_bytes() == rejects
    ranges = [s for s in shards if s.item.span is not None]
    gone = ranges[2].name  # a task that died between its part and its marker
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "ray").glob("part-*.jsonl.zst")}
    (tmp_path / "ray" / ".cleaner" / f"{gone}.json").unlink()
    run_ray(str(src), str(tmp_path / "ray"), config, shard_bytes=8000, resume=True)
    redone = {p.name.split(".")[0] for p in (tmp_path / "ray").glob("part-*.jsonl.zst")
              if p.stat().st_mtime_ns != stamps[p.name]}
    assert {gone} == redone  # resume is per range
    assert (tmp_path / "local.jsonl").read_bytes() == read_parts(LOCAL, str(tmp_path / "ray"))[0]

def test_stats_and_attributes_with_ray_are_those_of_the_local_engine(local_ray, tmp_path):
    corpus = write_corpus(tmp_path / "in")
    common = ["run", str(corpus), "--added", ADDED, "-q"]
    assert 0 == main(common + ["-o", str(tmp_path / "local.jsonl"), "--stats", str(tmp_path / "local.json"),
                               "--attributes", str(tmp_path / "local-attr"), "--jobs", "1"])
    assert 0 == main(common + ["-o", str(tmp_path / "ray"), "--engine", "ray", "--stats", str(tmp_path / "ray.json"),
                               "--attributes", str(tmp_path / "ray-attr")])
    local, ray_stats = (json.loads((tmp_path / n).read_text()) for n in ("local.json", "ray.json"))
    for key in ("documents", "bytes", "chars", "rules", "rejects", "kept_ratio", "samples"):
        assert local[key] == ray_stats[key], key
    attrs, _, names = read_parts(LOCAL, str(tmp_path / "ray-attr"))
    assert (tmp_path / "local-attr" / "local.jsonl").read_bytes() == attrs
    assert names == sorted(p.name for p in (tmp_path / "ray").glob("part-*.jsonl.zst")
                           if not p.name.endswith(".rejects.jsonl.zst"))  # Dolma pairs files by name


def test_clean_batch_in_a_users_ray_data_pipeline(local_ray):
    texts = [(ROOT / "fixtures" / "seeds" / name).read_text(encoding="utf-8")
             for name in sorted(p.name for p in (ROOT / "fixtures" / "seeds").glob("*.txt"))]
    rows = [{"id": f"d{i}", "text": t, "lang": "en"} for i, t in enumerate(texts)]
    rows.append({"id": "junk", "text": "Sign up now for unlimited free access to", "lang": "en"})
    ds = ray.data.from_items(rows)
    out = ds.map_batches(CleanBatch, batch_size=2).take_all()  # as the README writes it: no concurrency
    out.sort(key=lambda r: (r["id"] != "junk", r["id"]))
    cleaner = Cleaner()
    assert ["junk"] + [f"d{i}" for i in range(len(texts))] == [r["id"] for r in out]
    assert [cleaner.clean_text(t).text for t in texts] == [r["text"] for r in out[1:]]
    assert {"en"} == {r["lang"] for r in out}
    assert "empty_after_cleaning" == out[0]["cleaner_rejected"]
    # kept rows: "" as in the datasets function, never None
    hf = HfCleanBatch()({"text": texts})
    assert hf["cleaner_rejected"] == [r["cleaner_rejected"] for r in out[1:]] == [""] * len(texts)
    assert any(r["cleaner_removed"] != "[]" for r in out)
    kept = ray.data.from_items(out).filter(lambda r: not r["cleaner_rejected"]).count()
    assert len(texts) == kept


def test_quiet_silences_ray(tmp_path):
    import os
    import subprocess
    import sys

    corpus = write_corpus(tmp_path / "in")
    proc = subprocess.run([sys.executable, "-m", "cleaner", "run", str(corpus), "-o", str(tmp_path / "out"),
                           "--engine", "ray", "-q"], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ))
    assert 0 == proc.returncode, proc.stderr
    assert "" == proc.stderr + proc.stdout
