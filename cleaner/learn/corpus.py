"""Read a corpus once and learn its sites' boilerplate: ``cleaner mine`` and ``run --learn``.

Documents are read the way ``cleaner run`` reads them (same files, same decoding, HTML
through the same extraction), and each is keyed to its site the same way, so the rules
learned here fire on exactly the text and the documents they were learned from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterator

from ..errors import DocumentError
from ..pipeline import source_document
from ..rules.counts import counts_path, render_counts
from ..settings import Config
from ..sinks.atomic import write_atomic
from ..sources.readers import Limits, RawDocument, list_inputs, read_file
from .mine import MineConfig, Miner
from .pack import render_pack


@dataclass(frozen=True, slots=True)
class MineSummary:
    """Counts of one mining pass."""

    documents: int
    copies: int
    sites: int
    rules: int
    pruned: int

    def render(self) -> str:
        return (f"cleaner: mined {self.documents} documents ({self.copies} copies not counted) "
                f"in {self.sites} sites: {self.rules} learned rules"
                + (f"; {self.pruned} rare line hashes pruned to bound memory" if self.pruned else ""))


def iter_documents(input_path: str, config: Config, *,
                   follow_symlinks: bool = False) -> Iterator[tuple[str, str]]:
    """(site, text the rules will see) for every readable document under ``input_path``."""
    files, _ = list_inputs(input_path, follow_symlinks=follow_symlinks, fmt=config.input_format)
    limits = Limits(config.max_bytes, config.max_gz_ratio)
    for item in files:
        for doc in read_file(item, limits):
            if doc.data is None:
                continue  # ``run`` rejects it with its reason; there is nothing to learn from it
            try:
                site_text = _site_text(doc, config)
            except DocumentError:
                continue
            if site_text is not None:
                yield site_text


def _site_text(doc: RawDocument, config: Config) -> tuple[str, str] | None:
    """(site, text) of one document, read as ``run`` reads it; None when it has no site."""
    source = source_document(doc, config)
    return (source.site, source.text) if source.site is not None else None


def mine_corpus(input_path: str, config: Config, mine_config: MineConfig | None = None, *,
                follow_symlinks: bool = False) -> tuple[str, MineSummary, bytes]:
    """Mine ``input_path``: the learned pack as YAML text, the summary, and the line counts
    file to keep beside the pack (:mod:`cleaner.rules.counts`)."""
    miner = Miner(mine_config)
    for site, text in iter_documents(input_path, config, follow_symlinks=follow_symlinks):
        miner.add(site, text)
    pack, rules = render_pack(miner, os.path.basename(os.path.normpath(input_path)))
    summary = MineSummary(
        documents=sum(c.documents for c in miner.sites.values()),
        copies=sum(c.copies for c in miner.sites.values()),
        sites=len(miner.sites), rules=rules, pruned=miner.pruned,
    )
    return pack, summary, render_counts(miner)


def write_pack(text: str, path: str, counts: bytes | None = None) -> None:
    """Write a pack atomically (temporary file, then rename), and its line counts beside it."""
    write_atomic(path, text)
    if counts is not None:
        write_atomic(counts_path(path), counts)


def learned_pack_path(output: str) -> str:
    """Where ``run --learn`` keeps the pack it learned: ``OUTPUT.learned.yaml`` beside the output."""
    base = output[:-3] if output.endswith(".gz") else output
    base = base[:-6] if base.endswith(".jsonl") else base
    return base + ".learned.yaml"
