"""Multi-pattern prefilter: which rules could match which lines, from one scan per document.

Each regex rule is reduced to the literals one of which any match must contain (its
*required literals*, read from the parsed pattern: ``(?:sign\\s?up|register)\\b.{0,80}``
needs ``sign`` or ``register``). All required literals of all rules go into one
Aho-Corasick automaton; a document is lower-cased once and scanned once, and only the
(line, rule) pairs whose literal was seen are tried with the rule's real regex. The cost
of a line no longer grows with the number of rules.

The prefilter only ever over-approximates: a rule whose pattern cannot be reduced safely
(regex-module syntax that :mod:`re`'s parser reads differently, or no literal at all) is
tried on every line, as before. Matching is case-insensitive as the rules are: literals
hold only ASCII characters and characters without case (``©``, ``»``), and the two
non-ASCII characters that the ``regex`` module matches to an ASCII letter case-insensitively
(``İ``, ``ı``, ``ſ``) are folded before lower-casing.
"""

from __future__ import annotations

import re
import warnings
from bisect import bisect_right
from functools import lru_cache
from typing import Iterable

import ahocorasick

try:  # Python 3.11+
    import re._constants as _c
    import re._parser as _parser
except ImportError:  # Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

# Characters that regex's IGNORECASE matches to an ASCII letter but str.lower() does not map.
_ASCII_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
# regex-module syntax that re's parser would read as literal text instead of failing on:
# POSIX classes ([[:alpha:]]) and an unescaped "{" that is not a repeat count (fuzzy matching).
_UNSAFE = re.compile(r"\[:\^?\w+:\]|(?:^|[^\\])(?:\\\\)*\{(?!\d*(?:,\d*)?\})")
# Unicode properties (\p{Lu}, \pL): a class like \w for the purpose of finding literals.
_PROPERTY = re.compile(r"(?<!\\)((?:\\\\)*)\\[pP](?:\{[^}]*\}|[A-Za-z])")
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}
_MIN_LITERAL = 2  # shorter literals match nearly every line: not worth a lookup (but "©")


def _selective(literal: str) -> bool:
    return len(literal) >= _MIN_LITERAL or not literal.isascii()


def fold_for_scan(text: str) -> str:
    """Lower-case ``text`` the way the prefilter's literals are lower-cased."""
    if "\u0130" in text or "\u0131" in text or "\u017f" in text:
        text = text.translate(_ASCII_FOLD)
    return text.lower()


def _minimal(alternatives: frozenset[str]) -> frozenset[str]:
    """Drop alternatives that contain another one (finding the shorter one is implied)."""
    ordered = sorted(alternatives, key=len)
    kept: list[str] = []
    for lit in ordered:
        if not any(k in lit for k in kept):
            kept.append(lit)
    return frozenset(kept)


def _best(candidates: list[frozenset[str]]) -> frozenset[str] | None:
    """The most selective requirement: longest shortest alternative, then fewest alternatives."""
    good = [_minimal(c) for c in candidates if c and all(map(_selective, c))]
    if not good:
        return None
    return max(good, key=lambda c: (min(map(len, c)), -len(c)))


def _required(items) -> frozenset[str] | None:
    """Literals one of which every match of the parsed sequence ``items`` contains."""
    return _best(_candidates(items))


