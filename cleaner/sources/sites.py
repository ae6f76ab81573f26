"""Which site a document belongs to: the key that learned rules are scoped by.

A *site* is the registered domain of the document's URL (``news.example.co.uk`` ->
``example.co.uk``) when the URL is known, else the first path component under INPUT
(a crawl laid out one directory per site). ``cleaner mine`` groups documents by this key
and ``cleaner run`` gives every Document the same key, so a learned rule with
``when: {sites: [...]}`` fires exactly on the documents it was learned from.

The registered domain comes from the Public Suffix List as the ``publicsuffixlist``
package ships it (ICANN and private sections; read from the package, never fetched, so a
given install gives the same answer every time, offline). A few blog platforms give each
user a subdomain without listing themselves in the PSL; :data:`PLATFORMS` adds them, so each
blog stays its own site. A host that is itself a public suffix is its own key.

>>> registered_domain("store.steampowered.com")
'steampowered.com'
>>> registered_domain("www.bbc.co.uk")
'bbc.co.uk'
>>> registered_domain("www.service-public.gouv.fr"), registered_domain("shop.myshopify.com")
('service-public.gouv.fr', 'shop.myshopify.com')
>>> site_key(None, "www.rei.com/0628.txt", "auto")
'www.rei.com'
"""

from __future__ import annotations

import hashlib
import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

from ..settings import SiteKey

NO_SITE = "(top)"  # documents directly under INPUT, in dir mode

# Platforms where each subdomain is someone else's blog, missing from the PSL's private section.
PLATFORMS = frozenset({"livejournal.com", "medium.com", "substack.com", "tumblr.com", "wordpress.com"})


@lru_cache(maxsize=1)
def _suffix_list():
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()  # the copy inside the package: no network


def preload() -> None:
    """Parse the suffix list now (about 0.2 s), e.g. once before forking workers."""
    _suffix_list()


def host_of(url: str | None) -> str | None:
    """The lower-cased host of ``url`` without a leading ``www.``, or None."""
    if not url:
        return None
    try:
        host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    return host[4:] if host.startswith("www.") else (host or None)


@lru_cache(maxsize=1 << 14)  # a crawl has many pages per host: each is looked up once (~4 MB)
def registered_domain(host: str) -> str:
    """The part of ``host`` one owner registered: the public suffix plus one label."""
    host = host.lower().strip(".")
    if ":" in host or host.rpartition(".")[2].isdigit():  # else not an IP address (saves an exception)
        try:
            ipaddress.ip_address(host)
            return host
        except ValueError:
            pass
    labels = host.split(".")
    if len(labels) > 2 and ".".join(labels[-2:]) in PLATFORMS:
        return ".".join(labels[-3:])
    return _suffix_list().privatesuffix(host) or host


@lru_cache(maxsize=4096)  # the documents of one file share their relative path
def dir_key(relpath: str | None) -> str | None:
    """The first path component of ``relpath`` (relative to INPUT), or NO_SITE at the top."""
    if relpath is None:
        return None
    parts = [p for p in relpath.replace("\\", "/").split("/") if p and p != "."]
    return parts[0] if len(parts) > 1 else NO_SITE


def site_key(url: str | None, relpath: str | None, mode: SiteKey = SiteKey.AUTO) -> str | None:
    """The site of a document: by URL (``domain``), by directory (``dir``) or URL-else-dir (``auto``)."""
    return site_of_host(host_of(url) if mode in (SiteKey.AUTO, SiteKey.DOMAIN) else None, relpath, mode)


def place_of(url: str | None, relpath: str | None, mode: SiteKey = SiteKey.AUTO) -> tuple[str | None, str | None]:
    """A document's domain (:func:`host_of` its URL) and site (:func:`site_key`), the URL parsed once.

    >>> place_of("https://www.bbc.co.uk/news/1", "a.jsonl")
    ('bbc.co.uk', 'bbc.co.uk')
    >>> place_of(None, "blog/a.jsonl")
    (None, 'blog')
    """
    host = host_of(url)
    return host, site_of_host(host, relpath, mode)


def site_of_host(host: str | None, relpath: str | None, mode: SiteKey = SiteKey.AUTO) -> str | None:
    """:func:`site_key` of a document whose URL's host (:func:`host_of`) is ``host``."""
    if mode in (SiteKey.AUTO, SiteKey.DOMAIN):
        if host:
            return registered_domain(host)
        if mode == SiteKey.DOMAIN:
            return None
    return dir_key(relpath)


def site_tag(site: str) -> str:
    """A short stable hexadecimal tag of a site key, for rule ids (``LEARN-<tag>-0001``)."""
    return hashlib.blake2b(site.encode("utf-8", "surrogatepass"), digest_size=3).hexdigest().upper()
