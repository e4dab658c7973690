"""Wikitext articles: <ref> notes, cite templates, named/list-defined refs, {{sfn}}, tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.extract import extract_article, extract_source
from verifier.model import Extraction

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
WIKITEXT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "footnotes" / "wikitext"


def extract(source: str) -> Extraction:
    return extract_source(source, "article.wiki", "wikitext")


def fixture() -> Extraction:
    return extract_article(FIXTURES / "article.wiki", "article.wiki")


def test_fixture_claims_and_urls() -> None:
    got = [(claim.line, claim.text, claim.urls) for claim in fixture().claims]
    facts = "https://roads.example.org/ferrow?utm_source=wiki"
    assert got == [
        (5, "Ferrow Bridge is a suspension bridge over the River Ferrow.", (facts,)),
        (
            5,
            "It was opened in 2001 by Gov. Aldous Reyne.",
            ("https://news.example.com/2001/opening",),
        ),
        (
            8,
            "Construction began in 1996, after a long debate.",
            (facts, "https://books.example.org/marlow-1999"),
        ),
        (8, "The towers are 120 m tall.", ("https://towers.example.org/",)),
        (10, "Engineers praised the design.", ()),
        (12, "Tolls were abolished in 2015.", ("https://tolls.example.org/history",)),
        (18, "2016 | 40,000 vehicles a day", ("https://stats.example.org/traffic/2016",)),
    ]


def test_cite_template_metadata_and_archive_pairing() -> None:
    citation = fixture().claims[0].citations[0]
    assert citation.title == "Ferrow bridge facts"
    assert citation.publisher == "Roads Agency"
    assert citation.accessed == "1 February 2024"
    assert citation.archive_url == (
        "https://web.archive.org/web/20230101000000/https://roads.example.org/ferrow"
    )
    assert citation.normalized_url == "https://roads.example.org/ferrow"


def test_labels_follow_wikipedia_numbering_and_groups() -> None:
    # The infobox's ref is not a claim, but readers see it as [1].
    assert [claim.footnote for claim in fixture().claims] == [
        "2",
        "3",
        "2,4",
        "5",
        "note 1",
        "6",
        "7",
    ]


def test_warnings() -> None:
    assert [(w.line, w.message.split()[0]) for w in fixture().warnings] == [
        (10, "note"),  # [note 1] has no URL
        (25, "note"),  # [unused] is never referenced
    ]


def test_comments_and_infoboxes_are_not_claims_but_captions_are() -> None:
    source = (
        "{{Infobox|a=Boxed claim.<ref>https://box.example.org</ref>}}\n"
        "<!-- Hidden claim.<ref>https://hidden.example.org</ref> -->\n"
        "[[File:Map.png|thumb|250px|A caption claim.<ref>https://file.example.org</ref>]]\n"
        "[[File:Icon.png|20px]] [[Category:Bridges]]\n"
        "Visible claim.<ref>https://seen.example.org</ref>\n"
    )
    claims = extract(source).claims
    assert [(claim.text, claim.line, claim.urls) for claim in claims] == [
        ("A caption claim.", 3, ("https://file.example.org",)),
        ("Visible claim.", 5, ("https://seen.example.org",)),
    ]


def test_named_ref_defined_after_its_first_use() -> None:
    source = (
        'First.<ref name="x" /> Second.<ref name="x">{{cite web |url=https://x.example.org/a '
        "|title=X}}</ref>\n"
    )
    claims = extract(source).claims
    assert [(claim.text, claim.footnote, claim.urls) for claim in claims] == [
        ("First.", "1", ("https://x.example.org/a",)),
        ("Second.", "1", ("https://x.example.org/a",)),
    ]


def test_multiline_ref_does_not_break_the_paragraph() -> None:
    source = (
        "The dam is 40 m high.<ref>{{cite web\n|url=https://dam.example.org/\n|title=Dam\n}}</ref>"
        " It holds water.\n"
    )
    claims = extract(source).claims
    assert [(claim.text, claim.urls) for claim in claims] == [
        ("The dam is 40 m high.", ("https://dam.example.org/",))
    ]


def test_website_parameter_is_not_a_cited_url() -> None:
    source = (
        "Claim.<ref>{{cite web |url=https://a.example.org/p |website=www.a.example.org}}</ref>\n"
    )
    assert extract(source).claims[0].urls == ("https://a.example.org/p",)


def test_doi_stands_in_for_a_missing_url() -> None:
    source = "Claim.<ref>{{cite journal |title=T |doi=10.1000/xyz123 |year=2001}}</ref>\n"
    assert extract(source).claims[0].urls == ("https://doi.org/10.1000/xyz123",)


def test_undefined_named_ref_is_a_warning() -> None:
    extraction = extract("Claim.<ref name=missing/>\n")
    assert extraction.claims == ()
    assert [(w.line, w.message.split()[0]) for w in extraction.warnings] == [(1, "marker")]


def test_links_formatting_and_entities_are_rendered() -> None:
    source = "The [[River Ferrow|Ferrow]]'s '''mouth''' is&nbsp;[[Lake]]side.<ref>https://f.example.org</ref>\n"
    assert extract(source).claims[0].text == "The Ferrow's mouth is Lakeside."


@pytest.mark.skipif(not WIKITEXT.exists(), reason="../shared not present")
def test_shared_wikitext_articles_yield_claims_with_urls() -> None:
    files = sorted((WIKITEXT / "wikitext").glob("*.txt"))
    assert len(files) == 71
    extractions = [extract_article(path, path.name) for path in files]
    claims = [claim for extraction in extractions for claim in extraction.claims]
    assert len(claims) > 1200
    assert sum(1 for claim in claims if claim.urls) > 1000


def test_inline_text_templates_keep_their_words() -> None:
    source = (
        "{{As of|2019}}, the {{ill|Ferrow Trust|de|Ferrow-Stiftung}} held {{convert|40|ha}} "
        "bought for {{US$|2 million}} in {{lang|fr|la ville}}.<ref>https://t.example.org/</ref>\n"
    )
    assert extract(source).claims[0].text == (
        "As of 2019, the Ferrow Trust held 40 ha bought for US$2 million in la ville."
    )


def test_quote_template_is_prose_with_its_refs() -> None:
    source = (
        "Intro sentence.\n{{quote|The river rose 3 m in an hour.<ref>https://river.example.org/"
        "</ref>|Harbour master}}\nAfter.\n"
    )
    claims = extract(source).claims
    assert [(claim.text, claim.urls) for claim in claims] == [
        ("The river rose 3 m in an hour.", ("https://river.example.org/",))
    ]


def test_tag_ref_parser_function_is_a_ref() -> None:
    source = 'Claim.{{#tag:ref|See https://tag.example.org/ for more.|group="nb"}}\n'
    claims = extract(source).claims
    assert [(claim.text, claim.footnote, claim.urls) for claim in claims] == [
        ("Claim.", "nb 1", ("https://tag.example.org/",))
    ]


def test_named_ref_defined_twice_differently_is_a_warning_and_first_wins() -> None:
    source = (
        'One.<ref name="a">https://first.example.org/</ref>\n'
        'Two.<ref name="a">https://second.example.org/</ref>\n'
    )
    extraction = extract(source)
    assert [claim.urls for claim in extraction.claims] == [("https://first.example.org/",)] * 2
    assert [(w.line, w.message.split()[0]) for w in extraction.warnings] == [(2, "note")]


def test_notes_read_as_rendered_citations() -> None:
    source = (
        "Claim.<ref>{{cite news |last=Peat |first=Don |title=City grows |work=The Sun "
        "|date=5 March 2013 |url=https://sun.example.org/a |access-date=6 March 2013}}</ref>\n"
    )
    citation = extract(source).claims[0].citations[0]
    assert citation.note == (
        'Peat, Don. "City grows". The Sun. 5 March 2013. https://sun.example.org/a. '
        "Retrieved 6 March 2013."
    )
    assert (citation.author, citation.title, citation.publisher, citation.accessed) == (
        "Peat, Don",
        "City grows",
        "The Sun",
        "6 March 2013",
    )


@pytest.mark.parametrize(
    "template", ["cite press release", "Cite AV media", "cite web", "Cite_news", "Internetquelle"]
)
def test_every_citation_template_gives_its_url(template: str) -> None:
    source = f"Claim.<ref>{{{{{template} |url=https://c.example.org/p |title=T}}}}</ref>\n"
    assert extract(source).claims[0].urls == ("https://c.example.org/p",)


def test_r_template_with_an_empty_slot_cites_the_names_after_it() -> None:
    source = (
        "Coal output fell in 2019.{{r|board||mines}} "
        'Prices held steady.<ref name="prices">https://prices.example.org/coal</ref>\n'
        "\n"
        "== References ==\n"
        "<references>\n"
        '<ref name="board">https://board.example.org/coal</ref>\n'
        '<ref name="mines">https://mines.example.org/2019</ref>\n'
        "</references>\n"
    )
    extraction = extract(source)
    assert [(claim.text, claim.footnote, claim.urls) for claim in extraction.claims] == [
        (
            "Coal output fell in 2019.",
            "1,2",
            ("https://board.example.org/coal", "https://mines.example.org/2019"),
        ),
        ("Prices held steady.", "3", ("https://prices.example.org/coal",)),
    ]
    assert extraction.warnings == ()


def test_names_in_one_r_template_are_numbered_in_the_order_written() -> None:
    source = (
        "Coal output fell in 2019.{{r|stats|mines}}\n"
        "\n"
        "== References ==\n"
        "<references>\n"
        '<ref name="stats">https://stats.example.org/coal</ref>\n'
        '<ref name="mines">https://mines.example.org/2019</ref>\n'
        "</references>\n"
    )
    claims = extract(source).claims
    assert [(claim.footnote, claim.urls) for claim in claims] == [
        ("1,2", ("https://stats.example.org/coal", "https://mines.example.org/2019"))
    ]
