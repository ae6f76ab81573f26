"""HEU010, the main-body classifier on plain text: what it keeps, what it drops, and why."""

import pytest

from cleaner import Cleaner
from cleaner.pipeline import text_document
from cleaner.lines.body import classify_lines, load_weights, smooth_decisions
from cleaner.lines.features import CONTEXT, FEATURES, context_features, line_features

NAV = ["Home", "News", "Sport", "Business", "Culture", "Travel", "Weather", "Sign in"]
PROSE_EN = [
    "The council approved the new budget on Tuesday after a debate that lasted more than four hours.",
    "Members of the opposition said the plan would not do enough for the families who need it most.",
    "The mayor, who has held the office since 2019, said the city could not afford to wait any longer.",
    "Under the plan, spending on schools and roads will rise by about a tenth over the next two years.",
]
PROSE_DE = [
    "Der Stadtrat hat am Dienstag nach einer langen Debatte den neuen Haushalt für das kommende Jahr beschlossen.",
    "Die Opposition kritisierte, dass die Pläne nicht genug für die Familien tun, die am meisten Hilfe brauchen.",
    "Der Bürgermeister sagte, die Stadt könne es sich nicht leisten, noch länger mit den Investitionen zu warten.",
    "Nach dem Plan sollen die Ausgaben für Schulen und Straßen in den nächsten zwei Jahren deutlich steigen.",
]
FOOTER = ["About us", "Contact", "Privacy Policy", "Terms of Use", "© 2024 Example Media. All rights reserved."]


def page(*parts):
    """A text dump: each part is one block (its lines without blank lines between them)."""
    return "\n\n".join("\n".join(p) for p in parts) + "\n"


def kept(text, favor="balanced"):
    return Cleaner(favor=favor).clean_text(text).text


def test_weights_file_names_every_feature():
    line, context = load_weights()
    assert (len(FEATURES), len(CONTEXT)) == (len(line), len(context))
    assert any(line) and any(context)


def test_nav_run_at_the_head_and_footer_go_prose_stays():
    out = kept(page(NAV, *[[p] for p in PROSE_EN], FOOTER))
    for p in PROSE_EN:
        assert p in out
    for label in ("Sport", "Business", "Weather", "Privacy Policy", "All rights reserved"):
        assert label not in out


def test_short_subheading_between_prose_stays():
    out = kept(page(NAV, [PROSE_EN[0]], [PROSE_EN[1]], ["Weak diplomacy"], [PROSE_EN[2]], [PROSE_EN[3]], FOOTER))
    assert "Weak diplomacy" in out
    assert "Weather" not in out


def test_german_prose_is_kept_and_german_chrome_dropped():
    nav = ["Startseite", "Politik", "Wirtschaft", "Kultur", "Sport", "Anmelden"]
    footer = ["Impressum", "Datenschutz", "Kontakt", "© 2024 Beispiel Verlag. Alle Rechte vorbehalten."]
    out = kept(page(nav, *[[p] for p in PROSE_DE], footer))
    for p in PROSE_DE:
        assert p in out
    for label in ("Wirtschaft", "Impressum", "Datenschutz", "Alle Rechte vorbehalten"):
        assert label not in out


def test_bullets_between_headline_and_prose_stay():
    bullets = ["• The budget rises by a tenth", "• Schools and roads get most of it", "• The vote was 31 to 18"]
    out = kept(page(NAV, ["City council passes a budget that raises spending on schools"],
                    bullets, *[[p] for p in PROSE_EN], FOOTER))
    for b in bullets:
        assert b in out
    assert "City council passes a budget that raises spending on schools" in out


def test_a_page_with_one_short_paragraph_keeps_it():
    body = "The museum will reopen on Monday after the repairs to its roof were finished."
    out = kept(page(NAV, [body], FOOTER))
    assert body in out
    assert "Weather" not in out


