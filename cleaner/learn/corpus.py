"""Read a corpus once and learn its sites' boilerplate: ``cleaner mine`` and ``run --learn``.

Documents are read the way ``cleaner run`` reads them (same files, same decoding, HTML
through the same extraction), and each is keyed to its site the same way, so the rules
learned here fire on exactly the text and the documents they were learned from.
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Callable, ContextManager, Iterator

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
    timed_out: int = 0  # documents passed over: longer than --doc-timeout

    def render(self) -> str:
        return (f"cleaner: mined {self.documents} documents ({self.copies} copies not counted) "
                f"in {self.sites} sites: {self.rules} learned rules"
                + (f"; {self.pruned} rare line hashes pruned to bound memory" if self.pruned else "")
                + (f"; {self.timed_out} documents passed over (longer than --doc-timeout)"
                   if self.timed_out else ""))


TimeLimit = Callable[[float], ContextManager]  # seconds -> a block that raises DocumentError("timeout")


def iter_documents(input_path: str, config: Config, *, follow_symlinks: bool = False,
                   time_limit: TimeLimit | None = None,
                   timed_out: list[str] | None = None) -> Iterator[tuple[str, str]]:
    """(site, text the rules will see) for every readable document under ``input_path``.

    With ``time_limit``, each document is read under ``config.doc_timeout`` as ``run`` cleans
    it; one that takes longer is passed over and its path added to ``timed_out``.
    """
    files, _ = list_inputs(input_path, follow_symlinks=follow_symlinks, fmt=config.input_format)
    limits = Limits(config.max_bytes, config.max_gz_ratio)
    for item in files:
        for doc in read_file(item, limits):
            if doc.data is None:
                continue  # ``run`` rejects it with its reason; there is nothing to learn from it
            try:
                with time_limit(config.doc_timeout) if time_limit else nullcontext():
                    site_text = _site_text(doc, config)
            except DocumentError as exc:
                if exc.reason == "timeout" and timed_out is not None:
                    timed_out.append(doc.relpath)
                continue
            if site_text is not None:
                yield site_text


def _site_text(doc: RawDocument, config: Config) -> tuple[str, str] | None:
    """(site, text) of one document, read as ``run`` reads it; None when it has no site."""
    source = source_document(doc, config)
    return (source.site, source.text) if source.site is not None else None


def mine_corpus(input_path: str, config: Config, mine_config: MineConfig | None = None, *,
                follow_symlinks: bool = False,
                time_limit: TimeLimit | None = None) -> tuple[str, MineSummary, bytes]:
    """Mine ``input_path``: the learned pack as YAML text, the summary, and the line counts
    file to keep beside the pack (:mod:`cleaner.rules.counts`). ``time_limit`` bounds each
    document (the engine's :func:`cleaner.run.worker.time_limit`, given by the command line)."""
    miner = Miner(mine_config)
    timed_out: list[str] = []
    for site, text in iter_documents(input_path, config, follow_symlinks=follow_symlinks,
                                     time_limit=time_limit, timed_out=timed_out):
        miner.add(site, text)
    pack, rules = render_pack(miner, os.path.basename(os.path.normpath(input_path)))
    summary = MineSummary(
        documents=sum(c.documents for c in miner.sites.values()),
        copies=sum(c.copies for c in miner.sites.values()),
        sites=len(miner.sites), rules=rules, pruned=miner.pruned, timed_out=len(timed_out),
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
