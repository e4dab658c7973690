"""HTML articles: <sup>/<a href="#..."> markers into an ordered list or section of notes."""

from __future__ import annotations

from pathlib import Path

from verifier.extract import extract_article, extract_source
from verifier.model import Extraction

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def extract(source: str) -> Extraction:
    return extract_source(source, "article.html", "html")


def test_fixture_claims() -> None:
    claims = extract_article(FIXTURES / "notes.html", "notes.html").claims
    got = [(claim.footnote, claim.line, claim.text, claim.urls) for claim in claims]
    assert got == [
        (
            "1",
            6,
            "The Ferrow bridge spans 1.2 km across the estuary.",
            ("https://roads.example.org/ferrow",),
        ),
        ("2,3", 7, "Construction began under Gov. Aldous Reyne in 1998.", ()),
        ("4", 8, "Tolls were abolished in 2015, and traffic doubled.", ("sources/tolls.html",)),
    ]


def test_fixture_metadata_and_backlinks_left_out() -> None:
    claims = extract_article(FIXTURES / "notes.html", "notes.html").claims
    facts = claims[0].citations[0]
    assert (facts.title, facts.publisher, facts.accessed) == (
        "Ferrow bridge facts",
        "Roads Agency",
        "2024-02-01",
    )
    assert "\u21a9" not in facts.note
    # "Id." is the previous note's source (a book: no URL).
    assert [c.url for c in claims[1].citations] == [None, None]
    assert claims[1].citations[1].note == "Id. at 44."


def test_fixture_warnings() -> None:
    warnings = extract_article(FIXTURES / "notes.html", "notes.html").warnings
    assert [(w.line, w.message.split()[0]) for w in warnings] == [
        (12, "note"),
        (13, "note"),
        (15, "note"),
    ]


def test_markdown_it_rendering_with_repeated_reference() -> None:
    source = (
        '<p>One.<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup> '
        'Two.<sup class="footnote-ref"><a href="#fn1" id="fnref1:1">[1:1]</a></sup></p>\n'
        '<section class="footnotes"><ol class="footnotes-list">\n'
        '<li id="fn1" class="footnote-item"><p>See https://a.example.org/ '
        '<a href="#fnref1" class="footnote-backref">\u21a9\ufe0e</a> '
        '<a href="#fnref1:1" class="footnote-backref">\u21a9\ufe0e</a></p></li>\n'
        "</ol></section>"
    )
    claims = extract(source).claims
    assert [(claim.text, claim.footnote, claim.urls) for claim in claims] == [
        ("One.", "1", ("https://a.example.org/",)),
        ("Two.", "1", ("https://a.example.org/",)),
    ]


def test_wikipedia_style_reference_list() -> None:
    source = (
        '<p>The tower is 300 m tall.<sup id="cite_ref-a_1-0" class="reference">'
        '<a href="#cite_note-a-1">[1]</a></sup><sup class="reference">'
        '<a href="#cite_note-2">[2]</a></sup> It opened in 1889.</p>\n'
        '<ol class="references">\n'
        '<li id="cite_note-a-1"><span class="mw-cite-backlink"><b><a href="#cite_ref-a_1-0">^</a>'
        '</b></span> <span class="reference-text"><cite class="citation web">'
        '<a rel="nofollow" class="external text" href="https://tower.example.org/facts">'
        '"Tower facts"</a>. Tower Society. Retrieved 3 March 2020.</cite></span></li>\n'
        '<li id="cite_note-2"><span class="mw-cite-backlink"><a href="#cite_ref-2">^</a></span> '
        '<span class="reference-text">Smith 2001, p. 4.</span></li>\n'
        "</ol>"
    )
    extraction = extract(source)
    claim = extraction.claims[0]
    assert claim.text == "The tower is 300 m tall."
    assert claim.footnote == "1,2"
    assert claim.urls == ("https://tower.example.org/facts",)
    assert claim.citations[0].title == "Tower facts"
    assert claim.citations[0].accessed == "3 March 2020"
    assert claim.citations[1].note == "Smith 2001, p. 4."


def test_scripts_hidden_elements_and_links_elsewhere_are_ignored() -> None:
    source = (
        '<nav><a href="#main">Skip</a></nav><script>var s = "x.[1]";</script>'
        '<p id="main">Plain paragraph with a <a href="#main">link</a>.</p>'
    )
    assert extract(source) == Extraction(article="article.html", claims=())


def test_marker_to_a_missing_note_is_a_warning() -> None:
    extraction = extract('<p>Claim here.<sup><a href="#fn7">7</a></sup></p>')
    assert extraction.claims == ()
    assert [(w.line, w.message.split()[0]) for w in extraction.warnings] == [(1, "marker")]


