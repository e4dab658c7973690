"""Values: the source gives another quantity in the claim's place.

A claim quantity the page never states, facing a quantity of the passage in the same aligned
place, is a conflict ("twelve years" against "eleven years"); so is a number word facing
another ("her *first* album" against "her *second* album").
"""

from __future__ import annotations

from verifier.match.finders.base import Context
from verifier.match.tokens import Token
from verifier.model import Flag, FlagKind


def find(context: Context) -> list[Flag]:
    flags: list[Flag] = []
    for _, claim_words, source_words in context.comparable_slots:
        ordinals = _other_ordinal(claim_words, source_words)
        if ordinals is not None:
            mine, theirs = ordinals
            flags.append(
                context.flag((mine.start, mine.end), FlagKind.NUMBER, (theirs.start, theirs.end))
            )
    mentions = context.mentions
    slot_of, closing = context.facing
    for number in mentions.claim_numbers:
        if any(number.matches(other) for other in mentions.page[1]):
            continue
        slot = slot_of.get(number.start)
        facing = [
            other
            for other in mentions.window[1]
            if slot is not None and slot[0] <= other.start and other.end <= slot[1]
        ]
        # The source number nearest the claim number's own anchor word: the one just before
        # "years" when the claim says "twelve years".
        chosen = (facing[-1] if number.start in closing else facing[0]) if facing else None
        flags.append(
            context.flag(
                (number.start, number.end),
                FlagKind.NUMBER,
                (chosen.start, chosen.end) if chosen is not None else None,
            )
        )
    return flags


def _other_ordinal(
    claim_words: list[Token], source_words: list[Token]
) -> tuple[Token, Token] | None:
    """A number written as a word ("first", "three") facing another at the same place:
    "her first studio album" against "her second studio album"."""
    mine = [t for t in claim_words if t.is_number and t.text.isalpha()]
    theirs = [t for t in source_words if t.is_number and t.text.isalpha()]
    if len(mine) == 1 and len(theirs) == 1 and mine[0].norm != theirs[0].norm:
        return mine[0], theirs[0]
    return None
