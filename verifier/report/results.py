"""Findings -> the results.json document (CONTRACT fields, plus additive detail)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from verifier.ledger.acceptance import acceptance, is_accepted
from verifier.model import Capture, Finding, Flag, SourceCheck, Verdict

SCORE_DIGITS = 4
"""Scores are rounded so that re-running on the same input gives the same bytes."""


def ordered(findings: Sequence[Finding]) -> list[Finding]:
    """Reading order: by article (hand-written claims last), then line, then id."""
    return sorted(
        findings,
        key=lambda f: (
            f.claim.article is None,
            f.claim.article or "",
            f.claim.line or 0,
            f.claim.id,
        ),
    )


def flag_document(flag: Flag) -> dict[str, Any]:
    return {
        "start": flag.start,
        "end": flag.end,
        "kind": flag.kind,
        "claim": flag.claim,
        "source": flag.source,
    }


def source_document(check: SourceCheck) -> dict[str, Any]:
    source = check.source
    document: dict[str, Any] = {"url": check.url}
    if isinstance(source, Capture):
        document.update(
            {
                "read": True,
                "final_url": source.final_url,
                "status_code": source.status_code,
                "fetched_at": source.fetched_at,
                "digest": source.payload_digest,
                "title": source.title,
                "via": source.via,
                "warc_file": source.warc_file,
            }
        )
    else:
        document.update({"read": False, "reason": source.describe()})
    if check.assessment is not None:
        document["verdict"] = check.assessment.verdict.value
        document["score"] = round(check.assessment.score, SCORE_DIGITS)
    return document


def claim_document(finding: Finding) -> dict[str, Any]:
    claim = finding.claim
    return {
        "id": claim.id,
        "article": claim.article,
        "line": claim.line,
        "text": claim.text,
        "urls": list(claim.urls),
        "verdict": finding.verdict.value,
        "score": round(finding.score, SCORE_DIGITS),
        "flags": [flag_document(flag) for flag in finding.flags],
        "evidence": finding.evidence.text if finding.evidence is not None else None,
        "footnote": claim.footnote,
        "accepted": is_accepted(finding),
        "acceptance": acceptance(finding).value,
        "note": claim.note,
        "reason": finding.reason,
        "sources": [source_document(check) for check in finding.checks],
    }


def verdict_counts(findings: Sequence[Finding]) -> dict[str, int]:
    """Count per verdict, every verdict present (worst first), so consumers need no defaults."""
    counts = {verdict.value: 0 for verdict in sorted(Verdict, key=lambda v: -v.severity)}
    for finding in findings:
        counts[finding.verdict.value] += 1
    return counts


def results_document(
    findings: Sequence[Finding], *, generated_at: str | None = None
) -> dict[str, Any]:
    """The results.json document: {"claims": [...]} in reading order, plus a summary."""
    document: dict[str, Any] = {"claims": [claim_document(f) for f in ordered(findings)]}
    document["summary"] = {
        "claims": len(findings),
        "verdicts": verdict_counts(findings),
        "accepted": sum(1 for f in findings if is_accepted(f)),
    }
    if generated_at is not None:
        document["generated_at"] = generated_at
    return document
