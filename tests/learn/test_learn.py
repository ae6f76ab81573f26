"""Site-scoped rules, ``cleaner mine`` and ``cleaner run --learn`` end to end."""

from __future__ import annotations

import json
from pathlib import Path

from conftest_helpers import cli, read_jsonl

from cleaner import Cleaner, Config
from cleaner.document import Document
from cleaner.rules.engine import RuleSet
from cleaner.rules.pack import load_pack
from cleaner.eval.scoring import LineScore, score_lines

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "fixtures" / "seeds"
LABELS = [json.loads(x) for x in (ROOT / "fixtures" / "seeds-gold" / "labels.jsonl").read_text().splitlines() if x]

SITE_PACK = """\
family: test
rules:
  - id: TEST001
    name: shop-menu
    description: The shop's menu line.
    match: {literal: "Shop all departments"}
    when: {sites: [shop-a]}
    action: drop_line
    examples:
      remove: ["Shop all departments"]
"""

MENU = ["Shop all departments", "Gift cards", "Track your order", "Customer service"]
STORIES = ["The lighthouse keeper repaired the lens before the winter storms arrived on the coast.",
           "Volunteers planted four hundred oak saplings along the old canal towpath this spring.",
           "The village bakery switched to a wood-fired oven after the electric one finally broke.",
           "A rare comet will be visible to the naked eye from the northern hills next Tuesday.",
           "The museum reopened its map room with charts of the harbour drawn two centuries ago."]


def write_crawl(root: Path) -> None:
    """Two sites, one directory each: site-a has a menu on every page, site-b shares a story line."""
    for n, story in enumerate(STORIES):
        a = root / "site-a" / f"{n}.txt"
        a.parent.mkdir(parents=True, exist_ok=True)
        a.write_text("\n".join(MENU + [story]) + "\n")
    b = root / "site-b" / "0.txt"
    b.parent.mkdir(parents=True, exist_ok=True)
    b.write_text("Gift cards\n" + STORIES[0] + "\n")


def test_sites_condition_scopes_a_rule(tmp_path):
    path = tmp_path / "pack.yaml"
    path.write_text(SITE_PACK)
    (rule,) = load_pack(path)
    assert ("shop-a",) == rule.sites
    for site, expected in (("shop-a", ["TEST001"]), ("shop-b", []), (None, [])):
        doc = Document("Shop all departments\nReal text.\n", site=site)
        RuleSet([rule]).tag(doc)
        assert expected == [m.rule for m in doc.marks]


def test_cleaner_keys_documents_by_directory_or_url(tmp_path):
    path = tmp_path / "pack.yaml"
    path.write_text(SITE_PACK)
    cleaner = Cleaner(Config(rule_paths=(str(path),), heuristics=False))
    text = "Shop all departments\nA real sentence of the page stays here.\n"
    assert ["TEST001"] == [r.rule for r in cleaner.clean_text(text, relpath="shop-a/1.txt").removals]
    assert [] == cleaner.clean_text(text, relpath="shop-b/1.txt").removals
    by_url = Cleaner(Config(rule_paths=(str(path),), heuristics=False, site_key="domain"))
    assert [] == by_url.clean_text(text, url="https://shop-a.example/x", relpath="shop-a/1.txt").removals


def test_mine_writes_a_pack_that_passes_rules_test(tmp_path):
    write_crawl(tmp_path / "in")
    pack = tmp_path / "learned.yaml"
    proc = cli("mine", str(tmp_path / "in"), "-o", str(pack))
    assert 0 == proc.returncode, proc.stderr
    assert "mined 6 documents" in proc.stderr
    rules = load_pack(pack)
    assert 1 == len(rules)
    assert (("site-a",), 5, True) == (rules[0].sites, rules[0].seen_documents, rules[0].learned)
    assert set(MENU) == set(rules[0].examples_remove)
    test = cli("rules", "test", "--rules", str(pack))
    assert 0 == test.returncode, test.stdout


