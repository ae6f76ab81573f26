"""The seeds are the specification: every keep line stays, every drop line goes."""

import json
from pathlib import Path

import pytest

from cleaner.eval.scoring import LineScore, score_lines

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
LABELS = [json.loads(x) for x in (ROOT / "fixtures" / "seeds-gold" / "labels.jsonl").read_text().splitlines() if x]


@pytest.fixture(scope="module")
def seed_output(tmp_path_factory):
    from conftest_helpers import run_and_read

    return run_and_read(SEEDS, tmp_path_factory.mktemp("seeds"))


def test_seed_scores_are_perfect(seed_output):
    total = LineScore()
    for gold in LABELS:
        record = seed_output[gold["file"]]
        total += score_lines(gold["lines"], record["text"])
    assert [] == total.lost
    assert [] == total.leaked
    assert (1.0, 1.0) == (total.content_recall, total.junk_recall)


@pytest.mark.parametrize("gold", LABELS, ids=[g["file"][:3] for g in LABELS])
def test_each_seed_matches_its_labels(seed_output, gold):
    score = score_lines(gold["lines"], seed_output[gold["file"]]["text"])
    assert ([], []) == (score.lost, score.leaked)


def test_inline_junk_is_stripped_and_sentence_kept(seed_output):
    ft = seed_output["004_6ec77825de4ae35b.txt"]
    assert ft["text"].rstrip().endswith("rejected what it calls the politicisation of sport.")
    assert ["FOOT004"] == [r["rule"] for r in ft["metadata"]["removed"] if r["rule"] == "FOOT004"]
    reuters = seed_output["000_5cb4abaea4536665.txt"]
    assert "read more" not in reuters["text"]
    assert 2 == sum(1 for r in reuters["metadata"]["removed"] if r["rule"] == "WIDGET002")


def test_bare_byline_moves_to_author(seed_output):
    inkl = seed_output["001_2bbcad7a53690741.txt"]
    assert "Dmitry Antonov; Tom Balmforth; Simon Lewis" == inkl["metadata"]["author"]
    assert "Dmitry Antonov, Tom Balmforth" not in inkl["text"]


def test_headline_repeated_twice_is_kept_once(seed_output):
    ndtv = seed_output["002_45b39b5889d0e37c.txt"]
    assert 1 == ndtv["text"].count("Russia Says US Failing On Ukraine But More Talks Possible")
