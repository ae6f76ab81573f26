"""Page metadata (cleaner.extract.meta) and the fast-first extraction of cleaner.extract.page."""

import doctest

import lxml.html
import pytest
import trafilatura

import cleaner.extract.meta
from cleaner import Cleaner
from cleaner.settings import Config
from cleaner.errors import ConfigError
from cleaner.extract.meta import page_metadata

from conftest_helpers import cli, read_jsonl

_STORY = " ".join([
    "The harbour authority reopened the northern pier on Tuesday after three weeks of repairs.",
    "Repairs had started after a storm in March damaged the deck and two of the mooring posts.",
    "The authority said the works cost less than planned because the old timber could be reused.",
    "Fishermen, who had moved their boats to the southern basin, are expected back next week.",
])


def _page(head: str, body: str = "") -> str:
    return f"<html><head>{head}</head><body>{body or '<article>' + ('<p>' + _STORY + '</p>') * 4 + '</article>'}</body></html>"


def test_module_examples():
    assert 0 == doctest.testmod(cleaner.extract.meta).failed


def test_json_ld_article_gives_headline_author_publisher_and_date():
    ld = ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
          '{"@type": "WebSite", "name": "Harbour Weekly"},'
          '{"@type": ["NewsArticle"], "headline": "Northern pier reopens",'
          ' "datePublished": "2021-03-04T08:00:00Z",'
          ' "author": [{"@type": "Person", "name": "Ann Lee"}, {"@type": "Person", "name": "Bo Chen"}],'
          ' "publisher": {"@type": "Organization", "name": "Harbour Weekly"}}]}</script>')
    meta = page_metadata(lxml.html.document_fromstring(_page("<title>Pier | HW</title>" + ld)))
    assert "Northern pier reopens" == meta["title"]
    assert "Ann Lee; Bo Chen" == meta["author"]
    assert "Harbour Weekly" == meta["sitename"]
    assert "2021-03-04" == meta["date"]


def test_meta_tags_fill_in_and_broken_json_ld_is_ignored():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
            '<meta property="og:title" content="  Pier   reopens ">'
            '<meta name="author" content="By Ann Lee">'
            '<meta property="article:published_time" content="2020-11-05T10:00:00+01:00">'
            '<meta property="og:url" content="https://weekly.example/pier">')
    meta = page_metadata(lxml.html.document_fromstring(_page(head)), url="https://other.example/x")
    assert {"url": "https://weekly.example/pier", "title": "Pier reopens", "author": "Ann Lee",
            "date": "2020-11-05"} == meta


def test_a_page_with_nothing_declared_keeps_the_given_url_and_its_h1():
    page = _page("", "<h1>Pier reopens</h1><p>" + _STORY + "</p>")
    meta = page_metadata(lxml.html.document_fromstring(page), url="https://weekly.example/a")
    assert "https://weekly.example/a" == meta["url"]
    assert "Pier reopens" == meta["title"]
    assert "author" not in meta


def test_html_metadata_must_be_fast_or_full():
    with pytest.raises(ConfigError):
        Config(html_metadata="slow")


def test_full_metadata_asks_trafilatura(monkeypatch):
    seen = []
    real = trafilatura.bare_extraction

    def spy(*args, **kwargs):
        seen.append(kwargs.get("with_metadata"))
        return real(*args, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", spy)
    head = '<title>Pier reopens</title><meta name="author" content="Ann Lee">'
    fast = Cleaner().clean_html(_page(head))
    full = Cleaner(html_metadata="full").clean_html(_page(head))
    assert [False, True] == seen
    assert "Pier reopens" == fast.metadata["title"] == full.metadata["title"]
    assert fast.text == full.text


def test_the_full_pass_runs_only_when_the_fast_pass_kept_little(monkeypatch):
    calls = []
    real = trafilatura.bare_extraction

    def spy(*args, **kwargs):
        calls.append(kwargs.get("fast", False))
        return real(*args, **kwargs)

    monkeypatch.setattr(trafilatura, "bare_extraction", spy)
    Cleaner().clean_html(_page("<title>Pier</title>"))
    assert [True] == calls  # a plain article: the fast pass holds it all
    calls.clear()
    Cleaner().clean_html(_page("", "<div><p>The northern pier reopens today after repairs.</p></div>"))
    assert [True, False] == calls[:2]  # under 50 words kept: trafilatura's full pass is asked


def test_cli_html_metadata_option(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.html").write_text(_page('<meta property="og:title" content="Pier reopens">'), encoding="utf-8")
    for mode in ("fast", "full"):
        out = tmp_path / f"{mode}.jsonl"
        proc = cli("run", str(src), "-o", str(out), "--html-metadata", mode, "-q")
        assert 0 == proc.returncode, proc.stderr
        assert "Pier reopens" == read_jsonl(out)[0]["metadata"]["title"]
