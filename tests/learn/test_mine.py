"""Mining: which recurring lines are learned per site, what is protected, and the pack it writes."""

from __future__ import annotations

import pytest

from cleaner.learn.pack import digit_regex, render_pack
from cleaner.learn.mine import MineConfig, Miner
from cleaner.lines.normalize import line_hash
from cleaner.rules.pack import ID_RE, load_pack
from cleaner.rules.examples import check_rule, run_rule
from cleaner.sources.sites import NO_SITE, registered_domain, site_key

CHROME = ["Skip to main content", "Home", "Shop", "Sign in", "Cart"]
FOOTER = ["About us", "Careers", "© 2025 Example Outfitters, Inc."]


WORDS = ("river storm valley bridge council harvest market school festival railway harbour forest "
         "museum orchard tunnel glacier vineyard airport library stadium").split()


def word(n: int, salt: int = 0) -> str:
    """A word-spelled token for ``n`` (digits would be folded together by mining)."""
    n = n * 7 + salt
    out = []
    while True:
        out.append(WORDS[n % len(WORDS)])
        n //= len(WORDS)
        if not n:
            return "-".join(out)


def article(n: int) -> list[str]:
    """A distinct article of a few lines."""
    return [f"Headline about the {word(n)} and the {word(n, 3)}",
            f"The report says the {word(n, 1)} rose after the {word(n, 2)} storm in the valley.",
            f"Officials near the {word(n, 4)} said the {word(n, 5)} road would reopen soon."]


def page(n: int, *, extra: list[str] = (), footer_year: int = 2025) -> str:
    footer = [f.replace("2025", str(footer_year)) for f in FOOTER]
    return "\n".join(CHROME + article(n) + list(extra) + footer) + "\n"


def learned_texts(miner: Miner, site: str) -> set[str]:
    return {info.examples[0] for _, _, info in miner.findings().get(site, [])}


def mine(docs: list[tuple[str, str]], **cfg) -> Miner:
    miner = Miner(MineConfig(**cfg))
    for site, text in docs:
        miner.add(site, text)
    return miner


# -- sites ---------------------------------------------------------------------------------

@pytest.mark.parametrize("host, expected", [
    ("store.steampowered.com", "steampowered.com"),
    ("www.bbc.co.uk", "bbc.co.uk"),
    ("news.abc.net.au", "abc.net.au"),
    ("example.com", "example.com"),
    ("alice.github.io", "alice.github.io"),
    ("127.0.0.1", "127.0.0.1"),
])
def test_registered_domain(host, expected):
    assert expected == registered_domain(host)


def test_site_key_prefers_url_then_directory():
    assert "example.org" == site_key("https://blog.example.org/a", "siteA/x.txt", "auto")
    assert "siteA" == site_key(None, "siteA/x.txt", "auto")
    assert "siteA" == site_key("https://blog.example.org/a", "siteA/sub/x.txt", "dir")
    assert None is site_key(None, "siteA/x.txt", "domain")
    assert NO_SITE == site_key(None, "x.txt", "auto")


# -- what is learned -----------------------------------------------------------------------

def test_chrome_is_learned_and_articles_are_not():
    miner = mine([("a", page(n)) for n in range(6)])
    learned = learned_texts(miner, "a")
    assert set(CHROME) | set(FOOTER[:2]) <= learned
    assert not any("Headline" in t or "report" in t or "Officials" in t for t in learned)


def test_digits_are_folded_and_the_rule_accepts_any_year():
    miner = mine([("a", page(n, footer_year=2020 + n)) for n in range(5)])
    assert any(t.startswith("©") for t in learned_texts(miner, "a"))
    pattern = digit_regex("© 2021 Example Outfitters, Inc.")
    assert r"\d+" in pattern
    assert line_hash("© 2021 Example") == line_hash("© 1999 EXAMPLE")


def test_thresholds_need_enough_documents_and_share():
    rare = [("a", page(n, extra=["Limited offer banner"] if n < 2 else [])) for n in range(10)]
    assert "Limited offer banner" not in learned_texts(mine(rare), "a")  # 2 of 10 < 3 docs
    two_docs = [("b", page(n)) for n in range(2)]
    assert {} == mine(two_docs).findings()  # a site of two pages teaches nothing at min_docs=3


