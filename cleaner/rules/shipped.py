"""Where the rule packs shipped with cleaner live.

In an installed wheel they are package data (``cleaner/packs``); in a source checkout they
are the top-level ``rules/`` directory next to the package (not this ``cleaner.rules``
package, which holds the code that loads and matches them).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError


def shipped_packs_dir() -> str:
    """The directory of the shipped rule packs."""
    here = Path(__file__).resolve().parent.parent  # the cleaner package
    for candidate in (here / "packs", here.parent / "rules"):
        if candidate.is_dir() and any(candidate.rglob("*.yaml")):
            return str(candidate)
    raise ConfigError(
        f"the shipped rule packs are missing (looked in {here / 'packs'} and {here.parent / 'rules'}); "
        "reinstall cleaner"
    )
