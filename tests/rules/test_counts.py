"""Line counts beside a learned pack: what is kept, how it is read back, and how HEU010 uses it."""

from __future__ import annotations

import gzip
import json

import pytest

from cleaner import Cleaner, Config
from cleaner.lines.body import classify_lines
from cleaner.errors import ConfigError
from cleaner.learn.corpus import mine_corpus, write_pack
from cleaner.rules.counts import SHARE_WEIGHT, counts_path, load_counts, render_counts, share_bias
from cleaner.learn.mine import MineConfig, Miner
from cleaner.lines.normalize import line_hash

PROSE = ["The ferry timetable changes in October, when the winter crossings start again each day.",
         "Fishermen on the north quay said the catch this season was the best in ten years.",
         "The harbour master asked visitors to keep the slipway clear during the regatta.",
         "A new footbridge will link the old market square with the station by next spring.",
         "Local schools will share the cost of the repairs to the sports hall roof."]
LEGAL = ("By using this site you agree to our terms of service and our privacy policy, which explain "
         "how we collect, use and share what we learn about you while you browse our pages.")


def site_pages(n: int) -> list[str]:
    """n pages of one site: a long legal line on all, a 'Deals' line on some, one story each."""
    return ["\n".join((["Deals of the week"] if i % 2 == 0 else []) + [PROSE[i % len(PROSE)] + f" Page {'x' * i}.",
                                                                      LEGAL]) + "\n" for i in range(n)]


def test_pages_sharing_their_longest_lines_are_not_copies():
    cookie = "We and our partners use cookies to measure the audience of this site and to show you offers."
    footer = "Copyright of the North Harbour Gazette, all rights reserved, reproduced with permission."
    miner = Miner()
    for i in range(4):
        miner.add("a", "\n".join([LEGAL, cookie, footer, f"Short story number {'x' * i}"]) + "\n")
    miner.add("a", "\n".join([LEGAL, cookie, footer, "Short story number "]) + "\n")  # a copy of the first
    assert (4, 1) == (miner.sites["a"].documents, miner.sites["a"].copies)


def test_counts_keep_lines_of_two_or_more_pages_and_read_back(tmp_path):
    miner = Miner()
    for text in site_pages(5):
        miner.add("a", text)
    miner.add("b", "Only page of site b\n")
    data = render_counts(miner)
    assert data == render_counts(miner)  # deterministic bytes
    path = tmp_path / "learned.counts.gz"
    path.write_bytes(data)
    sites, digest = load_counts([str(path), str(tmp_path / "absent.counts.gz")])
    assert ["a"] == sorted(sites)  # site b has one document: nothing is shared
    documents, lines = sites["a"]
    assert 5 == documents
    assert {line_hash("Deals of the week"): 3, line_hash(LEGAL): 5} == lines
    assert 16 == len(digest)


def test_share_bias_grows_with_the_share_of_other_pages():
    sites = {"a": (5, {line_hash("Deals of the week"): 3, line_hash(LEGAL): 5})}
    bias = share_bias(sites, "a")
    assert 0.0 == bias(PROSE[0])
    assert -SHARE_WEIGHT * 2 / 4 == bias("  deals of THE week ")
    assert -SHARE_WEIGHT == bias(LEGAL)
    assert None is share_bias(sites, "b")
    assert None is share_bias(sites, None)


def test_allowlisted_lines_get_no_counts():
    miner = Miner(MineConfig(keep=("terms of service",)))
    for text in site_pages(5):
        miner.add("a", text)
    assert line_hash(LEGAL) not in miner.shared_lines()["a"][1]


def test_bad_counts_file_is_a_config_error(tmp_path):
    path = tmp_path / "x.counts.gz"
    path.write_bytes(gzip.compress(b'{"format": "something else"}\n'))
    with pytest.raises(ConfigError, match="x.counts.gz"):
        load_counts([str(path)])


def test_line_bias_moves_the_body_classifier():
    texts = [(t, 0) for t in PROSE]
    assert all(classify_lines(texts))
    keep = classify_lines(texts, line_bias=lambda t: -50.0 if t == PROSE[-1] else 0.0)
    assert [True] * 4 + [False] == keep


def mine_shop(root):
    """Six pages of one site ("shop") under ``root``, mined: the pack's YAML and its counts file."""
    for i, text in enumerate(site_pages(6)):
        page = root / "shop" / f"{i}.txt"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(text)
    pack, _, counts = mine_corpus(str(root), Config())
    return pack, counts


def test_cleaner_reads_the_counts_beside_a_learned_pack(tmp_path):
    pack, counts = mine_shop(tmp_path / "in")
    path = tmp_path / "learned.yaml"
    write_pack(pack, str(path), counts)
    assert tmp_path / "learned.counts.gz" == tmp_path / counts_path("learned.yaml")
    assert counts == (tmp_path / "learned.counts.gz").read_bytes()
    with_counts = Cleaner(Config(rule_paths=(str(path),)))
    assert "shop" in with_counts._line_counts
    (tmp_path / "learned.counts.gz").unlink()
    alone = Cleaner(Config(rule_paths=(str(path),)))
    assert {} == alone._line_counts
    assert with_counts.fingerprint != alone.fingerprint
    header = json.loads(gzip.decompress(counts).decode().splitlines()[0])
    assert "cleaner-line-counts" == header["format"]


def test_prose_on_most_pages_is_left_to_the_graded_signal():
    notice = "Our shop will be closed over the holidays, and orders placed now ship in the new year."
    miner = Miner()
    for i, text in enumerate(site_pages(5)):
        miner.add("a", text + (notice + "\n" if i < 3 else ""))  # on 3 of 5 pages: 60%
    learned = {info.examples[0] for _, _, info in miner.findings().get("a", [])}
    assert notice not in learned
    assert 3 == miner.shared_lines()["a"][1][line_hash(notice)]


def test_a_two_page_site_gets_counts_but_no_rules():
    miner = Miner()
    for text in site_pages(2):
        miner.add("a", text)
    assert {} == miner.findings()
    assert (2, {line_hash(LEGAL): 2}) == miner.shared_lines()["a"]


def test_shared_lines_alone_put_a_page_in_site_body_mode(tmp_path):
    from cleaner.document import Document
    from cleaner.lines.views import line_views

    pack, counts = mine_shop(tmp_path / "in")
    write_pack(pack, str(tmp_path / "learned.yaml"), counts)
    cleaner = Cleaner(Config(rule_paths=(str(tmp_path / "learned.yaml"),)))
    doc = Document("\n".join(PROSE) + "\n", site="elsewhere")
    views = line_views(doc)
    assert not cleaner._learned_cleaned(doc, views)  # no learned rule fired
    assert cleaner._learned_cleaned(doc, views, lambda t: -1.0 if t == PROSE[0] else 0.0)  # 1 of 5 >= 10%
    assert not cleaner._learned_cleaned(doc, views, lambda t: 0.0)
