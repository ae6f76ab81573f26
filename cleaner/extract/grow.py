"""Grow trafilatura's main text with the blocks it skipped inside the content.

trafilatura keeps the paragraphs it trusts and drops the rest, and on pages that are not
plain articles (service pages, product pages, listings, forum threads, documentation)
it drops much of the content between the paragraphs it keeps: list items, short
feature lines, cells, posts. The page's text blocks are listed in document order
(:func:`page_blocks`); trafilatura's paragraphs are found among them, and the blocks
lying between the first and the last of those (the content region) that the plain-text
body classifier (``HEU010``'s model, :mod:`cleaner.lines.body`) keeps are put back where they
stand. Only that region and a few blocks around it are scored, so the cost stays small
next to the extraction itself. Figure captions and link-only blocks are never put back,
nor a long stretch between two of trafilatura's paragraphs that it kept none of (a
section it rejected: reviews, comments), and nothing is when trafilatura's text already
holds nearly all of the region (on an article, what it left there is furniture: bylines,
share bars, advertisement labels).

Where trafilatura stopped short of the content (a section in its own container, a table
that swallowed the paragraphs after it, one paragraph of a listing), the classifier's run
of body blocks just before and after the text is added when it is large next to the text,
never reaching into footers, asides, forms or navigation the text itself is not in.
"""

from __future__ import annotations

import bisect
import re

from ..lines.body import classify_lines
from ..lines.normalize import title_key
from ..settings import Favor
from .blocks import Block

_ANCHOR_WORDS = 5  # a block of this many words or more found in the text anchors the region
_CONTEXT = 10  # blocks scored on each side of the region, so the classifier sees its edges
_MAX_LINK_SHARE = 0.5  # blocks whose text is mostly link text are not put back
# trafilatura kept this share of the region's words already: what it left there is furniture
_FULL_COVER = 0.9
_MAX_GAP = 30  # more blocks than this between two anchors: a section trafilatura rejected
_EXT_GAP = 12  # words rejected by the classifier that end a run of blocks beyond the text
_EXT_SHARE = 0.2  # a run beyond the text is added when it holds this share of its words
_EXT_MIN = 20  # ... and at least this many words
_LEAD_BACK = 8  # blocks above the text searched for its lead paragraph
_LEAD_WORDS = 25  # a lead paragraph has this many words at least (a deck has fewer)
_LEAD_LINK_SHARE = 0.2  # ... and less than this share of link text
# Not lines.normalize.SENTENCE_END: a block that ends in ";" is not a lead paragraph, and the
# block text keeps the guillemets and low quotes that line folding turns into ASCII.
_SENTENCE_END = re.compile(r"[.!?…:][\"'“”„«»’)]*$")


def locate_blocks(text_lines: list[str], blocks: list[Block]) -> list[int | None]:
    """For each block, the index of the text line holding its words, or None (-1: no words).

    A block is found where its words (:func:`title_key`) first stand in a row among the
    words of the text, across line ends. Each block is looked for only where the rarest of
    its words stands (and a block text met before is not looked for again), so a page of
    many blocks the text lacks costs time in proportion to its size, not to its size
    squared (a search of the whole text for each block took minutes on a page of 60,000).
    A block whose rarest word stands so often that checking each place would cost more
    than one search of the text is found by that search instead (same first place), so no
    block costs more than a search of the whole text.

    The text of a page is often located twice over the same blocks (by :func:`cleaner.extract.posts.opens_thread`,
    :func:`grow_text` and :func:`cleaner.extract.posts.add_posts`, when growing left it as it was):
    the last answer is kept and given again.
    """
    global _LAST_LOCATED
    last = _LAST_LOCATED
    if last is not None and last[0] is blocks and len(last[2]) == len(blocks) and last[1] == text_lines:
        return list(last[2])
    where = _locate_blocks(text_lines, blocks)
    _LAST_LOCATED = (blocks, list(text_lines), where)
    return list(where)


# (blocks, text lines, where) of the last call of locate_blocks
_LAST_LOCATED: tuple[list, list[str], list[int | None]] | None = None


