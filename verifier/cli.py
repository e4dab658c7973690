"""The `verifier` command: parse options, call the library, print, map errors to exit codes.

Nothing here decides anything about claims or sources; that lives in the library. Exit
codes (README): 0 gate passed, 1 unexpected error, 2 gate failed, 3 configuration or
input error (click's own usage errors included).
"""

from __future__ import annotations

import functools
import json
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from verifier import __version__, cluster, gate, interrupts, pipeline, report, runlock
from verifier.articles import (
    empty_run_problems,
    not_article_warnings,
    own_paths,
    refuse_empty_run_under_ci,
    resolve_articles,
)
from verifier.changes import changed_files
from verifier.cluster import ClusterSpec
from verifier.dump import passes, shards
from verifier.errors import InputError, LedgerError, RecordError, VerifierError
from verifier.extract import extract_article
from verifier.files import check_folder, open_input, read_lines, write_atomically
from verifier.ledger import Ledger
from verifier.ledger.acceptance import accept_with_pin, unpinned_warnings
from verifier.ledger.config import layered_settings, unknown_environment_variables
from verifier.model import (
    Capture,
    Claim,
    Extraction,
    ExtractionWarning,
    FetchFailure,
    Finding,
    SourceResult,
    Status,
)
from verifier.progress import ProgressLine
from verifier.recheck import LastPass, PassMemo
from verifier.report.facts import Findings, SpilledFindings
from verifier.report.formats import OutputFormat, render
from verifier.report.github import github_outputs, running_in_github_actions, warning_annotation
from verifier.report.inert import inert, json_reference, one_line
from verifier.report.locations import Locations
from verifier.report.results import verdict_tally
from verifier.repository import (
    LEDGER_VARIABLE,
    Boundary,
    find_ledger,
    path_in_repository,
    repository_root,
)
from verifier.settings import Settings
from verifier.spill import Spill, spill_folder
from verifier.stages import CapturedTexts, StageConfig, Stages

if TYPE_CHECKING:
    from verifier.archive import Archive

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_GATE_FAILED = 2
EXIT_INPUT_ERROR = 3
DUMP_DIR = "dump"
"""Where `--dump` writes its claim and result shards, beside claims.yaml."""

F = TypeVar("F", bound=Callable[..., Any])


def say(message: str, *, err: bool = True) -> None:
    """Print one message; under GitHub Actions no line of it can be a workflow command."""
    click.echo(inert(message) if running_in_github_actions(os.environ) else message, err=err)


@dataclass
class Console:
    """Where the CLI talks to people: stderr, honouring -q / -v."""

    verbosity: int = 0

    def info(self, message: str) -> None:
        if self.verbosity >= 0:
            say(message)

    def essential(self, message: str) -> None:
        """What even -q shows: why the run failed."""
        say(message)

    def detail(self, message: str) -> None:
        if self.verbosity > 0:
            say(message)

    def warn(self, warning: ExtractionWarning, *, file: str | None = None) -> None:
        """`file`: the warning's file as the forge names it; under GitHub Actions the
        warning is then an annotation on that line."""
        if self.verbosity < 0:
            return
        if file is not None and running_in_github_actions(os.environ):
            click.echo(warning_annotation(warning, file), err=True)
        else:
            say(one_line(f"{warning.article}:{warning.line}: warning: {warning.message}"))

    def progress(self, total: int, label: str) -> Callable[[str, SourceResult], None] | None:
        """A per-source callback: a bar on a terminal (not in CI), a line per source with
        -v, else nothing."""
        if self.verbosity > 0 and total:

            def line(url: str, result: SourceResult) -> None:
                state = result.via if isinstance(result, Capture) else result.describe()
                say(one_line(f"{label} {url}: {state}"))

            return line
        step = self.counter(total, label)
        return None if step is None else lambda url, result: step()

    def counter(self, total: int, label: str) -> Callable[[], None] | None:
        """A step callback: on a terminal a bar with counts, rate and time left, redrawn in
        place; in CI or a log a plain line every few seconds; None with -q or -v."""
        line = self._line(total, label)
        return None if line is None else line.step

    def counts(self, total: int, label: str) -> Callable[[int], None] | None:
        """`counter` taking how many steps were done (a cluster's partitions finish a
        batch at a time)."""
        line = self._line(total, label)
        return None if line is None else line.step

    def _line(self, total: int, label: str) -> ProgressLine | None:
        if self.verbosity != 0 or total == 0:
            return None
        terminal = sys.stderr.isatty() and not os.environ.get("CI")
        line = ProgressLine(
            label,
            total,
            lambda text, newline: click.echo(text, err=True, nl=newline),
            terminal=terminal,
        )
        return line


