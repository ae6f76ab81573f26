"""Decoding as browsers do: BOM, then the HTTP header's charset, then ``<meta>``, then a guess;
HTML comments never reach the text; a long ``data:`` URI does not lose the page."""

from __future__ import annotations

import json

import pytest

from cleaner import Cleaner
from cleaner.sources.decode import decode_bytes
from conftest_helpers import read_jsonl
from warc_support import http, record

RUSSIAN = ("Мост через гавань снова открыт после двух лет ремонта, сообщили в городском совете. "
           "Инженеры заменили настил и укрепили опоры моста.")
META_LATIN1 = b'<html><head><meta charset="iso-8859-1"><title>t</title></head><body><article><p>'
PAGE_END = b"</p></article></body></html>"


def test_the_header_charset_beats_meta_and_the_bom_beats_both():
    body = META_LATIN1 + RUSSIAN.encode("cp1251") + PAGE_END
    assert "cp1252" == decode_bytes(body, html=True).encoding  # no header: <meta> is all there is
    assert RUSSIAN in decode_bytes(body, html=True, charset="windows-1251").text
    assert "cp1251" == decode_bytes(body, html=True, charset="windows-1251").encoding
    bom = b"\xef\xbb\xbf" + META_LATIN1 + RUSSIAN.encode("utf-8") + PAGE_END
    assert "utf-8" == decode_bytes(bom, html=True, charset="windows-1251").encoding
    assert "cp1251" == decode_bytes(RUSSIAN.encode("cp1251"), charset="cp1251").encoding  # text too


def test_a_warc_response_is_decoded_by_its_http_header(tmp_path, cli):
    body = META_LATIN1 + RUSSIAN.encode("cp1251") + PAGE_END
    warc = record("response", "00000000-0000-0000-0000-000000000001",
                  http(body, ctype="text/html; charset=windows-1251"), ctype="application/http; msgtype=response")
    (tmp_path / "crawl.warc").write_bytes(warc)
    proc = cli("run", str(tmp_path / "crawl.warc"), "-o", str(tmp_path / "out.jsonl"), "-q")
    assert 0 == proc.returncode, proc.stderr
    (out,) = read_jsonl(tmp_path / "out.jsonl")
    assert "cp1251" == out["metadata"]["encoding"]
    assert "Мост через гавань" in out["text"]


def test_a_records_headers_decode_a_body_given_as_bytes():
    body = META_LATIN1 + RUSSIAN.encode("cp1251") + PAGE_END
    for rec in ({"html": body, "content_type": "text/html; charset=windows-1251"},
                {"html": body, "headers": {"Content-Type": "text/html;charset=windows-1251"}}):
        result = Cleaner().clean_record(rec)
        assert "Мост через гавань" in result.text and "cp1251" == result.metadata["encoding"]


COMMENTED = """<html><head><title>Bridge</title>
<!--[if lt IE 9]><p>Conditional head paragraph for old browsers, never text.</p><![endif]--></head>
<body><article><h1>The harbour bridge reopens</h1>
<p>The harbour bridge reopened on Monday after two years of repairs, the council said. <!-- HIDDEN
NOTE inside the paragraph --> Traffic is expected to be heavy all week.</p>
<!-- A whole comment between paragraphs that must never be text. -->
<p>Engineers replaced the deck and strengthened the towers, the works manager told reporters.</p>
<!--[if IE]><p>Conditional body paragraph for old browsers only, never text.</p><![endif]-->
<p>Cyclists get a new lane on the east side of the bridge, separated from traffic by a barrier.</p>
</article></body></html>"""


@pytest.mark.parametrize("wrap", ["article", "div"])
def test_html_comments_never_reach_the_text_and_their_tails_do(wrap):
    result = Cleaner().clean_html(COMMENTED.replace("article>", f"{wrap}>"))
    assert "HIDDEN" not in result.text and "never" not in result.text
    assert "the council said. Traffic is expected to be heavy all week." in result.text
    assert 1 == result.text.count("the council said.")


def test_comments_are_gone_in_a_real_run_and_in_explain(tmp_path, cli):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.html").write_text(COMMENTED)
    proc = cli("run", str(tmp_path / "in"), "-o", str(tmp_path / "out.jsonl"), "-q")
    assert 0 == proc.returncode, proc.stderr
    (out,) = read_jsonl(tmp_path / "out.jsonl")
    assert "HIDDEN" not in json.dumps(out) and "Traffic is expected" in out["text"]
    proc = cli("explain", str(tmp_path / "in" / "page.html"))
    assert "HIDDEN" not in proc.stdout and "Traffic is expected" in proc.stdout


ARTICLE = "<p>The harbour bridge reopened on Monday after two years of repairs, the council said.</p>"


@pytest.mark.parametrize("blob", [
    '<img src="data:image/png;base64,{}">', '<a href="data:text/plain;base64,{}">x</a>',
    '<div style="background:url(data:image/png;base64,{})">y</div>'])
def test_an_11_mb_data_uri_does_not_lose_the_page(blob):
    html = ("<html><body><article><h1>Bridge reopens</h1>" + ARTICLE + blob.format("A" * 11_000_000)
            + "<p>Engineers replaced the deck and strengthened the towers, said the works manager.</p>"
            + "</article></body></html>")
    result = Cleaner().clean_html(html)
    assert result.rejected is None and "Engineers replaced the deck" in result.text


def test_a_text_node_over_the_parsers_limit_has_its_own_reason():
    from cleaner.errors import DocumentError

    html = "<html><body><pre>" + "word " * 2_300_000 + "</pre></body></html>"
    with pytest.raises(DocumentError) as err:
        Cleaner().clean_html(html)
    assert "html_node_too_large" == err.value.reason
