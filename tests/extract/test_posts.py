"""Putting back the other posts of a thread trafilatura kept one post of (cleaner.extract.posts)."""

import lxml.html

from cleaner.extract.blocks import Block, page_blocks
from cleaner.extract.posts import add_posts, find_posts
from cleaner.settings import Favor

_POSTS = [
    "Has anyone replaced the rubber seal on an old pressure cooker? Mine leaks steam around the lid "
    "and I cannot find the part number anywhere in the manual that came with it.",
    "I had the same problem last winter. The seal is a standard size, so measure the inside of the lid "
    "and order one by its diameter; mine cost less than five pounds and fits well.",
    "Before you buy a new seal, soak the old one in warm water for an hour. Sometimes it has only dried "
    "out and shrunk a little, and it will sit properly in the groove again.",
    "Also check the little valve in the middle of the lid. When it is clogged with food the pressure "
    "pushes the steam out at the edge instead, and a new seal will not help at all.",
]


def _thread(opening_class: str = "post") -> str:
    posts = "".join(f'<div class="{opening_class if i == 0 else "post"}"><p>{p}</p></div>'
                    for i, p in enumerate(_POSTS))
    return f'<html><body><nav><a href="/">Forum</a></nav><div class="thread">{posts}</div></body></html>'


def test_like_siblings_holding_prose_make_a_run():
    tree = lxml.html.document_fromstring(_thread())
    members, runs = find_posts(tree)
    assert [0, 0, 0, 0] == runs
    blocks = page_blocks(tree, members)
    assert [(p, m) for m, p in enumerate(_POSTS)] == [(b.text, b.member) for b in blocks if b.member >= 0]
    assert [-1] == [b.member for b in blocks if b.text == "Forum"]


def test_the_other_posts_of_the_run_come_back_in_place():
    tree = lxml.html.document_fromstring(_thread())
    members, runs = find_posts(tree)
    blocks = page_blocks(tree, members)
    assert _POSTS == add_posts(_POSTS[0], blocks, runs).split("\n")
    assert _POSTS[0] == add_posts(_POSTS[0], blocks, runs, Favor.PRECISION)  # precision: the post alone


def test_text_outside_the_run_or_holding_most_of_it_is_left_alone():
    tree = lxml.html.document_fromstring(_thread())
    members, runs = find_posts(tree)
    blocks = page_blocks(tree, members)
    most = "\n".join(_POSTS[:3])
    assert most == add_posts(most, blocks, runs)
    article = "A long article body that is not one of the posts of the thread below it at all, really."
    outside = blocks + [Block(article)]
    assert article == add_posts(article, outside, runs)


def test_three_like_siblings_are_not_a_run():
    tree = lxml.html.document_fromstring(_thread().replace(f'<div class="post"><p>{_POSTS[3]}</p></div>', ""))
    assert ({}, []) == find_posts(tree)


def _discussion(declared: str) -> str:
    """An opening post outside the run of its replies, as forums and Q&A sites lay them out."""
    replies = "".join(f'<div class="reply"><p>{p}</p></div>' for p in _POSTS[1:] + _POSTS[1:2])
    return (f'<html><head>{declared}</head><body><div class="question"><p>{_POSTS[0]}</p></div>'
            f'<div class="answers">{replies}</div></body></html>')


def test_a_page_that_declares_a_discussion_gets_its_replies_back():
    from cleaner.extract.meta import declares_thread

    ld = '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "QAPage"}</script>'
    tree = lxml.html.document_fromstring(_discussion(ld))
    assert declares_thread(tree)
    members, runs = find_posts(tree)
    blocks = page_blocks(tree, members)
    assert _POSTS + [_POSTS[1]] == add_posts(_POSTS[0], blocks, runs, thread=True).split("\n")
    # undeclared, the same layout is an article with a comment section: left alone
    assert _POSTS[0] == add_posts(_POSTS[0], blocks, runs)
    assert _POSTS[0] == add_posts(_POSTS[0], blocks, runs, Favor.PRECISION, thread=True)


