"""Machine-readable outputs for `--format`: JSON, SARIF 2.1.0 (sarif.py) and JUnit XML
(junit.py).

Markdown is not here: it is files (`write_reports`), not one stream. Each formatter takes
the policy so that what it marks as an error is exactly what fails the gate, and the
Locations that turn a claim into a repository path and line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from enum import StrEnum

from verifier.gate import fails
from verifier.model import Finding
from verifier.report.inert import inert, json_reference, xml_reference
from verifier.report.junit import render_junit
from verifier.report.locations import Locations
from verifier.report.results import results_document
from verifier.report.sarif import FINGERPRINT_KEY, describe, fingerprint, render_sarif
from verifier.settings import Policy

__all__ = ["FINGERPRINT_KEY", "OutputFormat", "describe", "fingerprint", "render"]


class OutputFormat(StrEnum):
    MARKDOWN = "markdown"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"


def render_json(
    findings: Sequence[Finding], policy: Policy, *, locations: Locations | None = None
) -> str:
    document = results_document(findings)
    failing = {f.claim.id for f in findings if fails(f, policy)}
    for entry in document["claims"]:
        entry["fails"] = entry["id"] in failing
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


RENDERERS: dict[OutputFormat, tuple[Callable[..., str], Callable[[str], str]]] = {
    OutputFormat.JSON: (render_json, json_reference),
    OutputFormat.SARIF: (render_sarif, json_reference),
    OutputFormat.JUNIT: (render_junit, xml_reference),
}
"""Each format's renderer, and how it writes a character without changing the data."""


def render(
    findings: Sequence[Finding],
    output_format: OutputFormat,
    policy: Policy,
    *,
    locations: Locations | None = None,
) -> str:
    """The document to print on stdout for `--format`; empty for markdown (reports are files).

    Printed in a CI log, no line of it is a workflow command, whatever the claims say."""
    if output_format is OutputFormat.MARKDOWN:
        return ""
    renderer, reference = RENDERERS[output_format]
    return inert(renderer(findings, policy, locations=locations), reference)
