"""HTML parsing and extraction edge cases (cleaner.extract.page)."""

from cleaner import Cleaner

_PARAGRAPH = ("<p>The harbour authority reopened the northern pier on Tuesday after three weeks "
              "of repairs, and the first ferries docked there in the afternoon without delays.</p>")

_BODY = "".join(f"<p>{s}</p>" for s in (
    "Repairs had started after a storm in March damaged the deck and two of the mooring posts.",
    "The authority said the works cost less than planned because the old timber could be reused.",
    "Fishermen, who had moved their boats to the southern basin, are expected back next week.",
))


def _xhtml(declaration: str) -> bytes:
    return (declaration + '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Pier</title></head>'
            f"<body><article>{_PARAGRAPH * 3}</article></body></html>").encode("utf-8")


def test_xhtml_with_an_xml_declaration_is_extracted():
    for declaration in ('<?xml version="1.0" encoding="UTF-8"?>\n',
                        '  <?xml version="1.0" encoding="utf-8" ?>\r\n', ""):
        result = Cleaner().clean_html(_xhtml(declaration))
        assert None is result.rejected
        assert "northern pier on Tuesday" in result.text
        assert "<?xml" not in result.text


def test_closing_lines_rules_apply_to_html_only():
    page = (f"<html><body><article>{_PARAGRAPH * 3}"
            "<p>Read more: Why the city is running out of water</p></article></body></html>")
    assert "Read more:" not in Cleaner().clean_html(page).text
    text = Cleaner().clean_text("A real sentence of the article, kept as it is today.\n"
                                "Read more: Why the city is running out of water\n")
    assert [] == [r.rule for r in text.removals if r.rule.startswith("HTML")]


def test_trailing_related_links_go_but_linked_body_text_stays():
    related = "".join(f'<li><a href="/n{i}">{title}</a> {teaser}</li>' for i, (title, teaser) in enumerate([
        ("Rams top Bears as offenses struggle", "Neither side scored much"),
        ("Chiefs hold on to the division lead", "A late field goal decided it"),
    ]))
    page = ("<html><body><article>"
            f'<p><a href="/pier">The harbour authority reopened the northern pier</a> on Tuesday '
            "after three weeks of repairs, and the first ferries docked there without delays.</p>"
            f"{_PARAGRAPH}{_BODY}<ul>{related}</ul></article></body></html>")
    result = Cleaner().clean_html(page)
    assert "Rams top Bears" not in result.text
    assert "Chiefs hold on" not in result.text
    assert "reopened the northern pier on Tuesday" in result.text
    assert {"HEU021"} == {r.rule for r in result.removals if "Rams" in result.source_text[r.start:r.end]}
    kept = Cleaner(disabled=["HEU021"]).clean_html(page)
    assert "Rams top Bears" in kept.text


def test_text_after_html_comment_markers_is_kept():
    # front-end frameworks wrap text in comment markers (<!--[--> ... <!--]-->); trafilatura drops
    # the text that follows a comment node, so the parser leaves comments out
    specs = "".join(f"<li><div>Heat output: <div><!--[--><!----> {n},000 BTU <!----><!--]--></div></div></li>"
                    for n in (9, 10, 12))
    page = f"<html><body><article>{_PARAGRAPH}{_BODY}<ul>{specs}</ul></article></body></html>"
    text = Cleaner().clean_html(page).text
    assert "northern pier on Tuesday" in text
    assert ["9,000 BTU", "10,000 BTU", "12,000 BTU"] == [v for v in ("9,000 BTU", "10,000 BTU", "12,000 BTU")
                                                       if v in text]


def _extract_with_stand_in(monkeypatch, whole_text: str):
    """extract_html with a trafilatura stand-in that finds little on the pruned page (it lacks
    the span pruning takes out) and ``whole_text`` on the page as it came."""
    import types

    import trafilatura

    import cleaner.extract.page as page

    paragraphs = [f"Card {n}: beans roasted in small batches every morning and packed the same day."
                  for n in range(8)]
    html = ("<html><body><main>" + "".join(f"<div><p>{p}</p><span class='gone'>x</span></div>" for p in paragraphs)
            + "</main></body></html>")

    def prune(tree, reviews=False):
        spans = [el for el in tree.iter("span") if el.get("class") == "gone"]
        for el in spans:
            el.getparent().remove(el)
        return len(spans)

    def stand_in(tree, **kwargs):
        whole = any(el.get("class") == "gone" for el in tree.iter("span"))
        return types.SimpleNamespace(text=whole_text if whole else "Card 0")

    monkeypatch.setattr(page, "prune_tree", prune)
    monkeypatch.setattr(trafilatura, "bare_extraction", stand_in)
    return page.extract_html(html), paragraphs


def test_when_the_pruned_page_gives_little_the_page_as_it_came_is_tried(monkeypatch):
    extracted, paragraphs = _extract_with_stand_in(monkeypatch, "\n".join(["Card 0 and 1"] * 10))
    assert "\n".join(["Card 0 and 1"] * 10) == extracted.text


