"""Retrieval inside one source: which sentences (alone, paired, or several apart) back a claim.

The page is cut into units (sentences, and lines, since extracted main text puts headings and
list items on their own lines). Each claim word is looked up once in an inverted index of the
page's normalised words (exact form, shared prefix, or a close rapidfuzz ratio), which gives,
per unit, the set of claim words it covers as a bitmask. Windows of one or two adjacent units
and a greedy pick of a few units far apart are then just bitmask ORs.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from verifier.match.tokens import Token, tokenize
from verifier.text.sentences import split_sentences

_LINE_BREAK = re.compile(r"\n")
_PREFIX = 4
MAX_PASSAGES = 3
"""How many separate passages may jointly back a claim with several parts."""


@dataclass(frozen=True)
class Unit:
    """A sentence or line of the source."""

    start: int
    end: int
    first_token: int
    end_token: int


@dataclass
class PageIndex:
    """A source's words, units, and an inverted index from normal form to units."""

    text: str
    tokens: list[Token]
    units: list[Unit]
    unit_of_token: list[int]
    postings: dict[str, list[int]] = field(default_factory=dict)
    by_prefix: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, text: str) -> PageIndex:
        tokens = tokenize(text)
        spans = _unit_spans(text) or [(0, len(text))]
        unit_starts = [start for start, _end in spans]
        # Words between units (dropped whitespace-only pieces) belong to the unit before.
        unit_of_token = [max(bisect_right(unit_starts, t.start) - 1, 0) for t in tokens]
        first_token = [len(tokens)] * len(spans)
        end_token = [0] * len(spans)
        for position, unit in enumerate(unit_of_token):
            first_token[unit] = min(first_token[unit], position)
            end_token[unit] = position + 1
        units = [
            Unit(start, end, min(first_token[i], end_token[i]), end_token[i])
            for i, (start, end) in enumerate(spans)
        ]
        postings: dict[str, list[int]] = defaultdict(list)
        for position, token in enumerate(tokens):
            unit = unit_of_token[position]
            posting = postings[token.norm]
            if not posting or posting[-1] != unit:
                posting.append(unit)
        by_prefix: dict[str, list[str]] = defaultdict(list)
        for norm in postings:
            if len(norm) >= _PREFIX and norm.isalpha():
                by_prefix[norm[:_PREFIX]].append(norm)
        return cls(text, tokens, units, unit_of_token, dict(postings), dict(by_prefix))

    def equivalents(self, norm: str) -> list[str]:
        """Page words a reader would accept for the claim word `norm`."""
        found = [norm] if norm in self.postings else []
        if len(norm) < _PREFIX or not norm.isalpha():
            return found
        for candidate in self.by_prefix.get(norm[:_PREFIX], ()):
            if candidate != norm and (candidate.startswith(norm) or norm.startswith(candidate)):
                found.append(candidate)
        if not found and len(norm) >= 5:
            # Spelling variants and inflections the stemmer missed ("modelled"/"model" is
            # caught above; "organisation"/"organization" here).
            for candidate, _score, _index in process.extract(
                norm, list(self.postings), scorer=fuzz.ratio, score_cutoff=85, limit=3
            ):
                found.append(candidate)
        return found


def _unit_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for start, end in split_sentences(text):
        piece_start = start
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
            score = weight(window_mask) - 0.01 * (window[1] - window[0]) - 1e-6 * window[0]
            if score > best_weight:
                best_window, best_mask, best_weight = window, window_mask, score

    chosen = [best_window]
    covered = best_mask
    for _ in range(MAX_PASSAGES - 1):
        gain_best = 0.0
        pick: int | None = None
        for unit, mask in unit_masks.items():
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
