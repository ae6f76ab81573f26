"""The public Python API: its surface, and cleaning through it."""

from pathlib import Path

import cleaner
from cleaner import Cleaner, Config, replay

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_public_api_is_short_sorted_and_pinned():
    assert [
        "CleanResult", "Cleaner", "CleanerError", "Config", "ConfigError", "DocumentError",
        "RuleError", "__version__", "clean_html", "clean_text", "replay",
    ] == cleaner.__all__
    assert sorted(cleaner.__all__) == cleaner.__all__


def test_clean_text_removes_promo_and_keeps_sentence():
    result = cleaner.clean_text("Sign up now for unlimited free access to\nThe minister resigned on Tuesday.\n")
    assert "The minister resigned on Tuesday.\n" == result.text
    assert ["PROMO001"] == [r.rule for r in result.removals]
    assert "paywall-signup-cta" == result.removals[0].reason
    assert 1 == result.removals[0].line


def test_removals_replay_to_the_output():
    text = (Cleaner().clean_text("Reuters\nBusiness\nA long headline about a harbour bridge reopening\n\n"
                                 "The bridge reopened on Sunday after two years of repairs, officials said. read more\n"
                                 "\nSource link\n"))
    assert text.text == replay(text.source_text, text.removals)
    assert "read more" not in text.text


def test_clean_html_extracts_main_text_and_metadata():
    html = (FIXTURES / "html" / "harbour-bridge.html").read_text(encoding="utf-8")
    result = cleaner.clean_html(html)
    assert "The harbour bridge reopened to traffic on Sunday morning" in result.text
    assert "Related Stories" not in result.text
    assert "Your email address" not in result.text
    assert "Maria Lindqvist" == result.metadata["author"]
    assert "2023-05-14" == result.metadata["date"]
    assert "read more" not in result.text


def test_cleaner_maps_records_and_passes_fields_through():
    records = [
        {"id": "a", "text": "Sign up to read this article\nA sentence of the article that stays here.\n", "lang": "en"},
        {"id": "b", "text": 42},
    ]
    out = list(Cleaner(Config(source="unit")).map(records))
    assert ["a", "b"] == [r["id"] for r in out]
    assert "A sentence of the article that stays here.\n" == out[0]["text"]
    assert "en" == out[0]["metadata"]["lang"]
    assert ["PROMO001"] == [r["rule"] for r in out[0]["metadata"]["removed"]]
    assert "bad_field" == out[1]["metadata"]["rejected"]


def test_disable_switches_a_rule_off():
    text = "Source link\nA sentence of the article that stays here.\n"
    assert "Source link" not in Cleaner().clean_text(text).text
    assert "Source link" in Cleaner(Config(disabled=frozenset({"FOOT001"}))).clean_text(text).text
    assert "Source link" in Cleaner(Config(disabled=frozenset({"source-link"}))).clean_text(text).text
