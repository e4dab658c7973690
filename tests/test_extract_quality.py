"""Quality gate: (sentence, URL) pair precision and recall on the hand-checked labels in
bench/labels stay at or above the floors the issue sets. Reads ../shared; skips without it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
LABELS = REPO / "bench" / "labels"
FLOOR = 0.98


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "extraction_pairs", REPO / "bench" / "extraction_pairs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["extraction_pairs"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not SHARED.exists(), reason="../shared not present")
@pytest.mark.parametrize("label_file", sorted(LABELS.glob("*.json")), ids=lambda path: path.stem)
def test_pair_precision_and_recall_stay_above_the_floor(label_file: Path) -> None:
    bench = load_bench()
    url_score, all_score, misses = bench.score_set(SHARED, label_file)
    assert url_score.expected > 0 or all_score.expected > 0
    for score in (url_score, all_score):
        assert score.precision >= FLOOR, misses
        assert score.recall >= FLOOR, misses


def test_normalised_sentences_ignore_marker_spacing_but_not_words() -> None:
    bench = load_bench()
    assert bench.normalise_sentence("Tolls were abolished in 2015 .") == bench.normalise_sentence(
        "Tolls were abolished in 2015."
    )
    assert bench.normalise_sentence("Tolls rose.") != bench.normalise_sentence("Tolls fell.")
