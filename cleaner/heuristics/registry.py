"""The heuristics' registry and what each is told about the run.

A heuristic is a function ``run(doc, views, ctx)`` that only marks lines; the
:func:`heuristic` decorator gives it its stable id and name (like a rule's, shown by
``cleaner rules list`` and switched off by ``--disable``), its description and the document
formats it runs on. They run in the order they are registered, after the rule packs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..document import Document
from ..lines.views import LineView


@dataclass(frozen=True, slots=True)
class Context:
    """What a heuristic may know beside the document and its lines; the same for every pass."""

    favor: str  # a :class:`cleaner.settings.Favor`: precision removes more, recall keeps more
    include_comments: bool  # the user keeps reader comments
    memo: dict | None  # what a heuristic keeps between the passes over one document
    line_bias: Callable[[str], float] | None = None  # learned line counts of the site (share < 0: chrome)
    site_body: bool = False  # learned site rules cleaned the document: the site's chrome is known


Run = Callable[[Document, list[LineView], Context], None]


@dataclass(frozen=True)
class Heuristic:
    """A named line heuristic: ``run(doc, views, ctx)`` adds marks."""

    id: str
    name: str
    description: str
    run: Run
    formats: tuple[str, ...] = ("text",)

    @property
    def kind(self) -> str:
        return "heuristic"


REGISTRY: list[Heuristic] = []  # in the order they run


def heuristic(id: str, name: str, description: str, *, formats: tuple[str, ...] = ("text",)) -> Callable[[Run], Run]:
    """Register the decorated function as the heuristic ``id``."""

    def register(run: Run) -> Run:
        if any(h.id == id or h.name == name for h in REGISTRY):
            raise ValueError(f"heuristic {id} {name} is registered twice")
        REGISTRY.append(Heuristic(id, name, description, run, formats))
        return run

    return register
