"""Run settings: packaged defaults, overridden by claims.yaml, then environment, then flags.

The ledger parses the `settings:` and `fetch:` sections of claims.yaml into these
dataclasses; the CLI layers flags on top with `dataclasses.replace`. Library code takes
these values, never the CLI's option namespace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from verifier.model import Verdict

DEFAULT_FAIL_ON: tuple[Verdict, ...] = (Verdict.CONTRADICTED, Verdict.UNSUPPORTED)


@dataclass(frozen=True)
class PolicyOverride:
    """Policy fields that replace the global ones for articles matching `articles` (globs)."""

    articles: tuple[str, ...]
    """fnmatch patterns on the article path as the ledger writes it ("drafts/*.md")."""
    fail_on: tuple[Verdict, ...] | None = None
    """None: keep the global `fail_on`."""
    min_score: float | None = None
    sets_min_score: bool = False
    """True when the override names `min_score` (its value may be None: no minimum)."""


@dataclass(frozen=True)
class Policy:
    """Which findings fail the run (the CI gate)."""

    fail_on: tuple[Verdict, ...] = DEFAULT_FAIL_ON
    min_score: float | None = None
    """When set, a supported/partial finding scoring below it also fails."""
    overrides: tuple[PolicyOverride, ...] = ()
    """Per-article policies, applied in order (a later match wins field by field)."""

    def for_article(self, article: str | None) -> Policy:
        """The policy for one article: the global fields, replaced by every matching override."""
        fail_on, min_score = self.fail_on, self.min_score
        for override in self.overrides:
            if article is None or not any(fnmatchcase(article, p) for p in override.articles):
                continue
            if override.fail_on is not None:
                fail_on = override.fail_on
            if override.sets_min_score:
                min_score = override.min_score
        return Policy(fail_on=fail_on, min_score=min_score)


@dataclass(frozen=True)
class FetchSettings:
    """How sources are fetched. Defaults are polite and bounded."""

    allow_hosts: tuple[str, ...] = ()
    """Host names or addresses the SSRF guard lets through (e.g. "127.0.0.1" for tests)."""
    allow_paths: tuple[str, ...] = ()
    """Folders outside the ledger's repository that local sources may be read from, relative
    to the ledger's folder or absolute."""
    timeout: float = 30.0
    """Total seconds allowed per URL, including redirects and the body."""
    max_bytes: int = 20 * 1024 * 1024
    concurrency: int = 8
    per_host: int = 2
    min_interval: float = 0.0
    """Minimum seconds between requests to the same host."""
    retries: int = 2
    user_agent: str = "verifier/0.1 (+citation checker)"
    wayback: str | None = "https://archive.org/wayback/available"
    """Availability API for the Wayback fallback; None turns the fallback off."""


@dataclass(frozen=True)
class Settings:
    """Everything claims.yaml can configure."""

    policy: Policy = field(default_factory=Policy)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    reports_dir: str = "reports"
    archive_dir: str = "archive"
    cluster: str | None = None
    """Where `check` and `run` score: None in this process, "local:N" (a LocalCluster of N
    worker processes) or "tcp://HOST:PORT" (a Dask scheduler)."""
    allow_empty: bool = False
    """True: a run that reads no article or finds no claim is expected, even under CI."""
