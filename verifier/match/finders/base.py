"""The one interface every finder implements: a Context in, flags out.

A finder looks for one kind of discrepancy: a place where the source says something other
than the claim about the same thing. It returns flags with the claim's words (offsets into
the claim), the source's words and a severity: "conflict" when the source states something
else in the same place, "drift" when the difference is one a reviewer should look at but
not a contradiction (a rounding, a quotation that differs slightly).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from verifier.match.alignment import Alignment, Slot
from verifier.match.dates import DateMention
from verifier.match.mentions import Mentions
from verifier.match.predicates import PredicateComparison
from verifier.match.quantities import NumberMention
from verifier.match.source import Source
from verifier.match.subjects import Subject
from verifier.match.tokens import Token, is_negation
from verifier.model import Flag, FlagKind, Severity


@dataclass(frozen=True)
class Context:
    """What the finders may read about one claim and its source."""

    claim: str
    tokens: Sequence[Token]
    """Every word of the claim."""
    source: Source
    alignment: Alignment
    """The claim's content words aligned with the evidence passage's."""
    mentions: Mentions
    subject: Subject
    definition: PredicateComparison | None
    """The claim's "X is a ..." against the evidence's definition of X."""
    passages: tuple[tuple[int, int], ...] = ()
    """Unit ranges [first, end) of the evidence window and the further passages chosen."""

    @cached_property
    def passage_units(self) -> frozenset[int]:
        """The source units of the passages that back the claim."""
        return frozenset(unit for first, end in self.passages for unit in range(first, end))

    @property
    def content(self) -> Sequence[Token]:
        return self.alignment.claim

    @cached_property
    def slots(self) -> list[Slot]:
        return self.alignment.slots()

    @cached_property
    def comparable_slots(self) -> list[tuple[Slot, list[Token], list[Token]]]:
        """Slots where the passage says other words in the claim's place: bounded by matched
        words, with no negation on either side (negation.py reads those), holding a claim
        word the page states nowhere (one the page gives elsewhere is not contradicted by
        another here), and no date or quantity (compared by value, in values.py and
        dates.py: "15 Jan" and "15 January" are one date, not two names). Each with its claim
        words and passage words."""
        found = []
        claim, source = self.alignment.claim, self.alignment.source
        claim_values: list[DateMention | NumberMention] = [
            *self.mentions.claim_dates,
            *self.mentions.claim_numbers,
        ]
        source_values: list[DateMention | NumberMention] = [
            *self.mentions.window[0],
            *self.mentions.window[1],
        ]
        for slot in self.slots:
            claim_words = list(claim[slot.claim_start : slot.claim_end])
            source_words = list(source[slot.source_start : slot.source_end])
            if _inside_any(claim_words, claim_values) or _inside_any(source_words, source_values):
                continue
            if any(is_negation(t, self.source.text) for t in source_words):
                continue
            if any(is_negation(t, self.claim) for t in claim_words):
                continue
            if all(self.source.states(t) for t in claim_words):
                continue
            if source_words and slot.bounded:
                found.append((slot, claim_words, source_words))
        return found

    @cached_property
    def facing(self) -> tuple[dict[int, tuple[int, int]], frozenset[int]]:
        """Source character range facing each claim date and number (keyed by its start
        offset in the claim): the passage words aligned with its own words, and those of the
        slot its unmatched words fall in; and the mentions that close their slot (so the
        facing source value is its last one)."""
        mentions: list[DateMention | NumberMention] = [
            *self.mentions.claim_dates,
            *self.mentions.claim_numbers,
        ]
        ranges: dict[int, tuple[int, int]] = {}
        closing: set[int] = set()
        pairs, words = self.alignment.pairs, self.alignment.source
        for mention in mentions:
            inside = [
                index
                for index, token in enumerate(self.content)
                if mention.start <= token.start < mention.end
            ]
            spans = [(words[pairs[i]].start, words[pairs[i]].end) for i in inside if i in pairs]
            unpaired = [index for index in inside if index not in pairs]
            slot = next(
                (s for s in self.slots if unpaired and s.claim_start <= unpaired[0] < s.claim_end),
                None,
            )
            if slot is not None and slot.source_start < slot.source_end:
                spans.append((words[slot.source_start].start, words[slot.source_end - 1].end))
                if unpaired[-1] == slot.claim_end - 1:
                    closing.add(mention.start)
            if spans:
                ranges[mention.start] = (min(s for s, _ in spans), max(e for _, e in spans))
        return ranges, frozenset(closing)

    def flag(
        self,
        claim_span: tuple[int, int],
        kind: FlagKind,
        source_span: tuple[int, int] | None,
        severity: Severity = Severity.CONFLICT,
    ) -> Flag:
        """A flag on claim[start:end] facing source[start:end] (None: the source is silent)."""
        start, end = claim_span
        if source_span is None:
            return Flag(start, end, FlagKind.UNSUPPORTED, self.claim[start:end])
        theirs = self.source.text[source_span[0] : source_span[1]]
        return Flag(start, end, kind, self.claim[start:end], theirs, severity)


@dataclass(frozen=True)
class Finder:
    """A named finder of one kind of discrepancy."""

    name: str
    find: Callable[[Context], list[Flag]]


def abbreviates(one: Sequence[Token], other: Sequence[Token]) -> bool:
    """One side is the other's initials: "ASSR" and "Autonomous Soviet Socialist Republic"."""
    for short, long in ((one, other), (other, one)):
        if len(short) == 1 and len(long) >= 2 and short[0].text.isupper():
            initials = "".join(token.text[:1] for token in long).upper()
            if short[0].text.rstrip("s") == initials:
                return True
    return False


def _inside_any(words: Sequence[Token], mentions: Sequence[DateMention | NumberMention]) -> bool:
    return any(m.start <= word.start < m.end for word in words for m in mentions)
