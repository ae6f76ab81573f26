"""The HTML breakdown: token F1 per set, page type and split, beside the HTML anchors."""

import gzip
import json

from cleaner.eval.htmlbreakdown import format_html_breakdown, html_breakdown, load_html_pages

BODY = ("The volunteers met on Saturday to plant two hundred trees along the river bank. "
        "They will come back in spring to water the young trees and count how many took root.")
MORE = ("The council paid for the saplings and the local school lent its tools for the day. "
        "Children from the school labelled each tree with the name of the class that planted it.")
PAGE = f"""<html><head><title>Trees</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Trees</h1><p>{BODY}</p><p>{MORE}</p></article>
<footer>Copyright 2024 Example</footer></body></html>"""


def _bench(tmp_path, page_type):
    root = tmp_path / "mini"
    (root / "html").mkdir(parents=True)
    with gzip.open(root / "html" / "p1.html.gz", "wt", encoding="utf-8") as fh:
        fh.write(PAGE)
    (root / "ground-truth.jsonl").write_text(json.dumps(
        {"id": "p1", "html_file": "html/p1.html.gz", "url": "https://www.example.com/trees",
         "page_type": page_type, "text": f"{BODY}\n{MORE}"}) + "\n", encoding="utf-8")
    return root


def test_html_breakdown_groups_pages_by_type_and_split(tmp_path):
    root = _bench(tmp_path, "forum")
    pages = load_html_pages(str(root))
    assert [("mini", "p1", "forum")] == [(p.set, p.id, p.page_type) for p in pages]
    result = html_breakdown([str(root)], systems=["cleaner", "trafilatura"])
    split = pages[0].split
    forum = result.scores[split]["page_type"]["forum"]
    assert ["cleaner", "trafilatura"] == result.systems
    assert 1 == forum["cleaner"].pages
    assert forum["cleaner"].f1 > 0.9  # both paragraphs, no menu, no footer
    assert result.scores["all"]["set"]["mini"]["trafilatura"].pages == 1
    printed = "\n".join(format_html_breakdown(result, (split,)))
    assert "by page type" in printed and "forum" in printed and "trafilatura" in printed


def test_html_breakdown_skips_pages_without_gold_text(tmp_path):
    root = _bench(tmp_path, "listing")
    rec = json.loads((root / "ground-truth.jsonl").read_text())
    rec["text"] = None
    (root / "ground-truth.jsonl").write_text(json.dumps(rec) + "\n", encoding="utf-8")
    assert [] == load_html_pages(str(root))


def test_eval_breakdown_prints_the_html_table_for_html_inputs(tmp_path, capsys):
    from cleaner.cli.main import main

    root = _bench(tmp_path, "product")
    out = tmp_path / "figures.json"
    assert 0 == main(["eval", str(root), "--breakdown", "--inputs", "html", "--systems", "cleaner",
                      "--split", "all", "--json", str(out)])
    printed = capsys.readouterr().out
    assert "HTML token F1, all split, by page type" in printed and "product" in printed
    figures = json.loads(out.read_text())
    assert 1 == figures["html"]["all"]["page_type"]["product"]["cleaner"]["pages"]
