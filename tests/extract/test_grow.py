"""Putting back the content blocks trafilatura skipped (cleaner.extract.grow)."""

import lxml.html

from cleaner.extract.blocks import Block, page_blocks
from cleaner.extract.grow import grow_text

_FIRST = ("Our team repairs harbour piers and mooring posts along the whole coast, and we have "
          "done this work for the port authorities of the region for more than thirty years.")
_LAST = ("Every repair starts with a survey of the structure, after which we send a written "
         "offer with the cost and the time the works will take, so that nothing is a surprise.")
_SERVICES = [
    "We replace rotten timber decks with hardwood or recycled composite boards.",
    "We rebuild mooring posts and fenders that storms or ships have damaged.",
    "We inspect the piles below the waterline with our own diving team.",
    "We repaint steel structures with coatings made for salt water.",
]


def _blocks(*middle: Block) -> list[Block]:
    return [Block("Home"), Block("About us"), Block(_FIRST), *middle, Block(_LAST),
            Block("Copyright 2025 Pier Works")]


def test_skipped_content_between_the_paragraphs_is_put_back_in_place():
    text = f"{_FIRST}\n{_LAST}"
    grown = grow_text(text, _blocks(*(Block(s) for s in _SERVICES)))
    assert [_FIRST, *_SERVICES, _LAST] == grown.split("\n")


def test_captions_links_and_chrome_outside_the_region_stay_out():
    caption = Block("The northern pier after the works, seen from the harbour office window.", figure=True)
    related = Block("Read our story about the new ferry terminal in the south basin", link_share=1.0)
    text = f"{_FIRST}\n{_LAST}"
    grown = grow_text(text, _blocks(caption, *(Block(s) for s in _SERVICES), related))
    assert caption.text not in grown
    assert related.text not in grown
    assert "Home" not in grown
    assert "Copyright" not in grown
    assert _SERVICES[0] in grown


def test_a_text_that_holds_nearly_all_of_its_region_is_left_alone():
    text = "\n".join([_FIRST, *_SERVICES, _LAST])
    left_out = Block("Call us today and ask us for an offer.")  # kept, were the text sparser
    assert text == grow_text(text, _blocks(*(Block(s) for s in _SERVICES), left_out))
    sparse = f"{_FIRST}\n{_LAST}"
    assert left_out.text in grow_text(sparse, _blocks(*(Block(s) for s in _SERVICES), left_out))


def test_a_short_run_beyond_the_text_stays_out():
    byline = Block("Written by the Pier Works team, with photographs by our divers.")
    assert _FIRST == grow_text(_FIRST, [Block("Home"), Block(_FIRST), byline, Block("Copyright 2025")])
    assert "" == grow_text("", _blocks())


def test_the_content_trafilatura_stopped_short_of_is_added_after_it():
    more = [Block(f"{s} Ask for the {n}th offer of the year.") for n, s in enumerate(_SERVICES * 2)]
    page = [Block("Home"), Block(_FIRST), *more, Block(_LAST), Block("Copyright 2025", aside=1)]
    assert [_FIRST, *(b.text for b in more), _LAST] == grow_text(_FIRST, page).split("\n")


def test_the_added_run_never_reaches_into_a_footer_or_a_form():
    more = [Block(f"{s} Ask for the {n}th offer of the year.") for n, s in enumerate(_SERVICES * 2)]
    footer = [Block(b.text, aside=1) for b in more]
    assert _FIRST == grow_text(_FIRST, [Block(_FIRST), *footer])
    html = "".join(f"<p>{b.text}</p>" for b in more)
    tree = lxml.html.document_fromstring(
        f"<html><body><article><p>{_FIRST}</p></article><footer>{html}</footer></body></html>")
    assert [0] + [1] * len(more) == [b.aside for b in page_blocks(tree)]
    assert _FIRST == grow_text(_FIRST, page_blocks(tree))


def test_page_blocks_flag_link_text_and_figure_captions():
    tree = lxml.html.document_fromstring(
        "<html><body><p>Plain words here and <a href='/x'>a link</a>.</p>"
        "<ul><li><a href='/a'>Only a link</a></li></ul>"
        "<figure><img src='a.jpg'><figcaption>A caption</figcaption></figure>"
        "<div class='wp-caption-text'>Another caption</div>"
        "<script>var x = 1;</script><p>After</p></body></html>")
    blocks = page_blocks(tree)
    assert ["Plain words here and a link.", "Only a link", "A caption", "Another caption", "After"] == \
        [b.text for b in blocks]
    assert 1.0 == blocks[1].link_share
    assert 0.0 < blocks[0].link_share < 0.5
    assert [False, False, True, True, False] == [b.figure for b in blocks]


