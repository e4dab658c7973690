"""The `verifier` command: parse options, call the library, print, map errors to exit codes.

Nothing here decides anything about claims or sources; that lives in the library. Exit
codes (README): 0 gate passed, 1 unexpected error, 2 gate failed, 3 configuration or
input error (click's own usage errors included).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import click

from verifier import __version__, gate, match, pipeline, report
from verifier.archive import Archive
from verifier.errors import InputError, LedgerError, VerifierError
from verifier.extract import extract_article
from verifier.fetch import Fetcher
from verifier.ledger import Ledger
from verifier.model import (
    Capture,
    Claim,
    ExtractionWarning,
    FetchFailure,
    Finding,
    SourceResult,
    Verdict,
)

EXIT_OK = 0
EXIT_GATE_FAILED = 2
EXIT_INPUT_ERROR = 3


@dataclass(frozen=True)
class Console:
    """Where the CLI talks to people: stderr, honouring -q / -v."""

    verbosity: int = 0

    def info(self, message: str) -> None:
        if self.verbosity >= 0:
            click.echo(message, err=True)

    def detail(self, message: str) -> None:
        if self.verbosity > 0:
            click.echo(message, err=True)

    def warn(self, warning: ExtractionWarning) -> None:
        if self.verbosity >= 0:
            click.echo(f"{warning.article}:{warning.line}: warning: {warning.message}", err=True)

    def progress(self, total: int, label: str) -> Callable[[str, SourceResult], None] | None:
        """A per-source callback: a bar on a terminal, a line per source with -v, else nothing."""
        if self.verbosity < 0 or total == 0:
            return None
        if sys.stderr.isatty() and not os.environ.get("CI"):
            done = [0]

            def bar(url: str, result: SourceResult) -> None:
                done[0] += 1
                click.echo(f"\r{label} {done[0]}/{total}", err=True, nl=done[0] == total)

            return bar
        if self.verbosity > 0:

            def line(url: str, result: SourceResult) -> None:
                state = result.via if isinstance(result, Capture) else result.describe()
                click.echo(f"{label} {url}: {state}", err=True)

            return line
        return None


@dataclass(frozen=True)
class Context:
    ledger_path: Path
    console: Console

    @property
    def base_dir(self) -> Path:
        return self.ledger_path.parent

    def load_ledger(self, *, create: bool = False) -> Ledger:
        if not self.ledger_path.exists():
            if create:
                return Ledger.new(self.ledger_path)
            raise LedgerError(
                "no claims ledger here",
                path=str(self.ledger_path),
                hint="run `verifier extract ARTICLE...` to create one, or pass --ledger PATH",
            )
        return Ledger.load(self.ledger_path)


pass_context = click.make_pass_decorator(Context)

offline_option = click.option(
    "--offline", is_flag=True, help="Use only archived sources; never touch the network."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="verifier")
@click.option(
    "--ledger",
    "ledger_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default="claims.yaml",
    show_default=True,
    help="The claims ledger; reports/ and archive/ live beside it.",
)
@click.option("-q", "--quiet", count=True, help="Print only errors.")
@click.option("-v", "--verbose", count=True, help="Print each source as it is read.")
@click.pass_context
def cli(ctx: click.Context, ledger_path: Path, quiet: int, verbose: int) -> None:
    """Check that footnoted claims say what their cited sources say.

    Typical use, at the root of a repository with a claims.yaml: `verifier run`.
    """
    ctx.obj = Context(ledger_path=ledger_path, console=Console(verbosity=verbose - quiet))


@cli.command()
@click.argument("articles", nargs=-1)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
    help="yaml: update claims.yaml; json: print the claims to stdout and change nothing.",
)
@pass_context
def extract(ctx: Context, articles: tuple[str, ...], output_format: str) -> int:
    """Find footnoted claims in ARTICLES (default: claims.yaml `articles:`); update the ledger."""
    ledger = ctx.load_ledger(create=True)
    outcome = _extract(ctx, ledger, articles)
    if output_format == "json":
        names = {e.article for e in outcome.extractions}
        claims = [c for c in ledger.claims if c.article in names]
        _print_json([_claim_json(c) for c in claims])
        return EXIT_OK
    _save_ledger(ctx, ledger)
    ctx.console.info(
        f"extracted {outcome.claim_count} claims from {len(outcome.extractions)} articles "
        f"into {ctx.ledger_path}"
    )
    return EXIT_OK


@cli.command()
@click.option("--refresh", is_flag=True, help="Fetch again even what is already archived.")
@pass_context
def fetch(ctx: Context, refresh: bool) -> int:
    """Archive every cited source not yet archived."""
    ledger = ctx.load_ledger()
    sources = _fetch(ctx, ledger, offline=False, refresh=refresh)
    failed = sum(1 for s in sources.values() if isinstance(s, FetchFailure))
    ctx.console.info(
        f"{len(sources)} sources: {len(sources) - failed} readable, {failed} unavailable"
    )
    return EXIT_OK


@cli.command()
@offline_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="markdown: write reports/ only; json: also print results.json to stdout.",
)
@pass_context
def check(ctx: Context, offline: bool, output_format: str) -> int:
    """Score claims against their sources, write reports/, and exit by the gate."""
    ledger = ctx.load_ledger()
    return _check(ctx, ledger, offline=offline, output_format=output_format, warnings=())


@cli.command()
@click.argument("articles", nargs=-1)
@offline_option
@pass_context
def run(ctx: Context, articles: tuple[str, ...], offline: bool) -> int:
    """Extract, fetch and check: the whole pass. Exits 2 when the gate fails."""
    ledger = ctx.load_ledger(create=bool(articles))
    outcome = _extract(ctx, ledger, articles)
    _save_ledger(ctx, ledger)
    return _check(ctx, ledger, offline=offline, output_format="markdown", warnings=outcome.warnings)


@cli.command()
@click.option(
    "--input",
    "input_file",
    type=click.File("r", encoding="utf-8"),
    required=True,
    help='JSONL file of {"id", "claim", "source"} lines; - for stdin.',
)
def score(input_file: TextIO) -> int:
    """Score claims against given source texts (JSONL in, JSONL out); no fetching."""
    name = getattr(input_file, "name", "-")
    try:
        for record in match.score_records(input_file):
            click.echo(json.dumps(record, ensure_ascii=False))
    except InputError as error:
        if error.path is None:
            error.path = name
        raise
    return EXIT_OK


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help='json: one {"input", "text", "title"} line per input, in input order.',
)
@offline_option
@pass_context
def text(ctx: Context, inputs: tuple[str, ...], output_format: str, offline: bool) -> int:
    """Print the main text of PATH_OR_URL sources as the matcher sees it."""
    from verifier.fetch import read_text  # imported late: only this command needs it

    settings = ctx.load_ledger().settings if ctx.ledger_path.exists() else None
    failed = False
    for item in inputs:
        result = read_text(item, base_dir=Path.cwd(), settings=settings, offline=offline)
        if isinstance(result, FetchFailure):
            failed = True
            if output_format == "json":
                line = {"input": item, "text": "", "title": None, "error": result.describe()}
                click.echo(json.dumps(line, ensure_ascii=False))
            else:
                click.echo(f"{item}: unavailable: {result.describe()}", err=True)
        elif output_format == "json":
            line = {"input": item, "text": result.text, "title": result.title}
            click.echo(json.dumps(line, ensure_ascii=False))
        else:
            click.echo(result.text)
    return EXIT_INPUT_ERROR if failed else EXIT_OK


def _extract(ctx: Context, ledger: Ledger, articles: Sequence[str]) -> pipeline.ExtractOutcome:
    patterns = articles or ledger.articles
    paths = pipeline.resolve_articles(Path.cwd() if articles else ctx.base_dir, patterns)
    outcome = pipeline.extract_articles(paths, ctx.base_dir, extract_article)
    for extraction in outcome.extractions:
        ledger.merge(extraction)
    for warning in outcome.warnings:
        ctx.console.warn(warning)
    return outcome


def _save_ledger(ctx: Context, ledger: Ledger) -> None:
    ledger.save()
    ctx.console.detail(f"ledger: {ctx.ledger_path}")


def _fetch(
    ctx: Context, ledger: Ledger, *, offline: bool, refresh: bool
) -> dict[str, SourceResult]:
    settings = ledger.settings
    urls = pipeline.locations(ledger.claims, ctx.base_dir)
    fetcher = Fetcher(settings.fetch, Archive(ctx.base_dir / settings.archive_dir))
    label = "reading" if offline else "fetching"
    return fetcher.fetch_all(
        urls, offline=offline, refresh=refresh, progress=ctx.console.progress(len(urls), label)
    )


def _check(
    ctx: Context,
    ledger: Ledger,
    *,
    offline: bool,
    output_format: str,
    warnings: Sequence[ExtractionWarning],
) -> int:
    settings = ledger.settings
    sources = _fetch(ctx, ledger, offline=offline, refresh=False)
    findings = pipeline.check_claims(ledger.claims, sources, ctx.base_dir, match.assess)
    reports_dir = ctx.base_dir / settings.reports_dir
    report.write_reports(findings, reports_dir, warnings=warnings, generated_at=_now())
    if output_format == "json":
        _print_json(report.results_document(findings))
    result = gate.evaluate(findings, settings.policy)
    ctx.console.info(_summary(findings, reports_dir))
    if not result.passed:
        ctx.console.info(f"gate failed: {len(result.failing)} finding(s) fail the policy")
        for finding in result.failing:
            ctx.console.info(f"  {_where(finding)}: {finding.verdict.value}: {finding.claim.text}")
        return EXIT_GATE_FAILED
    return EXIT_OK


def _summary(findings: Sequence[Finding], reports_dir: Path) -> str:
    counts = {v: 0 for v in Verdict}
    for finding in findings:
        counts[finding.verdict] += 1
    parts = ", ".join(f"{n} {v.value}" for v, n in counts.items() if n)
    return f"{len(findings)} claims: {parts or 'none'}; report: {reports_dir / 'index.md'}"


def _where(finding: Finding) -> str:
    claim = finding.claim
    if claim.article is None:
        return claim.id
    return f"{claim.article}:{claim.line}" if claim.line else claim.article


def _claim_json(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "article": claim.article,
        "line": claim.line,
        "footnote": claim.footnote,
        "text": claim.text,
        "urls": list(claim.urls),
    }


def _print_json(document: Any) -> None:
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: run the CLI and turn every outcome into a documented exit code."""
    try:
        code = cli.main(args=argv, prog_name="verifier", standalone_mode=False)
    except click.UsageError as error:  # click exits 2 for these; 2 means "gate failed" here
        error.show()
        sys.exit(EXIT_INPUT_ERROR)
    except click.ClickException as error:
        error.show()
        sys.exit(EXIT_INPUT_ERROR)
    except click.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except VerifierError as error:
        click.echo(f"error: {error}", err=True)
        if error.hint:
            click.echo(f"hint: {error.hint}", err=True)
        sys.exit(error.exit_code)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
