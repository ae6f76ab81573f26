"""``cleaner explain`` on JSONL and WARC files: it picks one record and explains it like a file."""

from __future__ import annotations

import json
from pathlib import Path

from warc_support import PAGE, URI, crawl, write_warc_gz

from cleaner import Cleaner
from cleaner.cli.explain import render_explanation, score_notes

ROOT = Path(__file__).resolve().parents[2]
RECORDS = [{"id": "a", "text": "The council approved the new budget on Monday after a long debate.\nSource link\n"},
           {"id": "b", "text": "Café: the minister resigned on Tuesday, a surprise to all.\nSource link\nRead more\n"}]


def test_explain_a_jsonl_record_by_line_and_by_id(tmp_path, cli):
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    result = Cleaner().clean_text(RECORDS[1]["text"])
    expected = render_explanation(result, notes=score_notes(result))
    by_line = cli("explain", str(path), "--line", "2")
    by_id = cli("explain", str(path), "--id", "b")
    assert (0, 0) == (by_line.returncode, by_id.returncode), by_line.stderr + by_id.stderr
    assert expected + "\n" == by_line.stdout == by_id.stdout
    assert "FOOT001" in expected
    first = cli("explain", str(path))
    result = Cleaner().clean_text(RECORDS[0]["text"])
    assert render_explanation(result, notes=score_notes(result)) + "\n" == first.stdout
    missing = cli("explain", str(path), "--id", "zzz")
    assert 2 == missing.returncode and "no record with id 'zzz'" in missing.stderr


def test_explain_a_warc_page_by_number_and_by_record_id(tmp_path, cli):
    path = tmp_path / "crawl.warc.gz"
    write_warc_gz(path, crawl())
    expected = render_explanation(Cleaner().clean_html(PAGE, url=URI))
    first = cli("explain", str(path))
    by_id = cli("explain", str(path), "--id", "<urn:uuid:00000000-0000-0000-0000-000000000002>")
    assert (0, 0) == (first.returncode, by_id.returncode), first.stderr + by_id.stderr
    assert expected + "\n" == first.stdout == by_id.stdout
    second = cli("explain", str(path), "--line", "2")  # the chunked, gzip-encoded copy (a 404 is no page)
    assert 0 == second.returncode, second.stderr
    assert render_explanation(Cleaner().clean_html(PAGE, url=URI + "?page=2")) + "\n" == second.stdout
    assert 2 == cli("explain", str(path), "--line", "3").returncode  # two pages only


def test_line_and_id_need_a_record_file(cli):
    seed = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))[0]
    proc = cli("explain", str(seed), "--line", "2")
    assert 2 == proc.returncode and "--line and --id pick a record" in proc.stderr
