"""Matcher benchmark: the development figures of the matcher in one command.

    python bench/score_bench.py     # reads ../shared/bench; nothing is written to the repo

Prints, for WiCE claim_dev (whole cited pages), FEVER-Symmetric dev and the VitaminC sample:
AUROC, balanced accuracy, supported claims called contradicted or failing the default gate;
first in-sample through `verifier score` with the packaged model.json, then cross-validated
(five folds grouped by WiCE page and FEVER group of four, every claim-level weight and
threshold refitted without the held-out fold: the figure to expect on unseen claims). Then
nst_dev unsupported-token precision, recall and F1 (the word model is fitted on nst_train),
and claims per second over whole WiCE pages beside a one-call rapidfuzz baseline.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fit_match import (
    FOLDS,
    Judged,
    analysed_sets,
    claim_sets,
    cross_validated,
    print_figures,
)
from match_data import REPO, SHARED, Item, auroc, flagged_tokens, prf, wice_tokens

from verifier.match import score_records
from verifier.match.features import FEATURE_NAMES
from verifier.match.scoring import packaged_model
from verifier.model import Verdict

REPEATS = 5


def verifier_command() -> list[str]:
    """The installed `verifier` script, else the package run as a module from this checkout."""
    installed = shutil.which("verifier")
    return [installed] if installed else [sys.executable, "-m", "verifier"]


def run_score(
    items: Sequence[Item], workdir: Path, name: str
) -> tuple[list[dict[str, Any]], float]:
    """Score `items` through the `verifier score` command; returns records and wall seconds."""
    path = workdir / f"{name}.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps({"id": item.id, "claim": item.claim, "source": item.source}))
            handle.write("\n")
    started = time.perf_counter()
    completed = subprocess.run(
        [*verifier_command(), "score", "--input", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        sys.exit(f"verifier score failed ({completed.returncode}): {completed.stderr.strip()}")
    records = [json.loads(line) for line in completed.stdout.splitlines() if line.strip()]
    if [r["id"] for r in records] != [item.id for item in items]:
        sys.exit(f"verifier score returned {len(records)} records for {len(items)} inputs")
    return records, elapsed


def median_seconds(action: Callable[[], object]) -> float:
    """Median CPU seconds of this process over REPEATS runs (one thread, so one core's time;
    other processes on a shared machine do not inflate it as they do wall-clock time)."""
    times = []
    for _ in range(REPEATS):
        started = time.process_time()
        action()
        times.append(time.process_time() - started)
    return statistics.median(times)


def main() -> None:
    argparse.ArgumentParser(description=__doc__).parse_args()
    if not SHARED.exists():
        sys.exit(f"{SHARED} not present: the development data lives outside the project")
    sets, nst = claim_sets(), wice_tokens("dev")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        outputs = [run_score(one.items, workdir, one.name) for one in sets]
        nst_out, _ = run_score(nst, workdir, "nst")
    print(f"verifier score via: {' '.join(verifier_command())}\n")
    in_sample = [
        Judged(
            one,
            [record["score"] for record in records],
            [Verdict(record["verdict"]) for record in records],
        )
        for one, (records, _) in zip(sets, outputs, strict=True)
    ]
    wice = sets[0].items
    baseline = [fuzz.token_set_ratio(item.claim, item.source) for item in wice]
    print_figures("In-sample: the packaged model.json", in_sample)
    print(f"  (rapidfuzz token_set_ratio alone: WiCE AUROC {auroc(baseline, supported(wice)):.3f})")

    model = packaged_model()
    data = analysed_sets(sets, model)
    print_figures(
        f"\nCross-validated: {FOLDS} folds grouped by WiCE page and FEVER group, "
        "weights and thresholds refitted without each fold",
        cross_validated(model, data, FEATURE_NAMES),
    )

    # nst_dev: tokens inside any flag vs gold unsupported tokens.
    tp = fp = fn = 0
    for item, record in zip(nst, nst_out, strict=True):
        spans = [(flag["start"], flag["end"]) for flag in record["flags"]]
        flagged = flagged_tokens(item.claim, item.claim_tokens, spans)
        for predicted, gold in zip(flagged, item.unsupported_tokens, strict=True):
            tp += predicted and gold
            fp += predicted and not gold
            fn += gold and not predicted
    precision, recall, f1 = prf(tp, fp, fn)
    print(f"\nWiCE nst_dev ({len(nst)} sub-claims) unsupported tokens (word model from nst_train)")
    print(f"  precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")

    # Throughput on whole WiCE pages, in process, against one rapidfuzz call per claim.
    lines = [
        json.dumps({"id": item.id, "claim": item.claim, "source": item.source}) for item in wice
    ]
    ours = median_seconds(lambda: list(score_records(lines)))
    rapidfuzz = median_seconds(
        lambda: [fuzz.token_set_ratio(item.claim, item.source) for item in wice]
    )
    page_chars = statistics.median(len(item.source) for item in wice)
    wall = outputs[0][1]
    print(f"\nThroughput, WiCE whole pages (median page {page_chars:.0f} chars), one core CPU time")
    print(f"  verifier matcher (in process)  {len(wice) / ours:8.0f} claims/s")
    print(f"  rapidfuzz token_set_ratio      {len(wice) / rapidfuzz:8.0f} claims/s")
    print(f"  ratio matcher/baseline         {rapidfuzz / ours:8.3f}")
    print(f"  `verifier score` wall clock    {len(wice) / wall:8.0f} claims/s (incl. start)")


def supported(items: Sequence[Item]) -> list[bool]:
    return [item.supported for item in items]


if __name__ == "__main__":
    main()