def test_favor_precision_removes_at_least_what_balanced_removes():
    # the legal links stand in a row, the form FOOT006 removes (it keeps a lone "Privacy Policy"
    # line, which may be a title); the favors then differ on "About us" and "Contact"
    footer = ["About us", "Contact", "Privacy Policy | Terms of Use", FOOTER[-1]]
    text = page(NAV, ["Related stories", "Council to vote on budget", "Mayor names new deputy"],
                *[[p] for p in PROSE_EN], ["Weak diplomacy", "Strong words"], ["Photo: Jane Doe / Example Media"],
                footer)
    sizes = [len(kept(text, favor)) for favor in ("precision", "balanced", "recall")]
    assert sizes == sorted(sizes)
    assert sizes[0] < sizes[1]
    # recall keeps what balanced is unsure of: labels below the body (a FAQ heading, hours)
    text = page(NAV, *[[p] for p in PROSE_EN], ["Jane Doe", "Strong words", "FAQ", "Opening hours"], FOOTER)
    sizes = [len(kept(text, favor)) for favor in ("precision", "balanced", "recall")]
    assert sizes == sorted(sizes)
    assert sizes[1] < sizes[2]


def test_cleaning_the_output_again_changes_nothing():
    text = page(NAV, *[[p] for p in PROSE_EN], ["Read more", "Council to vote on budget"], FOOTER)
    once = kept(text)
    assert once == kept(once)


def test_smoothing_keeps_a_weak_line_between_strong_ones_and_drops_a_lone_one():
    assert [True, True, True] == smooth_decisions([3.0, -0.3, 3.0], 0.0, 0.5)
    assert [False, False, False] == smooth_decisions([-3.0, 0.3, -3.0], 0.0, 0.5)


def test_smoothing_bias_moves_the_decision():
    scores = [-0.4, -0.4, -0.4]
    assert [False] * 3 == smooth_decisions(scores, 0.0, 0.5)
    assert [True] * 3 == smooth_decisions(scores, 0.6, 0.5)


def test_classify_lines_keeps_prose_and_drops_menu_lines():
    lines = [(t, 0) for t in NAV] + [(p, i + 1) for i, p in enumerate(PROSE_EN)]
    assert [False] * len(NAV) + [True] * len(PROSE_EN) == classify_lines(lines, "precision")
    # the default (the junk model) keeps a line unless it is clearly junk: the prose stays, and
    # the head of the menu run goes; section names further down a menu may stay
    keep = classify_lines(lines)
    assert [True] * len(PROSE_EN) == keep[len(NAV):]
    assert [False] * 4 == keep[:4]


@pytest.mark.parametrize("name", ["sentence_end", "stop_density", "block_lines", "repeated"])
def test_line_features_see_the_cue(name):
    lines = [("Home", 0), ("Home", 0), ("News", 0), (PROSE_EN[0], 1)]
    rows = line_features(lines)
    col = FEATURES.index(name)
    menu, prose = rows[0][col], rows[3][col]
    expected_menu_higher = name in ("block_lines", "repeated")
    assert expected_menu_higher == (menu > prose)


def test_context_features_find_the_best_run():
    rows = context_features([-2.0, -1.0, 2.0, 1.5, -0.5, 2.0, -3.0])
    col = CONTEXT.index("in_best_run")
    assert [0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0] == [r[col] for r in rows]


def test_fast_scores_equal_the_dot_products_of_the_feature_rows():
    """line_scores / context_scores skip building the rows; the sums must stay bit for bit."""
    from operator import mul

    from cleaner.lines.features import context_scores, line_scores

    line_w, context_w = load_weights()
    lines = [(t, 0) for t in NAV] + [(t, 1) for t in PROSE_EN] + [(t, 2) for t in PROSE_DE] \
        + [(t, 3) for t in FOOTER] + [("Sign in", 4), ("€ 12,50 – Straße 7 • Menü", 4)]
    for sub in (lines, lines[:1], lines[::3], lines[5:9]):
        expected = [sum(map(mul, line_w, row)) for row in line_features(sub)]
        assert expected == line_scores(sub, line_w)
        rows = context_features(expected)
        assert [sum(map(mul, context_w, row)) for row in rows] == context_scores(expected, context_w)


