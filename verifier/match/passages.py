"""Retrieval inside one source: which sentences (alone, paired, or several apart) back a claim.

The page is cut into units (sentences, and lines, since extracted main text puts headings and
list items on their own lines). Each claim word is searched once in the page (same normal form,
the same word with an inflection, or failing both a close rapidfuzz ratio), which gives, per
unit, the set of claim words it covers as a bitmask. Windows of one or two adjacent units and a
greedy pick of a few units far apart are then just bitmask ORs.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from verifier.match.tokens import (
    NORMAL_FORMS,
    SURFACES_OF,
    WORD,
    Token,
    fold,
    normalise,
    tokenize,
)
from verifier.text.sentences import split_sentences

_LINE = re.compile(r"[^\n]+")
# A sentence end followed by more text on the same line.
_MAYBE_TWO_SENTENCES = re.compile(r"[.!?\u2026][\"')\]\u201d\u2019]*\s+\S")
_PREFIX = 4
MAX_PASSAGES = 3
"""How many separate passages may jointly back a claim with several parts."""
MIN_PASSAGE_SHARE = 0.5
"""Share of the claim's weight a unit must cover to count as a further passage."""
NEAR_PASSAGE_SHARE = 0.3
"""The same for a unit within NEAR_UNITS of a passage already chosen: the parts of one
claim are usually told in one stretch of the page, so a nearby sentence sharing a few of
its words is likely the next part of the story; a far one, more likely another matter."""
NEAR_UNITS = 8
IDF_STRENGTH = 1.0
"""How much rarer claim words count when choosing the best passage."""
FUZZY_CUTOFF = 85
"""rapidfuzz ratio for spelling variants that share their first letters."""


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence or line of the source."""

    start: int
    end: int


@dataclass
class PageIndex:
    """A source's units, searchable for any claim word on demand.

    Nothing is tokenised up front: a claim word is looked for with `str.find` on its first
    letters in a case- and accent-folded copy of the page, and only the words found there are
    normalised and compared. Pages are long and claims short, so this beats indexing every word.
    """

    text: str
    units: list[Unit]
    search_text: str
    """`text` lower-cased and accent-folded character by character (same offsets)."""
    unit_starts: list[int]
    _unit_tokens: dict[int, list[Token]] = field(default_factory=dict, repr=False)
    _matches: dict[str, dict[str, list[int]]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, text: str) -> PageIndex:
        units = [Unit(start, end) for start, end in _unit_spans(text)]
        return cls(text, units, searchable(text), [unit.start for unit in units])

    @property
    def empty(self) -> bool:
        return WORD.search(self.text) is None

    def tokens(self, unit: int) -> list[Token]:
        """The tokens of one unit, with offsets into the page."""
        cached = self._unit_tokens.get(unit)
        if cached is None:
            span = self.units[unit]
            cached = self._unit_tokens[unit] = tokenize(self.text, span.start, span.end)
        return cached

    def tokens_in(self, first: int, end: int) -> list[Token]:
        """Tokens of units [first, end)."""
        return [token for unit in range(first, end) for token in self.tokens(unit)]

    def units_with(self, norm: str) -> list[int]:
        """Units containing a word whose normal form is exactly `norm`."""
        return self.matches(norm).get(norm, [])

    def equivalents(self, norm: str) -> list[str]:
        """Page words (normal forms) a reader would accept for the claim word `norm`."""
        return list(self.matches(norm))

    def matches(self, norm: str) -> dict[str, list[int]]:
        """Accepted page words for `norm` -> the units they occur in.

        Accepted: the same normal form; the same word with an inflection the stemmer left
        ("japan"/"japanese"); failing both, a close spelling variant ("organisation").
        """
        cached = self._matches.get(norm)
        if cached is not None:
            return cached
        exact: dict[str, set[int]] = {}
        close: dict[str, set[int]] = {}
        search, match_word, known = self.search_text, WORD.match, NORMAL_FORMS
        alphabetic = norm.isalpha()
        for position in _candidate_positions(search, norm):
            word = match_word(search, position)
            if word is None:
                continue
            surface = word.group()
            found = known.get(surface) or normalise(surface)
            if found == norm or (alphabetic and found.isalpha() and _extends(found, norm)):
                exact.setdefault(found, set()).add(self.unit_at(position))
            elif (
                alphabetic
                and len(norm) >= 5
                and len(found) >= 4
                and fuzz.ratio(found, norm) >= FUZZY_CUTOFF
            ):
                close.setdefault(found, set()).add(self.unit_at(position))
        chosen = exact or close
        result = {found: sorted(units) for found, units in chosen.items()}
        self._matches[norm] = result
        return result

    def unit_at(self, position: int) -> int:
        return max(bisect_right(self.unit_starts, position) - 1, 0)


def searchable(text: str) -> str:
    """`text` folded for search without changing its length (offsets stay valid)."""
    if not text.isascii():
        text = _NON_ASCII.sub(_fold_character, text)
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=4096)
def _fold_one(char: str) -> str:
    if char == "\u2019":
        return "'"
    folded = fold(char)
    # One character for one: "ß" -> "s" is close enough to find "straße" by its start.
    return folded[0] if folded else char


def _fold_character(match: re.Match[str]) -> str:
    return _fold_one(match.group())


_DIGIT_PATTERNS: dict[str, re.Pattern[str]] = {}
_DIGIT_PATTERNS_LIMIT = 2_048
"""Patterns kept: one is made per number a claim states, and a run over 30,000 claims with
their own figures kept tens of thousands (over 20 MB); recompiling one costs microseconds."""
_INSIDE_NUMBER = frozenset("0123456789.,abcdefghijklmnopqrstuvwxyz")


def _candidate_positions(search: str, norm: str) -> list[int]:
    """Starts of page words that could normalise to `norm` (checked by the caller)."""
    if norm[:1].isdigit():
        pattern = _DIGIT_PATTERNS.get(norm)
        if pattern is None:
            if len(_DIGIT_PATTERNS) >= _DIGIT_PATTERNS_LIMIT:
                _DIGIT_PATTERNS.clear()
            # "1500000" is written "1,500,000" too; "26" also "26th". (A leading literal
            # keeps the regex scan fast; the word-start test is done below.)
            pattern = _DIGIT_PATTERNS[norm] = re.compile(",?".join(map(re.escape, norm)))
        positions = [
            match.start()
            for match in pattern.finditer(search)
            if match.start() == 0 or search[match.start() - 1] not in _INSIDE_NUMBER
        ]
    elif "." in norm:
        body = r"\.?".join(re.escape(char) for char in norm.replace(".", ""))
        positions = [m.start() for m in re.finditer(r"(?<![\w.])" + body, search)]
    else:
        # A short stem's final "i" is written "y" ("katy" -> "kati"): find it without it.
        short_y = len(norm) <= _PREFIX and len(norm) > 2 and norm.endswith("i")
        prefix = norm[:-1] if short_y else norm[:_PREFIX]
        positions = _word_starts(search, prefix)
    for alternative in SURFACES_OF.get(norm, ()):
        positions.extend(_word_starts(search, alternative))
    return positions


def _word_starts(search: str, prefix: str) -> list[int]:
    """Positions where a word of `search` begins with `prefix`."""
    positions = []
    find = search.find
    position = find(prefix)
    while position >= 0:
        if position == 0 or not search[position - 1].isalnum():
            positions.append(position)
        position = find(prefix, position + 1)
    return positions


def _extends(one: str, other: str) -> bool:
    """One word is the other plus an inflection ("japan"/"japanese", "model"/"modell"), not
    merely sharing a short stem ("mari"/"marina")."""
    shorter, longer = (one, other) if len(one) <= len(other) else (other, one)
    if not longer.startswith(shorter):
        return False
    if len(shorter) >= 5 or len(longer) - len(shorter) <= 1:
        return True
    # A comparative or an agent noun: "dark"/"darker", "drum"/"drummer", "play"/"player".
    rest = longer[len(shorter) :].removeprefix(shorter[-1])
    return len(shorter) >= 4 and rest in ("er", "est")


def _unit_spans(text: str) -> list[tuple[int, int]]:
    """Lines, and the sentences of lines that hold more than one."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        start, end = line.span()
        if not _MAYBE_TWO_SENTENCES.search(text, start, end):
            # Most lines of extracted text are one sentence or a heading: skip the splitter.
            if text[start:end].strip():
                spans.append((start, end))
            continue
        spans.extend(
            (start + first, start + last) for first, last in split_sentences(text[start:end])
        )
    return spans


