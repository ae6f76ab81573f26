"""Every heuristic shows what it removes and what it must keep, and gets its own examples right."""

from __future__ import annotations

import dataclasses

import pytest

from cleaner.heuristics import HEURISTICS
from cleaner.heuristics.registry import Example, check_heuristic, removed_by


@pytest.mark.parametrize("h", HEURISTICS, ids=lambda h: h.id)
def test_each_heuristic_has_a_removal_and_a_look_alike(h):
    assert any(ex.removes for ex in h.examples), f"{h.id}: no example of what it removes"
    assert any(not ex.removes for ex in h.examples), f"{h.id}: no look-alike it must keep"


@pytest.mark.parametrize("h", HEURISTICS, ids=lambda h: h.id)
def test_each_heuristic_passes_its_examples(h):
    assert [] == check_heuristic(h)


def test_a_wrong_expectation_is_reported():
    h = next(h for h in HEURISTICS if h.id == "HEU002")
    wrong = dataclasses.replace(h, examples=tuple(dataclasses.replace(ex, removes=()) for ex in h.examples))
    failures = check_heuristic(wrong)
    assert len(failures) == 1 and "HEU002" in failures[0] and "'Reuters'" in failures[0]


def test_the_examples_run_the_heuristic_alone():
    h = next(h for h in HEURISTICS if h.id == "HEU001")
    # HEU002 would take these two short labels; HEU001 alone leaves them
    assert [] == removed_by(h, Example("Reuters\nWorld News\nSome text here, in a sentence.\n"))
