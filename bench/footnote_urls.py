"""Extraction cost against the number of URLs one footnote cites (issue 14).

For each size, a generated Markdown article with one footnoted sentence whose note cites
that many URLs (half originals, half their Wayback copies) goes through what `verifier
extract` does: read and extract the article, merge it into a new claims.yaml, save. Prints
the median seconds of R repeats per size, the microseconds per URL and each size's time
as a multiple of the smallest: linear work gives multiples equal to the size ratios.

    python bench/footnote_urls.py [--sizes 1000 2000 4000] [--repeat 5] [--format markdown]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from verifier.extract import extract_article
from verifier.ledger import Ledger

SENTENCE = "The harbour bridge opened in 1932."
SUFFIXES = {"markdown": ".md", "text": ".txt", "html": ".html", "rst": ".rst", "wikitext": ".wiki"}


def cited_urls(count: int) -> list[str]:
    urls: list[str] = []
    for number in range(count // 2):
        page = f"https://news.example.org/story/{number}?utm_source=feed"
        urls += [page, f"https://web.archive.org/web/2020/{page}"]
    return urls


def article_text(article_format: str, urls: list[str]) -> str:
    spaced = " ".join(urls)
    if article_format == "markdown":
        return f"{SENTENCE}[^1]\n\n[^1]: {spaced}\n"
    if article_format == "text":
        return f"{SENTENCE}[1]\n\nNotes\n\n1. {spaced}\n"
    if article_format == "html":
        links = " ".join(f'<a href="{url}">{url}</a>' for url in urls)
        return f'<p>{SENTENCE}<sup><a href="#n1">1</a></sup></p><ol><li id="n1">{links}</li></ol>'
    if article_format == "rst":
        return f"{SENTENCE} [1]_\n\n.. [1] {spaced}\n"
    return SENTENCE + "<ref>" + " ".join(f"[{url} copy]" for url in urls) + "</ref>\n"


def extract_once(folder: Path, article: Path) -> int:
    """What `verifier extract ARTICLE` does, into a fresh claims.yaml; returns how many
    sources the claim lists (the originals: each Wayback copy rides with its original)."""
    ledger_path = folder / "claims.yaml"
    ledger_path.unlink(missing_ok=True)
    ledger = Ledger.new(ledger_path)
    ledger.merge(extract_article(article, article.name))
    ledger.save()
    return sum(len(claim.urls) for claim in ledger.claims)


def measure(size: int, article_format: str, repeat: int) -> float:
    with tempfile.TemporaryDirectory(prefix="verifier-urls-") as name:
        folder = Path(name)
        article = folder / f"article{SUFFIXES[article_format]}"
        article.write_text(article_text(article_format, cited_urls(size)), encoding="utf-8")
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            urls = extract_once(folder, article)
            times.append(time.perf_counter() - started)
        if urls != size // 2:
            sys.exit(f"expected {size // 2} sources in claims.yaml, found {urls}")
        return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--format", dest="article_format", choices=sorted(SUFFIXES))
    arguments = parser.parse_args()
    formats = [arguments.article_format] if arguments.article_format else ["markdown"]
    for article_format in formats:
        results = [
            (size, measure(size, article_format, arguments.repeat)) for size in arguments.sizes
        ]
        base_size, base_seconds = results[0]
        print(f"one footnote citing N URLs ({article_format}, median of {arguments.repeat}):")
        for size, seconds in results:
            print(
                f"  {size:6d} URLs: {seconds:7.3f} s  {1e6 * seconds / size:7.1f} us/URL  "
                f"x{seconds / base_seconds:5.2f} for x{size / base_size:.0f} URLs"
            )


if __name__ == "__main__":
    main()
