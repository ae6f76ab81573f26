"""HEU030, comment threads after the article: which headers start one, and what stays."""

from cleaner import Cleaner
from cleaner.heuristics.comments import comment_headers
from cleaner.lines.views import line_views
from cleaner.document import Document

ARTICLE = [
    "The council approved the new budget on Tuesday after a debate that lasted more than four hours.",
    "Members of the opposition said the plan would not do enough for the families who need it most.",
    "The mayor, who has held the office since 2019, said the city could not afford to wait any longer.",
    "Under the plan, spending on schools and roads will rise by about a tenth over the next two years.",
    "The vote was close, and several members asked for the decision to be delayed until the spring.",
]
SAYS_THREAD = [
    "Jane Miller says:",
    "I think this is a good plan, but the roads in our street have waited for years.",
    "Tom B. says:",
    "Finally a council that does something about the schools, thank you for the report.",
]
STAMPED_THREAD = [
    "Nick A", "2 days ago at 07:47 am", "Will the buses be part of the plan as well, or is that a separate vote?",
    "fmcshan", "2 days ago at 07:50 am", "The schools need the money more than the roads do, in my view.",
    "tjedora", "2 days ago at 07:51 am", "Nobody asked the people who live here what they wanted, sadly.",
]


def page(*blocks):
    return "\n\n".join("\n".join(b) for b in blocks) + "\n"


def removed_by(text, rule="HEU030"):
    result = Cleaner().clean_text(text)
    return result, [r for r in result.removals if r.rule == rule]


def test_says_thread_after_the_article_goes_to_the_end():
    result, removals = removed_by(page(["City budget passed"], ARTICLE, SAYS_THREAD, ["Privacy Policy"]))
    assert 1 == len(removals)
    assert "Jane Miller" not in result.text and "roads in our street" not in result.text
    assert ARTICLE[0] in result.text and ARTICLE[-1] in result.text


def test_dated_said_headers_start_a_thread():
    thread = [
        "Milan G. on September 12, 2018 at 4:47 pm said:", "Any update on the report that was promised?",
        "Catherine (Staff) on September 13, 2018 at 5:23 pm said:", "Hi Milan, we plan to look at it this year.",
    ]
    result, removals = removed_by(page(["City budget passed"], ARTICLE, thread))
    assert 1 == len(removals)
    assert "Any update" not in result.text and ARTICLE[-1] in result.text


def test_names_over_timestamps_start_a_thread():
    result, removals = removed_by(page(["City budget passed"], ARTICLE, ARTICLE, STAMPED_THREAD))
    assert 1 == len(removals)
    assert "buses" not in result.text and "Nick A" not in result.text


def test_one_header_is_not_a_thread():
    text = page(["City budget passed"], ARTICLE, SAYS_THREAD[:2])
    assert [] == removed_by(text)[1]


def test_thread_at_the_top_is_the_content_and_stays():
    """A forum or Q&A page: the posts come first, there is no article above them."""
    text = page(["Forum: council budget"], SAYS_THREAD, SAYS_THREAD, ARTICLE)
    assert [] == removed_by(text)[1]


def test_byline_over_a_timestamp_is_not_a_comment():
    text = page(["City budget passed"], ["By Jane Miller", "March 3, 2019 at 6:34 am"], ARTICLE,
                ["By Tom Baker", "March 4, 2019 at 6:34 am"], ARTICLE)
    assert [] == removed_by(text)[1]


def test_forum_quote_headers_are_not_comment_headers():
    views = line_views(Document(page(["cynics said:", "On 10/29/2025 at 2:07 PM, GrinGEO said:",
                                      "Published on March 3, 2019 at 6:34 am"])))
    assert [] == comment_headers(views)


def test_thread_can_be_switched_off():
    text = page(["City budget passed"], ARTICLE, SAYS_THREAD)
    assert "Jane Miller says:" in Cleaner(disabled=["HEU030"]).clean_text(text).text


def test_include_comments_keeps_the_thread():
    from cleaner import Cleaner, Config

    prose = "".join(
        f"Paragraph {n} of the report: the council approved the new budget on Monday after a long debate, "
        f"and the mayor said the schools would get most of the extra money in year {2020 + n}.\n"
        for n in range(6))
    thread = ("Anna Berg says:\nGreat decision, finally some money for the schools in our town.\n"
              "Tom Olsen says:\nI disagree with this completely, the roads need it more.\n"
              "Mia Lund says:\nThe libraries deserve a share as well, they have waited long enough.\n")
    text = prose + thread
    assert "Anna Berg says:" not in Cleaner().clean_text(text).text
    assert "Anna Berg says:" in Cleaner(Config(include_comments=True)).clean_text(text).text
