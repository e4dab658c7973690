"""The CI side of the command line: exit codes, policy layers, formats, GitHub output,
acceptances and --changed-since, each through the real entry point."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fixtures.entry_point import clean_environment, verifier

from verifier import cli

REPO = Path(__file__).resolve().parent.parent

ARTICLE = """# Notes on the harbour

The harbour opened in 1931.[^a] It handles 4,000 ships a year.[^b]

[^a]: [Harbour history](sources/history.html), Town archive.
[^b]: [Harbour figures](sources/figures.html), Port authority.
"""
HISTORY = (
    "<html><body><main><p>The harbour opened in 1931 after six years of work.</p>"
    "</main></body></html>"
)
FIGURES = (
    "<html><body><main><p>The harbour handles 9,000 ships a year, the port authority "
    "said.</p></main></body></html>"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small repository: one article with a supported and a contradicted claim."""
    (tmp_path / "docs" / "sources").mkdir(parents=True)
    (tmp_path / "docs" / "harbour.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "docs" / "sources" / "history.html").write_text(HISTORY, encoding="utf-8")
    (tmp_path / "docs" / "sources" / "figures.html").write_text(FIGURES, encoding="utf-8")
    (tmp_path / "claims.yaml").write_text(
        "# ledger\narticles: [docs/*.md]\nclaims: []\n", encoding="utf-8"
    )
    return tmp_path


def by_text(root: Path) -> dict[str, dict[str, object]]:
    document = json.loads((root / "reports" / "results.json").read_text(encoding="utf-8"))
    return {str(c["text"]): c for c in document["claims"]}


def test_exit_2_when_a_claim_is_contradicted_and_0_when_the_policy_allows_it(
    project: Path,
) -> None:
    assert verifier("run", cwd=project).returncode == 2
    assert verifier("check", "--fail-on", "unsupported", cwd=project).returncode == 0
    env = {"VERIFIER_FAIL_ON": "unsupported"}
    assert verifier("check", cwd=project, env=env).returncode == 0
    # A flag beats the environment.
    assert verifier("check", "--fail-on", "contradicted", cwd=project, env=env).returncode == 2


def test_exit_3_for_an_unknown_verdict_in_a_flag_or_the_environment(project: Path) -> None:
    flag = verifier("check", "--fail-on", "wrong", cwd=project)
    assert flag.returncode == 3
    assert "--fail-on" in flag.stderr
    env = verifier("check", cwd=project, env={"VERIFIER_FAIL_ON": "wrong"})
    assert env.returncode == 3
    assert "VERIFIER_FAIL_ON" in env.stderr


def test_exit_1_for_an_unexpected_error(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(path: Path, shown: str) -> None:
        raise RuntimeError("a bug")

    monkeypatch.chdir(project)
    monkeypatch.setattr(cli, "extract_article", broken)
    with pytest.raises(SystemExit) as exited:
        cli.main(["extract"])
    assert exited.value.code == 1
    assert "RuntimeError: a bug" in capsys.readouterr().err


def test_formats_print_json_sarif_and_junit(project: Path) -> None:
    verifier("run", cwd=project)

    as_json = verifier("check", "--format", "json", cwd=project)
    assert as_json.returncode == 2
    assert {c["verdict"] for c in json.loads(as_json.stdout)["claims"]} == {
        "supported",
        "contradicted",
    }

    sarif = json.loads(verifier("check", "--format", "sarif", cwd=project).stdout)
    assert sarif["version"] == "2.1.0"
    [result] = [r for r in sarif["runs"][0]["results"] if r["level"] == "error"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "docs/harbour.md"
    assert location["region"]["startLine"] == 3

    junit = ET.fromstring(verifier("check", "--format", "junit", cwd=project).stdout)
    failures = junit.findall(".//failure")
    assert len(failures) == 1


def test_github_actions_annotations_and_step_summary(project: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    completed = verifier(
        "run",
        cwd=project,
        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), "CI": "true"},
    )
    assert completed.returncode == 2
    errors = [line for line in completed.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 1
    assert errors[0].startswith("::error file=docs/harbour.md,line=3")
    assert "contradicted" in summary.read_text(encoding="utf-8")

    quiet = verifier("run", cwd=project)
    assert "::error" not in quiet.stdout


def test_accept_silences_the_finding_until_the_source_changes(project: Path) -> None:
    verifier("run", cwd=project)
    contradicted = next(c for c in by_text(project).values() if c["verdict"] == "contradicted")

    accepted = verifier("accept", str(contradicted["id"]), "--note", "figure checked", cwd=project)
    assert accepted.returncode == 0, accepted.stderr
    ledger = (project / "claims.yaml").read_text(encoding="utf-8")
    assert ledger.startswith("# ledger\n")
    assert "note: figure checked" in ledger
    assert verifier("check", cwd=project).returncode == 0

    figures = project / "docs" / "sources" / "figures.html"
    figures.write_text(FIGURES.replace("9,000", "9,500"), encoding="utf-8")
    assert verifier("check", cwd=project).returncode == 2  # stale: the source changed


def test_accept_an_unknown_id_exits_3_and_changes_nothing(project: Path) -> None:
    before = (project / "claims.yaml").read_text(encoding="utf-8")
    completed = verifier("accept", "c-nosuch", "--note", "x", cwd=project)
    assert completed.returncode == 3
    assert (project / "claims.yaml").read_text(encoding="utf-8") == before


def git(project: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=project,
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_changed_since_checks_only_the_changed_articles(project: Path) -> None:
    other = project / "docs" / "other.md"
    other.write_text(
        "The harbour opened in 1931.[^a]\n\n[^a]: [History](sources/history.html).\n",
        encoding="utf-8",
    )
    verifier("run", cwd=project)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")

    nothing = verifier("run", "--changed-since", "HEAD", "-v", cwd=project)
    assert "0 claims" in nothing.stderr
    assert nothing.returncode == 0  # the contradicted claim is in an unchanged article

    other.write_text(
        "The harbour opened in 1932.[^a]\n\n[^a]: [History](sources/history.html).\n",
        encoding="utf-8",
    )
    changed = verifier("run", "--changed-since", "HEAD", cwd=project)
    assert "1 claims" in changed.stderr
    assert changed.returncode == 2
    # The report still covers every article: unchanged ones keep last run's results.
    articles = {c["article"] for c in by_text(project).values()}
    assert articles == {"docs/harbour.md", "docs/other.md"}


def test_changed_since_an_unknown_ref_exits_3(project: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    git(project, "init", "-q")
    completed = verifier("check", "--changed-since", "no-such-ref", cwd=project)
    assert completed.returncode == 3
    assert "no-such-ref" in completed.stderr


def test_quiet_and_verbose_are_accepted_after_the_command(project: Path) -> None:
    quiet = verifier("run", "-q", cwd=project)
    # Only why the gate failed: no summary, no progress.
    assert quiet.stderr.splitlines() == [
        "gate failed: 1 finding(s) fail the policy",
        "  docs/harbour.md:3: contradicted: It handles 4,000 ships a year.",
    ]
    verbose = verifier("check", "-v", cwd=project)
    assert "fetching" in verbose.stderr or "reading" in verbose.stderr


def run_with_terminal_stderr(project: Path, env: dict[str, str]) -> str:
    """Run `verifier run` with stderr on a pseudo-terminal; return what it drew there."""
    import pty

    leader, follower = pty.openpty()
    completed = subprocess.run(
        [sys.executable, "-m", "verifier", "run"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env=clean_environment(env),
        timeout=120,
        check=False,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: everything has been read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert completed.returncode == 2
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_progress_bars_on_a_terminal_but_not_in_ci(project: Path) -> None:
    drawn = run_with_terminal_stderr(project, {})
    assert "fetching [" in drawn
    assert "checking [" in drawn
    assert "2/2" in drawn

    in_ci = run_with_terminal_stderr(project, {"CI": "true"})
    assert "checking [" not in in_ci
    assert "gate failed" in in_ci