def _locate_blocks(text_lines: list[str], blocks: list[Block]) -> list[int | None]:
    words: list[str] = []  # the words of the text, in order
    owners: list[int] = []  # the text line of each
    for n, line in enumerate(text_lines):
        key = title_key(line)
        if key:  # (a blank line inside a code block must not break the match)
            line_words = key.split(" ")
            words.extend(line_words)
            owners.extend([n] * len(line_words))
    at: dict[str, list[int]] = {}  # word -> where it stands in the text, in order
    for i, word in enumerate(words):
        places = at.get(word)
        if places is None:
            at[word] = [i]
        else:
            places.append(i)
    text = _WordText(words, owners)
    seen: dict[str, int | None] = {}
    where: list[int | None] = []
    for block in blocks:
        key = title_key(block.text)
        if not key:
            where.append(-1)
        elif key in seen:
            where.append(seen[key])
        else:
            seen[key] = found = _find_words(key, text, at)
            where.append(found)
    return where


class _WordText:
    """The words of the text with the line of each, and (built when first needed) the words
    joined by spaces with where each word starts, for a plain search of the whole text."""

    def __init__(self, words: list[str], owners: list[int]):
        self.words, self.owners = words, owners
        # the length of the joined text, in characters (what one plain search reads)
        self.length = sum(map(len, words)) + len(words) + 1
        self._joined: str | None = None
        self._starts: list[int] = []

    def search(self, key: str) -> int | None:
        """The text line where the words of ``key`` first stand in a row, by a plain search."""
        if self._joined is None:
            pos = 1
            for word in self.words:
                self._starts.append(pos)
                pos += len(word) + 1
            self._joined = " " + " ".join(self.words) + " "
        at = self._joined.find(" " + key + " ")
        if at < 0:
            return None
        return self.owners[bisect.bisect_left(self._starts, at + 1)]


def _find_words(key: str, text: _WordText, at: dict) -> int | None:
    """The text line where the words of ``key`` first stand in a row in ``text``, or None."""
    wanted = key.split(" ")
    rare, places = 0, None
    for j, word in enumerate(wanted):
        here = at.get(word)
        if here is None:
            return None  # a word the text lacks
        if places is None or len(here) < len(places):
            rare, places = j, here
    size = len(wanted)
    if len(places) * size > text.length:  # checking each place costs more than one search
        return text.search(key)
    words, owners = text.words, text.owners
    for p in places:
        start = p - rare
        if start >= 0 and words[start:start + size] == wanted:
            return owners[start]
    return None


def eligible_block(block: Block) -> bool:
    """Whether ``block`` may be put back at all (not a caption, not mostly link text)."""
    return not block.figure and block.link_share <= _MAX_LINK_SHARE


def _coverage(blocks: list[Block], where: list[int | None], lo: int, hi: int) -> float:
    """The share of the words of the eligible blocks from ``lo`` to ``hi`` that the text holds."""
    held = total = 0
    for i in range(lo, hi + 1):
        words = blocks[i].words
        if where[i] is not None:
            held += words
            total += words
        elif eligible_block(blocks[i]):
            total += words
    return held / max(1, total)


_SWALLOW_WORDS = 150  # a text line this long that holds several page blocks ...
_SWALLOW_BLOCKS = 3  # ... (this many of _ANCHOR_WORDS words or more) is split at their starts
_HEAD_WORDS = 4  # a block's start is found by its first words, whatever stands between them
_WORD = re.compile(r"\w+")


