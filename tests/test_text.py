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
