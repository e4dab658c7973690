"""`verifier run` on an article whose one unpunctuated line is 1 MB and 10 MB, per format.

The claim sentence is cut to MAX_CLAIM_CHARS with a warning; everything else the run does
(reading, extracting, splitting sentences, scoring against a local source, writing the
reports) must grow linearly with the article, so the 10 MB run should take about ten
times the 1 MB one. Markdown, HTML and rST articles cite a local source, so their claim is
scored; plain text and wikitext notes cite only URLs, not archived offline, so those rows
time everything but the matcher. Prints, per format, the median wall time of each size
(whole command, real process) and the ratio; also the same for `verifier score` on one
1 MB and one 10 MB claim.

    python bench/long_lines.py [--sizes 1000000 10000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SOURCE = "The towpath was rebuilt by volunteers of the trust and reopened to walkers in 2022.\n"

ARTICLES: dict[str, tuple[str, Callable[[str], str]]] = {
    "text": (".txt", lambda body: f"{body}[1]\n\nNotes\n\n[1] https://example.org/towpath\n"),
    "markdown": (".md", lambda body: f"{body}[^1]\n\n[^1]: [source](source.txt)\n"),
    "html": (
        ".html",
        lambda body: (
            f'<html><body><p>{body}<sup><a href="#n1">1</a></sup></p>'
            '<ol><li id="n1"><a href="source.txt">source</a></li></ol></body></html>\n'
        ),
    ),
    "wikitext": (".wiki", lambda body: f"{body}<ref>https://example.org/towpath</ref>\n"),
    "rst": (".rst", lambda body: f"{body} [#a]_\n\n.. [#a] `source <source.txt>`_\n"),
}


def body(size: int) -> str:
    """`size` characters of words with no sentence end: one line, one sentence."""
    words = "volunteers rebuilt the towpath of the canal trust and walkers came back "
    return (words * (size // len(words) + 1))[:size]


def timed(command: list[str], cwd: Path, stdin: bytes | None = None) -> float:
    start = time.perf_counter()
    completed = subprocess.run(
        command, cwd=cwd, input=stdin, capture_output=True, check=False, timeout=1800
    )
    elapsed = time.perf_counter() - start
    if completed.returncode not in (0, 2):
        raise SystemExit(f"{command} exited {completed.returncode}: {completed.stderr[-2000:]!r}")
    return elapsed


def median_run(article_format: str, size: int, repeat: int) -> float:
    suffix, make = ARTICLES[article_format]
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            (root / "source.txt").write_text(SOURCE, encoding="utf-8")
            (root / f"article{suffix}").write_text(make(body(size)), encoding="utf-8")
            command = [sys.executable, "-m", "verifier", "run", "--offline", f"article{suffix}"]
            times.append(timed(command, root))
    return statistics.median(times)


def median_score(size: int, repeat: int) -> float:
    record = json.dumps({"id": 1, "claim": body(size), "source": SOURCE}).encode("utf-8")
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            command = [sys.executable, "-m", "verifier", "score", "--input", "-"]
            times.append(timed(command, Path(folder), stdin=record))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    small, large = arguments.sizes
    print(f"median of {arguments.repeat} whole-command runs; ideal ratio {large / small:.0f}")
    print(f"{'input':10} {small:>12,} ch {large:>12,} ch  ratio")
    for article_format in ARTICLES:
        first = median_run(article_format, small, arguments.repeat)
        second = median_run(article_format, large, arguments.repeat)
        print(f"{article_format:10} {first:13.2f} s {second:13.2f} s  {second / first:5.1f}")
    first, second = median_score(small, arguments.repeat), median_score(large, arguments.repeat)
    print(f"{'score':10} {first:13.2f} s {second:13.2f} s  {second / first:5.1f}")


if __name__ == "__main__":
    main()
