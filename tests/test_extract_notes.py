"""Reading a footnote's text: URLs, archive pairs, metadata, Ibid./Id./op. cit."""

from __future__ import annotations

import pytest

from verifier.extract.notes import (
    NoteText,
    citations_from_note,
    is_ibid,
    join_split_urls,
    op_cit_author,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ibid.", True),
        ("Ibid., p. 4.", True),
        ("ibid", True),
        ("Ibidem, 12.", True),
        ("Id. at 44.", True),
        ("Idaho Statesman, 2020.", False),
        ("See ibid.", False),
        ("Identity report, https://x.example.org/", False),
    ],
)
def test_is_ibid(text: str, expected: bool) -> None:
    assert is_ibid(text) is expected


def test_op_cit_names_the_author() -> None:
    assert op_cit_author("Smith, op. cit., p. 5.") == "smith"
    assert op_cit_author("J. Smith, op cit, 7") == "smith"
    assert op_cit_author("Op. cit.") is None
    assert op_cit_author("Smith, Ports, 2001.") is None


def test_split_url_joined_only_when_the_next_line_continues_it() -> None:
    assert join_split_urls("https://a.example.org/reports/\n2024/summary.pdf, 2024") == (
        "https://a.example.org/reports/2024/summary.pdf, 2024"
    )
    assert join_split_urls("https://a.example.org/r\nRetrieved 5 May 2024.") == (
        "https://a.example.org/r\nRetrieved 5 May 2024."
    )
    assert join_split_urls("https://a.example.org/r\nhttps://b.example.org/") == (
        "https://a.example.org/r\nhttps://b.example.org/"
    )


def test_lone_archive_url_is_the_cited_url() -> None:
    archive = "https://web.archive.org/web/2019/https://gone.example.org/"
    citations = citations_from_note(NoteText(text=f"Gone page, {archive}"))
    assert [(c.url, c.archive_url) for c in citations] == [(archive, None)]


def test_archive_pairs_with_its_own_original_among_several() -> None:
    text = (
        "A https://a.example.org/1 and B https://b.example.org/2 "
        "(archived https://web.archive.org/web/2020/https://b.example.org/2)"
    )
    citations = citations_from_note(NoteText(text=text))
    assert [(c.url, c.archive_url) for c in citations] == [
        ("https://a.example.org/1", None),
        ("https://b.example.org/2", "https://web.archive.org/web/2020/https://b.example.org/2"),
    ]


def test_markup_links_come_first_and_bare_duplicates_are_dropped() -> None:
    note = NoteText(
        text="Report <https://r.example.org/a>, see also https://s.example.org/",
        links=(("https://r.example.org/a", "Report"),),
    )
    assert [c.url for c in citations_from_note(note)] == [
        "https://r.example.org/a",
        "https://s.example.org/",
    ]


def test_note_without_url_keeps_its_text() -> None:
    (citation,) = citations_from_note(NoteText(text="Smith, J. Harbours. 2001, p. 4."))
    assert citation.url is None
    assert citation.note == "Smith, J. Harbours. 2001, p. 4."
