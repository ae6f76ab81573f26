"""The datatrove step and the ``datasets.map`` function, run inside the real libraries."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

import cleaner

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
JUNK_ONLY = "Sign up now for unlimited free access to\nSource link\n"


def seed_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


def test_datatrove_filter_in_a_local_executor_with_datatrove_reader_and_writer(tmp_path):
    pytest.importorskip("datatrove")
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from cleaner.integrations.datatrove import CleanerFilter

    texts = seed_texts()
    (tmp_path / "in").mkdir()
    rows = [{"id": k, "text": v} for k, v in texts.items()] + [{"id": "junk", "text": JUNK_ONLY}]
    (tmp_path / "in" / "docs.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    pipeline = [JsonlReader(str(tmp_path / "in")), CleanerFilter(exclusion_writer=JsonlWriter(str(tmp_path / "dropped"))),
                JsonlWriter(str(tmp_path / "out"))]
    LocalPipelineExecutor(pipeline, tasks=1, workers=1, logging_dir=str(tmp_path / "logs")).run()

    with gzip.open(tmp_path / "out" / "00000.jsonl.gz", "rt", encoding="utf-8") as fh:
        out = [json.loads(x) for x in fh]
    assert sorted(texts) == [r["id"] for r in out]
    for row in out:
        expected = cleaner.clean_text(texts[row["id"]])
        assert expected.text == row["text"]
        meta = row["metadata"]
        assert [r.as_dict() for r in expected.removals] == meta["removed"]
        assert cleaner.replay(texts[row["id"]], meta["removed"]) == row["text"]  # provenance replays
        assert cleaner.__version__ == meta["cleaner_version"]
    assert sum(r["metadata"]["chars_removed"] for r in out) > 0
    with gzip.open(tmp_path / "dropped" / "00000.jsonl.gz", "rt", encoding="utf-8") as fh:
        dropped = [json.loads(x) for x in fh]
    assert [("junk", "empty_after_cleaning")] == [(r["id"], r["metadata"]["filter_reason"]) for r in dropped]
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text())
    step = next(s for s in stats if "cleaner" in s["name"])
    assert 1 == step["stats"]["dropped_empty_after_cleaning"]


def test_datatrove_filter_pickles_without_its_compiled_rules():
    pytest.importorskip("datatrove")
    import pickle

    from cleaner.integrations.datatrove import CleanerFilter

    step = CleanerFilter(cleaner.Config(favor="precision"))
    from datatrove.data import Document

    assert step.filter(Document(text=JUNK_ONLY + "The minister resigned on Tuesday.\n", id="a"))
    copy = pickle.loads(pickle.dumps(step))
    assert copy._cleaner is None and "precision" == copy.config.favor


def test_datasets_map_batched_on_a_small_dataset():
    datasets = pytest.importorskip("datasets")
    from cleaner.integrations.hf import CleanBatch, clean_batch

    texts = seed_texts()
    ds = datasets.Dataset.from_dict({"id": list(texts) + ["junk", "none"],
                                     "text": list(texts.values()) + [JUNK_ONLY, None]})
    out = ds.map(clean_batch, batched=True, batch_size=3)
    assert len(ds) == len(out)
    assert {"id", "text", "cleaner_rejected", "cleaner_removed"} == set(out.column_names)
    for row in out.select(range(len(texts))):
        source = texts[row["id"]]
        assert cleaner.clean_text(source).text == row["text"]
        assert "" == row["cleaner_rejected"]
        assert cleaner.replay(source, json.loads(row["cleaner_removed"])) == row["text"]
    assert ["empty_after_cleaning", "missing_field"] == out["cleaner_rejected"][-2:]
    kept = out.filter(lambda r: not r["cleaner_rejected"])
    assert sorted(texts) == sorted(kept["id"])
    # a configured function gives the same text as the Cleaner with that config
    strict = ds.select(range(len(texts))).map(CleanBatch(cleaner.Config(favor="precision")), batched=True)
    precise = cleaner.Cleaner(cleaner.Config(favor="precision"))
    assert [precise.clean_text(t).text for t in texts.values()] == strict["text"]


def test_datasets_map_in_two_processes_gives_the_same_rows():
    datasets = pytest.importorskip("datasets")
    from cleaner.integrations.hf import clean_batch

    texts = list(seed_texts().values())
    ds = datasets.Dataset.from_dict({"text": texts * 2})
    assert ds.map(clean_batch, batched=True, batch_size=2)["text"] == \
        ds.map(clean_batch, batched=True, batch_size=2, num_proc=2)["text"]
