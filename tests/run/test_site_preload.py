"""Before a pool forks its workers, the main process parses the Public Suffix List only when the
documents may need it (a URL to key a site by): a plain-text JSONL without URLs never pays it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cleaner.run.local import _may_need_sites
from cleaner.settings import Config
from cleaner.sources.files import InputFile
from cleaner.sources.readers import RawDocument

_RUN = r"""
import json, sys
from cleaner.run.local import run
from cleaner.settings import Config
from cleaner.sources import sites
run(sys.argv[1], sys.argv[2], Config(added="2020-01-01T00:00:00.000Z"), jobs=2)
print(json.dumps(sites._suffix_list.cache_info().currsize))
"""

_TEXT = "A plain line of scraped text that says enough to be kept.\nSign up now for free!"


def _parsed_in_main(tmp_path, records: list[dict]) -> int:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", _RUN, str(src), str(tmp_path / "out.jsonl")],
                         capture_output=True, text=True, check=True)
    assert len(records) == len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines())
    return json.loads(out.stdout.splitlines()[-1])


def test_records_without_urls_leave_the_list_unparsed(tmp_path):
    assert 0 == _parsed_in_main(tmp_path, [{"id": str(n), "text": _TEXT} for n in range(3)])


def test_records_with_urls_have_it_parsed_once_before_the_fork(tmp_path):
    records = [{"id": str(n), "text": _TEXT, "url": f"https://www.bbc.co.uk/news/{n}"} for n in range(3)]
    assert 1 == _parsed_in_main(tmp_path, records)


def _record(fields: dict) -> RawDocument:
    return RawDocument("in.jsonl", "jsonl", "record", json.dumps(fields).encode(), line=1, position=1)


@pytest.mark.parametrize("files, first, config, expect", [
    ([], [_record({"text": "x"})], Config(), False),
    ([], [_record({"text": "x"}), _record({"text": "y", "url": "https://a.example/"})], Config(), True),
    ([], [_record({"html": "<p>x</p>"})], Config(), True),  # a page may name its own URL
    ([], [_record({"text": "x", "link": "https://a.example/"})], Config(url_field="link"), True),
    ([InputFile("/in/a.warc.gz", "a.warc.gz", "warc")], [], Config(), True),
    ([], [RawDocument("a.txt", "text", "text", b"x")], Config(), False),
])
def test_what_may_need_the_list(files, first, config, expect):
    assert expect == _may_need_sites(files, first, config)
