"""Tag-only mode (``--attributes DIR``): Dolma attribute files beside untouched documents.

Checked against Dolma's documented format (docs/data-format.md: attribute files line up
row for row with their documents file, ``{"id", "attributes": {"exp__tagger__attr":
[[start, end, score], ...]}}``), and with Dolma's own mixer where it can run: excluding
the rejected documents and replacing every other span with "" gives cleaner's output.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest_helpers import read_jsonl

from cleaner import replay

ROOT = Path(__file__).resolve().parents[2]
KEY = re.compile(r"^[A-Za-z0-9_]+__[A-Za-z0-9_]+__[A-Za-z0-9_]+$")
ODD = [{"id": "j1", "text": "Sign up now for unlimited free access to\nSource link\n"},
       {"id": "e2", "text": "Café: the minister resigned on Tuesday — a surprise.\nSource link\n"
                            "More text of the article, kept as it is, naïve.\n"}]


@pytest.fixture(scope="module")
def tagged(tmp_path_factory):
    """One corpus run twice: tag-only into documents/ + attributes/cleaner/, and cleaned."""
    tmp = tmp_path_factory.mktemp("tag")
    src = tmp / "in"
    src.mkdir()
    for path in sorted((ROOT / "fixtures" / "seeds").glob("*.txt")):
        shutil.copy(path, src / path.name)
    (src / "odd.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ODD), encoding="utf-8")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    base = [sys.executable, "-m", "cleaner", "run", str(src), "-q"]
    docs = tmp / "corpus" / "documents" / "part.jsonl.gz"
    tag = subprocess.run(base + ["-o", str(docs), "--attributes", str(tmp / "corpus" / "attributes" / "cleaner")],
                         capture_output=True, text=True, env=env)
    assert 0 == tag.returncode, tag.stderr
    clean = subprocess.run(base + ["-o", str(tmp / "clean.jsonl")], capture_output=True, text=True, env=env)
    assert 0 == clean.returncode, clean.stderr
    return tmp, src


def gz_jsonl(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(x) for x in fh]


def test_documents_keep_their_text_and_attributes_line_up_row_for_row(tagged):
    tmp, src = tagged
    docs = gz_jsonl(tmp / "corpus" / "documents" / "part.jsonl.gz")
    attrs = gz_jsonl(tmp / "corpus" / "attributes" / "cleaner" / "part.jsonl.gz")
    assert [d["id"] for d in docs] == [a["id"] for a in attrs]
    assert [d["source"] for d in docs] == [a["source"] for a in attrs]
    by_path = {d["metadata"]["path"]: d for d in docs if "line" not in d["metadata"]}
    for path in sorted(src.glob("*.txt")):
        assert path.read_text(encoding="utf-8") == by_path[path.name]["text"]  # untouched
    assert [r["text"] for r in ODD] == [d["text"] for d in docs if d["metadata"]["path"] == "odd.jsonl"]
    for doc, attr in zip(docs, attrs):
        spans = sorted(s for v in attr["attributes"].values() for s in v)
        for key, values in attr["attributes"].items():
            assert KEY.match(key), key
            for start, end, score in values:
                assert isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(doc["text"])
                assert 1.0 == score
        if "rejected" not in doc["metadata"]:
            assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "spans overlap"


def test_replacing_the_spans_and_excluding_rejects_gives_the_cleaned_output(tagged):
    """Dolma's mixer semantics, done by hand: always runs."""
    tmp, _ = tagged
    docs = gz_jsonl(tmp / "corpus" / "documents" / "part.jsonl.gz")
    attrs = gz_jsonl(tmp / "corpus" / "attributes" / "cleaner" / "part.jsonl.gz")
    clean = {r["id"]: r["text"] for r in read_jsonl(tmp / "clean.jsonl")}
    rejects = read_jsonl(tmp / "clean.rejects.jsonl")
    mixed = {}
    for doc, attr in zip(docs, attrs):
        if any("__rejected__" in key for key in attr["attributes"]):
            continue
        spans = [{"start": s, "end": e} for v in attr["attributes"].values() for s, e, _ in v]
        mixed[doc["id"]] = replay(doc["text"], spans)
    assert clean == mixed
    assert ["empty_after_cleaning"] == [r["reason"] for r in rejects]
    rejected = [a["attributes"] for a in attrs if "cleaner__boilerplate__rejected__empty_after_cleaning" in a["attributes"]]
    assert 1 == len(rejected)


def _dolma_python() -> str | None:
    if importlib.util.find_spec("dolma") is not None:
        return sys.executable
    return os.environ.get("CLEANER_DOLMA_PYTHON")  # Dolma pins numpy<2: it may live in its own venv


MIX = """
import glob, importlib.util, json, os, sys
pkg = importlib.util.find_spec("dolma").submodule_search_locations[0]
so = glob.glob(os.path.join(pkg, "dolma.*.so"))[0]   # the Rust mixer that `dolma mix` calls
spec = importlib.util.spec_from_file_location("dolma.dolma", so)
rust = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rust)
rust.mixer_entrypoint(sys.argv[1])
"""


def test_dolma_mixer_reproduces_the_cleaned_output(tagged):
    python = _dolma_python()
    if python is None:
        if os.environ.get("CLEANER_REQUIRE_DOLMA"):  # .ci/run installs Dolma: a skip there would hide a failure
            pytest.fail("CLEANER_REQUIRE_DOLMA is set but Dolma is not installed (nor CLEANER_DOLMA_PYTHON)")
        pytest.skip("Dolma is not installed here (set CLEANER_DOLMA_PYTHON to an interpreter that has it)")
    tmp, _ = tagged
    keys = {k for a in gz_jsonl(tmp / "corpus" / "attributes" / "cleaner" / "part.jsonl.gz") for k in a["attributes"]}
    rejected = sorted(k for k in keys if "__rejected__" in k)
    config = {"streams": [{
        "name": "cleaned", "documents": [str(tmp / "corpus" / "documents" / "*.jsonl.gz")], "attributes": ["cleaner"],
        "output": {"path": str(tmp / "mixed"), "max_size_in_bytes": 10 ** 9},
        "filter": {"include": [], "exclude": [f"$.attributes[?(@.{k})]" for k in rejected]},
        "span_replacement": [{"span": f"$.attributes.{k}", "min_score": 0.5, "replacement": ""}
                             for k in sorted(keys - set(rejected))]}],
        "processes": 1, "work_dir": {"input": str(tmp / "work" / "in"), "output": str(tmp / "work" / "out")}}
    proc = subprocess.run([python, "-c", MIX, json.dumps(config)], capture_output=True, text=True)
    assert 0 == proc.returncode, proc.stderr[-2000:]
    mixed = {r["id"]: r["text"] for f in sorted((tmp / "mixed").glob("*.gz")) for r in gz_jsonl(f)}
    clean = {r["id"]: r["text"] for r in read_jsonl(tmp / "clean.jsonl")}
    assert clean == mixed


def test_attributes_need_an_output_file(tmp_path, cli):
    proc = cli("run", str(ROOT / "fixtures" / "seeds"), "-o", "-", "--attributes", str(tmp_path / "a"))
    assert 2 == proc.returncode
    assert "--attributes needs an output file" in proc.stderr
