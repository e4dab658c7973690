"""Incremental re-check benchmark (issue 6).

Generates a corpus of N Markdown articles x M footnoted claims, each citing its own local
source file (every tenth source gives a different number, so some claims are contradicted),
then measures, with the real CLI in subprocesses:

  1. a cold `verifier run` (extract + fetch + check);
  2. `verifier check` again with nothing changed (issue 6 target: under 2 s), median of R;
  3. after editing one sentence of one article, `verifier run`, and how many matcher
     results were computed and how many reused (from .verifier-cache/last-run.json, which
     `ResultCache.save` writes; "none" when the check scored nothing because it carried
     the last pass's findings, verifier/recheck.py).

and, in-process, the ledger and report stages on the same corpus: a cold ledger parse, a
cached load, one article's merge + save, and writing the reports for every claim.

    python bench/incremental_check.py [--articles 1000] [--claims 10] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from verifier.gate import evaluate
from verifier.ledger import Ledger
from verifier.ledger.reuse import ResultCache, last_run_stats
from verifier.model import Assessment, Capture, Evidence, Finding, SourceCheck, Verdict
from verifier.report import write_reports
from verifier.settings import Policy

ORGANISATIONS = ["council", "museum", "port authority", "university", "hospital", "library"]
CITIES = ["Port Ellery", "Valmora", "Kestrel Bay", "Ashby", "Lindholm", "Corran"]
THINGS = ["visitors", "students", "ships", "patients", "loans", "volunteers"]
FILLER = (
    "The figures were published in the annual review. Officials said the trend was expected. "
    "A spokesperson declined to comment on the details. The report runs to forty pages."
)


def claim_sentence(rng: random.Random, article: int, claim: int) -> tuple[str, int]:
    number = rng.randint(1_000, 90_000)
    year = 1990 + (article + claim) % 34
    organisation = ORGANISATIONS[(article + claim) % len(ORGANISATIONS)]
    city = CITIES[(article * 7 + claim) % len(CITIES)]
    things = THINGS[(article + 3 * claim) % len(THINGS)]
    text = f"In {year}, the {organisation} of {city} recorded {number:,} {things} (item {claim})."
    return text, number


def generate(root: Path, articles: int, claims: int) -> None:
    rng = random.Random(2026)
    (root / "articles").mkdir(parents=True)
    (root / "sources").mkdir()
    for article in range(articles):
        body = [f"# Article {article:04d}", "", "An introduction without footnotes.", ""]
        notes = []
        for claim in range(1, claims + 1):
            sentence, number = claim_sentence(rng, article, claim)
            body.append(f"{sentence}[^{claim}]")
            source_name = f"a{article:04d}-{claim:02d}.html"
            stated = number + 7 if claim == 10 else number  # every tenth: a different number
            source_sentence = sentence.replace(f"{number:,}", f"{stated:,}")
            (root / "sources" / source_name).write_text(
                f"<html><head><title>Report {article}-{claim}</title></head><body><article>"
                f"<h1>Report {article}-{claim}</h1><p>{FILLER}</p><p>{source_sentence}</p>"
                f"<p>{FILLER}</p></article></body></html>",
                encoding="utf-8",
            )
            notes.append(
                f"[^{claim}]: [Report {article}-{claim}](../sources/{source_name}), "
                "City Gazette, accessed 1 March 2024."
            )
        (root / "articles" / f"a{article:04d}.md").write_text(
            "\n".join([*body, "", *notes, ""]), encoding="utf-8"
        )
    (root / "claims.yaml").write_text(
        "articles: [articles/*.md]\nsettings:\n  fail_on: [contradicted]\nclaims: []\n",
        encoding="utf-8",
    )


def verifier(root: Path, *args: str) -> tuple[float, int, str]:
    command = [sys.executable, "-c", "from verifier.cli import main; main()", *args]
    environment = {**os.environ, "CI": "true"}
    environment.pop("GITHUB_ACTIONS", None)
    started = time.perf_counter()
    completed = subprocess.run(
        command, cwd=root, env=environment, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if completed.returncode not in (0, 2):
        sys.exit(f"verifier {' '.join(args)} exited {completed.returncode}:\n{completed.stderr}")
    return elapsed, completed.returncode, completed.stderr


def reuse_line(root: Path, before: float) -> str:
    stats_file = root / ".verifier-cache" / "last-run.json"
    stats = last_run_stats(root / "claims.yaml")
    if stats is None or stats_file.stat().st_mtime < before:
        return "computed/reused: none (nothing changed: the last pass's findings carried)"
    return f"computed {stats['misses']}, reused {stats['hits']}"


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def cli_section(root: Path, repeat: int) -> None:
    started = time.time()
    seconds, code, _ = verifier(root, "run")
    print(f"cold `verifier run`:                    {seconds:8.2f} s  (exit {code})")
    print(f"  {reuse_line(root, started)}")

    times = []
    for _ in range(repeat):
        started = time.time()
        seconds, code, _ = verifier(root, "check")
        times.append(seconds)
    print(
        f"`verifier check`, nothing changed:      {statistics.median(times):8.2f} s  "
        f"(median of {repeat}; target < 2 s)"
    )
    print(f"  {reuse_line(root, started)}")

    article = root / "articles" / "a0000.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("(item 3).", "(item 3, revised)."), encoding="utf-8")
    started = time.time()
    seconds, code, _ = verifier(root, "run")
    print(f"`verifier run` after editing 1 article: {seconds:8.2f} s  (exit {code})")
    print(f"  {reuse_line(root, started)}  (the edited article has one changed claim)")


def sample_findings(ledger: Ledger, root: Path) -> list[Finding]:
    """Findings shaped like a real run's: one local source each, with evidence."""
    findings = []
    for claim in ledger.claims:
        url = claim.urls[0]
        text = (root / url).read_text(encoding="utf-8")
        capture = Capture(url, url, 200, "2026-01-01T00:00:00Z", "text/html", "sha1:X", text)
        verdict = Verdict.CONTRADICTED if claim.footnote == "10" else Verdict.SUPPORTED
        evidence = Evidence(claim.text, 0, len(claim.text))
        assessment = Assessment(0.8, verdict, evidence)
        findings.append(
            Finding(claim, verdict, 0.8, (SourceCheck(url, capture, assessment),), evidence)
        )
    return findings


