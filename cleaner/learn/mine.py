"""Learn a site's boilerplate from the corpus itself: lines that recur across its pages.

A crawl holds many pages per site. The site's chrome (menus, footers, cookie notices,
"Related" boxes) repeats on most of them; its articles do not. :class:`Miner` reads every
document once, groups it by site (:func:`cleaner.sources.sites.site_key`) and counts in how many
documents of the site each line occurs. Lines are counted as hashes of their normalised
form (case folded, digits folded to ``0``), so ``© 2024`` and ``© 2025`` are one line.
:mod:`cleaner.learn.pack` turns what recurs into an ordinary rule pack.

Memory is bounded: a site keeps at most ``max_hashes_per_site`` distinct line hashes and
all sites together at most ``max_hashes``. Past a cap the rarest hashes are pruned (those
seen in one document first, then two, ...), as in lossy counting: a line pruned early can
be undercounted, never overcounted. Only hashes seen twice keep a real example line.

What is never learned, however often it recurs:

- a line seen in one site only through copies of one page (a document whose lines equal
  those of an earlier document of its site is a copy and is not counted);
- a quoted statement several articles share (a sentence of 10+ words with quotation marks)
  unless it is on ``quote_share`` of a site's pages and the site has ``quote_min_docs``;
  other sentences need ``prose_share`` of the site's pages;
- lines over ``max_words`` words;
- a line that is the title (first line) of some documents but body text of others;
- lines containing a phrase of the ``keep`` allowlist (a standard disclaimer to keep).

Syndicated copies of one article on several sites are not boilerplate: counts are per
site, so text repeated across sites never adds up.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import regex

from ..lines.normalize import count_words, line_hash, line_key

_DIGITS = regex.compile(r"\d+")
_QUOTED = regex.compile(r"[\"“”„«»]|(?:^|\s)['‘][^'’]+['’](?:\s|$)")
_PROSE_END = (".", "!", "?", ".\"", ".'", ".”", "!”", "?”", ".)", "”", "\"")


@dataclass(frozen=True)
class MineConfig:
    """Thresholds and caps of mining; the defaults suit crawls of a few pages per site and up.

    ``min_docs``: a line must recur in at least this many documents of its site;
    ``min_share``: ... and in at least this share of the site's documents.
    ``prose_share``: the stricter share for sentence-shaped lines (below it, the graded share
    signal of :mod:`cleaner.rules.counts` still leans HEU010 against them);
    ``quote_min_docs``/``quote_share``: the strictest bar, for sentences with quotation marks.
    ``max_words``: longer lines are never learned. ``keep``: allowlisted phrases.
    ``max_hashes_per_site``/``max_hashes``: caps on distinct line hashes held in memory.
    ``examples``: real occurrences kept per learned line.
    """

    min_docs: int = 3
    min_share: float = 0.3
    prose_share: float = 0.8
    quote_min_docs: int = 8
    quote_share: float = 0.8
    max_words: int = 40
    keep: tuple[str, ...] = ()
    max_hashes_per_site: int = 50_000
    max_hashes: int = 1_000_000
    examples: int = 3


def looks_like_prose(text: str) -> bool:
    """A sentence of running text rather than a label, link or menu item."""
    words = count_words(text)
    return words > 25 or (words >= 10 and text.rstrip().endswith(_PROSE_END))


def _signature(rows: list[str]) -> int:
    """What identifies a copy of one page: all its lines, exactly (digits count).

    Not a few of its longest lines: on many sites those are the site's own long legal or
    cookie text, the same on every page.
    """
    return int.from_bytes(hashlib.blake2b("\n".join(rows).encode("utf-8", "surrogatepass"),
                                         digest_size=8).digest(), "big")


@dataclass(slots=True)
class LineStats:
    """What is kept about a line hash seen in two or more documents of a site."""

    examples: list[str]
    prev: int  # hash of the line above it, where it was first kept
    position: float  # sum of relative positions (0 top .. 1 bottom) over the documents
    titles: int = 0  # documents where it is the first line


@dataclass(slots=True)
class SiteCounts:
    """Per-site counters: documents, line hashes, and what identifies copies of one page."""

    documents: int = 0
    copies: int = 0
    counts: dict[int, int] = field(default_factory=dict)
    stats: dict[int, LineStats] = field(default_factory=dict)
    titles: dict[int, int] = field(default_factory=dict)  # title counts of hashes seen once
    signatures: set[int] = field(default_factory=set)
    floor: int = 0  # hashes with counts <= floor were pruned at some point


class Miner:
    """Counts recurring lines per site over one pass of the corpus."""

    def __init__(self, config: MineConfig | None = None):
        self.config = config or MineConfig()
        self.sites: dict[str, SiteCounts] = {}
        self.total_hashes = 0
        self.pruned = 0

    def add(self, site: str, text: str) -> None:
        """Count the lines of one document of ``site``."""
        rows = [ln.strip() for ln in text.split("\n")]
        rows = [r for r in rows if r]
        if not rows:
            return
        counts = self.sites.setdefault(site, SiteCounts())
        hashes = [line_hash(r) for r in rows]
        signature = _signature(rows)
        if signature in counts.signatures:
            counts.copies += 1
            return
        counts.signatures.add(signature)
        counts.documents += 1
        seen: set[int] = set()
        last = max(1, len(rows) - 1)
        for i, (row, h) in enumerate(zip(rows, hashes)):
            if h in seen:
                continue
            seen.add(h)
            n = counts.counts.get(h, 0) + 1
            counts.counts[h] = n
            title = 1 if i == 0 else 0
            if n == 1:
                self.total_hashes += 1
                if title:
                    counts.titles[h] = 1
                continue
            info = counts.stats.get(h)
            if info is None:
                info = LineStats([], hashes[i - 1] if i else 0, 0.0, counts.titles.pop(h, 0))
                counts.stats[h] = info
            info.position += i / last
            info.titles += title
            if len(info.examples) < self.config.examples and row not in info.examples:
                info.examples.append(row)
        if len(counts.counts) > self.config.max_hashes_per_site:
            self._prune(counts, self.config.max_hashes_per_site // 2)
        if self.total_hashes > self.config.max_hashes:
            for site_counts in sorted(self.sites.values(), key=lambda c: -len(c.counts)):
                self._prune(site_counts, len(site_counts.counts) // 2)
                if self.total_hashes <= self.config.max_hashes // 2:
                    break

    def _prune(self, counts: SiteCounts, target: int) -> None:
        """Drop the rarest hashes of a site until at most ``target`` remain."""
        level = counts.floor
        while len(counts.counts) > target:
            level += 1
            drop = [h for h, n in counts.counts.items() if n <= level]
            for h in drop:
                del counts.counts[h]
                counts.stats.pop(h, None)
                counts.titles.pop(h, None)
            self.total_hashes -= len(drop)
            self.pruned += len(drop)
        counts.floor = level

    def threshold(self, counts: SiteCounts) -> int:
        """Documents a line needs to be learned for a site of ``counts.documents`` pages."""
        cfg = self.config
        return max(cfg.min_docs, -(-int(cfg.min_share * counts.documents * 1000) // 1000))

    def protected(self, counts: SiteCounts, n: int, info: LineStats) -> str | None:
        """Why a recurring line must not be learned (a short reason), or None."""
        cfg = self.config
        text = info.examples[0]
        if count_words(text) > cfg.max_words:
            return "long_line"
        key = line_key(text)
        if any(line_key(k) in key for k in cfg.keep):
            return "allowlisted"
        if looks_like_prose(text):
            if _QUOTED.search(text) and (counts.documents < cfg.quote_min_docs
                                         or n < cfg.quote_share * counts.documents):
                return "quoted_statement"
            if n < cfg.prose_share * counts.documents:
                return "prose"
        if 0 < info.titles < n / 2:
            return "title"
        return None

    def shared_lines(self) -> dict[str, tuple[int, dict[int, int]]]:
        """Per site of two documents or more: its documents and the counts of its lines seen in
        two or more of them (hash -> documents), allowlisted and title lines left out.

        Unlike rules this needs no ``min_docs``: a line on both pages of a two-page site is only
        leaned against (:mod:`cleaner.rules.counts`), never dropped outright.
        """
        out: dict[str, tuple[int, dict[int, int]]] = {}
        for site in sorted(self.sites):
            counts = self.sites[site]
            if counts.documents < 2:
                continue
            shared = {h: n for h, n in counts.counts.items()
                      if n >= 2 and h in counts.stats and self.protected(counts, n, counts.stats[h])
                      not in ("allowlisted", "title")}
            if shared:
                out[site] = (counts.documents, dict(sorted(shared.items())))
        return out

    def findings(self) -> dict[str, list[tuple[int, int, LineStats]]]:
        """Per site, the learned lines as (hash, documents, stats), in page order."""
        out: dict[str, list[tuple[int, int, LineStats]]] = {}
        for site in sorted(self.sites):
            counts = self.sites[site]
            need = self.threshold(counts)
            rows = [(h, n, counts.stats[h]) for h, n in counts.counts.items()
                    if n >= need and h in counts.stats]
            rows = [r for r in rows if self.protected(counts, r[1], r[2]) is None]
            if rows:
                rows.sort(key=lambda r: (r[2].position / max(1, r[1] - 1), r[2].examples[0]))
                out[site] = rows
        return out
