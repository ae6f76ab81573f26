"""cleaner: strip boilerplate from scraped text and HTML, with provenance for every removal.

>>> import cleaner
>>> cleaner.clean_text("Sign up now for unlimited free access to\\nThe minister resigned on Tuesday.\\n").text
'The minister resigned on Tuesday.\\n'
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from . import _compat
from ._version import __version__
from .apply import replay
from .document import CleanResult
from .errors import CleanerError, ConfigError, DocumentError, RuleError
from .pipeline import Cleaner
from .settings import Config

_compat.install()

__all__ = [
    "CleanResult",
    "Cleaner",
    "CleanerError",
    "Config",
    "ConfigError",
    "DocumentError",
    "RuleError",
    "__version__",
    "clean_html",
    "clean_text",
    "replay",
]


@lru_cache(maxsize=1)
def _default_cleaner() -> Cleaner:
    return Cleaner()


def clean_text(text: str | bytes, *, url: str | None = None, config: Config | None = None,
               **metadata: Any) -> CleanResult:
    """Clean plain scraped text with the shipped rules (or ``config``)."""
    cleaner = Cleaner(config) if config is not None else _default_cleaner()
    return cleaner.clean_text(text, url=url, metadata=metadata or None)


def clean_html(html: str | bytes, url: str | None = None, *, config: Config | None = None,
               **metadata: Any) -> CleanResult:
    """Extract the main text of an HTML page with trafilatura and clean it."""
    cleaner = Cleaner(config) if config is not None else _default_cleaner()
    return cleaner.clean_html(html, url=url, metadata=metadata or None)
