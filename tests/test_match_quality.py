"""Quality gate: the matcher's figures on the development data stay above pinned floors.

The floors sit just under the cross-validated figures `python bench/score_bench.py` prints
(five folds grouped by WiCE page and FEVER group of four, every weight and threshold refitted
without the held-out fold), less about one standard error of each figure; the figures here
are measured in-sample with the packaged model.json, which is at least as good, so a floor
fails only on a regression. Raising a floor is a deliberate edit here. Skipped when ../shared
is absent.

Cross-validated when pinned: WiCE AUROC 0.838, balanced accuracy 0.788, supported claims
failing the default gate 0.009; FEVER-Symmetric AUROC 0.853, accuracy 0.791, supported
called contradicted 0.008; VitaminC AUROC 0.843, balanced accuracy 0.760, supported called
contradicted 0.000; nst_dev token F1 0.655 (its word model is fitted on nst_train).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from verifier.match import Source, analyse
from verifier.model import Assessment, Verdict

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"
pytestmark = pytest.mark.skipif(not SHARED.exists(), reason="../shared not present")

FLOORS = {
    "wice_auroc": 0.83,
    "wice_balanced_accuracy": 0.775,
    "nst_token_f1": 0.645,
    "fever_auroc": 0.845,
    "fever_accuracy": 0.78,
    "vitaminc_auroc": 0.83,
    "vitaminc_balanced_accuracy": 0.75,
}
MAX_SUPPORTED_CALLED_CONTRADICTED = 0.01
"""The issue's ceiling for FEVER-Symmetric and VitaminC: a good citation called contradicted
fails CI and tells its editor they misreported the source."""
MAX_SUPPORTED_FAILING_THE_GATE = 0.05
"""WiCE claims labelled supported that the default gate fails (contradicted or unsupported)."""


def rows(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def page(evidence: object) -> str:
    assert isinstance(evidence, list)
    return "\n".join(str(line) for line in evidence)


def assessed(
    data: list[dict[str, object]], source: Callable[[dict[str, object]], str]
) -> list[Assessment]:
    return [analyse(str(r["claim"]), Source.prepare(source(r))).assessment for r in data]


def auroc(scores: list[float], positives: list[bool]) -> float:
    pos = [s for s, p in zip(scores, positives, strict=True) if p]
    neg = [s for s, p in zip(scores, positives, strict=True) if not p]
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def balanced_accuracy(found: list[Assessment], gold: list[bool]) -> float:
    called = [a.verdict is Verdict.SUPPORTED for a in found]
    true_positive_rate = sum(c and g for c, g in zip(called, gold, strict=True)) / sum(gold)
    true_negative_rate = sum(not c and not g for c, g in zip(called, gold, strict=True)) / (
        len(gold) - sum(gold)
    )
    return (true_positive_rate + true_negative_rate) / 2


def share_of_supported(found: list[Assessment], gold: list[bool], verdicts: set[Verdict]) -> float:
    return sum(a.verdict in verdicts and g for a, g in zip(found, gold, strict=True)) / sum(gold)


def test_wice_ranking_supported_verdict_and_gate() -> None:
    data = rows(SHARED / "wice" / "claim_dev.jsonl")
    found = assessed(data, lambda r: page(r["evidence"]))
    gold = [r["label"] == "supported" for r in data]
    assert auroc([a.score for a in found], gold) >= FLOORS["wice_auroc"]
    assert balanced_accuracy(found, gold) >= FLOORS["wice_balanced_accuracy"]
    failing = {Verdict.CONTRADICTED, Verdict.UNSUPPORTED}
    assert share_of_supported(found, gold, failing) <= MAX_SUPPORTED_FAILING_THE_GATE


def test_unsupported_tokens_on_nst_dev() -> None:
    tp = fp = fn = 0
    for row in rows(SHARED / "wice" / "nst_dev.jsonl"):
        claim = str(row["claim"])
        assessment = analyse(claim, Source.prepare(page(row["evidence"]))).assessment
        cursor = 0
        tokens, marks = row["claim_tokens"], row["non_supported_spans"]
        assert isinstance(tokens, list) and isinstance(marks, list)
        for token, gold in zip(tokens, marks, strict=True):
            start = claim.find(str(token), cursor)
            end = start + len(str(token)) if start >= 0 else cursor
            start = max(start, cursor)
            cursor = end
            flagged = end > start and any(
                start < flag.end and flag.start < end for flag in assessment.flags
            )
            tp += flagged and gold
            fp += flagged and not gold
            fn += gold and not flagged
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= FLOORS["nst_token_f1"]


def test_fever_symmetric_accuracy_and_few_false_contradictions() -> None:
    data = rows(SHARED / "fever-symmetric" / "dev.jsonl")
    found = assessed(data, lambda r: str(r["evidence"]))
    gold = [r["label"] == "SUPPORTS" for r in data]
    accuracy = sum(
        (a.verdict is Verdict.SUPPORTED) == g for a, g in zip(found, gold, strict=True)
    ) / len(data)
    assert accuracy >= FLOORS["fever_accuracy"]
    assert auroc([a.score for a in found], gold) >= FLOORS["fever_auroc"]
    contradicted = share_of_supported(found, gold, {Verdict.CONTRADICTED})
    assert contradicted <= MAX_SUPPORTED_CALLED_CONTRADICTED


def test_vitaminc_bounded_figures_and_few_false_contradictions() -> None:
    data = rows(SHARED / "vitaminc" / "train_sample.jsonl")
    found = assessed(data, lambda r: str(r["evidence"]))
    gold = [r["label"] == "supports" for r in data]
    assert auroc([a.score for a in found], gold) >= FLOORS["vitaminc_auroc"]
    assert balanced_accuracy(found, gold) >= FLOORS["vitaminc_balanced_accuracy"]
    contradicted = share_of_supported(found, gold, {Verdict.CONTRADICTED})
    assert contradicted <= MAX_SUPPORTED_CALLED_CONTRADICTED
