"""Retrieval inside one source: which sentences (alone, paired, or several apart) back a claim.

The page is cut into units (sentences, and lines, since extracted main text puts headings and
list items on their own lines). Each claim word is looked up once in an inverted index of the
page's normalised words (exact form, shared prefix, or a close rapidfuzz ratio), which gives,
per unit, the set of claim words it covers as a bitmask. Windows of one or two adjacent units
and a greedy pick of a few units far apart are then just bitmask ORs.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from verifier.match.tokens import STOPWORDS, WORD, Token, normalise, tokenize
from verifier.text.sentences import split_sentences

_LINE_BREAK = re.compile(r"\n")
_PREFIX = 4
MAX_PASSAGES = 3
"""How many separate passages may jointly back a claim with several parts."""
MIN_PASSAGE_SHARE = 0.4
IDF_STRENGTH = 1.0
"""Share of the claim's weight a unit must cover to count as a further passage."""


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence or line of the source."""

    start: int
    end: int


@dataclass
class PageIndex:
    """A source's units and an inverted index from normal form to units.

    Only the words' normal forms are kept for the whole page; full tokens (with offsets) are
    made on demand for the few units a claim's evidence and checks look at.
    """

    text: str
    units: list[Unit]
    postings: dict[str, list[int]] = field(default_factory=dict)
    _unit_tokens: dict[int, list[Token]] = field(default_factory=dict, repr=False)
    _sorted_words: list[str] | None = field(default=None, repr=False)
    _vocabulary: list[str] | None = field(default=None, repr=False)

    @classmethod
    def build(cls, text: str) -> PageIndex:
        units = [Unit(start, end) for start, end in _unit_spans(text)]
        # Index surface forms first (lower-cased, C-level set per unit), then normalise each
        # distinct surface once: pages repeat their words, so this is most of the saving.
        lowered = text.lower()
        if len(lowered) != len(text):
            lowered = text  # a few characters lower-case to two; keep offsets exact
        find_words = WORD.findall
        by_surface: dict[str, list[int]] = defaultdict(list)
        for index, unit in enumerate(units):
            for surface in set(find_words(lowered, unit.start, unit.end)):
                by_surface[surface].append(index)
        postings: dict[str, list[int]] = {}
        for surface, unit_list in by_surface.items():
            norm = normalise(surface)
            if norm in STOPWORDS:
                continue  # function words are never looked up
            known = postings.get(norm)
            postings[norm] = sorted(set(known) | set(unit_list)) if known else unit_list
        return cls(text, units, postings)

    @property
    def empty(self) -> bool:
        return not self.postings

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

    def equivalents(self, norm: str) -> list[str]:
        """Page words a reader would accept for the claim word `norm`."""
        found = [norm] if norm in self.postings else []
        if len(norm) < _PREFIX or not norm.isalpha():
            return found
        if self._sorted_words is None:
            self._sorted_words = sorted(w for w in self.postings if len(w) >= _PREFIX)
        words = self._sorted_words
        prefix = norm[:_PREFIX]
        position = bisect_left(words, prefix)
        while position < len(words) and words[position].startswith(prefix):
            candidate = words[position]
            if candidate != norm and _extends(candidate, norm):
                found.append(candidate)
            position += 1
        if not found and len(norm) >= 5:
            # Spelling variants and inflections the stemmer missed ("modelled"/"model" is
            # caught above; "organisation"/"organization" here).
            if self._vocabulary is None:
                self._vocabulary = [word for word in self.postings if len(word) >= 4]
            for candidate, _score, _index in process.extract(
                norm, self._vocabulary, scorer=fuzz.ratio, score_cutoff=85, limit=3
            ):
                found.append(candidate)
        return found


def _extends(one: str, other: str) -> bool:
    """One word is the other plus an inflection ("japan"/"japanese", "model"/"modell"), not
    merely sharing a short stem ("mari"/"marina")."""
    shorter, longer = (one, other) if len(one) <= len(other) else (other, one)
    if not longer.startswith(shorter):
        return False
    return len(shorter) >= 5 or len(longer) - len(shorter) <= 1


def _unit_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for start, end in split_sentences(text):
        piece_start = start
        if text.find("\n", start, end) < 0:
            spans.append((start, end))
            continue
        for line_break in _LINE_BREAK.finditer(text, start, end):
            if line_break.start() > piece_start:
                spans.append((piece_start, line_break.start()))
            piece_start = line_break.end()
        if end > piece_start:
            spans.append((piece_start, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


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


def retrieve(page: PageIndex, claim_words: list[str], weights: list[float]) -> Retrieval:
    """Find the windows of `page` covering the most claim weight.

    `claim_words` are the claim's content words (normal forms), `weights` their importance.
    """
    unit_masks: dict[int, int] = defaultdict(int)
    page_mask = 0
    for index, norm in enumerate(claim_words):
        bit = 1 << index
        for equivalent in page.equivalents(norm):
            page_mask |= bit
            for unit in page.postings[equivalent]:
                unit_masks[unit] |= bit

    def weight(mask: int) -> float:
        total = 0.0
        index = 0
        while mask:
            if mask & 1:
                total += weights[index]
            mask >>= 1
            index += 1
        return total

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
    units = max(len(page.units), 1)
    selective = [
        w * (1.0 + IDF_STRENGTH * math.log(units / count)) if count else w
        for w, count in zip(weights, spread, strict=True)
    ]

    def selection_weight(mask: int) -> float:
        total = 0.0
        index = 0
        while mask:
            if mask & 1:
                total += selective[index]
            mask >>= 1
            index += 1
        return total

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
    min_share = MIN_PASSAGE_SHARE * sum(weights)
    for _ in range(MAX_PASSAGES - 1):
        gain_best = 0.0
        pick: int | None = None
        for unit, mask in unit_masks.items():
            if weight(mask) < min_share:
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
