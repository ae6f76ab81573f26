"""Records are written by orjson, byte for byte what the standard encoder wrote before."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.sinks.records import SURROGATE, _finite, dumps


def standard(obj) -> str:
    """The encoder records were written with before orjson (the reference)."""
    try:
        line = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:
        line = json.dumps(_finite(obj), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return SURROGATE.sub("\ufffd", line)


scalars = (st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats()
           | st.floats(min_value=-1e-3, max_value=1e-3) | st.text())
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=12)


@settings(max_examples=400, deadline=None)
@given(values)
def test_dumps_writes_what_the_standard_encoder_writes(value):
    assert standard(value) == dumps(value)


def test_the_cases_orjson_alone_would_write_differently():
    cases = [1.5e-05, -3e-07, "lone \ud800 surrogate", {1: "int key"}, 2**64, float("nan"),
             {"x": [float("inf"), 1e-9]}, "\x00\x1f\x7f\u2028 \"quoted\" \\"]
    for value in cases:
        assert standard(value) == dumps(value), value
    assert "\ufffd" in dumps("a \udc80 b")
    assert math.isnan(float("nan")) and dumps(float("nan")) == "null"
