"""Ids come from a file name's bytes: a name that is not UTF-8 never shares an id with the
name that displays like it (``a<0xFF>.txt`` and a file literally named ``a\\xff.txt``)."""

from __future__ import annotations

import os

from cleaner.sinks.records import make_id
from conftest_helpers import read_jsonl

ARTICLE = ("The council approved the new budget on Monday after a long debate about schools.\n"
           "Members said the plan would fund two new libraries and repair old roads.\n")


def test_a_non_utf8_name_and_its_escaped_look_alike_get_different_ids(tmp_path, cli):
    src = tmp_path / "in"
    src.mkdir()
    with open(os.path.join(os.fsencode(src), b"a\xff.txt"), "w") as fh:
        fh.write(ARTICLE)
    (src / "a\\xff.txt").write_text(ARTICLE)
    (src / "plain.txt").write_text(ARTICLE)
    proc = cli("run", str(src), "-o", str(tmp_path / "out.jsonl"), "-q")
    assert 0 == proc.returncode, proc.stderr
    records = read_jsonl(tmp_path / "out.jsonl")
    assert 3 == len(records)
    ids = [r["id"] for r in records]
    assert len(set(ids)) == 3, [(r["metadata"]["path"], r["id"]) for r in records]
    # a UTF-8 name keeps the id it always had: the hash of its path and position
    by_path = {r["metadata"]["path"]: r["id"] for r in records}
    assert make_id("plain.txt", 0) == by_path["plain.txt"]
    assert make_id("a\\xff.txt", 0) in ids and make_id(b"a\xff.txt", 0) in ids
