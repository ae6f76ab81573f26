"""Quality gate: cleaner's figures on a small sample of each bench set stay above pinned floors.

The floors live in ``tests/quality_floors.json`` so that lowering one is a visible diff. They
are kept per ``--favor`` (the file's ``about`` says what each favor answers to):

- ``precision``, the article-only output: token F1 against each set's gold;
- ``balanced``, the default: token F1 (HTML on every set; plain text on the set whose gold
  covers every page type, and on the others as a guard), token F1 at or above no cleaning on
  every plain-text set, and line-label figures (content lines kept, junk F1) on the dev half
  of the split by site, on the whole dumps and on the same pages cropped around their content
  or reduced to their gold text (:func:`cleaner.eval.linelabels.page_regimes`): cleaning text
  a scraper already trimmed, or clean text, must keep its content.

The bench sets are third-party data read from ``../shared/bench`` beside the repository
(or ``$CLEANER_BENCH_DIR``), never copied into it; the gate is skipped when they are absent.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from cleaner.eval.breakdown import breakdown
from cleaner.eval.goldsets import load_gold_set
from cleaner.eval.linelabels import load_labelled_set
from cleaner.eval.run import evaluate
from cleaner.settings import Config

ROOT = Path(__file__).resolve().parents[2]
SPEC = json.loads((ROOT / "tests" / "quality_floors.json").read_text(encoding="utf-8"))
FAVORS = SPEC["favors"]
TOKEN_CASES = [(favor, name, kind) for favor, spec in FAVORS.items()
               for name, by_input in spec["token_f1"].items() for kind in by_input]
LINES = FAVORS["balanced"]["lines"]
LINE_CASES = [(name, figure) for name, figures in LINES["floors"].items() for figure in figures]
REGIME_CASES = [(regime, name, figure) for regime, floors in LINES.get("regimes", {}).items()
                for name, figures in floors.items() for figure in figures]
TEXT_SETS = sorted({name for spec in FAVORS.values() for name, by_input in spec["token_f1"].items()
                    if "text" in by_input})


def find_bench() -> Path | None:
    """The directory holding the bench sets, or None."""
    first = next(iter(FAVORS["balanced"]["token_f1"]))
    candidates = [os.environ.get("CLEANER_BENCH_DIR"), ROOT.parent / "shared" / "bench",
                  ROOT.parent.parent / "shared" / "bench"]  # a worktree under <project>/wt/
    for place in candidates:
        if place and (Path(place) / first / "ground-truth.jsonl").is_file():
            return Path(place)
    return None


BENCH = find_bench()


def _bench() -> Path:
    if BENCH is None:
        pytest.skip("bench sets not found in ../shared/bench (set CLEANER_BENCH_DIR to run the quality gate)")
    return BENCH


@pytest.fixture(scope="module")
def measured():
    """favor -> set -> input -> system -> score, on the first ``pages`` pages by id of each set."""
    bench = _bench()
    out = {}
    for favor, spec in FAVORS.items():
        names = [n for n in spec["token_f1"] if (bench / n / "ground-truth.jsonl").is_file()]
        inputs = tuple(sorted({kind for n in names for kind in spec["token_f1"][n]}))
        golds = [load_gold_set(str(bench / n), SPEC["pages"], sort_by_id=True) for n in names]
        systems = ["cleaner", "identity"] if spec.get("above_no_cleaning") else ["cleaner"]
        out[favor] = evaluate(golds, config=replace(Config(), favor=favor), systems=systems, inputs=inputs).scores
    return out


@pytest.fixture(scope="module")
def line_figures():
    """set -> the default's line-label figures on the dev-split pages among the first ``pages`` of each set."""
    bench = _bench()
    pages = [p for name in LINES["floors"] if (bench / name).is_dir()
             for p in load_labelled_set(str(bench / name), LINES["pages"]) if p.split == LINES["split"]]
    result = breakdown([], config=Config(), systems=["cleaner"], pages=pages)
    return {name: by_sys["cleaner"] for name, by_sys in result.scores[LINES["split"]]["set"].items()}


