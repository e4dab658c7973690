"""Quotations: paired in order, found verbatim through case and contractions; a small
difference is drift for a reviewer, a replaced word a conflict."""

from __future__ import annotations

import pytest

from verifier.match import assess
from verifier.match.finders.quotes import quotations
from verifier.model import FlagKind, Severity, Verdict

SPEECH = (
    'At the opening of the new quay the mayor said: "We do not want a bigger harbour, we want '
    'a cleaner one." The old pier, she added, "will stay open to the fishing boats".'
)


def quote_flags(claim: str) -> list[tuple[str, str | None, Severity | None]]:
    return [
        (flag.claim, flag.source, flag.severity)
        for flag in assess(claim, SPEECH).flags
        if flag.kind is FlagKind.QUOTE
    ]


def test_quote_marks_pair_in_order() -> None:
    text = (
        'The mayor said "quay" for the pier and "harbour" for the port, and \u201cnot ours\u201d.'
    )
    assert [text[start:end] for start, end in quotations(text)] == ["quay", "harbour", "not ours"]
    assert quotations("the mayor\u2019s \u2018cleaner one\u2019") == [(13, 24)]


def test_two_quoted_words_are_not_one_quotation() -> None:
    claim = 'At the opening the mayor used "quay" for the pier and "harbour" for the port.'
    assert quote_flags(claim) == []


@pytest.mark.parametrize(
    "quoted",
    ["We do not want a bigger harbour", "we do not want a bigger harbour", "will stay open"],
)
def test_a_quotation_as_written_is_verbatim_whatever_the_case_of_its_first_letter(
    quoted: str,
) -> None:
    assert quote_flags(f'At the opening of the new quay the mayor said "{quoted}".') == []


@pytest.mark.parametrize(
    "quoted",
    [
        "we don't want a bigger harbour",  # a contraction
        "we do not want a Bigger Harbour",  # case
        "we do not want bigger harbour",  # a dropped filler word
        "we do not want a bigger harbour, we want one cleaner",  # word order
    ],
)
def test_a_quotation_that_differs_slightly_is_drift(quoted: str) -> None:
    claim = f'At the opening of the new quay the mayor said "{quoted}".'
    [(_, source, severity)] = quote_flags(claim)
    assert severity is Severity.DRIFT and source is not None and "bigger harbour" in source
    assert assess(claim, SPEECH).verdict is not Verdict.CONTRADICTED


def test_a_replaced_word_in_a_quotation_is_a_conflict() -> None:
    claim = 'At the opening of the new quay the mayor said "we do not want a bigger marina".'
    [(quoted, source, severity)] = quote_flags(claim)
    assert quoted == "we do not want a bigger marina"
    assert severity is Severity.CONFLICT and source is not None and "harbour" in source
    assert assess(claim, SPEECH).verdict is Verdict.CONTRADICTED


def test_a_quotation_the_page_does_not_hold_names_no_source() -> None:
    claim = 'At the opening of the new quay the mayor asked for "un port plus propre".'
    assert quote_flags(claim) == [("un port plus propre", None, None)]
    assert assess(claim, SPEECH).verdict is not Verdict.CONTRADICTED
