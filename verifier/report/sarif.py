"""SARIF 2.1.0 for GitHub code scanning: one result per claim that is not supported.

Written to pass the OASIS schema and the SARIF Multitool's GitHub ingestion rules
(`--rule-kind Gh;Sarif`) without errors or warnings: every rule has a name distinct from
its id, a full description and help; the driver has an informationUri; every result has a
region (a hand-written claim points at its entry in claims.yaml).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from verifier import PROJECT_URL, __version__
from verifier.gate import fails
from verifier.ledger.acceptance import acceptance, is_accepted
from verifier.model import Finding, Verdict
from verifier.report.inert import one_line
from verifier.report.locations import Locations
from verifier.report.results import SCORE_DIGITS, ordered
from verifier.settings import Policy

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT_KEY = "verifierClaim/v1"
HELP_URI = f"{PROJECT_URL}#verdicts"


@dataclass(frozen=True)
class Rule:
    name: str
    """A readable identifier, distinct from the id (the verdict)."""
    short: str
    full: str
    help: str


RULES: dict[Verdict, Rule] = {
    Verdict.CONTRADICTED: Rule(
        "ContradictedClaim",
        "The cited source states something that conflicts with the claim.",
        "The passage of the cited source that backs the rest of the claim gives a different "
        "title, number, date or name for the same thing.",
        "Compare the flagged words with the source's in the report. Correct the claim, cite "
        "a source that backs it, or, when the source is the one in error, record why with "
        "`verifier accept ID --note TEXT`.",
    ),
    Verdict.UNSUPPORTED: Rule(
        "UnsupportedClaim",
        "The cited source is readable but does not back the claim.",
        "No passage of the cited source states what the claim says: the citation points at "
        "the wrong page, or the claim says more than its source.",
        "Check the claim against the quoted evidence in the report. Cite the page that "
        "states it, narrow the claim to what the source says, or accept the finding with "
        "`verifier accept ID --note TEXT`.",
    ),
    Verdict.UNAVAILABLE: Rule(
        "UnavailableSource",
        "The cited source could not be read.",
        "The source is dead, blocked, paywalled, not text, timed out, or not archived in an "
        "offline run; or the footnote cites no URL. This says nothing about the claim itself.",
        "The report gives the reason. Fix or replace the URL, cite an archived copy, or run "
        "`verifier fetch` where the source is reachable.",
    ),
    Verdict.PARTIAL: Rule(
        "PartlySupportedClaim",
        "The cited source supports only part of the claim.",
        "The source backs some of the claim's words; the flagged ones it does not state, or "
        "states in words the matcher cannot tie to the claim's.",
        "Check the flagged words by hand against the source. Reword the claim, add a source "
        "for the rest, or accept the finding with `verifier accept ID --note TEXT`.",
    ),
}
"""One rule per verdict that is a problem; `supported` findings are not results."""


def fingerprint(finding: Finding) -> str:
    """Stable across runs and line moves: the claim's id (kept by the ledger) and the verdict."""
    key = f"{finding.claim.id}\n{finding.verdict.value}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def describe(finding: Finding) -> str:
    """One line a person can act on: verdict, score, what conflicts, and the claim."""
    parts = [finding.verdict.value]
    if finding.verdict is not Verdict.UNAVAILABLE:
        parts[0] += f" (score {finding.score:.2f})"
    for flag in finding.flags:
        if flag.source:
            parts.append(f"{flag.label}: claim says {flag.claim!r}, source says {flag.source!r}")
        else:
            parts.append(f"{flag.label}: {flag.claim!r} not in the source")
    if finding.verdict is Verdict.UNAVAILABLE and finding.reason:
        parts.append(finding.reason)
    return "; ".join(parts) + f" — {one_line(finding.claim.text)}"


def _level(finding: Finding, policy: Policy) -> str:
    if fails(finding, policy):
        return "error"
    return "warning" if finding.verdict.severity >= Verdict.UNSUPPORTED.severity else "note"


def _rule(verdict: Verdict, policy: Policy) -> dict[str, Any]:
    rule = RULES[verdict]
    return {
        "id": verdict.value,
        "name": rule.name,
        "shortDescription": {"text": rule.short},
        "fullDescription": {"text": rule.full},
        "help": {"text": rule.help, "markdown": rule.help},
        "helpUri": HELP_URI,
        "defaultConfiguration": {"level": "error" if verdict in policy.fail_on else "warning"},
    }


def _result(finding: Finding, index: int, policy: Policy, locations: Locations) -> dict[str, Any]:
    claim = finding.claim
    physical: dict[str, Any] = {"artifactLocation": {"uri": locations.file(claim)}}
    line = locations.line(claim)
    if line is not None:
        physical["region"] = {"startLine": line}
    result: dict[str, Any] = {
        "ruleId": finding.verdict.value,
        "ruleIndex": index,
        "level": _level(finding, policy),
        "message": {"text": describe(finding)},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding)},
        "properties": {
            "claimId": claim.id,
            "score": round(finding.score, SCORE_DIGITS),
            "urls": list(claim.urls),
            "acceptance": acceptance(finding).value,
        },
    }
    if is_accepted(finding):
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": claim.note or ""}
        ]
    return result


def sarif_document(
    findings: Sequence[Finding], policy: Policy, *, locations: Locations | None = None
) -> dict[str, Any]:
    locations = locations or Locations()
    verdicts = list(RULES)
    results = [
        _result(finding, verdicts.index(finding.verdict), policy, locations)
        for finding in ordered(findings)
        if finding.verdict in RULES
    ]
    driver = {
        "name": "verifier",
        "version": __version__,
        "informationUri": PROJECT_URL,
        "rules": [_rule(verdict, policy) for verdict in verdicts],
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
        ],
    }


def render_sarif(
    findings: Sequence[Finding], policy: Policy, *, locations: Locations | None = None
) -> str:
    return json.dumps(sarif_document(findings, policy, locations=locations), indent=2) + "\n"
