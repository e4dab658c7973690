"""Plain-text articles: bracket markers, note lists, Ibid., split URLs, warnings."""

from __future__ import annotations

from pathlib import Path

from verifier.extract import extract_article, extract_source
from verifier.model import Extraction

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def extract(source: str) -> Extraction:
    return extract_source(source, "article.txt", "text")


def test_fixture_claims_texts_lines_and_urls() -> None:
    extraction = extract_article(FIXTURES / "plain.txt", "plain.txt")
    got = [(claim.footnote, claim.line, claim.text, claim.urls) for claim in extraction.claims]
    budget = "https://calder.example.gov/budget/2023/infrastructure/terminal.pdf"
    assert got == [
        (
            "1",
            3,
            "Port Calder opened its new container terminal in March 2023.",
            ("https://gazette.example.org/news/2023/03/terminal-opens?utm_source=feed&id=7",),
        ),
        ("2", 4, "The terminal cost $412.5 million, according to the city council.", (budget,)),
        (
            "3",
            5,
            'Dr. Ines Okafor, the U.S.-trained harbour engineer, said the quay "would last a '
            'century."',
            (budget,),
        ),
        (
            "4",
            6,
            "Critics, e.g. the Fishermen's Union, called the dredging excessive, in a letter to "
            "the mayor.",
            (),
        ),
        (
            "ii",
            8,
            "The council has not published the dredging survey.",
            ("https://watch.example.net/survey",),
        ),
    ]


def test_fixture_citation_metadata() -> None:
    claims = extract_article(FIXTURES / "plain.txt", "plain.txt").claims
    first = claims[0].citations[0]
    assert (first.title, first.publisher, first.accessed) == (
        "Calder terminal opens",
        "Calder Gazette",
        "02.04.2023",
    )
    assert first.normalized_url == "https://gazette.example.org/news/2023/03/terminal-opens?id=7"
    assert claims[1].citations[0].accessed == "5 April 2023"
    # A note with no URL is still a claim: its citation has url None (-> unavailable: no URL).
    book = claims[3].citations
    assert len(book) == 1 and book[0].url is None
    assert book[0].note.startswith("Okafor, I. Harbours of the North.")


def test_fixture_warnings() -> None:
    warnings = extract_article(FIXTURES / "plain.txt", "plain.txt").warnings
    assert [(w.line, "no URL" in w.message) for w in warnings] == [(19, True)]


def test_ibid_with_page_resolves_to_previous_note() -> None:
    source = "First claim.[1] Second claim.[2]\n\n[1] https://one.example.org/a\n[2] Ibid., p. 4.\n"
    claims = extract(source).claims
    assert [claim.urls for claim in claims] == [("https://one.example.org/a",)] * 2
    assert claims[1].citations[0].note == "Ibid., p. 4."


def test_ibid_with_nothing_before_has_no_url() -> None:
    extraction = extract("A claim.[1]\n\n[1] Ibid.\n")
    assert [claim.citations[0].url for claim in extraction.claims] == [None]
    assert [w.line for w in extraction.warnings] == [3]


def test_marker_without_note_and_note_never_cited_are_warnings() -> None:
    source = (
        "Cited.[1] Uncited claim.[7]\n\n[1] https://a.example.org/\n[2] https://b.example.org/\n"
    )
    extraction = extract(source)
    assert [claim.footnote for claim in extraction.claims] == ["1"]
    assert sorted((w.line, w.message.split()[0]) for w in extraction.warnings) == [
        (1, "marker"),
        (4, "note"),
    ]


def test_duplicate_label_warns_and_first_wins() -> None:
    source = "Claim.[1]\n\n[1] https://first.example.org/\n[1] https://second.example.org/\n"
    extraction = extract(source)
    assert extraction.claims[0].urls == ("https://first.example.org/",)
    assert [w.line for w in extraction.warnings] == [4]


