"""Which claim words the source does not back: a per-word logistic model over matching signals.

Whether a word is found near the evidence is only part of the answer: a name found anywhere
on the page is usually backed, a common word beside two unbacked words usually is not, and a
close spelling in the passage usually is the same word. The weights are fitted on token-level
annotations (bench/fit_match.py, WiCE nst_train) and stored in model.json; without them a word
counts as unbacked exactly when the passage and the lines around it lack it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from verifier.match.tokens import LIGHT_WORDS, Token
from verifier.model import Flag

TOKEN_FEATURE_NAMES = (
    "window",
    "around",
    "passages",
    "page",
    "name",
    "number",
    "light",
    "neighbours_unbacked",
    "claim_window",
    "claim_passages",
    "spread",
    "first",
    "length",
    "name_on_page",
    "number_around",
    "neighbours_in_window",
    "nearby_on_page",
    "closest_spelling",
    "long_word",
    "in_discrepancy",
    "position",
    "unbacked_nearby",
    "adverb",
    "verb_form",
    "passages_only",
    "claim_around",
    "last",
    "page_only",
)
"""Order of the per-word feature vector; model.json's token weights follow it by name."""


@dataclass(frozen=True)
class WordSignals:
    """What the matcher found for a claim's content words (bit i of each mask is word i)."""

    content: Sequence[Token]
    window: int
    around: int
    passages: int
    page: int
    claim_window: float
    claim_passages: float
    unit_counts: Sequence[int]
    """How many source units contain each word."""
    unit_total: int
    window_words: Sequence[str]
    """Normal forms of the evidence passage's words."""
    discrepancies: Sequence[Flag]


def word_features(signals: WordSignals) -> list[list[float]]:
    """One feature row per content word, in TOKEN_FEATURE_NAMES order."""
    content = signals.content
    count = len(content)
    log_units = math.log1p(max(signals.unit_total, 1))
    rows: list[list[float]] = []
    around_share = bin(signals.around).count("1") / count if count else 0.0
    for index, token in enumerate(content):

        def bit(mask: int, position: int = index) -> float:
            return float(mask >> position & 1)

        beside = [j for j in (index - 1, index + 1) if 0 <= j < count]
        nearby = [j for j in (index - 2, index - 1, index + 1, index + 2) if 0 <= j < count]
        is_name = float(token.is_capitalised and index > 0)
        rows.append(
            [
                bit(signals.window),
                bit(signals.around),
                bit(signals.passages),
                bit(signals.page),
                is_name,
                float(token.is_number),
                float(token.text.lower() in LIGHT_WORDS),
                (sum(1.0 - bit(signals.around, j) for j in beside) / len(beside))
                if beside
                else 0.0,
                signals.claim_window,
                signals.claim_passages,
                math.log1p(signals.unit_counts[index]) / log_units,
                float(index == 0),
                math.log1p(count),
                bit(signals.page) * is_name,
                bit(signals.around) * float(token.is_number),
                sum(bit(signals.window, j) for j in beside) / 2,
                sum(bit(signals.page, j) for j in nearby) / 4,
                _closest_spelling(token, signals, bit(signals.window)),
                float(len(token.norm) >= 7),
                float(any(f.start <= token.start < f.end for f in signals.discrepancies)),
                index / count,
                sum(1.0 - bit(signals.around, j) for j in nearby) / 4,
                float(token.text.endswith("ly")),
                float(token.text.endswith(("ed", "ing")) and not token.is_capitalised),
                bit(signals.passages) * (1.0 - bit(signals.around)),
                around_share,
                float(index == count - 1),
                bit(signals.page) * (1.0 - bit(signals.passages)),
            ]
        )
    return rows


def _closest_spelling(token: Token, signals: WordSignals, in_window: float) -> float:
    # A word the passage has needs no search (most of them): only the rest cost a scan.
    if in_window or not signals.window_words:
        return in_window
    best = process.extractOne(token.norm, signals.window_words, scorer=fuzz.ratio)
    return best[1] / 100 if best else 0.0


def unbacked_odds(signals: WordSignals, weights: dict[str, float], bias: float) -> list[float]:
    """Log-odds that each content word is unbacked; without fitted weights, +-4 by whether
    the passage and the lines around it state the word."""
    if not weights:
        return [-4.0 if signals.around >> i & 1 else 4.0 for i in range(len(signals.content))]
    vector = [weights.get(name, 0.0) for name in TOKEN_FEATURE_NAMES]
    return [
        bias + sum(w * v for w, v in zip(vector, row, strict=True))
        for row in word_features(signals)
    ]


def relative_odds(odds: list[float], weights: Sequence[float]) -> list[float]:
    """Second stage: each word's odds against the rest of its claim's. A claim that is only
    partly backed usually lacks a few words, so the least-backed words of a claim stand out
    even when the first stage is unsure of all of them. `weights` are [bias, odds, claim mean,
    odds minus the claim's highest, odds minus its lowest]; empty leaves the odds as they are."""
    if not weights or not odds:
        return odds
    mean, highest, lowest = sum(odds) / len(odds), max(odds), min(odds)
    bias, own, average, from_highest, from_lowest = weights
    return [
        bias + own * z + average * mean + from_highest * (z - highest) + from_lowest * (z - lowest)
        for z in odds
    ]


def unbacked_mask(signals: WordSignals, odds: list[float], threshold: float) -> int:
    """Bitmask of content words judged unbacked (probability >= threshold)."""
    # Compare log-odds rather than probabilities: no exp per word.
    cut = math.log(threshold / (1.0 - threshold))
    mask = 0
    for index, value in enumerate(odds):
        if value >= cut:
            mask |= 1 << index
    # A word the evidence passage itself states is never flagged: a flag must be explainable
    # by pointing at the passage.
    return mask & ~signals.window
