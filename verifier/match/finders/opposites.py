"""Opposites: a claim word facing its opposite in the same place ("worst" vs "greatest").

The reverse statement in other words: a negation flag, not a missing detail.
"""

from __future__ import annotations

from verifier.match.finders.base import Context
from verifier.match.finders.names import MAX_CLAIM_WORDS, MAX_SOURCE_WORDS
from verifier.match.finders.titles import is_title_slot
from verifier.match.tokens import Token, fold
from verifier.model import Flag, FlagKind


def find(context: Context) -> list[Flag]:
    flags: list[Flag] = []
    claim = context.alignment.claim
    for slot, claim_words, source_words in context.comparable_slots:
        following = claim[slot.claim_end] if slot.claim_end < len(claim) else None
        if any(t.is_number for t in (*claim_words, *source_words)):
            continue
        if is_title_slot(claim_words, source_words, following) or _name_slot(
            claim_words, source_words
        ):
            continue
        opposed = _opposed(claim_words, source_words)
        if opposed is not None:
            mine, theirs = opposed
            flags.append(
                context.flag((mine.start, mine.end), FlagKind.NEGATION, (theirs.start, theirs.end))
            )
    return flags


def _name_slot(claim_words: list[Token], source_words: list[Token]) -> bool:
    short = len(claim_words) <= MAX_CLAIM_WORDS and len(source_words) <= MAX_SOURCE_WORDS
    return short and all(t.is_capitalised for t in (*claim_words, *source_words))


_OPPOSITES = [
    ("best", "worst"),
    ("greatest", "worst"),
    ("most", "least"),
    ("first", "last"),
    ("began", "ended"),
    ("begin", "end"),
    ("started", "ended"),
    ("start", "end"),
    ("formed", "disbanded"),
    ("won", "lost"),
    ("win", "lose"),
    ("increased", "decreased"),
    ("rose", "fell"),
    ("success", "failure"),
    ("successful", "unsuccessful"),
    ("male", "female"),
    ("largest", "smallest"),
    ("highest", "lowest"),
    ("older", "younger"),
    ("oldest", "youngest"),
    ("north", "south"),
    ("east", "west"),
    ("northern", "southern"),
    ("eastern", "western"),
    ("living", "dead"),
    ("alive", "dead"),
    ("public", "private"),
    ("legal", "illegal"),
    ("positive", "negative"),
    ("acclaimed", "panned"),
]
_OPPOSITE = {pair for one, other in _OPPOSITES for pair in ((one, other), (other, one))}
"""Words that state the reverse of each other in the same place of a sentence."""


def _opposed(claim_words: list[Token], source_words: list[Token]) -> tuple[Token, Token] | None:
    """A claim word and its opposite among the source's words at the same place."""
    for mine in claim_words:
        for theirs in source_words:
            if (fold(mine.text), fold(theirs.text)) in _OPPOSITE:
                return mine, theirs
    return None
