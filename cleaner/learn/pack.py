"""Write what :class:`cleaner.learn.mine.Miner` learned as an ordinary, reviewable rule pack.

One rule per finding: a run of lines that recur together on a site's pages (a menu, a
footer) becomes one ``drop_line`` rule whose ``literal`` lists them; the run's lines with
digits (``© 2025 ...``) go into a second rule whose regex accepts any number there. Every
rule is scoped to its site (``when: {sites: [...]}``), says in how many of the site's
documents it recurred (``seen`` and the description), and carries real occurrences as
``remove`` examples. The pack is marked ``learned: true``; a person can delete the rules
they disagree with and pass the file back with ``--rules``.
"""

from __future__ import annotations

import regex
import yaml

from ..rules.pack import literal_regex
from ..sources.sites import site_tag
from .mine import LineStats, Miner

_DIGIT_RUN = regex.compile(r"\d+")
_SLUG = regex.compile(r"[^a-z0-9]+")


def digit_regex(text: str) -> str:
    """A regex for ``text`` (flexible spaces, quotes, dashes) with every run of digits free.

    >>> digit_regex("© 2025 Example")
    '©\\\\s+\\\\d+\\\\s+Example'
    """
    return literal_regex(text, free_digits=True)


def _slug(site: str) -> str:
    return _SLUG.sub("-", site.lower()).strip("-")[:40] or "site"


def group_runs(rows: list[tuple[int, int, LineStats]]) -> list[list[tuple[int, int, LineStats]]]:
    """Split a site's learned lines (in page order) into runs that sit together on the page."""
    groups: list[list[tuple[int, int, LineStats]]] = []
    members: set[int] = set()
    for row in rows:
        if groups and row[2].prev in members:
            groups[-1].append(row)
        else:
            groups.append([row])
            members = set()
        members.add(row[0])
    return groups


def _rule(rid: str, name: str, site: str, documents: int, rows: list, pattern: dict) -> dict:
    seen = min(n for _, n, _ in rows)
    lines = len(rows)
    what = "line" if lines == 1 else f"run of {lines} lines"
    return {
        "id": rid,
        "name": name,
        "description": f"Learned: a {what} that recurs in {seen} of {documents} documents of site "
                       f"{site}.",
        "seen": {"documents": seen, "site_documents": documents},
        "match": pattern,
        "when": {"sites": [site]},
        "action": "drop_line",
        "examples": {"remove": list(dict.fromkeys(ex for _, _, info in rows for ex in info.examples))[:5]},
    }


def site_rules(site: str, documents: int, rows: list[tuple[int, int, LineStats]]) -> list[dict]:
    """The rules of one site: per run, a literal rule and a regex rule for its lines with digits."""
    tag, slug = site_tag(site), _slug(site)
    out: list[dict] = []
    for group in group_runs(rows):
        plain = [r for r in group if not _DIGIT_RUN.search(r[2].examples[0])]
        numbered = [r for r in group if _DIGIT_RUN.search(r[2].examples[0])]
        if plain:
            literals = list(dict.fromkeys(r[2].examples[0] for r in plain))
            n = len(out) + 1
            out.append(_rule(f"LEARN-{tag}-{n:04d}", f"learned-{slug}-{n:04d}", site, documents, plain,
                             {"literal": literals if len(literals) > 1 else literals[0]}))
        if numbered:
            n = len(out) + 1
            pattern = "|".join(dict.fromkeys(digit_regex(ex) for r in numbered for ex in r[2].examples))
            out.append(_rule(f"LEARN-{tag}-{n:04d}", f"learned-{slug}-{n:04d}", site, documents, numbered,
                             {"regex": pattern}))
    return out


def render_pack(miner: Miner, source: str = "") -> tuple[str, int]:
    """The learned pack as YAML text, and how many rules it holds."""
    rules: list[dict] = []
    for site, rows in miner.findings().items():
        rules += site_rules(site, miner.sites[site].documents, rows)
    documents = sum(c.documents for c in miner.sites.values())
    copies = sum(c.copies for c in miner.sites.values())
    head = (f"# Learned by `cleaner mine` from {source or 'a corpus'}: {documents} documents "
            f"({copies} copies not counted) in {len(miner.sites)} sites; {len(rules)} rules.\n"
            "# Review it: delete any rule that removes real content, then pass the file back\n"
            "# with `cleaner run INPUT -o OUT --rules THIS_FILE`. The .counts.gz file beside it\n"
            "# (how many pages of each site share each line) guides the body classifier HEU010;\n"
            "# delete it to use these rules alone.\n")
    if not rules:
        head += "# Nothing recurred often enough to learn.\n"
    pack = {
        "family": "learned",
        "description": "Site boilerplate learned from the corpus: lines that recur on many pages "
                       "of one site.",
        "learned": True,
        "rules": rules,
    }
    body = yaml.safe_dump(pack, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None)
    return head + body, len(rules)
