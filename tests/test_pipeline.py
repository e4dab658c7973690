"""Unit tests of the orchestrator's own decisions: paths, source locations, combining verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier import pipeline
from verifier.model import (
    Assessment,
    Capture,
    Citation,
    Claim,
    ExtractedClaim,
    Extraction,
    ExtractionWarning,
    FetchFailure,
    SourceCheck,
    UnavailableReason,
    Verdict,
)


def capture(url: str, text: str = "text") -> Capture:
    return Capture(
        url=url,
        final_url=url,
        status_code=200,
        fetched_at="2025-03-15T10:00:00Z",
        content_type="text/html",
        payload_digest="sha1:AAAA",
        text=text,
    )


def check(verdict: Verdict, score: float) -> SourceCheck:
    return SourceCheck(
        url="https://example.org/a",
        source=capture("https://example.org/a"),
        assessment=Assessment(score=score, verdict=verdict, evidence=None),
    )


CLAIM = Claim(id="c-000001", text="A claim.", urls=("https://example.org/a",))


def test_combine_prefers_the_source_that_supports_the_claim() -> None:
    finding = pipeline.combine(
        CLAIM, [check(Verdict.UNSUPPORTED, 0.2), check(Verdict.SUPPORTED, 0.9)]
    )
    assert finding.verdict is Verdict.SUPPORTED
    assert finding.score == 0.9


def test_combine_prefers_a_contradiction_to_silence() -> None:
    finding = pipeline.combine(
        CLAIM, [check(Verdict.UNSUPPORTED, 0.3), check(Verdict.CONTRADICTED, 0.5)]
    )
    assert finding.verdict is Verdict.CONTRADICTED


def test_combine_ignores_unreadable_sources_when_another_is_readable() -> None:
    dead = SourceCheck(
        url="https://example.org/b",
        source=FetchFailure("https://example.org/b", UnavailableReason.DEAD, "HTTP 404"),
    )
    finding = pipeline.combine(CLAIM, [dead, check(Verdict.PARTIAL, 0.6)])
    assert finding.verdict is Verdict.PARTIAL


def test_combine_with_no_readable_source_is_unavailable_with_every_reason() -> None:
    checks = [
        SourceCheck(url="u1", source=FetchFailure("u1", UnavailableReason.DEAD, "HTTP 404")),
        SourceCheck(url="u2", source=FetchFailure("u2", UnavailableReason.TIMEOUT)),
    ]
    finding = pipeline.combine(CLAIM, checks)
    assert finding.verdict is Verdict.UNAVAILABLE
    assert finding.reason == "dead: HTTP 404; timeout"


def test_a_claim_without_urls_is_unavailable_no_url() -> None:
    claim = Claim(id="c-000002", text="From a book.", urls=())
    [finding] = pipeline.check_claims(
        [claim], {}, pipeline.SourceLocator(Path(".")), lambda c, s: pytest.fail("scored")
    )
    assert finding.verdict is Verdict.UNAVAILABLE
    assert finding.reason == "no URL"


def test_check_claims_scores_each_readable_source_by_location(tmp_path: Path) -> None:
    local = tmp_path / "src.html"
    claim = Claim(id="c-1", text="Claim.", urls=("src.html", "https://example.org/x"))
    sources = {
        local.resolve().as_uri(): capture(local.as_uri(), "local text"),
        "https://example.org/x": FetchFailure("https://example.org/x", UnavailableReason.BLOCKED),
    }
    seen = []

    def assess(claim_text: str, source_text: str) -> Assessment:
        seen.append(source_text)
        return Assessment(score=1.0, verdict=Verdict.SUPPORTED, evidence=None)

    [finding] = pipeline.check_claims([claim], sources, pipeline.SourceLocator(tmp_path), assess)
    assert seen == ["local text"]
    assert finding.verdict is Verdict.SUPPORTED
    assert len(finding.checks) == 2


def test_source_location_resolves_relative_paths_against_the_ledger(tmp_path: Path) -> None:
    locate = pipeline.SourceLocator(tmp_path)
    assert locate("https://a.example/x") == "https://a.example/x"
    assert locate("file:///srv/x.html") == "file:///srv/x.html"
    assert locate("/srv/sources/../x.html") == "file:///srv/x.html"
    assert locate("sources/x.html") == ((tmp_path / "sources" / "x.html").resolve().as_uri())


def test_footnote_links_are_rebased_from_the_article_onto_the_ledger(tmp_path: Path) -> None:
    article = tmp_path / "docs" / "a.md"
    article.parent.mkdir()
    article.write_text("x", encoding="utf-8")

    def extract(path: Path, shown: str) -> Extraction:
        cited = ExtractedClaim(
            article=shown,
            line=1,
            footnote="1",
            text="Claim.",
            citations=(Citation("sources/x.html"), Citation("https://example.org/y")),
        )
        return Extraction(article=shown, claims=(cited,))

    [extraction] = pipeline.extract_each([article], tmp_path, extract)
    [claim] = extraction.claims
    assert claim.article == "docs/a.md"
    assert claim.urls == ("docs/sources/x.html", "https://example.org/y")


def test_each_article_is_merged_before_the_next_is_read(tmp_path: Path) -> None:
    """Only one article's claims are held at a time: the merge of one comes before the
    extraction of the next, and the outcome keeps names, counts and warnings only."""
    paths = []
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
        paths.append(tmp_path / name)
    events: list[str] = []

    def extract(path: Path, shown: str) -> Extraction:
        events.append(f"extract {shown}")
        cited = ExtractedClaim(shown, 1, "1", f"Claim of {shown}.", (Citation("x.html"),))
        warning = ExtractionWarning(shown, 2, "note [2] has no URL")
        return Extraction(article=shown, claims=(cited, cited), warnings=(warning,))

    def merge(extraction: Extraction) -> None:
        events.append(f"merge {extraction.article}")

    outcome = pipeline.extract_articles(paths, tmp_path, extract, merge)
    assert events == ["extract a.md", "merge a.md", "extract b.md", "merge b.md"]
    assert outcome.articles == ("a.md", "b.md")
    assert outcome.claim_count == 4
    assert [w.article for w in outcome.warnings] == ["a.md", "b.md"]


def test_a_survey_in_one_read_matches_locations_dates_and_batches(tmp_path: Path) -> None:
    claims = [
        Claim(
            id=f"c{n}",
            text="t",
            urls=(f"s/{n % 3}.html", "https://a.example/x"),
            citations=(
                Citation(f"s/{n % 3}.html", accessed=f"{n} May 2024"),
                Citation("https://a.example/x", accessed=None),
            ),
        )
        for n in range(7)
    ]
    claims.append(Claim(id="bare", text="t", urls=()))
    locate = pipeline.SourceLocator(tmp_path)
    survey = pipeline.survey(claims, locate)
    assert survey.locations == pipeline.locations(claims, locate)
    assert survey.accessed == pipeline.access_dates(claims, locate)
    assert survey.accessed[locate("s/1.html")] == "1 May 2024"
    batches = pipeline.claim_batches(claims, locate, 3)
    assert pipeline.claim_batches(claims, locate, 3, survey.first) == batches
    assert batches[0][0] == 7  # no source sorts first
