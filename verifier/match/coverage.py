"""Which of the claim's content words the source backs, at each level of the source.

Bit i of each mask stands for content word i: the evidence window, the chosen passages, the
whole page, and the window with the lines on either side of it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from verifier.match.dates import DateMention, years_of
from verifier.match.mentions import Mentions
from verifier.match.passages import Retrieval
from verifier.match.quantities import NumberMention
from verifier.match.subjects import Subject
from verifier.match.tokens import Token


@dataclass(frozen=True)
class Masks:
    """Which claim content words (bit i = word i) each level of the source backs."""

    window: int
    passages: int
    page: int
    around: int
    """The window and the units on either side of it."""
    value_words: int
    """Words inside the claim's dates and numbers."""
    unbacked_values: int
    """How many of the claim's dates and numbers the page does not state."""
    implied: int = 0
    """Names backed only by reference (a surname alone, a pronoun): subjects.refer."""

    def without(self, words: int) -> Masks:
        """These masks with `words` unbacked at every level."""
        return replace(
            self,
            window=self.window & ~words,
            passages=self.passages & ~words,
            page=self.page & ~words,
            around=self.around & ~words,
        )


def cover(
    content: Sequence[Token], retrieval: Retrieval, mentions: Mentions, subject: Subject
) -> Masks:
    """What each level of the source backs of the claim's content words."""
    # Words of dates and numbers count as backed only when the value is: "27 July 2018" is not
    # backed by a "27", a "July" and a "2018" scattered over the page; "1.5 million" is backed
    # by "1,500,000" though no word matches.
    in_page, in_window, value_words, unbacked = _value_backed(content, mentions)
    # Names the passage refers to by surname or pronoun are backed wherever it is.
    implied = mask_of(content, lambda token: token.start in subject.implied)
    in_page |= implied
    in_window |= implied
    window = (retrieval.window_mask & ~value_words) | in_window
    first, end = retrieval.window
    neighbours = retrieval.unit_masks.get(first - 1, 0) | retrieval.unit_masks.get(end, 0)
    return Masks(
        window=window,
        passages=(retrieval.passages_mask & ~value_words) | in_page,
        page=(retrieval.page_mask & ~value_words) | in_page,
        around=window | (neighbours & ~value_words),
        value_words=value_words,
        unbacked_values=unbacked,
        implied=implied,
    )


def mask_of(content: Sequence[Token], chosen: Callable[[Token], bool]) -> int:
    """The mask of the content words `chosen` picks."""
    return sum(1 << index for index, token in enumerate(content) if chosen(token))


def weight(mask: int, weights: Sequence[float]) -> float:
    """The summed weight of the words in `mask`."""
    return sum(w for index, w in enumerate(weights) if mask >> index & 1)


def _value_backed(content: Sequence[Token], mentions: Mentions) -> tuple[int, int, int, int]:
    """Bitmasks of claim words inside numbers/dates the page (and the evidence) states, of
    all words inside the claim's numbers/dates, and how many of those values are unbacked."""
    in_page = in_window = value_words = 0
    claim_mentions: list[DateMention | NumberMention] = [
        *mentions.claim_numbers,
        *mentions.claim_dates,
    ]
    for mention in claim_mentions:
        for index, token in enumerate(content):
            if mention.start <= token.start < mention.end:
                value_words |= 1 << index
    backed: list[tuple[int, int, bool]] = []
    for number in mentions.claim_numbers:
        if any(number.near(other) for other in mentions.page[1]):
            in_evidence = any(number.near(other) for other in mentions.window[1])
            backed.append((number.start, number.end, in_evidence))
    years = years_of(mentions.page[0])
    for date in mentions.claim_dates:
        if date.backed_in(mentions.page[0], years):
            in_evidence = date.backed_in(mentions.window[0], years)
            backed.append((date.start, date.end, in_evidence))
    for start, end, inside_evidence in backed:
        for index, token in enumerate(content):
            if start <= token.start < end:
                in_page |= 1 << index
                if inside_evidence:
                    in_window |= 1 << index
    unbacked = len(mentions.claim_numbers) + len(mentions.claim_dates) - len(backed)
    return in_page, in_window, value_words, unbacked