def test_a_long_stretch_trafilatura_kept_nothing_of_stays_out():
    opinions = [Block(f"Customer {n} wrote that the new deck boards were sturdy and easy to clean.")
                for n in range(40)]
    grown = grow_text(f"{_FIRST}\n{_LAST}", _blocks(*opinions))
    assert "Customer 1 wrote" not in grown
    assert "Customer 1 wrote" in grow_text(f"{_FIRST}\n{_LAST}", _blocks(*opinions[:10]))


_LEAD = ("The harbour board chose our company for the repair of the old northern pier this spring, "
         "after a tender that ran for most of the winter and drew offers from four firms.")


def test_the_lead_paragraph_above_the_text_is_added_but_not_a_deck_or_a_teaser_card():
    deck = Block("Pier Works wins the tender for the northern pier.")
    body = [_FIRST, *(_SERVICES * 4), _LAST]  # long next to what lies above it: no run is added
    page = [Block("Home", link_share=1.0), deck, Block(_LEAD), Block("12 March 2025"),
            *(Block(line) for line in body)]
    text = "\n".join(body)
    assert [_LEAD, *body] == grow_text(text, page).split("\n")
    assert text == grow_text(text, [*page, Block(_LEAD, aside=1)])  # twice on the page: a teaser card
    linked = Block(_LEAD, link_share=1.0)
    assert text == grow_text(text, [Block("Home"), linked, *(Block(line) for line in body)])


def test_blocks_are_located_by_their_words_in_a_row_across_line_ends():
    from cleaner.extract.grow import locate_blocks

    lines = ["Intro words here.", "", "The harbour pier", "was rebuilt in May.", "Pier rebuilt again"]
    blocks = [Block("pier was rebuilt"), Block("The harbour"), Block("rebuilt"), Block("--"),
              Block("pier rebuilt in"), Block("The harbour"), Block("Pier: rebuilt again!")]
    assert [2, 2, 3, -1, None, 2, 4] == locate_blocks(lines, blocks)


def test_a_located_text_is_given_again_only_for_the_same_lines_and_blocks():
    # the last answer is kept (a page's text is often located twice): other lines, other blocks
    # or blocks added to the same list are located afresh, and the answer is the caller's to keep
    from cleaner.extract.grow import locate_blocks

    blocks = [Block("The harbour"), Block("pier was rebuilt")]
    lines = ["The harbour pier", "was rebuilt in May."]
    where = locate_blocks(lines, blocks)
    assert [0, 0] == where
    where.append(7)
    assert [0, 0] == locate_blocks(list(lines), blocks)
    assert [None, 1] == locate_blocks(["Intro.", "The pier was rebuilt."], blocks)
    assert [None, 1] == locate_blocks(["Intro.", "The pier was rebuilt."], list(blocks))
    blocks.append(Block("Intro"))
    assert [None, 1, 0] == locate_blocks(["Intro.", "The pier was rebuilt."], blocks)


def test_the_tail_of_a_comment_in_a_link_is_link_text():
    # (a comment is walked past, its tail kept, when the parser keeps comments)
    tree = lxml.html.document_fromstring(
        "<html><body><p><a href='/x'>Read<!-- c --> the whole story</a></p><p>Plain<!-- c --> words</p>"
        "<p><a href='/y'>Linked <script>x</script>tail</a></p></body></html>")
    blocks = page_blocks(tree)
    assert ["Read the whole story", "Plain words", "Linked tail"] == [b.text for b in blocks]
    # (the linked characters, each piece stripped, over those of the block)
    assert [19 / 20, 0.0, 10 / 11] == [b.link_share for b in blocks]