def _candidates(items) -> list[frozenset[str]]:
    """Sets of literals of the parsed sequence ``items``: every match contains one of each set."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            candidates.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in items:
        if op is _c.LITERAL:
            ch = chr(av)
            if (ch.isascii() or ch.lower() == ch == ch.upper()) and ch != "\n":
                run.append(ch.lower())
                continue
            flush()
        elif op is _c.SUBPATTERN:
            flush()
            inner = _required(av[-1])
            if inner:
                candidates.append(inner)
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            flush()
            inner = _required(av)
            if inner:
                candidates.append(inner)
        elif op in _REPEATS:
            flush()
            low, _high, body = av
            if low >= 1:
                inner = _required(body)
                if inner:
                    candidates.append(inner)
        elif op is _c.BRANCH:
            flush()
            alts: set[str] = set()
            for alt in av[1]:
                inner = _required(alt)
                if not inner:
                    alts = set()
                    break
                alts |= inner
            if alts:
                candidates.append(frozenset(alts))
        else:  # classes, any, anchors, lookarounds, back-references: no literal here
            flush()
    flush()
    return candidates


Reading = tuple  # (required_literals' answer, required_literal_sets' answer) for one pattern
# Readings known without a parse (remember_readings: the patterns of a pack from the cache).
_REMEMBERED: dict[str, Reading] = {}
_REMEMBER_AT_MOST = 1 << 20


def remember_readings(readings: dict[str, Reading]) -> None:
    """Take ``readings`` (pattern source -> :func:`read_pattern`'s answer, as it gave it before)
    as known, so that those patterns are not parsed again."""
    if len(_REMEMBERED) + len(readings) > _REMEMBER_AT_MOST:
        _REMEMBERED.clear()
    _REMEMBERED.update(readings)


def read_pattern(source: str) -> Reading:
    """What the prefilter reads in the regex ``source``: (:func:`required_literals`,
    :func:`required_literal_sets`), from one parse.

    >>> best, sets = read_pattern(r"(?:sign\\s?up|register) now")
    >>> sorted(best), [sorted(s) for s in sets]
    ([' now'], [['register', 'sign'], [' now']])
    """
    got = _REMEMBERED.get(source)
    return _parse_reading(source) if got is None else got


@lru_cache(maxsize=16384)  # a rule's pattern is asked by the Python prefilter and the core's spec
def _parse_reading(source: str) -> Reading:
    """:func:`read_pattern`, from a parse of ``source``."""
    candidates = _pattern_candidates(source)
    best = _best(list(candidates)) if candidates is not None else None
    if best is None:
        return None, None
    return best, tuple(_minimal(c) for c in candidates if c and all(map(_selective, c))) or None


def _pattern_candidates(source: str) -> tuple[frozenset[str], ...] | None:
    """The literal sets (:func:`_candidates`) of the regex ``source``, parsed once; None when
    it cannot be reduced safely."""
    source = _PROPERTY.sub(lambda m: m.group(1) + r"\w", source)
    if _UNSAFE.search(source):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = _parser.parse(source)
    except (re.error, RecursionError, OverflowError, ValueError, TypeError):
        return None
    return tuple(_candidates(list(parsed)))


def required_literals(source: str) -> frozenset[str] | None:
    """Lower-cased literals one of which any match of the regex ``source`` contains, or None.

    >>> sorted(required_literals(r"(?:sign\\s?up|register)\\b.{0,80}"))
    ['register', 'sign']
    >>> required_literals(r"\\p{Lu}\\w+") is None
    True
    """
    return read_pattern(source)[0]


def required_literal_sets(source: str) -> tuple[frozenset[str], ...] | None:
    r"""Every set of literals (lower-cased) one of each of which any match of ``source`` contains,
    or None: a stricter prefilter than :func:`required_literals` (all sets, not the best one).

    >>> [sorted(s) for s in required_literal_sets(r"(?:copyright|\(c\))\s+(?:19|20)\d\d")]
    [['(c)', 'copyright'], ['19', '20']]
    """
    return read_pattern(source)[1]


def may_match(literals: frozenset[str] | None, text: str) -> bool:
    """False only when ``text`` contains none of ``literals`` (so the regex cannot match)."""
    if literals is None:
        return True
    low = fold_for_scan(text)
    return any(lit in low for lit in literals)


class LiteralIndex:
    """One automaton over the required literals of many rules (identified by integers)."""

    def __init__(self, requirements: Iterable[tuple[int, frozenset[str]]]):
        owners: dict[str, list[int]] = {}
        for rule, literals in requirements:
            for lit in literals:
                owners.setdefault(lit, []).append(rule)
        self.size = len(owners)
        self._automaton = ahocorasick.Automaton()
        for lit, rules in owners.items():
            self._automaton.add_word(lit, (len(lit), tuple(rules)))
        if owners:
            self._automaton.make_automaton()

    def hits(self, text: str, starts: list[int]) -> dict[int, set[int]]:
        """For each line (by its index in ``starts``, the line start offsets) the rules seen in it."""
        out: dict[int, set[int]] = {}
        if not self.size:
            return out
        low = fold_for_scan(text)
        if len(low) != len(text):  # lower-casing changed offsets: scan line by line instead
            return self._hits_by_line(text, starts)
        for end, (length, rules) in self._automaton.iter(low):
            pos = bisect_right(starts, end - length + 1) - 1
            got = out.get(pos)
            if got is None:
                out[pos] = set(rules)
            else:
                got.update(rules)
        return out

    def _hits_by_line(self, text: str, starts: list[int]) -> dict[int, set[int]]:
        out: dict[int, set[int]] = {}
        bounds = starts[1:] + [len(text)]
        for pos, (start, end) in enumerate(zip(starts, bounds)):
            seen: set[int] = set()
            for _end, (_length, rules) in self._automaton.iter(fold_for_scan(text[start:end])):
                seen.update(rules)
            if seen:
                out[pos] = seen
        return out
