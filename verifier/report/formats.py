"""Machine-readable outputs for `--format`: JSON, SARIF 2.1.0 and JUnit XML.

Markdown is not here: it is files (`write_reports`), not one stream. Each formatter takes
the policy so that what it marks as an error is exactly what fails the gate.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

from verifier import __version__
from verifier.gate import fails
from verifier.ledger.acceptance import acceptance, is_accepted
from verifier.model import Finding, Verdict
from verifier.report.results import SCORE_DIGITS, ordered, results_document
from verifier.settings import Policy

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT_KEY = "verifierClaim/v1"

RULE_DESCRIPTIONS: dict[Verdict, str] = {
    Verdict.CONTRADICTED: "The cited source states something that conflicts with the claim.",
    Verdict.UNSUPPORTED: "The cited source is readable but does not back the claim.",
    Verdict.UNAVAILABLE: "The cited source could not be read (dead, blocked, no URL...).",
    Verdict.PARTIAL: "The cited source supports only part of the claim.",
}
"""One SARIF rule per verdict that is a problem; `supported` findings are not results."""


class OutputFormat(StrEnum):
    MARKDOWN = "markdown"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"


def describe(finding: Finding) -> str:
    """One line a person can act on: verdict, score, and what conflicts."""
    parts = [finding.verdict.value]
    if finding.verdict is not Verdict.UNAVAILABLE:
        parts[0] += f" (score {finding.score:.2f})"
    for flag in finding.flags:
        if flag.source:
            parts.append(f"{flag.kind}: claim says {flag.claim!r}, source says {flag.source!r}")
        else:
            parts.append(f"{flag.kind}: {flag.claim!r} not in the source")
    if finding.verdict is Verdict.UNAVAILABLE and finding.reason:
        parts.append(finding.reason)
    return "; ".join(parts) + f" — {finding.claim.text}"


def repo_path(article: str | None, ledger: str) -> str:
    """Where a claim is, relative to the repository: articles are relative to the ledger's
    folder, and `ledger` is the ledger's path as the forge sees it ("docs/claims.yaml")."""
    if article is None:
        return ledger
    return posixpath.normpath(posixpath.join(posixpath.dirname(ledger), article))


def fingerprint(finding: Finding) -> str:
    """Stable across runs and line moves: the claim's id (kept by the ledger) and the verdict."""
    key = f"{finding.claim.id}\n{finding.verdict.value}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


# -- JSON ----------------------------------------------------------------------------------


def render_json(findings: Sequence[Finding], policy: Policy, *, ledger: str = "claims.yaml") -> str:
    document = results_document(findings)
    failing = {f.claim.id for f in findings if fails(f, policy)}
    for entry in document["claims"]:
        entry["fails"] = entry["id"] in failing
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- SARIF ---------------------------------------------------------------------------------


def _level(finding: Finding, policy: Policy) -> str:
    if fails(finding, policy):
        return "error"
    return "warning" if finding.verdict.severity >= Verdict.UNSUPPORTED.severity else "note"


def sarif_document(
    findings: Sequence[Finding], policy: Policy, *, ledger: str = "claims.yaml"
) -> dict[str, Any]:
    rules = list(RULE_DESCRIPTIONS)
    results: list[dict[str, Any]] = []
    for finding in ordered(findings):
        if finding.verdict not in RULE_DESCRIPTIONS:
            continue
        claim = finding.claim
        location: dict[str, Any] = {"artifactLocation": {"uri": repo_path(claim.article, ledger)}}
        if claim.article is not None and claim.line is not None:
            location["region"] = {"startLine": claim.line}
        result: dict[str, Any] = {
            "ruleId": finding.verdict.value,
            "ruleIndex": rules.index(finding.verdict),
            "level": _level(finding, policy),
            "message": {"text": describe(finding)},
            "locations": [{"physicalLocation": location}],
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
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "verifier",
                        "version": __version__,
                        "rules": [
                            {
                                "id": verdict.value,
                                "name": verdict.value.capitalize(),
                                "shortDescription": {"text": RULE_DESCRIPTIONS[verdict]},
                                "defaultConfiguration": {
                                    "level": "error" if verdict in policy.fail_on else "warning"
                                },
                            }
                            for verdict in rules
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render_sarif(
    findings: Sequence[Finding], policy: Policy, *, ledger: str = "claims.yaml"
) -> str:
    return json.dumps(sarif_document(findings, policy, ledger=ledger), indent=2) + "\n"


# -- JUnit XML -----------------------------------------------------------------------------


def render_junit(
    findings: Sequence[Finding], policy: Policy, *, ledger: str = "claims.yaml"
) -> str:
    """One test suite per article, one test case per claim; gate failures are failures."""
    by_article: dict[str, list[Finding]] = {}
    for finding in ordered(findings):
        by_article.setdefault(repo_path(finding.claim.article, ledger), []).append(finding)
    root = ElementTree.Element("testsuites", name="verifier")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for article, article_findings in by_article.items():
        suite = ElementTree.SubElement(root, "testsuite", name=article)
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for finding in article_findings:
            counts["tests"] += 1
            case = ElementTree.SubElement(
                suite,
                "testcase",
                classname=article,
                name=f"{finding.claim.id}: {finding.claim.text}",
                file=article,
                line=str(finding.claim.line or 1),
            )
            if is_accepted(finding):
                counts["skipped"] += 1
                ElementTree.SubElement(
                    case, "skipped", message=f"accepted: {finding.claim.note or ''}"
                )
            elif fails(finding, policy):
                counts["failures"] += 1
                failure = ElementTree.SubElement(
                    case, "failure", type=finding.verdict.value, message=describe(finding)
                )
                failure.text = "\n".join(
                    [describe(finding), *(f"source: {url}" for url in finding.claim.urls)]
                )
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("errors", "0")
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("errors", "0")
    ElementTree.indent(root)
    body = ElementTree.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


RENDERERS: dict[OutputFormat, Callable[..., str]] = {
    OutputFormat.JSON: render_json,
    OutputFormat.SARIF: render_sarif,
    OutputFormat.JUNIT: render_junit,
}


def render(
    findings: Sequence[Finding],
    output_format: OutputFormat,
    policy: Policy,
    *,
    ledger: str = "claims.yaml",
) -> str:
    """The document to print on stdout for `--format`; empty for markdown (reports are files)."""
    if output_format is OutputFormat.MARKDOWN:
        return ""
    return RENDERERS[output_format](findings, policy, ledger=ledger)
