"""JUnit XML for CI test reporters: one test suite per article, one test case per claim.

Valid against the Jenkins xunit plugin's junit-10.xsd, the schema Jenkins, GitLab and the
common GitHub test-report actions read: no attribute that schema lacks (a test case has no
`file` or `line`; the suite carries `file`, and each failure's text opens with
"path:line", where reporters look for a location). A claim that fails the gate is a
<failure>; an accepted claim, or one whose source could not be read, is <skipped> with the
reason (an unreadable source is not a passing test). Text is cleaned of the characters XML
1.0 cannot hold (ESC or BEL copied from an article), shown as \\xNN instead.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence

from verifier.gate import fails
from verifier.ledger.acceptance import is_accepted
from verifier.model import Finding, Verdict
from verifier.report.inert import one_line
from verifier.report.locations import Locations
from verifier.report.results import ordered
from verifier.report.sarif import describe
from verifier.settings import Policy

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters XML 1.0 cannot carry, not even as character references."""


def xml_text(text: str) -> str:
    """`text` with every character XML 1.0 forbids written out as \\xNN (\\uNNNN above 0xFF)."""
    return _NOT_XML.sub(lambda match: _visible(match.group()), text)


def _visible(character: str) -> str:
    code = ord(character)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _outcome(finding: Finding, policy: Policy) -> tuple[str, str] | None:
    """("failure" | "skipped", message), or None for a passing test case."""
    if is_accepted(finding):
        return "skipped", f"accepted: {finding.claim.note or '(no note)'}"
    if fails(finding, policy):
        return "failure", describe(finding)
    if finding.verdict is Verdict.UNAVAILABLE:
        return "skipped", f"unavailable: {finding.reason or 'source could not be read'}"
    return None


def render_junit(
    findings: Sequence[Finding], policy: Policy, *, locations: Locations | None = None
) -> str:
    locations = locations or Locations()
    by_file: dict[str, list[Finding]] = {}
    for finding in ordered(findings):
        by_file.setdefault(locations.file(finding.claim), []).append(finding)
    root = ElementTree.Element("testsuites", name="verifier")
    totals = {"tests": 0, "failures": 0}
    for path, file_findings in by_file.items():
        suite = ElementTree.SubElement(root, "testsuite", name=xml_text(path), file=xml_text(path))
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for finding in file_findings:
            counts["tests"] += 1
            claim = finding.claim
            case = ElementTree.SubElement(
                suite,
                "testcase",
                classname=xml_text(path),
                name=xml_text(f"{claim.id}: {one_line(claim.text)}"),
            )
            outcome = _outcome(finding, policy)
            if outcome is None:
                continue
            kind, message = outcome
            counts["failures" if kind == "failure" else "skipped"] += 1
            element = ElementTree.SubElement(case, kind, message=xml_text(message))
            if kind == "failure":
                element.set("type", finding.verdict.value)
            element.text = xml_text(
                "\n".join([locations.where(claim), message, *(f"source: {u}" for u in claim.urls)])
            )
        for key, value in counts.items():
            suite.set(key, str(value))
        suite.set("errors", "0")
        totals["tests"] += counts["tests"]
        totals["failures"] += counts["failures"]
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("errors", "0")
    ElementTree.indent(root)
    body = ElementTree.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
