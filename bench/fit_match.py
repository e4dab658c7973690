"""Fit the matcher's weights and thresholds on the development data; write model.json.

    python bench/fit_match.py            # prints the fit, writes verifier/match/model.json
    python bench/fit_match.py --dry-run  # prints only

Supported-vs-rest logistic regression (IRLS, L2) over the matcher's features on WiCE
claim_dev and FEVER-Symmetric dev, each data set weighted equally; the supported threshold
maximises the mean of WiCE balanced accuracy and FEVER accuracy; the partial threshold
maximises WiCE 3-way macro F1; the unsupported-flag gap maximises token F1 on nst_train
(nst_dev is kept for the benchmark). With --grid it first picks the word weights (names,
numbers, light words) by mean cross-validated AUROC.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from match_data import (
    REPO,
    WICE_LABELS,
    WICE_VERDICT_LABEL,
    Item,
    auroc,
    balanced_accuracy,
    fever,
    flagged_tokens,
    macro_f1,
    prf,
    token_spans,
    wice_claims,
    wice_tokens,
)

from verifier.match.matcher import Analysis, Source, analyse
from verifier.match.scoring import FEATURE_NAMES, MatchModel, packaged_model
from verifier.match.tokenmask import TOKEN_FEATURE_NAMES, word_features
from verifier.match.tokens import Token
from verifier.model import Verdict

MODEL_PATH = REPO / "verifier" / "match" / "model.json"
L2 = 1.0


def analyses(items: Sequence[Item], model: MatchModel) -> list[Analysis]:
    return [analyse(item.claim, Source.prepare(item.source), model) for item in items]


def fit_logistic(
    rows: Sequence[Sequence[float]], labels: Sequence[bool], sample_weights: Sequence[float]
) -> list[float]:
    """Weighted L2 logistic regression by Newton steps; returns [bias, *weights]."""
    width = len(rows[0]) + 1
    design = [[1.0, *row] for row in rows]
    beta = [0.0] * width
    for _ in range(50):
        gradient = [0.0] * width
        hessian = [[0.0] * width for _ in range(width)]
        for x, y, w in zip(design, labels, sample_weights, strict=True):
            z = sum(b * v for b, v in zip(beta, x, strict=True))
            p = 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))
            for i in range(width):
                gradient[i] += w * (p - float(y)) * x[i]
                for j in range(width):
                    hessian[i][j] += w * p * (1 - p) * x[i] * x[j]
        for i in range(1, width):
            gradient[i] += L2 * beta[i]
            hessian[i][i] += L2
        step = _solve(hessian, gradient)
        beta = [b - s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-7:
            break
    return beta


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    size = len(vector)
    augmented = [[*row, value] for row, value in zip(matrix, vector, strict=True)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda r: abs(augmented[r][column]))
        augmented[column], augmented[pivot] = augmented[pivot], augmented[column]
        for row in range(size):
            if row != column and augmented[column][column]:
                factor = augmented[row][column] / augmented[column][column]
                for k in range(column, size + 1):
                    augmented[row][k] -= factor * augmented[column][k]
    return [augmented[i][size] / augmented[i][i] for i in range(size)]


def verdicts(found: Sequence[Analysis], model: MatchModel) -> list[Verdict]:
    result = []
    for analysis in found:
        features = analysis.features
        score = model.score(features)
        result.append(model.verdict(score, features))
    return result


def token_f1(items: Sequence[Item], model: MatchModel) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for item, analysis in zip(items, analyses(items, model), strict=True):
        spans = [(flag.start, flag.end) for flag in analysis.assessment.flags]
        for predicted, gold in zip(
            flagged_tokens(item.claim, item.claim_tokens, spans),
            item.unsupported_tokens,
            strict=True,
        ):
            tp += predicted and gold
            fp += predicted and not gold
            fn += gold and not predicted
    return prf(tp, fp, fn)


def gold_words(item: Item, content: Sequence[Token]) -> list[bool]:
    """Whether each claim content word overlaps a gold unsupported token."""
    spans = [
        span
        for span, unsupported in zip(
            token_spans(item.claim, item.claim_tokens), item.unsupported_tokens, strict=True
        )
        if unsupported
    ]
    return [any(s < t.end and t.start < e for s, e in spans) for t in content]


def fit_token_model(model: MatchModel, nst_train: list[Item]) -> MatchModel:
    """Per-word unbacked model on nst_train: logistic weights, then the probability cut and
    the function-word joining that maximise token F1 on nst_train (nst_dev stays unseen)."""
    rows: list[list[float]] = []
    gold: list[bool] = []
    for item, analysis in zip(nst_train, analyses(nst_train, model), strict=True):
        if analysis.signals is None:
            continue
        rows.extend(word_features(analysis.signals))
        gold.extend(gold_words(item, analysis.content))
    beta = fit_logistic(rows, gold, [1.0] * len(rows))
    model = replace(
        model,
        token_bias=beta[0],
        token_weights=dict(zip(TOKEN_FEATURE_NAMES, beta[1:], strict=True)),
    )
    choices = [
        (threshold / 20, gap, lead)
        for threshold in range(5, 12)
        for gap in range(3)
        for lead in range(3)
    ]
    threshold, gap, lead = max(
        choices,
        key=lambda c: token_f1(
            nst_train,
            replace(model, token_threshold=c[0], unsupported_gap=c[1], unsupported_lead=c[2]),
        )[2],
    )
    model = replace(model, token_threshold=threshold, unsupported_gap=gap, unsupported_lead=lead)
    found = " ".join(f"{v:.3f}" for v in token_f1(nst_train, model))
    print(
        f"token model: threshold {threshold:.2f}, gap {gap}, lead {lead}: "
        f"nst_train token P/R/F1 {found} (in-sample)"
    )
    return model


def cross_validated_auroc(rows: list[list[float]], labels: list[bool], folds: int = 5) -> float:
    """AUROC of out-of-fold logistic scores (a fixed shuffle, so reruns agree)."""
    order = list(range(len(rows)))
    random.Random(0).shuffle(order)
    scores = [0.0] * len(rows)
    for fold in range(folds):
        held_out = set(order[fold::folds])
        train = [i for i in order if i not in held_out]
        beta = fit_logistic(
            [rows[i] for i in train], [labels[i] for i in train], [1.0] * len(train)
        )
        for i in held_out:
            scores[i] = beta[0] + sum(b * v for b, v in zip(beta[1:], rows[i], strict=True))
    return auroc(scores, labels)


def grid_word_weights(model: MatchModel, wice: list[Item], pairs: list[Item]) -> MatchModel:
    """The name/number/light-word weights with the best mean cross-validated AUROC."""
    best: tuple[float, MatchModel] = (-1.0, model)
    wice_gold = [i.label == "supported" for i in wice]
    fever_gold = [i.label == "SUPPORTS" for i in pairs]
    for capital, number, light in itertools.product((1.0, 1.5, 2.5), (1.0, 1.5, 2.5), (0.4, 1.0)):
        trial = replace(model, capital_weight=capital, number_weight=number, light_weight=light)
        wice_rows = [[a.features[n] for n in FEATURE_NAMES] for a in analyses(wice, trial)]
        fever_rows = [[a.features[n] for n in FEATURE_NAMES] for a in analyses(pairs, trial)]
        mean = (
            cross_validated_auroc(wice_rows, wice_gold)
            + cross_validated_auroc(fever_rows, fever_gold)
        ) / 2
        print(f"  names {capital} numbers {number} light {light}: mean CV AUROC {mean:.3f}")
        if mean > best[0]:
            best = (mean, trial)
    chosen = best[1]
    print(
        f"word weights: names {chosen.capital_weight}, numbers {chosen.number_weight}, "
        f"light {chosen.light_weight}"
    )
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument(
        "--grid",
        action="store_true",
        help="also search the word weights (names, numbers, light words); a few minutes",
    )
    args = parser.parse_args()
    model = packaged_model()
    wice, pairs, nst_train = wice_claims(), fever(), wice_tokens("train")
    if args.grid:
        model = grid_word_weights(model, wice, pairs)

    model = fit_token_model(model, nst_train)

    wice_found, fever_found = analyses(wice, model), analyses(pairs, model)
    rows = [[a.features[n] for n in FEATURE_NAMES] for a in (*wice_found, *fever_found)]
    labels = [i.label == "supported" for i in wice] + [i.label == "SUPPORTS" for i in pairs]
    sample_weights = [1.0 / len(wice)] * len(wice) + [1.0 / len(pairs)] * len(pairs)
    scale = len(rows) / 2
    beta = fit_logistic(rows, labels, [w * scale for w in sample_weights])
    model = replace(model, bias=beta[0], weights=dict(zip(FEATURE_NAMES, beta[1:], strict=True)))
    for name, weight in zip(("bias", *FEATURE_NAMES), beta, strict=True):
        print(f"  {name:18s} {weight:+.3f}")

    wice_gold = [i.label == "supported" for i in wice]
    fever_gold = [i.label == "SUPPORTS" for i in pairs]
    wice_scores = [model.score(a.features) for a in wice_found]
    fever_scores = [model.score(a.features) for a in fever_found]
    wice_auroc, fever_auroc = auroc(wice_scores, wice_gold), auroc(fever_scores, fever_gold)
    print(f"AUROC WiCE {wice_auroc:.3f}  FEVER {fever_auroc:.3f}")

    def objective(threshold: float) -> float:
        trial = replace(model, supported_threshold=threshold, partial_threshold=0.0)
        wice_called = [v is Verdict.SUPPORTED for v in verdicts(wice_found, trial)]
        fever_called = [v is Verdict.SUPPORTED for v in verdicts(fever_found, trial)]
        fever_acc = sum(c == g for c, g in zip(fever_called, fever_gold, strict=True)) / len(pairs)
        return (balanced_accuracy(wice_called, wice_gold) + fever_acc) / 2

    grid = [i / 200 for i in range(1, 200)]
    supported_threshold = max(grid, key=objective)
    model = replace(model, supported_threshold=supported_threshold)

    def three_way(threshold: float) -> float:
        trial = replace(model, partial_threshold=threshold)
        called = [WICE_VERDICT_LABEL[v.value] for v in verdicts(wice_found, trial)]
        return macro_f1(called, [i.label for i in wice], WICE_LABELS)

    partial_threshold = max((t for t in grid if t < supported_threshold), key=three_way)
    model = replace(model, partial_threshold=partial_threshold)

    def three_way_coverage(minimum: float) -> float:
        model_trial = replace(model, partial_min_coverage=minimum)
        called = [WICE_VERDICT_LABEL[v.value] for v in verdicts(wice_found, model_trial)]
        return macro_f1(called, [i.label for i in wice], WICE_LABELS)

    # At least a quarter of the claim must be backed for "partial" (below that, the claim is
    # about something else); the fit may ask for more.
    partial_min_coverage = max((m / 20 for m in range(5, 15)), key=three_way_coverage)
    model = replace(model, partial_min_coverage=partial_min_coverage)
    print(f"partial_min_coverage {partial_min_coverage:.2f}")
    best_objective, best_f1 = objective(supported_threshold), three_way(partial_threshold)
    print(f"supported_threshold {supported_threshold:.3f} (objective {best_objective:.3f})")
    print(f"partial_threshold {partial_threshold:.3f} (WiCE macro F1 {best_f1:.3f})")

    if args.dry_run:
        return
    MODEL_PATH.write_text(json.dumps(model.to_json(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_PATH.relative_to(REPO)}")


if __name__ == "__main__":
    main()
