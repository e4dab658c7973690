"""Long claims judged a piece at a time: the matcher's cost stays linear in claim length.

A claim is a sentence or two; a pasted paragraph, or a whole article passed as one claim, is
cut into pieces of at most MAX_PIECE_WORDS words (whole sentences where it has them, else at
word boundaries), each judged against the source on its own, and the judgements combined:
contradicted if any piece is, supported if every piece is, unsupported if none is backed,
else partial; the score is the pieces' mean weighted by their words.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from verifier.match.tokens import WORD, Token
from verifier.model import Assessment, Verdict
from verifier.text.sentences import split_sentences

if TYPE_CHECKING:
    from verifier.match.matcher import Analysis

MAX_PIECE_WORDS = 300
"""Words in one piece: far more than any real claim, few enough that a piece's cost stays
small (its word sets are bit masks over its words)."""


def split_long(claim: str) -> list[tuple[int, int]]:
    """Character spans of the claim's pieces: one span, the whole claim, unless it is long."""
    words = [match.span() for match in WORD.finditer(claim)]
    if len(words) <= MAX_PIECE_WORDS:
        return [(0, len(claim))]
    pieces: list[tuple[int, int]] = []
    start = end = 0
    count = 0
    for sentence_start, sentence_end in _bounded_sentences(claim, words):
        length = _words_in(words, sentence_start, sentence_end)
        if count and count + length > MAX_PIECE_WORDS:
            pieces.append((start, end))
            start, count = sentence_start, 0
        if not count:
            start = sentence_start
        end = sentence_end
        count += length
    if count:
        pieces.append((start, end))
    return pieces


def _bounded_sentences(claim: str, words: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The claim's sentences, a sentence longer than a piece cut at word boundaries."""
    spans: list[tuple[int, int]] = []
    for start, end in split_sentences(claim):
        first, last = bisect_left(words, (start, -1)), bisect_left(words, (end, -1))
        while last - first > MAX_PIECE_WORDS:
            cut = words[first + MAX_PIECE_WORDS][0]
            spans.append((start, cut))
            start, first = cut, first + MAX_PIECE_WORDS
        spans.append((start, end))
    return spans


def _words_in(words: Sequence[tuple[int, int]], start: int, end: int) -> int:
    return bisect_left(words, (end, -1)) - bisect_left(words, (start, -1))


def combine(parts: Sequence[tuple[int, Analysis]]) -> tuple[Assessment, tuple[Token, ...]]:
    """One assessment of the whole claim from its pieces' (each with its start offset), and
    the claim's content words."""
    verdicts = {analysis.assessment.verdict for _, analysis in parts}
    if Verdict.CONTRADICTED in verdicts:
        verdict = Verdict.CONTRADICTED
    elif verdicts == {Verdict.SUPPORTED}:
        verdict = Verdict.SUPPORTED
    elif verdicts == {Verdict.UNSUPPORTED}:
        verdict = Verdict.UNSUPPORTED
    else:
        verdict = Verdict.PARTIAL
    sizes = [max(len(analysis.content), 1) for _, analysis in parts]
    score = sum(
        analysis.assessment.score * size for (_, analysis), size in zip(parts, sizes, strict=True)
    ) / sum(sizes)
    flags = tuple(
        replace(flag, start=flag.start + offset, end=flag.end + offset)
        for offset, analysis in parts
        for flag in analysis.assessment.flags
    )
    best = max(parts, key=lambda part: part[1].assessment.score)[1]
    content = tuple(
        replace(token, start=token.start + offset, end=token.end + offset)
        for offset, analysis in parts
        for token in analysis.content
    )
    return Assessment(round(score, 4), verdict, best.assessment.evidence, flags), content
