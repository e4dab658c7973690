"""Ablation of the matcher's discrepancy finders: each one switched off in turn.

    python bench/match_ablation.py       # reads ../shared/bench; a few minutes

For every development set (WiCE claim_dev, FEVER-Symmetric dev, the VitaminC sample, WiCE
nst_dev tokens) prints the cross-validated figures with all finders, then the change each
figure takes when one finder is left out (weights and thresholds refitted inside the grouped
folds each time, as in score_bench.py). Beside each accuracy change, in brackets, is its
noise: the paired standard error of the change over the claims whose verdict it moved
(sqrt(changed) / n). A finder earns its place when leaving it out hurts at least two sets by
more than that noise and helps none by more.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fit_match import (
    Analysed,
    Judged,
    analyses,
    claim_sets,
    cross_validated,
    figures,
)
from match_data import SHARED, Item, flagged_tokens, prf, wice_tokens

from verifier.match import analyse
from verifier.match.features import FEATURE_NAMES
from verifier.match.finders import FINDERS, Finder
from verifier.match.scoring import MatchModel, packaged_model
from verifier.model import Verdict

COLUMNS = (
    ("WiCE", "auroc", "AUROC"),
    ("WiCE", "balanced_accuracy", "BA"),
    ("WiCE", "supported_failing_gate", "gate"),
    ("FEVER-Symmetric", "accuracy", "acc"),
    ("FEVER-Symmetric", "supported_contradicted", "s>c"),
    ("FEVER-Symmetric", "refuted_contradicted", "r>c"),
    ("VitaminC", "balanced_accuracy", "BA"),
    ("VitaminC", "supported_contradicted", "s>c"),
    ("VitaminC", "refuted_contradicted", "r>c"),
)
ACCURACY = {"balanced_accuracy", "accuracy"}


def run(finders: Sequence[Finder], model: MatchModel) -> tuple[list[Judged], float]:
    """Cross-validated verdicts on every claim set and nst_dev token F1 with these finders."""
    analyser = partial(analyse, finders=finders)
    data = [Analysed(one, analyses(one.items, model, analyser)) for one in claim_sets()]
    judged = cross_validated(model, data, FEATURE_NAMES)
    return judged, token_f1(wice_tokens("dev"), model, finders)


def token_f1(items: Sequence[Item], model: MatchModel, finders: Sequence[Finder]) -> float:
    tp = fp = fn = 0
    for item, analysis in zip(
        items, analyses(items, model, partial(analyse, finders=finders)), strict=True
    ):
        spans = [(flag.start, flag.end) for flag in analysis.assessment.flags]
        flagged = flagged_tokens(item.claim, item.claim_tokens, spans)
        for predicted, gold in zip(flagged, item.unsupported_tokens, strict=True):
            tp += predicted and gold
            fp += predicted and not gold
            fn += gold and not predicted
    return prf(tp, fp, fn)[2]


def noise(base: Judged, other: Judged) -> float:
    """Paired standard error of a change in accuracy: sqrt(claims whose supported-or-not
    call changed) / claims."""
    changed = sum(
        (a is Verdict.SUPPORTED) != (b is Verdict.SUPPORTED)
        for a, b in zip(base.verdicts, other.verdicts, strict=True)
    )
    return math.sqrt(changed) / len(base.verdicts)


def main() -> None:
    argparse.ArgumentParser(description=__doc__).parse_args()
    if not SHARED.exists():
        sys.exit(f"{SHARED} not present: the development data lives outside the project")
    model = packaged_model()
    base, base_f1 = run(FINDERS, model)
    base_by_set = {result.dev.name: result for result in base}
    header = " ".join(f"{name[:5]:>5s} {label:>12s}" for name, _, label in COLUMNS)
    print(f"{'finders':14s} {header} {'nst F1':>8s}")
    values = [figures(base_by_set[name])[key] for name, key, _ in COLUMNS]
    print(f"{'all':14s} " + " ".join(f"{v:18.3f}" for v in values) + f" {base_f1:8.3f}")
    for left_out in FINDERS:
        finders = [finder for finder in FINDERS if finder is not left_out]
        results, f1 = run(finders, model)
        by_set = {result.dev.name: result for result in results}
        cells = []
        for name, key, _ in COLUMNS:
            change = figures(by_set[name])[key] - figures(base_by_set[name])[key]
            spread = noise(base_by_set[name], by_set[name]) if key in ACCURACY else None
            cell = f"{change:+.3f}" + (f" ({spread:.3f})" if spread is not None else "")
            cells.append(f"{cell:>18s}")
        print(f"{'- ' + left_out.name:14s} " + " ".join(cells) + f" {f1 - base_f1:+8.3f}")


if __name__ == "__main__":
    main()
