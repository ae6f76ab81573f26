"""Page metadata from what a page declares about itself: meta tags, JSON-LD and its title.

The fast default for ``cleaner run`` on HTML: it reads the ``<meta>`` and ``<link>`` tags,
the JSON-LD blocks and the ``<title>``, never searches the body for bylines or categories,
and asks htmldate for the publication date without its extensive search. trafilatura's own
metadata search (``html_metadata="full"``) finds more authors and dates, and takes
longer.

>>> import lxml.html
>>> tree = lxml.html.document_fromstring(
...     '<html><head><title>Cats | The Daily</title><meta property="og:site_name" content="The Daily">'
...     '<link rel="canonical" href="https://daily.example/cats"></head><body><p>x</p></body></html>')
>>> page_metadata(tree)
{'url': 'https://daily.example/cats', 'title': 'Cats | The Daily', 'sitename': 'The Daily'}
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Iterator

# meta tag names and properties (lower-cased), best first
_TITLE = ("og:title", "twitter:title", "dc.title", "dcterms.title", "parsely-title", "sailthru.title")
_AUTHOR = ("author", "article:author", "dc.creator", "dcterms.creator", "parsely-author",
           "sailthru.author", "byl", "citation_author")
_SITENAME = ("og:site_name", "application-name", "publisher", "dc.publisher", "twitter:site")
_URL = ("og:url", "twitter:url")
_ARTICLE_TYPES = ("article", "newsarticle", "blogposting", "reportagenewsarticle", "webpage",
                  "analysisnewsarticle", "opinionnewsarticle", "scholarlyarticle", "report", "posting")
_MAX_FIELD = 500  # longer values are not names or titles
# schema.org types a page gives itself when it is a discussion: a thread of posts or a question
# with its answers (not FAQPage, Question or Comment alone: articles and FAQs carry those)
_THREAD_TYPES = ("qapage", "discussionforumposting")
_JSON_LD_THREAD = re.compile(r'"@type"\s*:\s*(?:\[[^\]]{0,200}?)?"(?:https?://schema\.org/)?(QAPage|DiscussionForumPosting)"',
                             re.IGNORECASE)


def page_metadata(tree, url: str | None = None) -> dict[str, str]:
    """``url``, ``title``, ``author``, ``date`` and ``sitename`` of a parsed page, where known."""
    metas = _meta_tags(tree)
    ld = _json_ld(tree)
    out: dict[str, str] = {}
    canonical = _canonical(tree) or _first(metas, _URL)
    if canonical and canonical.startswith(("http://", "https://")):
        out["url"] = canonical
    elif url:
        out["url"] = url
    title = ld.get("headline") or _first(metas, _TITLE) or _tag_text(tree, "title") or _tag_text(tree, "h1")
    if title:
        out["title"] = title
    author = ld.get("author") or _first(metas, _AUTHOR)
    if author and not author.startswith(("http://", "https://")):
        out["author"] = author[3:].strip() if author.lower().startswith("by ") else author
    date = _find_date(tree, out.get("url") or url)
    if date:
        out["date"] = date
    sitename = _first(metas, _SITENAME) or ld.get("publisher")
    if sitename:
        out["sitename"] = sitename.lstrip("@") if sitename.startswith("@") else sitename
    return out


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value if value and len(value) <= _MAX_FIELD else None


def _meta_tags(tree) -> dict[str, str]:
    """The first non-empty ``content`` of each meta name, property or itemprop (lower-cased)."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = _clean(meta.get("content"))
        if content is None:
            continue
        for attr in ("property", "name", "itemprop"):
            key = meta.get(attr)
            if key:
                found.setdefault(key.strip().lower(), content)
    return found


