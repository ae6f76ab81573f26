"""Line labels derived from gold text, the split by site, and the breakdown's figures."""

from __future__ import annotations

import json

from cleaner.eval.breakdown import GroupScore, breakdown
from cleaner.eval.linelabels import (
    LabelledPage, detect_language, label_lines, label_snippet_lines, load_labelled_set,
    registered_domain, split_of,
)

GOLD = """Tips for better sleep

Keep a schedule. Go to bed at the same time every night, even on weekends.

- Dim the lights. Bright screens delay the release of melatonin in the evening.
- Participate! Regular exercise helps you fall asleep faster.

Caffeine late in the day keeps many people awake long after they go to bed."""

DUMP = """Home
Tips for better sleep
Sleep
Tips for better sleep
Keep a schedule.
Go to bed at the same time every night, even on weekends.
Dim the lights.
Bright screens delay the release of melatonin in the evening.
Participate!
Regular exercise helps you fall asleep faster.
Caffeine late in the day keeps many people awake long after they go to bed. Read more
Related: caffeine and the brain, what science says today
»
Share on Facebook"""


def labels_of(dump: str, gold: str, title: str | None = None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in label_lines(dump, gold, title):
        out.setdefault(item["label"], []).append(item["text"])
    return out


def test_body_lines_are_content_and_menu_lines_junk():
    got = labels_of(DUMP, GOLD)
    assert ["Tips for better sleep", "Keep a schedule.",
            "Go to bed at the same time every night, even on weekends.", "Dim the lights.",
            "Bright screens delay the release of melatonin in the evening.", "Participate!",
            "Regular exercise helps you fall asleep faster.",
            "Caffeine late in the day keeps many people awake long after they go to bed. Read more"] == got["keep"]
    # the first copy of the heading is a repeat beyond the gold's count; 'Sleep' is a gold word
    # but not a gold line; the related link and the share button are not in the gold
    assert ["Home", "Tips for better sleep", "Sleep",
            "Related: caffeine and the brain, what science says today", "Share on Facebook"] == got["drop"]
    assert ["»"] == got["either"]


def test_the_later_copy_of_a_heading_wins_a_tie():
    items = label_lines("Tips for better sleep\nmenu\nTips for better sleep\nKeep a schedule.", GOLD)
    assert ["drop", "drop", "keep", "keep"] == [x["label"] for x in items]


def test_a_short_line_inside_a_gold_sentence_is_junk():
    assert ["drop"] == [x["label"] for x in label_lines("the same time", GOLD)]


def test_partial_overlap_by_shared_four_grams():
    gold = "The committee approved the new budget for the coming year after a long debate."
    half = "The committee approved the new budget but the weather was cold and wet outside"
    assert ["keep", "either"] == [x["label"] for x in label_lines(
        "The committee approved the new budget for the coming year after a very long debate.\n" + half, gold)]


def test_the_page_title_is_not_junk():
    assert ["either"] == [x["label"] for x in label_lines("A Guide to Sleep", GOLD, title="A guide to sleep")]


def test_snippet_labels_decide_only_what_they_can():
    dump = "Impressum\nDie GEMA dreht völlig am Zeiger! Sagt man.\nEin anderer Satz ohne Urteil.\n31. Mai 2012"
    got = label_snippet_lines(dump, ["Die GEMA dreht völlig am Zeiger!"], ["31. Mai", "Impressum"])
    assert [(1, "drop"), (2, "keep"), (4, "drop")] == [(x["line"], x["label"]) for x in got]


def test_a_without_snippet_inside_a_long_line_does_not_decide_it():
    line = "Das Impressum steht unten, aber dieser Satz ist ein ganz normaler Satz im Text."
    assert [] == label_snippet_lines(line, [], ["Impressum"])


def test_languages_by_script_and_function_words():
    assert "de" == detect_language("Die Sitzung wird nicht vor dem Abend beendet, sagt der Sprecher.")
    assert "en" == detect_language("The council said that it would not vote on the plan before the summer.")
    assert "fr" == detect_language("Le conseil a dit que la séance est ouverte pour les habitants de la ville.")
    assert "sv" == detect_language("Det är inte så att vi har glömt bort det som hände för ett år sedan.")
    assert "fi" == detect_language("Se oli niin että hän ei ole vielä kotona, mutta tämä on myös hyvä.")
    assert "ja" == detect_language("これは日本語の文章です。")
    assert "cyrl" == detect_language("Это предложение написано по-русски.")
    assert "und" == detect_language("$19.99 $24.99 SKU 1234")
    # languages without a word list of their own were counted as the nearest one that had one
    assert "id" == detect_language("Dewan kota mengatakan bahwa mereka tidak akan memilih rencana itu dengan cepat, karena ada yang belum siap.")
    assert "tr" == detect_language("Belediye meclisi bu plan için yaz sonra olarak karar verecek, ama her şey daha belli değil.")
    assert "vi" == detect_language("Hội đồng thành phố cho biết họ sẽ không bỏ phiếu cho kế hoạch này trong mùa hè và những người dân đã chờ.")
    assert "es" == detect_language("El consejo dijo que la sesión está abierta para los vecinos de la ciudad y que también se votará.")


def test_the_split_is_by_registered_domain_and_fixed():
    assert "bbc.co.uk" == registered_domain("https://news.bbc.co.uk/a/b")
    assert "example.com" == registered_domain("http://www.shop.example.com/x?y=1")
    assert "unknown" == registered_domain(None)
    for url in ("https://a.example.com/1", "https://b.example.com/2", "https://example.com"):
        assert split_of("https://example.com/other") == split_of(url)
    splits = {split_of(f"https://site{k}.org/") for k in range(60)}
    assert {"dev", "heldout"} == splits


def test_junk_f1_counts_lost_content_against_removed_junk():
    page = LabelledPage("s", "1", "", [{"line": 1, "label": "keep", "text": "kept body line"},
                                       {"line": 2, "label": "keep", "text": "lost body line"},
                                       {"line": 3, "label": "drop", "text": "Home"},
                                       {"line": 4, "label": "drop", "text": "Share"}],
                        "article", "en", "s", "dev", gold_text="kept body line lost body line")
    score = GroupScore()
    score.add(page, "kept body line\nShare")
    assert (0.5, 0.5) == (score.kept, score.removed)
    assert 0.5 == score.junk_f1  # removed: Home (junk) and 'lost body line' (content)
    assert 0.6 == round(score.tf1, 4)  # P 3/4 (share is not gold), R 3/6


def test_breakdown_reads_a_bench_layout(tmp_path):
    root = tmp_path / "mini"
    (root / "text").mkdir(parents=True)
    (root / "text" / "p1.txt").write_text(DUMP, encoding="utf-8")
    (root / "ground-truth.jsonl").write_text(json.dumps(
        {"id": "p1", "url": "https://www.example.com/sleep", "page_type": "forum", "text": GOLD}) + "\n",
        encoding="utf-8")
    pages = load_labelled_set(str(root))
    assert [("p1", "forum", "en", "example.com")] == [(p.id, p.page_type, p.language, p.site) for p in pages]
    result = breakdown([str(root)], systems=["identity", "c4"])
    identity = result.scores["all"]["page_type"]["forum"]["identity"]
    c4 = result.scores["all"]["page_type"]["forum"]["c4"]
    assert (1.0, 0.0) == (identity.kept, identity.removed)
    assert c4.removed > 0.5 and c4.kept < 1.0  # C4 drops short lines: the menu and the list heads


def test_regimes_crop_the_dump_around_its_content_and_clean_the_gold_alone(tmp_path):
    from cleaner.eval.linelabels import CROP_MARGIN, regime_pages

    root = tmp_path / "mini"
    (root / "text").mkdir(parents=True)
    menu = [f"Menu item {i}" for i in range(6)]
    dump = "\n".join(menu + DUMP.split("\n") + ["Footer link"] * 6)
    (root / "text" / "p1.txt").write_text(dump, encoding="utf-8")
    (root / "ground-truth.jsonl").write_text(json.dumps(
        {"id": "p1", "url": "https://www.example.com/sleep", "page_type": "forum", "text": GOLD}) + "\n",
        encoding="utf-8")
    page = load_labelled_set(str(root))[0]
    [crop] = regime_pages([page], "crop")
    lines = crop.text.split("\n")
    first_keep = min(x["line"] for x in crop.lines if x["label"] == "keep")
    assert first_keep == CROP_MARGIN + 1  # three dump lines above the first content line, not all
    in_dump = min(x["line"] for x in page.lines if x["label"] == "keep")
    assert lines[:CROP_MARGIN] == dump.split("\n")[in_dump - 1 - CROP_MARGIN:in_dump - 1]
    assert "Menu item 0" not in lines and "Footer link" not in lines  # the far chrome is cut off
    assert all(lines[x["line"] - 1] == x["text"] for x in crop.lines)  # labels follow the cut
    [gold] = regime_pages([page], "gold")
    assert gold.text == GOLD and {x["label"] for x in gold.lines} == {"keep"}
    assert [page] == regime_pages([page], "dump")
    # the breakdown cleans the regime's text: identity keeps every gold line; C4 loses the heading
    result = breakdown([str(root)], systems=["identity", "c4"], regime="gold")
    by_sys = result.scores["all"]["set"]["mini"]
    assert 1.0 == by_sys["identity"].kept and by_sys["identity"].keep == len(gold.lines)
    assert by_sys["c4"].kept < 1.0
