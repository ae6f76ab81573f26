"""Every shipped rule's own examples, one test per rule id (``pytest -k PROMO003``)."""

import pytest

from cleaner import Cleaner
from cleaner.rules.examples import check_rule

RULES = Cleaner().rules


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples(rule):
    assert [] == [str(f) for f in check_rule(rule)]


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_is_documented_with_both_kinds_of_example(rule):
    assert rule.description
    assert rule.examples_remove, f"{rule.id} has no example of what it removes"
    assert rule.examples_keep, f"{rule.id} has no look-alike it must keep"


def test_ids_and_names_are_unique():
    ids = [r.id for r in RULES]
    names = [r.name for r in RULES]
    assert len(ids) == len(set(ids))
    assert len(names) == len(set(names))


def test_site_packs_are_scoped_to_their_domains():
    for rule in RULES:
        if "/sites/" in rule.path.replace("\\", "/"):
            assert rule.domains, f"{rule.id} lives in a site pack but is not scoped to a domain"
