"""Sentence splitting: spans, abbreviations, decimals, initials, quotes and markers."""

from __future__ import annotations

import pytest

from verifier.text.sentences import split_sentences


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


def test_spans_index_into_the_text() -> None:
    text = "  First one.  Second one!\nThird?  "
    spans = split_sentences(text)
    assert spans == [(2, 12), (14, 25), (26, 32)]


def test_empty_text_has_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t") == []


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Smith met Mrs. Jones at St. Mary's yesterday.",
        "The U.S. Navy and the U.K. Royal Navy sailed together.",
        "Revenue rose to 3.5 million in Q2, up 12.75 percent.",
        "Some allies, e.g. Japan and Australia, agreed.",
        "That is, i.e. The Hague, the city.",
        "The talks began on Jan. 12 and ended in Sept. 2024.",
        "J. R. R. Tolkien wrote it in Oxford.",
        "See No. 5 and pp. 12-14 for details.",
        "Gen. Nakatani and Lt. Col. Sato attended.",
        "It cost $1,200.50 in total.",
        "Visit example.com for more.",
    ],
)
def test_abbreviations_decimals_and_initials_do_not_split(text: str) -> None:
    assert sentences(text) == [text]


def test_ordinary_sentence_ends_split() -> None:
    assert sentences("One. Two! Three? Four… Five.") == ["One.", "Two!", "Three?", "Four…", "Five."]


def test_closing_quote_and_marker_stay_with_their_sentence() -> None:
    text = 'He said "we will act."[3] Then he left. (This was new.) Later [4] more.'
    assert sentences(text) == [
        'He said "we will act."[3]',
        "Then he left.",
        "(This was new.)",
        "Later [4] more.",
    ]


def test_sentence_starting_with_quote_or_digit_splits() -> None:
    assert sentences('It ended. "Never again," he said. 2024 was hard.') == [
        "It ended.",
        '"Never again," he said.',
        "2024 was hard.",
    ]


def test_lowercase_continuation_does_not_split() -> None:
    assert sentences("The ministry said approx. ten ships were sent.") == [
        "The ministry said approx. ten ships were sent."
    ]


def test_paragraph_break_always_splits() -> None:
    assert sentences("Heading without stop\n\nBody text here.") == [
        "Heading without stop",
        "Body text here.",
    ]


def test_number_abbreviation_only_before_digits() -> None:
    assert sentences("The answer was no. Then they left.") == [
        "The answer was no.",
        "Then they left.",
    ]


def test_superscript_and_caret_markers_stay_with_sentence() -> None:
    assert sentences("It grew.¹² It fell.^3 Done.") == ["It grew.¹²", "It fell.^3", "Done."]


def test_long_text_is_fast_enough_to_be_linear() -> None:
    text = "Dr. Who went to the U.S. again. " * 20000
    assert len(split_sentences(text)) == 20000


def test_initial_or_acronym_before_a_sentence_starter_ends_the_sentence() -> None:
    assert sentences("It is the sum of A and B. This is known.") == [
        "It is the sum of A and B.",
        "This is known.",
    ]
    assert sentences("He moved to the U.S. The move was hard.") == [
        "He moved to the U.S.",
        "The move was hard.",
    ]
    assert sentences("I met J. R. Tolkien there.") == ["I met J. R. Tolkien there."]


def test_circa_before_a_year_does_not_split() -> None:
    assert sentences("It was built c. 1500 by monks.") == ["It was built c. 1500 by monks."]


def test_german_abbreviations() -> None:
    text = "Es gibt z. B. Raketen. Vgl. S. 22 und Nr. 5 bzw. Abs. 3. Das ist neu."
    assert sentences(text) == [
        "Es gibt z. B. Raketen.",
        "Vgl. S. 22 und Nr. 5 bzw. Abs. 3.",
        "Das ist neu.",
    ]


def test_initials_that_are_also_page_abbreviations() -> None:
    assert sentences("Chains include P. F. Chang's and Vips. See p. 5 for more.") == [
        "Chains include P. F. Chang's and Vips.",
        "See p. 5 for more.",
    ]
    assert sentences("The total was 5 p. The rest came later.") == [
        "The total was 5 p.",
        "The rest came later.",
    ]
