"""Extraction across formats: the seed articles, dispatch, decoding errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.errors import ArticleError
from verifier.extract import extract_article, extract_source, sniff_format
from verifier.model import Citation, ExtractedClaim, Extraction

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared not present")
class TestSeeds:
    def test_numbered_footnotes_with_ibid(self) -> None:
        extraction = extract_article(seed("000"), "000.txt")
        claims = extraction.claims
        assert [claim.footnote for claim in claims] == ["1", "2", "3", "4"]
        assert all(len(claim.urls) == 1 for claim in claims)
        # Footnote 4 is "Ibid.": the same source as footnote 3.
        assert claims[3].urls == claims[2].urls
        assert claims[2].urls[0].startswith("https://www.aa.com.tr/")
        assert claims[3].citations[0].note == "Ibid."
        assert claims[0].urls[0].endswith("?module=top_story&pgtype=homepage")
        assert claims[0].citations[0].normalized_url is not None
        assert "module=" not in claims[0].citations[0].normalized_url

    def test_marker_in_mid_sentence_cites_the_whole_sentence(self) -> None:
        claim = extract_article(seed("000"), "000.txt").claims[3]
        assert "Far East, in these words" in claim.text
        assert "[4]" not in claim.text
        assert claim.text.startswith("For example, NATO Secretary General")
        assert claim.line == 31

    def test_first_claim_is_exactly_its_sentence(self) -> None:
        claim = extract_article(seed("000"), "000.txt").claims[0]
        assert claim.text == (
            "The European Union (EU) is allegedly planning to conclude a defence agreement "
            "with Japan."
        )
        assert claim.line == 13
        assert claim.citations[0].publisher == "SCMP"
        assert claim.citations[0].accessed == "21.03.2024"

    def test_roman_numeral_endnotes(self) -> None:
        extraction = extract_article(seed("001"), "001.txt")
        assert [claim.footnote for claim in extraction.claims] == ["i", "ii", "iii", "iv", "v"]
        assert all(len(claim.urls) == 1 for claim in extraction.claims)
        assert len({claim.urls[0] for claim in extraction.claims}) == 5
        assert extraction.warnings == ()

    @pytest.mark.parametrize("prefix", ["002", "003", "004"])
    def test_articles_without_footnotes_give_no_claims(self, prefix: str) -> None:
        extraction = extract_article(seed(prefix), f"{prefix}.txt")
        assert extraction.claims == ()


def test_display_path_labels_claims_and_warnings() -> None:
    extraction = extract_article(FIXTURES / "plain.txt", "articles/plain.txt")
    assert extraction.article == "articles/plain.txt"
    assert {claim.article for claim in extraction.claims} == {"articles/plain.txt"}
    assert {warning.article for warning in extraction.warnings} == {"articles/plain.txt"}


def test_article_without_footnotes_is_not_an_error(tmp_path: Path) -> None:
    article = tmp_path / "plain.md"
    article.write_text("# Notes on nothing\n\nJust prose. No citations at all.\n")
    assert extract_article(article, "plain.md") == Extraction(article="plain.md", claims=())


def test_empty_files_give_no_claims(tmp_path: Path) -> None:
    for name in ("empty.txt", "empty.md", "empty.html", "empty.wiki", "empty.rst"):
        (tmp_path / name).write_text("")
        assert extract_article(tmp_path / name, name).claims == ()


def test_undecodable_article_names_file_and_line(tmp_path: Path) -> None:
    article = tmp_path / "latin1.txt"
    article.write_bytes("First line.\nSecond line caf\xe9.[1]\n".encode("latin-1"))
    with pytest.raises(ArticleError) as raised:
        extract_article(article, "latin1.txt")
    assert raised.value.path == "latin1.txt"
    assert raised.value.line == 2
    assert raised.value.exit_code == 3


def test_binary_article_is_an_input_error(tmp_path: Path) -> None:
    article = tmp_path / "image.txt"
    article.write_bytes(b"GIF89a\x00\x01\x02")
    with pytest.raises(ArticleError) as raised:
        extract_article(article, "image.txt")
    assert raised.value.line == 1


def test_missing_article_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(ArticleError) as raised:
        extract_article(tmp_path / "absent.md", "absent.md")
    assert raised.value.path == "absent.md"


def test_utf16_and_bom_and_crlf_are_read(tmp_path: Path) -> None:
    text = "The dam is 40 m high.[1]\r\n\r\n[1] https://dam.example.org/facts\r\n"
    for name, encoded in (
        ("bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8")),
        ("utf16.txt", text.encode("utf-16")),
    ):
        (tmp_path / name).write_bytes(encoded)
        claims = extract_article(tmp_path / name, name).claims
        assert [(claim.text, claim.urls, claim.line) for claim in claims] == [
            ("The dam is 40 m high.", ("https://dam.example.org/facts",), 1)
        ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Text.[^1]\n\n[^1]: note\n", "markdown"),
        ("<p>Text<sup><a href='#n1'>1</a></sup></p>", "html"),
        ("Text.<ref>{{cite web |url=https://a.example}}</ref>", "wikitext"),
        ("Text [1]_.\n\n.. [1] note\n", "rst"),
        ("Text.[1]\n\n[1] note\n", "text"),
    ],
)
def test_sniffing_the_format_of_an_unknown_suffix(source: str, expected: str) -> None:
    assert sniff_format(source) == expected


def test_txt_file_holding_wikitext_is_read_as_wikitext(tmp_path: Path) -> None:
    article = tmp_path / "saved.txt"
    article.write_text("A claim.<ref>[https://a.example.org/p A page]</ref>\n")
    claims = extract_article(article, "saved.txt").claims
    assert [(claim.text, claim.urls) for claim in claims] == [
        ("A claim.", ("https://a.example.org/p",))
    ]


def test_unknown_suffix_is_sniffed(tmp_path: Path) -> None:
    article = tmp_path / "article.page"
    article.write_text("Text with a note.[^a]\n\n[^a]: https://a.example.org/x\n")
    claims = extract_article(article, "article.page").claims
    assert [claim.urls for claim in claims] == [("https://a.example.org/x",)]


def test_extract_source_rejects_unknown_format() -> None:
    with pytest.raises(ValueError):
        extract_source("text", "a", "docx")


def test_claim_values_are_model_types() -> None:
    claims = extract_article(FIXTURES / "notes.md", "notes.md").claims
    assert all(isinstance(claim, ExtractedClaim) for claim in claims)
    assert all(isinstance(c, Citation) for claim in claims for c in claim.citations)


def test_html_in_its_declared_legacy_charset_is_read(tmp_path: Path) -> None:
    article = tmp_path / "word.htm"
    article.write_bytes(
        b'<html><head><meta http-equiv=Content-Type content="text/html; charset=windows-1252">'
        b"</head><body><p>The caf\xe9 opened in 1990.<sup><a href='#n1'>1</a></sup></p>"
        b"<ol><li id='n1'>https://cafe.example.org/</li></ol></body></html>"
    )
    claims = extract_article(article, "word.htm").claims
    assert [(claim.text, claim.urls) for claim in claims] == [
        ("The caf\u00e9 opened in 1990.", ("https://cafe.example.org/",))
    ]
