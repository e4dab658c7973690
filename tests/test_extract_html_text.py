"""HTML pages whose notes are not linked, laid out as plain text (verifier.extract.html_text):
every visible word reaches the text reader, blocks on lines of their own."""

from __future__ import annotations

from verifier.extract import extract_source
from verifier.model import Extraction


def extract(source: str) -> Extraction:
    return extract_source(source, "article.html", "html")


def test_text_around_blocks_inside_a_block_and_loose_in_body_is_read() -> None:
    source = (
        "<html><body>\n"
        '<div class="entry">\n'
        "  Ministers met in Oslo on Monday.[1]\n"
        "  <p>The summit ended early.[2]</p>\n"
        "  Exports rose 3% in May.[3]\n"
        "</div>\n"
        "Fishing quotas were left unchanged.[1]\n"
        "<p>[1] Oslo meeting, https://news.example.org/oslo</p>\n"
        "<p>[2] Summit report, https://news.example.org/summit</p>\n"
        "<p>[3] Trade figures, https://trade.example.org/may</p>\n"
        "</body></html>"
    )
    extraction = extract(source)
    assert [(claim.line, claim.text, claim.urls) for claim in extraction.claims] == [
        (3, "Ministers met in Oslo on Monday.", ("https://news.example.org/oslo",)),
        (4, "The summit ended early.", ("https://news.example.org/summit",)),
        (5, "Exports rose 3% in May.", ("https://trade.example.org/may",)),
        (7, "Fishing quotas were left unchanged.", ("https://news.example.org/oslo",)),
    ]
    assert extraction.warnings == ()


def test_numbered_note_whose_text_is_a_paragraph_keeps_its_number() -> None:
    source = (
        "<body><p>Bus ridership recovered in 2023.<sup>1</sup></p>\n"
        "<h2>Notes</h2>\n"
        "<ol>\n"
        "<li><p>Transit survey, https://transit.example.org/2023</p></li>\n"
        "</ol></body>"
    )
    claims = extract(source).claims
    assert [(claim.text, claim.footnote, claim.urls) for claim in claims] == [
        ("Bus ridership recovered in 2023.", "1", ("https://transit.example.org/2023",))
    ]


def test_figures_and_rules_separate_the_text_around_them() -> None:
    source = (
        '<body><div class="post">\n'
        "Exports fell 3% in March.[1]\n"
        '<figure><img src="/chart.png" alt=""> Monthly exports, 2024</figure>\n'
        "Imports were flat.[2]\n"
        "<hr>\n"
        "[1] Trade bulletin, https://trade.example.org/march\n"
        "<hr>\n"
        "[2] Customs data, https://customs.example.org/q1\n"
        "</div></body>"
    )
    extraction = extract(source)
    assert [(claim.line, claim.text, claim.urls) for claim in extraction.claims] == [
        (2, "Exports fell 3% in March.", ("https://trade.example.org/march",)),
        (4, "Imports were flat.", ("https://customs.example.org/q1",)),
    ]
    assert extraction.warnings == ()
