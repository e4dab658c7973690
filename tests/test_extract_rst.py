"""reStructuredText articles: [1]_, [#]_, [#name]_, [*]_, [Citation]_ and `.. [label]` notes."""

from __future__ import annotations

from pathlib import Path

from verifier.extract import extract_article, extract_source
from verifier.model import Extraction

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def fixture() -> Extraction:
    return extract_article(FIXTURES / "article.rst", "article.rst")


def test_fixture_claims() -> None:
    got = [(claim.line, claim.footnote, claim.text, claim.urls) for claim in fixture().claims]
    assert got == [
        (
            5,
            "1,2",
            "The Calder canal opened in 1804 and carried coal until 1952.",
            (
                "https://canal.example.org/history",
                "https://coal.example.org/records?utm_medium=x",
            ),
        ),
        (
            6,
            "3,Hadley1999",
            "Barges were horse-drawn until 1921, when the towpath was closed.",
            ("https://towpath.example.org/closure",),
        ),
        (11, "4", "Restoration began in 2010.", ("https://restore.example.org/",)),
        (17, "*", "Locks: 32 in total.", ()),
    ]


def test_fixture_metadata() -> None:
    first = fixture().claims[0].citations
    assert (first[0].title, first[0].publisher, first[0].accessed) == (
        "Calder canal history",
        "Canal Trust",
        "2 March 2024",
    )
    assert first[1].title == "Coal traffic records"
    assert first[1].normalized_url == "https://coal.example.org/records"


def test_fixture_warnings() -> None:
    assert [(w.line, w.message.split()[0]) for w in fixture().warnings] == [
        (25, "note"),  # [*] has no URL
        (26, "note"),  # [Hadley1999] has no URL
        (27, "note"),  # [9] never referenced
    ]


def test_auto_numbers_skip_manual_numbers() -> None:
    source = (
        "One [#]_. Two [1]_. Three [#]_.\n\n"
        ".. [#] https://a.example.org/\n.. [1] https://b.example.org/\n.. [#] https://c.example.org/\n"
    )
    claims = extract_source(source, "a.rst", "rst").claims
    assert [(claim.text, claim.footnote, claim.urls) for claim in claims] == [
        ("One.", "2", ("https://a.example.org/",)),
        ("Two.", "1", ("https://b.example.org/",)),
        ("Three.", "3", ("https://c.example.org/",)),
    ]


def test_missing_definition_is_a_warning() -> None:
    extraction = extract_source("A claim [7]_.\n", "a.rst", "rst")
    assert extraction.claims == ()
    assert [(w.line, w.message.split()[0]) for w in extraction.warnings] == [(1, "marker")]
