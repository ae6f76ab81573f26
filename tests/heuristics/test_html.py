"""HTML-only line heuristics (cleaner.heuristics.html)."""

from cleaner import Cleaner
from cleaner.document import Document
from cleaner.heuristics.html import matches_title


def _clean(text: str, title: str, fmt: str = "html"):
    doc = Document(text, fmt, metadata={"title": title})
    return Cleaner().clean_document(doc)


def test_matches_title_allows_a_missing_site_suffix_only():
    assert matches_title("Cat found in Oregon", "Cat found in Oregon | The Daily News")
    assert matches_title("CAT FOUND IN OREGON", "Cat found in Oregon")
    assert not matches_title("Oregon", "Cat found in Oregon | The Daily News")
    assert not matches_title("Cat found in Oregon after five years, the owner said on Monday.",
                             "Cat found in Oregon")


def test_title_copy_at_the_top_is_removed_with_its_rule_id():
    text = ("Council approves new cycle lanes\n"
            "The council approved six kilometres of new cycle lanes on Tuesday evening after a long debate.\n")
    result = _clean(text, "Council approves new cycle lanes - The Valley Courier")
    assert "The council approved six kilometres of new cycle lanes on Tuesday evening after a long debate.\n" == result.text
    assert ["HEU020"] == [r.rule for r in result.removals]
    assert "title-line" == result.removals[0].reason


def test_title_is_kept_when_it_is_the_only_line_or_deep_in_the_text_or_plain_text():
    only = "Council approves new cycle lanes\n"
    assert only == _clean(only, "Council approves new cycle lanes").text
    deep = ("First line of the article body, a full sentence.\nSecond line, also a sentence.\n"
            "A third line of prose here.\nCouncil approves new cycle lanes\n")
    assert deep == _clean(deep, "Council approves new cycle lanes").text
    text = "Council approves new cycle lanes\nThe council approved six kilometres of new lanes.\n"
    assert [] == [r for r in _clean(text, "Council approves new cycle lanes", "text").removals
                  if r.rule == "HEU020"]


def test_title_line_can_be_disabled():
    text = "Council approves new cycle lanes\nThe council approved six kilometres of new lanes.\n"
    doc = Document(text, "html", metadata={"title": "Council approves new cycle lanes"})
    assert text == Cleaner(disabled=frozenset({"HEU020"})).clean_document(doc).text
