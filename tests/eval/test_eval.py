"""``cleaner eval``: its metric against an independent reimplementation, its line rules, its layouts."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from cleaner.eval import anchors
from cleaner.eval.anchors import c4_lines, missing_anchor, refinedweb_lines
from cleaner.eval.figures import count_snippets, page_prf, score_outputs
from cleaner.eval.run import evaluate
from cleaner.eval.goldsets import GoldPage, load_gold_set

ROOT = Path(__file__).resolve().parents[2]


# -- an independent reimplementation of the token metric ---------------------------------

def words_by_hand(text: str) -> list[str]:
    """Runs of characters that are alphanumeric or '_' (what a word character is), lower-cased."""
    out, run = [], []
    for ch in text.lower():
        if ch.isalnum() or ch == "_":
            run.append(ch)
        elif run:
            out.append("".join(run))
            run = []
    if run:
        out.append("".join(run))
    return out


def prf_by_hand(pred: str, gold: str) -> tuple[float, float, float]:
    p, g = words_by_hand(pred), words_by_hand(gold)
    if not p and not g:
        return 1.0, 1.0, 1.0
    left = list(g)
    common = 0
    for w in p:
        if w in left:
            left.remove(w)
            common += 1
    precision = common / len(p) if p else 0.0
    recall = common / len(g) if g else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if common else 0.0)


CASES = [
    ("the cat sat", "The cat sat down"),
    ("", ""),
    ("", "gold words only"),
    ("predicted words only", ""),
    ("a a a b", "a b b"),
    ("Hello, WORLD! hello_world 42", "hello world hello_world 4 2"),
    ("naïve café — déjà vu", "Naïve Café déjà-vu"),
    ("हिन्दी समाचार आज", "हिन्दी समाचार"),  # combining marks split words, as re's \w does
    ("  \n\t ", "..."),
    ("Menu Home About\nThe real sentence is here.", "The real sentence is here."),
]


@pytest.mark.parametrize("pred,gold", CASES)
def test_token_metric_agrees_with_reimplementation(pred, gold):
    assert prf_by_hand(pred, gold) == pytest.approx(page_prf(pred, gold))


def test_token_metric_on_hand_counted_cases():
    assert (1.0, 0.75, pytest.approx(6 / 7)) == page_prf("the cat sat", "The cat sat down")
    assert (0.5, pytest.approx(2 / 3), pytest.approx(4 / 7)) == page_prf("a a a b", "a b b")
    assert (0.0, 0.0, 0.0) == page_prf("", "gold")
    assert (1.0, 1.0, 1.0) == page_prf("", "")


def test_snippets_fold_case_and_whitespace():
    out = "The  Minister\nresigned on Tuesday. Impressum"
    assert (2, 1, 1, 1) == count_snippets(out, ["the minister resigned", "TUESDAY", "absent"],
                                          ["impressum", "cookie"])


def test_scores_average_pages_and_pool_snippets():
    pages = [GoldPage("a", text="one two"), GoldPage("b", text="three four")]
    score = score_outputs(pages, {"a": "one two"}, "tokens")  # page b missing: empty output
    assert (0.5, 0.5, 0.5, 1) == (score.precision, score.recall, score.f1, score.empty)
    snips = [GoldPage("a", with_snippets=["x y"], without_snippets=["menu"]),
             GoldPage("b", with_snippets=["z", "w"], without_snippets=[])]
    score = score_outputs(snips, {"a": "x  y menu", "b": "z"}, "snippets")
    assert {"tp": 2, "fn": 1, "fp": 1, "tn": 0} == score.counts
    assert (2 / 3, 2 / 3, 0.5) == (score.precision, score.recall, score.accuracy)


# -- line rules -------------------------------------------------------------------------

def test_c4_keeps_long_punctuated_lines_only():
    text = "\n".join([
        "Home",                                          # fewer than three words
        "Two words.",                                    # fewer than three words
        "The council met on Monday to vote.",            # kept
        "  Did the mayor say yes  ",                     # no terminal punctuation
        "She said it was \u201cfine.\u201d",             # closing curly quote: kept
        "And then it went on and on...",                 # ellipsis
        "Please enable JavaScript to view this.",        # javascript
        "Read our Privacy Policy for details.",          # policy
        "This site uses cookies to work!",               # policy
    ])
    assert "The council met on Monday to vote.\nShe said it was \u201cfine.\u201d" == c4_lines(text)


def test_refinedweb_drops_caps_digits_counters_and_short_chrome():
    text = "\n".join([
        "BREAKING NEWS TODAY",             # upper case
        "12 345",                          # digits only
        "1.2K likes",                      # counter
        "Share",                           # one word
        "Read more...",                    # nothing left but boilerplate
        "Sign-in items in cart",           # nothing left but boilerplate
        "NASA said on Monday it would launch",  # kept
        "Short line, kept.",               # kept
    ])
    assert "NASA said on Monday it would launch\nShort line, kept." == refinedweb_lines(text)


def test_missing_anchor_names_the_package(monkeypatch):
    monkeypatch.setattr(anchors.importlib.util, "find_spec", lambda name: None)
    assert "resiliparse not installed (pip install 'cleaner[eval]')" == missing_anchor("resiliparse")
    assert None is missing_anchor("c4")


# -- gold set layouts and the command ----------------------------------------------------

PAGE = b"<html><head><title>T</title></head><body><nav>Home | About | Contact</nav><article>%s</article></body></html>"
BODY = ("<p>The council voted on Monday to build a new library in the centre of the town, "
        "after a long debate about its cost and its place.</p>"
        "<p>Work on the building should start next spring and take about two years.</p>")
GOLD = ("The council voted on Monday to build a new library in the centre of the town, after a long debate "
        "about its cost and its place.\nWork on the building should start next spring and take about two years.")
DUMP = "Home\nAbout\nContact\n" + GOLD + "\nShare this article\n"


@pytest.fixture
def page_set(tmp_path):
    root = tmp_path / "tiny"
    (root / "html").mkdir(parents=True)
    (root / "text").mkdir()
    records = []
    for pid in ("p2", "p1"):
        (root / "html" / f"{pid}.html.gz").write_bytes(gzip.compress(PAGE % BODY.encode()))
        (root / "text" / f"{pid}.txt").write_text(DUMP, encoding="utf-8")
        records.append({"id": pid, "html_file": f"html/{pid}.html.gz", "url": f"https://example.org/{pid}",
                        "text": GOLD})
    (root / "ground-truth.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    return root


def test_page_set_limit_follows_file_order_or_id(page_set):
    assert ["p2"] == [p.id for p in load_gold_set(str(page_set), limit=1).pages]
    assert ["p1"] == [p.id for p in load_gold_set(str(page_set), limit=1, sort_by_id=True).pages]


def test_eval_command_scores_each_system(cli, page_set, tmp_path):
    out = tmp_path / "scores.json"
    proc = cli("eval", str(page_set), "--systems", "cleaner,identity,c4", "--json", str(out))
    assert 0 == proc.returncode, proc.stderr
    assert "== tiny  raw HTML, 2 pages" in proc.stdout
    figures = json.loads(out.read_text())["sets"]["tiny"]
    assert ["cleaner"] == list(figures["html"])
    assert ["cleaner", "identity", "c4"] == list(figures["text"])
    assert pytest.approx(prf_by_hand(DUMP, GOLD)) == tuple(figures["text"]["identity"][k] for k in "P R F1".split())
    assert pytest.approx(prf_by_hand(c4_lines(DUMP), GOLD)) == tuple(figures["text"]["c4"][k] for k in "P R F1".split())
    assert 1.0 == figures["html"]["cleaner"]["R"]


def test_eval_over_a_glob_skips_plain_files(cli, page_set):
    """``cleaner eval bench/*`` also names the folder's README: it is skipped, the sets are scored."""
    readme = page_set.parent / "README.md"
    readme.write_text("sets\n")
    proc = cli("eval", str(page_set), str(readme), "--systems", "identity", "--inputs", "text")
    assert 0 == proc.returncode, proc.stderr
    assert "== tiny  plain-text dumps, 2 pages" in proc.stdout
    assert f"skipped {readme}: not a set directory" in proc.stderr
    alone = cli("eval", str(readme), "--systems", "identity")
    assert 2 == alone.returncode
    assert "not a directory" in alone.stderr


def test_workers_give_the_same_figures(page_set):
    gold = [load_gold_set(str(page_set))]
    one = evaluate(gold, systems=["cleaner", "refinedweb"]).as_dict()["sets"]
    two = evaluate(gold, systems=["cleaner", "refinedweb"], jobs=2).as_dict()["sets"]
    for by_input in (one, two):
        for by_system in by_input["tiny"].values():
            for score in by_system.values():
                score.pop("seconds")
    assert one == two


def test_unknown_system_is_a_usage_error(cli, page_set):
    proc = cli("eval", str(page_set), "--systems", "cleaner,nonesuch")
    assert 2 == proc.returncode
    assert "unknown system nonesuch" in proc.stderr


def test_line_labelled_set_scores_content_and_junk_recall(cli, tmp_path):
    out = tmp_path / "seeds.json"
    proc = cli("eval", str(ROOT / "fixtures" / "seeds"), "--systems", "cleaner,identity", "--json", str(out))
    assert 0 == proc.returncode, proc.stderr
    figures = json.loads(out.read_text())["sets"]["seeds"]["text"]
    assert (1.0, 1.0) == (figures["cleaner"]["content_recall"], figures["cleaner"]["junk_recall"])
    assert 0.0 == figures["identity"]["junk_recall"]
    same = load_gold_set(str(ROOT / "fixtures" / "seeds-gold"))
    assert ("seeds", "lines", 5) == (same.name, same.kind, len(same.pages_for("text")))
