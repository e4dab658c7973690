"""Nothing verifier prints under GitHub Actions is taken for a workflow command, whatever a
claim or a source says; documents parse back to the same data."""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ElementTree

import pytest
from fixtures.report import samples

from verifier.model import Finding
from verifier.report.formats import OutputFormat, render
from verifier.report.inert import inert, json_reference, one_line, xml_reference
from verifier.settings import Policy

HOSTILE = [
    "Shipped on time.\n::add-mask::secret",
    "Shipped.\r::error::forged",
    "Shipped. \u2028 ::warning::forged",
    "Shipped. ##[stop-commands]token and ##[add-mask]secret",
    "  ::set-output name=x::y",
]


def runner_would_obey(line: str) -> bool:
    """The Actions runner's two parsers (src/Runner.Worker/ActionCommandManager.cs): "::"
    opening the line after leading blanks, or the legacy "##[" anywhere in it."""
    return line.lstrip().startswith("::") or "##[" in line


def runner_lines(output: str) -> list[str]:
    """Lines as the runner reads them: it splits at CR, LF and CRLF."""
    return output.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def hostile_findings() -> list[Finding]:
    """The contradicted sample once per hostile text, each with its own id."""
    finding = samples.contradicted()
    return [
        dataclasses.replace(
            finding, claim=dataclasses.replace(finding.claim, id=f"c-{i:06d}", text=text)
        )
        for i, text in enumerate(HOSTILE)
    ]


@pytest.mark.parametrize("text", HOSTILE)
def test_console_text_is_one_line_the_runner_ignores(text: str) -> None:
    line = inert(one_line(text))
    assert runner_lines(line) == [line]
    assert not runner_would_obey(line)


@pytest.mark.parametrize("output_format", [OutputFormat.JSON, OutputFormat.SARIF])
def test_json_documents_obey_nothing_and_keep_the_claims_text(
    output_format: OutputFormat,
) -> None:
    document = render(hostile_findings(), output_format, Policy())
    assert not [line for line in runner_lines(document) if runner_would_obey(line)]
    parsed = json.loads(document)
    texts = (
        {c["text"] for c in parsed["claims"]}
        if output_format is OutputFormat.JSON
        else {r["message"]["text"].split(" — ", 1)[1] for r in parsed["runs"][0]["results"]}
    )
    expected = set(HOSTILE) if output_format is OutputFormat.JSON else set(map(one_line, HOSTILE))
    assert texts == expected


def test_junit_obeys_nothing_and_keeps_the_claims_text() -> None:
    document = render(hostile_findings(), OutputFormat.JUNIT, Policy())
    assert not [line for line in runner_lines(document) if runner_would_obey(line)]
    names = [case.get("name", "") for case in ElementTree.fromstring(document).iter("testcase")]
    assert [name.split(": ", 1)[1] for name in names] == [one_line(t) for t in HOSTILE]


def test_references_parse_back_to_the_same_characters() -> None:
    text = "##[add-mask]x"
    assert json.loads('"' + inert(text, json_reference) + '"') == text
    assert ElementTree.fromstring("<a>" + inert(text, xml_reference) + "</a>").text == text
