"""Content-extraction heuristics over lines: one registry (:mod:`.registry`), the plain-text
heuristics (:mod:`.lines`, with comment threads and site bodies), the HTML-line ones (:mod:`.html`),
and plain text cleaned whole, rules and heuristics, by the compiled core (:mod:`.textcore`).

May import ``lines``, ``rules`` and ``document``. :data:`HEURISTICS` is every heuristic in the
order they run: the plain-text ones, then the HTML ones (each runs on its formats only).
"""

from .._compat import room_getattr
from . import html, lines  # noqa: F401  (importing them registers their heuristics)
from .registry import REGISTRY, Context, Heuristic

# in the order they run: the plain-text heuristics first, each group in its module's order
HEURISTICS: tuple[Heuristic, ...] = tuple(sorted(REGISTRY, key=lambda h: "text" not in h.formats))

__all__ = ["HEURISTICS", "Context", "Heuristic"]

__getattr__ = room_getattr('heuristics')  # the old cleaner.heuristics module's names, deprecated
