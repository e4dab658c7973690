"""A long claim is judged a piece at a time, with its flags at their place in the whole."""

from __future__ import annotations

from verifier.match import assess
from verifier.match.long_claims import MAX_PIECE_WORDS, split_long
from verifier.model import FlagKind, Verdict

SOURCE = (
    "The harbour board opened the container terminal in 1898. The breakwater took eleven "
    "years to build. The ferry to Norway sails twice a week."
)
TRUE = "The harbour board opened the container terminal in 1898. "
FALSE = "The breakwater took twelve years to build. "


def test_a_claim_of_a_few_sentences_is_one_piece() -> None:
    claim = TRUE * 3
    assert split_long(claim) == [(0, len(claim))]


def test_a_long_claim_is_cut_at_sentence_ends_into_bounded_pieces() -> None:
    claim = TRUE * 120
    pieces = split_long(claim)
    assert len(pieces) > 1
    assert all(claim[start:end].endswith("1898.") for start, end in pieces)
    assert all(len(claim[start:end].split()) <= MAX_PIECE_WORDS for start, end in pieces)


def test_a_sentence_longer_than_a_piece_is_cut_at_word_boundaries() -> None:
    claim = " ".join(["harbour"] * (MAX_PIECE_WORDS * 2 + 10))
    pieces = split_long(claim)
    assert len(pieces) == 3
    assert " ".join(claim[start:end] for start, end in pieces).split() == claim.split()


def test_the_pieces_judgements_combine_with_flags_in_place() -> None:
    supported = assess(TRUE * 100, SOURCE)
    assert supported.verdict is Verdict.SUPPORTED
    claim = TRUE * 100 + FALSE + TRUE * 100
    contradicted = assess(claim, SOURCE)
    assert contradicted.verdict is Verdict.CONTRADICTED
    numbers = [flag for flag in contradicted.flags if flag.kind is FlagKind.NUMBER]
    assert numbers and all(claim[f.start : f.end] == f.claim for f in numbers)
    assert claim[numbers[0].start : numbers[0].end] == "twelve years"
