"""Where a run looks and what it points at: claims.yaml found from a subfolder or named by
VERIFIER_LEDGER; SARIF, JUnit and GitHub annotations relative to the repository root (or,
outside git, to the ledger's folder); a quiet run still says why it failed, one line per
finding, and nothing printed under GitHub Actions is taken for a workflow command."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from fixtures.entry_point import verifier

ARTICLE = """# Harbour

The harbour opened in 1931.[^a] It handles 4,000 ships a year.[^b]

[^a]: [History](sources/history.html)
[^b]: [Figures](sources/figures.html)
"""
HISTORY = (
    "<html><body><main><p>The harbour opened in 1931 after six years.</p></main></body></html>"
)
FIGURES = (
    "<html><body><main><p>The harbour handles 9,000 ships a year, the port authority "
    "said.</p></main></body></html>"
)
LEDGER = """# the ledger
articles: [articles/*.md]

claims:
  - id: c-hand01
    text: "The lighthouse was painted red.\\n::add-mask::secret ##[stop-commands]x"
    urls: [articles/sources/history.html]
"""
HAND_WRITTEN_LINE = 6
"""The line of the hand-written claim's text in LEDGER."""


def runner_would_obey(line: str) -> bool:
    """The Actions runner's parsers: "::" opening a line after blanks, or "##[" anywhere."""
    return line.lstrip().startswith("::") or "##[" in line


def runner_lines(output: str) -> list[str]:
    return output.replace("\r\n", "\n").replace("\r", "\n").split("\n")


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A git repository whose ledger lives in docs/, as with the action's working-directory."""
    root = tmp_path / "repo"
    sources = root / "docs" / "articles" / "sources"
    sources.mkdir(parents=True)
    (root / "docs" / "articles" / "harbour.md").write_text(ARTICLE, encoding="utf-8")
    (sources / "history.html").write_text(HISTORY, encoding="utf-8")
    (sources / "figures.html").write_text(FIGURES, encoding="utf-8")
    (root / "docs" / "claims.yaml").write_text(LEDGER, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def test_a_run_in_a_subfolder_finds_the_ledger_and_points_github_at_repository_paths(
    repository: Path, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.md"
    actions = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), "CI": "true"}
    completed = verifier(
        "run", "--format", "sarif", cwd=repository / "docs" / "articles", env=actions
    )
    assert completed.returncode == 2, completed.stderr
    assert (repository / "docs" / "reports" / "index.md").is_file()
    assert not (repository / "docs" / "articles" / "claims.yaml").exists()

    results = json.loads(completed.stdout)["runs"][0]["results"]
    located = {r["properties"]["claimId"]: r["locations"][0]["physicalLocation"] for r in results}
    assert located["c-hand01"] == {
        "artifactLocation": {"uri": "docs/claims.yaml"},
        "region": {"startLine": HAND_WRITTEN_LINE},
    }
    article = [v for k, v in located.items() if k != "c-hand01"]
    assert article == [
        {"artifactLocation": {"uri": "docs/articles/harbour.md"}, "region": {"startLine": 3}}
    ]

    obeyed = [
        line
        for output in (completed.stdout, completed.stderr)
        for line in runner_lines(output)
        if runner_would_obey(line)
    ]
    assert sorted(line.split(",", 2)[:2] for line in obeyed) == [
        ["::error file=docs/articles/harbour.md", "line=3"],
        ["::error file=docs/claims.yaml", f"line={HAND_WRITTEN_LINE}"],
    ]


def test_ledger_given_as_a_relative_path_or_in_the_environment_gives_the_same_paths(
    repository: Path, tmp_path: Path
) -> None:
    articles = repository / "docs" / "articles"
    assert verifier("run", cwd=repository / "docs").returncode == 2
    junit = verifier(
        "--ledger", "../claims.yaml", "check", "--offline", "--format", "junit", cwd=articles
    )
    suites = {s.get("file") for s in ElementTree.fromstring(junit.stdout).iter("testsuite")}
    assert suites == {"docs/articles/harbour.md", "docs/claims.yaml"}

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    named = {"VERIFIER_LEDGER": str(repository / "docs" / "claims.yaml")}
    sarif = verifier("check", "--offline", "--format", "sarif", cwd=elsewhere, env=named)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(sarif.stdout)["runs"][0]["results"]
    }
    assert uris == {"docs/articles/harbour.md", "docs/claims.yaml"}


def test_outside_git_paths_are_relative_to_the_ledgers_folder(repository: Path) -> None:
    shutil.rmtree(repository / ".git")
    docs = repository / "docs"
    assert verifier("run", cwd=docs).returncode == 2
    from_above = verifier(
        "--ledger", "docs/claims.yaml", "check", "--offline", "--format", "sarif", cwd=repository
    )
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(from_above.stdout)["runs"][0]["results"]
    }
    assert uris == {"articles/harbour.md", "claims.yaml"}
    # Outside a repository, only the working directory is searched for claims.yaml.
    assert verifier("check", "--offline", cwd=docs / "articles").returncode == 3


def test_a_quiet_run_still_lists_each_failing_finding_on_one_line(repository: Path) -> None:
    docs = repository / "docs"
    completed = verifier("-q", "run", cwd=docs)
    assert completed.returncode == 2
    lines = completed.stderr.splitlines()
    assert lines[0].startswith("gate failed: 2 finding(s)")
    listed = [line for line in lines[1:] if line.startswith("  ")]
    assert len(listed) == len(lines) - 1 == 2
    assert any(line.startswith("  c-hand01: unsupported: The lighthouse") for line in listed)
    assert not re.search(r"\bclaims: ", completed.stderr)  # the summary line is not shown


def test_text_writes_nothing_where_it_runs_nor_in_the_project(repository: Path) -> None:
    articles = repository / "docs" / "articles"
    before = sorted(repository.rglob("*"))
    completed = verifier("text", "sources/history.html", cwd=articles)
    assert completed.returncode == 0, completed.stderr
    assert "opened in 1931" in completed.stdout
    new = set(repository.rglob("*")) - set(before)
    # Loading claims.yaml may leave its parse cache beside it; nothing else appears.
    assert {path.relative_to(repository).parts[:2] for path in new} <= {("docs", ".verifier-cache")}


def test_an_article_warning_under_github_actions_is_an_annotation_on_its_line(
    repository: Path,
) -> None:
    broken = repository / "docs" / "articles" / "pier,%1.md"  # property-escaping in its name
    broken.write_text(
        "The pier opened in 1931.[^a]\nIt was rebuilt in 1990.[^z]\n\n"
        "[^a]: [History](sources/history.html)\n",
        encoding="utf-8",
    )
    completed = verifier("extract", cwd=repository / "docs", env={"GITHUB_ACTIONS": "true"})

    assert completed.returncode == 0, completed.stderr
    obeyed = [line for line in runner_lines(completed.stderr) if runner_would_obey(line)]
    assert obeyed == [
        "::warning file=docs/articles/pier%2C%251.md,line=2,title=verifier::marker [^z] has no note"
    ]
    plain = verifier("extract", cwd=repository / "docs", env={"GITHUB_ACTIONS": ""})
    assert "articles/pier,%1.md:2: warning: marker [^z] has no note" in plain.stderr
