"""HTML to main text and metadata, through trafilatura.

trafilatura's main-content extraction is the starting point; the rule packs then remove
what it leaves in. When it finds nothing, a recall-oriented second pass is tried, and
then a plain dump of the page's text blocks, which the line heuristics clean like any
scraped text. What trafilatura skipped inside the content region is put back where the
body classifier keeps it (:mod:`cleaner.extract.grow`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import regex

from ..errors import DocumentError
from ..lines.normalize import title_key
from ..settings import Favor, HtmlMetadata
from .blocks import page_blocks
from .grow import grow_text, split_swallowed_lines
from .meta import declares_article, declares_rated_product, declares_thread, page_metadata
from .posts import add_posts, find_posts, opens_thread
from .prune import prune_tree
from .seams import part_glued_words

_SUBSET_SCAN = 1 << 20  # how far into a page a DOCTYPE subset is looked for
# trafilatura's fast pass is taken unless its text looks short (see _looks_short); then its
# full pass (with its fallback algorithms) runs: on about one page in twelve of the bench sets
_SHORT_MIN = 50
_SHORT_PAGE = 0.15


@dataclass(slots=True)
class Extracted:
    """Main text of a page and what trafilatura knew about it."""

    text: str
    metadata: dict[str, Any] = field(default_factory=dict)
    method: str = "trafilatura"
    link_keys: frozenset = frozenset()  # words of the page's link texts (see link_keys)
    discussion: bool = False  # the page declares itself a discussion (see meta.declares_thread)


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """The installed trafilatura's version: a different one may extract another text."""
    from importlib.metadata import version  # ~20 ms to import: only when HTML is cleaned

    return version("trafilatura")


def extractor_provenance(method: str, text: str, *, favor: Favor, include_comments: bool,
                         metadata: HtmlMetadata) -> dict[str, Any]:
    """What produced a page's main text, so that the text can be made again and checked.

    The removals of an HTML record index into this text (not the page): with the same
    extractor version and settings, :func:`extract_html` gives it again, and ``text_sha256``
    says whether it did.

    >>> extractor_provenance("trafilatura", "Hi", favor=Favor.BALANCED, include_comments=False,
    ...                      metadata=HtmlMetadata.FAST)["text_sha256"][:12]
    '3639efcd08ab'
    """
    return {"name": "trafilatura", "version": extractor_version(), "method": method,
            "favor": str(favor), "include_comments": include_comments, "html_metadata": str(metadata),
            "text_sha256": text_sha256(text)}


