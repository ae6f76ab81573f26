"""A single file named as INPUT follows the directory walk's rule: a name no reader takes is
skipped (and counted), unless ``--format`` says how to read it."""

from __future__ import annotations

from conftest_helpers import read_jsonl

ARTICLE = ("The council approved the new budget on Monday after a long debate about schools.\n"
           "Members said the plan would fund two new libraries and repair old roads.\n")


def test_an_unknown_single_file_is_skipped_like_in_a_directory(tmp_path, cli):
    (tmp_path / "in").mkdir()
    notes = tmp_path / "in" / "notes.md"
    notes.write_text(ARTICLE)
    alone = cli("run", str(notes), "-o", str(tmp_path / "alone.jsonl"))
    walked = cli("run", str(tmp_path / "in"), "-o", str(tmp_path / "walked.jsonl"))
    assert (0, 0) == (alone.returncode, walked.returncode), alone.stderr + walked.stderr
    assert [] == read_jsonl(tmp_path / "alone.jsonl") == read_jsonl(tmp_path / "walked.jsonl")
    for proc in (alone, walked):
        assert "0 documents read" in proc.stderr and "1 files skipped" in proc.stderr, proc.stderr
        assert "--format" in proc.stderr


def test_format_reads_an_unknown_single_file(tmp_path, cli):
    notes = tmp_path / "notes.md"
    notes.write_text(ARTICLE)
    proc = cli("run", str(notes), "-o", str(tmp_path / "out.jsonl"), "--format", "text")
    assert 0 == proc.returncode, proc.stderr
    (record,) = read_jsonl(tmp_path / "out.jsonl")
    assert ("notes.md", "text") == (record["metadata"]["path"], record["metadata"]["format"])


def test_explain_of_an_unknown_file_asks_for_format(tmp_path, cli):
    notes = tmp_path / "notes.md"
    notes.write_text(ARTICLE)
    proc = cli("explain", str(notes))
    assert 2 == proc.returncode and 1 == len(proc.stderr.splitlines()), proc.stderr
    assert "--format" in proc.stderr
    proc = cli("explain", str(notes), "--format", "text")
    assert 0 == proc.returncode, proc.stderr
    assert "council approved" in proc.stdout