@dataclass
class Context:
    ledger_path: Path = Path("claims.yaml")
    console: Console = field(default_factory=Console)

    def warn(self, warning: ExtractionWarning) -> None:
        """A warning about an article or claims.yaml (`warning.article` is relative to the
        ledger's folder, or absolute)."""
        file = path_in_repository(self.base_dir / warning.article)
        self.console.warn(warning, file=file)

    def locations(self, ledger: Ledger, hand_written: set[str] | None = None) -> Locations:
        """Where findings are, as the forge names paths: relative to the repository root.
        `hand_written`: the ids of the claims without an article, when already known."""
        # Only a hand-written claim is located by its line in claims.yaml.
        if hand_written is None:
            hand_written = {c.id for c in ledger.each_claim() if c.article is None}
        return self.located(ledger.field_lines("text", hand_written) if hand_written else {})

    def located(self, ledger_lines: dict[str, int]) -> Locations:
        """`locations`, given the claims.yaml line of each hand-written claim."""
        root = repository_root(self.base_dir)
        return Locations(
            ledger=path_in_repository(self.ledger_path),
            ledger_lines=ledger_lines,
            root=root.as_posix() if root is not None else None,
        )

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

    def check_folders(self, settings: Settings, *, reports: bool) -> None:
        """Before any work: the archive folder (and reports/) must be usable folders."""
        check_folder(self.base_dir / settings.archive_dir, setting="archive_dir")
        if reports:
            check_folder(self.base_dir / settings.reports_dir, setting="reports_dir")

    def run_lock(self) -> AbstractContextManager[None]:
        return runlock.exclusive(
            self.base_dir.resolve(),
            on_wait=lambda: self.console.info(
                f"waiting for another verifier command working in {self.base_dir.resolve()}"
            ),
        )

    def settings(self, ledger: Ledger, **flags: object) -> Settings:
        """Packaged defaults < claims.yaml < VERIFIER_* environment < these flags."""
        for name in unknown_environment_variables(os.environ):
            self.console.info(f"warning: {name} names no setting; it is ignored")
        return layered_settings(ledger.settings, environ=os.environ, flags=flags)


pass_context = click.make_pass_decorator(Context)


def holds_run_lock(command: F) -> F:
    """Run the command holding the ledger folder's lock: one writing run at a time."""

    @functools.wraps(command)
    def locked(ctx: Context, *args: Any, **kwargs: Any) -> Any:
        with ctx.run_lock():
            return command(ctx, *args, **kwargs)

    return locked  # type: ignore[return-value]


def _adjust_verbosity(amount: int) -> Callable[[click.Context, click.Parameter, int], None]:
    def callback(ctx: click.Context, param: click.Parameter, count: int) -> None:
        if count:
            ctx.ensure_object(Context).console.verbosity += amount * count

    return callback


def verbosity_options(command: F) -> F:
    """-q / -v, accepted before or after the command name."""
    command = click.option(
        "-q",
        "--quiet",
        count=True,
        expose_value=False,
        callback=_adjust_verbosity(-1),
        help="Print only errors.",
    )(command)
    return click.option(
        "-v",
        "--verbose",
        count=True,
        expose_value=False,
        callback=_adjust_verbosity(1),
        help="Print each source as it is read.",
    )(command)


