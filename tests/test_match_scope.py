"""What a claim asserts and about whom: assertion scope, the role a compared word fills, and
qualified places."""

from __future__ import annotations

import pytest

from verifier.match import assess
from verifier.match.finders.negation import negated_before
from verifier.model import FlagKind, Severity, Verdict

HEARING = "The committee decided not to attend the hearing on the new harbour."


def conflicts(claim: str, source: str) -> list[tuple[FlagKind, str, str | None]]:
    return [
        (flag.kind, flag.claim, flag.source)
        for flag in assess(claim, source).flags
        if flag.severity is Severity.CONFLICT
    ]


@pytest.mark.parametrize(
    "claim",
    [
        "The committee was afraid to attend the hearing on the new harbour.",
        "The committee hoped to attend the hearing on the new harbour.",
        "The committee planned to attend the hearing on the new harbour.",
        "The committee was expected to attend the hearing on the new harbour.",
    ],
)
def test_a_word_under_afraid_to_or_planned_to_is_not_asserted(claim: str) -> None:
    assert conflicts(claim, HEARING) == []


def test_the_plain_statement_is_still_contradicted() -> None:
    claim = "The committee attended the hearing on the new harbour."
    assert [kind for kind, _, _ in conflicts(claim, HEARING)] == [FlagKind.NEGATION]
    assert assess(claim, HEARING).verdict is Verdict.CONTRADICTED


def test_desisting_from_agrees_with_did_not() -> None:
    source = "After the season the club did not re-sign the goalkeeper."
    claim = "After the season the club desisted from re-signing the goalkeeper."
    assert conflicts(claim, source) == []
    plain = "After the season the club re-signed the goalkeeper."
    assert [kind for kind, _, _ in conflicts(plain, source)] == [FlagKind.NEGATION]


def test_a_title_is_compared_only_with_the_passage_the_claim_comes_from() -> None:
    source = (
        "Reyes led the harbour patrol in 2010. Years later his uncle, Admiral Reyes, "
        "commanded the fleet."
    )
    assert conflicts("Captain Reyes led the harbour patrol in 2010.", source) == []
    titled = "Admiral Reyes led the harbour patrol in 2010."
    assert conflicts("Captain Reyes led the harbour patrol in 2010.", titled) == [
        (FlagKind.TITLE, "Captain", "Admiral")
    ]


def test_a_title_of_someone_with_another_given_name_is_not_compared() -> None:
    source = "Admiral Tomas Reyes and Ana Reyes led the harbour patrol in 2010."
    assert conflicts("Captain Ana Reyes led the harbour patrol in 2010.", source) == []


def test_a_place_is_never_set_against_a_month() -> None:
    claim = "The festival opened in New York City in 2012."
    assert conflicts(claim, "The festival opened in September 2012.") == []


def test_a_qualified_place_is_no_negation() -> None:
    source = "The company sold most of its phones outside mainland China that year."
    claim = "The company sold most of its phones outside China that year."
    assert conflicts(claim, source) == []
    assert assess(claim, source).verdict is not Verdict.CONTRADICTED


def test_other_than_excludes_without_denying() -> None:
    source = "The album came out in Norway in May and later in many other countries."
    claim = "The album came out in many countries other than Norway."
    assert conflicts(claim, source) == []
    assert assess(claim, source).verdict is not Verdict.CONTRADICTED


def test_no_governs_the_words_just_after_it_not_the_rest_of_the_clause() -> None:
    source = "The ban meant no travellers arriving from these countries could board the ferry."
    assert negated_before(source, source.index("travellers")) is not None
    assert negated_before(source, source.index("countries")) is None
    claim = "The ban applied to the ferry from these countries."
    assert conflicts(claim, source) == []
    denied = "The ban meant no ferry could sail to these countries."
    assert [kind for kind, _, _ in conflicts("A ferry sailed to these countries.", denied)] == [
        FlagKind.NEGATION
    ]


@pytest.mark.parametrize(
    ("claim_name", "severity"),
    [("Lindquist", Severity.DRIFT), ("Lindgren", Severity.CONFLICT)],
)
def test_a_name_spelled_differently_is_drift_and_another_name_a_conflict(
    claim_name: str, severity: Severity
) -> None:
    source = "The ribbon was cut by the mayor, Tomas Lindqvist, and the chief engineer."
    claim = f"The ribbon was cut by the mayor, Tomas {claim_name}, and the chief engineer."
    names = [f for f in assess(claim, source).flags if f.kind is FlagKind.NAME]
    assert [(f.claim, f.source, f.severity) for f in names] == [(claim_name, "Lindqvist", severity)]
