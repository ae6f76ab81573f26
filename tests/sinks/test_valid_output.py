"""Every byte written is valid UTF-8 and every line strict JSON (RFC 8259), whatever the input held."""

from __future__ import annotations

import json

from hostile_support import hostile, run_cli


def strict(line: bytes):
    """The line parsed as RFC 8259 JSON: valid UTF-8, no NaN or Infinity."""
    def refuse(name):
        raise AssertionError(f"{name} is not JSON")
    return json.loads(line.decode("utf-8"), parse_constant=refuse)


def test_lone_surrogates_and_non_finite_numbers_never_reach_the_output(tmp_path):
    src = tmp_path / "in.jsonl"
    text = hostile.SENTENCE
    src.write_bytes(
        b'{"id": "s", "text": "%s \\ud800 and \\udfff end", "note": "\\udc80"}\n' % text.encode()
        + b'{"id": "n", "text": "%s", "score": NaN, "hi": Infinity, "lo": -Infinity, "big": 1e999, "ok": 1.5}\n'
        % text.encode()
        + b'{"id": "p", "text": "\\ud83d\\ude00 %s"}\n' % text.encode())
    out = tmp_path / "out.jsonl"
    proc = run_cli("run", str(src), "-o", str(out))
    assert 0 == proc.returncode, proc.stderr
    records = {r["id"]: r for r in map(strict, out.read_bytes().splitlines())}
    assert ["n", "p", "s"] == sorted(records)
    s = records["s"]
    assert "\ud800" not in s["text"] and "\ufffd and \ufffd end" in s["text"]
    assert "\ufffd" == s["metadata"]["note"]
    assert 3 == s["metadata"]["replaced_surrogates"]
    n = records["n"]["metadata"]
    assert (None, None, None, None, 1.5) == (n["score"], n["hi"], n["lo"], n["big"], n["ok"])
    assert 4 == n["non_finite_numbers"]
    p = records["p"]  # a surrogate pair is a real character, kept
    assert records["p"]["text"].startswith("\U0001F600")
    assert "replaced_surrogates" not in p["metadata"]
