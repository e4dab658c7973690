"""The claim-level model inputs: how much of the claim the source backs, and how.

`Features` holds the inputs of the fitted logistic score and nothing else; what the verdict
rules read besides the score is in decide.Grounds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields

from verifier.match.alignment import Alignment
from verifier.match.coverage import Masks, weight
from verifier.match.predicates import PredicateComparison
from verifier.match.source import Source
from verifier.match.tokens import Token
from verifier.model import Flag, Severity


@dataclass(frozen=True)
class Features:
    """The inputs of the claim model (scoring.MatchModel.score), each a float."""

    coverage_window: float
    """Share of the claim (by weight) the best passage backs."""
    coverage_passages: float
    """Share of the claim the few chosen passages back."""
    missing_passages: float
    """How much the passages leave unbacked, absolutely: one missing detail makes a claim
    partial however long it is."""
    missing_values: float
    """The claim's dates and numbers the page does not state."""
    missing_names: float
    """Share of the claim's names the page lacks."""
    conflicts: float
    """Discrepancies: the source says something else in the same place."""
    length: float
    predicate_coverage: float
    """Share of the claim's common words (not names, not values) the passages back."""
    substitutions: float
    """Places where the aligned passage says other words than the claim."""
    unbacked_surest: float
    """The per-word model's surest unbacked word."""
    unbacked_expected: float
    """How many unbacked words the per-word model expects."""
    missing_around: float
    """Words neither the passage nor the lines around it state."""
    other_definition: float
    other_modifier: float
    denied_other_definition: float
    brief_source: float
    """A source of a sentence or two: what is missing weighs differently there."""
    brief_missing: float
    brief_surest: float
    brief_substitutions: float

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(field.name for field in fields(cls))

    def vector(self, names: Sequence[str] | None = None) -> list[float]:
        """The values in `names` order (all, in declaration order, by default)."""
        return [getattr(self, name) for name in (names or self.names())]

    @classmethod
    def nothing_backed(cls) -> Features:
        """The features of a claim the source backs none of."""
        values = dict.fromkeys(cls.names(), 0.0)
        values.update(unbacked_surest=1.0, unbacked_expected=1.0, missing_names=1.0)
        return cls(**values)


FEATURE_NAMES = Features.names()
"""Order of the feature vector; model.json weights follow it by name."""

BRIEF_SOURCE_UNITS = 3
"""A source of at most this many sentences or lines is an excerpt, not a page."""

SUBSTITUTION_MAX_WORDS = 4


def build(
    content: Sequence[Token],
    weights: Sequence[float],
    masks: Masks,
    flags: Sequence[Flag],
    alignment: Alignment,
    definition: PredicateComparison | None,
    odds: Sequence[float],
    source: Source,
) -> Features:
    """The model inputs for a claim whose content words carry `weights`; `odds` are the
    per-word model's log-odds that each word is unbacked."""
    total = sum(weights)
    conflicts = sum(1 for flag in flags if flag.severity is Severity.CONFLICT)
    # What the per-word model makes of the words the passage lacks.
    unbacked_probabilities = [
        1.0 / (1.0 + math.exp(-value))
        for index, value in enumerate(odds)
        if not masks.window >> index & 1
    ]
    source_units = len(source.page.units)
    missing_around = math.log1p(len(content) - bin(masks.around).count("1"))
    surest = max(unbacked_probabilities, default=0.0)
    substitutions = float(_substitutions(alignment, masks.page))
    # A source of a sentence or two (a quotation, an excerpt) either states a word or does
    # not; a whole page may state it in words the matcher cannot tie to the claim's. So what
    # is missing weighs differently in the two.
    brief = float(source_units <= BRIEF_SOURCE_UNITS)
    return Features(
        coverage_window=weight(masks.window, weights) / total,
        coverage_passages=weight(masks.passages, weights) / total,
        missing_passages=math.log1p(total - weight(masks.passages, weights)),
        missing_values=float(masks.unbacked_values),
        missing_names=_missing_share(content, masks.page, lambda t: t.is_capitalised),
        conflicts=float(conflicts),
        length=math.log1p(len(content)),
        predicate_coverage=_predicate_coverage(content, masks.passages, masks.value_words),
        substitutions=substitutions,
        unbacked_surest=surest,
        unbacked_expected=math.log1p(sum(unbacked_probabilities)),
        missing_around=missing_around,
        other_definition=float(definition is not None and definition.other_head),
        other_modifier=float(definition is not None and definition.other_modifier),
        denied_other_definition=float(definition is not None and definition.denied_other),
        brief_source=brief,
        brief_missing=brief * missing_around,
        brief_surest=brief * surest,
        brief_substitutions=brief * substitutions,
    )


def _substitutions(alignment: Alignment, page_mask: int) -> int:
    """Places where the passage, aligned with the claim, says other words than the claim and
    the page nowhere states the claim's ("comedy drama *book*" vs "comedy drama *film*")."""
    return sum(
        1
        for slot in alignment.slots()
        if slot.bounded
        and 0 < slot.source_end - slot.source_start <= SUBSTITUTION_MAX_WORDS
        and not any(page_mask >> index & 1 for index in range(slot.claim_start, slot.claim_end))
    )


def _predicate_coverage(content: Sequence[Token], covered: int, value_words: int) -> float:
    """Share of the claim's common words (not names, not values) that the passages back: what
    the claim says about its subject, which a page naming the subject everywhere can lack."""
    predicate = [
        index
        for index, token in enumerate(content)
        if not token.is_capitalised and not value_words >> index & 1
    ]
    if not predicate:
        return 1.0
    return sum(1 for index in predicate if covered >> index & 1) / len(predicate)


def _missing_share(
    content: Sequence[Token], page_mask: int, kind: Callable[[Token], bool]
) -> float:
    relevant = [index for index, token in enumerate(content) if kind(token)]
    if not relevant:
        return 0.0
    return sum(1 for index in relevant if not page_mask >> index & 1) / len(relevant)
