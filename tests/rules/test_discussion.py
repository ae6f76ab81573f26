"""On a page that declares itself a discussion, a rule that drops to the end drops its line only."""

from cleaner import Cleaner, Config
from cleaner.document import Document

REPLIES = [
    "The question is why the loop never ends, and the answer is that the counter is reset inside it.",
    "3 Comments",
    "Move the reset above the loop and it will stop after ten rounds, as you expected it to.",
    "Another way is a for loop over a range, which keeps the counter out of your hands entirely.",
]


def _removed(discussion: bool) -> list[tuple[str, str]]:
    cleaner = Cleaner(Config(heuristics=False))
    result = cleaner.clean_document(Document("\n".join(REPLIES) + "\n", "html", discussion=discussion))
    return [(r.rule, r.excerpt) for r in result.removals]


def test_the_heading_of_the_replies_goes_and_the_replies_stay():
    assert [("CMT001", "3 Comments")] == _removed(True)


def test_elsewhere_the_comment_section_goes_to_the_end():
    removed = _removed(False)
    assert ["CMT001"] == [rule for rule, _ in removed]
    assert removed[0][1].startswith("3 Comments Move the reset")
