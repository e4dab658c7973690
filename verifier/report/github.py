"""GitHub Actions output: `::error` annotations on article lines, and the job summary.

Annotations follow the workflow-command syntax: message data escapes %, CR and LF;
property values (file, title) also escape ":" and ",", or a file name with a comma would
end the property early. The step summary file is capped at 1 MiB by GitHub, and other steps'
text may already be in it, so the summary is cut to fit what is left. Every other line
printed under Actions goes through `inert` (inert.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from verifier.gate import fails
from verifier.ledger.acceptance import is_accepted
from verifier.model import ExtractionWarning, Finding, Verdict
from verifier.report.locations import Locations
from verifier.report.markdown import (
    escape,
    score_text,
    severity_order,
    snippet,
    where,
)
from verifier.report.results import VERDICTS_WORST_FIRST, verdict_tally
from verifier.settings import Policy

STEP_SUMMARY_LIMIT = 1024 * 1024
"""GitHub's limit for one step's summary file, in bytes."""
_SUMMARY_MARGIN = 1024
"""Bytes kept free below the limit for the truncation note and a final newline."""


def running_in_github_actions(environ: Mapping[str, str]) -> bool:
    return environ.get("GITHUB_ACTIONS") == "true"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def warning_annotation(warning: ExtractionWarning, file: str) -> str:
    """`::warning` on the line of an article (or of claims.yaml) the run could not read
    cleanly: a marker without a note, a claim whose text was edited, ..."""
    properties = f"file={escape_property(file)},line={warning.line},title=verifier"
    return f"::warning {properties}::{escape_data(warning.message)}"


def _message(finding: Finding) -> str:
    parts = [f"{finding.verdict.value}: {finding.claim.text}"]
    for flag in finding.flags:
        if flag.source:
            parts.append(f"{flag.kind}: claim says “{flag.claim}”, source says “{flag.source}”")
        else:
            parts.append(f"{flag.kind}: “{flag.claim}” is not in the source")
    if finding.verdict is Verdict.UNAVAILABLE and finding.reason:
        parts.append(f"source unavailable: {finding.reason}")
    elif finding.verdict is not Verdict.UNAVAILABLE:
        parts.append(f"score {finding.score:.2f}")
    parts.append("sources: " + (", ".join(finding.claim.urls) or "none"))
    return "\n".join(parts)


def annotation(finding: Finding, level: str, *, locations: Locations | None = None) -> str:
    locations = locations or Locations()
    claim = finding.claim
    properties = [f"file={escape_property(locations.file(claim))}"]
    line = locations.line(claim)
    if line is not None:
        properties.append(f"line={line}")
    properties.append(f"title={escape_property(f'{finding.verdict.value} claim {claim.id}')}")
    return f"::{level} {','.join(properties)}::{escape_data(_message(finding))}"


def annotations_for(
    findings: Sequence[Finding], policy: Policy, *, locations: Locations | None = None
) -> list[str]:
    """`::error` for every finding that fails the gate, `::warning` for other open problems."""
    lines: list[str] = []
    for finding in severity_order(findings):
        if is_accepted(finding) or finding.verdict is Verdict.SUPPORTED:
            continue
        level = "error" if fails(finding, policy) else "warning"
        lines.append(annotation(finding, level, locations=locations))
    return lines


def step_summary(
    findings: Sequence[Finding], policy: Policy, *, max_bytes: int = STEP_SUMMARY_LIMIT
) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY, never more than `max_bytes` bytes of UTF-8."""
    failing = [f for f in severity_order(findings) if fails(f, policy)]
    counts = verdict_tally(findings)
    outcome = f"**Gate failed**: {len(failing)} finding(s)" if failing else "**Gate passed**"
    head = [
        "## Citation check",
        "",
        f"{outcome} · {len(findings)} claims · "
        + " · ".join(f"{counts[v]} {v.value}" for v in VERDICTS_WORST_FIRST if counts[v]),
        "",
    ]
    text = "\n".join(head) + "\n"
    if not failing:
        return _fit(text, max_bytes)
    text += "| Verdict | Score | Where | Claim |\n|---|--:|---|---|\n"
    budget = max_bytes - _SUMMARY_MARGIN
    used = len(text.encode("utf-8"))
    for shown, finding in enumerate(failing):
        row = (
            f"| {finding.verdict.value} | {score_text(finding)} | {escape(where(finding))} "
            f"| {escape(snippet(finding.claim.text, 200))} |\n"
        )
        size = len(row.encode("utf-8"))
        if used + size > budget:
            text += f"\n… {len(failing) - shown} more failing claims: see the reports.\n"
            break
        text += row
        used += size
    return _fit(text, max_bytes)


def _fit(text: str, max_bytes: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    return encoded[: max(max_bytes - 1, 0)].decode("utf-8", errors="ignore").rstrip() + "\n"


def append_step_summary(path: Path, findings: Sequence[Finding], policy: Policy) -> None:
    """Append the summary to $GITHUB_STEP_SUMMARY, within what the 1 MiB limit leaves."""
    try:
        used = path.stat().st_size
    except FileNotFoundError:
        used = 0
    room = STEP_SUMMARY_LIMIT - used - 1
    if room <= 0:
        return
    text = step_summary(findings, policy, max_bytes=room)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)


def github_outputs(
    findings: Sequence[Finding],
    policy: Policy,
    environ: Mapping[str, str],
    *,
    locations: Locations | None = None,
) -> list[str]:
    """Everything a run does under GitHub Actions, in one call for the CLI.

    When GITHUB_ACTIONS is "true": appends the summary to $GITHUB_STEP_SUMMARY (if set) and
    returns the annotation lines for the CLI to print on stdout. Otherwise returns [].
    """
    if not running_in_github_actions(environ):
        return []
    summary_path = environ.get("GITHUB_STEP_SUMMARY")
    if summary_path:
        append_step_summary(Path(summary_path), findings, policy)
    return annotations_for(findings, policy, locations=locations)