def format_option(choices: Sequence[str], help_text: str) -> Callable[[F], F]:
    """--format, passed as `output_format`; the first choice is the default."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help=help_text,
    )


offline_option = click.option(
    "--offline", is_flag=True, help="Use only archived sources; never touch the network."
)


def gate_options(command: F) -> F:
    """What a check reports and what fails it: shared by `check` and `run`."""
    for option in reversed(
        [
            format_option(
                [f.value for f in OutputFormat],
                "Also print the results to stdout as json, sarif (2.1.0) or junit (XML); "
                "reports/ is always written.",
            ),
            click.option(
                "--fail-on",
                metavar="VERDICTS",
                help="Comma-separated verdicts that fail the run "
                "(overrides settings.fail_on; default contradicted,unsupported).",
            ),
            click.option(
                "--min-score",
                type=click.FloatRange(0, 1),
                help="Also fail supported or partial claims scoring below this.",
            ),
            click.option(
                "--changed-since",
                metavar="REF",
                help="Check only the claims of articles changed since this git ref "
                "(hand-written claims when claims.yaml changed).",
            ),
            offline_option,
            click.option(
                "--cluster",
                metavar="local:N|tcp://HOST:PORT",
                help="Score on a Dask cluster: N local worker processes, or an existing "
                "scheduler (needs the cluster extra; also VERIFIER_CLUSTER, settings.cluster).",
            ),
        ]
    ):
        command = option(command)
    return command


class _Interrupted(Exception):
    """Ctrl-C or SIGTERM in a command, carried past click to `main`, which says so in one
    line (click would print a blank line first and raise Abort)."""


class _Commands(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as interrupt:
            raise _Interrupted() from interrupt


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="verifier")
@click.option(
    "--ledger",
    "ledger_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"The claims ledger; reports/ and archive/ live beside it. Default: ${LEDGER_VARIABLE}, "
    "else claims.yaml here or in the nearest folder above, up to the repository root.",
)
@verbosity_options
@click.pass_context
def cli(ctx: click.Context, ledger_path: Path | None) -> None:
    """Check that footnoted claims say what their cited sources say.

    Typical use, anywhere in a repository with a claims.yaml: `verifier run`.
    Exit codes: 0 passed, 1 unexpected error, 2 gate failed, 3 input or configuration error.
    """
    ctx.ensure_object(Context).ledger_path = ledger_path or find_ledger(Path.cwd(), os.environ)


dump_option = click.option(
    "--dump",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    metavar="FILE.xml[.bz2]",
    help="Read a MediaWiki XML export instead: claims go to JSONL shards in dump/ beside "
    "claims.yaml (with a manifest.json), not to claims.yaml.",
)


@cli.command()
@click.argument("articles", nargs=-1)
@dump_option
@format_option(
    ["yaml", "json"],
    "yaml: update claims.yaml; json: print the claims to stdout and change nothing.",
)
@verbosity_options
@pass_context
def extract(ctx: Context, articles: tuple[str, ...], dump: Path | None, output_format: str) -> int:
    """Find footnoted claims in ARTICLES (default: claims.yaml `articles:`); update the ledger."""
    if dump is not None:
        with ctx.run_lock():
            summary = passes.extract_dump(dump, ctx.base_dir / DUMP_DIR)
        ctx.console.info(_dump_extract_line(summary, ctx.base_dir / DUMP_DIR))
        return EXIT_OK
    if output_format == "json":
        ledger = ctx.load_ledger(create=True)
        outcome = _extract(ctx, ledger, ctx.settings(ledger), articles)
        names = set(outcome.articles)
        _print_json([_claim_json(c) for c in ledger.claims if c.article in names])
        return EXIT_OK
    with ctx.run_lock():
        ledger = ctx.load_ledger(create=True)
        outcome = _extract(ctx, ledger, ctx.settings(ledger), articles)
        ledger.save()
    ctx.console.info(
        f"{outcome.claim_count} claims in {len(outcome.articles)} article(s); "
        f"ledger: {ctx.ledger_path}"
    )
    return EXIT_OK


@cli.command()
@click.option("--refresh", is_flag=True, help="Fetch again even what is already archived.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), help="Seconds per URL.")
@verbosity_options
@pass_context
@holds_run_lock
def fetch(ctx: Context, refresh: bool, timeout: float | None) -> int:
    """Archive every cited source not yet archived."""
    ledger = ctx.load_ledger()
    settings = ctx.settings(ledger, timeout=timeout)
    ctx.check_folders(settings, reports=False)
    locate = pipeline.SourceLocator(ctx.base_dir)
    urls = pipeline.locations(ledger.claims, locate)
    config = StageConfig.for_ledger(ctx.ledger_path, settings, offline=False)
    with Stages(config) as stages:
        failed = stages.fetcher.archive_all(
            urls,
            refresh=refresh,
            progress=ctx.console.progress(len(urls), "fetching"),
            accessed=pipeline.access_dates(ledger.claims, locate),
            settle=True,  # nothing reads the pages after: say here which are unavailable
        )
    for failure in failed.values():
        ctx.console.detail(f"unavailable: {failure.url}: {failure.describe()}")
    ctx.console.info(
        f"{len(urls)} sources: {len(urls) - len(failed)} readable, {len(failed)} unavailable"
    )
    return EXIT_OK


@cli.command()
@gate_options
@verbosity_options
@pass_context
@holds_run_lock
def check(
    ctx: Context,
    offline: bool,
    output_format: str,
    fail_on: str | None,
    min_score: float | None,
    changed_since: str | None,
    cluster: str | None,
) -> int:
    """Score claims against their sources, write reports/, and exit by the gate."""
    ledger = ctx.load_ledger()
    settings = ctx.settings(ledger, fail_on=fail_on, min_score=min_score, cluster=cluster)
    ctx.check_folders(settings, reports=True)
    scope = _scope(ctx, changed_since)
    reading = _read_for_check(ctx, ledger, settings, scope, offline)
    del ledger  # a check only reads it
    return _check(ctx, reading, settings, scope, offline, OutputFormat(output_format), ())


@cli.command()
@click.argument("articles", nargs=-1)
@dump_option
@gate_options
@verbosity_options
@pass_context
@holds_run_lock
def run(
    ctx: Context,
    articles: tuple[str, ...],
    dump: Path | None,
    offline: bool,
    output_format: str,
    fail_on: str | None,
    min_score: float | None,
    changed_since: str | None,
    cluster: str | None,
) -> int:
    """Extract, fetch and check: the whole pass. Exits 2 when the gate fails."""
    ledger = ctx.load_ledger(create=bool(articles) or dump is not None)
    settings = ctx.settings(ledger, fail_on=fail_on, min_score=min_score, cluster=cluster)
    ctx.check_folders(settings, reports=True)
    if dump is not None:
        return _run_dump(ctx, settings, dump, offline)
    scope = _scope(ctx, changed_since)
    # Only the warnings are kept of the extraction: its claims are in the ledger now.
    warnings = _extract(ctx, ledger, settings, articles, scope).warnings
    ledger.save()
    reading = _read_for_check(ctx, ledger, settings, scope, offline)
    del ledger  # saved: the check only reads it
    return _check(ctx, reading, settings, scope, offline, OutputFormat(output_format), warnings)


@cli.command()
@click.argument("claim_id", metavar="ID")
@click.option("--note", required=True, help="Why the finding is acceptable (kept in claims.yaml).")
@verbosity_options
@pass_context
@holds_run_lock
def accept(ctx: Context, claim_id: str, note: str) -> int:
    """Accept the finding on claim ID as the last report shows it: it stops failing the gate
    until the claim or its source changes."""
    ledger = ctx.load_ledger()
    reports_dir = ctx.base_dir / ctx.settings(ledger).reports_dir
    claim = accept_with_pin(ledger, claim_id, note, reports_dir / "results.json")
    ledger.save()
    ctx.console.info(f"accepted {claim.id} as of the last report")
    return EXIT_OK


@cli.command()
@click.option(
    "--input",
    "input_path",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    required=True,
    help='JSONL file of {"id", "claim", "source"} lines; - for stdin.',
)
@verbosity_options
@pass_context
def score(ctx: Context, input_path: Path) -> int:
    """Score claims against given source texts (JSONL in, JSONL out); no fetching.

    A malformed line gives an error line {"id", "line", "error"} and the batch goes on;
    exits 3 when any line was malformed."""
    from verifier import match
    from verifier.match.records import MAX_RECORD_BYTES

    name = "<stdin>" if str(input_path) == "-" else str(input_path)
    failed = False

    def warn(line: int, message: str) -> None:
        ctx.console.warn(ExtractionWarning(name, line, message))

    hint = "name a regular file, or pipe the records in with --input -"
    with open_input(input_path, display=name, hint=hint) as stream:
        for outcome in match.score_records(read_lines(stream, MAX_RECORD_BYTES), warn):
            if isinstance(outcome, RecordError):
                failed = True
                outcome.path = name
                click.echo(_json_line(match.error_record(outcome)))
                say(f"error: {outcome}")
            else:
                click.echo(_json_line(outcome))
    return EXIT_INPUT_ERROR if failed else EXIT_OK


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="PATH_OR_URL...")
@format_option(
    ["text", "json"], 'json: one {"input", "text", "title"} line per input, in input order.'
)
@offline_option
@pass_context
def text(ctx: Context, inputs: tuple[str, ...], output_format: str, offline: bool) -> int:
    """Print the main text of sources as the matcher sees it (archived copy first).

    Exits 3 when any input could not be read."""
    from verifier.fetch import read_text

    settings = ctx.settings(ctx.load_ledger()) if ctx.ledger_path.exists() else Settings()
    check_folder(Path.cwd() / settings.archive_dir, setting="archive_dir")
    failed = False
    for item in inputs:
        result = read_text(item, project_dir=ctx.base_dir, settings=settings, offline=offline)
        if isinstance(result, FetchFailure):
            failed = True
            if output_format == "json":
                line = {"input": item, "text": "", "title": None, "error": result.describe()}
                click.echo(_json_line(line))
            else:
                say(one_line(f"{item}: unavailable: {result.describe()}"))
        elif output_format == "json":
            line = {"input": item, "text": result.text, "title": result.title}
            click.echo(_json_line(line))
        else:
            say(result.text, err=False)
    return EXIT_INPUT_ERROR if failed else EXIT_OK


@cli.group()
def archive() -> None:
    """Inspect and export the source archive (archive/ beside claims.yaml)."""


@archive.command("verify")
@verbosity_options
@pass_context
def archive_verify(ctx: Context) -> int:
    """Re-read every WARC record, re-check its digests, and check the index against the
    WARC files.

    Exits 3 when a problem is found."""
    with _open_archive(ctx) as store:
        result = store.verify()
    for problem in result.problems:
        say(one_line(f"problem: {problem}"))
    ctx.console.info(
        f"{result.files} WARC files, {result.records} records, {result.entries} index entries: "
        + ("ok" if result.ok else f"{len(result.problems)} problem(s)")
    )
    if result.index_problems:
        ctx.console.info("hint: `verifier archive reindex` rebuilds the index from the WARC files")
    return EXIT_OK if result.ok else EXIT_INPUT_ERROR


@archive.command("reindex")
@verbosity_options
@pass_context
@holds_run_lock
def archive_reindex(ctx: Context) -> int:
    """Rebuild archive/index.jsonl from the WARC files (after `archive verify` finds it
    damaged, missing or incomplete)."""
    from verifier.archive.store import INDEX_FILE

    with _open_archive(ctx) as store:
        result = store.reindex()
    for damage in result.damaged:
        say(one_line(f"problem: {damage} (its fetches before the damage are indexed)"))
    ctx.console.info(
        f"rebuilt {store.root / INDEX_FILE}: {result.entries} fetches from {result.files} "
        "WARC files"
    )
    return EXIT_OK


@archive.command("export")
@click.argument("destination", metavar="FILE.wacz", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE.wacz if it exists.")
@verbosity_options
@pass_context
def archive_export(ctx: Context, destination: Path, force: bool) -> int:
    """Write the archive as a WACZ package (open it in ReplayWeb.page or pywb).

    Never replaces the ledger or an article; an existing FILE.wacz only with --force."""
    protected = [ctx.ledger_path]
    if ctx.ledger_path.exists():
        ledger = ctx.load_ledger()
        protected += [ctx.base_dir / c.article for c in ledger.claims if c.article is not None]
    settings = ctx.settings(ctx.load_ledger()) if ctx.ledger_path.exists() else Settings()
    from verifier.fetch import Fetcher  # the HTTP client loads only for commands that use it

    # The Fetcher only derives the text of captures archived unread: no network.
    with _open_archive(ctx) as store, Fetcher(settings.fetch, store) as reader:
        summary = store.export_wacz(
            destination, force=force, protected=protected, unread=reader.page_of
        )
    ctx.console.info(summary.describe())
    return EXIT_OK


def _open_archive(ctx: Context) -> Archive:
    from verifier.archive import Archive  # the WARC code loads only for archive commands

    settings = ctx.settings(ctx.load_ledger()) if ctx.ledger_path.exists() else Settings()
    root = ctx.base_dir / settings.archive_dir
    if not root.is_dir():
        raise InputError(
            "no archive here", path=str(root), hint="run `verifier fetch` to create it"
        )
    return Archive(root)


def _refuse_a_damaged_index(store: Archive) -> None:
    """Offline, sources are found only through the index: a damaged one would turn every
    claim `unavailable` and let the gate pass. Say so instead."""
    from verifier.archive.store import INDEX_FILE

    damage = store.index_damage()
    if damage:
        more = f" (and {len(damage) - 1} more problems)" if len(damage) > 1 else ""
        raise InputError(
            f"the archive's index is damaged: {damage[0]}{more}",
            path=str(store.root / INDEX_FILE),
            hint="`verifier archive reindex` rebuilds it from the WARC files; "
            "`verifier archive verify` lists every problem",
        )


def _scope(ctx: Context, changed_since: str | None) -> set[str | None] | None:
    if changed_since is None:
        return None
    changed = changed_files(changed_since, ctx.base_dir)
    scope = pipeline.changed_scope(changed, ctx.ledger_path.name)
    ctx.console.detail(f"changed since {changed_since}: {len(changed)} file(s)")
    return scope


def _extract(
    ctx: Context,
    ledger: Ledger,
    settings: Settings,
    articles: Sequence[str],
    scope: set[str | None] | None = None,
) -> pipeline.ExtractOutcome:
    """Extract and merge; raises InputError (nothing saved) for an empty run under CI."""
    base = Path.cwd() if articles else ctx.base_dir
    own = own_paths(ctx.ledger_path, settings, os.environ)
    # What claims.yaml names is read only inside the repository; the command line is the user's.
    boundary = None if articles else Boundary.of(ctx.base_dir, settings.fetch.allow_paths)
    selection = resolve_articles(base, articles or ledger.articles, own=own, boundary=boundary)
    for line in not_article_warnings(selection, base):
        ctx.console.info(f"warning: {line}")
    paths = selection.paths
    if scope is not None:
        paths = [p for p in paths if pipeline.display_path(p, ctx.base_dir) in scope]
    merge_warnings: list[ExtractionWarning] = []

    def merge(extraction: Extraction) -> None:
        merge_warnings.extend(ledger.merge(extraction).warnings)

    # Each article is merged as soon as it is extracted; the warnings are printed after the
    # last one, as when every article was extracted first (an unreadable article stops the
    # run before any of them is printed, and nothing is saved).
    outcome = pipeline.extract_articles(paths, ctx.base_dir, extract_article, merge)
    for warning in merge_warnings:
        ctx.warn(warning)
    for warning in outcome.warnings:
        ctx.warn(warning)
    source = "the command line" if articles else f"{ctx.ledger_path.name} `articles:`"
    from_articles = sum(1 for claim in ledger.each_claim() if claim.article is not None)
    problems = empty_run_problems(selection, from_articles, source=source)
    for problem in problems:
        ctx.console.info(f"warning: {problem}")
    refuse_empty_run_under_ci(problems, settings, os.environ, ctx.ledger_path)
    return outcome


@dataclass(frozen=True)
class LedgerReading:
    """What a check reads of the ledger: taken before the pass, so the ledger (every entry's
    text and values) need not stay in memory beside the findings. The claims are spilled
    to disk (`Spill`): the pass reads them a batch at a time."""

    claims: Spill[Claim]
    unpinned: list[ExtractionWarning]
    locations: Locations
    memo: PassMemo | None
    """Where the pass saves the key of its inputs, for the next (`recheck`)."""

    @classmethod
    def of(
        cls,
        ctx: Context,
        ledger: Ledger,
        scope: set[str | None] | None,
        memo: PassMemo | None = None,
    ) -> LedgerReading:
        # One read of the ledger's claims (each is made from its entry's values) for all three.
        claims: Spill[Claim] = Spill(spill_folder(ctx.ledger_path))
        accepted: list[Claim] = []
        hand_written: set[str] = set()
        try:
            for claim in ledger.each_claim():
                if claim.status is Status.ACCEPTED:
                    accepted.append(claim)
                if claim.article is None:
                    hand_written.add(claim.id)
                if scope is None or claim.article in scope:
                    claims.append(claim)
            return cls(
                claims=claims,
                unpinned=unpinned_warnings(ledger, ctx.ledger_path.name, accepted),
                locations=ctx.locations(ledger, hand_written),
                memo=memo,
            )
        except BaseException:
            claims.close()
            raise


@dataclass(frozen=True)
class Unchanged:
    """A check whose inputs are all as the last pass found them, and reports/ as it left
    them (`recheck`): that pass's findings are carried from reports/results.json."""

    memo: PassMemo
    last: LastPass
    ledger: Ledger
    """Kept for a full pass, should the last results not carry whole (`CarriedShort`)."""


