"""GitHub Actions output: annotation escaping, and the step summary kept under 1 MiB."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from fixtures.report import samples

from verifier.model import Claim, Finding, Flag, Verdict
from verifier.report.github import (
    STEP_SUMMARY_LIMIT,
    annotations_for,
    append_step_summary,
    escape_data,
    escape_property,
    github_outputs,
    running_in_github_actions,
    step_summary,
)
from verifier.report.locations import Locations
from verifier.settings import Policy

POLICY = Policy()
COMMAND = re.compile(r"^::(error|warning) (?P<properties>[^:]*)::(?P<message>.*)$")


def unescape(text: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def test_detects_github_actions_from_the_environment() -> None:
    assert running_in_github_actions({"GITHUB_ACTIONS": "true"})
    assert not running_in_github_actions({"CI": "true"})


def test_escaping_round_trips_and_leaves_no_separators() -> None:
    nasty = "50%: a,b\r\nc%0A"
    assert unescape(escape_property(nasty)) == nasty
    assert not set(":,\r\n") & set(escape_property(nasty))
    assert unescape(escape_data(nasty)) == nasty
    assert "\n" not in escape_data(nasty) and ":" in escape_data(nasty)


def test_annotations_point_at_the_article_line_and_escape_every_value() -> None:
    text = "Revenue rose 50%,\nsaid the CFO: twice."
    claim = Claim(
        id="c-abc123", text=text, urls=("https://a.example/x",), article="news/a,b:c.md", line=7
    )
    flag = Flag(13, 16, "number", "50%", "25%")
    failing = Finding(claim, Verdict.CONTRADICTED, 0.4, flags=(flag,))
    lines = annotations_for([failing, samples.unavailable(), samples.supported()], POLICY)
    assert len(lines) == 2  # supported findings are not annotated
    match = COMMAND.match(lines[0])
    assert match is not None and match.group(1) == "error"
    properties = dict(p.split("=", 1) for p in match.group("properties").split(","))
    assert unescape(properties["file"]) == "news/a,b:c.md"
    assert properties["line"] == "7"
    message = unescape(match.group("message"))
    assert message.startswith("contradicted: " + text)
    assert "“50%”" in message and "“25%”" in message
    assert "\n" not in lines[0]
    assert lines[1].startswith("::warning file=examples/iwaya.md,line=20,")


def test_accepted_findings_are_not_annotated() -> None:
    assert annotations_for([samples.accepted_unsupported()], POLICY) == []


def many_failing(count: int) -> list[Finding]:
    base = samples.contradicted()
    return [
        dataclasses.replace(
            base, claim=dataclasses.replace(base.claim, id=f"c-{i:06x}", text="Ж" * 300 + str(i))
        )
        for i in range(count)
    ]


def test_step_summary_is_capped_and_says_what_it_left_out() -> None:
    findings = many_failing(5000)  # about 2.7 MB of rows uncapped
    summary = step_summary(findings, POLICY)
    size = len(summary.encode("utf-8"))
    assert size < STEP_SUMMARY_LIMIT
    assert size > STEP_SUMMARY_LIMIT // 2  # the room is used, not thrown away
    assert "more failing claims" in summary
    assert "Gate failed" in summary


def test_step_summary_appends_within_what_other_steps_left(tmp_path: Path) -> None:
    path = tmp_path / "summary.md"
    path.write_text("x" * (STEP_SUMMARY_LIMIT - 10_000), encoding="utf-8")
    append_step_summary(path, many_failing(500), POLICY)
    assert path.stat().st_size < STEP_SUMMARY_LIMIT
    assert path.read_text(encoding="utf-8").startswith("x" * 100)


def test_small_runs_get_the_whole_summary() -> None:
    summary = step_summary(samples.all_findings(), POLICY)
    assert "c-3f9a1e" not in summary  # rows show where and what, not ids
    assert "examples/iwaya.md:12" in summary
    assert "more failing" not in summary
    assert step_summary([samples.supported()], POLICY).count("Gate passed") == 1


def test_paths_are_made_relative_to_the_repository_when_the_ledger_is_in_a_folder() -> None:
    in_docs = Locations(ledger="docs/claims.yaml", ledger_lines={"c-hand01": 40})
    line = annotations_for([samples.contradicted()], POLICY, locations=in_docs)[0]
    assert line.startswith("::error file=docs/examples/iwaya.md,line=12,")
    hand = dataclasses.replace(samples.hand_written_partial(), verdict=Verdict.CONTRADICTED)
    hand_line = annotations_for([hand], POLICY, locations=in_docs)[0]
    assert hand_line.startswith("::error file=docs/claims.yaml,line=40,")


def test_github_outputs_only_under_github_actions(tmp_path: Path) -> None:
    summary = tmp_path / "step-summary.md"
    findings = samples.all_findings()
    assert github_outputs(findings, POLICY, {"GITHUB_STEP_SUMMARY": str(summary)}) == []
    assert not summary.exists()
    environ = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    lines = github_outputs(
        findings, POLICY, environ, locations=Locations(ledger="docs/claims.yaml")
    )
    assert lines[0].startswith("::error file=docs/examples/iwaya.md,line=12,")
    assert "Gate failed" in summary.read_text(encoding="utf-8")
