"""A source text prepared once for any number of claims: its units, and what claims look up."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from verifier.match.passages import PageIndex
from verifier.match.quantities import DateMention, NumberMention, find_mentions, index_words
from verifier.match.tokens import Token, fold

_LOOKUP_WORD = re.compile(r"[^\W_]+")


def lookup_words(text: str) -> list[str]:
    """The folded words of `text` as a verbatim lookup compares them ("&" reads "and")."""
    return _LOOKUP_WORD.findall(fold(text.replace("&", " and ")))


@dataclass
class Source:
    """A source text prepared once for any number of claims.

    Its units are cut up front; words are searched, and dates, numbers and the quote lookup
    string parsed, only as claims need them (and cached for the next claim).
    """

    text: str
    page: PageIndex
    _mentions: dict[int, tuple[list[DateMention], list[NumberMention]]] = field(
        default_factory=dict, repr=False
    )
    _word_string: str | None = field(default=None, repr=False)

    @classmethod
    def prepare(cls, text: str) -> Source:
        return cls(text, PageIndex.build(text))

    def mentions(self, units: Iterable[int]) -> tuple[list[DateMention], list[NumberMention]]:
        """Dates and numbers stated in the given units (parsed once per unit)."""
        dates: list[DateMention] = []
        numbers: list[NumberMention] = []
        for unit in sorted(set(units)):
            found = self._mentions.get(unit)
            if found is None:
                span = self.page.units[unit]
                found = self._mentions[unit] = find_mentions(self.text, span.start, span.end)
            dates.extend(found[0])
            numbers.extend(found[1])
        return dates, numbers

    def mentions_like(
        self, claim_mentions: Sequence[DateMention | NumberMention]
    ) -> tuple[list[DateMention], list[NumberMention]]:
        """Page dates and numbers that could state the claim's (only units sharing a word)."""
        units: set[int] = set()
        for mention in claim_mentions:
            for word in index_words(mention):
                units.update(self.page.units_with(word))
        return self.mentions(units)

    def states(self, token: Token) -> bool:
        """Whether the source has the word anywhere (or an accepted variant of it)."""
        return bool(self.page.equivalents(token.norm))

    @property
    def word_string(self) -> str:
        """The page as " word word ... " (folded words, single spaces) for verbatim lookups."""
        if self._word_string is None:
            text = self.page.search_text.replace("&", " and ")
            self._word_string = " " + " ".join(_LOOKUP_WORD.findall(text)) + " "
        return self._word_string
