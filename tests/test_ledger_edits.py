"""`extract` keeps what a person wrote on an extracted claim: added URLs, reworded text."""

from __future__ import annotations

from pathlib import Path

from fixtures.entry_point import verifier

from verifier.ledger import Ledger
from verifier.model import Citation, ExtractedClaim, Extraction

ARTICLE = "articles/port.md"
SENTENCE = "The port handled 1.5 million containers in 2023."
CITED = "https://news.example.org/port"


def extraction(text: str = SENTENCE, *urls: str, line: int = 3) -> Extraction:
    citations = tuple(Citation(url) for url in (urls or (CITED,)))
    return Extraction(ARTICLE, (ExtractedClaim(ARTICLE, line, "1", text, citations),))


def extracted_once(tmp_path: Path, *urls: str) -> Path:
    path = tmp_path / "claims.yaml"
    ledger = Ledger.new(path)
    ledger.merge(extraction(SENTENCE, *urls))
    ledger.save()
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def merged(path: Path, found: Extraction) -> tuple[Ledger, list[int]]:
    ledger = Ledger.load(path)
    summary = ledger.merge(found)
    ledger.save()
    return Ledger.load(path), [warning.line for warning in summary.warnings]


def test_a_url_added_by_hand_stays_through_article_changes(tmp_path: Path) -> None:
    path = extracted_once(tmp_path)
    added = "https://archive.example.org/port-report.pdf"
    edit(path, f"urls: [{CITED}]", f"urls: [{CITED}, {added}]")

    ledger, _ = merged(path, extraction())
    assert ledger.claims[0].urls == (CITED, added)

    # The footnote changes its source: the article's new URL replaces its old one, and the
    # URL added by hand stays after it.
    moved = "https://news.example.org/port-2023"
    ledger, _ = merged(path, extraction(SENTENCE, moved))
    assert ledger.claims[0].urls == (moved, added)


def test_a_url_the_article_no_longer_cites_goes_when_nobody_added_it(tmp_path: Path) -> None:
    path = extracted_once(tmp_path, CITED, "https://other.example.org/b")
    ledger, _ = merged(path, extraction(SENTENCE, "https://other.example.org/b"))
    assert ledger.claims[0].urls == ("https://other.example.org/b",)


def test_an_edited_text_is_kept_marked_and_warned_about(tmp_path: Path) -> None:
    path = extracted_once(tmp_path)
    mine = "The port handled 1.5 million containers."
    edit(path, f"text: {SENTENCE}", f"text: {mine}")

    ledger, lines = merged(path, extraction())
    [claim] = ledger.claims
    assert claim.text == mine
    text = path.read_text(encoding="utf-8")
    assert f"article_text: {SENTENCE}" in text
    text_line = text.splitlines().index(f"    text: {mine}") + 1
    assert lines == [text_line]
    assert Ledger.load(path).claims[0].id == claim.id

    # Unchanged since: the mark stays, with no new warning.
    _, lines = merged(path, extraction(line=9))
    assert lines == []
    # The article rewords the sentence under the edit: the mark follows it, with a warning.
    reworded = "In 2023 the port handled 1.5 million containers."
    ledger, lines = merged(path, extraction(reworded, line=9))
    assert ledger.claims[0].text == mine
    assert f"article_text: {reworded}" in path.read_text(encoding="utf-8")
    assert len(lines) == 1

    # Taking the article's wording back removes the mark.
    edit(path, f"text: {mine}", f"text: {reworded}")
    ledger, lines = merged(path, extraction(reworded, line=9))
    assert ledger.claims[0].text == reworded
    assert "article_text" not in path.read_text(encoding="utf-8")


def test_a_text_nobody_edited_follows_the_article(tmp_path: Path) -> None:
    path = extracted_once(tmp_path)
    reworded = "The port handled 1.4 million containers in 2023."
    ledger, lines = merged(path, extraction(reworded))
    assert ledger.claims[0].text == reworded
    assert lines == [] and "article_text" not in path.read_text(encoding="utf-8")


def test_a_claim_edited_by_hand_is_kept_when_the_article_drops_it(tmp_path: Path) -> None:
    path = extracted_once(tmp_path)
    edit(path, f"urls: [{CITED}]", f"urls: [{CITED}, https://b.example.org/]")
    ledger = Ledger.load(path)
    summary = ledger.merge(Extraction(ARTICLE, ()))
    assert summary.kept == (ledger.claims[0].id,) and summary.removed == ()


def test_a_ledger_written_before_fingerprints_takes_the_articles_values(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text(
        "claims:\n  - id: c-000001\n    article: articles/port.md\n    line: 3\n"
        f"    footnote: '1'\n    text: Old wording.\n    urls: [{CITED}]\n",
        encoding="utf-8",
    )
    ledger, lines = merged(path, extraction())
    assert (ledger.claims[0].id, ledger.claims[0].text) == ("c-000001", SENTENCE)
    assert lines == [] and "extracted: " in path.read_text(encoding="utf-8")


def test_cli_extract_keeps_a_hand_edit_and_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "port.md").write_text(f"{SENTENCE}[^1]\n\n[^1]: {CITED}\n", encoding="utf-8")
    assert verifier("extract", "port.md", cwd=tmp_path).returncode == 0
    ledger = tmp_path / "claims.yaml"
    mine = "The port handled about 1.5 million containers in 2023."
    edit(ledger, f"text: {SENTENCE}", f"text: {mine}")
    edit(ledger, f"urls: [{CITED}]", f"urls: [{CITED}, local/report.txt]")

    completed = verifier("extract", "port.md", cwd=tmp_path)

    assert completed.returncode == 0, completed.stderr
    text = ledger.read_text(encoding="utf-8")
    line = text.splitlines().index(f"    text: {mine}") + 1
    assert f"claims.yaml:{line}: warning:" in completed.stderr
    assert f"urls: [{CITED}, local/report.txt]" in text
    assert f"article_text: {SENTENCE}" in text
