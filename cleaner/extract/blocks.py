"""The visible text blocks of a parsed page, in document order: a naive scraper's view.

Each block is the text of one block element (paragraph, list item, cell, heading, ...)
with what is known of its place: the share of it that is link text, whether it is a figure
caption, the block elements it lies in and how many footers, asides, forms or navigation
elements hold it. :mod:`cleaner.extract.grow` matches trafilatura's text against these blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_BLOCK_TAGS = frozenset({
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "pre", "blockquote",
    "section", "article", "dd", "dt", "tr", "br", "header", "footer", "main", "aside", "nav",
    "figcaption", "caption", "form", "table", "ul", "ol", "figure"})
_SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "iframe", "head", "button", "select",
    "option", "textarea", "input", "object", "embed", "canvas"})
_ASIDE_TAGS = frozenset({"footer", "aside", "form", "nav"})
_FIGURE_TAGS = frozenset({"figure", "figcaption", "picture"})
_CAPTION_WORDS = ("caption", "credit")

@dataclass(slots=True)
class Block:
    """One visible text block of a page: its text, the share of it in links, in a figure."""

    text: str
    link_share: float = 0.0
    figure: bool = False
    path: tuple[int, ...] = ()  # serial numbers of the block elements it lies in, outermost first
    aside: int = 0  # how many footer, aside, form or nav elements it lies in (page furniture)
    words: int = -1  # how many words its text has (counted from the text when not given)
    member: int = -1  # the repeated sibling (post, card) it lies in: see cleaner.extract.posts

    def __post_init__(self) -> None:
        if self.words < 0:
            self.words = len(self.text.split())


_CAPTION_NAME = re.compile("|".join(_CAPTION_WORDS), re.IGNORECASE)


def _is_caption(el, tag: str) -> bool:
    if tag in _FIGURE_TAGS:
        return True
    names = el.get("class")
    if names and _CAPTION_NAME.search(names):
        return True
    names = el.get("id")
    return bool(names) and _CAPTION_NAME.search(names) is not None


class _Walk:
    """The state of one walk over a page for :func:`page_blocks`."""

    __slots__ = ("out", "pieces", "linked", "figure", "aside", "path", "serial", "members", "member")

    def __init__(self, members: dict | None = None) -> None:
        self.out: list[Block] = []
        self.pieces: list[str] = []  # text pieces of the open block
        self.linked: list[str] = []  # those of them that lie in a link
        self.figure = False
        self.aside = 0
        self.path: list[int] = []
        self.serial = 0
        self.members = members or {}  # element -> member number, for the outermost members
        self.member = -1

    def flush(self) -> None:
        pieces = self.pieces
        words = "".join(pieces).split()
        if words:
            text = " ".join(words)
            linked = sum([len(t.strip()) for t in self.linked]) if self.linked else 0
            self.out.append(Block(text, min(1.0, linked / max(1, len(text))), self.figure, tuple(self.path),
                                  self.aside, len(words), self.member))
        pieces.clear()
        self.linked.clear()

    def walk(self, el, in_link: bool, in_figure: bool) -> None:
        # (every element of the page passes here: each lxml attribute read builds a new
        # Python object, so each is read once, and the empty buffer is not flushed)
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP_TAGS:
            tail = el.tail  # (of a comment or processing instruction, only the tail is text)
            if tail:
                self.pieces.append(tail)
                if in_link:
                    self.linked.append(tail)
            return
        block = tag in _BLOCK_TAGS
        inner_link = in_link or tag == "a"
        inner_figure = in_figure or _is_caption(el, tag)
        member = self.member < 0 and bool(self.members) and self.members.get(el, -1) >= 0
        # (a form inside a post wraps its text on some forums: old reddit's usertext)
        aside = tag in _ASIDE_TAGS and not (tag == "form" and self.member >= 0)
        pieces = self.pieces
        if member:
            if pieces:
                self.flush()
            self.member = self.members[el]
        if block:
            if pieces:
                self.flush()
            self.figure = inner_figure
            self.path.append(self.serial)
            self.serial += 1
        if aside:
            self.aside += 1
        text = el.text
        if text:
            pieces.append(text)
            if inner_link:
                self.linked.append(text)
        walk = self.walk
        for child in el:
            walk(child, inner_link, inner_figure)
        if block:
            if pieces:
                self.flush()
            self.path.pop()
            self.figure = in_figure
        if aside:
            self.aside -= 1
        if member:
            if pieces:
                self.flush()
            self.member = -1
        tail = el.tail
        if tail:
            pieces.append(tail)
            if in_link:
                self.linked.append(tail)


def page_blocks(tree, members: dict | None = None) -> list[Block]:
    """Every visible text block of a parsed page in document order (a naive scraper's view).

    ``members`` maps elements to numbers (the like siblings of :func:`cleaner.extract.posts.find_posts`);
    a block inside one of them carries its number (the outermost one's) as ``member``.
    """
    walk = _Walk(members)
    body = tree.find(".//body")
    walk.walk(body if body is not None else tree, False, False)
    walk.flush()
    return walk.out