def _read_for_check(
    ctx: Context,
    ledger: Ledger,
    settings: Settings,
    scope: set[str | None] | None,
    offline: bool,
) -> LedgerReading | Unchanged:
    """What a check reads of the ledger; or, for a whole check of unchanged inputs, only
    that (the claims are not even read)."""
    memo = None
    if scope is None:  # a --changed-since run is a pass over part of the ledger
        memo = PassMemo.of(ctx.ledger_path, ledger.content_key, settings, offline=offline)
    last = memo.unchanged() if memo is not None else None
    if memo is not None and last is not None:
        return Unchanged(memo, last, ledger)
    return LedgerReading.of(ctx, ledger, scope, memo)


def _check(
    ctx: Context,
    reading: LedgerReading | Unchanged,
    settings: Settings,
    scope: set[str | None] | None,
    offline: bool,
    output_format: OutputFormat,
    warnings: Sequence[ExtractionWarning],
) -> int:
    config = StageConfig.for_ledger(ctx.ledger_path, settings, offline=offline)
    if isinstance(reading, Unchanged):
        last = reading.last
        for warning in last.warnings:
            ctx.warn(warning)
        try:
            # No article is checked: every finding comes from the last pass's results.json.
            code = _report(
                ctx,
                config,
                Findings.of([]),
                set(),
                output_format,
                [*warnings, *last.warnings],
                ctx.located(last.ledger_lines),
                carry=last.claims,
            )
        except report.CarriedShort as short:
            # results.json as the last pass left it, yet not read whole (a read error):
            # nothing was written, and the pass runs in full instead.
            ctx.console.detail(f"the last pass could not be carried ({short}): checking")
            reading = LedgerReading.of(ctx, reading.ledger, None, reading.memo)
        else:
            ctx.console.detail("nothing changed since the last pass: its findings were carried")
            reading.memo.save(last)
            return code
    claims, unpinned, locations = reading.claims, reading.unpinned, reading.locations
    for warning in unpinned:
        ctx.warn(warning)
    if reading.memo is not None:
        reading.memo.observe(claims)  # before the pass reads any source
    with claims, _verify(ctx, config, claims) as findings:
        code = _report(
            ctx, config, findings, scope, output_format, [*warnings, *unpinned], locations
        )
    if reading.memo is not None:
        reading.memo.save(LastPass(unpinned, dict(locations.ledger_lines), len(claims)))
    return code