def test_syndicated_article_across_sites_is_not_learned():
    shared = article(99)
    docs = [(site, "\n".join([f"{site} masthead"] + shared) + "\n") for site in ("s1", "s2", "s3", "s4")]
    assert {} == mine(docs).findings()


def test_copies_of_one_page_in_a_site_are_not_counted():
    docs = [("a", page(1)), ("a", page(1)), ("a", page(1)), ("a", page(2))]
    miner = mine(docs)
    assert (2, 2) == (miner.sites["a"].documents, miner.sites["a"].copies)
    assert {} == miner.findings()  # only two distinct documents


def test_quoted_statement_shared_by_articles_is_protected():
    quote = "“We will not rush with our estimates of what the talks achieved,” the spokesman said."
    docs = [("a", page(n, extra=[quote] if n < 4 else [])) for n in range(6)]
    miner = mine(docs)
    assert quote not in learned_texts(miner, "a")
    assert "Home" in learned_texts(miner, "a")


def test_allowlist_long_lines_and_titles_are_protected():
    disclaimer = "This article is for information only and is not financial advice"
    long_line = " ".join(f"word{i}" for i in range(50))
    docs = []
    for n in range(6):
        head = ["Weekly market roundup"] if n == 0 else []
        body = ["Weekly market roundup"] if n else []
        docs.append(("a", "\n".join(head + CHROME + article(n) + body + [disclaimer, long_line]) + "\n"))
    plain = learned_texts(mine(docs), "a")
    assert long_line not in plain
    assert disclaimer in plain
    assert disclaimer not in learned_texts(mine(docs, keep=("not financial advice",)), "a")
    assert "Weekly market roundup" not in plain  # the title of one page, linked from five
    topped = [("a", "\n".join(["Example Outfitters"] + CHROME + article(n)) + "\n") for n in range(5)]
    assert "Example Outfitters" in learned_texts(mine(topped), "a")  # first line of every page: chrome


def test_memory_caps_prune_rare_hashes_but_keep_chrome():
    docs = [("a", page(n)) for n in range(400)]
    miner = mine(docs, max_hashes_per_site=1000, max_hashes=1500)
    assert miner.pruned > 0
    assert len(miner.sites["a"].counts) <= 1000
    assert set(CHROME) <= learned_texts(miner, "a")


# -- the pack ------------------------------------------------------------------------------

def test_rendered_pack_loads_and_passes_its_examples(tmp_path):
    miner = mine([("shop.example", page(n, footer_year=2020 + n)) for n in range(5)])
    text, count = render_pack(miner, "corpus")
    path = tmp_path / "learned.yaml"
    path.write_text(text, encoding="utf-8")
    rules = load_pack(path)
    assert count == len(rules) > 0
    for rule in rules:
        assert ID_RE.match(rule.id) and rule.id.startswith("LEARN-")
        assert (True, ("shop.example",)) == (rule.learned, rule.sites)
        assert 5 == rule.seen_documents
        assert "5 of 5 documents" in rule.description
        assert [] == check_rule(rule)
    menu = next(r for r in rules if "Home" in r.examples_remove)
    assert "Some article sentence.\n" == run_rule(menu, "Home\nSome article sentence.\nCart\n")


def test_empty_learned_pack_is_valid(tmp_path):
    text, count = render_pack(mine([("a", page(1))]))
    path = tmp_path / "learned.yaml"
    path.write_text(text, encoding="utf-8")
    assert (0, []) == (count, load_pack(path))


@pytest.mark.parametrize("line", [r"Press \1 to continue", r"Path C:\docs\2024\report", r"Escape \\2 twice"])
def test_a_learned_line_with_a_backslash_digit_passes_its_own_example(tmp_path, line):
    """A recurring line holding ``\\1`` becomes a digit rule that still matches the line itself."""
    miner = mine([("b.example", page(n, extra=[line.replace("1", str(n)).replace("2024", str(2020 + n))]))
                  for n in range(5)])
    text, _ = render_pack(miner, "corpus")
    path = tmp_path / "learned.yaml"
    path.write_text(text, encoding="utf-8")
    rules = [r for r in load_pack(path) if any("\\" in ex for ex in r.examples_remove)]
    assert rules, text
    for rule in rules:
        assert [] == check_rule(rule)
