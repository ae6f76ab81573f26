"""Part the words that trafilatura glued together where two of the page's blocks meet.

trafilatura renders the block elements nested in a list item or a cell one after another
with nothing between them, so a product card that shows

    Heel to Toe Drop: 7.2 mm
    Cushioning: Maximum

comes out as ``Heel to Toe Drop:7.2 mmCushioning:Maximum``: the last word of one block and
the first of the next make one word (``mmCushioning``) that the page never shows, which
neither a reader nor a token count recognises. The page's blocks
(:func:`cleaner.extract.blocks.page_blocks`) say where such seams lie: each pair of blocks
that follow each other, the first ending and the second starting with a letter or digit,
gives a glued form (the two words run together). A word of the text that is exactly one of
those forms gets a space at the seam, unless the page itself shows that word inside a block
(then it is the page's own word, as written).
"""

from __future__ import annotations

import re

from .blocks import Block

_WORD = re.compile(r"\w+")
_LAST_WORD = re.compile(r"\w+$")
_FIRST_WORD = re.compile(r"^\w+")


def _glued_forms(blocks: list[Block]) -> dict[str, int]:
    """Glued form -> where its seam lies (the length of the first word), for each pair of
    blocks that follow each other and would run a word together."""
    forms: dict[str, int] = {}
    for first, second in zip(blocks, blocks[1:]):
        tail = _LAST_WORD.search(first.text)
        if tail is None:
            continue
        head = _FIRST_WORD.match(second.text)
        if head is None:
            continue
        forms.setdefault(tail.group() + head.group(), len(tail.group()))
    return forms


def part_glued_words(text: str, blocks: list[Block]) -> str:
    """``text`` with a space at each seam where the words of two following blocks run together.

    >>> part_glued_words("Drop:7.2 mmCushioning:Maximum", [Block("Drop: 7.2 mm"), Block("Cushioning: Maximum")])
    'Drop:7.2 mm Cushioning:Maximum'
    >>> part_glued_words("Notebook", [Block("Note"), Block("book"), Block("A notebook")])
    'Notebook'
    """
    if len(blocks) < 2 or not text:
        return text
    forms = _glued_forms(blocks)
    found = {word for word in _WORD.findall(text) if word in forms}
    if not found:
        return text
    # a glued form the page shows inside a block (any case) is a word of the page
    shown = {word.lower() for block in blocks for word in _WORD.findall(block.text)}
    seams = {word: forms[word] for word in found if word.lower() not in shown}
    if not seams:
        return text
    return _WORD.sub(lambda m: _part(m.group(), seams), text)


def _part(word: str, seams: dict[str, int]) -> str:
    at = seams.get(word)
    return word if at is None else f"{word[:at]} {word[at:]}"
