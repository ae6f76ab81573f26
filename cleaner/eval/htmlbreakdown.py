"""``cleaner eval --breakdown --inputs html``: HTML token F1 per set and page type, beside the anchors.

The raw HTML pages of the bench sets that have gold main text are extracted by cleaner
and by the HTML anchors (trafilatura default and ``favor_precision``, readability-lxml,
resiliparse; those not installed are left out) in the same run. Pages are grouped by set
and by page type (wcxb's ``page_type``; scrapinghub-aeb pages are articles, other sets
without one are ``unknown``), and every group is reported for the ``dev`` and ``heldout``
halves of the fixed split by site (:func:`cleaner.eval.linelabels.split_of`) apart. Tune on
``dev`` only. The figure is the token F1 of :func:`cleaner.eval.figures.page_prf`,
averaged over the group's pages (as ``../shared/tools/bench_html.py``); the last column
names the best anchor of the group.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field

from ..settings import Config
from . import run as _ev
from .anchors import ANCHORS, missing_anchor
from .figures import page_prf
from .linelabels import read_ground_truth, split_of

SYSTEMS = ("cleaner", "trafilatura", "trafilatura_precision", "readability", "resiliparse")
SPLITS = ("dev", "heldout")
GROUPINGS = ("set", "page_type")


@dataclass(slots=True)
class HtmlPage:
    """One bench page with gold main text: where its HTML is and what the report groups it by."""

    set: str
    id: str
    html_path: str
    url: str | None
    page_type: str
    split: str
    gold_text: str


@dataclass(slots=True)
class TokenScore:
    """Summed token F1 of one system over a group of pages."""

    pages: int = 0
    f1_sum: float = 0.0

    @property
    def f1(self) -> float:
        return self.f1_sum / self.pages if self.pages else 0.0

    def add(self, f1: float) -> None:
        self.pages += 1
        self.f1_sum += f1


@dataclass(slots=True)
class HtmlBreakdown:
    """split -> grouping -> group -> system -> score, and each page's F1 per system."""

    scores: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(dict))))
    systems: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    pages: dict[str, dict[str, float]] = field(default_factory=dict)  # "set/id" -> system -> F1

    def as_dict(self) -> dict:
        return {"html": {split: {g: {name: {s: {"pages": sc.pages, "token_f1": sc.f1} for s, sc in by_sys.items()}
                                     for name, by_sys in groups.items()}
                                 for g, groups in by_grouping.items()}
                         for split, by_grouping in self.scores.items()},
                "skipped": dict(self.skipped), "pages": self.pages}


def load_html_pages(root: str, limit: int | None = None) -> list[HtmlPage]:
    """Every page of the bench set at ``root`` with gold main text and its HTML file."""
    name, records = read_ground_truth(root, limit)
    pages = []
    for rec in records:
        pid, gold = str(rec["id"]), rec.get("text")
        path = os.path.join(root, rec.get("html_file") or f"html/{pid}.html.gz")
        if not gold or not os.path.exists(path):
            continue
        page_type = rec.get("page_type") or ("article" if name.startswith("scrapinghub") else "unknown")
        pages.append(HtmlPage(name, pid, path, rec.get("url"), page_type, split_of(rec.get("url")), gold))
    return pages


def _outputs(system: str, pages: list[HtmlPage], pool, with_urls: bool) -> dict[str, str]:
    tasks = [(system, "html", f"{p.set}/{p.id}", p.html_path, p.url if with_urls else None) for p in pages]
    results = pool.imap(_ev.run_page, tasks, chunksize=4) if pool else map(_ev.run_page, tasks)
    return {key: text for key, text, _error in results}


def html_breakdown(set_dirs: list[str], *, config: Config | None = None, systems: list[str] | None = None,
                   jobs: int = 1, limit: int | None = None, with_urls: bool = False,
                   pages: list[HtmlPage] | None = None) -> HtmlBreakdown:
    """Score ``systems`` on the HTML pages of the sets in ``set_dirs`` (or on ``pages``)."""
    config = config or Config()
    if pages is None:
        pages = [p for root in set_dirs for p in load_html_pages(root, limit)]
    result = HtmlBreakdown()
    for system in systems or SYSTEMS:
        problem = missing_anchor(system) if system != "cleaner" else None
        if problem:
            result.skipped[system] = problem
        elif system == "cleaner" or ANCHORS[system].input == "html":
            result.systems.append(system)
    pool = _ev.open_pool(jobs, config, with_urls)
    try:
        for system in result.systems:
            outputs = _outputs(system, pages, pool, with_urls)
            for page in pages:
                key = f"{page.set}/{page.id}"
                f1 = page_prf(outputs[key], page.gold_text)[2]
                result.pages.setdefault(key, {})[system] = f1
                for grouping, group in (("set", page.set), ("page_type", page.page_type)):
                    for split in (page.split, "all"):
                        result.scores[split][grouping][group].setdefault(system, TokenScore()).add(f1)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return result


def _best_anchor(by_sys: dict[str, TokenScore]) -> str:
    anchors = [(sc.f1, name) for name, sc in by_sys.items() if name != "cleaner"]
    if not anchors:
        return ""
    f1, name = max(anchors)
    return f"{f1:.3f} {name}"


def format_html_breakdown(result: HtmlBreakdown, splits: tuple[str, ...] = SPLITS) -> list[str]:
    """The printed tables: per split and grouping, a row per group, a column per system."""
    names = {"trafilatura_precision": "traf_prec"}
    head = "".join(f" {names.get(s, s)[:11]:>11}" for s in result.systems)
    lines = []
    for split, grouping, rows in _ev.table_rows(result.scores, splits, GROUPINGS):
        lines.append(f"== HTML token F1, {split} split, by {grouping.replace('_', ' ')}")
        lines.append(f"  {'group':<20} {'pages':>5}{head}  best anchor")
        for name, pages, by_sys in rows:
            cells = "".join(f" {by_sys[s].f1:11.3f}" if s in by_sys else f" {'':>11}" for s in result.systems)
            lines.append(f"  {name:<20} {pages:5d}{cells}  {_best_anchor(by_sys)}")
    for name, why in result.skipped.items():
        lines.append(f"skipped {name}: {why}")
    return lines
