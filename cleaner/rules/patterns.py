"""Rule patterns: checked when their pack loads, compiled by Python's ``regex`` only when used.

The compiled core matches most rules with Rust's ``regex`` crate, so Python's compiled
pattern is needed only on the Python path (a rule the crate cannot take, a block rule, a
document the core does not take). Compiling every pattern of a pack of thousands of rules
up front cost about 0.2 ms each; a :class:`Pattern` compiles on first use instead.

Loading still refuses every bad pattern with the rule's path, line and id (``check``): the
core vouches for the patterns whose syntax both engines read alike and that cannot match the
empty string (:func:`cleaner._core.vouch_pattern`); every other pattern is compiled and probed
with Python's ``regex`` at load, as before.
"""

from __future__ import annotations

from typing import Any

import regex

try:
    from .._core import vouch_pattern
except ImportError:  # a source checkout without the built extension: Python checks every pattern
    vouch_pattern = None

# Strings every pattern is tried on to find patterns that can match nothing at all.
EMPTY_PROBES = ("", " ", "a", "A b.", "\t", "0", "word word word", "-")


class Pattern:
    """A rule's regex source and flags; :attr:`compiled` (Python's ``regex``) is made on first use.

    Reads as a compiled pattern does for the rule engine: ``pattern``, ``flags``, and
    ``search``/``match``/``fullmatch``/``finditer`` with a ``timeout``.

    >>> p = Pattern("(?:sign up)", regex.V0 | regex.IGNORECASE)
    >>> p.search("Sign up now").span()
    (0, 7)
    """

    __slots__ = ("pattern", "flags", "_compiled")

    def __init__(self, pattern: str, flags: int, compiled: Any = None):
        self.pattern = pattern
        self.flags = flags
        self._compiled = compiled

    @property
    def compiled(self) -> Any:
        """Python's compiled ``regex.Pattern`` (compiled now if it was not yet)."""
        if self._compiled is None:
            self._compiled = regex.compile(self.pattern, self.flags)
        return self._compiled

    def search(self, text: str, timeout: float | None = None):
        return self.compiled.search(text, timeout=timeout)

    def match(self, text: str, timeout: float | None = None):
        return self.compiled.match(text, timeout=timeout)

    def fullmatch(self, text: str, timeout: float | None = None):
        return self.compiled.fullmatch(text, timeout=timeout)

    def finditer(self, text: str, timeout: float | None = None):
        return self.compiled.finditer(text, timeout=timeout)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pattern) and (self.pattern, self.flags) == (other.pattern, other.flags)

    def __hash__(self) -> int:
        return hash((self.pattern, self.flags))

    def __repr__(self) -> str:
        return f"Pattern({self.pattern!r}, {self.flags!r})"

    def __reduce__(self):  # pickled (Ray, spawned workers) without the compiled form
        return (Pattern, (self.pattern, self.flags))


def _vouched(source: str) -> bool:
    if vouch_pattern is None:
        return False
    try:
        return vouch_pattern(source)
    except UnicodeEncodeError:  # a lone surrogate: not UTF-8, so not the crate's to read
        return False


def check_pattern(source: str, flags: int, vouch_for: str | None = None) -> Pattern | str:
    """``source`` as a :class:`Pattern`, or what is wrong with it (a message for the rule's error).

    The core vouches for most patterns; the others are compiled and tried on a few probe
    strings by Python's ``regex`` here (a pattern that can match the empty string is refused).
    ``vouch_for``: the part of ``source`` to ask the core about, when the rest is the loader's
    own valid syntax that consumes nothing (the lookarounds it puts around a literal).

    >>> check_pattern("x?", regex.V0)
    "pattern 'x?' can match the empty string"
    """
    if _vouched(vouch_for if vouch_for is not None else source):
        # the flags Python's regex would report (it adds UNICODE to a str pattern's; what the
        # core vouches for has no global inline flag)
        return Pattern(source, flags | regex.UNICODE)
    try:
        compiled = regex.compile(source, flags)
    except (regex.error, TypeError, ValueError) as exc:
        return f"bad regex {source!r}: {exc}"
    for probe in EMPTY_PROBES:
        for m in compiled.finditer(probe, timeout=1.0):
            if m.end() == m.start():
                return f"pattern {source!r} can match the empty string"
    return Pattern(source, compiled.flags, compiled)