def _report(
    ctx: Context,
    config: StageConfig,
    findings: Findings,
    scope: set[str | None] | None,
    output_format: OutputFormat,
    warnings: Sequence[ExtractionWarning],
    locations: Locations,
    *,
    carry: int | None = None,
) -> int:
    """Reports, the printed document and annotations, and the gate, from `findings` (on
    disk after a pass in this process: their facts are at hand, each finding is read back
    where it is needed). The findings carried from the last run (the articles outside
    `scope`) are in the reports; with `carry` (a re-check of unchanged inputs carries that
    many, every finding: report.CarriedShort if fewer) they are judged too, not in a
    `--changed-since` run."""
    settings = config.settings
    reports_dir = ctx.base_dir / settings.reports_dir
    with CapturedTexts(config) as page_text:
        reported = report.write_reports(
            findings,
            reports_dir,
            warnings=warnings,
            generated_at=_now(),
            checked_articles=scope,
            page_text=page_text,
            must_carry=carry,
        )
    if carry is not None:
        findings = reported
    document = render(findings, output_format, settings.policy, locations=locations)
    if document:
        click.echo(document)
    annotations = github_outputs(findings, settings.policy, os.environ, locations=locations)
    for annotation in annotations:
        # Annotations go to stderr when stdout carries a machine-readable document.
        click.echo(annotation, err=bool(document))
    result = gate.evaluate(findings, settings.policy)
    ctx.console.info(_summary(findings, reports_dir))
    if not result.passed:
        # Shown even with -q: a quiet run still says why it failed, one finding a line.
        ctx.console.essential(f"gate failed: {len(result.failing)} finding(s) fail the policy")
        for finding in result.failing:
            text = one_line(finding.claim.text)
            ctx.console.essential(f"  {_where(finding)}: {finding.verdict.value}: {text}")
        return EXIT_GATE_FAILED
    return EXIT_OK