def test_table_rows_read_as_one_line_and_page_numbers_are_dropped() -> None:
    source = (
        "<table><tr><th>Population</th><td>4.9 million"
        '<sup class="reference"><a href="#n1">[1]</a></sup>'
        '<sup class="reference">:p. 12</sup></td></tr></table>'
        '<ol class="references"><li id="n1">https://stats.example.org/pop</li></ol>'
    )
    claims = extract(source).claims
    assert [(claim.text, claim.urls) for claim in claims] == [
        ("Population | 4.9 million", ("https://stats.example.org/pop",))
    ]


def test_mediawiki_notes_cite_only_external_links() -> None:
    source = (
        '<html><head><meta name="generator" content="MediaWiki 1.40">'
        '<link rel="canonical" href="https://wiki.example.org/wiki/Page"></head><body>'
        '<p>Claim.<sup class="reference"><a href="#cite_note-1">[1]</a></sup> '
        'Other.<sup class="reference"><a href="#cite_note-2">[2]</a></sup></p>'
        '<ol class="references"><li id="cite_note-1"><a href="/wiki/Author">Author</a>, '
        '<a class="external text" href="//books.example.org/b?id=1">Book</a></li>'
        '<li id="cite_note-2"><a href="/wiki/ISBN">ISBN</a> 978-0</li></ol></body></html>'
    )
    claims = extract(source).claims
    assert [claim.urls for claim in claims] == [("https://books.example.org/b?id=1",), ()]


def test_marker_inside_a_note_is_not_a_claim_of_the_article() -> None:
    source = (
        '<p>Anthem.<sup class="reference"><a href="#n-a">[n 1]</a></sup></p>'
        '<ol class="notes"><li id="n-a">Used on state occasions.'
        '<sup class="reference"><a href="#r1">[1]</a></sup></li></ol>'
        '<ol class="references"><li id="r1">https://anthem.example.org/</li></ol>'
    )
    extraction = extract(source)
    assert [(claim.text, claim.footnote, claim.urls) for claim in extraction.claims] == [
        ("Anthem.", "n 1", ())
    ]
    assert [w.message.split()[0] for w in extraction.warnings] == ["note"]  # [n 1] has no URL


def test_pandoc_footnotes() -> None:
    source = (
        '<p>The dam holds 3 km³ of water.<a href="#fn1" class="footnote-ref" id="fnref1" '
        'role="doc-noteref"><sup>1</sup></a></p>\n'
        '<section id="footnotes" class="footnotes footnotes-end-of-document" role="doc-endnotes">'
        '<hr /><ol><li id="fn1"><p>Dam survey, <a href="https://dam.example.org/survey">'
        "https://dam.example.org/survey</a>."
        '<a href="#fnref1" class="footnote-back" role="doc-backlink">\u21a9\ufe0e</a></p></li>'
        "</ol></section>"
    )
    claims = extract(source).claims
    assert [(claim.text, claim.footnote, claim.urls) for claim in claims] == [
        ("The dam holds 3 km³ of water.", "1", ("https://dam.example.org/survey",))
    ]


def test_substack_style_footnotes_with_numbered_backlinks() -> None:
    source = (
        '<p>Rents rose 9% in 2023.<a class="footnote-anchor" id="footnote-anchor-1" '
        'href="#footnote-1">1</a> They fell later.</p>\n'
        '<div class="footnote"><a id="footnote-1" href="#footnote-anchor-1" '
        'class="footnote-number">1</a><div class="footnote-content"><p>'
        '<a href="https://rents.example.org/2023">Rent index 2023</a></p></div></div>'
    )
    claims = extract(source).claims
    assert [(claim.text, claim.footnote, claim.urls) for claim in claims] == [
        ("Rents rose 9% in 2023.", "1", ("https://rents.example.org/2023",))
    ]
    assert claims[0].citations[0].title == "Rent index 2023"


def test_numbered_backlink_at_the_start_of_a_note_is_not_a_marker() -> None:
    source = (
        '<p>Claim one.<sup id="r1"><a href="#n1">1</a></sup></p>'
        '<ol><li id="n1"><a href="#r1">1.</a> https://one.example.org/</li></ol>'
    )
    extraction = extract(source)
    assert [(claim.text, claim.urls) for claim in extraction.claims] == [
        ("Claim one.", ("https://one.example.org/",))
    ]
    assert extraction.warnings == ()


