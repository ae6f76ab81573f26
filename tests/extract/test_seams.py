"""Parting the words trafilatura glued where two blocks meet (cleaner.extract.seams)."""

from cleaner.extract.blocks import Block
from cleaner.extract.seams import part_glued_words

_SPECS = [("Drop", "7.2 mm"), ("Cushioning", "Maximum"), ("Support", "Neutral"), ("Width", "Regular")]
_SHOES = ["Trail runner for rocky paths", "Road trainer for long miles", "Racing flat for fast days",
          "Walking shoe for city streets"]


def _grid() -> str:
    """A product grid whose cards list their specifications in nested blocks."""
    specs = "".join(f'<div class="attr">{k}: <div class="val">{v}</div></div>' for k, v in _SPECS)
    items = "".join(f'<li class="tile"><p>{shoe}</p>{specs}</li>' for shoe in _SHOES)
    return ("<html><body><main><h1>Running shoes</h1><p>Our running shoes are picked and tested by runners "
            "in the shop, and every pair can be returned within a year if it does not suit you.</p>"
            f"<ul class='grid'>{items}</ul></main></body></html>")


def test_words_of_two_following_blocks_are_parted_where_they_meet():
    blocks = [Block("Drop: 7.2 mm"), Block("Cushioning: Maximum"), Block("Support: Neutral")]
    assert "Drop:7.2 mm Cushioning:Maximum Support:Neutral" == \
        part_glued_words("Drop:7.2 mmCushioning:MaximumSupport:Neutral", blocks)


def test_a_word_the_page_shows_is_left_as_it_is():
    blocks = [Block("Note"), Block("book"), Block("A Notebook for the road")]
    assert "Notebook" == part_glued_words("Notebook", blocks)
    # blocks that do not follow each other on the page leave no seam
    assert "mmSupport" == part_glued_words("mmSupport", [Block("7.2 mm"), Block("Maximum"), Block("Support")])


def test_extraction_parts_the_specifications_of_product_cards():
    import trafilatura

    from cleaner.extract.page import extract_html

    html = _grid()
    assert "Drop:7.2 mmCushioning:MaximumSupport" in trafilatura.extract(html)  # what trafilatura gives
    text = extract_html(html).text
    assert 4 == text.count("Drop:7.2 mm Cushioning:Maximum Support:Neutral Width:Regular")
    assert "mmCushioning" not in text
