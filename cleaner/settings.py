"""All options of a cleaning run, in one documented object, each default written once.

>>> Config(favor="recall").favor is Favor.RECALL
True
>>> f"favor={Config().favor}"
'favor=balanced'
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from enum import Enum

from .errors import ConfigError


class Choice(str, Enum):
    """A setting with a fixed set of values. A member is its value as a string: it compares,
    hashes, formats and serialises (JSON) as that string, so ``"balanced"`` still works."""

    __str__ = str.__str__
    __format__ = str.__format__

    @classmethod
    def parse(cls, value: str, setting: str) -> "Choice":
        try:
            return cls(value)
        except ValueError:
            names = ", ".join(m.value for m in cls)
            raise ConfigError(f"{setting} must be one of {names}, not {value!r}") from None


class Favor(Choice):
    """What to lean to when unsure: ``precision`` removes more, ``recall`` keeps more."""

    PRECISION = "precision"
    BALANCED = "balanced"
    RECALL = "recall"


class SiteKey(Choice):
    """How a document's site is found: URL else directory, URL only, directory only."""

    AUTO = "auto"
    DOMAIN = "domain"
    DIR = "dir"


class HtmlMetadata(Choice):
    """The metadata search on HTML pages: declared fields only, or trafilatura's full search."""

    FAST = "fast"
    FULL = "full"


FAVOR = tuple(m.value for m in Favor)
_CHOICES = {"favor": Favor, "site_key": SiteKey, "html_metadata": HtmlMetadata}


@dataclass(frozen=True)
class Config:
    """What to remove and how; every field has a default that suits most corpora.

    Rules
        ``rule_paths``: extra rule pack files or directories, loaded after the shipped packs.
        ``default_rules``: load the packs shipped with cleaner (off: only ``rule_paths``).
        ``disabled``: rule or heuristic ids (or names) switched off.
    Extraction and heuristics
        ``favor``: ``precision`` removes more (may lose some content), ``recall`` keeps more.
        ``include_comments``: keep user comments found in HTML pages.
        ``html_metadata``: ``fast`` reads the title, date, author, site name and URL a page
        declares (meta tags, JSON-LD); ``full`` runs trafilatura's metadata search, which finds
        more authors and dates, and takes longer.
        ``heuristics``: run the line heuristics on plain text (off: rules only).
        ``site_key``: how a document's site is found for site-scoped (learned) rules:
        ``auto`` (registered domain of the URL, else the directory under INPUT), ``domain``, ``dir``.
        ``learned_body_share``: a document on which learned site rules (``learned: true`` packs)
        marked at least this share of its lines gets the body classifier HEU010 told the site's
        chrome (:mod:`cleaner.heuristics.sitebody`) instead of the plain one (above 1: never).
    Records
        ``text_field``, ``html_field``, ``id_field``, ``url_field``: JSONL field names.
        ``input_format``: ``text``, ``html``, ``jsonl`` or ``warc``: read every input so,
        whatever its name says (default: from the name).
        ``tag_only``: write each document's source text untouched (the removals, in
        ``metadata.removed``, say what cleaning would remove; Dolma's attributes mode), and
        keep the documents cleaning would reject whole, with ``metadata.rejected``.
        ``source``: the ``source`` value of output records (default: the input's name).
        ``added``: ISO timestamp written as ``added`` (default: ``SOURCE_DATE_EPOCH`` or now).
    Limits
        ``max_bytes``: documents larger than this are rejected unread (``too_large``).
        ``max_gz_ratio``: a ``.gz`` input that expands more than this many times its size
        (and past 16 MiB) is a decompression bomb: the rest of it is rejected.
        ``doc_timeout``: seconds one document may take before it is rejected (``timeout``).
        ``rule_timeout``: seconds one regex rule may spend on one document.
    """

    rule_paths: tuple[str, ...] = ()
    default_rules: bool = True
    disabled: frozenset[str] = frozenset()
    favor: Favor = Favor.BALANCED
    include_comments: bool = False
    html_metadata: HtmlMetadata = HtmlMetadata.FAST
    heuristics: bool = True
    site_key: SiteKey = SiteKey.AUTO
    learned_body_share: float = 0.1
    text_field: str = "text"
    html_field: str = "html"
    id_field: str = "id"
    url_field: str = "url"
    input_format: str | None = None
    tag_only: bool = False
    source: str | None = None
    added: str | None = None
    max_bytes: int = 64 * 1024 * 1024
    max_gz_ratio: int = 100
    doc_timeout: float = 60.0
    rule_timeout: float = 2.0
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        for name, kind in _CHOICES.items():  # a plain string becomes its member, or a clear error
            object.__setattr__(self, name, kind.parse(getattr(self, name), name))
        if self.added:
            check_added(self.added)

    def with_(self, **changes) -> "Config":
        """A copy with some fields changed."""
        return replace(self, **changes)


def check_added(value: str) -> str:
    """``value`` if it is an ISO 8601 date or date and time (``Z`` for UTC allowed), else ConfigError.

    >>> check_added("2023-11-14T22:13:20.000Z")
    '2023-11-14T22:13:20.000Z'
    >>> check_added("yesterday")
    Traceback (most recent call last):
    ...
    cleaner.errors.ConfigError: --added must be an ISO 8601 date or timestamp (2023-11-14T22:13:20.000Z), not 'yesterday'
    """
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        datetime.fromisoformat(text)
    except (ValueError, TypeError):
        raise ConfigError("--added must be an ISO 8601 date or timestamp (2023-11-14T22:13:20.000Z), "
                          f"not {value!r}") from None
    return value


def resolve_added(value: str | None) -> str:
    """The ``added`` timestamp: an explicit value, else ``SOURCE_DATE_EPOCH``, else now (UTC)."""
    if value:
        return value
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (
        datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        if epoch and epoch.strip().isdigit()
        else datetime.now(tz=timezone.utc)
    )
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