def test_unlinked_bracket_markers_and_note_paragraphs() -> None:
    source = (
        "<html><body><article>\n"
        "<p>The EU plans a defence pact with Japan.[1] Talks began in May.</p>\n"
        "<p>Spending will reach 2% by 2027.[2]</p>\n"
        "<p>[1] \u201cEU and Japan\u201d, Example News, https://news.example.org/eu-japan, "
        "(Access Date: 21.03.2024).</p>\n"
        "<p>[2] Ibid.</p>\n"
        "</article></body></html>"
    )
    claims = extract(source).claims
    assert [(claim.text, claim.line, claim.urls) for claim in claims] == [
        ("The EU plans a defence pact with Japan.", 2, ("https://news.example.org/eu-japan",)),
        ("Spending will reach 2% by 2027.", 3, ("https://news.example.org/eu-japan",)),
    ]
    assert claims[0].citations[0].accessed == "21.03.2024"


def test_unlinked_superscripts_and_ordered_notes_list() -> None:
    source = (
        "<body><p>Rail freight fell 12%.<sup>1</sup> Fares rose.<sup>2</sup></p>\n"
        "<h2>Notes</h2>\n<ol><li>Freight report, https://rail.example.org/f</li>\n"
        "<li>Fares, https://fares.example.org/</li></ol></body>"
    )
    claims = extract(source).claims
    assert [(claim.text, claim.footnote, claim.urls) for claim in claims] == [
        ("Rail freight fell 12%.", "1", ("https://rail.example.org/f",)),
        ("Fares rose.", "2", ("https://fares.example.org/",)),
    ]


def test_htmlbook_footnotes_in_one_container_are_separate_notes() -> None:
    source = (
        '<p>Alerts are tickets or pages.<sup><a data-type="noteref" id="a-marker" href="#a">1</a>'
        '</sup> Latency matters.<sup><a data-type="noteref" id="b-marker" href="#b">2</a></sup></p>'
        '<div class="footnotes">'
        '<p data-type="footnote" id="a"><sup><a href="#a-marker">1</a></sup>'
        "See https://alerts.example.org/.</p>"
        '<p data-type="footnote" id="b"><sup><a href="#b-marker">2</a></sup>'
        "See https://latency.example.org/.</p></div>"
    )
    claims = extract(source).claims
    assert [(claim.text, claim.footnote, claim.urls) for claim in claims] == [
        ("Alerts are tickets or pages.", "1", ("https://alerts.example.org/",)),
        ("Latency matters.", "2", ("https://latency.example.org/",)),
    ]


def test_word_html_export_footnotes() -> None:
    source = (
        "<html><body>\n<p class=MsoNormal>The ministry spent 4.2 billion on ports in 2022."
        '<a href="#_ftn1" name="_ftnref1"><span class=MsoFootnoteReference>[1]</span></a> '
        'Spending fell in 2023.<a href="#_ftn2" name="_ftnref2">'
        "<span class=MsoFootnoteReference>[2]</span></a></p>\n"
        "<div style='mso-element:footnote-list'><div style='mso-element:footnote' id=ftn1>\n"
        '<p class=MsoFootnoteText><a href="#_ftnref1" name="_ftn1">[1]</a> Ministry of '
        "Transport, \u201cAnnual report 2022\u201d, https://transport.example.gov/r.pdf</p></div>\n"
        "<div style='mso-element:footnote' id=ftn2><p class=MsoFootnoteText>"
        '<a href="#_ftnref2" name="_ftn2">[2]</a> Ibid.</p></div></div></body></html>'
    )
    extraction = extract(source)
    report = ("https://transport.example.gov/r.pdf",)
    assert [(claim.text, claim.footnote, claim.urls) for claim in extraction.claims] == [
        ("The ministry spent 4.2 billion on ports in 2022.", "1", report),
        ("Spending fell in 2023.", "2", report),
    ]
    assert extraction.claims[0].citations[0].title == "Annual report 2022"
    assert extraction.warnings == ()


def test_wordpress_footnote_plugin_with_empty_target_span() -> None:
    source = (
        '<p>Turnout reached 71%.<sup class="footnote"><a href="#efb-1">1</a></sup> A record.</p>'
        '<ol class="easy-footnotes-wrapper"><li class="easy-footnote-single">'
        '<span id="efb-1" class="easy-footnote-margin-adjust"></span>'
        '<a href="https://elections.example.org/turnout">Electoral Commission</a>'
        '<a class="easy-footnote-to-top" href="#efb-top-1"></a></li></ol>'
    )
    claims = extract(source).claims
    assert [(claim.text, claim.urls) for claim in claims] == [
        ("Turnout reached 71%.", ("https://elections.example.org/turnout",))
    ]