@pytest.fixture(scope="module")
def regime_figures():
    """regime -> set -> the default's line figures on the same pages, each page cropped around
    its content (``crop``: text a scraper already trimmed) or reduced to its gold text (``gold``)."""
    bench = _bench()
    out = {}
    for regime, floors in LINES.get("regimes", {}).items():
        pages = [p for name in floors if (bench / name).is_dir()
                 for p in load_labelled_set(str(bench / name), LINES["pages"]) if p.split == LINES["split"]]
        result = breakdown([], config=Config(), systems=["cleaner"], pages=pages, regime=regime)
        out[regime] = {name: by_sys["cleaner"] for name, by_sys in result.scores[LINES["split"]]["set"].items()}
    return out


@pytest.mark.parametrize("favor,name,kind", TOKEN_CASES, ids=[f"{f}-{n}-{k}" for f, n, k in TOKEN_CASES])
def test_f1_stays_above_floor(measured, favor, name, kind):
    if name not in measured[favor]:
        pytest.skip(f"bench set {name} not found in {BENCH}")
    score = measured[favor][name][kind]["cleaner"]
    floor = FAVORS[favor]["token_f1"][name][kind]
    assert SPEC["pages"] == score.pages
    assert score.f1 >= floor, (f"{favor} {name} {kind}: F1 {score.f1:.3f} fell below its floor {floor:.3f} "
                               f"(P {score.precision:.3f}, R {score.recall:.3f}, {score.empty} empty pages)")


@pytest.mark.parametrize("name", TEXT_SETS)
def test_default_text_is_never_below_no_cleaning(measured, name):
    if name not in measured["balanced"]:
        pytest.skip(f"bench set {name} not found in {BENCH}")
    by_system = measured["balanced"][name]["text"]
    assert by_system["cleaner"].f1 >= by_system["identity"].f1, (
        f"{name} text: the default's F1 {by_system['cleaner'].f1:.3f} is below no cleaning's "
        f"{by_system['identity'].f1:.3f}")


@pytest.mark.parametrize("name,figure", LINE_CASES, ids=[f"{n}-{f}" for n, f in LINE_CASES])
def test_default_line_figures_stay_above_floor(line_figures, name, figure):
    if name not in line_figures:
        pytest.skip(f"bench set {name} not found in {BENCH}")
    score = line_figures[name]
    value = {"kept": score.kept, "junk_f1": score.junk_f1}[figure]
    floor = LINES["floors"][name][figure]
    assert value >= floor, (f"{name}: {figure} {value:.3f} fell below its floor {floor:.3f} "
                            f"(kept {score.kept:.3f}, removed {score.removed:.3f}, {score.pages} pages)")


@pytest.mark.parametrize("regime,name,figure", REGIME_CASES, ids=[f"{r}-{n}-{f}" for r, n, f in REGIME_CASES])
def test_default_keeps_the_content_of_trimmed_and_clean_text(regime_figures, regime, name, figure):
    if name not in regime_figures[regime]:
        pytest.skip(f"bench set {name} not found in {BENCH}")
    score = regime_figures[regime][name]
    value = {"kept": score.kept, "junk_f1": score.junk_f1}[figure]
    floor = LINES["regimes"][regime][name][figure]
    assert value >= floor, (f"{name} ({regime}): {figure} {value:.3f} fell below its floor {floor:.3f} "
                            f"(kept {score.kept:.3f}, removed {score.removed:.3f}, {score.pages} pages)")


def test_every_floor_is_a_fraction():
    floors = [f for spec in FAVORS.values() for by_input in spec["token_f1"].values() for f in by_input.values()]
    floors += [f for figures in LINES["floors"].values() for f in figures.values()]
    floors += [f for by_set in LINES.get("regimes", {}).values() for figures in by_set.values() for f in figures.values()]
    assert all(0.0 < f < 1.0 for f in floors)
    assert {"precision", "balanced"} == set(FAVORS)
    assert all({"html", "text"} >= set(by_input) for spec in FAVORS.values() for by_input in spec["token_f1"].values())
    assert all({"kept", "junk_f1"} == set(figures) for figures in LINES["floors"].values())
    assert {"crop", "gold"} >= set(LINES.get("regimes", {}))
