"""main_text: HTML main text, PDF, plain text, charsets that lie, binary served as text."""

from __future__ import annotations

import gzip

import pytest
from fixtures.fetch.make_pdf import minimal_pdf

from verifier.model import UnavailableReason
from verifier.text import PageText, UnreadableContent, main_text

ARTICLE = """<!doctype html><html><head><title>Iwaya visits Seoul | Example News</title>
<meta property="og:title" content="Iwaya visits Seoul"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<article><h1>Iwaya visits Seoul</h1>
<p>Foreign Minister Takeshi Iwaya arrived in Seoul on Monday for two days of talks.</p>
<p>He met his South Korean counterpart to discuss the 2025 summit and trade.</p>
<p>Officials said the visit was the first by a Japanese foreign minister in a year.</p>
</article>
<footer>Copyright 2024 Example News. All rights reserved.</footer>
<script>var tracking = "should never appear";</script>
</body></html>"""


def test_html_main_text_keeps_every_article_sentence_and_drops_scripts() -> None:
    page = main_text(ARTICLE.encode(), "text/html; charset=utf-8", "https://news.test/a")
    assert isinstance(page, PageText)
    for sentence in (
        "Foreign Minister Takeshi Iwaya arrived in Seoul on Monday for two days of talks.",
        "He met his South Korean counterpart to discuss the 2025 summit and trade.",
        "Officials said the visit was the first by a Japanese foreign minister in a year.",
    ):
        assert sentence in page.text
    assert "tracking" not in page.text
    assert page.title == "Iwaya visits Seoul"


def test_html_without_content_type_is_sniffed() -> None:
    page = main_text(ARTICLE.encode(), None)
    assert "Takeshi Iwaya arrived in Seoul" in page.text


def test_utf8_bytes_labelled_latin1_decode_as_utf8() -> None:
    html = "<html><body><p>Zoë Müller met François in Zürich to sign the accord.</p></body></html>"
    page = main_text(html.encode("utf-8"), "text/html; charset=iso-8859-1")
    assert "Zoë Müller met François in Zürich" in page.text


def test_cp1252_bytes_labelled_utf8_are_detected() -> None:
    text = "The committee\u2019s \u201cfinal\u201d report was published in Zürich and Genève. " * 3
    page = main_text(text.encode("cp1252"), "text/plain; charset=utf-8")
    assert "committee\u2019s \u201cfinal\u201d report" in page.text
    assert "Zürich" in page.text


def test_meta_charset_is_used_when_the_header_has_none() -> None:
    html = (
        '<html><head><meta charset="windows-1252"></head>'
        "<body><p>Café \u201cau lait\u201d für alle Leute hier.</p></body></html>"
    )
    page = main_text(html.encode("cp1252"), "text/html")
    assert "Café \u201cau lait\u201d für alle" in page.text


def test_plain_text_is_returned_whole() -> None:
    page = main_text(b"Line one of the report.\n\nLine two of the report.\n", "text/plain")
    assert page == PageText("Line one of the report.\n\nLine two of the report.", None)


def test_pdf_text_comes_from_pypdf_even_when_mislabelled() -> None:
    body = minimal_pdf("The treaty was signed in 1951 by 48 nations.")
    for content_type in ("application/pdf", "application/octet-stream", "text/html"):
        page = main_text(body, content_type)
        assert "The treaty was signed in 1951 by 48 nations." in page.text


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "text/html"),
        (gzip.compress(b"<html>hidden</html>"), "text/html"),
        (bytes(range(256)) * 8, None),
        (b"just some bytes", "image/jpeg"),
    ],
)
def test_binary_content_is_not_text(body: bytes, content_type: str | None) -> None:
    with pytest.raises(UnreadableContent) as caught:
        main_text(body, content_type)
    assert caught.value.reason is UnavailableReason.NOT_TEXT


def test_empty_body_and_broken_pdf_are_unreadable() -> None:
    with pytest.raises(UnreadableContent) as empty:
        main_text(b"   \n", "text/html")
    assert empty.value.reason is UnavailableReason.UNREADABLE
    with pytest.raises(UnreadableContent) as broken:
        main_text(b"%PDF-1.4\nthis is not really a pdf", "application/pdf")
    assert broken.value.reason in {UnavailableReason.UNREADABLE, UnavailableReason.NOT_TEXT}


def test_short_page_falls_back_to_visible_text() -> None:
    html = "<html><body><div><span>Paris is the capital of France.</span></div></body></html>"
    assert main_text(html.encode(), "text/html").text == "Paris is the capital of France."


def _paragraphs(prefix: str, count: int) -> str:
    return "".join(
        f"<p>{prefix} paragraph {n} says the ministry confirmed figure {n * 7} in its report "
        f"on regional trade and security cooperation this year.</p>"
        for n in range(count)
    )


def test_an_article_split_around_ads_is_read_whole() -> None:
    body_class = "grid--item body body__container article__body"
    page = (
        "<html><head><title>Split</title></head><body><main><article>"
        f'<div class="grid"><div class="{body_class}">{_paragraphs("First", 6)}</div>'
        '<div class="rail"><div class="ad">Advertisement</div></div></div>'
        '<div class="full-bleed-ad"><span>Advertisement</span></div>'
        f'<div class="grid"><div class="{body_class}">{_paragraphs("Second", 4)}</div></div>'
        "</article></main></body></html>"
    )
    text = main_text(page.encode(), "text/html").text
    assert "First paragraph 0 says" in text
    assert "Second paragraph 3 says" in text
    assert text.index("First paragraph 5") < text.index("Second paragraph 0")


