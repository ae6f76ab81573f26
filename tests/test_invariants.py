"""Invariants on generated input: never raise, replay, idempotence, deterministic output."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from cleaner import Cleaner, DocumentError, replay
from cleaner.sources.decode import finish_text

CLEANER = Cleaner()
KNOWN_IDS = {r.id for r in CLEANER.rules} | {h.id for h in CLEANER.heuristics}

JUNK = ["Source link", "Sign up to read this article", "Advertisement", "Related stories", "Home",
        "World News", "Share this:", "By John Smith and Jane Doe", "Leave a Reply",
        "Your email address will not be published.", "© 2023 Example Media. All rights reserved.",
        "A sentence of the article that is long enough to keep. read more",
        "The council approved the new harbour budget on Tuesday after a long debate about costs."]
any_line = st.text(max_size=80).filter(lambda s: "\n" not in s)
lines = st.lists(st.one_of(st.just(""), st.sampled_from(JUNK), any_line), max_size=30)
texts = st.one_of(st.text(max_size=400), lines.map(lambda rows: "\n".join(rows) + "\n"),
                  lines.map(lambda rows: "\r\n".join(rows)))
FAST = settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))


def clean_or_none(text: str):
    """The result, or None when the text holds nothing to clean (then it must say so)."""
    result = CLEANER.clean_text(text)  # never raises on a string
    if not finish_text_or_empty(text).strip():
        assert ("", "empty") == (result.text, result.rejected)
        return None
    return result


def finish_text_or_empty(text: str) -> str:
    try:
        return finish_text(text).text
    except DocumentError:
        return ""


@FAST
@given(texts)
def test_clean_text_never_raises_and_its_log_replays(text):
    result = clean_or_none(text)
    if result is None:
        return
    assert finish_text(text).text == result.source_text
    source = result.source_text
    covered = bytearray(len(source))
    for r in result.removals:
        assert 0 <= r.start < r.end <= len(source), r
        assert r.rule in KNOWN_IDS
        covered[r.start:r.end] = b"\x01" * (r.end - r.start)
    assert sum(r.chars for r in result.removals) == sum(covered), "removals overlap"
    kept = "".join(ch for ch, gone in zip(source, covered) if not gone)
    assert kept == result.text
    assert result.text == replay(source, [r.as_dict() for r in result.removals])


@FAST
@given(texts)
def test_output_lines_come_from_input_lines_in_order(text):
    result = clean_or_none(text)
    if result is None or result.rejected:
        return
    source_lines = result.source_text.split("\n")
    pos = 0
    for line in result.text.split("\n"):
        if not line:
            continue
        while pos < len(source_lines) and not _is_trimmed(line, source_lines[pos]):
            pos += 1
        assert pos < len(source_lines), line
        pos += 1


def _is_trimmed(out: str, src: str) -> bool:
    """``out`` can be had from ``src`` by deleting characters (a sub-sequence)."""
    it = iter(src)
    return all(ch in it for ch in out)


@FAST
@given(texts)
def test_cleaning_clean_text_removes_nothing_more(text):
    result = clean_or_none(text)
    if result is None or result.rejected:
        return
    again = CLEANER.clean_text(result.text)
    assert [] == [(r.rule, r.excerpt) for r in again.removals]
    assert result.text == again.text
    assert again.rejected is None


def test_multi_pass_cleaning_composes_a_replayable_log():
    text = ("Home\nHome\nSource link\nBy John Smith and Jane Doe\nBy John Smith and Jane Doe\n"
            "Weather\nWorld News\nThe council approved the new harbour budget on Tuesday after a long "
            "debate about costs.\n")
    result = CLEANER.clean_text(text)
    assert result.text == replay(text, result.removals)
    assert [] == CLEANER.clean_text(result.text).removals
    starts = [r.start for r in result.removals]
    assert sorted(starts) == starts


def test_output_is_identical_across_jobs_and_runs(tmp_path, cli):
    from hostile_support import hostile

    corpus = tmp_path / "in"
    hostile.write_hostile(corpus)
    (corpus / "deep.html").unlink()  # slow to parse, and covered by test_hostile_inputs
    hostile.write_many(corpus / "many", files=30, lines=100)
    outputs = []
    for n, jobs in enumerate(("1", "2", "2")):
        out = tmp_path / f"out{n}.jsonl"
        proc = cli("run", str(corpus), "-o", str(out), "-q", "--jobs", jobs, "--doc-timeout", "20")
        assert 1 == proc.returncode, proc.stderr
        outputs.append((out.read_bytes(), (tmp_path / f"out{n}.rejects.jsonl").read_bytes()))
    assert outputs[0][0]
    assert all(outputs[0] == o for o in outputs[1:])
