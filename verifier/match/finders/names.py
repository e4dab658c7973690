"""Names: the source gives another name in the claim's place.

Three places: the same aligned slot ("the Chechen-Ingush *Democratic* Republic" against
"*Autonomous Soviet Socialist* Republic"), a surname the source gives with another first
name ("Mary Holloway" against "Margaret Holloway"), and a name modifying the head of the
subject's definition ("an *Argentine* photographer" against "a *Chilean* photographer").
"""

from __future__ import annotations

from verifier.match.finders.base import Context, abbreviates
from verifier.match.finders.titles import is_title_slot
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
        flags.append(
            context.flag(
                (claim_words[0].start, claim_words[-1].end),
                FlagKind.NAME,
                (source_words[0].start, source_words[-1].end),
            )
        )
    names = [*context.subject.other_first_names]
    if context.definition is not None and context.definition.name is not None:
        names.append(context.definition.name)
    flags.extend(
        Flag(mine.start, mine.end, FlagKind.NAME, mine.text, theirs.text, Severity.CONFLICT)
        for mine, theirs in names
    )
    return flags