def split_swallowed_lines(text: str, blocks: list[Block]) -> str:
    """``text`` with each very long line that holds several of the page's blocks split where
    those blocks start.

    trafilatura renders a table as one line per row, so an article laid out in a table cell
    (or a page it flattens in its baseline pass) comes out as one line of thousands of
    words: the paragraphs are lost to the reader, and the line rules and the classifier see
    one line where the page had many. Each block the line holds is found by its first
    words in order after the previous one; the line is cut before it. Nothing else of the
    text changes (the words and what stands between them stay, apart from the spaces at a cut).
    """
    lines = text.split("\n")
    long = {i for i, line in enumerate(lines) if len(line.split()) > _SWALLOW_WORDS}
    if not long or not blocks:
        return text
    where = locate_blocks(lines, blocks)
    held: dict[int, list[Block]] = {}
    for block, at in zip(blocks, where):
        if at in long and block.words >= _ANCHOR_WORDS:
            held.setdefault(at, []).append(block)
    out = []
    for i, line in enumerate(lines):
        inside = held.get(i, [])
        if len(inside) < _SWALLOW_BLOCKS:
            out.append(line)
            continue
        cuts, at = [], 0
        for block in inside:
            head = _WORD.findall(block.text)[:_HEAD_WORDS]
            if not head:
                continue
            found = re.compile(r"\W+".join(map(re.escape, head))).search(line, at)
            if found is None:
                continue
            if _WORD.search(line, cuts[-1] if cuts else 0, found.start()):  # words before it: a cut
                cuts.append(found.start())
            at = found.end()
        pieces = [line[a:b] for a, b in zip([0, *cuts], [*cuts, len(line)])]
        out += [p.strip() for p in pieces if p.strip()] if cuts else [line]
    return "\n".join(out)


def grow_text(text: str, blocks: list[Block], favor: Favor = Favor.BALANCED, *, lists: bool = False) -> str:
    """``text`` with the content blocks it skipped between its first and last paragraph put back.

    ``lists``: also the items of a list (or row) that holds a paragraph of the text, whatever the
    classifier says of them (:func:`_sibling_held`); for pages that do not declare themselves
    articles, where a list trafilatura kept part of is a listing's cards or a page's features,
    not a sidebar of related headlines.
    """
    if not blocks or not text.strip():
        return text
    lines = text.split("\n")
    where = locate_blocks(lines, blocks)
    anchors = [i for i, w in enumerate(where)
               if w is not None and w >= 0 and blocks[i].words >= _ANCHOR_WORDS]
    if not anchors:
        return text
    return _extend(_fill(text, lines, blocks, where, anchors, favor, lists), blocks, where, anchors, favor)


def _fill(text: str, lines: list[str], blocks: list[Block], where: list[int | None],
          anchors: list[int], favor: Favor, lists: bool = False) -> str:
    """``text`` with the body blocks it skipped between its first and last anchor put back."""
    lo, hi = anchors[0], anchors[-1]
    if len(anchors) < 2 or _coverage(blocks, where, lo, hi) >= _FULL_COVER:
        return text
    start, stop = max(0, lo - _CONTEXT), min(len(blocks), hi + _CONTEXT + 1)
    window = [(blocks[i].text, 0) for i in range(start, stop)]
    keep = classify_lines(window, favor, model="article")  # the article body model, as fitted for it
    wide = set()  # blocks in a long stretch between two anchors: a section trafilatura rejected
    for a, b in zip(anchors, anchors[1:]):
        if b - a > _MAX_GAP:
            wide.update(range(a + 1, b))
    # the block elements (lists, rows) that hold a block of the text of _ANCHOR_WORDS or more
    held = {blocks[i].path[:-1] for i in anchors if len(blocks[i].path) > 1} if lists else set()
    inserts: dict[int, list[str]] = {}
    last = where[lo]
    for i in range(lo, hi + 1):
        w = where[i]
        if w is not None:
            if w >= 0:
                last = max(last, w)
            continue
        block = blocks[i]
        if block.figure or i in wide:
            continue
        if (keep[i - start] and eligible_block(block)) or _sibling_held(block, held):
            inserts.setdefault(last, []).append(block.text)
    if not inserts:
        return text
    out: list[str] = []
    for j, line in enumerate(lines):
        out.append(line)
        out.extend(inserts.get(j, ()))
    return "\n".join(out)


def _sibling_held(block: Block, held: set) -> bool:
    """Whether ``block`` stands in a list or row (the block element around it) that holds a
    block of the text: an item of a list trafilatura kept part of, put back whatever the
    classifier says of it (a short feature line, a headline that is a link).

    >>> _sibling_held(Block("Kettle", path=(3, 7, 9)), {(3, 7)})
    True
    >>> _sibling_held(Block("Kettle", path=(3, 8, 9)), {(3, 7)})
    False
    """
    return len(block.path) > 1 and block.path[:-1] in held