def _locate_in_subprocess(lines: str, blocks: str, timeout: float) -> str:
    """What ``locate_blocks`` finds for the ``lines`` and ``blocks`` expressions (``n`` and ``i``
    free), run in a fresh interpreter that is stopped after ``timeout`` seconds: the count of
    blocks not found and where the last two stand."""
    import subprocess
    import sys

    script = (
        "from cleaner.extract.blocks import Block\n"
        "from cleaner.extract.grow import locate_blocks\n"
        f"lines = {lines}\n"
        f"blocks = {blocks}\n"
        "where = locate_blocks(lines, blocks)\n"
        "print(where.count(None), where[-2:])\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=timeout)
    assert not done.returncode, done.stderr
    return done.stdout.strip()


def test_a_page_of_many_blocks_the_text_lacks_is_located_in_linear_time():
    # a search of the whole text for each block took minutes here (424 CPU s on a page of
    # 60,000 blocks through extract_html); the bound is generous: it takes about a second
    lines = "[f'Paragraph {i} says something about topic {i % 97} in a few words.' for i in range(100_000)]"
    blocks = "[Block(f'read more about topic {i % 97} number {i}') for i in range(100_000)]"
    assert "100000 [None, None]" == _locate_in_subprocess(lines, blocks, timeout=90)


def test_blocks_of_only_common_words_cost_no_more_than_a_search_of_the_text():
    # checking each place of the rarest word costs places x block length: quadratic on a page
    # whose blocks use only words that stand everywhere (12 CPU s for 200 blocks of a 40,000-word
    # page, where one search of the text per block takes 0.07 s); here it took minutes
    lines = "['alpha beta'] * 50_000 + ['beta beta alpha']"
    blocks = ("[Block(' '.join(['alpha beta'] * (20 + i)) + ' alpha alpha') for i in range(1000)]"
              " + [Block(' '.join(['alpha beta'] * 6) + ' beta beta alpha'), Block('beta alpha beta')]")
    assert "1000 [49994, 0]" == _locate_in_subprocess(lines, blocks, timeout=60)


def test_blocks_are_located_alike_by_their_places_and_by_a_search_of_the_text():
    import random

    from cleaner.extract.grow import locate_blocks

    def by_search(lines, blocks):  # the plain search of the whole text, block by block
        keys = [" ".join(line.lower().split()) for line in lines]
        owner = [n for n, key in enumerate(keys) if key for _ in key.split(" ")]
        words = " ".join(key for key in keys if key).split(" ")
        haystack = " " + " ".join(words) + " "
        found = []
        for block in blocks:
            pos = haystack.find(" " + block.text + " ")
            found.append(None if pos < 0 else owner[haystack.count(" ", 0, pos)])
        return found

    rng = random.Random(7)
    for _ in range(300):
        vocab = ["a", "b", "cc", "d"][:rng.randint(1, 4)]
        lines = [" ".join(rng.choices(vocab, k=rng.randint(0, 4))) for _ in range(rng.randint(1, 30))]
        blocks = [Block(" ".join(rng.choices(vocab, k=rng.randint(1, 12)))) for _ in range(20)]
        assert by_search(lines, blocks) == locate_blocks(lines, blocks)


def test_a_line_that_swallowed_several_blocks_is_split_where_they_start():
    from cleaner.extract.grow import split_swallowed_lines

    paragraphs = [_FIRST, *_SERVICES, _LAST] * 3  # over 150 words, flattened as a table row
    line = "| " + " ".join(paragraphs) + " |"
    split = split_swallowed_lines(f"Pier Works\n{line}", [Block(p) for p in paragraphs])
    assert ["Pier Works", "| " + _FIRST, *_SERVICES, _LAST] == split.split("\n")[:7]
    assert split.split("\n")[-1] == _LAST + " |"
    assert " ".join(split.split()) == " ".join(f"Pier Works {line}".split())  # no word lost or moved


def test_short_lines_and_lines_of_one_or_two_blocks_stay_whole():
    from cleaner.extract.grow import split_swallowed_lines

    short = f"{_FIRST} {_SERVICES[0]} {_SERVICES[1]}"  # three blocks, under 150 words
    assert short == split_swallowed_lines(short, [Block(_FIRST), Block(_SERVICES[0]), Block(_SERVICES[1])])
    long = " ".join([_FIRST, _LAST] * 6)  # long, but only two distinct blocks found in it
    assert long == split_swallowed_lines(long, [Block(_FIRST), Block(_LAST)])


def test_an_article_laid_out_in_a_table_cell_keeps_its_paragraphs():
    from cleaner import Cleaner

    paragraphs = [_FIRST, *_SERVICES, _LAST] * 3
    page = ("<html><body><table><tr><td>" + "".join(f"<p>{p}</p>" for p in paragraphs)
            + "</td></tr></table></body></html>")
    lines = Cleaner().clean_html(page).text.split("\n")
    assert len(lines) >= len(_SERVICES) + 2 and max(len(x.split()) for x in lines) < 60


def test_the_items_of_a_list_the_text_holds_an_item_of_are_put_back_off_articles():
    # a list (block element 5) of which trafilatura kept the long item only: its short
    # feature lines and its linked item go back; a like list it kept nothing of stays out
    long_item = Block("Hardwood decks that last forty years in salt water, fitted by our own crew.", path=(5, 6))
    short = [Block(line, path=(5, 7 + n)) for n, line in enumerate(
        ["Free survey", "Own diving team", "Salt-water coatings", "Fixed prices", "Work all winter"])]
    short.append(Block("Storm repairs", link_share=1.0, path=(5, 12)))
    other = [Block("Careers", link_share=1.0, path=(13, 14)), Block("Press", link_share=1.0, path=(13, 15))]
    page = [Block("Home"), Block(_FIRST, path=(1,)), long_item, *short, *other, Block(_LAST, path=(16,))]
    text = f"{_FIRST}\n{long_item.text}\n{_LAST}"
    assert [_FIRST, long_item.text, *(b.text for b in short), _LAST] == grow_text(text, page, lists=True).split("\n")
    # on a page that declares itself an article a list is more often related headlines: not put back
    assert "Storm repairs" not in grow_text(text, page)
