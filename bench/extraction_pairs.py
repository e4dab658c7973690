"""Claim-extraction benchmark: (sentence, cited URL) pair precision and recall against
hand-checked labels, and the time to extract the shared wikitext articles.

    python bench/extraction_pairs.py [--shared ../shared] [--labels bench/labels]

Labels (bench/labels/*.json) name documents in ../shared by path and list, per document,
every footnoted claim sentence with what it cites: the URL as written, or "note: <text>"
for a note without a URL. A document may be limited to a line range ("lines": [a, b]);
then only claims whose marker is on those lines count, on both sides. A document marked
"urls_only" is labelled for URL pairs alone; its URL-less notes are not scored. A sentence matches
when it is equal after lower-casing and dropping everything but letters and digits, so
spacing and punctuation left by a removed marker do not count as errors.

Two figures per set: URL pairs (the issue's measure: sentence paired with the right URL)
and all pairs (URL-less notes included, which measures marker-to-note pairing).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from verifier.extract import extract_article, extract_source  # noqa: E402
from verifier.model import ExtractedClaim  # noqa: E402

Pair = tuple[str, str, str]  # (document, normalised sentence, cite key)


@dataclass
class Score:
    matched: int = 0
    predicted: int = 0
    expected: int = 0

    def add(self, predicted: Counter[Pair], expected: Counter[Pair]) -> None:
        self.matched += sum((predicted & expected).values())
        self.predicted += sum(predicted.values())
        self.expected += sum(expected.values())

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    def line(self) -> str:
        return (
            f"precision {self.precision:.3f} ({self.matched}/{self.predicted})  "
            f"recall {self.recall:.3f} ({self.matched}/{self.expected})"
        )


def normalise_sentence(sentence: str) -> str:
    folded = unicodedata.normalize("NFKC", sentence).lower()
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


def note_key(note: str) -> str:
    return "note: " + normalise_sentence(note)[:50].strip()


def cite_keys(claim: ExtractedClaim) -> list[str]:
    return [c.url if c.url else note_key(c.note) for c in claim.citations]


def markdown_it_case(path: Path, index: int, part: str = "markdown") -> str:
    """The Markdown input (or the expected HTML) of the index-th case of a markdown-it
    fixture file: title line, ".", input, ".", expected HTML, "."."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases: list[tuple[str, str]] = []
    position = 0
    while position < len(lines):
        if lines[position] == "." and position > 0:
            end = lines.index(".", position + 1)
            html_end = lines.index(".", end + 1)
            cases.append(
                (
                    "\n".join(lines[position + 1 : end]) + "\n",
                    "\n".join(lines[end + 1 : html_end]) + "\n",
                )
            )
            position = html_end + 1
            continue
        position += 1
    markdown, html = cases[index]
    return html if part == "html" else markdown


def extract_document(shared: Path, document: dict[str, object]) -> list[ExtractedClaim]:
    path = shared / str(document["path"])
    article_format = document.get("format")
    if "case" in document:
        part = str(article_format or "markdown")
        source = markdown_it_case(path, int(str(document["case"])), part)
        return list(extract_source(source, str(path), part).claims)
    if path.suffix == ".gz":
        source = gzip.decompress(path.read_bytes()).decode("utf-8")
        return list(extract_source(source, str(path), str(article_format or "html")).claims)
    if article_format:
        source = path.read_text(encoding="utf-8")
        return list(extract_source(source, str(path), str(article_format)).claims)
    return list(extract_article(path, str(path)).claims)


def in_range(line: int, document: dict[str, object]) -> bool:
    bounds = document.get("lines")
    if not isinstance(bounds, list):
        return True
    return int(bounds[0]) <= line <= int(bounds[1])


def document_id(document: dict[str, object]) -> str:
    return f"{document['path']}#{document.get('case', '')}{document.get('format') or ''}"


