"""Prune a parsed HTML page before main-content extraction.

trafilatura chooses the main content well but keeps some page furniture inside it: hidden
metadata blocks, share bars, "related" and newsletter boxes, breadcrumbs. Removing those
elements from the tree first is cheaper and surer than finding their text afterwards.
An element is pruned only when it is small next to the page (it cannot be the content
wrapper that merely carries a telling class name). On a product page that declares customer
ratings (schema.org ``aggregateRating``), the customer reviews are its comment section and go
the same way, unless comments are wanted.
"""

from __future__ import annotations

import re

# Words in class/id names that mark page furniture rather than content.
_JUNK_WORDS = frozenset("""
    breadcrumb breadcrumbs share sharing sharebar socialshare social-share share-buttons
    sharedaddy addthis addtoany newsletter subscribe subscription signup sign-up promo
    promotion advert advertisement ads adslot adunit ad-slot ad-container sponsored
    cookie cookies consent gdpr related relatedposts related-posts related-articles
    recommended recirculation outbrain taboola trending popular-posts most-popular
    mostread most-read skip-link skiplink screen-reader-text sr-only visually-hidden
    visuallyhidden print-only author-bio byline-social toolbar pagination pager
""".split())
# Words that mark furniture also as a part of a hyphenated name (``gdpr-banner__text``,
# ``consent-notice``, ``newsletter-form``): they never name content (``cookie`` may: a recipe).
_PART_WORDS = frozenset("consent gdpr newsletter breadcrumb breadcrumbs".split())
# Class names of the content wrapper itself: an element named so is never pruned, whatever
# else its class says (``entry-content print-only``, ``entry share``).
_CONTENT_WORDS = frozenset("""
    entry entry-content post-content article-content article-body articlebody post-body
    story-body main-content page-content
""".split())
_ROLES = frozenset({"navigation", "search", "dialog", "alertdialog", "menubar", "toolbar"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_KEEP_TAGS = frozenset({"html", "body", "main", "article"})
# An element holding more than this share of the page's text is never pruned.
_MAX_SHARE = 0.25
# Words of class/id names (any case and separator: ``reviews-list``, ``userReviews``) that
# mark the customer reviews of a product page that declares customer ratings
# (:func:`cleaner.extract.meta.declares_rated_product`): its comment section, pruned as
# ``_JUNK_WORDS`` are.
_REVIEW_WORDS = frozenset("review reviews bewertungen rezensionen avis opiniones resenas recensioni avaliacoes opinie recenzje".split())
_NAME_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")


def is_junk_element(el) -> str | None:
    """Why ``el`` is page furniture (``hidden``, ``role``, ``class``), else None."""
    tag = el.tag
    if not isinstance(tag, str) or not tag or tag in _KEEP_TAGS:
        return None
    # (every element of the page passes here: most have none of the attributes looked at
    # below, and a look-up of one is cheaper than listing them)
    if el.get("itemscope") is not None:
        style = el.get("style")
        if style is not None and _HIDDEN_STYLE.search(style):
            return "hidden"
    role = el.get("role")
    if role is not None and role.lower() in _ROLES:
        return "role"
    if tag == "nav":
        return "role"
    names, ident = el.get("class"), el.get("id")
    if names is None and ident is None:
        return None
    words = set(f"{names or ''} {ident or ''}".lower().replace("_", " ").split())
    if not words.isdisjoint(_CONTENT_WORDS):
        return None
    if words.isdisjoint(_JUNK_WORDS) and not any(
            not _PART_WORDS.isdisjoint(word.split("-")) for word in words if "-" in word):
        return None
    return "class"


def is_review_element(el) -> bool:
    """Whether ``el``'s class or id names it customer reviews (or more products): on a rated
    product page, its comment section.

    >>> import lxml.html
    >>> is_review_element(lxml.html.fragment_fromstring('<div id="userReviews">Great boots</div>'))
    True
    >>> is_review_element(lxml.html.fragment_fromstring('<div class="preview">Boots</div>'))
    False
    """
    tag = el.tag
    if not isinstance(tag, str) or tag in _KEEP_TAGS:
        return False
    names, ident = el.get("class"), el.get("id")
    if names is None and ident is None:
        return False
    words = {w.lower() for w in _NAME_WORD.findall(f"{names or ''} {ident or ''}")}
    return not words.isdisjoint(_REVIEW_WORDS)


def prune_tree(tree, reviews: bool = False) -> int:
    """Remove furniture elements from ``tree`` in place; the number removed.

    ``reviews``: the page is a rated product page whose customer reviews go too
    (:func:`is_review_element`).
    """
    body = tree.find(".//body")
    root = body if body is not None else tree
    total = len(root.text_content()) or 1
    doomed = []
    for el in root.iter():
        why = is_junk_element(el)
        if why is None and reviews and is_review_element(el):
            why = "reviews"
        if why is None:
            continue
        if any(el is d or _is_ancestor(d, el) for d in doomed[-1:]):
            continue
        if len(el.text_content()) > _MAX_SHARE * total:
            continue
        doomed.append(el)
    for el in doomed:
        _drop(el)
    return len(doomed)


def _is_ancestor(a, b) -> bool:
    parent = b.getparent()
    while parent is not None:
        if parent is a:
            return True
        parent = parent.getparent()
    return False


def _drop(el) -> None:
    """Remove ``el`` but keep its tail text in the document."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail and tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)
