"""The CI gate: which findings fail a policy."""

from __future__ import annotations

import dataclasses

from fixtures.report import samples

from verifier.gate import evaluate
from verifier.ledger.acceptance import finding_fingerprint
from verifier.model import Claim, Finding, Status, Verdict
from verifier.settings import Policy


def finding(
    verdict: Verdict, score: float, *, accepted: bool = False, name: str = "c-1"
) -> Finding:
    status = Status.ACCEPTED if accepted else Status.OPEN
    claim = Claim(id=name, text="A claim.", urls=("https://a.example/",), status=status)
    return Finding(claim, verdict, score)


def test_default_policy_fails_contradicted_and_unsupported_only() -> None:
    findings = [
        finding(Verdict.SUPPORTED, 0.9, name="ok"),
        finding(Verdict.PARTIAL, 0.5, name="part"),
        finding(Verdict.UNAVAILABLE, 0.0, name="dead"),
        finding(Verdict.UNSUPPORTED, 0.2, name="unsup"),
        finding(Verdict.CONTRADICTED, 0.6, name="contra"),
    ]
    result = evaluate(findings, Policy())
    assert not result.passed
    assert [f.claim.id for f in result.failing] == ["contra", "unsup"]  # worst first


def test_accepted_findings_never_fail() -> None:
    findings = [samples.accepted_unsupported(), finding(Verdict.CONTRADICTED, 0.1, accepted=True)]
    findings[1] = dataclasses.replace(
        findings[1],
        claim=dataclasses.replace(findings[1].claim, accepted_for=finding_fingerprint(findings[1])),
    )
    policy = Policy(fail_on=tuple(Verdict), min_score=0.99)
    result = evaluate(findings, policy)
    assert result.passed
    assert result.failing == ()


def test_a_bare_status_accepted_without_its_pin_still_fails() -> None:
    bare = finding(Verdict.CONTRADICTED, 0.1, accepted=True, name="bare")
    assert bare.claim.status is Status.ACCEPTED and bare.claim.accepted_for is None
    assert evaluate([bare], Policy()).failing == (bare,)


def test_min_score_fails_weak_support_but_not_unavailable() -> None:
    policy = Policy(fail_on=(Verdict.CONTRADICTED,), min_score=0.7)
    weak = finding(Verdict.SUPPORTED, 0.65, name="weak")
    strong = finding(Verdict.SUPPORTED, 0.7, name="strong")
    partial = finding(Verdict.PARTIAL, 0.5, name="partial")
    dead = finding(Verdict.UNAVAILABLE, 0.0, name="dead")
    result = evaluate([weak, strong, partial, dead], policy)
    assert {f.claim.id for f in result.failing} == {"weak", "partial"}


def test_empty_fail_on_passes_everything_and_no_findings_pass() -> None:
    assert evaluate(samples.all_findings(), Policy(fail_on=())).passed
    assert evaluate([], Policy()).passed


def test_unavailable_fails_only_when_the_policy_says_so() -> None:
    dead = samples.unavailable()
    assert evaluate([dead], Policy()).passed
    strict = dataclasses.replace(Policy(), fail_on=(Verdict.UNAVAILABLE,))
    assert evaluate([dead], strict).failing == (dead,)


def test_failing_findings_come_worst_first_and_equals_in_reading_order() -> None:
    def at(article: str, line: int, verdict: Verdict, score: float) -> Finding:
        claim = Claim(
            id=f"c-{article}-{line}", text="A claim.", urls=(), article=article, line=line
        )
        return Finding(claim, verdict, score)

    tied_late = at("zeta.md", 5, Verdict.UNAVAILABLE, 0.0)
    tied_early = at("alpha.md", 3, Verdict.UNAVAILABLE, 0.0)
    worse = at("zeta.md", 9, Verdict.CONTRADICTED, 0.4)
    policy = Policy(fail_on=(Verdict.CONTRADICTED, Verdict.UNAVAILABLE))
    # Whatever order the findings come in (a pass's, or the last results' reading order).
    for findings in ([tied_late, tied_early, worse], [worse, tied_early, tied_late]):
        assert evaluate(findings, policy).failing == (worse, tied_early, tied_late)