def test_a_text_longer_than_the_page_shows_is_not_taken(monkeypatch):
    # more words than the page's visible blocks: hidden text that the pruning had taken out
    extracted, paragraphs = _extract_with_stand_in(monkeypatch, "hidden " * 1000)
    assert "hidden" not in extracted.text


def test_long_data_uris_are_emptied_as_the_expression_says():
    # empty_long_data_uris reads only the runs long enough to hold one: the same result as
    # the expression over the whole page, on runs about its windows' size and at their edges
    import random

    from cleaner.extract.page import _LONG_DATA_URI, empty_long_data_uris

    rnd = random.Random(7)
    parts = ["data:", "DATA:", "DaTa:", "x", "A" * 100, "B" * 1000, "A" * 3000, "A" * 4095, "A" * 4096,
             " ", '"', "(", "<", ">", "\u3000", "\xa0", "é" * 50, "\n"]
    pages = ["".join(rnd.choice(parts) for _ in range(rnd.randint(0, 30))) for _ in range(3000)]
    pages += ["y" * pre + " data:" + "Q" * n + " z" for n in (4095, 4096, 4097) for pre in range(0, 2060, 97)]
    changed = 0
    for page in pages:
        expected = _LONG_DATA_URI.sub("data:,", page)
        assert expected == empty_long_data_uris(page)
        changed += expected != page
    assert changed > 100


def test_preload_builds_what_the_first_full_pass_builds():
    # a parent that preloads before forking spares each worker jusText's stoplist (about 0.25 s);
    # in a fresh process, since other tests here may have built it already
    import subprocess
    import sys

    code = ("import trafilatura.external as e; before = e.JT_STOPLIST; "
            "from cleaner.extract.page import preload; preload(); "
            "print(before is None, bool(e.JT_STOPLIST))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "True True" == out.strip()


def test_a_page_declaring_another_charset_keeps_its_decoded_text():
    # the page is handed to the parser as UTF-8 whatever its <meta> says: its text is decoded
    from cleaner.extract.page import _parse

    for charset in ("windows-1251", "iso-8859-1", "shift_jis", "utf-16"):
        tree = _parse(f'<html><head><meta charset="{charset}"></head>'
                      "<body><p>Привет, café, 日本語 😀</p></body></html>")
        assert "Привет, café, 日本語 😀" == tree.findtext(".//p")


def test_a_page_with_a_lone_surrogate_is_still_parsed():
    from cleaner.extract.page import _parse

    # (it cannot be UTF-8: the page goes to the parser as a str, which libxml2 reads up to it)
    assert "a" == _parse("<html><body><p>a\ud800b</p><p>words</p></body></html>").findtext(".//p")


def test_trafilatura_leaves_the_tree_it_is_given_as_it_was():
    # what handing one parsed tree to every pass relies on (trafilatura 2.3 and later)
    import lxml.html
    import trafilatura

    from cleaner.extract.page import _extractor_keeps_input, _parse

    html = ("<html><head><script>var a = 1;</script></head><body><nav>Home</nav><aside>Ad</aside>"
            "<article><p>Short.</p></article><footer>Contact</footer></body></html>")
    tree = _parse(html)
    before = lxml.html.tostring(tree)
    for fast in (True, False):
        trafilatura.bare_extraction(tree, fast=fast, include_comments=False, deduplicate=False)
    assert _extractor_keeps_input() == (before == lxml.html.tostring(tree))


def test_the_page_is_parsed_once_when_the_full_pass_runs_and_nothing_was_pruned(monkeypatch):
    import types

    import trafilatura

    from cleaner.extract import page

    parses, passes = [], []
    parse = page._parse
    monkeypatch.setattr(page, "_parse", lambda html: parses.append(1) or parse(html))

    def stand_in(tree, **kwargs):
        passes.append(kwargs.get("fast", False))
        return types.SimpleNamespace(text="Card 0")

    monkeypatch.setattr(trafilatura, "bare_extraction", stand_in)
    html = "<html><body><main>" + "".join(f"<p>Card {n} has words in it.</p>" for n in range(40)) + "</main></body></html>"
    page.extract_html(html)
    assert [True, False] == passes  # the fast pass, then the full pass: not the page as it came again
    assert 1 == len(parses) if page._extractor_keeps_input() else 2 == len(parses)


def test_the_content_after_an_early_end_of_the_document_is_kept():
    # a page that closes its body and itself before the article (a header template pasted ahead
    # of the page): libxml2 would put what follows outside the body or drop it, a browser shows it
    for early in ("</body></html>", "</body>", "</HTML>"):
        page = (f"<html><head><title>Pier</title></head><body><nav><a href='/'>Home</a></nav>{early}"
                f"<main><article>{_PARAGRAPH}{_BODY}</article></main></body></html>")
        result = Cleaner().clean_html(page)
        assert "northern pier on Tuesday" in result.text, early
        assert "could be reused" in result.text, early
