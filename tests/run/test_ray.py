"""--engine ray: a real local Ray gives the same records as the local engine; CleanBatch in a user pipeline."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install '.[ray]'")
pytest.importorskip("ray.data", reason="Ray Data is an optional extra: pip install '.[ray]'")

from cleaner import Cleaner, Config
from cleaner.run.ray import CleanBatch, run_ray
from cleaner.run.local import run

ROOT = Path(__file__).resolve().parents[2]
ADDED = "2020-01-01T00:00:00.000Z"


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, object_store_memory=100 * 1024 * 1024, include_dashboard=False,
             log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


@pytest.fixture
def corpus(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(ROOT / "fixtures" / "seeds", src / "seeds")
    shutil.copy(ROOT / "fixtures" / "jsonl" / "sample.jsonl", src / "sample.jsonl")
    shutil.copy(ROOT / "fixtures" / "html" / "harbour-bridge.html", src / "page.html")
    with gzip.open(src / "broken.jsonl.gz", "wb") as fh:
        fh.write(b'{"id": "a", "text": "One sentence of text that is kept as it is."}\n{not json\n')
    (src / "empty.txt").write_bytes(b"")
    return src


def test_ray_engine_writes_the_records_of_the_local_engine(local_ray, corpus, tmp_path):
    config = Config(added=ADDED)
    local = run(str(corpus), str(tmp_path / "local.jsonl"), config, jobs=1)
    summary = run_ray(str(corpus), str(tmp_path / "ray"), config, concurrency=2, shard_size=4000)
    shards = sorted((tmp_path / "ray").glob("part-*.jsonl"))
    assert len(shards) >= 2
    assert (tmp_path / "local.jsonl").read_bytes() == b"".join(s.read_bytes() for s in shards)
    assert (tmp_path / "local.rejects.jsonl").read_bytes() == (tmp_path / "ray" / "rejects.jsonl").read_bytes()
    assert (local.read, local.written, local.rejected) == (summary.read, summary.written, summary.rejected)
    assert local.rules == summary.rules
    assert summary.rejected >= 2


def test_clean_batch_in_a_users_ray_data_pipeline(local_ray):
    texts = [(ROOT / "fixtures" / "seeds" / name).read_text(encoding="utf-8")
             for name in sorted(p.name for p in (ROOT / "fixtures" / "seeds").glob("*.txt"))]
    ds = ray.data.from_items([{"id": f"d{i}", "text": t, "lang": "en"} for i, t in enumerate(texts)])
    rows = ds.map_batches(CleanBatch, concurrency=1, batch_size=2).take_all()
    cleaner = Cleaner()
    assert [f"d{i}" for i in range(len(texts))] == [r["id"] for r in rows]
    assert [cleaner.clean_text(t).text for t in texts] == [r["text"] for r in rows]
    assert {"en"} == {r["lang"] for r in rows}
    assert all(r["cleaner_rejected"] is None for r in rows)
    assert any(r["cleaner_removed"] != "[]" for r in rows)