@dataclass(frozen=True)
class Retrieval:
    """The passages that best back a claim, and how much of the claim each level covers."""

    window: tuple[int, int]
    """Unit range [first, end) of the best single passage (one or two adjacent units)."""
    window_mask: int
    passages: tuple[tuple[int, int], ...]
    """Up to MAX_PASSAGES unit ranges that together cover the most of the claim."""
    passages_mask: int
    page_mask: int
    unit_masks: dict[int, int]


def retrieve(
    page: PageIndex,
    claim_words: list[str],
    weights: list[float],
    selection_weights: list[float] | None = None,
) -> Retrieval:
    """Find the windows of `page` covering the most claim weight.

    `claim_words` are the claim's content words (normal forms), `weights` their importance;
    `selection_weights`, when given, replace `weights` for choosing the best passage.
    """
    unit_masks: dict[int, int] = defaultdict(int)
    page_mask = 0
    for index, norm in enumerate(claim_words):
        bit = 1 << index
        for units in page.matches(norm).values():
            page_mask |= bit
            for unit in units:
                unit_masks[unit] |= bit

    def weight(mask: int) -> float:
        return _masked_sum(mask, weights)

    # Choosing the passage, a claim word found in few units says more than one found all over
    # the page (its subject): weight by inverse unit frequency.
    spread = [0] * len(claim_words)
    for mask in unit_masks.values():
        index = 0
        while mask:
            if mask & 1:
                spread[index] += 1
            mask >>= 1
            index += 1
    unit_count = max(len(page.units), 1)
    selective = [
        w * (1.0 + IDF_STRENGTH * math.log(unit_count / count)) if count else w
        for w, count in zip(selection_weights or weights, spread, strict=True)
    ]

    def selection_weight(mask: int) -> float:
        return _masked_sum(mask, selective)

    best_window = (0, min(1, len(page.units)))
    best_mask = 0
    best_weight = -1.0
    for unit, mask in unit_masks.items():
        candidates = [((unit, unit + 1), mask)]
        following = unit_masks.get(unit + 1)
        if following is not None and following & ~mask:
            candidates.append(((unit, unit + 2), mask | following))
        for window, window_mask in candidates:
            # A pair must add claim words to beat a single unit: prefer the tighter passage.
            score = (
                selection_weight(window_mask) - 0.01 * (window[1] - window[0]) - 1e-6 * window[0]
            )
            if score > best_weight:
                best_window, best_mask, best_weight = window, window_mask, score

    chosen = [best_window]
    covered = best_mask
    # A further passage must be about the claim (share several of its words), not merely
    # contain one common word of it somewhere.
    total = sum(weights)
    for _ in range(MAX_PASSAGES - 1):
        gain_best = 0.0
        pick: int | None = None
        for unit, mask in unit_masks.items():
            share = NEAR_PASSAGE_SHARE if _near(unit, chosen) else MIN_PASSAGE_SHARE
            if weight(mask) < share * total:
                continue
            gain = weight(mask & ~covered)
            if gain > gain_best + 1e-9:
                gain_best, pick = gain, unit
        if pick is None:
            break
        chosen.append((pick, pick + 1))
        covered |= unit_masks[pick]
    return Retrieval(
        window=best_window,
        window_mask=best_mask,
        passages=tuple(chosen),
        passages_mask=covered,
        page_mask=page_mask,
        unit_masks=dict(unit_masks),
    )


def _near(unit: int, chosen: Sequence[tuple[int, int]]) -> bool:
    """Whether `unit` lies within NEAR_UNITS of any of the unit ranges `chosen`."""
    return any(first - NEAR_UNITS <= unit < end + NEAR_UNITS for first, end in chosen)


def _masked_sum(mask: int, values: Sequence[float]) -> float:
    """The sum of values[i] for every bit i set in `mask` (claim words as bit masks)."""
    total = 0.0
    index = 0
    while mask:
        if mask & 1:
            total += values[index]
        mask >>= 1
        index += 1
    return total
