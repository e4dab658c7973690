"""Markdown articles: [^label] and ^[inline] notes, as markdown-it reads them."""

from __future__ import annotations

from pathlib import Path

from verifier.extract import extract_article, extract_source
from verifier.model import Extraction

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def extract(source: str) -> Extraction:
    return extract_source(source, "article.md", "markdown")


def test_fixture_claims() -> None:
    claims = extract_article(FIXTURES / "notes.md", "notes.md").claims
    got = [(claim.footnote, claim.line, claim.text, claim.urls) for claim in claims]
    assert got == [
        (
            "auto",
            3,
            "The Brannock lighthouse was automated in 1987.",
            ("https://board.example.org/brannock/automation",),
        ),
        (
            "led",
            4,
            "Its lamp was replaced with LEDs in 2019, cutting power use by 80 percent.",
            ("https://energy.example.com/reports/led.pdf",),
        ),
        ("logs", 6, "Keepers' logs mention storms in Jan. 1953.", ()),
        (
            "4",
            8,
            "A visitor centre opened in 2021.",
            ("https://trust.example.org/news/visitor-centre#top",),
        ),
    ]


def test_fixture_citation_metadata_and_archive_pairing() -> None:
    claims = extract_article(FIXTURES / "notes.md", "notes.md").claims
    automation = claims[0].citations[0]
    assert (automation.title, automation.publisher, automation.accessed) == (
        "Automation of Brannock Light",
        "Lighthouse Board",
        "12 May 2024",
    )
    led = claims[1].citations
    assert len(led) == 1
    assert led[0].archive_url == (
        "https://web.archive.org/web/20240101000000/https://energy.example.com/reports/led.pdf"
    )
    assert led[0].title == "LED conversion report"
    assert claims[3].citations[0].normalized_url == "https://trust.example.org/news/visitor-centre"


def test_fixture_warnings() -> None:
    warnings = extract_article(FIXTURES / "notes.md", "notes.md").warnings
    assert [(w.line, w.message.split()[0]) for w in warnings] == [
        (14, "marker"),
        (19, "note"),  # [^logs] has no URL
        (20, "note"),  # [^unused] never referenced
        (21, "note"),  # [^auto] defined twice
    ]


def test_first_definition_of_a_duplicated_label_wins() -> None:
    claims = extract_article(FIXTURES / "notes.md", "notes.md").claims
    assert "dup.example.org" not in " ".join(url for claim in claims for url in claim.urls)


def test_code_is_never_a_claim() -> None:
    source = "```\nA fenced claim.[^1]\n```\n\n    An indented claim.[^1]\n\n[^1]: https://a.example.org/\n"
    extraction = extract(source)
    assert extraction.claims == ()


def test_reused_label_cites_each_sentence() -> None:
    source = "One.[^a] Two.[^a]\n\n[^a]: https://a.example.org/\n"
    claims = extract(source).claims
    assert [(claim.text, claim.urls) for claim in claims] == [
        ("One.", ("https://a.example.org/",)),
        ("Two.", ("https://a.example.org/",)),
    ]


def test_multi_paragraph_note_and_lazy_continuation() -> None:
    source = (
        "Claim.[^long]\n\n[^long]: First paragraph\ncontinues lazily.\n\n"
        "    Second paragraph with https://b.example.org/page.\n\nNot part of the note.\n"
    )
    claims = extract(source).claims
    assert claims[0].urls == ("https://b.example.org/page",)


def test_inline_markup_is_flattened_in_the_claim() -> None:
    source = "The *new* [harbour](https://h.example.org) opened `today`.[^1]\n\n[^1]: https://a.example.org/\n"
    assert extract(source).claims[0].text == "The new harbour opened today."


def test_label_with_space_is_not_a_footnote() -> None:
    source = "Text [^ foo] here.\n\n[^ foo]: bar baz\n"
    assert extract(source).claims == ()


def test_note_in_list_item_and_blockquote() -> None:
    source = "- Item one cites.[^a]\n- Item two.\n\n> Quoted claim.[^a]\n\n[^a]: https://a.example.org/\n"
    claims = extract(source).claims
    assert [(claim.text, claim.line) for claim in claims] == [
        ("Item one cites.", 1),
        ("Quoted claim.", 4),
    ]


def test_link_or_bare_url_ending_a_sentence_cites_it() -> None:
    source = (
        "The port opened in 2023 ([report](https://port.example.org/report)). "
        "The [council](https://council.example.org) voted later.\n"
        "Figures are at https://stats.example.org/figures. "
        "A [reference-style link][ref] is mid-sentence here. It ends [here][ref].\n\n"
        "[ref]: https://ref.example.org/page\n"
    )
    extraction = extract(source)
    assert [(claim.text, claim.urls, claim.line) for claim in extraction.claims] == [
        ("The port opened in 2023 (report).", ("https://port.example.org/report",), 1),
        (
            "Figures are at https://stats.example.org/figures.",
            ("https://stats.example.org/figures",),
            2,
        ),
        ("It ends here.", ("https://ref.example.org/page",), 2),
    ]
    assert extraction.warnings == ()


def test_local_source_link_in_a_note_is_kept_relative() -> None:
    source = "Claim.[^1]\n\n[^1]: [Minutes](sources/minutes.html), 3 May 2024.\n"
    claim = extract(source).claims[0]
    assert claim.urls == ("sources/minutes.html",)
    assert claim.citations[0].title == "Minutes"


def test_publisher_follows_a_linked_title_not_its_target() -> None:
    source = (
        "Claim.[^1]\n\n[^1]: [Bridge reopens](sources/release.html),\n"
        "    Port Ellery Town Council, accessed 15 March 2025.\n"
    )
    citation = extract(source).claims[0].citations[0]
    assert citation.title == "Bridge reopens"
    assert citation.publisher == "Port Ellery Town Council"
    assert citation.accessed == "15 March 2025"


def test_reference_definitions_used_as_numbered_notes() -> None:
    source = (
        "Rents rose 9% in 2023.[1] Wages rose 3%.[2]\n\n"
        '[1]: https://rents.example.org/2023\n[2]: https://wages.example.org/2023 "Wages"\n'
    )
    claims = extract(source).claims
    assert [(claim.text, claim.footnote, claim.urls) for claim in claims] == [
        ("Rents rose 9% in 2023.", "1", ("https://rents.example.org/2023",)),
        ("Wages rose 3%.", "2", ("https://wages.example.org/2023",)),
    ]


def test_plain_text_notes_typed_in_markdown() -> None:
    source = (
        "# Report\n\nThe **harbour** opened in 2023.[1] It cost [a lot](https://x.example.org).[2]\n\n"
        '## Notes\n\n[1] "Harbour opens", Gazette, https://gazette.example.org/h\n\n'
        "[2] Budget, https://budget.example.org/b\n"
    )
    claims = extract(source).claims
    assert [(claim.text, claim.line, claim.urls) for claim in claims] == [
        ("The harbour opened in 2023.", 3, ("https://gazette.example.org/h",)),
        ("It cost a lot.", 3, ("https://budget.example.org/b",)),
    ]


def test_marker_columns_point_at_the_marker() -> None:
    source = (
        "One.[^a] Two.[^b]\n\n> Quote.^[inline https://i.example.org/]\n\n"
        "[^a]: https://a.example.org/\n[^b]: https://b.example.org/\n"
    )
    claims = extract(source).claims
    assert [(claim.line, claim.column) for claim in claims] == [(1, 5), (1, 14), (3, 9)]