def test_only_discussion_types_declare_a_thread():
    from cleaner.extract.meta import declares_thread

    def declared(head: str, body: str = "<p>x</p>") -> bool:
        return declares_thread(lxml.html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>"))

    ld = '<script type="application/ld+json">{}</script>'
    assert declared(ld.replace("{}", '{"@graph": [{"@type": ["WebPage", "DiscussionForumPosting"]}]}'))
    assert declared("", '<main itemscope itemtype="http://schema.org/DiscussionForumPosting"><p>x</p></main>')
    # microdata may name several types, separated by spaces; any of them may be the thread
    assert declared("", '<div itemscope itemtype="https://schema.org/QAPage https://schema.org/WebPage">x</div>')
    assert declared("", '<div itemscope itemtype=" https://schema.org/WebPage\n https://schema.org/QAPage/ ">x</div>')
    assert not declared("", '<div itemscope itemtype="https://schema.org/WebPage https://schema.org/Article">x</div>')
    assert not declared(ld.replace("{}", '{"@type": "FAQPage", "mainEntity": [{"@type": "Question"}]}'))
    assert not declared(ld.replace("{}", '{"@type": "NewsArticle", "comment": [{"@type": "Comment"}]}'))
    assert not declared('<script>var t = {"@type": "QAPage"};</script>')  # not JSON-LD


def test_extraction_tells_the_cleaner_the_page_is_a_discussion():
    from cleaner.extract.page import extract_html

    ld = '<script type="application/ld+json">{"@type": "DiscussionForumPosting"}</script>'
    declared = extract_html(_discussion(ld))
    assert declared.discussion
    assert all(post in declared.text for post in _POSTS)
    assert not extract_html(_discussion("")).discussion


def _opening_and_replies(head: str = "", opening: str = _POSTS[0]) -> str:
    """A short opening post outside the run of its replies, on a page that declares no type."""
    replies = "".join(f'<div class="comment"><p>{p}</p><p>{p}</p></div>' for p in _POSTS[1:] + _POSTS[1:])
    return (f'<html><head>{head}</head><body><div class="story"><p>{opening}</p></div>'
            f'<div class="comments">{replies}</div></body></html>')


def test_a_short_text_followed_by_a_long_run_of_posts_opens_a_thread():
    from cleaner.extract.posts import opens_thread

    tree = lxml.html.document_fromstring(_opening_and_replies())
    members, runs = find_posts(tree)
    blocks = page_blocks(tree, members)
    assert opens_thread(_POSTS[0], blocks, runs)
    assert _POSTS[1] in add_posts(_POSTS[0], blocks, runs, thread=True)
    # a long text is an article, whatever follows it; and a text the run holds is not an opening
    long_post = " ".join([_POSTS[0]] * 12)
    tree = lxml.html.document_fromstring(_opening_and_replies(opening=long_post))
    members, runs = find_posts(tree)
    assert not opens_thread(long_post, page_blocks(tree, members), runs)
    assert not opens_thread(_POSTS[1], blocks, runs)


def test_only_article_types_declare_an_article():
    from cleaner.extract.meta import declares_article

    def declared(head: str, body: str = "<p>x</p>") -> bool:
        return declares_article(lxml.html.document_fromstring(f"<html><head>{head}</head><body>{body}</body></html>"))

    assert declared('<meta property="og:type" content="article">')
    assert declared('<script type="application/ld+json">{"@graph": [{"@type": ["WebPage", "NewsArticle"]}]}</script>')
    assert declared("", '<article itemscope itemtype="https://schema.org/BlogPosting"><p>x</p></article>')
    assert not declared('<meta property="og:type" content="website">')
    assert not declared('<script type="application/ld+json">{"@type": "WebPage"}</script>')


def test_an_undeclared_thread_gets_its_replies_but_an_article_keeps_its_comments_out(monkeypatch):
    import trafilatura

    from cleaner.extract import page

    real = trafilatura.bare_extraction

    def opening_only(tree, **kwargs):  # trafilatura keeps the opening post, as on Slashdot
        result = real(tree, **kwargs)
        result.text = _POSTS[0]
        return result

    monkeypatch.setattr(trafilatura, "bare_extraction", opening_only)
    undeclared = page.extract_html(_opening_and_replies())
    assert undeclared.discussion and all(p in undeclared.text for p in _POSTS)
    article = page.extract_html(_opening_and_replies('<meta property="og:type" content="article">'))
    assert not article.discussion  # (grow_text may still add a run after it, as on any article)
    assert not page.extract_html(_opening_and_replies(), favor=Favor.PRECISION).discussion


def test_a_form_inside_a_post_is_not_page_furniture():
    html = _opening_and_replies().replace("<p>", "<form><p>").replace("</p>", "</p></form>")
    tree = lxml.html.document_fromstring(html)
    members, runs = find_posts(tree)
    blocks = page_blocks(tree, members)
    assert {0} == {b.aside for b in blocks if b.member >= 0}
    assert {1} == {b.aside for b in blocks if b.member < 0}  # the opening post's form still counts


_CARDS = [
    ("Council opens a new library on the harbour front",
     "The building has three floors of books, a children's room and a café that stays open late."),
    ("Night buses return to the western suburbs",
     "Four routes run again from Friday, every half hour between midnight and five in the morning."),
    ("School meals to use more food from local farms",
     "The council signed contracts with eleven farms that will deliver vegetables to forty schools."),
    ("Harbour swimming area opens for the summer",
     "Lifeguards watch the water every afternoon and the changing rooms have been rebuilt this spring."),
]


def _listing() -> str:
    """A section front: a run of cards, each a linked headline over its teaser."""
    cards = "".join(f'<li class="card"><h3><a href="/story/{n}">{title}</a></h3><p>{teaser}</p></li>'
                    for n, (title, teaser) in enumerate(_CARDS))
    return f'<html><body><nav><a href="/">Home</a></nav><ul class="stories">{cards}</ul></body></html>'


def test_the_other_cards_of_a_listing_come_back_with_their_linked_headlines():
    tree = lxml.html.document_fromstring(_listing())
    members, runs = find_posts(tree)
    blocks = page_blocks(tree, members)
    first = "\n".join(_CARDS[0])
    assert [line for card in _CARDS for line in card] == add_posts(first, blocks, runs).split("\n")


def test_short_links_of_a_card_stay_out_and_a_thread_takes_no_links():
    from cleaner.extract.posts import eligible_card_block

    assert eligible_card_block(Block(_CARDS[1][0], link_share=1.0))
    assert not eligible_card_block(Block("Read more", link_share=1.0))
    assert not eligible_card_block(Block(_CARDS[1][0], link_share=1.0, figure=True))
    tree = lxml.html.document_fromstring(_listing())
    members, runs = find_posts(tree)
    blocks = page_blocks(tree, members)
    # a thread's posts come back without their links (user names, "reply", "quote")
    assert [_CARDS[0][0], _CARDS[0][1]] + [teaser for _title, teaser in _CARDS[1:]] == \
        add_posts("\n".join(_CARDS[0]), blocks, runs, thread=True).split("\n")
