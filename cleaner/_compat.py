"""Old module paths, kept working with a DeprecationWarning after the package was laid out in rooms.

Until 0.x the package was 51 flat modules (``cleaner.core``, ``cleaner.textfeatures``, ...).
Importing one of those names still works: it gives a module that forwards every attribute to
the module's new home and warns once, naming it. Nothing inside cleaner imports an old name.

>>> import warnings
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     from cleaner.core import Cleaner
>>> Cleaner.__module__, caught[0].category.__name__
('cleaner.pipeline', 'DeprecationWarning')
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
import warnings

# old name under cleaner -> new name under cleaner
MOVED = {
    "anchors": "eval.anchors",
    "body": "lines.body",
    "checkpoint": "sinks.checkpoint",
    "cjk": "lines.cjk",
    "cli": "cli.main",
    "comments": "heuristics.comments",
    "compress": "sources.compress",
    "config": "settings",
    "core": "pipeline",
    "decode": "sources.decode",
    "engine": "rules.engine",
    "evalscore": "eval.figures",
    "evaluate": "eval.run",
    "explain": "cli.explain",
    "extract": "extract.page",
    "goldsets": "eval.goldsets",
    "heuristics": "heuristics.lines",
    "htmlblocks": "extract.blocks",
    "htmlgrow": "extract.grow",
    "htmllines": "heuristics.html",
    "htmlmeta": "extract.meta",
    "htmlprune": "extract.prune",
    "learn": "learn.corpus",
    "learnpack": "learn.pack",
    "linecounts": "rules.counts",
    "linecues": "lines.cues",
    "mine": "learn.mine",
    "packs": "rules.shipped",
    "prefilter": "lines.prefilter",
    "ray_engine": "run.ray",
    "records": "sinks.records",
    "rulepack": "rules.pack",
    "ruletest": "rules.examples",
    "runner": "run.local",
    "scoring": "eval.scoring",
    "sinks": "sinks.jsonl",
    "sitebody": "heuristics.sitebody",
    "sites": "sources.sites",
    "sources": "sources.files",  # and sources.readers: list_inputs, file_format
    "stopwords": "lines.stopwords",
    "textfeatures": "lines.features",
    "textnorm": "lines.normalize",
    "warc": "sources.warc",
    "worker": "run.worker",
}


# old modules some of whose names went to another room: looked up there too
ALSO_MOVED = {
    "core": ("cleaner.document",),  # CleanResult
    "engine": ("cleaner.lines.views",),  # LineView, line_views, looks_like_prose
    "htmllines": ("cleaner.lines.normalize",),  # title_key
    "sources": ("cleaner.sources.readers",),  # list_inputs, file_format
}
_MISSING = object()


class _Forward(types.ModuleType):
    """A module that reads every attribute from the module that took its place."""

    def __getattr__(self, name: str):
        target = self.__dict__.get("_target")
        if target is None:  # still being set up by the import system
            raise AttributeError(name)
        value = getattr(target, name, _MISSING)
        for home in ALSO_MOVED.get(self.__name__.partition(".")[2], ()):
            if value is not _MISSING:
                break
            value = getattr(importlib.import_module(home), name, _MISSING)
        if value is _MISSING:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        return value

    def __dir__(self) -> list[str]:
        return dir(self.__dict__["_target"])


class _MovedFinder:
    """Finds ``cleaner.<old>`` for every old name and loads it as a :class:`_Forward` (a meta path
    finder and loader by its methods: ``importlib.abc`` would cost every start-up ~15 ms of imports)."""

    def find_spec(self, fullname, path, target=None):
        head, _, old = fullname.partition(".")
        if head == "cleaner" and old in MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        return _Forward(spec.name)

    def exec_module(self, module) -> None:
        new = "cleaner." + MOVED[module.__name__.partition(".")[2]]
        warnings.warn(f"{module.__name__} is deprecated: import {new}", DeprecationWarning, stacklevel=3)
        module.__dict__["_target"] = importlib.import_module(new)


def room_getattr(room: str):
    """A module ``__getattr__`` for a room that took an old module's name (``cleaner.sources``
    was a module, it is now a package): the old module's attributes still resolve, with a warning.

    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     from cleaner.extract import extract_html
    >>> extract_html.__module__, str(caught[0].message)
    ('cleaner.extract.page', 'cleaner.extract.extract_html is deprecated: import it from cleaner.extract.page')
    """
    new = "cleaner." + MOVED[room]

    def __getattr__(name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        for home in (new, *ALSO_MOVED.get(room, ())):
            value = getattr(importlib.import_module(home), name, _MISSING)
            if value is not _MISSING:
                warnings.warn(f"cleaner.{room}.{name} is deprecated: import it from {home}", DeprecationWarning,
                              stacklevel=2)
                return value
        raise AttributeError(f"module 'cleaner.{room}' has no attribute {name!r}")

    return __getattr__


def install() -> None:
    """Put the finder on ``sys.meta_path`` once."""
    if not any(isinstance(f, _MovedFinder) for f in sys.meta_path):
        sys.meta_path.append(_MovedFinder())
