"""The applier: one place removes text, and its log replays to the output exactly."""

from hypothesis import given, settings, strategies as st

from cleaner import Cleaner, replay
from cleaner.apply import apply_marks
from cleaner.document import Document

CLEANER = Cleaner()


def doc_with(text, marks):
    doc = Document(text)
    for first, last in marks:
        doc.mark_lines(first, last, "T001", "test")
    return doc


def test_dropping_a_line_does_not_leave_a_double_gap():
    text = "A para.\n\nJunk\n\nB para.\n"
    out, removals = apply_marks(doc_with(text, [(2, 2)]))
    assert "A para.\n\nB para.\n" == out
    assert [(2, 4, 3)] == [(r.start - 7, r.end - 7, r.line) for r in removals] or out == replay(text, removals)
    assert out == replay(text, removals)


def test_edges_lose_their_blank_lines_with_the_junk():
    text = "Junk\n\nA para.\n\nJunk two\n"
    out, removals = apply_marks(doc_with(text, [(0, 0), (4, 4)]))
    assert "A para.\n" == out
    assert out == replay(text, removals)


def test_span_that_leaves_nothing_drops_the_line():
    doc = Document("Keep this line.\nread more\n")
    doc.mark_span(16, 25, "W1", "read-more")
    out, removals = apply_marks(doc)
    assert "Keep this line.\n" == out
    assert ["W1"] == [r.rule for r in removals]



def test_adjacent_lines_of_one_rule_are_one_removal_and_other_rules_stay_apart():
    text = "Home\nNews\nSport\nThe article says something.\nShare\nTweet\n"
    doc = Document(text)
    for i in (0, 1, 2):  # three marks of one rule, line by line, as a heuristic makes them
        doc.mark_lines(i, i, "T001", "menu")
    doc.mark_lines(4, 4, "T001", "menu")
    doc.mark_lines(5, 5, "T002", "share")
    out, removals = apply_marks(doc)
    assert "The article says something.\n" == out
    assert [("T001", 1, 3, "Home News Sport"), ("T001", 5, 1, "Share"), ("T002", 6, 1, "Tweet")] == [
        (r.rule, r.line, r.lines, r.excerpt) for r in removals]
    assert out == replay(text, removals)


def test_one_rule_with_two_reasons_is_two_removals():
    doc = Document("Home\nNews\nThe article says something.\n")
    doc.mark_lines(0, 0, "T001", "menu")
    doc.mark_lines(1, 1, "T001", "label")
    _, removals = apply_marks(doc)
    assert [("T001", "menu", 1), ("T001", "label", 2)] == [(r.rule, r.reason, r.line) for r in removals]


lines = st.lists(st.one_of(st.just(""), st.just("Source link"), st.just("Sign up to read this article"),
                           st.just("Advertisement"), st.text(min_size=1, max_size=60).filter(lambda s: "\n" not in s),
                           st.just("A sentence of the article that is long enough to keep. read more")),
                 max_size=25)


@settings(max_examples=150, deadline=None)
@given(lines, st.booleans())
def test_clean_text_replays_and_is_idempotent(rows, final_newline):
    text = "\n".join(rows) + ("\n" if final_newline else "")
    if not text.strip():
        return
    result = CLEANER.clean_text(text)
    assert result.text == replay(result.source_text, result.removals)
    starts = [r.start for r in result.removals]
    assert starts == sorted(starts)
    if result.text.strip():
        again = CLEANER.clean_text(result.text)
        assert again.text.strip() == result.text.strip()
