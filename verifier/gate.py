"""The CI gate: which findings fail the run under a policy.

A finding fails when its verdict is in `fail_on`, or when `min_score` is set and a
supported or partial finding scores below it. A finding a reviewer accepted never fails,
unless the acceptance went stale (claim text or source content changed since): that is
how a known, explained discrepancy stops blocking every later edit without hiding a new one.
Per-article overrides in the policy replace `fail_on`/`min_score` for matching articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from verifier.ledger.acceptance import is_accepted
from verifier.model import Finding, Verdict
from verifier.report.facts import Findings
from verifier.settings import Policy

_SCORED = (Verdict.SUPPORTED, Verdict.PARTIAL)


@dataclass(frozen=True)
class GateResult:
    passed: bool
    failing: tuple[Finding, ...]
    """Failing findings, worst first."""


def fails(finding: Finding, policy: Policy) -> bool:
    """Whether this one finding fails the policy (its article's policy, with overrides)."""
    return _fails(
        finding.claim.article, finding.verdict, finding.score, is_accepted(finding), policy
    )


def _fails(
    article: str | None, verdict: Verdict, score: float, accepted: bool, policy: Policy
) -> bool:
    if accepted:
        return False
    policy = policy.for_article(article)
    if verdict in policy.fail_on:
        return True
    return policy.min_score is not None and verdict in _SCORED and score < policy.min_score


def evaluate(findings: Sequence[Finding], policy: Policy) -> GateResult:
    """The gate over every finding, decided from their facts: only the failing findings are
    read (the findings may be on disk)."""
    findings = Findings.of(findings)
    failing_at = [
        (-facts.verdict.severity, facts.score, facts.reading_key(), index)
        for index, facts in enumerate(findings.facts)
        if _fails(facts.article, facts.verdict, facts.score, facts.accepted, policy)
    ]
    # Worst first; equals in reading order, however the findings came (a pass, or carried
    # from the last run's results).
    failing_at.sort()
    failing = tuple(findings[rank[-1]] for rank in failing_at)
    return GateResult(passed=not failing, failing=failing)
