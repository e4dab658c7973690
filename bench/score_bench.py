"""Matcher benchmark (issue 5): runs `verifier score` on the development data and prints
WiCE AUROC / balanced accuracy / macro F1, nst_dev unsupported-token P/R/F1, FEVER-Symmetric
accuracy and contradiction shares, and claims per second beside a one-call rapidfuzz baseline.

    python bench/score_bench.py            # reads ../shared/bench; nothing is written to the repo
"""

from __future__ import annotations

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

from match_data import (
    REPO,
    SHARED,
    WICE_LABELS,
    WICE_VERDICT_LABEL,
    Item,
    auroc,
    balanced_accuracy,
    fever,
    flagged_tokens,
    macro_f1,
    prf,
    wice_claims,
    wice_tokens,
)

from verifier.match import score_records

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
    if not SHARED.exists():
        sys.exit(f"{SHARED} not present: the development data lives outside the project")
    claims, nst, pairs = wice_claims(), wice_tokens("dev"), fever()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        wice_out, wice_wall = run_score(claims, workdir, "wice")
        nst_out, _ = run_score(nst, workdir, "nst")
        fever_out, _ = run_score(pairs, workdir, "fever")

    print(f"verifier score via: {' '.join(verifier_command())}")
    # WiCE: supported vs the rest.
    gold_supported = [item.label == "supported" for item in claims]
    scores = [record["score"] for record in wice_out]
    called_supported = [record["verdict"] == "supported" for record in wice_out]
    baseline_scores = [fuzz.token_set_ratio(item.claim, item.source) for item in claims]
    print(f"\nWiCE claim_dev ({len(claims)} claims, whole cited pages)")
    print(f"  AUROC supported vs rest        {auroc(scores, gold_supported):.3f}")
    print(f"    baseline token_set_ratio     {auroc(baseline_scores, gold_supported):.3f}")
    print(
        "  balanced accuracy (supported)  "
        f"{balanced_accuracy(called_supported, gold_supported):.3f}"
    )
    three_way = [WICE_VERDICT_LABEL[record["verdict"]] for record in wice_out]
    labels = [item.label for item in claims]
    print(f"  3-way macro F1                 {macro_f1(three_way, labels, WICE_LABELS):.3f}")
    verdict_counts = {v: sum(1 for r in wice_out if r["verdict"] == v) for v in WICE_VERDICT_LABEL}
    print(f"  verdicts                       {verdict_counts}")

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
    print(f"\nWiCE nst_dev ({len(nst)} sub-claims) unsupported tokens")
    print(f"  precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")

    # FEVER-Symmetric: SUPPORTS iff the verdict is supported.
    refuted = [item.label == "REFUTES" for item in pairs]
    called = [record["verdict"] for record in fever_out]
    correct = sum(
        (verdict == "supported") != is_refuted
        for verdict, is_refuted in zip(called, refuted, strict=True)
    )
    n_refuted = sum(refuted)
    n_supported = len(pairs) - n_refuted
    refuted_contradicted = sum(
        v == "contradicted" and r for v, r in zip(called, refuted, strict=True)
    )
    supported_contradicted = sum(
        v == "contradicted" and not r for v, r in zip(called, refuted, strict=True)
    )
    fever_scores = [record["score"] for record in fever_out]
    print(f"\nFEVER-Symmetric dev ({len(pairs)} pairs)")
    print(f"  accuracy (supported vs rest)   {correct / len(pairs):.3f}")
    print(f"  AUROC                          {auroc(fever_scores, [not r for r in refuted]):.3f}")
    print(f"  refuted called contradicted    {refuted_contradicted / n_refuted:.3f}")
    print(f"  supported called contradicted  {supported_contradicted / n_supported:.3f}")

    # Throughput on whole WiCE pages, in process, against one rapidfuzz call per claim.
    lines = [
        json.dumps({"id": item.id, "claim": item.claim, "source": item.source}) for item in claims
    ]
    ours = median_seconds(lambda: list(score_records(lines)))
    baseline = median_seconds(
        lambda: [fuzz.token_set_ratio(item.claim, item.source) for item in claims]
    )
    page_chars = statistics.median(len(item.source) for item in claims)
    print(f"\nThroughput, WiCE whole pages (median page {page_chars:.0f} chars), one core CPU time")
    print(f"  verifier matcher (in process)  {len(claims) / ours:8.0f} claims/s")
    print(f"  rapidfuzz token_set_ratio      {len(claims) / baseline:8.0f} claims/s")
    print(f"  ratio matcher/baseline         {baseline / ours:8.3f}")
    print(f"  `verifier score` wall clock    {len(claims) / wice_wall:8.0f} claims/s (incl. start)")


if __name__ == "__main__":
    main()