def test_parsoid_same_page_links() -> None:
    source = (
        '<p>The tower is 300 m tall.<sup class="mw-ref reference" typeof="mw:Extension/ref">'
        '<a href="./Tower#cite_note-1"><span class="mw-reflink-text">[1]</span></a></sup></p>'
        '<ol class="mw-references references"><li id="cite_note-1"><span class="mw-reference-text">'
        '<a rel="mw:ExtLink" class="external text" href="https://tower.example.org/">Facts</a>'
        "</span></li></ol>"
    )
    claims = extract(source).claims
    assert [(claim.text, claim.urls) for claim in claims] == [
        ("The tower is 300 m tall.", ("https://tower.example.org/",))
    ]


def test_numbered_sup_link_to_a_plain_paragraph_note() -> None:
    source = (
        '<p>Exports doubled in 2021.<sup><a href="#n1">1</a></sup></p>'
        "<h2>Sources</h2>"
        '<p id="n1">1. Trade statistics, https://trade.example.org/2021</p>'
    )
    claims = extract(source).claims
    assert [(claim.text, claim.urls) for claim in claims] == [
        ("Exports doubled in 2021.", ("https://trade.example.org/2021",))
    ]


def test_link_in_sup_to_a_heading_is_not_a_note() -> None:
    source = '<p>See the table.<sup><a href="#t">note</a></sup></p><h2 id="t">Table</h2>'
    assert extract(source).claims == ()


def test_unlinked_notes_keep_the_address_of_their_links() -> None:
    source = (
        "<body><p>Fares rose 4%.<sup>1</sup></p><h3>References</h3>"
        '<ol><li><a href="https://fares.example.org/2024">Fare review 2024</a></li></ol></body>'
    )
    claims = extract(source).claims
    assert [(claim.text, claim.urls) for claim in claims] == [
        ("Fares rose 4%.", ("https://fares.example.org/2024",))
    ]


def test_skip_links_and_headline_lists_are_not_notes() -> None:
    source = (
        '<body><ul><li><a href="#main">Skip to content [1]</a></li></ul>'
        '<main id="main"><p>Story text.</p></main>'
        "<ol><li>Minister resigns</li><li>Storm hits coast</li></ol></body>"
    )
    assert extract(source).claims == ()


def test_maintenance_tags_are_not_claim_text() -> None:
    source = (
        '<p>The bridge is 1.2 km long.<sup class="noprint Inline-Template Template-Fact">'
        '[<i><a href="/wiki/Wikipedia:Citation_needed">citation needed</a></i>]</sup> '
        'It opened in 2001.<sup class="reference"><a href="#n1">[1]</a></sup></p>'
        '<ol class="references"><li id="n1">https://bridge.example.org/</li></ol>'
    )
    claims = extract(source).claims
    assert [claim.text for claim in claims] == ["It opened in 2001."]


def test_infobox_markers_are_not_claims_and_their_notes_not_orphans() -> None:
    source = (
        '<table class="infobox"><tr><th>Language</th><td>English'
        '<sup class="reference"><a href="#n1">[1]</a></sup></td></tr></table>'
        '<p>The capital is Wellington.<sup class="reference"><a href="#n2">[2]</a></sup></p>'
        '<ol class="references"><li id="n1">https://lang.example.org/</li>'
        '<li id="n2">https://capital.example.org/</li></ol>'
    )
    extraction = extract(source)
    assert [(claim.text, claim.urls) for claim in extraction.claims] == [
        ("The capital is Wellington.", ("https://capital.example.org/",))
    ]
    assert extraction.warnings == ()


def test_note_text_keeps_table_cells_and_blocks_apart() -> None:
    source = (
        '<p>Turnout rose to 71% in 2003.<sup><a href="#fn1" id="r1">1</a></sup> '
        'Registrations fell.<sup><a href="#fn2" id="r2">2</a></sup></p>\n'
        '<ol class="footnotes">\n'
        '<li id="fn1"><table><tr><th>Source</th><th>Year</th></tr>'
        '<tr><td>Smith</td><td>2003</td></tr></table> <a href="#r1">&#8617;</a></li>\n'
        '<li id="fn2"><p>County clerk report</p>Table 4 <a href="#r2">&#8617;</a></li>\n'
        "</ol>"
    )
    claims = extract(source).claims
    assert [(claim.text, [c.note for c in claim.citations]) for claim in claims] == [
        ("Turnout rose to 71% in 2003.", ["Source Year Smith 2003"]),
        ("Registrations fell.", ["County clerk report Table 4"]),
    ]
