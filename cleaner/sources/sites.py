"""Which site a document belongs to: the key that learned rules are scoped by.

A *site* is the registered domain of the document's URL (``news.example.co.uk`` ->
``example.co.uk``) when the URL is known, else the first path component under INPUT
(a crawl laid out one directory per site). ``cleaner mine`` groups documents by this key
and ``cleaner run`` gives every Document the same key, so a learned rule with
``when: {sites: [...]}`` fires exactly on the documents it was learned from.

The registered domain comes from a short built-in list of multi-label public suffixes,
not from tldextract: that package downloads the Public Suffix List on first use, and
cleaner must run offline with the same answer every time. Hosts under a suffix this list
does not know fall back to their last two labels, which is right for ``.com``, ``.org``,
``.de`` and the other single-label suffixes that make up most crawls.

>>> registered_domain("store.steampowered.com")
'steampowered.com'
>>> registered_domain("www.bbc.co.uk")
'bbc.co.uk'
>>> site_key(None, "www.rei.com/0628.txt", "auto")
'www.rei.com'
"""

from __future__ import annotations

import hashlib
import ipaddress
from urllib.parse import urlsplit

from ..settings import SiteKey

NO_SITE = "(top)"  # documents directly under INPUT, in dir mode

# Second-level public suffixes under which every label is a separate owner.
_COUNTRY_SLD = ("ac", "co", "com", "edu", "gov", "gv", "ltd", "me", "mil", "ne", "net", "nhs", "nic",
                "or", "org", "plc", "sch")
_COUNTRIES = ("ar", "at", "au", "bd", "br", "cn", "cy", "eg", "es", "gr", "hk", "id", "il", "in", "jp",
              "ke", "kr", "lk", "mx", "my", "ng", "nz", "om", "pe", "ph", "pk", "pl", "py", "qa", "ru",
              "sa", "sg", "th", "tr", "tw", "ua", "uk", "uy", "ve", "vn", "za")
# Hosting platforms where each subdomain is someone else's site.
_PLATFORMS = frozenset({
    "blogspot.com", "wordpress.com", "github.io", "gitlab.io", "netlify.app", "vercel.app",
    "herokuapp.com", "substack.com", "medium.com", "tumblr.com", "livejournal.com", "pages.dev",
    "appspot.com", "azurewebsites.net", "cloudfront.net", "web.app", "firebaseapp.com",
})
_SUFFIXES = frozenset(f"{sld}.{cc}" for sld in _COUNTRY_SLD for cc in _COUNTRIES) | _PLATFORMS


def host_of(url: str | None) -> str | None:
    """The lower-cased host of ``url`` without a leading ``www.``, or None."""
    if not url:
        return None
    try:
        host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    return host[4:] if host.startswith("www.") else (host or None)


def registered_domain(host: str) -> str:
    """The part of ``host`` one owner registered: the public suffix plus one label."""
    host = host.lower().strip(".")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) <= 2:
        return host
    size = 3 if ".".join(labels[-2:]) in _SUFFIXES else 2
    return ".".join(labels[-size:])


def dir_key(relpath: str | None) -> str | None:
    """The first path component of ``relpath`` (relative to INPUT), or NO_SITE at the top."""
    if relpath is None:
        return None
    parts = [p for p in relpath.replace("\\", "/").split("/") if p and p != "."]
    return parts[0] if len(parts) > 1 else NO_SITE


def site_key(url: str | None, relpath: str | None, mode: SiteKey = SiteKey.AUTO) -> str | None:
    """The site of a document: by URL (``domain``), by directory (``dir``) or URL-else-dir (``auto``)."""
    if mode in (SiteKey.AUTO, SiteKey.DOMAIN):
        host = host_of(url)
        if host:
            return registered_domain(host)
        if mode == SiteKey.DOMAIN:
            return None
    return dir_key(relpath)


def site_tag(site: str) -> str:
    """A short stable hexadecimal tag of a site key, for rule ids (``LEARN-<tag>-0001``)."""
    return hashlib.blake2b(site.encode("utf-8", "surrogatepass"), digest_size=3).hexdigest().upper()
