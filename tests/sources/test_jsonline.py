"""A JSONL line is read as :mod:`json` reads it, however it is read, and the control characters
its strings carry are dropped and counted, whatever form they were written in."""

from __future__ import annotations

import json

import pytest

from cleaner.pipeline import source_document
from cleaner.settings import Config
from cleaner.sources import jsonline
from cleaner.sources.jsonline import may_hold_controls, parse_line
from cleaner.sources.readers import RawDocument

SENTENCE = "The council approved the budget on Tuesday after a long debate about the schools."


@pytest.mark.parametrize("line", [
    b'{"id": 18446744073709551616, "n": -9223372036854775809, "m": 9223372036854775807}',
    b'{"big": 100000000000000000000000, "whole": 1e19, "f": [0.1, -0.0, 5e-324, 1.7976931348623157e308]}',
    b'{"a": {"b": [1, {"c": 123456789012345678901234567890}]}, "a": 2}',
    b'\xef\xbb\xbf{"bom": 1}',
    b'{"s": "\\ud83d\\ude00 caf\\u00e9 \\u2019"}',
])
def test_a_line_is_read_as_json_reads_it(line):
    value, fixes = parse_line(line)
    assert repr(json.loads(line)) == repr(value)
    assert {} == fixes


# (how a line writes a control character, how many it holds)
CONTROLS = [
    ('\\u0007 bell', 1), ('\\b backspace and \\f form feed', 2), ('\\u001F unit and \\u000b tab', 2),
    ('\\u007f and \\u007F del', 2), ('\\u0085 next line, \\u009f', 2), ('\x7f raw del', 1),
    ('\u0085 raw next line', 1),
]


@pytest.mark.parametrize("written, count", CONTROLS)
def test_control_characters_of_a_record_are_dropped_in_any_form(written, count):
    line = ('{"id": "x", "text": "%s %s\\nSecond line.\\n"}' % (SENTENCE, written)).encode("utf-8")
    assert may_hold_controls(line)
    doc = source_document(RawDocument("in.jsonl", "jsonl", "record", line, line=1), Config())
    assert count == doc.metadata["control_chars_dropped"]
    assert not any(ch in doc.text for ch in "\x07\x08\x0c\x1f\x0b\x7f\x85\x9f")


def test_tabs_newlines_and_look_alikes_are_not_control_characters():
    assert not may_hold_controls(('{"text": "%s caf\\u00e9\\t\\r\\n \u00a9 \\u00a0"}' % SENTENCE).encode("utf-8"))
    line = ('{"id": "x", "text": "%s caf\\u00e9\\tand\\r\\n\\u000a \\u00a0 \\\\b"}' % SENTENCE).encode("utf-8")
    doc = source_document(RawDocument("in.jsonl", "jsonl", "record", line, line=1), Config())
    assert "control_chars_dropped" not in doc.metadata
    assert doc.text.endswith("caf\u00e9\tand\n\n \u00a0 \\b")


@pytest.mark.skipif(jsonline._core_may_hold_controls is None, reason="the compiled core is not built")
def test_the_cores_byte_scan_answers_as_the_python_reference():
    import random

    pieces = [b"\\", b"u", b"0", b"00", b"007", b"7f", b"7F", b"01", b"1f", b"85", b"9f", b"a0", b"e9", b"b", b"f",
              b"n", b"\xc2", b"\x80", b"\x9f", b"\xa0", b"\x7f", b"x", b" ", b'"', "\u00e9".encode("utf-8")]
    rng = random.Random(16)
    lines = [b"".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12))) for _ in range(20000)]
    got = [jsonline._core_may_hold_controls(line) for line in lines]
    assert [jsonline._may_hold_controls(line) for line in lines] == got
    assert 1000 < sum(got) < 19000  # both answers are common among the lines tried