def text_sha256(text: str) -> str:
    """The hex SHA-256 of ``text`` as UTF-8 (a lone surrogate as its own bytes)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _metadata(doc: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("url", "title", "author", "date", "sitename", "hostname", "language", "description"):
        value = getattr(doc, key, None)
        if isinstance(value, str) and value.strip():
            out[key] = value.strip()
    return out


# A DOCTYPE with an internal subset (entity declarations): the HTML parser never expands
# them, but would leave the subset's tail ("]>") in the text. It goes before parsing.
_DOCTYPE_SUBSET = regex.compile(r"<!DOCTYPE[^>\[]{0,500}\[.*?\]\s*>", regex.IGNORECASE | regex.DOTALL)
# An XML declaration naming an encoding (XHTML pages): lxml refuses to parse a str that
# carries one, and the text is decoded already, so it goes.
_XML_DECLARATION = regex.compile(r"\A\s*<\?xml[^>]{0,300}\?>", regex.IGNORECASE)
# The end tags of the body and the document: a page that has one before more of its elements
# (two templates pasted together, a CMS that closes the page and goes on) loses what follows to
# libxml2, which puts it outside the body or drops it, where a browser shows it in the body.
_DOCUMENT_END = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
_ELEMENT_START = re.compile(r"<[a-zA-Z]")
# A long ``data:`` URI (an inlined image or font): never text, and one over 10 MB is more than
# libxml2 takes in one attribute, which would lose the whole page. Emptied before parsing.
_LONG_DATA_URI = re.compile(r"data:[^\"'\s()<>]{4096,}", re.IGNORECASE)
# What ends a data URI there, and the stride of the windows in which one is looked for: a
# long data URI is a run of 4,101 characters or more without one, so it holds a whole window.
_URI_END = re.compile(r"[\"'\s()<>]")
_URI_WINDOW = 2048


@lru_cache(maxsize=1)
def _html_lookup():
    """lxml.html's element classes, chosen in C: every element an ``HtmlElement``.

    lxml.html's own parser asks a Python method for the class of every element object it
    hands out (to give forms and inputs their own classes, which neither cleaner nor
    trafilatura uses); on a page walked many times over that is a good part of the work.
    """
    import lxml.html

    return lxml.etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity)


# A page too short for trafilatura's fast pass: its full pass runs, and with it jusText
_WARM_PAGE = "<html><body><article><p>Warm up the extractor once.</p></article></body></html>"


def preload() -> None:
    """Import trafilatura and htmldate, and build what trafilatura builds on its first full pass,
    now: a parent process that does it before forking its workers saves each of them the work.

    The import costs about 0.15 s of CPU; the first full pass (a short page, as about one in
    twelve are) about 0.25 s more, nearly all of it jusText's stoplist of every language.
    """
    import htmldate  # noqa: F401
    import trafilatura

    try:
        trafilatura.bare_extraction(_parse(_WARM_PAGE), include_comments=False, include_tables=True,
                                    deduplicate=False)
    except (ValueError, TypeError, RecursionError, AttributeError, DocumentError):
        pass


def empty_long_data_uris(html: str) -> str:
    """``html`` with each long ``data:`` URI emptied: what ``_LONG_DATA_URI.sub("data:,", html)``
    gives, for a small part of its time.

    A match lies inside a run of 4,101 characters or more of which none ends a URI, and such a
    run holds a whole window of ``_URI_WINDOW`` characters (counted from the start of the page).
    A window with an end in it is passed over at the first one; the expression is run only on
    the runs that hold a window without one.

    >>> empty_long_data_uris('<img src="data:image/png;base64,' + "A" * 5000 + '"> <p>x</p>')
    '<img src="data:,"> <p>x</p>'
    """
    pieces: list[str] = []
    done = 0  # html[:done] is settled (done: 0, or where a run taken care of ended)
    for start in range(0, len(html) - _URI_WINDOW + 1, _URI_WINDOW):
        if start < done or _URI_END.search(html, start, start + _URI_WINDOW) is not None:
            continue
        # the run holding this window starts after the last end in the window before it (a run
        # reaching further back would hold that window, which would have been taken first)
        lo = 0
        for end in _URI_END.finditer(html, max(done, start - _URI_WINDOW), start):
            lo = end.end()
        lo = max(lo, done)
        end = _URI_END.search(html, start + _URI_WINDOW)
        hi = end.start() if end is not None else len(html)
        pieces.append(html[done:lo])
        pieces.append(_LONG_DATA_URI.sub("data:,", html[lo:hi]))
        done = hi
    if not pieces:
        return html
    pieces.append(html[done:])
    return "".join(pieces)


def drop_early_document_ends(html: str) -> str:
    """``html`` without its ``</body>`` and ``</html>`` end tags when elements follow the first
    of them: the page as a browser shows it (the HTML standard reads what follows into the body).

    >>> drop_early_document_ends("<body><p>one</p></body></html><p>two</p></body></html>")
    '<body><p>one</p><p>two</p>'
    >>> drop_early_document_ends("<body><p>one</p></body></html>\\n")
    '<body><p>one</p></body></html>\\n'
    """
    first = _DOCUMENT_END.search(html)
    if first is None or _ELEMENT_START.search(html, first.end()) is None:
        return html
    return _DOCUMENT_END.sub("", html)


def _parse(html: str):
    import lxml.html

    if html.lstrip().startswith("<?"):
        html = _XML_DECLARATION.sub("", html, count=1)
    head = html[:_SUBSET_SCAN]
    if "<!" in head and "[" in head:
        head = _DOCTYPE_SUBSET.sub("", head, count=1)
        html = head + html[_SUBSET_SCAN:]
    if "data:" in html or "DATA:" in html:
        html = empty_long_data_uris(html)
    html = drop_early_document_ends(html)
    # comments (conditional ones too) are never text; removed by the parser, their tails kept
    # (trafilatura drops the text that follows a comment node, and front-end frameworks wrap
    # text in comment markers: <!--[--> 12,000 BTU <!--]-->)
    # The page is handed to libxml2 as UTF-8, its own encoding: a str would be handed over as
    # UCS-4 or UTF-16 and converted, about a third more time for the same tree. Text that
    # cannot be UTF-8 (a lone surrogate) goes as a str.
    try:
        source, encoding = html.encode("utf-8"), "utf-8"  # (a <meta> charset is not heeded)
    except UnicodeEncodeError:
        source, encoding = html, None
    parser = lxml.etree.HTMLParser(remove_comments=True, remove_pis=True, encoding=encoding)
    parser.set_element_class_lookup(_html_lookup())
    try:
        tree = lxml.html.document_fromstring(source, parser=parser)
    except (ValueError, TypeError, lxml.etree.ParserError) as exc:
        raise DocumentError("html_parse_error", str(exc)[:200]) from None
    limits = [e.message for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"]
    if any("depth" in message.lower() for message in limits):
        # libxml2 stops at 256 levels: whatever is deeper would be lost without a word
        raise DocumentError("too_deeply_nested", "HTML nested deeper than the parser's limit (256)")
    if limits:  # what is past the limit would be lost without a word
        raise DocumentError("html_node_too_large", "a text or attribute value over the parser's 10 MB limit")
    return tree


def dump_blocks(tree) -> str:
    """Every visible text block of a parsed page, one per line (a naive scraper's view)."""
    return "\n".join(block.text for block in page_blocks(tree))


def link_keys(tree, min_words: int = 3) -> frozenset:
    """The :func:`title_key` of every link text of ``min_words`` words or more in ``tree``."""
    keys = set()
    for anchor in tree.iter("a"):
        key = title_key(anchor.text_content())
        if key.count(" ") >= min_words - 1:
            keys.add(key)
    return frozenset(keys)


@lru_cache(maxsize=1)
def _extractor_keeps_input() -> bool:
    """Whether trafilatura works on a copy of a tree it is given (2.3 and later): then one
    parsed and pruned tree serves all its passes. Earlier versions change it (their baseline
    pass strips elements from it), and each pass gets a tree of its own."""
    major, minor = (int(part) for part in re.findall(r"\d+", extractor_version())[:2])
    return (major, minor) >= (2, 3)


def _pruned(html: str, tree, reviews: bool = False):
    """``tree`` (parsed and pruned) for another pass of trafilatura, or a fresh copy of it
    when trafilatura would change it (:func:`_extractor_keeps_input`)."""
    if _extractor_keeps_input():
        return tree
    tree = _parse(html)
    prune_tree(tree, reviews)
    return tree


def _text_of(result: Any) -> str:
    return (getattr(result, "text", None) or "") if result is not None else ""


def _looks_short(text: str, page_words: int) -> bool:
    """Whether trafilatura's fast pass kept suspiciously little of the page: under
    ``_SHORT_PAGE`` of ``page_words`` (the words of its visible text blocks), or under
    ``_SHORT_MIN`` words."""
    words = len(text.split())
    if words < _SHORT_MIN:
        return True
    return words < _SHORT_PAGE * page_words


def extract_html(html: str, *, url: str | None = None, favor: Favor = Favor.BALANCED,
                 include_comments: bool = False, metadata: HtmlMetadata = HtmlMetadata.FAST) -> Extracted:
    """Main text and metadata of an HTML page; raises DocumentError when there is none.

    ``metadata``: ``fast`` reads what the page declares (:mod:`cleaner.extract.meta`), ``full``
    runs trafilatura's metadata search (more authors and dates, slower).
    """
    import trafilatura

    # (htmldate and trafilatura work on copies of the tree they are given: it is parsed and
    # pruned once, and handed to every pass below, see _pruned)
    tree = _parse(html)
    # (a rated product's customer reviews are its comment section, unless comments are wanted)
    declared_article = declares_article(tree)
    reviews = not include_comments and not declared_article and declares_rated_product(tree)
    pruned = prune_tree(tree, reviews)
    links = link_keys(tree)
    members, runs = find_posts(tree)
    thread = declares_thread(tree)  # (before trafilatura, which takes the scripts out)
    article = not thread and bool(runs) and declared_article  # (its posts are comments)
    blocks = page_blocks(tree, members)
    page_words = sum([b.words for b in blocks])
    full = metadata == HtmlMetadata.FULL
    fast_meta = {} if full else page_metadata(tree, url)
    kwargs = dict(url=url, with_metadata=full, include_comments=include_comments,
                  include_tables=True, deduplicate=False)
    if full:  # the fast pass would also make trafilatura's date search a quick one
        kwargs["date_extraction_params"] = {"extensive_search": True, "original_date": True}
    if favor == Favor.PRECISION:
        kwargs["favor_precision"] = True
    elif favor == Favor.RECALL:
        kwargs["favor_recall"] = True
    try:
        result = trafilatura.bare_extraction(tree, fast=True, **kwargs)
    except (ValueError, TypeError, RecursionError, AttributeError) as exc:
        raise DocumentError("extraction_failed", f"{type(exc).__name__}: {str(exc)[:160]}") from None
    text = _text_of(result)
    if _looks_short(text, page_words):
        # trafilatura's fast pass kept little of the page: its slower pass compares the result
        # with two other algorithms (readability, jusText) and takes theirs where it is better
        try:
            again = trafilatura.bare_extraction(_pruned(html, tree, reviews), **kwargs)
        except (ValueError, TypeError, RecursionError, AttributeError):
            again = None
        if _text_of(again).strip():
            result, text = again, _text_of(again)
        if pruned and _looks_short(text, page_words):
            # still short: our pruning may have taken what trafilatura needed to see the content
            # (hidden labels inside every card of a product grid); the page as it came is tried
            # (when the pruning took nothing, that is the pass just made)
            try:
                whole = trafilatura.bare_extraction(_parse(html), **kwargs)
            except (ValueError, TypeError, RecursionError, AttributeError):
                whole = None
            # (never more words than the page shows: more is hidden text the pruning took out)
            words = len(_text_of(whole).split())
            if len(text.split()) < words <= page_words:
                result, text = whole, _text_of(whole)
    meta = fast_meta if not full else (_metadata(result) if result is not None else {})
    method = "trafilatura"
    if text.strip():
        thread = thread or (not article and favor != Favor.PRECISION and opens_thread(text, blocks, runs))
        text = part_glued_words(text, blocks)
        grown = add_posts(grow_text(split_swallowed_lines(text, blocks), blocks, favor, lists=not declared_article), blocks, runs, favor, thread)
        if grown != text:
            text, method = grown, "trafilatura-grown"
    if not text.strip() and favor != Favor.RECALL:
        kwargs.pop("favor_precision", None)
        kwargs["favor_recall"] = True
        try:
            again = trafilatura.bare_extraction(_pruned(html, tree, reviews), **kwargs)
        except (ValueError, TypeError, RecursionError, AttributeError):
            again = None
        if _text_of(again).strip():
            text, method = again.text, "trafilatura-recall"
            meta = meta or (_metadata(again) if full else {})
    if not text.strip():
        text, method = dump_blocks(_parse(html)), "blocks"
    if not text.strip():
        raise DocumentError("no_main_content", "the page has no visible text")
    return Extracted(text, meta, method, links, thread)