def test_the_decisions_memo_answers_only_the_same_input():
    lines = [(t, 0) for t in NAV] + [(t, 1) for t in PROSE_EN]
    memo: dict = {}
    first = classify_lines(lines, memo=memo)
    assert first == classify_lines(lines)
    assert first == classify_lines([(t, b + 7) for t, b in lines], memo=memo)  # block ids by pattern
    assert classify_lines(lines[::-1]) == classify_lines(lines[::-1], memo=memo)


# Written for this test: a Japanese and a Chinese article under a menu of short labels.
NAV_JA = ["ホーム", "ニュース", "スポーツ", "経済", "天気", "ログイン", "お問い合わせ", "サイトマップ"]
PROSE_JA = [
    "市議会は火曜日、四時間を超える議論の末に新しい予算案を承認しました。",
    "野党の議員たちは、この計画では最も支援を必要としている家庭に十分な手当てができないと述べました。",
    "二〇一九年から市長を務める彼は、市はこれ以上待つことはできないと話しています。",
    "計画によると、学校と道路への支出は今後二年間でおよそ一割増える見込みです。",
]
PROSE_ZH = [
    "市议会在周二经过四个多小时的辩论后批准了新的预算方案。",
    "反对派议员表示，这个计划对最需要帮助的家庭来说还远远不够。",
    "自二〇一九年起担任市长的他说，城市已经不能再等下去了。",
    "根据这个计划，学校和道路方面的支出在未来两年内将增加大约一成。",
]
NAV_ZH = ["首页", "新闻", "体育", "财经", "天气", "登录", "联系我们", "网站地图"]


@pytest.mark.parametrize("nav,prose", [(NAV_JA, PROSE_JA), (NAV_ZH, PROSE_ZH)])
def test_chinese_and_japanese_prose_stays_their_menus_go(nav, prose):
    for favor in ("precision", "balanced"):
        out = kept(page(nav, *[[p] for p in prose], FOOTER), favor)
        for p in prose:
            assert p in out
    # the article model drops the menu; the default (junk model) keeps a line unless it is
    # clearly junk: it drops the chrome labels (test below) and may keep the section names
    out = kept(page(nav, *[[p] for p in prose], FOOTER), "precision")
    for label in nav[1:5]:
        assert label not in out.splitlines()


def test_feature_text_cuts_chinese_and_japanese_into_words():
    from cleaner.lines.cjk import feature_text

    assert "市議 会 は 火曜 日," == feature_text("市議会は火曜日、")
    assert "我 们 的 国家." == feature_text("我们的国家。")
    assert "Plain text, as is." == feature_text("Plain text, as is.")


def test_feature_text_cuts_korean_particles_and_marks_lists_of_cjk_items():
    from cleaner.lines.cjk import feature_text
    from cleaner.lines.features import FEATURES, own_columns

    assert "대중들 의 반응 은 비난 으로 이어졌다." == feature_text("대중들의 반응은 비난으로 이어졌다.")
    assert "로그인" == feature_text("로그인")
    # three space-separated runs and no sentence punctuation: a list of items, read as a menu
    assert "时政 | 地方 | 法治" == feature_text("时政 地方 法治")
    assert "新华 网 正文" == feature_text("新华网 正文")  # two runs: a breadcrumb or a name, left alone
    assert "我 们 的 国家, 城市 和 人民." == feature_text("我们的国家， 城市 和人民。")
    menu = own_columns([feature_text("时政 地方 法治 高层")])[0][FEATURES.index("menu_sep") - 1]
    assert [1.0] == menu


