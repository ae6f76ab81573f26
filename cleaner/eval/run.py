"""``cleaner eval``: run cleaner and reference systems over gold sets and score them side by side.

Every system reads the same inputs in the same run: raw HTML pages (``html``) and plain
scraped dumps (``text``). cleaner runs in-process through :class:`cleaner.Cleaner` (one
instance reused), or in ``jobs`` worker processes each holding its own. A page cleaner
rejects, or a system fails on, counts as empty output. Wall time is kept per system.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass, field

from ..errors import ConfigError, DocumentError
from ..pipeline import Cleaner
from ..settings import Config
from .anchors import ANCHORS, missing_anchor
from .figures import SystemScore, score_outputs
from .goldsets import GoldPage, GoldSet, read_input

INPUTS = ("html", "text")
SYSTEMS = ("cleaner", *ANCHORS)


@dataclass(slots=True)
class EvalRun:
    """The scores of one eval run: set -> input -> system, and what was skipped and why."""

    scores: dict[str, dict[str, dict[str, SystemScore]]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Everything as a JSON-ready dict."""
        return {
            "sets": {name: {inp: {s: sc.as_dict() for s, sc in by_sys.items()} for inp, by_sys in by_inp.items()}
                     for name, by_inp in self.scores.items()},
            "skipped": dict(self.skipped),
            "errors": {k: v[:20] for k, v in self.errors.items()},
        }


# -- running one system on one page (in this process or in a worker) -------------------

_CLEANER: Cleaner | None = None
_WITH_URLS = False


def _init_worker(config: Config, with_urls: bool) -> None:
    global _CLEANER, _WITH_URLS
    _CLEANER, _WITH_URLS = Cleaner(config), with_urls


def _decode_dump(raw: bytes) -> str:
    """A text dump as ``open(path, encoding="utf-8").read()`` gives it (universal newlines)."""
    return raw.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def run_page(task: tuple[str, str, str, str | bytes, str | None]) -> tuple[str, str, str | None]:
    """(page id, output text, error or None) of one system on one page's input: a file path,
    or the input itself as bytes."""
    system, input_kind, page_id, path, url = task
    try:
        raw = path if isinstance(path, bytes) else read_input(path)
        if system == "cleaner":
            url = url if _WITH_URLS else None
            try:
                result = (_CLEANER.clean_html(raw, url=url) if input_kind == "html"
                          else _CLEANER.clean_text(raw, url=url))
            except DocumentError:
                return page_id, "", None
            return page_id, ("" if result.rejected else result.text), None
        anchor = ANCHORS[system]
        return page_id, anchor.run(raw if input_kind == "html" else _decode_dump(raw)), None
    except Exception as exc:  # a failing system scores an empty page, as in the shared scorers
        return page_id, "", f"{page_id}: {type(exc).__name__}: {str(exc)[:200]}"


# -- the run ---------------------------------------------------------------------------

def open_pool(jobs: int, config: Config, with_urls: bool = False):
    """Set up cleaner for this process (which checks the config) and, for ``jobs`` > 1, a pool
    of worker processes each holding its own; None for one job."""
    _init_worker(config, with_urls)
    if jobs <= 1:
        return None
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method).Pool(jobs, _init_worker, (config, with_urls))


def table_rows(scores: dict, splits: tuple[str, ...], groupings: tuple[str, ...]):
    """(split, grouping, rows) of a breakdown's ``scores`` (split -> grouping -> group -> system ->
    score with ``pages``) in print order; a row is (group, pages, system -> score), most pages first."""
    for split in splits:
        by_grouping = scores.get(split)
        if not by_grouping:
            continue
        for grouping in groupings:
            groups = by_grouping.get(grouping, {})
            names = sorted(groups, key=lambda g: (-next(iter(groups[g].values())).pages, g))
            yield split, grouping, [(g, next(iter(groups[g].values())).pages, groups[g]) for g in names]

