"""The long fuzz run: every input surface of tests/fuzzing.py for minutes, not seconds.

The suite (tests/test_fuzz.py) tries a few dozen fixed examples per surface; this tries as
many as the time allows, with fresh random seeds, and a scaling probe: per article format
and per kind of character run, extraction time at n and 4n characters (a ratio well
above 4 is a super-linear path, like the 409 s a 71 KB wikitext took before a regex fix).
Prints, per surface, the examples tried and every failure (exception type, where, the
input shortened); exits 1 when anything failed.

    python bench/fuzz_long.py [--minutes 12] [--seed N]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import fuzzing  # noqa: E402
from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from verifier.errors import ArticleError  # noqa: E402
from verifier.extract import extract_source  # noqa: E402
from verifier.pipeline import SourceLocator  # noqa: E402

_CHUNK = 200
"""Examples per hypothesis run; each run has its own seed, and runs repeat until the
surface's time is up."""


@dataclass
class Tally:
    examples: int = 0
    failures: dict[str, str] = field(default_factory=dict)


def _explore(
    name: str, strategy: st.SearchStrategy[object], check: Callable[..., None], seconds: float
) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + seconds
    generator = random.Random()
    while time.monotonic() < deadline:

        @seed(generator.getrandbits(64))
        @settings(
            max_examples=_CHUNK,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy)
        def run(value: object) -> None:
            tally.examples += 1
            if isinstance(value, tuple):
                check(*value)
            else:
                check(value)

        try:
            run()
        except Exception as error:  # a failure found: record it and keep exploring
            frame = traceback.extract_tb(error.__traceback__)[-1]
            key = f"{type(error).__name__} at {Path(frame.filename).name}:{frame.lineno}"
            example = " ".join(getattr(error, "__notes__", []))  # hypothesis's shrunk input
            tally.failures.setdefault(key, f"{error!s} {example}"[:600])
    print(f"  {name:28} {tally.examples:8,} examples, {len(tally.failures)} failure(s)")
    for key, detail in tally.failures.items():
        print(f"    {key}: {detail}")
    return tally


_RUNS = {
    "letters": "a",
    "words": "word ",
    "full stops": "a. ",
    "initials": "A. ",
    "open quote": '"Word. Next ',
    "brackets": "[x] ",
    "markers": "[1]",
    "urls": "http://x.org/ ",
    "angle": "<",
    "ref tags": "<ref>",
    "templates": "{{",
    "pipes": "|",
    "equals": "a=",
    "stars": "*",
    "backticks": "`",
    "underscores": "_",
    "newlines": "\n",
    "carets": "^[",
}


_NOISE_SECONDS = 0.05


def _scaling(size: int) -> list[tuple[str, str, float]]:
    """(format, run, time ratio 4n/n) for each format and kind of run inside a seed article."""
    rows = []
    for article_format, name in fuzzing.ARTICLE_SEEDS.items():
        seed_text = fuzzing.seed_text(name)
        middle = len(seed_text) // 2
        for label, unit in _RUNS.items():
            times = []
            for length in (size, 4 * size):
                run = unit * (length // len(unit))
                text = seed_text[:middle] + run + seed_text[middle:]
                start = time.perf_counter()
                with contextlib.suppress(ArticleError):
                    extract_source(text, "article", article_format)
                times.append(time.perf_counter() - start)
            if times[1] >= _NOISE_SECONDS:  # a ratio of two milliseconds is noise
                rows.append((article_format, label, times[1] / times[0]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=12.0)
    parser.add_argument("--scaling-size", type=int, default=50_000)
    arguments = parser.parse_args()
    os.environ["VERIFIER_NO_CACHE"] = "1"
    formats = sorted(fuzzing.ARTICLE_SEEDS)
    surfaces = 2 * len(formats) + 4
    share = arguments.minutes * 60 * 0.9 / surfaces  # the rest for the scaling probe
    print(f"{arguments.minutes:g} minutes, {share:.0f} s per surface")
    failed = 0
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for article_format in formats:
            tally = _explore(
                f"article ({article_format})",
                fuzzing.articles(article_format),
                lambda text, f=article_format: fuzzing.check_article(text, f),
                share,
            )
            failed += len(tally.failures)
            tally = _explore(
                f"article bytes ({article_format})",
                fuzzing.article_bytes(article_format),
                lambda raw, f=article_format: fuzzing.check_article_bytes(raw, f),
                share,
            )
            failed += len(tally.failures)
        ledger = root / "claims.yaml"
        tally = _explore(
            "claims.yaml", fuzzing.ledgers(), lambda t: fuzzing.check_ledger(t, ledger), share
        )
        failed += len(tally.failures)
        locate = SourceLocator(root)
        with fuzzing.offline_fetcher(root) as fetcher:
            tally = _explore(
                "url", fuzzing.urls(), lambda u: fuzzing.check_url(u, fetcher, locate), share
            )
        failed += len(tally.failures)
        batches = st.lists(fuzzing.records() | st.just(b"\n"), max_size=6)
        tally = _explore("score jsonl", batches, fuzzing.check_records, share)
        failed += len(tally.failures)
        tally = _explore("text", fuzzing.bodies(), fuzzing.check_body, share)
        failed += len(tally.failures)
    print(
        f"\nscaling: extraction time at {4 * arguments.scaling_size:,} / "
        f"{arguments.scaling_size:,} characters of one run (ideal 4)"
    )
    rows = _scaling(arguments.scaling_size)
    worst = sorted(rows, key=lambda row: -row[2])
    for article_format, label, ratio in worst[:8]:
        print(f"  {article_format:9} {label:12} {ratio:5.1f}")
    total = len(fuzzing.ARTICLE_SEEDS) * len(_RUNS)
    if rows:
        median = sorted(ratio for _, _, ratio in rows)[len(rows) // 2]
        print(f"  median ratio {median:.1f} over the {len(rows)} runs taking 50 ms or more")
    print(f"  {total - len(rows)} of {total} runs took under 50 ms at the larger size")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