# Written for this test: a Korean article under a menu of short labels.
NAV_KO = ["홈", "뉴스", "스포츠", "경제", "날씨", "로그인", "회원가입", "고객센터"]
PROSE_KO = [
    "시의회는 화요일 네 시간이 넘는 토론 끝에 새 예산안을 승인했다.",
    "야당 의원들은 이 계획이 도움이 가장 필요한 가정에 충분하지 않다고 말했다.",
    "2019년부터 시장을 맡고 있는 그는 시가 더 이상 기다릴 수 없다고 말했다.",
    "계획에 따르면 학교와 도로에 대한 지출은 앞으로 2년 동안 약 10% 늘어날 전망이다.",
]


def test_korean_prose_stays_its_menu_goes_by_default():
    # its particles cut off, Korean prose has stop words (prose shape); 로그인, 회원가입 are chrome
    out = kept(page(NAV_KO, *[[p] for p in PROSE_KO], FOOTER)).splitlines()
    assert all(p in out for p in PROSE_KO)
    assert not [label for label in NAV_KO if label in out]


@pytest.mark.parametrize("nav,prose", [(NAV_JA, PROSE_JA), (NAV_ZH, PROSE_ZH)])
def test_chinese_and_japanese_chrome_labels_go_by_default(nav, prose):
    out = kept(page(nav, *[[p] for p in prose], FOOTER)).splitlines()
    assert all(p in out for p in prose)
    assert nav[0] not in out and nav[5] not in out  # home, log in


def test_cues_place_lines_before_and_after_the_main_prose_run():
    from cleaner.lines.body import load_cue_weights
    from cleaner.lines.cues import CUES, cue_rows

    lines = [(t, 0) for t in NAV] + [(t, 1) for t in PROSE_EN] + [(t, 2) for t in FOOTER]
    rows = cue_rows(lines)
    before, after = CUES.index("before_body"), CUES.index("after_body")
    n_nav, n_prose = len(NAV), len(PROSE_EN)
    assert all(r[before] > 0 and r[after] == 0 for r in rows[:n_nav])
    assert all(r == (0.0, 0.0) for r in rows[n_nav:n_nav + n_prose])
    assert all(r[after] > 0 and r[before] == 0 for r in rows[n_nav + n_prose:])
    assert rows[0][before] > rows[n_nav - 1][before]  # further from the body, larger
    assert len(CUES) == len(load_cue_weights())
    assert [(0.0, 0.0)] * len(NAV) == cue_rows([(t, 0) for t in NAV])  # no prose: no place


def test_skipped_position_cues_leave_the_other_scores_alone():
    from cleaner.lines.body import score_lines

    prose = "The committee met on Tuesday and agreed that the new bridge would open in the spring."
    texts = [("Home", 0)] + [(prose, 1)] * 4 + [("Related", 2), ("More stories", 3)]
    for model in ("junk", "article"):
        plain = score_lines(texts, model=model)
        assert plain == score_lines(texts, skip_cues=(), model=model)
        skipped = score_lines(texts, skip_cues=("after_body",), model=model)
        assert skipped[-1] != plain[-1]  # the after_body cue is on for the lines below the prose
        head_only = texts[:5]  # nothing below the prose: the after_body cue is zero on every line
        assert score_lines(head_only, model=model) == score_lines(head_only, skip_cues=("after_body",), model=model)
    # the article model leans against lines below the article body
    article = score_lines(texts, model="article"), score_lines(texts, skip_cues=("after_body",), model="article")
    assert article[1][-1] > article[0][-1]


def test_line_bias_is_asked_about_the_real_text_not_the_feature_text():
    """The site's line counts hash the text as written: Chinese lines are not looked up cut into words."""
    lines = [("网站首页", 0), ("今天上午，市政府在新闻发布会上宣布了新的公共交通计划。", 1)]
    asked = []
    classify_lines(lines, line_bias=lambda text: asked.append(text) or 0.0)
    assert [t for t, _ in lines] == asked



