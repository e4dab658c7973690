"""Values: the source gives another quantity in the claim's place.

A claim quantity the page never states, facing a quantity of the passage in the same aligned
place, is compared as an interval (quantities.relate): a conflict when the two cannot
overlap ("twelve years" against "eleven years", "42 million dollars" against "42 million
euros"), a drift when they differ by a rounding, nothing when they overlap ("fewer than
5,000" against "more than 4,700"). A number word facing another is a conflict too ("her
*first* album" against "her *second* album").
"""

from __future__ import annotations

from verifier.match.finders.base import Context
from verifier.match.quantities import NumberMention, Relation, relate
from verifier.match.tokens import Token
from verifier.model import Flag, FlagKind, Severity


def find(context: Context) -> list[Flag]:
    flags: list[Flag] = []
    counts, source_counts = context.mentions.claim_numbers, context.mentions.window[1]
    for _, claim_words, source_words in context.comparable_slots:
        ordinals = _other_ordinal(
            [t for t in claim_words if not _inside(t, counts)],
            [t for t in source_words if not _inside(t, source_counts)],
        )
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
        if slot is None:
            continue
        # Window quantities in the claim quantity's aligned place, the one nearest its own
        # anchor word first: the one just before "years" when the claim says "twelve years".
        facing = [
            other for other in mentions.window[1] if other.start < slot[1] and slot[0] < other.end
        ]
        if number.start in closing:
            facing.reverse()
        for other in facing[:1]:
            relation = relate(number, other)
            if relation in SEVERITY:
                flags.append(
                    context.flag(
                        (number.start, number.end),
                        FlagKind.NUMBER,
                        (other.start, other.end),
                        SEVERITY[relation],
                    )
                )
    return flags


def _inside(token: Token, mentions: list[NumberMention]) -> bool:
    """Counts ("five sports") are quantities, compared as intervals with their bounds; the
    word rule is for ordinals ("first", "second"), which no quantity holds."""
    return any(m.start <= token.start < m.end for m in mentions)


SEVERITY = {Relation.CONFLICT: Severity.CONFLICT, Relation.DRIFT: Severity.DRIFT}


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
