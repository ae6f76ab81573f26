"""Pre-pruning of page furniture before trafilatura (cleaner.extract.prune)."""

from pathlib import Path

import lxml.html

from cleaner import Cleaner
from cleaner.extract.meta import declares_rated_product
from cleaner.extract.prune import is_junk_element, is_review_element, prune_tree

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _page() -> str:
    return (FIXTURES / "html" / "furniture.html").read_text(encoding="utf-8")


def _el(markup: str):
    return lxml.html.fragment_fromstring(markup)


def test_furniture_elements_are_recognised_with_a_reason():
    assert "role" == is_junk_element(_el('<div role="navigation"><a>Home</a></div>'))
    assert "role" == is_junk_element(_el("<nav><a>Home</a></nav>"))
    assert "class" == is_junk_element(_el('<div class="share-buttons">Share</div>'))
    assert "class" == is_junk_element(_el('<div id="newsletter">Sign up</div>'))
    assert "hidden" == is_junk_element(_el('<div style="display: none" itemscope>meta</div>'))


def test_content_lookalikes_are_not_furniture():
    assert None is is_junk_element(_el('<div class="article-body pagination-first">Text</div>'))
    assert None is is_junk_element(_el('<div class="sharepoint-guide">Text</div>'))
    assert None is is_junk_element(_el('<div style="display:none">Accordion answer</div>'))
    assert None is is_junk_element(_el('<main class="related">Text</main>'))
    assert None is is_junk_element(_el('<div class="entry-content print-only">Text</div>'))
    assert None is is_junk_element(_el('<div class="entry themeform share">Text</div>'))


def test_prune_tree_removes_furniture_but_keeps_the_wrapper_with_a_junk_class():
    tree = lxml.html.document_fromstring(_page())
    removed = prune_tree(tree)
    text = tree.text_content()
    assert 4 <= removed
    assert "Share on Facebook" not in text
    assert "morning briefing" not in text
    assert "2024-04-20T09:00:00Z" not in text
    assert "Schools" not in text
    # the content wrapper's class says "related-layout" but it holds the article: it stays
    assert "sixty desks" in text
    assert "quiet place to work late" in text


def test_clean_html_keeps_the_article_and_drops_furniture_and_title_copy():
    result = Cleaner().clean_html(_page())
    assert "The town library will stay open until midnight" in result.text
    assert "twenty in the children's section" in result.text
    assert "Share on Facebook" not in result.text
    assert "morning briefing" not in result.text
    assert "2024-04-20T09:00:00Z" not in result.text
    assert not result.text.startswith("Library extends opening hours")
    assert result.metadata["title"].startswith("Library extends opening hours")


def _product_page() -> str:
    return (FIXTURES / "html" / "rated-product.html").read_text(encoding="utf-8")


def test_review_elements_are_named_by_any_word_of_their_class_or_id():
    assert is_review_element(_el('<section id="customerReviews">x</section>'))
    assert is_review_element(_el('<div class="pdp-reviews__list">x</div>'))
    assert is_review_element(_el('<div class="kundenBewertungen">x</div>'))
    assert not is_review_element(_el('<div class="preview-image">x</div>'))
    assert not is_review_element(_el('<div class="product-description">x</div>'))


def test_a_rated_product_page_declares_itself_so():
    assert declares_rated_product(lxml.html.document_fromstring(_product_page()))
    unrated = _product_page().replace('"aggregateRating"', '"brand"')
    assert not declares_rated_product(lxml.html.document_fromstring(unrated))


def test_prune_tree_drops_reviews_only_when_asked():
    tree = lxml.html.document_fromstring(_product_page())
    prune_tree(tree)
    assert "Straps wore through" in tree.text_content()
    tree = lxml.html.document_fromstring(_product_page())
    prune_tree(tree, reviews=True)
    assert "Straps wore through" not in tree.text_content()
    assert "Padded hip belt" in tree.text_content()


def test_clean_html_drops_the_reviews_of_a_rated_product_unless_comments_are_kept():
    page = _product_page()
    text = Cleaner().clean_html(page).text
    assert "Padded hip belt with two zip pockets" in text
    assert "30 litres" in text
    assert "Straps wore through" not in text
    assert "Straps wore through" in Cleaner(include_comments=True).clean_html(page).text
    # a page that declares no customer ratings keeps the section (when unsure, keep)
    assert "Straps wore through" in Cleaner().clean_html(page.replace('"aggregateRating"', '"brand"')).text


def test_consent_and_newsletter_words_mark_furniture_inside_hyphenated_names_too():
    assert "class" == is_junk_element(_el('<p class="gdpr-banner__text">We use cookies</p>'))
    assert "class" == is_junk_element(_el('<div id="consent-notice">We use cookies</div>'))
    assert "class" == is_junk_element(_el('<form class="footer-newsletter-form">Sign up</form>'))
    # other junk words still match whole names only ("cookie" may be a recipe)
    assert None is is_junk_element(_el('<div class="share-price-table">Text</div>'))
    assert None is is_junk_element(_el('<div class="cookie-recipe">Text</div>'))