def _first(metas: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((metas[n] for n in names if n in metas), None)


def _canonical(tree) -> str | None:
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel:
            return _clean(link.get("href"))
    return None


def declares_thread(tree) -> bool:
    """Whether a page says it is a discussion (schema.org ``QAPage`` or ``DiscussionForumPosting``,
    in JSON-LD or microdata): its replies are content, not an article's comment section.

    >>> import lxml.html
    >>> declares_thread(lxml.html.document_fromstring(
    ...     '<html><body><div itemscope itemtype="https://schema.org/QAPage">Q</div></body></html>'))
    True
    """
    for el in tree.iter("script", "div", "main", "article", "body", "section", "html"):
        if el.tag == "script":
            if (el.get("type") or "").strip().lower() == "application/ld+json" and el.text \
                    and _JSON_LD_THREAD.search(el.text):
                return True
            continue
        # microdata may name several types, separated by spaces
        for kind in (el.get("itemtype") or "").split():
            if kind.rstrip("/").rsplit("/", 1)[-1].lower() in _THREAD_TYPES:
                return True
    return False


# og:type values and schema.org types of a page that says it is an article (its posts are comments)
_OG_ARTICLE = ("article",)
_DECLARED_ARTICLE = ("article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
                     "opinionnewsarticle", "scholarlyarticle", "techarticle", "report")
_JSON_LD_ARTICLE = re.compile(r'"@type"\s*:\s*(?:\[[^\]]{0,200}?)?"(?:https?://schema\.org/)?(' + "|".join(_DECLARED_ARTICLE)
                              + r')"', re.IGNORECASE)


def declares_article(tree) -> bool:
    """Whether a page says it is an article (``og:type`` article, or a schema.org article type in
    JSON-LD or microdata): the posts under it are a comment section, not a thread's replies.

    >>> import lxml.html
    >>> declares_article(lxml.html.document_fromstring(
    ...     '<html><head><meta property="og:type" content="article"></head><body>x</body></html>'))
    True
    """
    for el in tree.iter("meta", "script", "div", "main", "article", "body", "section", "html"):
        tag = el.tag
        if tag == "meta":
            if (el.get("property") or el.get("name") or "").strip().lower() == "og:type" \
                    and (el.get("content") or "").strip().lower().startswith(_OG_ARTICLE):
                return True
        elif tag == "script":
            if (el.get("type") or "").strip().lower() == "application/ld+json" and el.text \
                    and _JSON_LD_ARTICLE.search(el.text):
                return True
        else:
            for kind in (el.get("itemtype") or "").split():
                if kind.rstrip("/").rsplit("/", 1)[-1].lower() in _DECLARED_ARTICLE:
                    return True
    return False


# schema.org types of a product, and the property that says its customers rate it
_DECLARED_PRODUCT = ("product", "productgroup", "individualproduct", "productmodel")
_JSON_LD_PRODUCT = re.compile(r'"@type"\s*:\s*(?:\[[^\]]{0,200}?)?"(?:https?://schema\.org/)?('
                              + "|".join(_DECLARED_PRODUCT) + r')"', re.IGNORECASE)
_JSON_LD_RATING = re.compile(r'"aggregateRating"\s*:', re.IGNORECASE)


def declares_rated_product(tree) -> bool:
    """Whether a page says it is a product that its customers rate: a schema.org product type
    with an ``aggregateRating``, in JSON-LD or microdata. Its customer reviews are then its
    comment section (see :func:`cleaner.extract.prune.prune_tree`).

    >>> import lxml.html
    >>> declares_rated_product(lxml.html.document_fromstring(
    ...     '<html><body><div itemscope itemtype="https://schema.org/Product">Boots'
    ...     '<div itemprop="aggregateRating" itemscope>4.5</div></div></body></html>'))
    True
    >>> declares_rated_product(lxml.html.document_fromstring(
    ...     '<html><body><div itemscope itemtype="https://schema.org/Product">Boots</div></body></html>'))
    False
    """
    product = rated = False
    for el in tree.iter("script", "div", "main", "article", "body", "section", "html", "span", "meta"):
        if el.tag == "script":
            if (el.get("type") or "").strip().lower() == "application/ld+json" and el.text \
                    and _JSON_LD_PRODUCT.search(el.text) and _JSON_LD_RATING.search(el.text):
                return True
            continue
        if (el.get("itemprop") or "").strip().lower() == "aggregaterating":
            rated = True
        for kind in (el.get("itemtype") or "").split():
            if kind.rstrip("/").rsplit("/", 1)[-1].lower() in _DECLARED_PRODUCT:
                product = True
        if product and rated:
            return True
    return False


def _tag_text(tree, tag: str) -> str | None:
    for element in tree.iter(tag):
        return _clean(element.text_content())
    return None


def _json_ld(tree) -> dict[str, str]:
    """``headline``, ``author`` and ``publisher`` of the first article-like JSON-LD object."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except (ValueError, RecursionError):
            continue
        for obj in _objects(data):
            kind = obj.get("@type")
            kinds = [k.lower() for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)]
            if not any(k in _ARTICLE_TYPES for k in kinds):
                continue
            found = {"headline": _clean(obj.get("headline")), "author": _name(obj.get("author")),
                     "publisher": _name(obj.get("publisher"))}
            return {k: v for k, v in found.items() if v}
    return {}


def _objects(data: Any, depth: int = 0) -> Iterator[dict]:
    """The JSON objects of a JSON-LD value: itself, its list items and its ``@graph``."""
    if depth > 3:
        return
    if isinstance(data, list):
        for item in data:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _objects(data["@graph"], depth + 1)


def _name(value: Any) -> str | None:
    """A person's or organisation's name from a JSON-LD value (names of a list joined with '; ')."""
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value[:10]) if n]
        return "; ".join(names) or None
    if isinstance(value, dict):
        return _clean(value.get("name"))
    return _clean(value)


def _find_date(tree, url: str | None) -> str | None:
    """The publication date as YYYY-MM-DD by htmldate, without its extensive search."""
    from htmldate import find_date

    logging.getLogger("htmldate").setLevel(logging.ERROR)
    try:
        return find_date(tree, url=url, extensive_search=False, original_date=True)
    except (ValueError, TypeError, AttributeError, RecursionError):
        return None