def test_quoted_tweets_and_captions_inside_the_article_are_kept() -> None:
    page = (
        "<html><head><title>Quote</title></head><body><div class='site'><nav>Home News</nav>"
        "<article><div class='story'>"
        f"{_paragraphs('Opening', 3)}"
        '<blockquote class="twitter-tweet"><p>We will not raise tariffs this year, '
        "full stop.</p>&mdash; Trade Minister (@trade_min) November 18, 2019</blockquote>"
        "<figure><img src='x.jpg'><figcaption>The minister in Seoul on Monday.</figcaption>"
        f"</figure>{_paragraphs('Closing', 3)}</div></article>"
        "<aside class='related'><p>Another story entirely about football transfers.</p></aside>"
        "</div></body></html>"
    )
    text = main_text(page.encode(), "text/html").text
    assert "We will not raise tariffs this year, full stop." in text
    assert "The minister in Seoul on Monday." in text
    assert text.index("Opening paragraph 2") < text.index("We will not raise tariffs")
    assert text.index("We will not raise tariffs") < text.index("Closing paragraph 0")
    assert "football transfers" not in text


def test_related_stories_far_from_the_article_are_not_added() -> None:
    teasers = _paragraphs("Celebrity wedding teaser", 5)
    page = (
        "<html><head><title>T</title></head><body>"
        f'<div><div><div><div><div class="story-text">{_paragraphs("Main", 6)}</div></div></div>'
        f'</div></div><aside><div><div><div class="story-text">{teasers}</div></div></div></aside>'
        "</body></html>"
    )
    text = main_text(page.encode(), "text/html").text
    assert "Main paragraph 5" in text
    assert "Celebrity wedding" not in text


def test_deeply_nested_or_odd_markup_does_not_crash() -> None:
    for markup in (
        "<div>" * 3000 + "deep text here" + "</div>" * 3000,
        '<?xml version="1.0" encoding="utf-8"?><html><body><p>XHTML with a declaration, '
        "long enough to be read as the page's main text for the test.</p></body></html>",
        "<html><body><p>unclosed <b>tags <i>everywhere<p>and more",
    ):
        try:
            main_text(markup.encode(), "text/html")
        except UnreadableContent as error:
            assert error.reason is UnavailableReason.UNREADABLE


def test_markup_is_bounded_before_extraction() -> None:
    from verifier.text.html import MAX_MARKUP_CHARS, bounded_markup

    scripts = "<script>var x = '" + "a" * 10_000 + "';</script><STYLE>p{}</STYLE>"
    assert bounded_markup(f"<p>kept</p>{scripts}<p>also</p>") == "<p>kept</p><p>also</p>"
    huge = "<p>" + "word " * (MAX_MARKUP_CHARS // 4) + "</p>"
    assert len(bounded_markup(huge)) == MAX_MARKUP_CHARS


def test_the_recovery_pass_leaves_pages_with_too_many_paragraphs_alone() -> None:
    from verifier.text.recall import MAX_PARAGRAPHS, parse_html, recover_dropped_text

    kept = "Paragraph kept by the extractor, long enough to anchor the article."
    dropped = "<div class='body'><p>" + "A dropped continuation paragraph of the article. " * 8
    small = f"<html><body><div class='body'><p>{kept}</p></div>{dropped}</p></div></body></html>"
    tree = parse_html(small)
    assert tree is not None and "dropped continuation" in recover_dropped_text(tree, kept)
    filler = "<p>x</p>" * MAX_PARAGRAPHS
    tree = parse_html(small.replace("</body>", filler + "</body>"))
    assert tree is not None and recover_dropped_text(tree, kept) == kept


def test_pdf_words_broken_at_line_ends_are_joined() -> None:
    body = minimal_pdf("The treaty was signed by forty-eight na-", "tions in San Francisco.")
    text = main_text(body, "application/pdf").text
    assert "forty-eight nations in San Francisco." in " ".join(text.split())


FAQ_PAGE = """<html><head><title>Fares FAQ</title></head><body><h1>Fares FAQ</h1>
<details><summary>Do fares rise in 2025?</summary>Yes, by 4% from January.</details>
<details><summary>Are season passes affected?</summary>No, passes keep their price.</details>
Last updated March 2025.</body></html>"""


@pytest.mark.parametrize("parser", ["lxml", "html.parser"])
def test_visible_text_fallback_keeps_a_summary_apart_from_what_it_discloses(parser: str) -> None:
    # The page's whole visible text is what main_text answers when trafilatura finds too
    # little; html.parser (bs4) reads the pages lxml gives up on.
    from bs4 import BeautifulSoup

    from verifier.text.html import _soup_visible_text, _visible_text
    from verifier.text.recall import parse_html

    if parser == "lxml":
        tree = parse_html(FAQ_PAGE)
        assert tree is not None
        text = _visible_text(tree)
    else:
        text = _soup_visible_text(BeautifulSoup(FAQ_PAGE, "html.parser"))
    assert text.split("\n\n") == [
        "Fares FAQ",
        "Do fares rise in 2025?",
        "Yes, by 4% from January.",
        "Are season passes affected?",
        "No, passes keep their price.",
        "Last updated March 2025.",
    ]
