"""Put back the posts of a thread (or the cards of a listing) when trafilatura kept only one.

A forum thread, a Q&A page or a listing is a run of like siblings: elements of one parent
with the same tag and the same first class name (``div.post``, ``li.result``), each holding
a post or a card of prose. trafilatura often keeps the first of them (the question, the
opening post) and drops the rest as comments or as a list. :func:`find_posts` finds such
runs in the parsed page before extraction (at least ``_MIN_MEMBERS`` siblings with
``_MIN_WORDS`` words each); :func:`page_blocks` tags every block with the sibling it lies
in; :func:`add_posts` then looks where trafilatura's text lies. When most of it lies in
one run and holds less than half of the run's words, the eligible blocks of the run that the
text misses (not captions, not mostly link text unless a card's linked headline, no deeper in
footers, asides, forms or navigation) that the body classifier keeps (``HEU010``'s article model, as
:mod:`cleaner.extract.grow` uses it: it drops the bylines, dates and vote counts of
each post) are put back where they stand: after the text line of the block before them.

An article with a comment section is left alone: its body is not one of the comments'
siblings. A page that declares itself a discussion (:func:`cleaner.extract.meta.declares_thread`)
gets the posts of its runs back wherever the text lies; so does one that declares nothing
(neither a thread nor an article) when :func:`opens_thread` reads its text as the opening
post of a thread: short, outside the runs, with a run after it holding many times its words
(Slashdot, old reddit). Nothing is added under ``--favor precision``.
"""

from __future__ import annotations

from lxml import etree

from ..lines.body import classify_lines
from ..settings import Favor
from .blocks import Block
from .grow import eligible_block, locate_blocks

_TAGS = frozenset({"div", "article", "section", "li"})
_MIN_MEMBERS = 4  # like siblings that make a run (three are often tabs or columns)
_MIN_WORDS = 15  # words a sibling holds to count as a post or card
_ANCHOR_WORDS = 5  # blocks of the text this long tell where it lies (shorter ones match by chance)
_TEXT_IN_RUN = 0.6  # share of the text's located words that must lie in the run's siblings
_HELD_SHARE = 0.5  # the text must hold less than this share of the words of the run's posts
_MIN_ADDED = 0.25  # the posts added hold at least this share of the text's words
_OPENING_WORDS = 300  # a text outside the runs this short may be the opening post of a thread
_REPLY_RATIO = 3  # ... when a run after it holds this many times the text's words (its replies)
_HEADLINE_WORDS = 3  # a link this long in a card is its headline (shorter ones are buttons and tags)


# The elements that could hold a run, in document order: those with _MIN_MEMBERS children or
# more (chosen in libxml2: the others, most of a page, are never handed to Python)
_PARENTS = etree.XPath(f"descendant-or-self::*[*[{_MIN_MEMBERS}]]")


def _signature(el) -> tuple[str, str] | None:
    tag = el.tag
    if not isinstance(tag, str) or tag not in _TAGS:
        return None
    names = (el.get("class") or "").split()
    return (tag, names[0]) if names else None


def find_posts(tree) -> tuple[dict, list[int]]:
    """The runs of like siblings holding prose: (element -> member number, member -> run number)."""
    body = tree.find(".//body")
    root = body if body is not None else tree
    members: dict = {}
    runs: list[int] = []
    run = 0
    for parent in _PARENTS(root):
        by_sig: dict[tuple[str, str], list] = {}
        for child in parent:
            sig = _signature(child)
            if sig is not None:
                by_sig.setdefault(sig, []).append(child)
        for siblings in by_sig.values():
            if len(siblings) < _MIN_MEMBERS:
                continue
            posts = [el for el in siblings if el not in members
                     and len(el.text_content().split()) >= _MIN_WORDS]
            if len(posts) < _MIN_MEMBERS:
                continue
            for el in posts:
                members[el] = len(runs)
                runs.append(run)
            run += 1
    return members, runs


