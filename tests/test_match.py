"""Matcher behaviour on real sentence pairs: verdicts, evidence and typed discrepancy flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.match import assess
from verifier.model import Assessment, Flag, Severity, Verdict

FIXTURES = Path(__file__).parent / "fixtures" / "match"
HARBOUR = (FIXTURES / "harbour_page.txt").read_text(encoding="utf-8")

IWAYA_SOURCE = (
    "TOKYO (Reuters) - Japan's Foreign Minister Takeshi Iwaya will visit Beijing next week for "
    "talks with his Chinese counterpart Wang Yi, the ministry said on Friday. The two sides are "
    "expected to discuss seafood imports and the detention of Japanese nationals."
)


def flags_of(assessment: Assessment, kind: str) -> list[Flag]:
    return [flag for flag in assessment.flags if flag.kind == kind]


def test_iwaya_title_is_contradicted_with_both_phrases() -> None:
    claim = "Japan's Defense Minister Takeshi Iwaya will visit Beijing for talks with Wang Yi."
    assessment = assess(claim, IWAYA_SOURCE)
    assert assessment.verdict is Verdict.CONTRADICTED
    [title] = flags_of(assessment, "title")
    assert (title.claim, title.source) == ("Defense Minister", "Foreign Minister")
    assert claim[title.start : title.end] == "Defense Minister"
    assert assessment.evidence is not None
    assert "Foreign Minister Takeshi Iwaya" in assessment.evidence.text
    assert IWAYA_SOURCE[assessment.evidence.start : assessment.evidence.end] == (
        assessment.evidence.text
    )


@pytest.mark.parametrize(
    "source",
    [
        "Japan's foreign minister, Takeshi Iwaya, will visit Beijing for talks with Wang Yi.",
        "Takeshi Iwaya, Japan's foreign minister, will visit Beijing for talks with Wang Yi.",
    ],
)
def test_title_written_as_apposition_is_compared_too(source: str) -> None:
    claim = "Takeshi Iwaya, the defense minister, will visit Beijing for talks with Wang Yi."
    assessment = assess(claim, source)
    assert assessment.verdict is Verdict.CONTRADICTED
    [title] = flags_of(assessment, "title")
    assert (title.claim, title.source) == ("defense minister", "foreign minister")


def test_same_title_is_supported_and_scores_higher() -> None:
    good = assess(
        "Japan's Foreign Minister Takeshi Iwaya will visit Beijing for talks with Wang Yi.",
        IWAYA_SOURCE,
    )
    bad = assess(
        "Japan's Defense Minister Takeshi Iwaya will visit Beijing for talks with Wang Yi.",
        IWAYA_SOURCE,
    )
    assert good.verdict is Verdict.SUPPORTED
    assert not good.flags
    assert 0.0 <= bad.score < good.score <= 1.0


def test_less_specific_title_is_not_a_conflict() -> None:
    assessment = assess(
        "Minister Takeshi Iwaya will visit Beijing for talks with Wang Yi.", IWAYA_SOURCE
    )
    assert not flags_of(assessment, "title")
    assert assessment.verdict is not Verdict.CONTRADICTED


def test_best_passage_spans_adjacent_sentences_deep_in_a_page() -> None:
    claim = (
        "The breakwater was designed by Margaret Holloway and completed in 1898 "
        "at a cost of £212,000."
    )
    assessment = assess(claim, HARBOUR)
    assert assessment.verdict is Verdict.SUPPORTED
    assert assessment.evidence is not None
    assert "Margaret Holloway" in assessment.evidence.text
    assert "£212,000" in assessment.evidence.text


def test_number_conflict_is_flagged_with_the_source_number() -> None:
    claim = "The breakwater was completed on 14 May 1898 after twelve years of work."
    assessment = assess(claim, HARBOUR)
    assert assessment.verdict is Verdict.CONTRADICTED
    [number] = flags_of(assessment, "number")
    assert (number.claim, number.source) == ("twelve years", "eleven years")


@pytest.mark.parametrize(
    "claim",
    [
        "The port handles about 1,500,000 tonnes of cargo a year, mostly timber and grain.",
        "Around two per cent of the cargo is exported to Norway.",
    ],
)
def test_numbers_written_differently_are_the_same(claim: str) -> None:
    assessment = assess(claim, HARBOUR)
    assert not flags_of(assessment, "number")
    assert assessment.verdict is Verdict.SUPPORTED


def test_date_conflict_is_flagged_and_less_specific_date_is_fine() -> None:
    wrong = assess("The breakwater was completed on 14 June 1898.", HARBOUR)
    assert wrong.verdict is Verdict.CONTRADICTED
    [date] = flags_of(wrong, "date")
    assert (date.claim, date.source) == ("14 June 1898", "14 May 1898")
    vaguer = assess("The breakwater was completed in May 1898.", HARBOUR)
    assert vaguer.verdict is Verdict.SUPPORTED
    assert not vaguer.flags


def test_name_conflict_is_flagged() -> None:
    claim = (
        "In 1887 the harbour board commissioned a breakwater designed by the engineer "
        "Mary Holloway."
    )
    assessment = assess(claim, HARBOUR)
    assert assessment.verdict is Verdict.CONTRADICTED
    [name] = flags_of(assessment, "name")
    assert (name.claim, name.source) == ("Mary", "Margaret")


def test_negation_conflict_is_flagged() -> None:
    claim = "The port authority approved the proposed marina in 2019."
    assessment = assess(claim, HARBOUR)
    assert assessment.verdict is Verdict.CONTRADICTED
    [negation] = flags_of(assessment, "negation")
    assert claim[negation.start : negation.end] == "approved"
    assert negation.source is not None and "not" in negation.source


def test_misquote_is_flagged_and_exact_quote_with_ellipsis_is_not() -> None:
    misquote = assess(
        'Captain Idris Fenwick said the board "will not expand the cargo terminal".', HARBOUR
    )
    [quote] = flags_of(misquote, "quote")
    assert quote.claim == "will not expand the cargo terminal"
    assert quote.source is not None and "container terminal" in quote.source
    assert misquote.verdict is Verdict.CONTRADICTED
    exact = assess(
        'Captain Idris Fenwick said the board "will not expand ... before the new road is built".',
        HARBOUR,
    )
    assert not flags_of(exact, "quote")
    bracketed = assess(
        'Captain Fenwick said "[the harbour board] will not expand the container terminal".',
        HARBOUR,
    )
    assert not flags_of(bracketed, "quote")


def test_unsupported_part_is_flagged_with_offsets() -> None:
    claim = "The Port of Wellsby is a deep-water harbour that the Romans built to export tin."
    assessment = assess(claim, HARBOUR)
    assert assessment.verdict is Verdict.PARTIAL
    spans = [claim[f.start : f.end] for f in flags_of(assessment, "unsupported")]
    assert any("Romans" in span and "tin" in span for span in spans)
    assert not any("harbour" in span or "Wellsby" in span for span in spans)


def test_unrelated_claim_is_unsupported_with_low_score() -> None:
    assessment = assess("The cathedral choir toured Italy with a new organ.", HARBOUR)
    assert assessment.verdict is Verdict.UNSUPPORTED
    assert assessment.score < 0.2


@pytest.mark.parametrize(
    ("claim", "source"),
    [("", HARBOUR), ("Some claim about things.", ""), ("the of and", HARBOUR)],
)
def test_degenerate_input_is_never_unavailable(claim: str, source: str) -> None:
    assessment = assess(claim, source)
    assert assessment.verdict is Verdict.UNSUPPORTED
    assert 0.0 <= assessment.score <= 1.0


def test_title_given_by_a_verb_away_from_the_name_is_compared() -> None:
    source = (
        "Takeshi Iwaya, who became foreign minister in October, will visit Beijing next week "
        "for talks with Wang Yi, the ministry said on Friday."
    )
    wrong = assess(
        "Defense Minister Takeshi Iwaya will visit Beijing for talks with Wang Yi.", source
    )
    assert wrong.verdict is Verdict.CONTRADICTED
    [title] = flags_of(wrong, "title")
    assert (title.claim, title.source) == ("Defense Minister", "foreign minister")
    right = assess(
        "Foreign Minister Takeshi Iwaya will visit Beijing for talks with Wang Yi.", source
    )
    assert not flags_of(right, "title")
    assert right.verdict is Verdict.SUPPORTED


def test_unsupported_words_come_from_the_fitted_word_model_and_never_from_the_passage() -> None:
    from verifier.match import Source, analyse
    from verifier.match.scoring import packaged_model
    from verifier.match.tokenmask import TOKEN_FEATURE_NAMES

    model = packaged_model()
    assert set(model.token_weights) == set(TOKEN_FEATURE_NAMES)
    claim = "The breakwater was completed in May 1898 by a team of Norwegian divers."
    analysis = analyse(claim, Source.prepare(HARBOUR))
    evidence = analysis.assessment.evidence
    assert evidence is not None
    unsupported = flags_of(analysis.assessment, "unsupported")
    assert any("Norwegian divers" in flag.claim for flag in unsupported)
    # Words the evidence passage states are never inside an unsupported flag.
    for word in ("breakwater", "completed", "May 1898"):
        start = claim.index(word)
        assert not any(f.start < start + len(word) and start < f.end for f in unsupported)


GREITENS = (
    "Gov. Eric Greitens will choose between Judge Lisa White Hardwick, Benjamin A. Lipman and "
    "Judge W. Brent Powell to be his final nominee to the seat vacated by the late Judge Richard "
    "Teitelman."
)


def test_a_title_before_a_name_ends_at_the_comma_after_it() -> None:
    # "Judge" is Hardwick's title; Lipman, after the comma, has none here.
    claim = (
        "The other two applicants were Judge Lisa White Hardwick and attorney Benjamin A. Lipman."
    )
    assessment = assess(claim, GREITENS)
    assert not [f for f in assessment.flags if f.kind == "title"]
    assert assessment.verdict is not Verdict.CONTRADICTED
    judged = assess(
        claim.replace("attorney", "Judge").replace("Judge Lisa", "attorney Lisa"), GREITENS
    )
    assert [(f.kind, f.source) for f in judged.flags if f.kind == "title"] == [("title", "Judge")]


ANTECHINUS = (
    "The Dusky antechinus has several subspecies. The population in the Tasmanian highlands was "
    "previously described as a separate form, A. swainsonii mimetes, before being merged."
)


def test_a_quoted_name_the_source_abbreviates_is_drift_and_another_name_is_not_found() -> None:
    claim = (
        'It had previously been described as "Antechinus swainsonii mimetes", a subspecies of '
        "the Dusky antechinus."
    )
    assessment = assess(claim, ANTECHINUS)
    assert [f.severity for f in assessment.flags if f.kind == "quote"] == [Severity.DRIFT]
    assert assessment.verdict is not Verdict.CONTRADICTED
    other = assess(claim.replace("mimetes", "insulanus"), ANTECHINUS)
    assert [(f.claim, f.source) for f in other.flags if f.kind == "quote"] == [
        ("Antechinus swainsonii insulanus", None)
    ]


INGUSHETIA = (
    "Ingushetia was formed in 1992 when the Chechen-Ingush Autonomous Soviet Socialist Republic "
    "split into two."
)


def test_initials_are_no_conflict_with_the_name_they_stand_for() -> None:
    assessment = assess(
        "Ingushetia was formed when the Chechen-Ingush ASSR split into two.", INGUSHETIA
    )
    assert not [f for f in assessment.flags if f.kind == "name"]
    assert assessment.verdict is not Verdict.CONTRADICTED
    renamed = assess(
        "Ingushetia was formed when the Chechen-Ingush Democratic Republic split into two.",
        INGUSHETIA,
    )
    assert [f.claim for f in renamed.flags if f.kind == "name"] == ["Democratic"]


BOGART = (
    "In 1999, the American Film Institute ranked Bogart as the greatest male star of Classic "
    "American cinema."
)


def test_a_word_facing_its_opposite_is_a_reversal() -> None:
    claim = "Humphrey Bogart was ranked worst male star of Classic American cinema."
    assessment = assess(claim, BOGART)
    assert [(f.kind, f.claim, f.source) for f in assessment.flags if f.kind == "negation"] == [
        ("negation", "worst", "greatest")
    ]
    assert assessment.verdict is Verdict.CONTRADICTED
    same = assess(claim.replace("worst", "greatest"), BOGART)
    assert same.verdict is Verdict.SUPPORTED
