"""Learned rules on text extracted from HTML remove only what stands at its edges, and on plain
text only what looks like chrome (cleaner.rules.learned)."""

import pytest

from cleaner import Cleaner, Config
from cleaner.document import Document
from cleaner.lines.views import line_views
from cleaner.rules.learned import keep_learned_chrome, keep_learned_edges

LEARNED_PACK = """\
family: learned
learned: true
rules:
  - id: LEARN-ABC123-0001
    name: learned-shop-a
    description: Recurring lines of shop-a.
    match: {literal: ["Home / Stoves", "Condition:", "Share this page", "Share this page | Facebook | Twitter"]}
    when: {sites: [shop-a]}
    action: drop_line
    examples:
      remove: ["Condition:"]
"""
BODY = ["The two-burner stove folds flat and fits in the side pocket of most packs.",
        "Condition:",
        "Used twice on a weekend trip, cleaned and stored in its original box since then."]


SHARE_BAR = ["Share this page", "Facebook", "Twitter"]


def _doc(fmt: str, tail: tuple[str, ...] = ("Share this page",)) -> Document:
    text = "\n".join(["Home / Stoves", *BODY, *tail]) + "\n"
    doc = Document(text, fmt, site="shop-a")
    for n, line in enumerate(doc.lines):
        if line.text in ("Home / Stoves", "Condition:", *tail):
            doc.mark_line(line, "LEARN-ABC123-0001", "learned")
    return doc


def test_only_the_marks_at_the_edges_stay():
    # a breadcrumb above the text and a share bar below it: chrome to the junk model (a lone
    # "Share this page" under two sentences it is unsure of, and unsure means content)
    doc = _doc("html", tuple(SHARE_BAR))
    assert 1 == keep_learned_edges(doc, line_views(doc), frozenset({"LEARN-ABC123-0001"}))
    kept = {doc.text[m.start:m.end].strip() for m in doc.marks}
    assert {"Home / Stoves", *SHARE_BAR} == kept


@pytest.mark.parametrize("fmt", ["html", "text"])
def test_marks_of_other_rules_are_left_alone(fmt):
    doc, keep = (_doc(fmt), keep_learned_edges) if fmt == "html" else (_page(fmt), keep_learned_chrome)
    before = len(doc.marks)
    assert 0 == keep(doc, line_views(doc), frozenset({"OTHER001"}))
    assert (before, before) == (len(doc.marks), {"html": 3, "text": 4}[fmt])


def test_html_keeps_an_inner_learned_line_and_a_short_text_does_not(tmp_path):
    pack = tmp_path / "learned.yaml"
    pack.write_text(LEARNED_PACK)
    cleaner = Cleaner(Config(rule_paths=(str(pack),), default_rules=False, heuristics=False))
    page = ("<html><head><link rel='canonical' href='https://shop-a/stove'></head><body><article>"
            "<p>Home / Stoves</p>" + "".join(f"<p>{x}</p>" for x in BODY)
            + "<p>Share this page | Facebook | Twitter</p></article></body></html>")
    html = cleaner.clean_html(page, relpath="shop-a/1.html")
    assert "Condition:" in html.text.split("\n")
    assert "Share this page" not in html.text
    text = cleaner.clean_text("\n".join(["Home / Stoves", *BODY, "Share this page"]) + "\n", relpath="shop-a/1.txt")
    # plain text too short for the junk model to tell chrome (it scores every line as content):
    # the learned rules decide alone
    assert "Condition:" not in text.text.split("\n")


def test_the_site_body_classifier_never_runs_on_html_text(tmp_path):
    pack = tmp_path / "learned.yaml"
    pack.write_text(LEARNED_PACK)
    cleaner = Cleaner(Config(rule_paths=(str(pack),), default_rules=False))
    decided = {}
    for fmt in ("text", "html"):
        doc = _doc(fmt)  # learned rules marked 3 of its 5 lines
        decided[fmt] = cleaner._learned_cleaned(doc, line_views(doc))
    assert {"text": True, "html": False} == decided


def test_a_recurring_spec_row_at_the_edge_stays_and_chrome_there_goes():
    rows = ["Home / Stoves", *BODY, "Delivery:", "Varies", "Share this page"]
    doc = Document("\n".join(rows) + "\n", "html", site="shop-a")
    learned = {"Home / Stoves", "Condition:", "Delivery:", "Varies", "Share this page"}
    for line in doc.lines:
        if line.text in learned:
            doc.mark_line(line, "LEARN-ABC123-0001", "learned")
    assert 3 == keep_learned_edges(doc, line_views(doc), frozenset({"LEARN-ABC123-0001"}))
    assert {"Home / Stoves", "Share this page"} == {doc.text[m.start:m.end].strip() for m in doc.marks}



MENU = ["Home", "Shop", "Stoves", "Tents", "Sleeping bags", "Backpacks", "Lights", "Sale", "Contact", "Sign in"]
FOOTER = ["Share this page", "Facebook", "Twitter", "About us", "Delivery", "Returns", "Privacy", "Terms"]
MORE = ["It burns for about ninety minutes on one small canister, enough for a long weekend.",
        "Pick-up in Leeds or shipping within the UK at cost; we answer questions within a day."]


def _page(fmt: str) -> Document:
    """A whole scraped page: a menu, the breadcrumb and the item, a footer; learned rules marked
    the breadcrumb, the spec label, one sentence of the item and the share line."""
    doc = Document("\n".join([*MENU, "Home / Stoves", *BODY, *MORE, *FOOTER]) + "\n", fmt, site="shop-a")
    for line in doc.lines:
        if line.text in ("Home / Stoves", "Condition:", BODY[2], "Share this page"):
            doc.mark_line(line, "LEARN-ABC123-0001", "learned")
    return doc


def test_plain_text_keeps_a_recurring_line_that_reads_as_content():
    doc = _page("text")
    assert 2 == keep_learned_chrome(doc, line_views(doc), frozenset({"LEARN-ABC123-0001"}))
    assert {"Home / Stoves", "Share this page"} == {doc.text[m.start:m.end].strip() for m in doc.marks}


def test_plain_text_cleaning_keeps_a_learned_sentence(tmp_path):
    pack = tmp_path / "learned.yaml"
    pack.write_text(LEARNED_PACK.replace('"Share this page | Facebook | Twitter"]', f'"Share this page | Facebook | Twitter", "{BODY[2]}"]'))
    cleaner = Cleaner(Config(rule_paths=(str(pack),), default_rules=False, heuristics=False))
    page = "\n".join([*MENU, "Home / Stoves", *BODY, *MORE, *FOOTER]) + "\n"
    lines = cleaner.clean_text(page, relpath="shop-a/1.txt").text.split("\n")
    assert BODY[2] in lines and "Condition:" in lines
    assert "Home / Stoves" not in lines and "Share this page" not in lines