def _run(blocks: list[Block], where: list[int | None], keep: list[bool], order: range,
         aside: int) -> list[int]:
    """The blocks the classifier keeps along ``order``, until too many words it rejects.

    The run stops at a block of the text (``_ANCHOR_WORDS`` words or more), at a block
    deeper in footers, asides, forms or navigation than the text, and once the rejected
    blocks hold more than ``_EXT_GAP`` words with letters (number cells do not count).
    """
    taken: list[int] = []
    misses = 0
    for i in order:
        block = blocks[i]
        if block.aside > aside:
            break
        if where[i] is not None and where[i] >= 0:
            if block.words >= _ANCHOR_WORDS:
                break
            continue  # a short block the text holds already (a cell, a label)
        if keep[i] and eligible_block(block):
            taken.append(i)
            misses = 0
        elif where[i] != -1:
            misses += sum(1 for w in block.text.split() if any(c.isalpha() for c in w))
            if misses > _EXT_GAP:
                break
    return taken


def _most(blocks: list[Block], where: list[int | None], order: range, aside: int) -> int:
    """The words :func:`_run` could take along ``order`` at most: every eligible block it
    would pass if the classifier kept them all."""
    words = 0
    for i in order:
        block = blocks[i]
        if block.aside > aside:
            break
        if where[i] is not None:
            if where[i] >= 0 and block.words >= _ANCHOR_WORDS:
                break
            continue
        if eligible_block(block):
            words += block.words
    return words


def _extend(text: str, blocks: list[Block], where: list[int | None], anchors: list[int],
            favor: Favor) -> str:
    """``text`` with the body blocks just before its first and after its last anchor.

    trafilatura sometimes stops inside the content (a section in its own container, a
    table that swallowed the paragraphs after it) or keeps one paragraph of a listing.
    The classifier's run of body blocks on either side is added when it is large next to
    the text (``_EXT_SHARE`` of its words, ``_EXT_MIN`` at least): a short run there is a
    byline, a share bar or a caption, which the text is better without. Failing a run
    before the text, its lead paragraph is looked for (:func:`_lead`).
    """
    aside = min(blocks[i].aside for i in anchors)
    floor = max(_EXT_MIN, _EXT_SHARE * len(text.split()))
    before = range(anchors[0] - 1, -1, -1)
    after = range(anchors[-1] + 1, len(blocks))
    if _most(blocks, where, before, aside) < floor and _most(blocks, where, after, aside) < floor:
        head, tail = [], []  # no run could be large enough, whatever the classifier says
    else:
        keep = classify_lines([(b.text, 0) for b in blocks], favor, model="article")
        head = _run(blocks, where, keep, before, aside)[::-1]
        tail = _run(blocks, where, keep, after, aside)
    if sum(blocks[i].words for i in head) < floor:
        head = []
    if sum(blocks[i].words for i in tail) < floor:
        tail = []
    if not head:
        head = _lead(blocks, where, anchors[0], aside)
    if not head and not tail:
        return text
    return "\n".join([blocks[i].text for i in head] + [text] + [blocks[i].text for i in tail])



def _lead_counts(blocks: list[Block]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for block in blocks:
        counts[block.text] = counts.get(block.text, 0) + 1
    return counts


def _lead(blocks: list[Block], where: list[int | None], first: int, aside: int) -> list[int]:
    """The lead paragraph shortly above the text's first anchor, which trafilatura often misses.

    The nearest block among the ``_LEAD_BACK`` above the text that reads as a paragraph:
    ``_LEAD_WORDS`` words or more, ending a sentence, no link text, not a caption, and not
    repeated elsewhere on the page (a teaser card). Shorter blocks there are headlines,
    bylines, datelines and decks.
    """
    counts = None
    for i in range(first - 1, max(-1, first - 1 - _LEAD_BACK), -1):
        block = blocks[i]
        if block.aside > aside:
            break
        if where[i] is not None or block.words < _LEAD_WORDS:
            continue
        if block.figure or block.link_share >= _LEAD_LINK_SHARE or not _SENTENCE_END.search(block.text):
            continue
        counts = counts or _lead_counts(blocks)
        if counts[block.text] == 1:
            return [i]
    return []