DOCS_PAGE = ["Getting started", "Install the package with pip and import it in your script.", "Options",
             "--verbose", "--output FILE", "--jobs N", "Each option can also be set in the configuration file.",
             "Examples", "cleaner run input/ -o out.jsonl", "cleaner explain page.txt", "Exit codes",
             "0 all fine", "1 some documents failed", "2 usage error"]


def test_the_default_uses_the_junk_model_and_keeps_a_clean_documentation_page_whole():
    lines = [(t, 0) for t in DOCS_PAGE]
    assert [True] * len(DOCS_PAGE) == classify_lines(lines)
    assert [True] * len(DOCS_PAGE) == classify_lines(lines, "recall")
    # the article-body model (precision, and the default before the junk model) drops the
    # headings above the first sentence
    assert not all(classify_lines(lines, "precision"))
    assert not all(classify_lines(lines, "recall", model="article"))


def test_text_presets_name_the_junk_model_for_the_default_and_the_article_model_for_precision():
    from cleaner.lines.body import MODEL_OF_FAVOR, TEXT_PRESETS

    assert {"precision": "article", "balanced": "junk", "recall": "junk"} == MODEL_OF_FAVOR
    assert TEXT_PRESETS["balanced"][1] < TEXT_PRESETS["recall"][1]  # recall keeps more
    assert 0.0 == TEXT_PRESETS["precision"][1]  # the article model at the old default's bias


# a service page as a scraper that trimmed it leaves it: two lists of short items, no chrome
REPAIR_PAGE = page(
    ["Bicycle Repair at Your Door"],
    ["Our mechanics come to your home or office with a fully equipped van and fix most faults on the spot, "
     "from a slipping chain to a bent wheel. Every repair comes with a three month guarantee on parts and labour."],
    ["Road Bikes", *"Carbon Frames,Aluminium Frames,Disc Brakes,Rim Brakes,Shifting,Tyres,Wheels,Chains,Cassettes,"
     "Cranks,Pedals,Saddles,Forks,Headsets,Bearings".split(",")],
    ["City Bikes", *"Hub Gears,Dynamos,Lights,Child Seats,Racks,Mudguards,Stands,Baskets,Locks,Bells,Grips,Mirrors,"
     "Trailers,Bags,Pumps".split(",")],
    ["Book a visit"],
    ["Tell us what is wrong with the bike and when you are free, and we will confirm a time within one working day. "
     "Most repairs take less than an hour."],
)


def test_a_document_no_rule_found_chrome_in_is_read_with_recalls_bias():
    # nothing on the page is what a scraper adds: the default keeps the unsure lists, as recall does
    out = Cleaner().clean_text(REPAIR_PAGE)
    assert out.removals == [] and out.text == Cleaner(favor="recall").clean_text(REPAIR_PAGE).text
    # one share button (WIDGET003) says the page came with its chrome: balanced's own bias again,
    # under which these lists read as menus
    shared = Cleaner().clean_text("Share this article\n\n" + REPAIR_PAGE)
    rules = {r.rule for r in shared.removals}
    assert "WIDGET003" in rules and "HEU010" in rules
    assert shared.text != Cleaner(favor="recall").clean_text("Share this article\n\n" + REPAIR_PAGE).text


def test_the_bias_is_chosen_once_per_document_in_its_first_pass():
    # the share line is gone after the first pass, yet the later passes keep balanced's bias:
    # the core and the Python reference decide alike, and the output is a fixed point
    text = "Share this article\n\n" + REPAIR_PAGE
    cleaner = Cleaner()
    core = cleaner.clean_text(text)
    reference = cleaner._clean_passes(text_document(text, cleaner.config))
    assert core.text == reference.text
    assert [(r.rule, r.start, r.end) for r in core.removals] == [(r.rule, r.start, r.end) for r in reference.removals]
    assert cleaner.clean_text(core.text).removals == []
