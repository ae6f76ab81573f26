"""A JSONL record's own fields come out unchanged: Dolma's ``source``, ``added``, ``created``
and ``metadata`` (and any other key of a Dolma-style record); the cleaner's provenance sits
beside the input's metadata, or whole under ``metadata.cleaner`` when one of its keys is taken."""

from __future__ import annotations

import json

from cleaner import Cleaner
from cleaner.sinks.records import provenance_of
from conftest_helpers import read_jsonl

ARTICLE = "The council approved the new budget on Monday after a long debate about schools.\nSource link\n"
DOLMA = {"id": "doc-1", "text": ARTICLE, "source": "common-crawl", "added": "2024-01-01T00:00:00Z",
         "created": "2023-06-01T10:00:00Z", "version": "v3",
         "metadata": {"url": "https://news.example/a", "path": "s3://bucket/cc/0001.json.gz",
                      "warc": {"offset": 12, "id": "<urn:uuid:1>"}, "removed": "a field of the input"}}
SIMPLE = {"id": "doc-2", "text": ARTICLE, "source": "books", "metadata": {"lang": "en", "pages": 3}}


def _run(tmp_path, cli, *records) -> list[dict]:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records))
    proc = cli("run", str(src), "-o", str(tmp_path / "out.jsonl"), "-q")
    assert 0 == proc.returncode, proc.stderr
    return read_jsonl(tmp_path / "out.jsonl")


def test_dolma_fields_come_out_unchanged_and_provenance_under_cleaner_on_a_clash(tmp_path, cli):
    (out,) = _run(tmp_path, cli, DOLMA)
    for key in ("id", "source", "added", "created", "version"):
        assert DOLMA[key] == out[key]
    assert DOLMA["metadata"] == {k: v for k, v in out["metadata"].items() if k != "cleaner"}
    assert ["url", "path", "warc", "removed", "cleaner"] == list(out["metadata"])
    mine = out["metadata"]["cleaner"]
    assert ("in.jsonl", 1, "jsonl") == (mine["path"], mine["line"], mine["format"])
    assert ["FOOT001"] == [r["rule"] for r in mine["removed"]]
    assert mine is provenance_of(out["metadata"])
    assert ARTICLE.replace("Source link\n", "") == out["text"]


def test_without_a_clash_provenance_stays_beside_the_input_metadata(tmp_path, cli):
    (out,) = _run(tmp_path, cli, SIMPLE)
    assert ("doc-2", "books") == (out["id"], out["source"])
    meta = out["metadata"]
    assert ("en", 3) == (meta["lang"], meta["pages"])
    assert ["lang", "pages"] == list(meta)[:2] and "cleaner" not in meta
    assert ("in.jsonl", ["FOOT001"]) == (meta["path"], [r["rule"] for r in meta["removed"]])


def test_a_flat_record_keeps_its_shape_but_its_source_is_kept(tmp_path, cli):
    flat = {"id": "f1", "text": ARTICLE, "lang": "en", "source": "forum-dump"}
    (out,) = _run(tmp_path, cli, flat)
    assert "forum-dump" == out["source"]
    assert "en" == out["metadata"]["lang"] and "in.jsonl" == out["metadata"]["path"]


def test_the_api_map_keeps_input_fields_too():
    (out,) = Cleaner().map([dict(DOLMA)])
    assert (DOLMA["source"], DOLMA["added"], DOLMA["created"]) == (out["source"], out["added"], out["created"])
    assert DOLMA["metadata"] == {k: v for k, v in out["metadata"].items() if k != "cleaner"}
    assert ["FOOT001"] == [r["rule"] for r in out["metadata"]["cleaner"]["removed"]]


def test_datatrove_keeps_the_documents_own_metadata():
    import pytest

    pytest.importorskip("datatrove")
    from datatrove.data import Document

    from cleaner.integrations.datatrove import CleanerFilter

    doc = Document(text=ARTICLE, id="x", metadata={"removed": "mine", "lang": "en"})
    assert CleanerFilter().filter(doc) is True
    assert ("mine", "en") == (doc.metadata["removed"], doc.metadata["lang"])
    assert ["FOOT001"] == [r["rule"] for r in doc.metadata["cleaner"]["removed"]]


NDTV = "The council approved the new budget on Monday after a long debate about schools.\nPromoted\n"


def _ndtv_removals(out: dict) -> list[str]:
    return [r["rule"] for r in provenance_of(out["metadata"])["removed"]]


def test_a_url_held_in_metadata_meta_or_warc_headers_scopes_site_rules(tmp_path, cli):
    """Dolma keeps the URL in ``metadata.url``, RedPajama in ``meta.url``, OSCAR in
    ``warc_headers``: a record with no top-level url is scoped by it (NDTV001 is ndtv.com's)."""
    url = "https://www.ndtv.com/india-news/budget"
    records = [{"id": "top", "text": NDTV, "url": url},
               {"id": "dolma", "text": NDTV, "metadata": {"url": url, "lang": "en"}},
               {"id": "rp", "text": NDTV, "meta": {"url": url}},
               {"id": "oscar", "text": NDTV, "warc_headers": {"warc-target-uri": url}},
               {"id": "warc", "text": NDTV, "warc_target_uri": url},
               {"id": "none", "text": NDTV, "metadata": {"lang": "en"}},
               {"id": "other", "text": NDTV, "metadata": {"url": "https://news.example/a"}}]
    outs = _run(tmp_path, cli, *records)
    assert [["NDTV001"]] * 5 + [[]] * 2 == [_ndtv_removals(o) for o in outs]
    dolma = outs[1]
    assert {"url": url, "lang": "en"} == {k: dolma["metadata"][k] for k in ("url", "lang")}
    assert "cleaner" not in dolma["metadata"]  # the URL is not written again: no clash moves the provenance
    assert [o["text"] for o in outs[:5]] == [NDTV.replace("Promoted\n", "")] * 5


def test_an_id_that_is_not_a_string_is_written_as_its_json_text(tmp_path, cli):
    """Every output id is a string (Dolma's format; one type for a Parquet or datasets column):
    a number as it reads in JSON, ``true`` as ``"true"``, an object as its JSON, not Python's repr."""
    ids = [7, True, 1.5, {"k": [1]}, "s-1", None]
    outs = _run(tmp_path, cli, *({"id": i, "text": ARTICLE} for i in ids))
    assert ["7", "true", "1.5", '{"k":[1]}', "s-1"] == [o["id"] for o in outs[:5]]
    assert 32 == len(outs[5]["id"])  # no id: one made from the document's place
    mapped = Cleaner().map([{"id": i, "text": ARTICLE} for i in ids[:5]])
    assert [o["id"] for o in outs[:5]] == [r["id"] for r in mapped]
    for ident in ("true", '{"k":[1]}'):
        proc = cli("explain", str(tmp_path / "in.jsonl"), "--id", ident)
        assert 0 == proc.returncode, proc.stderr
