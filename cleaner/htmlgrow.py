"""Grow trafilatura's main text with the blocks it skipped inside the content.

trafilatura keeps the paragraphs it trusts and drops the rest, and on pages that are not
plain articles (service pages, product pages, listings, forum threads, documentation)
it drops much of the content between the paragraphs it keeps: list items, short
feature lines, cells, posts. The page's text blocks are listed in document order
(:func:`page_blocks`); trafilatura's paragraphs are found among them, and the blocks
lying between the first and the last of those (the content region) that the plain-text
body classifier (``HEU010``'s model, :mod:`cleaner.body`) keeps are put back where they
stand. Only that region and a few blocks around it are scored, so the cost stays small
next to the extraction itself. Figure captions and link-only blocks are never put back,
nor a long stretch between two of trafilatura's paragraphs that it kept none of (a
section it rejected: reviews, comments), and nothing is when trafilatura's text already
holds nearly all of the region (on an article, what it left there is furniture: bylines,
share bars, advertisement labels).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from .body import classify_lines
from .htmllines import title_key

_BLOCK_TAGS = frozenset({
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "pre", "blockquote",
    "section", "article", "dd", "dt", "tr", "br", "header", "footer", "main", "aside", "nav",
    "figcaption", "caption", "form", "table", "ul", "ol", "figure"})
_SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "iframe", "head", "button", "select",
    "option", "textarea", "input", "object", "embed", "canvas"})
_FIGURE_TAGS = frozenset({"figure", "figcaption", "picture"})
_CAPTION_WORDS = ("caption", "credit")
_ANCHOR_WORDS = 5  # a block of this many words or more found in the text anchors the region
_CONTEXT = 10  # blocks scored on each side of the region, so the classifier sees its edges
_MAX_LINK_SHARE = 0.5  # blocks whose text is mostly link text are not put back
# trafilatura kept this share of the region's words already: what it left there is furniture
_FULL_COVER = 0.9
_MAX_GAP = 30  # more blocks than this between two anchors: a section trafilatura rejected


@dataclass(slots=True)
class Block:
    """One visible text block of a page: its text, the share of it in links, in a figure."""

    text: str
    link_share: float = 0.0
    figure: bool = False
    path: tuple[int, ...] = ()  # serial numbers of the block elements it lies in, outermost first


def _is_caption(el, tag: str) -> bool:
    if tag in _FIGURE_TAGS:
        return True
    names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return any(word in names for word in _CAPTION_WORDS)


def page_blocks(tree) -> list[Block]:
    """Every visible text block of a parsed page in document order (a naive scraper's view)."""
    out: list[Block] = []
    buf: list[tuple[str, bool]] = []
    state = {"figure": False}
    path: list[int] = []
    serial = iter(range(1 << 62))

    def flush() -> None:
        text = " ".join("".join(t for t, _ in buf).split())
        if text:
            linked = sum(len(t.strip()) for t, in_link in buf if in_link)
            out.append(Block(text, min(1.0, linked / max(1, len(text))), state["figure"], tuple(path)))
        buf.clear()

    def walk(el, in_link: bool, in_figure: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP_TAGS:
            if el.tail:
                buf.append((el.tail, in_link))
            return
        block = tag in _BLOCK_TAGS
        inner_link = in_link or tag == "a"
        inner_figure = in_figure or (bool(tag) and _is_caption(el, tag))
        if block:
            flush()
            state["figure"] = inner_figure
            path.append(next(serial))
        if el.text and tag:
            buf.append((el.text, inner_link))
        for child in el:
            walk(child, inner_link, inner_figure)
        if block:
            flush()
            path.pop()
            state["figure"] = in_figure
        if el.tail:
            buf.append((el.tail, in_link))

    body = tree.find(".//body")
    walk(body if body is not None else tree, False, False)
    flush()
    return out


def _locate(text_lines: list[str], blocks: list[Block]) -> list[int | None]:
    """For each block, the index of the text line holding its words, or None (-1: no words)."""
    joined, starts, owners = [], [], []
    size = 0
    for n, line in enumerate(text_lines):
        key = title_key(line)
        if not key:
            continue  # a blank line inside a code block must not break the match
        starts.append(size + 1)
        owners.append(n)
        joined.append(key)
        size += len(key) + 1
    haystack = " " + " ".join(joined) + " "
    where: list[int | None] = []
    for block in blocks:
        key = title_key(block.text)
        if not key:
            where.append(-1)
            continue
        pos = haystack.find(" " + key + " ")
        where.append(None if pos < 0 else owners[bisect.bisect_right(starts, pos + 1) - 1])
    return where


def _eligible(block: Block) -> bool:
    """Whether ``block`` may be put back at all (not a caption, not mostly link text)."""
    return not block.figure and block.link_share <= _MAX_LINK_SHARE


def _coverage(blocks: list[Block], where: list[int | None], lo: int, hi: int) -> float:
    """The share of the words of the eligible blocks from ``lo`` to ``hi`` that the text holds."""
    held = total = 0
    for i in range(lo, hi + 1):
        words = len(blocks[i].text.split())
        if where[i] is not None:
            held += words
            total += words
        elif _eligible(blocks[i]):
            total += words
    return held / max(1, total)


def grow_text(text: str, blocks: list[Block], favor: str = "balanced") -> str:
    """``text`` with the content blocks it skipped between its first and last paragraph put back."""
    if not blocks or not text.strip():
        return text
    lines = text.split("\n")
    where = _locate(lines, blocks)
    anchors = [i for i, w in enumerate(where)
               if w is not None and w >= 0 and len(blocks[i].text.split()) >= _ANCHOR_WORDS]
    if len(anchors) < 2:
        return text
    lo, hi = anchors[0], anchors[-1]
    if _coverage(blocks, where, lo, hi) >= _FULL_COVER:
        return text
    start, stop = max(0, lo - _CONTEXT), min(len(blocks), hi + _CONTEXT + 1)
    window = [(blocks[i].text, 0) for i in range(start, stop)]
    keep = classify_lines(window, favor)
    wide = set()  # blocks in a long stretch between two anchors: a section trafilatura rejected
    for a, b in zip(anchors, anchors[1:]):
        if b - a > _MAX_GAP:
            wide.update(range(a + 1, b))
    inserts: dict[int, list[str]] = {}
    last = where[lo]
    for i in range(lo, hi + 1):
        w = where[i]
        if w is not None:
            if w >= 0:
                last = max(last, w)
            continue
        block = blocks[i]
        if keep[i - start] and _eligible(block) and i not in wide:
            inserts.setdefault(last, []).append(block.text)
    if not inserts:
        return text
    out: list[str] = []
    for j, line in enumerate(lines):
        out.append(line)
        out.extend(inserts.get(j, ()))
    return "\n".join(out)
