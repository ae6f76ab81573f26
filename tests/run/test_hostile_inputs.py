"""Hostile input: every document of a nasty crawl is rejected with its reason or cleaned right."""

from __future__ import annotations

import http.server
import threading

import pytest

from hostile_support import hostile, outcomes, run_cli


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"FETCHED-FROM-THE-NETWORK")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """Run the CLI once (two workers) over the hostile corpus; an HTTP server counts fetches."""
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    tmp = tmp_path_factory.mktemp("hostile")
    try:
        expected = hostile.write_hostile(tmp / "in", url=f"http://127.0.0.1:{server.server_port}/entity")
        out = tmp / "out.jsonl"
        proc = run_cli("run", str(tmp / "in"), "-o", str(out), "--jobs", "2", "--doc-timeout", "30")
    finally:
        server.shutdown()
    records, rejects = outcomes(out)
    return expected, records, rejects, proc, tmp


def test_every_hostile_document_gets_its_outcome(crawl):
    expected, records, rejects, proc, _ = crawl
    assert 1 == proc.returncode, proc.stderr
    actual = {key: ("written" if key in records else rejects[key]["reason"] if key in rejects else "LOST")
              for key in expected}
    assert expected == actual


def test_no_document_is_written_twice_or_both_written_and_rejected(crawl):
    expected, records, rejects, _, _ = crawl
    assert set() == set(records) & set(rejects)
    extra = {key for key in set(records) | set(rejects) if key not in expected}
    # only lines a truncated archive gave up before it broke may appear beyond the table
    assert set() == {key for key in extra if key[0] != "truncated.jsonl.gz"}
    assert all("detail" in rec and rec["reason"] for rec in rejects.values())


def test_damaged_text_is_cleaned_right(crawl):
    _, records, _, _, _ = crawl
    text = {key[0]: rec["text"] for key, rec in records.items() if key[1] is None}
    for name in ("good.txt", "controls.txt", "controls.html", "utf16-bom.txt", "utf16le-nobom.txt",
                 "bad-name-\\xe9.txt", "inside-link.txt", "laughs.html", "external-entity.html"):
        assert hostile.SENTENCE in text[name], name
    assert "\x00" not in "".join(text.values())
    assert 3 * hostile.ARTICLE.count("council") == records[("controls.txt", None)]["metadata"]["control_chars_dropped"]
    assert "the new caf\u00e9 budget \u2013 na\u00efve" in text["cp1252-declared-utf8.html"]
    assert "The harbour council approved the new budget" in text["invalid-utf8.txt"]
    assert hostile.SENTENCE == records[("malformed.jsonl", 1)]["text"].split("\n")[0]


def test_entities_are_neither_expanded_nor_fetched(crawl):
    _, records, _, _, _ = crawl
    laughs = records[("laughs.html", None)]["text"]
    assert "lollol" not in laughs and len(laughs) < 1000
    outside = records[("external-entity.html", None)]["text"]
    assert "root:" not in outside and "FETCHED" not in outside
    assert [] == _Recorder.hits


def test_outputs_appear_whole_and_nothing_is_left_behind(crawl):
    _, _, _, _, tmp = crawl
    assert ["in", "in-outside.txt", "out.jsonl", "out.rejects.jsonl"] == sorted(p.name for p in tmp.iterdir())
