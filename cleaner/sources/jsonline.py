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

SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


def parse_line(raw: bytes) -> tuple[Any, dict[str, int]]:
    """(value, what was fixed) of one JSON line; ValueError when it is not JSON.

    >>> parse_line(b'{"a": NaN, "b": "x\\\\ud800"}')
    ({'a': None, 'b': 'x\ufffd'}, {'non_finite_numbers': 1, 'replaced_surrogates': 1})
    """
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
