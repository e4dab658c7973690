"""Names: the source gives another name in the claim's place.

Three places: the same aligned slot ("the Chechen-Ingush *Democratic* Republic" against
"*Autonomous Soviet Socialist* Republic"), a surname the source gives with another first
name ("Mary Holloway" against "Margaret Holloway"), and a name modifying the head of the
subject's definition ("an *Argentine* photographer" against "a *Chilean* photographer").
A name spelled differently ("Lindqvist" against "Lindquist") is drift, not another name.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from verifier.match.finders.base import Context, abbreviates
from verifier.match.finders.titles import is_title_slot
from verifier.match.tokens import fold
from verifier.model import Flag, FlagKind, Severity

MAX_CLAIM_WORDS = 3
MAX_SOURCE_WORDS = 4
"""A name slot is short: longer runs of capitalised words are more likely a different
passage than a different name."""


def find(context: Context) -> list[Flag]:
    flags: list[Flag] = []
    claim = context.alignment.claim
    for slot, claim_words, source_words in context.comparable_slots:
        following = claim[slot.claim_end] if slot.claim_end < len(claim) else None
        if is_title_slot(claim_words, source_words, following):
            continue
        if any(t.is_number for t in (*claim_words, *source_words)):
            continue
        short = len(claim_words) <= MAX_CLAIM_WORDS and len(source_words) <= MAX_SOURCE_WORDS
        if not short or not all(t.is_capitalised for t in (*claim_words, *source_words)):
            continue
        if abbreviates(claim_words, source_words):
            continue
        mine = context.claim[claim_words[0].start : claim_words[-1].end]
        theirs = context.source.text[source_words[0].start : source_words[-1].end]
        flags.append(
            context.flag(
                (claim_words[0].start, claim_words[-1].end),
                FlagKind.NAME,
                (source_words[0].start, source_words[-1].end),
                Severity.DRIFT if spelled_alike(mine, theirs) else Severity.CONFLICT,
            )
        )
    flags.extend(_spellings(context))
    names = [*context.subject.other_first_names]
    if context.definition is not None and context.definition.name is not None:
        names.append(context.definition.name)
    flags.extend(
        Flag(
            mine.start,
            mine.end,
            FlagKind.NAME,
            mine.text,
            theirs.text,
            Severity.DRIFT if spelled_alike(mine.text, theirs.text) else Severity.CONFLICT,
        )
        for mine, theirs in names
    )
    return flags


def _spellings(context: Context) -> list[Flag]:
    """Names the passage states in another spelling (the search accepted a close spelling:
    "Lindquist" for "Lindqvist"): the claim is backed, and a reviewer should see the change."""
    flags = []
    claim, source = context.alignment.claim, context.alignment.source
    for mine, index in sorted(context.alignment.pairs.items()):
        word, theirs = claim[mine], source[index]
        if not word.is_capitalised or word.is_number or word.norm == theirs.norm:
            continue
        if word.norm.startswith(theirs.norm) or theirs.norm.startswith(word.norm):
            continue  # an inflection ("Japan", "Japanese"), not a spelling
        flags.append(
            context.flag(
                (word.start, word.end), FlagKind.NAME, (theirs.start, theirs.end), Severity.DRIFT
            )
        )
    return flags


SPELLING_SIMILARITY = 85
"""rapidfuzz ratio (0-100) from which two names are one name spelled differently."""


def spelled_alike(mine: str, theirs: str) -> bool:
    """ "Dostoevsky" and "Dostoyevsky", "Lindqvist" and "Lindquist": a spelling a reviewer should
    see, not another name. Names that differ in more than spelling ("Mary", "Margaret") or
    in a single letter of a short name ("Ann", "Jan") fall below the similarity."""
    return fuzz.ratio(fold(mine), fold(theirs)) >= SPELLING_SIMILARITY