def _verify(ctx: Context, config: StageConfig, claims: Sequence[Claim]) -> Findings:
    """The single-process pass, its findings spilled to disk as they are made; or the same
    stages on a Dask cluster (settings.cluster), its findings in memory."""
    if config.offline:
        from verifier.archive import Archive

        with Archive(config.archive_dir) as store:
            _refuse_a_damaged_index(store)
    if config.settings.cluster:
        with _cluster_client(ctx, config) as client:
            return Findings.of(_verify_on_cluster(ctx, client, config, claims))
    findings = SpilledFindings(Spill(spill_folder(ctx.ledger_path), len(claims)))
    try:
        with Stages(config) as stages:
            _archive_and_verify(ctx, stages, claims, findings.__setitem__)
    except BaseException:
        findings.close()
        raise
    ctx.console.detail(f"matcher: {stages.results.misses} scored, {stages.results.hits} reused")
    return findings


def _cluster_client(ctx: Context, config: StageConfig) -> AbstractContextManager[Any]:
    assert config.settings.cluster is not None
    ctx.console.detail(f"cluster: {config.settings.cluster}")
    return cluster.connect(ClusterSpec.parse(config.settings.cluster))


def _verify_on_cluster(
    ctx: Context, client: Any, config: StageConfig, claims: Sequence[Claim]
) -> list[Finding]:
    urls = pipeline.locations(claims, pipeline.SourceLocator(config.base_dir))
    return cluster.verify(
        client,
        config,
        claims,
        fetched=ctx.console.counts(len(urls), "reading" if config.offline else "fetching"),
        checked=ctx.console.counts(len(claims), "checking"),
    )