def score_set(shared: Path, label_file: Path) -> tuple[Score, Score, list[str]]:
    labels = json.loads(label_file.read_text(encoding="utf-8"))
    url_score, all_score = Score(), Score()
    misses: list[str] = []
    for document in labels["documents"]:
        doc = document_id(document)
        predicted: Counter[Pair] = Counter()
        for claim in extract_document(shared, document):
            if in_range(claim.line, document):
                for key in cite_keys(claim):
                    predicted[(doc, normalise_sentence(claim.text), key)] += 1
        expected: Counter[Pair] = Counter()
        for claim in document["claims"]:
            for key in claim["cites"]:
                cite = key if not key.startswith("note: ") else note_key(key[6:])
                expected[(doc, normalise_sentence(claim["sentence"]), cite)] += 1

        def urls_only(pairs: Counter[Pair]) -> Counter[Pair]:
            return Counter(
                {pair: n for pair, n in pairs.items() if not pair[2].startswith("note: ")}
            )

        if document.get("urls_only"):
            predicted = urls_only(predicted)  # the labels list URL pairs only
        url_score.add(urls_only(predicted), urls_only(expected))
        all_score.add(predicted, expected)
        for pair in (expected - predicted).elements():
            misses.append(f"  missed   {pair[0]}: {pair[1][:70]!r} -> {pair[2][:70]}")
        for pair in (predicted - expected).elements():
            misses.append(f"  spurious {pair[0]}: {pair[1][:70]!r} -> {pair[2][:70]}")
    return url_score, all_score, misses


def time_wikitext(shared: Path, repeats: int) -> tuple[float, int, int]:
    files = sorted((shared / "corpus" / "footnotes" / "wikitext" / "wikitext").glob("*.txt"))
    timings: list[float] = []
    claims = 0
    for _ in range(repeats):
        started = time.perf_counter()
        claims = sum(len(extract_article(path, path.name).claims) for path in files)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), len(files), claims


def time_cli(shared: Path, repeats: int) -> float | None:
    """Wall time of `verifier extract --format json` over the 71 articles, end to end
    (interpreter start, imports, JSON output), run in an empty folder so no ledger is touched."""
    files = sorted((shared / "corpus" / "footnotes" / "wikitext" / "wikitext").glob("*.txt"))
    command = [sys.executable, "-m", "verifier", "extract", "--format", "json", *map(str, files)]
    timings: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(repeats):
            started = time.perf_counter()
            completed = subprocess.run(
                command, cwd=folder, capture_output=True, check=False, env=_env_with_repo()
            )
            timings.append(time.perf_counter() - started)
            if completed.returncode != 0:
                print(completed.stderr.decode(errors="replace")[-500:], file=sys.stderr)
                return None
    return statistics.median(timings)


def _env_with_repo() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--labels", type=Path, default=REPO / "bench" / "labels")
    parser.add_argument("--repeats", type=int, default=3, help="timing runs (median reported)")
    parser.add_argument("--show-errors", action="store_true", help="list missed/spurious pairs")
    options = parser.parse_args()
    if not options.shared.exists():
        print(f"{options.shared} not found: the benchmark reads the shared corpus", file=sys.stderr)
        return 1
    total_url, total_all = Score(), Score()
    for label_file in sorted(options.labels.glob("*.json")):
        url_score, all_score, misses = score_set(options.shared, label_file)
        for total, part in ((total_url, url_score), (total_all, all_score)):
            total.matched += part.matched
            total.predicted += part.predicted
            total.expected += part.expected
        print(f"{label_file.stem:<15} URL pairs  {url_score.line()}")
        print(f"{'':<15} all pairs  {all_score.line()}")
        if options.show_errors and misses:
            print("\n".join(misses))
    print(f"{'TOTAL':<15} URL pairs  {total_url.line()}")
    print(f"{'':<15} all pairs  {total_all.line()}")
    median, files, claims = time_wikitext(options.shared, options.repeats)
    print(
        f"wikitext timing: {files} articles, {claims} claims, extraction "
        f"median {median:.2f} s over {options.repeats} runs"
    )
    cli = time_cli(options.shared, options.repeats)
    if cli is None:
        print("wikitext timing: `verifier extract --format json` failed (see stderr)")
    else:
        print(
            f"wikitext timing: `verifier extract --format json` on all {files}, end to end, "
            f"median {cli:.2f} s (target < 5 s)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