def add_posts(text: str, blocks: list[Block], runs: list[int], favor: Favor = Favor.BALANCED,
              thread: bool = False) -> str:
    """``text`` with the rest of the posts of the run it lies in, when it holds only a few of them.

    ``thread``: the page says it is a discussion (:func:`cleaner.extract.meta.declares_thread`),
    so the posts of every run are its replies, wherever the text lies.
    """
    if not runs or favor == Favor.PRECISION or not text.strip():
        return text
    lines = text.split("\n")
    where = locate_blocks(lines, blocks)
    located = 0
    anchors: list[int] = []
    held: dict[int, int] = {}  # run -> words of the text in its posts (blocks of _ANCHOR_WORDS or more)
    for i, (block, w) in enumerate(zip(blocks, where)):
        if w is not None and w >= 0 and block.words >= _ANCHOR_WORDS:
            located += block.words
            anchors.append(i)
            if block.member >= 0:
                held[runs[block.member]] = held.get(runs[block.member], 0) + block.words
    if thread and anchors:
        in_run = [i for i, b in enumerate(blocks) if b.member >= 0]
        aside = min(blocks[i].aside for i in anchors)
    elif not held:
        return text
    else:
        run, words = max(held.items(), key=lambda kv: kv[1])
        in_run = [i for i, b in enumerate(blocks) if b.member >= 0 and runs[b.member] == run]
        if words < _TEXT_IN_RUN * located or words >= _HELD_SHARE * sum(blocks[i].words for i in in_run):
            return text
        aside = min(blocks[i].aside for i in in_run if where[i] is not None and where[i] >= 0)
    # (the cards of a listing carry their headlines as links: those go back with the cards)
    eligible = eligible_block if thread else eligible_card_block
    missing = [i for i in in_run if where[i] is None and blocks[i].aside <= aside and eligible(blocks[i])]
    keep = dict(zip(missing, classify_lines([(blocks[i].text, 0) for i in missing], favor, model="article")))
    inserts: dict[int, list[str]] = {}  # text line -> the blocks that follow it (-1: ahead of the text)
    last, added = -1, 0
    # (in a thread the replies follow the text line of whatever block stands before them)
    for i in range(len(blocks)) if thread else in_run:
        block, w = blocks[i], where[i]
        if w is not None:
            last = max(last, w)
        elif keep.get(i):
            inserts.setdefault(last, []).append(block.text)
            added += block.words
    if not added or (not thread and added < _MIN_ADDED * len(text.split())):
        return text
    out = list(inserts.get(-1, ()))
    for j, line in enumerate(lines):
        out.append(line)
        out.extend(inserts.get(j, ()))
    return "\n".join(out)


def eligible_card_block(block: Block) -> bool:
    """Whether ``block`` of a card may be put back: what :func:`eligible_block` allows, and a
    headline that is a link (``_HEADLINE_WORDS`` words or more, not a caption).

    A listing's cards (search results, a section front, a product grid) link their
    headlines to the pages they announce; with the card, the headline is content. A short
    link (``Read more``, a tag, a price button) is not.

    >>> eligible_card_block(Block("Rams top Bears as offenses struggle", link_share=1.0))
    True
    >>> eligible_card_block(Block("Read more", link_share=1.0))
    False
    """
    return eligible_block(block) or (not block.figure and block.words >= _HEADLINE_WORDS)


def opens_thread(text: str, blocks: list[Block], runs: list[int]) -> bool:
    """Whether ``text`` reads as the opening post of a thread whose replies it left out.

    Most of its words lie outside the runs of posts and those are few (``_OPENING_WORDS``),
    and the blocks it misses of one run after it (no deeper in footers, asides, forms or
    navigation than the text, not captions or link lists) hold ``_REPLY_RATIO`` times its words.
    The caller asks only of a page that does not declare itself an article.
    """
    if not runs or not text.strip():
        return False
    where = locate_blocks(text.split("\n"), blocks)
    anchors = [i for i, (b, w) in enumerate(zip(blocks, where))
               if w is not None and w >= 0 and b.words >= _ANCHOR_WORDS]
    located = sum(blocks[i].words for i in anchors)
    opening = sum(blocks[i].words for i in anchors if blocks[i].member < 0)
    if not opening or opening > _OPENING_WORDS or opening < located - opening:
        return False
    aside = min(blocks[i].aside for i in anchors)
    words: dict[int, int] = {}
    for i in range(anchors[0] + 1, len(blocks)):
        block = blocks[i]
        if block.member >= 0 and where[i] is None and block.aside <= aside and eligible_block(block):
            words[runs[block.member]] = words.get(runs[block.member], 0) + block.words
    return bool(words) and max(words.values()) >= _REPLY_RATIO * located
