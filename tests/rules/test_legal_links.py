"""FOOT006 legal-links-line: only rows of labels go, and the pattern stays linear on Python's regex."""

import regex

from cleaner import Cleaner

RULE = next(r for r in Cleaner().rules if r.id == "FOOT006")
PATTERN = RULE.matchers[0].regex  # Python's regex: the engine's fallback when there is no core


def test_a_label_with_a_long_run_of_spaces_is_settled_fast():
    # the old separators (\s*(?:...|\s)\s* inside {0,5}) split a run of spaces many ways:
    # 2,000 spaces took about a second, 20,000 far beyond the bound; linear takes ~0.02 s
    line = "privacy " + " " * 20_000 + "x"
    assert PATTERN.fullmatch(line, timeout=5.0) is None
    assert PATTERN.search(line, timeout=5.0) is None
    assert PATTERN.search("privacy" + " -" * 10_000 + "x", timeout=5.0) is None
    assert PATTERN.search("privacy" + " ," * 10_000 + "x", timeout=5.0) is None


def test_the_separators_still_join_a_row():
    for line in ["Privacy Policy  |  Terms of Use", "Imprint - Contact", "Cookies,Legal", "Legal\t·\tSitemap"]:
        assert PATTERN.fullmatch(line), line
    assert PATTERN.fullmatch("Imprint-Contact") is None  # a bare hyphen never joined labels


def test_a_lone_label_in_a_sentence_broken_over_lines_stays():
    # wcxb-dev 0699 (zapier.com): "you agree to Zapier's / Privacy Policy / and to receive..."
    text = "By signing up, you agree to Zapier's\nPrivacy Policy\nand to receive marketing emails from us."
    assert "Privacy Policy" in Cleaner().clean_text(text).text.splitlines()
