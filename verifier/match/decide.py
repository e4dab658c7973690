"""Every verdict rule in one place: the fitted score and the grounds it cannot express.

The score is the claim model's fitted probability that the source supports the claim; the
verdict adds what a probability does not say: a discrepancy anchored in a passage that backs
the rest of the claim makes it `contradicted` whatever the score, and a whole unbacked clause
keeps it from `supported`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from verifier.match.coverage import Masks, mask_of, weight
from verifier.match.features import BRIEF_SOURCE_UNITS
from verifier.match.scoring import MatchModel
from verifier.match.source import Source
from verifier.match.spans import longest_unsupported
from verifier.match.tokens import Token
from verifier.model import Flag, Severity, Verdict

SUPPORTED_MAX_UNBACKED_RUN = 4
"""A claim with an unsupported phrase of this many content words is never "supported",
whatever its score: the report would show a whole clause unbacked beside the verdict."""


@dataclass(frozen=True)
class Grounds:
    """What the verdict rules read besides the score."""

    conflicts: int
    """Discrepancies of severity "conflict"."""
    anchored_coverage: float
    """Share of the rest of the claim (outside its conflicts) the evidence passage backs."""
    coverage_passages: float
    """Share of the claim the chosen passages back."""
    unbacked_run: int
    """Content words in the longest unsupported phrase."""
    brief_source: bool
    """The source is an excerpt of a sentence or two, with its own supported threshold."""


NOTHING_BACKED = Grounds(0, 0.0, 0.0, 0, False)


def weigh(
    content: Sequence[Token],
    weights: Sequence[float],
    masks: Masks,
    flags: Sequence[Flag],
    implied: frozenset[int],
    source: Source,
) -> Grounds:
    """The grounds of a claim whose content words carry `weights`; `implied` holds the start
    offsets of names backed only by reference (they do not count toward an unbacked run)."""
    in_conflict = mask_of(
        content,
        lambda token: any(
            flag.start <= token.start < flag.end
            for flag in flags
            if flag.severity is Severity.CONFLICT
        ),
    )
    rest = sum(weights) - weight(in_conflict, weights)
    return Grounds(
        conflicts=sum(1 for flag in flags if flag.severity is Severity.CONFLICT),
        # A discrepancy is a contradiction when the rest of the claim is found around it.
        anchored_coverage=weight(masks.window & ~in_conflict, weights) / rest if rest else 0.0,
        coverage_passages=weight(masks.passages, weights) / sum(weights),
        unbacked_run=longest_unsupported([t for t in content if t.start not in implied], flags),
        brief_source=len(source.page.units) <= BRIEF_SOURCE_UNITS,
    )


def decide(score: float, grounds: Grounds, model: MatchModel) -> Verdict:
    """The verdict for a claim scored `score` on these grounds (never UNAVAILABLE)."""
    # (A share summed from word weights may fall short of 1.0 by a rounding.)
    anchored = grounds.anchored_coverage + 1e-9 >= model.contradiction_min_coverage
    if grounds.conflicts and anchored:
        return Verdict.CONTRADICTED
    threshold = (
        model.excerpt_supported_threshold if grounds.brief_source else model.supported_threshold
    )
    if (
        score >= threshold
        and grounds.unbacked_run < SUPPORTED_MAX_UNBACKED_RUN
        and not grounds.conflicts
    ):
        return Verdict.SUPPORTED
    if score >= model.partial_threshold and grounds.coverage_passages >= model.partial_min_coverage:
        return Verdict.PARTIAL
    return Verdict.UNSUPPORTED