def _metric(gold: GoldSet, pages: list[GoldPage]) -> str:
    if gold.kind == "lines":
        return "lines"
    return "tokens" if any(p.text is not None for p in pages) else "snippets"


def select_systems(names: str | None) -> list[str]:
    """The systems named in a comma-separated list (all when None), checked."""
    if names is None:
        return list(SYSTEMS)
    chosen = [x.strip() for x in names.split(",") if x.strip()]
    unknown = [x for x in chosen if x not in SYSTEMS]
    if unknown:
        raise ConfigError(f"unknown system {', '.join(unknown)}; known: {', '.join(SYSTEMS)}")
    return chosen


def evaluate(golds: list[GoldSet], *, config: Config | None = None, systems: list[str] | None = None,
             inputs: tuple[str, ...] = INPUTS, jobs: int = 1, with_urls: bool = False,
             report=None) -> EvalRun:
    """Score ``systems`` on ``inputs`` of every gold set; ``report(line)`` hears each row as it is done."""
    config = config or Config()
    systems = list(systems or SYSTEMS)
    run = EvalRun()
    usable = []
    for name in systems:
        problem = missing_anchor(name) if name != "cleaner" else None
        if problem:
            run.skipped[name] = problem
        else:
            usable.append(name)
    pool = open_pool(jobs, config, with_urls)
    try:
        for gold in golds:
            for input_kind in inputs:
                if input_kind == "html" and gold.kind == "lines":
                    continue
                pages = gold.pages_for(input_kind)
                if not pages:
                    continue
                metric = _metric(gold, pages)
                by_system = run.scores.setdefault(gold.name, {}).setdefault(input_kind, {})
                if report:
                    report(_header(gold.name, input_kind, len(pages), metric))
                for name in usable:
                    if name != "cleaner" and ANCHORS[name].input != input_kind:
                        continue
                    tasks = [(name, input_kind, p.id, p.html_path if input_kind == "html" else p.text_path, p.url)
                             for p in pages]
                    start = time.perf_counter()
                    results = pool.imap(run_page, tasks, chunksize=4) if pool else map(run_page, tasks)
                    outputs, errors = {}, []
                    for page_id, text, error in results:
                        outputs[page_id] = text
                        if error:
                            errors.append(error)
                    score = score_outputs(pages, outputs, metric)
                    score.seconds = time.perf_counter() - start
                    by_system[name] = score
                    if errors:
                        run.errors[f"{gold.name}/{input_kind}/{name}"] = errors
                    if report:
                        report(format_row(name, score, len(errors)))
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return run


# -- printing ---------------------------------------------------------------------------

_WHAT = {"tokens": "token P/R/F1 averaged over pages", "snippets": "snippets pooled over pages (P/R/F1, accuracy)",
         "lines": "line labels: content recall / junk recall"}


def _header(name: str, input_kind: str, pages: int, metric: str) -> str:
    source = "raw HTML" if input_kind == "html" else "plain-text dumps"
    if metric == "lines":
        cols = f"  {'system':<22} {'content':>7} {'junk':>7}  {'secs':>7}  empty"
    else:
        cols = f"  {'system':<22} {'P':>5}  {'R':>5}  {'F1':>5}" + ("    acc" if metric == "snippets" else "") \
            + f"  {'secs':>7}  empty"
    return f"== {name}  {source}, {pages} pages  ({_WHAT[metric]})\n{cols}"


def format_row(name: str, score: SystemScore, errors: int = 0) -> str:
    """One printed row of figures."""
    if score.metric == "lines":
        figures = f"{score.content_recall:7.3f} {score.junk_recall:7.3f}"
    else:
        figures = f"{score.precision:.3f}  {score.recall:.3f}  {score.f1:.3f}"
        if score.accuracy is not None:
            figures += f"  {score.accuracy:.3f}"
    tail = f"  errors={errors}" if errors else ""
    return f"  {name:<22} {figures}  {score.seconds:7.1f}  {score.empty:5d}{tail}"
