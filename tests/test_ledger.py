"""claims.yaml: loading, validation errors with file:line, merging extractions, saving."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from verifier.errors import LedgerError
from verifier.ledger import Ledger, claim_id
from verifier.ledger.ids import unique_claim_id
from verifier.model import Citation, ExtractedClaim, Extraction, Status, Verdict
from verifier.settings import DEFAULT_FAIL_ON, Settings

FIXTURES = Path(__file__).parent / "fixtures" / "ledger"
ARTICLE = "examples/iwaya.md"
IWAYA = "Japan's Defense Minister Takeshi Iwaya met his counterpart in Canberra."
IWAYA_URL = "https://news.example.org/2024/iwaya-visit"


@pytest.fixture
def commented(tmp_path: Path) -> Path:
    path = tmp_path / "claims.yaml"
    shutil.copy(FIXTURES / "commented.yaml", path)
    return path


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "claims.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def extracted(line: int, footnote: str, text: str, *urls: str) -> ExtractedClaim:
    citations = tuple(Citation(url) for url in urls) or (Citation(None, title="A Book"),)
    return ExtractedClaim(ARTICLE, line, footnote, text, citations)


# -- ids -----------------------------------------------------------------------------------


def test_claim_id_is_deterministic_short_and_depends_on_article_and_text() -> None:
    first = claim_id("a.md", "Some claim.")
    assert re.fullmatch(r"c-[0-9a-f]{6}", first)
    assert claim_id("a.md", "Some claim.") == first
    assert claim_id("a.md", "  Some\n claim. ") == first  # re-wrapping is not a new claim
    assert claim_id("b.md", "Some claim.") != first
    assert claim_id(None, "Some claim.") != first


def test_unique_claim_id_salts_deterministically_on_collision() -> None:
    base = claim_id("a.md", "Same sentence.")
    salted = unique_claim_id("a.md", "Same sentence.", {base})
    assert salted != base
    assert re.fullmatch(r"c-[0-9a-f]{6}", salted)
    assert unique_claim_id("a.md", "Same sentence.", {base}) == salted


# -- load ----------------------------------------------------------------------------------


def test_load_parses_settings_articles_and_claims(commented: Path) -> None:
    ledger = Ledger.load(commented)
    assert ledger.articles == ["examples/*.md"]
    settings = ledger.settings
    assert settings.policy.fail_on == (Verdict.CONTRADICTED, Verdict.UNSUPPORTED)
    assert settings.policy.min_score == 0.4
    assert settings.fetch.allow_hosts == ("127.0.0.1",)
    assert settings.fetch.timeout == 5.0
    assert settings.reports_dir == Settings().reports_dir

    iwaya, museum, bridge = ledger.claims
    assert iwaya.id == "c-3f9a1e"
    assert iwaya.footnote == "3"  # written as a YAML number
    assert iwaya.line == 12
    assert iwaya.urls == (IWAYA_URL,)
    assert iwaya.status is Status.ACCEPTED
    assert iwaya.note == "the print edition says Defense Minister"
    assert iwaya.citations == (
        Citation(IWAYA_URL, title="Iwaya visits Canberra", accessed="2024-03-01"),
    )
    assert museum.status is Status.OPEN and museum.note is None
    assert bridge.article is None and bridge.line is None
    assert bridge.urls == ("file:///srv/sources/bridge.txt", "sources/bridge.html")
    assert bridge.id == claim_id(None, "The bridge is 1.2 km long.")


def test_empty_file_is_an_empty_ledger_with_defaults(tmp_path: Path) -> None:
    ledger = Ledger.load(write(tmp_path, "# nothing yet\n"))
    assert ledger.claims == []
    assert ledger.articles == []
    assert ledger.settings == Settings()


BAD_LEDGERS = [
    pytest.param("claims: [\n  {text: a, urls: []\n", 3, id="yaml-syntax"),
    pytest.param("articles: []\nclaim: []\n", 2, id="unknown-top-key"),
    pytest.param("settings:\n  fail_on: [contradicted]\n  fial: 1\n", 3, id="unknown-settings-key"),
    pytest.param("settings:\n  fail_on: [contradicted, wrong]\n", 2, id="unknown-verdict"),
    pytest.param("settings:\n  fail_on: contradicted\n", 2, id="fail-on-not-a-list"),
    pytest.param("settings:\n  min_score: high\n", 2, id="min-score-type"),
    pytest.param("settings:\n  min_score: 1.5\n", 2, id="min-score-range"),
    pytest.param("fetch:\n  timeout: soon\n", 2, id="fetch-timeout-type"),
    pytest.param("fetch:\n  concurrency: 0\n", 2, id="fetch-concurrency-range"),
    pytest.param("fetch:\n  allow_hosts: 127.0.0.1\n", 2, id="allow-hosts-not-a-list"),
    pytest.param("settings: [fail_on]\n", 1, id="settings-not-a-mapping"),
    pytest.param("articles: examples/*.md\n", 1, id="articles-not-a-list"),
    pytest.param("claims: {text: a}\n", 1, id="claims-not-a-list"),
    pytest.param("- just\n- a list\n", 1, id="document-not-a-mapping"),
    pytest.param(
        "claims:\n  - id: c-1\n    text: a\n    urls: []\n  - id: c-1\n    text: b\n    urls: []\n",
        5,
        id="duplicate-id",
    ),
    pytest.param("claims:\n  - id: c-1\n    urls: [https://a]\n", 2, id="missing-text"),
    pytest.param("claims:\n  - id: c-1\n    text: a\n", 2, id="missing-urls"),
    pytest.param("claims:\n  - text: a\n    urls: https://a\n", 3, id="urls-not-a-list"),
    pytest.param("claims:\n  - text: ''\n    urls: []\n", 2, id="empty-text"),
    pytest.param("claims:\n  - text: a\n    urls: []\n    line: twelve\n", 4, id="line-type"),
    pytest.param("claims:\n  - text: a\n    urls: []\n    status: done\n", 4, id="status"),
    pytest.param("claims:\n  - text: a\n    urls: []\n    staus: accepted\n", 4, id="claim-key"),
    pytest.param("claims:\n  - plain string\n", 2, id="claim-not-a-mapping"),
    pytest.param(
        "claims:\n  - text: a\n    urls: []\n    citations: [{url: x, tilte: y}]\n",
        4,
        id="citation-key",
    ),
]


@pytest.mark.parametrize(("text", "line"), BAD_LEDGERS)
def test_invalid_ledger_raises_ledger_error_naming_file_and_line(
    tmp_path: Path, text: str, line: int
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(LedgerError) as raised:
        Ledger.load(path)
    assert raised.value.path == str(path)
    assert raised.value.line == line
    assert raised.value.exit_code == 3
    assert path.read_text(encoding="utf-8") == text


def test_undecodable_ledger_is_a_ledger_error(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_bytes(b"claims: []\n\xff\xfe\n")
    with pytest.raises(LedgerError) as raised:
        Ledger.load(path)
    assert raised.value.path == str(path)


def test_missing_ledger_is_a_ledger_error(tmp_path: Path) -> None:
    with pytest.raises(LedgerError):
        Ledger.load(tmp_path / "claims.yaml")


# -- merge ---------------------------------------------------------------------------------


def test_new_ledger_merge_save_and_reload(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    ledger = Ledger.new(path)
    summary = ledger.merge(
        Extraction(
            ARTICLE,
            (
                extracted(5, "1", "The museum reopened in 2019.", "sources/museum.html"),
                ExtractedClaim(
                    ARTICLE, 12, "3", IWAYA, (Citation(IWAYA_URL, title="Iwaya in Canberra"),)
                ),
                extracted(20, "4", "A book says so."),
            ),
        )
    )
    assert len(summary.added) == 3 and summary.changed
    ledger.save()

    reloaded = Ledger.load(path)
    assert reloaded.settings.policy.fail_on == DEFAULT_FAIL_ON
    claims = reloaded.claims
    assert [c.id for c in claims] == list(summary.added)
    assert claims[1].id == claim_id(ARTICLE, IWAYA)
    assert (claims[1].article, claims[1].line, claims[1].footnote) == (ARTICLE, 12, "3")
    assert claims[1].urls == (IWAYA_URL,)
    assert claims[1].citations == (Citation(IWAYA_URL, title="Iwaya in Canberra"),)
    assert claims[2].urls == ()  # a footnote without a URL is still a claim
    assert claims[2].citations == (Citation(None, title="A Book"),)


def test_merge_updates_location_and_keeps_human_fields_and_comments(commented: Path) -> None:
    ledger = Ledger.load(commented)
    summary = ledger.merge(
        Extraction(
            ARTICLE,
            (
                extracted(7, "1", "The museum reopened in 2019.", "sources/museum.html"),
                ExtractedClaim(
                    ARTICLE,
                    14,
                    "3",
                    IWAYA,
                    (Citation(IWAYA_URL, title="Iwaya visits Canberra", accessed="2024-03-01"),),
                ),
            ),
        )
    )
    assert set(summary.updated) == {"c-3f9a1e", "c-0b1c2d"}
    assert summary.added == () and summary.removed == ()
    ledger.save()

    text = commented.read_text(encoding="utf-8")
    for comment in (
        "# Ledger for the example article.",
        "# what `verifier run` extracts from",
        "# The headline case: a title the source gives differently.",
        "# reviewed on the phone with the desk",
        "# Written by hand: this article has no footnotes.",
    ):
        assert comment in text
    reloaded = {c.id: c for c in Ledger.load(commented).claims}
    iwaya = reloaded["c-3f9a1e"]
    assert iwaya.line == 14
    assert iwaya.status is Status.ACCEPTED
    assert iwaya.note == "the print edition says Defense Minister"
    assert reloaded["c-0b1c2d"].line == 7
    # The hand-written claim got its id written, nothing else changed.
    bridge = reloaded[claim_id(None, "The bridge is 1.2 km long.")]
    assert bridge.urls == ("file:///srv/sources/bridge.txt", "sources/bridge.html")
    # Key order of the existing claim is kept: status and note still come last.
    block = text[text.index("id: c-3f9a1e") : text.index("id: c-0b1c2d")]
    keys = re.findall(r"^\s{4}(\w+):", block, flags=re.MULTILINE)
    assert keys == [
        "article",
        "line",
        "footnote",
        "text",
        "urls",
        "citations",
        "extracted",
        "status",
        "note",
    ]


def test_merge_matches_an_edited_sentence_by_footnote_and_keeps_its_id(commented: Path) -> None:
    ledger = Ledger.load(commented)
    edited = "Japan's Foreign Minister Takeshi Iwaya met his counterpart in Canberra."
    summary = ledger.merge(
        Extraction(
            ARTICLE,
            (
                extracted(5, "1", "The museum reopened in 2019.", "sources/museum.html"),
                extracted(12, "3", edited, IWAYA_URL),
            ),
        )
    )
    assert summary.updated == ("c-3f9a1e",)
    claim = next(c for c in ledger.claims if c.id == "c-3f9a1e")
    assert claim.text == edited
    assert claim.status is Status.ACCEPTED


def test_merge_removes_vanished_claims_unless_a_person_wrote_on_them(commented: Path) -> None:
    ledger = Ledger.load(commented)
    summary = ledger.merge(Extraction(ARTICLE, ()))
    assert summary.removed == ("c-0b1c2d",)
    assert summary.kept == ("c-3f9a1e",)  # it carries status and note
    ids = [c.id for c in ledger.claims]
    assert "c-0b1c2d" not in ids
    assert "c-3f9a1e" in ids
    assert claim_id(None, "The bridge is 1.2 km long.") in ids  # hand-written: untouched


def test_merge_inserts_new_claims_after_their_predecessor_in_the_article(commented: Path) -> None:
    ledger = Ledger.load(commented)
    ledger.merge(
        Extraction(
            ARTICLE,
            (
                extracted(5, "1", "The museum reopened in 2019.", "sources/museum.html"),
                extracted(9, "2", "It was closed for two years.", "sources/museum.html"),
                extracted(12, "3", IWAYA, IWAYA_URL),
            ),
        )
    )
    order = [(c.article, c.line) for c in ledger.claims]
    assert order == [(ARTICLE, 12), (ARTICLE, 5), (ARTICLE, 9), (None, None)]


def test_merge_of_an_unchanged_extraction_changes_nothing(commented: Path) -> None:
    ledger = Ledger.load(commented)
    ledger.save()  # writes the hand-written claim's id
    before = commented.read_bytes()
    ledger = Ledger.load(commented)
    summary = ledger.merge(
        Extraction(
            ARTICLE,
            (
                ExtractedClaim(
                    ARTICLE,
                    5,
                    "1",
                    "The museum reopened in 2019.",
                    (Citation("sources/museum.html"),),
                ),
                ExtractedClaim(
                    ARTICLE,
                    12,
                    "3",
                    IWAYA,
                    (Citation(IWAYA_URL, title="Iwaya visits Canberra", accessed="2024-03-01"),),
                ),
            ),
        )
    )
    assert not summary.changed
    assert summary.unchanged == 2
    ledger.save()
    assert commented.read_bytes() == before


def test_duplicate_sentences_in_one_article_get_distinct_ids(tmp_path: Path) -> None:
    ledger = Ledger.new(tmp_path / "claims.yaml")
    summary = ledger.merge(
        Extraction(ARTICLE, (extracted(1, "1", "Same.", "a"), extracted(2, "2", "Same.", "b")))
    )
    assert len(set(summary.added)) == 2


# -- save ----------------------------------------------------------------------------------


def test_save_without_changes_never_writes(tmp_path: Path) -> None:
    # Unusual spacing that a round-trip dump would normalise: proof that nothing is rewritten.
    text = (
        "settings:\n  fail_on:   [contradicted]\nclaims:\n  - id: c-1\n    text: a\n    urls: []\n"
    )
    path = write(tmp_path, text)
    stat = path.stat()
    Ledger.load(path).save()
    assert path.read_text(encoding="utf-8") == text
    assert path.stat().st_mtime_ns == stat.st_mtime_ns


def test_save_is_atomic_and_leaves_no_temporary_files(commented: Path) -> None:
    ledger = Ledger.load(commented)
    ledger.merge(Extraction(ARTICLE, ()))
    ledger.save()
    leftovers = [p for p in commented.parent.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_new_ledger_is_written_only_on_save(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    ledger = Ledger.new(path)
    assert not path.exists()
    ledger.save()
    reloaded = Ledger.load(path)
    assert reloaded.claims == []
    assert reloaded.settings.policy.fail_on == DEFAULT_FAIL_ON


def test_the_fast_claim_path_builds_the_same_claims_as_validation(commented: Path) -> None:
    from ruamel.yaml import YAML

    from verifier.ledger import entries, text

    document = YAML(typ="rt").load(commented.read_text(encoding="utf-8"))
    for entry in document["claims"]:
        assert entries.claim_from_plain(text.plain(entry)) == entries.claim_from_entry(
            entry, validate=True
        )


def test_save_refuses_to_overwrite_an_edit_made_meanwhile(commented: Path) -> None:
    ledger = Ledger.load(commented)
    ledger.merge(Extraction(ARTICLE, ()))
    edited = commented.read_text(encoding="utf-8") + "# added by a colleague\n"
    commented.write_text(edited, encoding="utf-8")
    with pytest.raises(LedgerError):
        ledger.save()
    assert commented.read_text(encoding="utf-8") == edited


def test_a_new_ledger_does_not_clobber_a_file_created_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    ledger = Ledger.new(path)
    path.write_text("claims: []\n", encoding="utf-8")
    with pytest.raises(LedgerError):
        ledger.save()
    assert path.read_text(encoding="utf-8") == "claims: []\n"


def test_save_writes_through_a_symlinked_ledger_and_keeps_the_link(commented: Path) -> None:
    shared = commented.parent / "shared"
    shared.mkdir()
    target = shared / "claims.yaml"
    commented.rename(target)
    commented.symlink_to(Path("shared") / "claims.yaml")
    before = target.read_text(encoding="utf-8")
    ledger = Ledger.load(commented)
    assert ledger.merge(Extraction(ARTICLE, ())).changed
    ledger.save()
    assert commented.is_symlink()
    assert os.readlink(commented) == str(Path("shared") / "claims.yaml")
    assert target.read_text(encoding="utf-8") == ledger.dumps() != before
    assert Ledger.load(target).claims == Ledger.load(commented).claims
    assert [p.name for p in commented.parent.iterdir() if p.name.endswith(".tmp")] == []


# -- entries held as spans of the file's text ------------------------------------------------


def test_a_saved_ledger_edits_on_exactly_as_a_fresh_load_of_it(commented: Path) -> None:
    ledger = Ledger.load(commented)
    ledger.merge(
        Extraction(ARTICLE, (extracted(3, "9", "The pier was rebuilt in 1990.", "a.html"),))
    )
    ledger.save()
    assert ledger.dumps() == commented.read_text(encoding="utf-8")  # now spans of that text
    fresh = Ledger.load(commented)
    for each in (ledger, fresh):
        claim = each.claims[0]
        each.accept(claim.id, "checked against the print edition")
        each.merge(Extraction("other.md", (extracted(4, "2", "A second pier.", "b.html"),)))
    assert ledger.dumps() == fresh.dumps()
    assert ledger.field_lines("status") == fresh.field_lines("status")
    ledger.save()
    assert commented.read_text(encoding="utf-8") == fresh.dumps()


def test_field_lines_of_some_claims_are_those_lines_of_every_claim(commented: Path) -> None:
    ledger = Ledger.load(commented)
    every = ledger.field_lines("text")
    some = set(list(every)[::2])
    assert some and ledger.field_lines("text", some) == {
        claim_id: line for claim_id, line in every.items() if claim_id in some
    }
