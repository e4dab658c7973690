"""The matcher's cost against claim length and source repetition: near-linear, not quadratic.

    python bench/match_cost.py          # about a minute; needs no development data

Prints CPU seconds (median of a few runs on one core) for:

- claims of 10 KB, 100 KB and 1 MB against a 1,000-word page of varied sentences;
- claims of 500 and 4,000 words against a 1,000-word source that repeats one sentence with
  no full stop (every word of the claim is found everywhere in one long unit).

Beside each figure is its cost per claim word relative to the first line of its group: near
1.0 down a group means linear. The texts are generated here, from a fixed seed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from verifier.match import Source, analyse
from verifier.match.tokens import word_list

VOCABULARY = word_list(
    """
    harbour board council tram line port cargo timber grain breakwater engineer mayor opened
    closed built expanded funded approved ferry quay pier fishing boats container terminal
    railway station bridge road tunnel museum library school hospital in 1898 after eleven
    years of work not the a with for
    """
)


def varied_text(words: int, seed: int) -> str:
    """Sentences of twelve words drawn from VOCABULARY, each opening with a capital."""
    chooser = random.Random(seed)
    out: list[str] = []
    for index in range(words):
        word = chooser.choice(VOCABULARY)
        if index % 12 == 0:
            word = word.capitalize()
        out.append(word + ("." if index % 12 == 11 else ""))
    return " ".join(out)


def repetitive_text(words: int) -> str:
    """One sentence repeated with no full stop: a single unit holding every word many times."""
    sentence = "the harbour board opened the new container terminal in 1898 after eleven years"
    pieces = sentence.split()
    return " ".join((pieces * (words // len(pieces) + 1))[:words])


def seconds(claim: str, source: str, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        prepared = Source.prepare(source)
        started = time.process_time()
        analyse(claim, prepared)
        times.append(time.process_time() - started)
    return statistics.median(times)


def claim_of_bytes(size: int, seed: int) -> str:
    text = varied_text(size // 6 + 1, seed)
    return text[:size].rsplit(" ", 1)[0]


def main() -> None:
    argparse.ArgumentParser(description=__doc__).parse_args()
    page = varied_text(1000, seed=1)
    print("Claims against a 1,000-word page of varied sentences (CPU seconds, median)")
    first: float | None = None
    for label, size, repeats in (
        ("10 KB", 10_000, 3),
        ("100 KB", 100_000, 3),
        ("1 MB", 1_000_000, 1),
    ):
        claim = claim_of_bytes(size, seed=2)
        spent = seconds(claim, page, repeats)
        per_word = spent / len(claim.split())
        first = first or per_word
        print(
            f"  {label:>7s} claim ({len(claim.split()):7d} words) {spent:8.2f} s   "
            f"per word x{per_word / first:.2f}"
        )
    print("Claims against a repetitive 1,000-word source (one unit, no full stop)")
    source = repetitive_text(1000)
    first = None
    for words in (500, 4000):
        claim = repetitive_text(words) + "."
        spent = seconds(claim, source, 3)
        per_word = spent / words
        first = first or per_word
        print(f"  {words:7d}-word claim {spent:18.2f} s   per word x{per_word / first:.2f}")


if __name__ == "__main__":
    main()
