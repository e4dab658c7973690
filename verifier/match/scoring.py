"""The fitted model: claim weights and thresholds, and the per-word model's, from model.json.

The weights and thresholds live in `model.json` beside this module; `bench/fit_match.py`
refits them on development data. The score is a logistic function of the features, so it
ranks claims (AUROC) as well as thresholding them into verdicts (decide.py).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from verifier.match.features import Features


@dataclass(frozen=True)
class MatchModel:
    """Fitted weights and thresholds."""

    weights: dict[str, float]
    bias: float
    supported_threshold: float
    excerpt_supported_threshold: float
    """The supported threshold for a source of a sentence or two (feature "brief_source"):
    its score is made of the same signals but spread differently from a whole page's, so
    the cut is fitted on excerpts of its own."""
    partial_threshold: float
    partial_min_coverage: float
    """"partial" means some of the claim is backed: at least this share by the passages."""
    contradiction_min_coverage: float
    """A discrepancy means "contradicted" only when the passage is about the same thing."""
    unsupported_gap: int
    """Function words between unbacked words are flagged with them up to this many."""
    unsupported_lead: int
    """Function words just before unbacked words are flagged with them up to this many."""
    capital_weight: float
    number_weight: float
    light_weight: float

    coverage_floor: float
    """Below this share of the claim backed by passages, the score shrinks in proportion: the
    logistic fit has seen few claims the page says nothing about and must not guess high."""
    token_weights: dict[str, float]
    """Per-word model of unbacked claim words (tokenmask.TOKEN_FEATURE_NAMES); empty: a word
    is unbacked when the passage and its neighbouring lines lack it."""
    token_bias: float
    token_relative: tuple[float, ...]
    """Second-stage weights setting each word against its claim (tokenmask.relative_odds)."""
    token_threshold: float
    unsupported_margin: float = math.inf
    """An unsupported span is kept only when its surest word's log-odds come within this of
    the claim's surest span's: a partly backed claim usually lacks one detail, and a second,
    much weaker span is more often a paraphrase the page words differently."""

    def score(self, features: Features) -> float:
        """The fitted probability that the source supports the claim."""
        total = self.bias + sum(
            weight * getattr(features, name) for name, weight in self.weights.items()
        )
        fitted = 1.0 / (1.0 + math.exp(-max(min(total, 40.0), -40.0)))
        return fitted * min(1.0, features.coverage_passages / self.coverage_floor)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> MatchModel:
        return cls(
            weights={str(k): float(v) for k, v in raw["weights"].items()},
            bias=float(raw["bias"]),
            supported_threshold=float(raw["supported_threshold"]),
            excerpt_supported_threshold=float(
                raw.get("excerpt_supported_threshold", raw["supported_threshold"])
            ),
            partial_threshold=float(raw["partial_threshold"]),
            partial_min_coverage=float(raw.get("partial_min_coverage", 0.3)),
            contradiction_min_coverage=float(raw["contradiction_min_coverage"]),
            unsupported_gap=int(raw["unsupported_gap"]),
            unsupported_lead=int(raw.get("unsupported_lead", 1)),
            capital_weight=float(raw["capital_weight"]),
            number_weight=float(raw["number_weight"]),
            light_weight=float(raw.get("light_weight", 1.0)),
            coverage_floor=float(raw.get("coverage_floor", 0.5)),
            token_weights={str(k): float(v) for k, v in raw.get("token_weights", {}).items()},
            token_bias=float(raw.get("token_bias", 0.0)),
            token_relative=tuple(float(v) for v in raw.get("token_relative", ())),
            token_threshold=float(raw.get("token_threshold", 0.5)),
            unsupported_margin=float(raw.get("unsupported_margin") or math.inf),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "weights": self.weights,
            "bias": self.bias,
            "supported_threshold": self.supported_threshold,
            "excerpt_supported_threshold": self.excerpt_supported_threshold,
            "partial_threshold": self.partial_threshold,
            "partial_min_coverage": self.partial_min_coverage,
            "contradiction_min_coverage": self.contradiction_min_coverage,
            "unsupported_gap": self.unsupported_gap,
            "unsupported_lead": self.unsupported_lead,
            "capital_weight": self.capital_weight,
            "number_weight": self.number_weight,
            "light_weight": self.light_weight,
            "coverage_floor": self.coverage_floor,
            "token_weights": self.token_weights,
            "token_bias": self.token_bias,
            "token_relative": list(self.token_relative),
            "token_threshold": self.token_threshold,
            # JSON has no infinity: null keeps every span.
            "unsupported_margin": (
                None if math.isinf(self.unsupported_margin) else self.unsupported_margin
            ),
        }


@lru_cache(maxsize=1)
def packaged_model() -> MatchModel:
    """The model shipped with the package (verifier/match/model.json)."""
    text = resources.files("verifier.match").joinpath("model.json").read_text("utf-8")
    return MatchModel.from_json(json.loads(text))