def test_several_markers_on_one_sentence_make_one_claim() -> None:
    source = "Ships were sent.[1][2] Planes too.[3, 4] Then more.[5-6]\n\n" + "".join(
        f"[{n}] https://s{n}.example.org/\n" for n in range(1, 7)
    )
    claims = extract(source).claims
    assert [(claim.text, claim.footnote, len(claim.urls)) for claim in claims] == [
        ("Ships were sent.", "1,2", 2),
        ("Planes too.", "3,4", 2),
        ("Then more.", "5,6", 2),
    ]


def test_marker_after_closing_quote_or_bracket_cites_the_sentence_before() -> None:
    source = (
        'He said "it is done."[1] She disagreed. (They met in May.)[2] Later.\n\n'
        "[1] https://a.example.org/\n[2] https://b.example.org/\n"
    )
    claims = extract(source).claims
    assert [claim.text for claim in claims] == ['He said "it is done."', "(They met in May.)"]


def test_marker_after_space_belongs_to_sentence_before() -> None:
    claims = extract("It rained. [1] Then it stopped.\n\n[1] https://a.example.org/\n").claims
    assert [claim.text for claim in claims] == ["It rained."]


def test_url_split_over_two_lines_is_rejoined() -> None:
    source = (
        "Claim.[1]\n\n[1] Report, https://data.example.org/reports/2024/\n"
        "annual-summary.pdf, accessed 1 May 2024.\n"
    )
    claims = extract(source).claims
    assert claims[0].urls == ("https://data.example.org/reports/2024/annual-summary.pdf",)


def test_several_urls_in_one_note_are_all_cited_in_order() -> None:
    source = "Claim.[1]\n\n[1] See https://a.example.org/x and https://b.example.org/y.\n"
    assert extract(source).claims[0].urls == ("https://a.example.org/x", "https://b.example.org/y")


def test_bracketed_prose_is_not_a_marker() -> None:
    source = "He wrote [sic] that in [2024] it was so.[1]\n\n[1] https://a.example.org/\n"
    claims = extract(source).claims
    assert [claim.text for claim in claims] == ["He wrote [sic] that in [2024] it was so."]


def test_headings_and_bylines_do_not_join_the_first_sentence() -> None:
    source = "Breaking News\nBy A. Writer\nThe vote passed.[1]\n\n[1] https://a.example.org/\n"
    assert [claim.text for claim in extract(source).claims] == ["The vote passed."]


def test_superscript_and_caret_markers_with_numbered_notes_under_a_heading() -> None:
    source = (
        "Rail freight fell by 12% in 2022.\u00b9 Passenger numbers rose.^2 "
        "Prices rose 5%.\u00b3\n\n"
        "The network is 400 km long.\u2074 It was electrified in 1990.\u2075\n\n"
        "Notes\n"
        '1. Smith, J., "Freight report", Rail Office, https://rail.example.org/freight\n'
        "2 https://pass.example.org/\n"
        '\u00b3 Jones, "Prices", https://prices.example.org/x\n'
        "4. Smith, op. cit., p. 9.\n"
        "5. Id.\n"
    )
    claims = extract(source).claims
    freight = ("https://rail.example.org/freight",)
    assert [(claim.footnote, claim.text, claim.urls) for claim in claims] == [
        ("1", "Rail freight fell by 12% in 2022.", freight),
        ("2", "Passenger numbers rose.", ("https://pass.example.org/",)),
        ("3", "Prices rose 5%.", ("https://prices.example.org/x",)),
        ("4", "The network is 400 km long.", freight),  # op. cit. -> Smith's earlier note
        ("5", "It was electrified in 1990.", freight),  # Id. -> the note before
    ]
    assert claims[3].citations[0].note == "Smith, op. cit., p. 9."


def test_numbered_lines_outside_a_notes_section_are_prose() -> None:
    source = "Steps:\n1. Open the valve.[1]\n2. Wait.\n\n[1] https://valve.example.org/\n"
    claims = extract(source).claims
    assert [(claim.text, claim.urls) for claim in claims] == [
        ("Open the valve.", ("https://valve.example.org/",))
    ]


