"""Every verdict rule in one place: the fitted score and the grounds it cannot express.

The score is the claim model's fitted probability that the source supports the claim; the
verdict adds what a probability does not say: a discrepancy anchored in a passage that backs
the rest of the claim makes it `contradicted` whatever the score, and a whole unbacked clause
keeps it from `supported`.
"""

from __future__ import annotations

from dataclasses import dataclass

from verifier.match.scoring import MatchModel
from verifier.model import Verdict

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
