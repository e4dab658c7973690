"""A source text prepared once for any number of claims: its units, and what claims look up."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from verifier.match.dates import DateMention
from verifier.match.passages import PageIndex
from verifier.match.quantities import NumberMention, find_mentions, index_words
from verifier.match.tokens import Token, fold, without_accents

_LOOKUP_WORD = re.compile(r"[^\W_]+")
_CONTRACTIONS = [
    (re.compile(pattern), spelt)
    for pattern, spelt in (
        (r"\bcan['\u2019]t\b|\bcannot\b", "can not"),
        (r"\bwon['\u2019]t\b", "will not"),
        (r"\bshan['\u2019]t\b", "shall not"),
        (r"n['\u2019]t\b", " not"),
        (r"['\u2019]re\b", " are"),
        (r"['\u2019]ll\b", " will"),
        (r"['\u2019]ve\b", " have"),
        (r"['\u2019]m\b", " am"),
        (r"['\u2019]d\b", " would"),
        (r"&", " and "),
    )
]


def _spelt_out(folded: str) -> str:
    """Folded text with its contractions spelt out ("don't" -> "do not", "&" -> "and")."""
    for pattern, spelt in _CONTRACTIONS:
        folded = pattern.sub(spelt, folded)
    return folded


def lookup_words(text: str) -> list[str]:
    """The folded words of `text` as a lenient lookup compares them: contractions spelt out
    ("won't" reads "will not", "&" reads "and")."""
    return _LOOKUP_WORD.findall(_spelt_out(fold(text)))


def exact_words(text: str) -> list[str]:
    """The words of `text` as written (accents aside), for a verbatim lookup."""
    if not text.isascii():
        text = _NON_ASCII.sub(_unaccented, text)
    return _LOOKUP_WORD.findall(text)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=4096)
def _unaccented_character(character: str) -> str:
    return without_accents(character)


def _unaccented(match: re.Match[str]) -> str:
    # One character at a time, cached: a page is mostly the same few accented letters.
    return _unaccented_character(match.group())


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
    _exact_string: str | None = field(default=None, repr=False)

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
    def exact_string(self) -> str:
        """The page as " Word word ... " (words as written, single spaces)."""
        if self._exact_string is None:
            self._exact_string = " " + " ".join(exact_words(self.text)) + " "
        return self._exact_string

    @property
    def word_string(self) -> str:
        """The page as " word word ... " (folded words, contractions spelt out, single
        spaces) for lenient lookups."""
        if self._word_string is None:
            words = _LOOKUP_WORD.findall(_spelt_out(self.page.search_text))
            self._word_string = " " + " ".join(words) + " "
        return self._word_string
