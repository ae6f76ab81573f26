"""One JSONL line in, one value out that can be written back as strict JSON (RFC 8259).

Python's ``json`` reads more than JSON: ``NaN``, ``Infinity`` and ``-Infinity``, numbers that
overflow to infinity (``1e999``), and ``\\ud800`` escapes that decode to lone surrogates,
which no UTF-8 encoder can write. Here non-finite numbers become ``null`` and lone
surrogates U+FFFD, and both are counted, so the record says what was changed
(``metadata.non_finite_numbers``, ``metadata.replaced_surrogates``).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from typing import Any

import orjson

try:
    from .._core import may_hold_controls as _core_may_hold_controls
except ImportError:  # a source checkout without the built extension
    _core_may_hold_controls = None

SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


def parse_line(raw: bytes) -> tuple[Any, dict[str, int]]:
    """(value, what was fixed) of one JSON line; ValueError when it is not JSON.

    orjson reads it when it can (strict JSON: then nothing needs fixing), :mod:`json` otherwise,
    so the value is always the one :mod:`json` reads: orjson refuses what needs a fix (``NaN``,
    ``1e999``, a lone surrogate) and a byte-order mark, and an integer past 64 bits, which it
    reads as a float, is read again by :mod:`json` (:func:`_as_json_reads`).

    >>> parse_line(b'{"a": NaN, "b": "x\\\\ud800"}')
    ({'a': None, 'b': 'x\ufffd'}, {'non_finite_numbers': 1, 'replaced_surrogates': 1})
    >>> parse_line(b'{"id": 18446744073709551616, "n": [1.5, -0.0]}')
    ({'id': 18446744073709551616, 'n': [1.5, -0.0]}, {})
    """
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    else:
        if _as_json_reads(value):
            return value, {}
    fixes: Counter = Counter()

    def constant(name: str) -> None:
        fixes["non_finite_numbers"] += 1
        return None

    def number(text: str) -> float | None:
        value = float(text)
        if math.isfinite(value):
            return value
        fixes["non_finite_numbers"] += 1
        return None

    value = json.loads(raw, parse_constant=constant, parse_float=number)
    if _ESCAPED_SURROGATE.search(raw):
        value = _replace_surrogates(value, fixes)
    return value, dict(fixes)


# An escape that gives a string a control character (decode.CONTROL: C0 but tab, newline and
# carriage return, DEL, C1), or DEL or a C1 character written raw (a raw C0 is not JSON)
_CONTROL_ESCAPE = re.compile(rb"\\(?:[bf]|u00(?:[0189][0-9a-fA-F]|7[fF]))")
_RAW_C1 = re.compile(rb"\xc2[\x80-\x9f]")


def may_hold_controls(raw: bytes) -> bool:
    r"""Whether a string read from the JSON line ``raw`` may hold a control character that
    :func:`cleaner.sources.decode.finish_text` drops (False: none can). The compiled core scans the
    bytes (a fifth of the cost of checking the decoded text); without it, :func:`_may_hold_controls`.

    >>> [may_hold_controls(line) for line in (b'{"t": "caf\\u00e9\\n"}', b'{"t": "a\\u0007"}', b'{"t": "\xc2\x85"}')]
    [False, True, True]
    """
    return _core_may_hold_controls(raw) if _core_may_hold_controls is not None else _may_hold_controls(raw)


def _may_hold_controls(raw: bytes) -> bool:
    """:func:`may_hold_controls` in Python: the reference the core's scan is held to."""
    return (b"\x7f" in raw
            or (b"\xc2" in raw and _RAW_C1.search(raw) is not None)
            or ((b"\\u00" in raw or b"\\b" in raw or b"\\f" in raw) and _CONTROL_ESCAPE.search(raw) is not None))


# orjson reads an integer literal past 64 bits as a float: a whole float this large may be one
_BIG = float(1 << 63)
_SCALARS = frozenset({str, int, bool, type(None)})


def _as_json_reads(value: Any) -> bool:
    """Whether orjson's ``value`` is what :mod:`json` reads from the same text: it holds no whole
    float of 2**63 or more (which may have been an integer; those lines go to :mod:`json`)."""
    kind = type(value)
    if kind is float:
        return not (abs(value) >= _BIG and value.is_integer())
    if kind is dict:
        return all(_as_json_reads(v) for v in value.values() if type(v) not in _SCALARS)
    if kind is list:
        return all(_as_json_reads(v) for v in value if type(v) not in _SCALARS)
    return True


def _replace_surrogates(value: Any, fixes: Counter) -> Any:
    if isinstance(value, str):
        fixed, n = SURROGATE.subn("\ufffd", value)
        if n:
            fixes["replaced_surrogates"] += n
        return fixed
    if isinstance(value, dict):
        return {_replace_surrogates(k, fixes): _replace_surrogates(v, fixes) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_surrogates(v, fixes) for v in value]
    return value
