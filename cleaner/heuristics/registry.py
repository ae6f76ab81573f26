"""The heuristics' registry and what each is told about the run.

A heuristic is a function ``run(doc, views, ctx)`` that only marks lines; the
:func:`heuristic` decorator gives it its stable id and name (like a rule's, shown by
``cleaner rules list`` and switched off by ``--disable``), its description and the document
formats it runs on, and its examples: documents with the lines it must remove, and
look-alikes it must leave alone (``cleaner rules test`` and the tests run them, as a rule's).
They run in the order they are registered, after the rule packs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..document import Document
from ..lines.normalize import title_key
from ..lines.views import LineView, line_views
from ..settings import Favor


@dataclass(frozen=True, slots=True)
class Context:
    """What a heuristic may know beside the document and its lines; the same for every pass."""

    favor: str  # a :class:`cleaner.settings.Favor`: precision removes more, recall keeps more
    include_comments: bool  # the user keeps reader comments
    memo: dict | None  # what a heuristic keeps between the passes over one document
    line_bias: Callable[[str], float] | None = None  # learned line counts of the site (share < 0: chrome)
    site_body: bool = False  # learned site rules cleaned the document: the site's chrome is known
    # whether a rule marked a line in the document's first cleaning pass (None: not known, as for a
    # heuristic run alone on its examples); balanced's HEU010 reads a document none did with recall's bias
    rules_found: bool | None = None


Run = Callable[[Document, list[LineView], Context], None]


# The body of the examples: a few paragraphs of plain news prose.
ARTICLE = (
    "The city council voted on Tuesday to extend the night bus service to the northern suburbs, "
    "after a year of complaints from shift workers who had no way home.\n\n"
    "The new routes start in March and will run every thirty minutes between midnight and five "
    "in the morning, the transport office said in a statement.\n\n"
    "Councillors from both parties backed the plan, although some asked how it would be paid for "
    "once the state grant runs out in two years.\n\n"
    "A first review of the service is planned for the autumn, when the council will look at how "
    "many people use the buses and whether the timetable needs to change.\n"
)


@dataclass(frozen=True, slots=True)
class Example:
    """A document a heuristic is shown: the lines it must remove (none: it must keep them all)."""

    text: str
    removes: tuple[str, ...] = ()
    title: str | None = None  # HTML: the page title (metadata.title)
    links: tuple[str, ...] = ()  # HTML: the texts of the page's links


@dataclass(frozen=True)
class Heuristic:
    """A named line heuristic: ``run(doc, views, ctx)`` adds marks."""

    id: str
    name: str
    description: str
    run: Run
    formats: tuple[str, ...] = ("text",)
    examples: tuple[Example, ...] = ()

    @property
    def kind(self) -> str:
        return "heuristic"


REGISTRY: list[Heuristic] = []  # in the order they run


def heuristic(id: str, name: str, description: str, *, formats: tuple[str, ...] = ("text",),
              examples: tuple[Example, ...] = ()) -> Callable[[Run], Run]:
    """Register the decorated function as the heuristic ``id``."""

    def register(run: Run) -> Run:
        if any(h.id == id or h.name == name for h in REGISTRY):
            raise ValueError(f"heuristic {id} {name} is registered twice")
        REGISTRY.append(Heuristic(id, name, description, run, formats, examples))
        return run

    return register


def removed_by(h: Heuristic, example: Example) -> list[str]:
    """The lines of ``example`` that ``h``, run alone with the default settings, removes."""
    doc = Document(example.text, h.formats[0], metadata={"title": example.title} if example.title else {},
                   link_keys=frozenset(title_key(link) for link in example.links))
    h.run(doc, line_views(doc), Context(favor=Favor.BALANCED, include_comments=False, memo=None))
    ids = {m.rule for m in doc.marks}
    if ids - {h.id}:
        raise ValueError(f"{h.id} marked lines as {', '.join(sorted(ids - {h.id}))}")
    marked = doc.marked_lines()
    return [ln.text.strip() for i, ln in enumerate(doc.lines) if i in marked]


def check_heuristic(h: Heuristic) -> list[str]:
    """What ``h`` gets wrong in its own examples, one sentence each."""
    failures = []
    for example in h.examples:
        got = removed_by(h, example)
        if got != list(example.removes):
            head = example.text.strip().splitlines()[0][:60]
            failures.append(f"{h.id}: on the example starting {head!r} should remove "
                            f"{list(example.removes)!r}, removed {got!r}")
    return failures