def _verify_here(ctx: Context, stages: Stages, claims: Sequence[Claim]) -> list[Finding]:
    findings: list[Finding | None] = [None] * len(claims)
    _archive_and_verify(ctx, stages, claims, findings.__setitem__)
    return [finding for finding in findings if finding is not None]


def _archive_and_verify(
    ctx: Context, stages: Stages, claims: Sequence[Claim], put: Callable[[int, Finding], None]
) -> None:
    """Archive the claims' network sources, then check them a batch at a time, each finding
    handed to `put` with its claim's index."""
    locate = stages.locate
    survey = pipeline.survey(claims, locate)
    stages.progress = ctx.console.progress(
        len(survey.locations), "reading" if stages.config.offline else "fetching"
    )
    stages.archive_sources(survey.locations, survey.accessed, stages.progress)
    first = survey.first
    del survey  # only the batch order is wanted of it now
    pipeline.verify_into(
        claims,
        put,
        fetch=stages.read,
        assess=stages.assess,
        locate=locate,
        progress=ctx.console.counter(len(claims), "checking"),
        first=first,
    )


def _run_dump(ctx: Context, settings: Settings, dump: Path, offline: bool) -> int:
    """`run --dump`: claims into shards (pages extracted in batches), checked a shard at a
    time, and a summary index; on the cluster when one is set, else in this process."""
    folder = ctx.base_dir / DUMP_DIR
    config = StageConfig.for_ledger(ctx.ledger_path, settings, offline=offline)
    if settings.cluster:
        with _cluster_client(ctx, config) as client:
            in_flight = 2 * max(1, len(client.scheduler_info()["workers"])) + 2

            def on_cluster(function: Callable[[Any], Any], items: Iterable[Any]) -> Any:
                return cluster.ordered_map(client, function, items, in_flight)

            extracted = passes.extract_dump(dump, folder, map_batches=on_cluster)
            ctx.console.info(_dump_extract_line(extracted, folder))
            summary = passes.check_dump(
                folder,
                lambda claims: _verify_on_cluster(ctx, client, config, claims),
                settings.policy,
            )
    else:
        extracted = passes.extract_dump(dump, folder)
        ctx.console.info(_dump_extract_line(extracted, folder))
        with Stages(config) as stages:
            summary = passes.check_dump(
                folder, lambda claims: _verify_here(ctx, stages, claims), settings.policy
            )
    reports_dir = ctx.base_dir / settings.reports_dir
    index = passes.render_index(summary, f"{DUMP_DIR}/{shards.MANIFEST}", _now())
    write_atomically(reports_dir / "index.md", index)
    parts = ", ".join(f"{n} {verdict}" for verdict, n in summary.verdicts.most_common())
    ctx.console.info(
        f"{summary.claims} claims: {parts or 'none'}; report: {reports_dir / 'index.md'}"
    )
    if summary.failing:
        ctx.console.info(f"gate failed: {summary.failing} finding(s) fail the policy")
        return EXIT_GATE_FAILED
    return EXIT_OK


