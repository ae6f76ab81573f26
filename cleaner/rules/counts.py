"""How many of a site's pages share each line: the graded signal kept beside a learned pack.

A learned rule is all or nothing: a line on 30% or more of a site's pages goes, a line on
25% of them stays whole. Between the two, how widely a line is shared is still evidence:
the body classifier (HEU010) takes it as a bias on the line's score, ``-SHARE_WEIGHT``
times the share of the site's *other* pages that hold the line (0 for a line of this page
alone). A menu entry on a fifth of the pages leans towards boilerplate; an article's own
sentences are untouched.

``cleaner mine`` and ``run --learn`` write the counts next to the pack
(``learned.yaml`` -> ``learned.counts.gz``): gzip'd JSON lines, one per site, with the
site's documents and, per line seen in two or more of them, the 64-bit hash of its
normalised form (:func:`cleaner.learn.mine.line_hash`) and its count. Only what the miner kept
within its memory caps is written, and never a protected line (a title, a quoted
statement, an allowlisted phrase). A :class:`~cleaner.pipeline.Cleaner` loading a learned
pack reads the file beside it when there is one; delete it to use the rules alone.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
from typing import TYPE_CHECKING, Callable

from ..errors import ConfigError
from ..lines.normalize import line_hash

if TYPE_CHECKING:  # the writer takes the miner of cleaner.learn.mine, the reader needs none of it
    from ..learn.mine import Miner

SHARE_WEIGHT = 4.0  # bias per unit of share: a line on every other page of the site gets -4
FORMAT = "cleaner-line-counts"

SiteLines = dict[str, tuple[int, dict[int, int]]]  # site -> (documents, line hash -> documents)


def counts_path(pack_path: str) -> str:
    """The counts file kept beside a learned pack: ``X.yaml`` -> ``X.counts.gz``."""
    base, ext = os.path.splitext(pack_path)
    return (base if ext in (".yaml", ".yml") else pack_path) + ".counts.gz"


def render_counts(miner: "Miner") -> bytes:
    """The counts of ``miner``'s shared lines as deterministic gzip'd JSON lines."""
    out = io.StringIO()
    out.write(json.dumps({"format": FORMAT, "version": 1}) + "\n")
    for site, (documents, lines) in miner.shared_lines().items():
        out.write(json.dumps({"site": site, "documents": documents,
                              "lines": {f"{h:016x}": n for h, n in lines.items()}},
                             ensure_ascii=False, separators=(",", ":")) + "\n")
    return gzip.compress(out.getvalue().encode("utf-8"), mtime=0)


def load_counts(paths: list[str]) -> tuple[SiteLines, str]:
    """The site tables of the counts files among ``paths`` that exist, and a digest of them."""
    sites: SiteLines = {}
    digest = hashlib.sha256()
    for path in paths:
        if not os.path.isfile(path):
            continue
        try:
            with open(path, "rb") as fh:
                raw = fh.read()
            rows = gzip.decompress(raw).decode("utf-8").splitlines()
            head = json.loads(rows[0]) if rows else {}
            if head.get("format") != FORMAT:
                raise ValueError("not a line-counts file")
            for row in rows[1:]:
                item = json.loads(row)
                lines = {int(h, 16): int(n) for h, n in item["lines"].items()}
                sites[str(item["site"])] = (int(item["documents"]), lines)
        except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
            raise ConfigError(f"cannot read line counts {path}: {exc}") from None
        digest.update(raw)
    return sites, digest.hexdigest()[:16]


def share_bias(sites: SiteLines, site: str | None) -> Callable[[str], float] | None:
    """The per-line bias for documents of ``site`` (None when nothing is known of it)."""
    known = sites.get(site) if site is not None else None
    if known is None or known[0] < 2:
        return None
    documents, lines = known

    def bias(text: str) -> float:
        n = lines.get(line_hash(text.strip()), 1)
        return -SHARE_WEIGHT * (n - 1) / (documents - 1) if n > 1 else 0.0

    return bias
