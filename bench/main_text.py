"""Main-text extraction quality: verifier.text.main_text beside plain trafilatura.

Reads ../shared/bench/extraction (scrapinghub article-extraction-benchmark and the Mozilla
Readability test pages; see their SOURCE.md) and prints precision, recall and F1 with the
scrapinghub method: \\w+ tokens, 4-gram shingle multisets, per-page (tp, fp, fn) normalised
to sum to 1, summed over pages. Both extractors run on the same pages in this process.

    python bench/main_text.py [--only scrapinghub|readability] [--limit N] [--worst K]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench" / "extraction"
_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Page:
    dataset: str
    name: str
    html: bytes
    truth: str
    url: str | None


def pages(only: str | None) -> Iterator[Page]:
    if only in (None, "scrapinghub"):
        base = SHARED / "scrapinghub"
        truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
        for page_id, item in sorted(truth.items()):
            html = gzip.decompress((base / "html" / f"{page_id}.html.gz").read_bytes())
            yield Page("scrapinghub", page_id[:12], html, item["articleBody"], item.get("url"))
    if only in (None, "readability"):
        from bs4 import BeautifulSoup

        base = SHARED / "readability-pages" / "pages"
        for folder in sorted(p for p in base.iterdir() if p.is_dir()):
            html = gzip.decompress((folder / "source.html.gz").read_bytes())
            expected = gzip.decompress((folder / "expected.html.gz").read_bytes())
            truth = BeautifulSoup(expected, "lxml").get_text(" ")
            yield Page("readability", folder.name, html, truth, None)


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + size]) for i in range(max(0, len(tokens) - size + 1)))


def page_counts(truth: str, predicted: str) -> tuple[float, float, float]:
    expected, got = shingles(truth), shingles(predicted)
    tp = sum((expected & got).values())
    fp = sum((got - expected).values())
    fn = sum((expected - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def ours(page: Page) -> str:
    from verifier.text import UnreadableContent, main_text

    try:
        return main_text(page.html, "text/html", page.url).text
    except UnreadableContent:
        return ""


def plain_trafilatura(page: Page) -> str:
    import trafilatura

    return trafilatura.extract(page.html.decode("utf-8", "replace"), url=page.url) or ""


EXTRACTORS: dict[str, Callable[[Page], str]] = {
    "verifier.main_text": ours,
    "trafilatura (default)": plain_trafilatura,
}


def score_page(page: Page) -> dict[str, tuple[float, float, float, float]]:
    scored = {}
    for name, extractor in EXTRACTORS.items():
        started = time.perf_counter()
        text = extractor(page)
        elapsed = time.perf_counter() - started
        scored[name] = (*page_counts(page.truth, text), elapsed)
    return scored


def summary(counts: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    tp = sum(c[0] for c in counts)
    fp = sum(c[1] for c in counts)
    fn = sum(c[2] for c in counts)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, statistics.median(c[3] for c in counts) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["scrapinghub", "readability"])
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--worst", type=int, default=0, help="list the K lowest-recall pages")
    parser.add_argument("--jobs", type=int, default=2)
    arguments = parser.parse_args()
    if not SHARED.exists():
        print(f"{SHARED} not present", file=sys.stderr)
        return 1
    selected = list(pages(arguments.only))
    if arguments.limit:
        selected = selected[: arguments.limit]
    with ProcessPoolExecutor(arguments.jobs) as pool:
        results = list(pool.map(score_page, selected, chunksize=4))
    datasets = sorted({page.dataset for page in selected})
    print(
        f"{'dataset':<13} {'extractor':<22} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6} {'ms/page':>8}"
    )
    for dataset in [*datasets, "all"]:
        rows = [
            result
            for page, result in zip(selected, results, strict=True)
            if dataset in ("all", page.dataset)
        ]
        for name in EXTRACTORS:
            precision, recall, f1, median_ms = summary([row[name] for row in rows])
            print(
                f"{dataset:<13} {name:<22} {len(rows):>5} "
                f"{precision:>6.3f} {recall:>6.3f} {f1:>6.3f} {median_ms:>8.1f}"
            )
    if arguments.worst:
        name = "verifier.main_text"
        ranked = sorted(
            zip(selected, results, strict=True),
            key=lambda pair: pair[1][name][0] / max(1e-9, pair[1][name][0] + pair[1][name][2]),
        )
        print(f"\nlowest recall ({name}):")
        for page, result in ranked[: arguments.worst]:
            tp, fp, fn, _ = result[name]
            base_tp, _, base_fn, _ = result["trafilatura (default)"]
            base_recall = base_tp / max(1e-9, base_tp + base_fn)
            print(
                f"  {page.dataset:<12} {page.name:<24} R={tp / max(1e-9, tp + fn):.2f} "
                f"P={tp / max(1e-9, tp + fp):.2f}  trafilatura R={base_recall:.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