def _dump_extract_line(summary: passes.ExtractSummary, folder: Path) -> str:
    pages = summary.pages
    return (
        f"{summary.claims} claims in {pages.articles} article page(s) "
        f"({pages.redirects} redirects and {pages.other_namespaces} other pages skipped); "
        f"shards: {folder / shards.MANIFEST}"
    )


def _summary(findings: Findings, reports_dir: Path) -> str:
    counts = verdict_tally(findings.facts)
    parts = ", ".join(f"{n} {v.value}" for v, n in counts.items() if n)
    return f"{len(findings)} claims: {parts or 'none'}; report: {reports_dir / 'index.md'}"


def _where(finding: Finding) -> str:
    claim = finding.claim
    if claim.article is None:
        return claim.id
    return f"{claim.article}:{claim.line}" if claim.line is not None else claim.article


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
    click.echo(inert(json.dumps(document, ensure_ascii=False, indent=2), json_reference))


def _json_line(document: Any) -> str:
    """One JSON line to print: in a CI log it is never a workflow command, and it parses
    back to the same data."""
    return inert(json.dumps(document, ensure_ascii=False), json_reference)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: run the CLI and turn every outcome into a documented exit code."""
    interrupts.terminate_like_interrupt()
    try:
        code = cli.main(args=argv, prog_name="verifier", standalone_mode=False)
    except click.ClickException as error:  # usage errors: click says 2, which means "gate failed"
        error.show()
        sys.exit(EXIT_INPUT_ERROR)
    except (_Interrupted, click.Abort) as stop:  # Ctrl-C or SIGTERM
        interrupts.exit_interrupted(
            "interrupted: every file written is whole; run the command again to resume",
            terminated=isinstance(stop.__cause__, interrupts.Terminated),
        )
    except VerifierError as error:
        if error.exit_code == EXIT_UNEXPECTED:  # e.g. a SourceError the fetcher let through
            _report_bug()
        say(f"error: {error}")
        if error.hint:
            say(f"hint: {error.hint}")
        sys.exit(error.exit_code)
    except Exception:
        _report_bug()
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def _report_bug() -> NoReturn:
    """A bug: say so plainly, and keep the traceback for the report."""
    say(traceback.format_exc().rstrip("\n"))
    say("error: unexpected internal error (exit 1); please report it")
    sys.exit(EXIT_UNEXPECTED)
