"""Replaying output records from their inputs (cleaner.run.replay, ``cleaner explain --replay``).

An HTML record's removals index into the extracted main text, so the record names the
extractor, its version and settings, and the text's hash: the text can be made again and
the removals replayed to the record's ``text``.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest_helpers import read_jsonl
from warc_support import crawl, write_warc_gz

from cleaner import Config
from cleaner.extract.page import extractor_version
from cleaner.run.replay import replay_record
from cleaner.sinks.records import provenance_of

ROOT = Path(__file__).resolve().parents[2]


def _run(cli, src: Path, out: Path, *extra: str) -> list[dict]:
    done = cli("run", str(src), "-o", str(out), "-q", *extra)
    assert 0 == done.returncode, done.stderr
    return read_jsonl(out)


def test_html_records_name_their_extractor_and_every_record_replays(tmp_path, cli):
    records = _run(cli, ROOT / "fixtures" / "html", tmp_path / "out.jsonl", "--favor", "precision")
    assert records
    for record in records:
        extractor = record["metadata"]["extractor"]
        assert ("trafilatura", extractor_version(), "precision", False, "fast") == (
            extractor["name"], extractor["version"], extractor["favor"], extractor["include_comments"],
            extractor["html_metadata"])
        assert record["metadata"]["extraction"] == extractor["method"]
        # replayed with the default config: the recorded settings win
        replayed = replay_record(record, str(ROOT / "fixtures" / "html"), Config())
        assert [] == replayed.problems
        assert record["text"] == replayed.result.text
        assert record["metadata"]["removed"] and replayed.result.removals


def test_text_jsonl_and_warc_records_replay(tmp_path, cli):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(ROOT / "fixtures" / "seeds" / "001_2bbcad7a53690741.txt", src / "a.txt")
    (src / "docs.jsonl").write_text(json.dumps(
        {"id": "x", "text": "The council approved the new budget on Monday after a long debate.\nSource link\n"}) + "\n"
        + json.dumps({"id": "d", "text": "A forum post that says something useful about bikes.\nShare this\n",
                      "source": "forum", "metadata": {"path": "theirs/0001.json", "lang": "en"}}) + "\n"
        + json.dumps({"id": "y", "html": "<html><body><article><p>" + "A sentence of the article body. " * 12
                      + "</p><p>Read more</p></article></body></html>"}) + "\n", encoding="utf-8")
    write_warc_gz(src / "crawl.warc.gz", crawl())
    records = _run(cli, src, tmp_path / "out.jsonl")
    assert {"text", "jsonl", "jsonl-html", "warc"} <= {provenance_of(r["metadata"])["format"] for r in records}
    dolma = next(r for r in records if r["id"] == "d")
    assert "theirs/0001.json" == dolma["metadata"]["path"]  # the record's own key, its provenance apart
    for record in records:
        assert [] == replay_record(record, str(src), Config()).problems, record["id"]


def test_explain_replay_names_what_does_not_match(tmp_path, cli):
    src = tmp_path / "in"
    shutil.copytree(ROOT / "fixtures" / "html", src)
    out = tmp_path / "out.jsonl"
    records = _run(cli, src, out)
    good = cli("explain", str(out), "--replay", str(src), "--line", "1")
    assert 0 == good.returncode, good.stderr
    assert "replayed: record " + records[0]["id"] in good.stdout
    assert any(f"<- {r['rule']} {r['reason']}" in good.stdout for r in records[0]["metadata"]["removed"])

    page = src / records[0]["metadata"]["path"]
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>A paragraph added after the run.</p></body>"))
    changed = cli("explain", str(out), "--replay", str(src), "--line", "1")
    assert 1 == changed.returncode
    assert "sha256 differs" in changed.stderr

    forged = dict(records[1], text=records[1]["text"] + "\nA line no removal explains.")
    assert ["deleting the removals from the source does not give the record's text"] == \
        replay_record(forged, str(src), Config()).problems
    newer = json.loads(json.dumps(records[1]))
    newer["metadata"]["extractor"]["version"] = "0.0.1"
    assert [f"extracted with trafilatura 0.0.1, this is {extractor_version()}"] == \
        replay_record(newer, str(src), Config()).problems
    missing = cli("explain", str(out), "--replay", str(src), "--id", "no-such-id")
    assert 2 == missing.returncode and "no output record with id 'no-such-id'" in missing.stderr


def test_a_malformed_record_is_a_one_line_error(tmp_path, cli):
    src = tmp_path / "in"
    shutil.copytree(ROOT / "fixtures" / "html", src)
    records = _run(cli, src, tmp_path / "out.jsonl")
    broken = json.loads(json.dumps(records[0]))
    del broken["metadata"]["extractor"]["favor"]
    broken["metadata"]["removed"][0].pop("start")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(broken) + "\n", encoding="utf-8")
    proc = cli("explain", str(bad), "--replay", str(src))
    assert 2 == proc.returncode
    assert 1 == len(proc.stderr.strip().splitlines()) and "metadata.extractor lacks" in proc.stderr


HOSTILE = {  # what is done to a good output record, and the exit code and words of the one line
    "metadata-a-string": (lambda r: r.__setitem__("metadata", "x"), 2, "not a record of 'cleaner run'"),
    "provenance-a-list": (lambda r: r["metadata"].__setitem__("cleaner", [1]), 2, "not a record of 'cleaner run'"),
    "span-outside-the-text": (lambda r: r["metadata"]["removed"].__setitem__(0, {
        **r["metadata"]["removed"][0], "start": 10 ** 12, "end": -5}), 1, "lie outside the source text"),
    "path-outside-input": (lambda r: r["metadata"].__setitem__("path", "../../etc/passwd"), 2, "is not under"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_explain_replay_of_a_hostile_record_is_a_clear_line_not_a_traceback(tmp_path, cli, name):
    edit, code, words = HOSTILE[name]
    src = tmp_path / "in"
    shutil.copytree(ROOT / "fixtures" / "seeds", src)
    record = _run(cli, src, tmp_path / "out.jsonl")[0]
    edit(record)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(record) + "\n", encoding="utf-8")
    proc = cli("explain", str(bad), "--replay", str(src))
    assert code == proc.returncode, proc.stderr
    assert words in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert 1 == len(proc.stderr.strip().splitlines()) or code == 1  # exit 1: one line per failed check


@pytest.mark.parametrize("what", ["fifo", "/dev/zero"])
def test_explain_replay_of_a_fifo_or_device_is_refused_not_read(tmp_path, what):
    from hostile_support import run_cli

    path = "/dev/zero" if what == "/dev/zero" else str(tmp_path / "pipe")
    if what == "fifo":
        os.mkfifo(path)
    proc = run_cli("explain", path, "--replay", str(ROOT / "fixtures" / "seeds"), timeout=60)
    assert 2 == proc.returncode and 1 == len(proc.stderr.splitlines()), proc.stderr
    assert "not_a_regular_file" in proc.stderr