def library_section(root: Path, repeat: int) -> None:
    """The ledger, reuse and report stages alone, as a no-change `check` runs them."""
    ledger_path = root / "claims.yaml"
    original = ledger_path.read_text(encoding="utf-8")
    claims = len(Ledger.load(ledger_path).claims)
    os.environ["VERIFIER_NO_CACHE"] = "1"
    cold = median_seconds(lambda: Ledger.load(ledger_path), 1)
    del os.environ["VERIFIER_NO_CACHE"]
    Ledger.load(ledger_path)  # the cache now holds this text
    warm = median_seconds(lambda: Ledger.load(ledger_path).claims, repeat)
    ledger_path.write_text(original.replace("(item 5).", "(item 5, edited).", 1), "utf-8")
    edited = median_seconds(lambda: Ledger.load(ledger_path), 1)
    ledger_path.write_text(original, encoding="utf-8")
    print(
        f"ledger, {claims} claims: full parse {cold:.2f} s; cached load + claims "
        f"{warm:.2f} s; after a one-line hand edit {edited:.2f} s"
    )

    ledger = Ledger.load(ledger_path)
    findings = sample_findings(ledger, root)
    reuse_path = Path(tempfile.mkdtemp(prefix="verifier-reuse-")) / "results.json"
    first = ResultCache(reuse_path, version="bench")
    for finding in findings:
        check = finding.checks[0]
        assert isinstance(check.source, Capture) and check.assessment is not None
        first.put(finding.claim.text, check.source.text, check.assessment)
    first.save()

    def lookups() -> None:
        cache = ResultCache(reuse_path, version="bench")
        for finding in findings:
            source = finding.checks[0].source
            assert isinstance(source, Capture)
            assert cache.get(finding.claim.text, source.text) is not None

    reuse = median_seconds(lookups, repeat)
    shutil.rmtree(reuse_path.parent)
    print(f"result reuse: load + {len(findings)} lookups {reuse:.2f} s")

    reports = Path(tempfile.mkdtemp(prefix="verifier-reports-"))
    try:
        stamp = "2026-01-01T00:00:00Z"
        first_write = median_seconds(
            lambda: write_reports(findings, reports, generated_at=stamp), 1
        )
        unchanged = median_seconds(
            lambda: write_reports(findings, reports, generated_at=stamp), repeat
        )
        gating = median_seconds(lambda: evaluate(findings, Policy()), repeat)
        print(
            f"write_reports: first {first_write:.2f} s; unchanged {unchanged:.2f} s; "
            f"gate {gating * 1000:.0f} ms"
        )
    finally:
        shutil.rmtree(reports)
    total = warm + reuse + unchanged + gating
    print(f"these stages of a no-change check together: {total:.2f} s (of the 2 s budget)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--claims", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    parser.add_argument("--library-only", action="store_true", help="skip the CLI runs")
    options = parser.parse_args()

    root = options.keep or Path(tempfile.mkdtemp(prefix="verifier-incremental-"))
    try:
        started = time.perf_counter()
        generate(root, options.articles, options.claims)
        print(
            f"corpus: {options.articles} articles x {options.claims} claims in {root} "
            f"({time.perf_counter() - started:.1f} s to generate)"
        )
        if not options.library_only:
            cli_section(root, options.repeat)
        else:
            verifier(root, "extract")
        library_section(root, options.repeat)
    finally:
        if options.keep is None:
            shutil.rmtree(root)


if __name__ == "__main__":
    main()