def test_original_and_archive_urls_are_one_citation() -> None:
    source = (
        "Claim.[1]\n\n[1] Report, https://r.example.org/a, archived at "
        "https://web.archive.org/web/20200101000000/https://r.example.org/a\n"
    )
    citations = extract(source).claims[0].citations
    assert [(c.url, c.archive_url) for c in citations] == [
        (
            "https://r.example.org/a",
            "https://web.archive.org/web/20200101000000/https://r.example.org/a",
        )
    ]


def test_author_before_a_quoted_title_is_kept() -> None:
    source = (
        'Claim.[1]\n\n[1] Smith, J., "Freight report", Rail Office, https://rail.example.org/f\n'
    )
    citation = extract(source).claims[0].citations[0]
    assert (citation.author, citation.title, citation.publisher) == (
        "Smith, J.",
        "Freight report",
        "Rail Office",
    )


def test_closing_numbered_list_without_heading_is_the_notes() -> None:
    source = (
        "Freight fell 12% in 2022.[1] Fares rose.[2]\n\n"
        "Steps we took: 1. counted trains.\n\n"
        "1. Freight report, https://rail.example.org/f\n"
        "2. Fares, https://fares.example.org/\n"
    )
    claims = extract(source).claims
    assert [(claim.text, claim.urls) for claim in claims] == [
        ("Freight fell 12% in 2022.", ("https://rail.example.org/f",)),
        ("Fares rose.", ("https://fares.example.org/",)),
    ]


def test_numbered_list_without_markers_stays_prose() -> None:
    source = "Our plan:\n1. Build the quay.\n2. Dredge the channel.\n"
    extraction = extract(source)
    assert extraction.claims == () and extraction.warnings == ()


def test_supra_note_refers_to_the_numbered_note() -> None:
    source = (
        "First.[1] Second.[2] Third.[3]\n\n"
        "[1] Doe, Ports, https://ports.example.org/\n"
        "[2] https://other.example.org/\n"
        "[3] Doe, supra note 1, at 12.\n"
    )
    claims = extract(source).claims
    assert claims[2].urls == ("https://ports.example.org/",)


def test_german_quotes_and_access_date() -> None:
    source = (
        "Behauptung.[1]\n\n[1] M\u00fcller, \u201eHafenbericht\u201c, Hafenamt, "
        "https://hafen.example.de/bericht, abgerufen am 03.05.2024.\n"
    )
    citation = extract(source).claims[0].citations[0]
    assert (citation.title, citation.accessed, citation.author) == (
        "Hafenbericht",
        "03.05.2024",
        "M\u00fcller",
    )


def test_bulleted_bracket_notes() -> None:
    source = "Claim.[1] Other.[2]\n\nSources\n- [1] https://a.example.org/\n- [2] https://b.example.org/\n"
    claims = extract(source).claims
    assert [claim.urls for claim in claims] == [
        ("https://a.example.org/",),
        ("https://b.example.org/",),
    ]


def test_an_uncited_numbered_list_without_urls_is_text_not_notes() -> None:
    source = (
        "Upcoming events at the harbour museum.\n\n"
        "Notes\n\n"
        "12 November 2019 Lantern walk along the quay.\n"
        "8 December 2019 Winter market in the old customs hall.\n"
        "1 January 2020 New year swim.\n"
    )
    extraction = extract(source)
    assert extraction.claims == ()
    assert extraction.warnings == ()


def test_an_uncited_list_of_sources_still_warns_that_markers_are_missing() -> None:
    source = (
        "The terminal opened in March 2023. It cost $412 million.\n\n"
        "[1] Terminal opens, Calder Gazette, https://gazette.example.org/terminal\n"
        "[2] Budget 2023, City of Calder, https://calder.example.gov/budget\n"
    )
    extraction = extract(source)
    assert extraction.claims == ()
    messages = sorted(w.message for w in extraction.warnings)
    assert messages == ["note [1] is never referenced", "note [2] is never referenced"]
