"""Passage retrieval inside one page (verifier/match/passages.py)."""

from __future__ import annotations

from verifier.match.passages import PageIndex, retrieve
from verifier.match.tokens import STOPWORDS, tokenize

_FILLER = [
    f"Line {n} of the notes lists the opening hours of the harbour museum." for n in range(20)
]


def _passages(claim: str, lines: list[str]) -> list[tuple[int, int]]:
    norms = [t.norm for t in tokenize(claim) if t.norm not in STOPWORDS]
    page = PageIndex.build("\n".join(lines))
    return list(retrieve(page, norms, [1.0] * len(norms)).passages)


CLAIM = (
    "The orchestra toured Norway in spring, recorded an album of folk songs in Bergen "
    "and won a regional award"
)
MAIN = "The orchestra toured Norway in spring and recorded an album in Bergen."
DETAIL = "The folk songs won an award."


def test_a_nearby_sentence_sharing_a_few_claim_words_joins_the_passages() -> None:
    lines = [*_FILLER[:10], MAIN, _FILLER[10], DETAIL, *_FILLER[11:]]
    assert (12, 13) in _passages(CLAIM, lines)


def test_the_same_sentence_far_from_the_passage_does_not() -> None:
    lines = [MAIN, *_FILLER, DETAIL]
    assert (21, 22) not in _passages(CLAIM, lines)
