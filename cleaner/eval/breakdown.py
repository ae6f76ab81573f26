"""``cleaner eval --breakdown``: where content is lost, per page type and per language.

Plain-text dumps of the bench sets are labelled line by line (:mod:`cleaner.eval.linelabels`)
and cleaned by cleaner and by the text anchors (no cleaning, the C4 and RefinedWeb line
rules of :mod:`cleaner.eval.anchors`). Pages are grouped by set, by page type (wcxb's
``page_type``; scrapinghub-aeb pages are articles; trafilatura-eval has none) and by
language, and every group is reported separately for the ``dev`` and ``heldout`` halves of
the fixed split by site (:func:`cleaner.eval.linelabels.split_of`). Tune on ``dev`` only.

Figures of a group (lines pooled over its pages, tokens averaged over its pages):

- ``kept``: content recall, the share of ``keep`` lines found intact in the output;
- ``rem``: junk recall, the share of ``drop`` lines absent from it;
- ``jF1``: junk F1, with junk precision = junk lines removed / (junk lines removed + content
  lines lost), i.e. how much of what was removed was junk;
- ``tF1``: the token F1 of :func:`cleaner.eval.figures.page_prf` against the gold main text
  (pages with gold text only; the same figure as ``../shared/tools/bench_text.py``).

``regime`` says how much a scraper trimmed the text before cleaning (``--regime``): the whole
dump (the default), the dump cropped to a few lines around its content (text an extractor
already trimmed: most lines are content, the junk is inside and at the edges), or the gold
text alone (clean text: every line is content, so only ``kept`` means anything).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..settings import Config
from . import run as _ev
from .figures import page_prf
from .linelabels import LabelledPage, load_labelled_set, regime_pages
from .scoring import score_lines

SYSTEMS = ("cleaner", "identity", "c4", "refinedweb")
SPLITS = ("dev", "heldout")
GROUPINGS = ("set", "page_type", "language")


@dataclass(slots=True)
class GroupScore:
    """Pooled line counts and summed token F1 of one system on one group of pages."""

    pages: int = 0
    keep: int = 0
    keep_found: int = 0
    drop: int = 0
    drop_removed: int = 0
    token_pages: int = 0
    token_f1: float = 0.0

    @property
    def kept(self) -> float:
        return self.keep_found / self.keep if self.keep else 1.0

    @property
    def removed(self) -> float:
        return self.drop_removed / self.drop if self.drop else 1.0

    @property
    def junk_f1(self) -> float:
        lost = self.keep - self.keep_found
        precision = self.drop_removed / (self.drop_removed + lost) if self.drop_removed + lost else 1.0
        recall = self.removed
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    @property
    def tf1(self) -> float | None:
        return self.token_f1 / self.token_pages if self.token_pages else None

    def add(self, page: LabelledPage, output: str) -> None:
        s = score_lines(page.lines, output)
        self.pages += 1
        self.keep += s.keep
        self.keep_found += s.keep_found
        self.drop += s.drop
        self.drop_removed += s.drop_removed
        if page.gold_text:
            self.token_pages += 1
            self.token_f1 += page_prf(output, page.gold_text)[2]

    def as_dict(self) -> dict:
        return {"pages": self.pages, "keep": self.keep, "keep_found": self.keep_found, "drop": self.drop,
                "drop_removed": self.drop_removed, "kept": self.kept, "removed": self.removed,
                "junk_f1": self.junk_f1, "token_f1": self.tf1, "token_pages": self.token_pages}


@dataclass(slots=True)
class Breakdown:
    """split -> grouping -> group -> system -> score."""

    scores: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(dict))))
    systems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {split: {g: {name: {s: sc.as_dict() for s, sc in by_sys.items()} for name, by_sys in groups.items()}
                        for g, groups in by_grouping.items()} for split, by_grouping in self.scores.items()}


def run_system(system: str, pages: list[LabelledPage], pool=None) -> dict[tuple[str, str], str]:
    """(set, page id) -> the text ``system`` makes of each page's dump."""
    tasks = [(system, "text", f"{p.set}/{p.id}", p.text_path if p.text is None else p.text.encode("utf-8"), None)
             for p in pages]
    results = pool.imap(_ev.run_page, tasks, chunksize=4) if pool else map(_ev.run_page, tasks)
    out = {}
    for key, text, _error in results:
        set_name, _, pid = key.partition("/")
        out[(set_name, pid)] = text
    return out


def _groups(page: LabelledPage) -> dict[str, str]:
    return {"set": page.set, "page_type": page.page_type, "language": page.language}


def breakdown(set_dirs: list[str], *, config: Config | None = None, systems: list[str] | None = None,
              jobs: int = 1, limit: int | None = None, pages: list[LabelledPage] | None = None,
              regime: str = "dump") -> Breakdown:
    """Score ``systems`` on the labelled text dumps of the sets in ``set_dirs`` (or on ``pages``),
    each page as ``regime`` gives it (:func:`cleaner.eval.linelabels.page_regimes`: the whole
    dump, the dump cropped around its content, or the gold text alone)."""
    config = config or Config()
    if pages is None:
        pages = [p for root in set_dirs for p in load_labelled_set(root, limit)]
    pages = regime_pages(pages, regime)
    result = Breakdown(systems=list(systems or SYSTEMS))
    pool = _ev.open_pool(jobs, config, False)
    try:
        for system in result.systems:
            outputs = run_system(system, pages, pool)
            for page in pages:
                for grouping, group in _groups(page).items():
                    for split in (page.split, "all"):
                        by_sys = result.scores[split][grouping][group]
                        by_sys.setdefault(system, GroupScore()).add(page, outputs[(page.set, page.id)])
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return result


def _cell(score: GroupScore | None) -> str:
    if score is None:
        return f"{'':>23}"
    tf1 = f"{score.tf1:.3f}" if score.tf1 is not None else "  -  "
    return f"{score.kept:5.3f} {score.removed:5.3f} {score.junk_f1:5.3f} {tf1}"


def format_breakdown(result: Breakdown, splits: tuple[str, ...] = SPLITS) -> list[str]:
    """The printed tables: per split, one per grouping, a row per group, a block per system."""
    lines = []
    head = "".join(f" | {s:<23}" for s in result.systems)
    sub = "".join(f" | {'kept':>5} {'rem':>5} {'jF1':>5} {'tF1':>5}" for _ in result.systems)
    for split, grouping, rows in _ev.table_rows(result.scores, splits, GROUPINGS):
        lines.append(f"== {split} split, by {grouping.replace('_', ' ')}")
        lines.append(f"  {'group':<20} {'pages':>5}{head}")
        lines.append(f"  {'':<20} {'':>5}{sub}")
        for name, pages, by_sys in rows:
            lines.append(f"  {name:<20} {pages:5d}" + "".join(f" | {_cell(by_sys.get(s))}" for s in result.systems))
    return lines
