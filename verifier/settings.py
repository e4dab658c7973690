"""Run settings: packaged defaults, overridden by claims.yaml, then environment, then flags.

The ledger parses the `settings:` and `fetch:` sections of claims.yaml into these
dataclasses; the CLI layers flags on top with `dataclasses.replace`. Library code takes
these values, never the CLI's option namespace.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from verifier.model import Verdict

DEFAULT_FAIL_ON: tuple[Verdict, ...] = (Verdict.CONTRADICTED, Verdict.UNSUPPORTED)


@dataclass(frozen=True)
class Policy:
    """Which findings fail the run (the CI gate)."""

    fail_on: tuple[Verdict, ...] = DEFAULT_FAIL_ON
    min_score: float | None = None
    """When set, a supported/partial finding scoring below it also fails."""


@dataclass(frozen=True)
class FetchSettings:
    """How sources are fetched. Defaults are polite and bounded."""

    allow_hosts: tuple[str, ...] = ()
    """Host names or addresses the SSRF guard lets through (e.g. "127.0.0.1" for tests)."""
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