def test_run_learn_removes_site_chrome_with_learned_ids(tmp_path):
    write_crawl(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    proc = cli("run", str(tmp_path / "in"), "-o", str(out), "-q", "-j", "1", "--learn")
    assert 0 == proc.returncode, proc.stderr
    assert (tmp_path / "out.learned.yaml").exists()
    records = {r["metadata"]["path"]: r for r in read_jsonl(out)}
    page = records["site-a/2.txt"]
    assert STORIES[2] in page["text"]
    assert not any(m in page["text"] for m in MENU)
    learned = [r for r in page["metadata"]["removed"] if r["rule"].startswith("LEARN-")]
    assert learned and all(r["rule"].endswith("-0001") for r in learned)
    other = records["site-b/0.txt"]  # the same menu line on another site is not touched
    assert not [r for r in other["metadata"]["removed"] if r["rule"].startswith("LEARN-")]


def test_reviewed_pack_is_used_with_rules(tmp_path):
    write_crawl(tmp_path / "in")
    pack = tmp_path / "learned.yaml"
    assert 0 == cli("mine", str(tmp_path / "in"), "-o", str(pack)).returncode
    text = pack.read_text().replace("- Gift cards\n", "")  # the reviewer keeps "Gift cards"
    text = text.replace("Gift cards, ", "")
    pack.write_text(text)
    out = tmp_path / "out.jsonl"
    assert 0 == cli("run", str(tmp_path / "in"), "-o", str(out), "-q", "--rules", str(pack),
                    "--no-heuristics").returncode
    page = {r["metadata"]["path"]: r for r in read_jsonl(out)}["site-a/1.txt"]
    assert "Gift cards" in page["text"]
    assert "Track your order" not in page["text"]


def test_seeds_stay_perfect_with_learn(tmp_path):
    out = tmp_path / "seeds.jsonl"
    proc = cli("run", str(SEEDS), "-o", str(out), "-q", "--learn")
    assert 0 == proc.returncode, proc.stderr
    records = {Path(r["metadata"]["path"]).name: r for r in read_jsonl(out)}
    total = LineScore()
    for gold in LABELS:
        total += score_lines(gold["lines"], records[gold["file"]]["text"])
    assert ([], []) == (total.lost, total.leaked)


SPECS = ["Weight: one pound", "Capacity: twenty five liters", "Frame type: internal", "Material: ripstop nylon",
         "Hipbelt: removable", "Raincover included: yes", "Dimensions: eighteen by thirteen inches",
         "Gender: unisex", "Best use: hiking", "Pack access: top and panel"]


def test_site_body_climbs_the_ladder_until_enough_is_kept():
    from cleaner.lines.body import classify_lines
    from cleaner.heuristics.sitebody import choose_keep

    texts = [(t, 0) for t in SPECS]
    assert (classify_lines(texts), 0.0) == choose_keep(texts, "balanced", shifts=(0.0,))
    keep, shift = choose_keep(texts, "balanced", shifts=(0.0, 50.0), min_kept=1.0)
    assert ([True] * len(SPECS), 50.0) == (keep, shift)
    keep, shift = choose_keep(texts, "balanced")
    words = [len(t.split()) for t in SPECS]
    assert sum(w for w, k in zip(words, keep) if k) >= 0.5 * sum(words)


def test_run_learn_keeps_more_of_pages_whose_chrome_it_learned(tmp_path):
    nav = ["Home", "Shop all departments", "Gift cards", "Track your order", "Customer service", "Cart"]
    foot = ["About us", "Careers", "Store locator", "Help centre"]
    for n, model in enumerate(("Alder", "Birch", "Cedar", "Hazel", "Rowan")):
        specs = [f"{line} {model}" for line in SPECS]
        page = tmp_path / "in" / "shop" / f"{n}.txt"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("\n".join(nav + specs + foot) + "\n")
    outs = {}
    for flags in ((), ("--learn",)):
        out = tmp_path / f"out{len(flags)}.jsonl"
        proc = cli("run", str(tmp_path / "in"), "-o", str(out), "-q", "-j", "1", *flags)
        assert 0 == proc.returncode, proc.stderr
        outs[flags] = read_jsonl(out)
    for plain, learned in zip(outs[()], outs[("--learn",)]):
        kept = learned["text"].splitlines()
        assert not set(kept) & set(nav + foot)
        assert len(kept) > len(plain["text"].splitlines())
        rules = {r["rule"] for r in learned["metadata"]["removed"]}
        assert any(r.startswith("LEARN-") for r in rules)


def test_template_lines_are_those_set_among_shared_ones():
    from cleaner.heuristics.sitebody import in_template

    shared = [True, False, True, True, False, True, True, False, False, False, False, False, False]
    assert [False, True, False, False, True, False, False, False, False, False, False, False, False] == \
        in_template(shared, reach=1, share=0.7)
    assert [False] == in_template([False])


def test_site_body_ladder_counts_only_the_counted_lines():
    from cleaner.heuristics.sitebody import choose_keep

    texts = [(t, 0) for t in SPECS]
    keep, shift = choose_keep(texts, "balanced", shifts=(0.0, 50.0), min_kept=1.0,
                              counted=[False] * len(SPECS))
    assert 0.0 == shift  # nothing counted: the first shift keeps enough
    keep, shift = choose_keep(texts, "balanced", shifts=(0.0, 50.0), min_kept=1.0,
                              counted=[True] + [False] * (len(SPECS) - 1))
    assert keep[0]


def test_run_learn_on_jsonl_records_learns_per_url_site(tmp_path):
    """JSONL input: sites come from each record's URL, and --learn and mine both read it."""
    records = [{"id": f"a{n}", "url": f"https://www.shop-a.example/p/{n}", "text": "\n".join(MENU + [story])}
               for n, story in enumerate(STORIES)]
    records.append({"id": "b0", "url": "https://shop-b.example/x", "text": "Gift cards\n" + STORIES[0]})
    src = tmp_path / "in" / "crawl.jsonl"
    src.parent.mkdir()
    src.write_text("".join(json.dumps(r) + "\n" for r in records))
    out = tmp_path / "out.jsonl"
    proc = cli("run", str(src.parent), "-o", str(out), "-q", "-j", "1", "--learn")
    assert 0 == proc.returncode, proc.stderr
    pages = {r["id"]: r for r in read_jsonl(out)}
    assert STORIES[2] in pages["a2"]["text"]
    assert not any(m in pages["a2"]["text"] for m in MENU)
    assert any(r["rule"].startswith("LEARN-") for r in pages["a2"]["metadata"]["removed"])
    assert not [r for r in pages["b0"]["metadata"]["removed"] if r["rule"].startswith("LEARN-")]
    pack = tmp_path / "mined.yaml"
    assert 0 == cli("mine", str(src.parent), "-o", str(pack)).returncode
    (rule,) = load_pack(pack)
    assert ("shop-a.example",) == rule.sites


def test_a_line_on_few_of_the_sites_pages_stays_the_pages_own():
    from cleaner.rules.counts import SHARE_WEIGHT
    from cleaner.heuristics.sitebody import SHARED_SHARE, site_lines

    shares = {"menu": 0.9, "rating": SHARED_SHARE / 2, "sidebar": SHARED_SHARE, "own": 0.0}
    bias = lambda text: -SHARE_WEIGHT * shares[text]  # noqa: E731
    texts = list(shares)
    assert [True, False, True, False] == site_lines(texts, [False] * 4, bias)
    assert [False, True, False, True] == site_lines(texts, [False, True, False, True], None)


def test_mine_reads_a_warc_page_by_page_keyed_by_url(tmp_path):
    """A WARC is mined as its HTML pages (one document each, sited by their URLs), not as one text."""
    from warc_support import http, record, write_warc_gz

    def page(n: int, story: str) -> bytes:
        paras = "".join(f"<p>{line}</p>" for line in MENU + [story, story.replace("The ", "Then the ", 1)])
        body = f"<html><head><title>Story {n}</title></head><body><article>{paras}</article></body></html>"
        return record("response", f"00000000-0000-0000-0000-00000000000{n}", http(body.encode()),
                      uri=f"https://shop.example.com/story/{n}", ctype="application/http; msgtype=response")

    (tmp_path / "in").mkdir()
    write_warc_gz(tmp_path / "in" / "crawl.warc.gz", [page(n, s) for n, s in enumerate(STORIES)])
    pack = tmp_path / "learned.yaml"
    proc = cli("mine", str(tmp_path / "in"), "-o", str(pack))
    assert 0 == proc.returncode, proc.stderr
    assert "mined 5 documents" in proc.stderr, proc.stderr
    rules = load_pack(pack)
    assert {("example.com",)} == {r.sites for r in rules}, [r.sites for r in rules]
    assert set(MENU) <= {x for r in rules for x in r.examples_remove}
