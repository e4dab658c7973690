"""A check of unchanged inputs carries the last pass's findings (verifier/recheck.py): the
same reports, output and exit code as a pass run in full, and any change to what the
findings came from (a source, claims.yaml, the settings, reports/) still noticed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest
from fixtures.entry_point import verifier

from verifier import recheck
from verifier.ledger import Ledger
from verifier.model import Claim
from verifier.recheck import MEMO_PREFIX, PassMemo

SOURCE = (
    "<html><head><title>Report {n}</title></head><body><article><h1>Report {n}</h1>"
    "<p>The figures were published in the annual review of the city museums.</p>"
    "<p>In {year}, the museum of Valmora recorded {count} visitors.</p>"
    "</article></body></html>"
)
# The article's figures; source 3 says otherwise, so the gate fails on claim 3.
COUNTS = {1: "12,500", 2: "48,000", 3: "7,250"}
SOURCE_COUNTS = {1: "12,500", 2: "48,000", 3: "9,100"}
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
CARRIED = "nothing changed since the last pass"


def write_project(root: Path) -> None:
    (root / "sources").mkdir(parents=True)
    lines, notes = ["# Museum", ""], []
    for n, count in COUNTS.items():
        (root / "sources" / f"s{n}.html").write_text(
            SOURCE.format(n=n, year=2000 + n, count=SOURCE_COUNTS[n]), encoding="utf-8"
        )
        lines.append(f"In {2000 + n}, the museum of Valmora recorded {count} visitors.[^{n}]")
        notes.append(f"[^{n}]: [Report {n}](sources/s{n}.html), City Gazette.")
    (root / "article.md").write_text("\n".join([*lines, "", *notes, ""]), encoding="utf-8")
    (root / "claims.yaml").write_text(
        "# Our museum figures, checked before each release.\n"
        "articles: [article.md]\nsettings:\n  fail_on: [contradicted]\nclaims: []\n",
        encoding="utf-8",
    )


def settle() -> None:
    """Wait out the window in which a just-written file is not trusted (recheck.RACY_NS)."""
    time.sleep(recheck.RACY_NS / 1e9 + 0.1)


def memo(root: Path) -> Path:
    ledger = Ledger.load(root / "claims.yaml")
    found = PassMemo.of(root / "claims.yaml", ledger.content_key, ledger.settings, offline=False)
    assert found is not None and found.path.name.startswith(MEMO_PREFIX)
    return found.path


def verdicts(root: Path) -> dict[str, str]:
    document = json.loads((root / "reports" / "results.json").read_text(encoding="utf-8"))
    return {claim["text"]: claim["verdict"] for claim in document["claims"]}


def outputs(root: Path) -> dict[str, str]:
    """Every report file, the run's own timestamps masked."""
    return {
        path.relative_to(root).as_posix(): STAMP.sub("<T>", path.read_text(encoding="utf-8"))
        for path in sorted((root / "reports").rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def settled_projects(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A project for every test of this module that wants one, all written at once, so
    they settle together (one wait, not one a test)."""
    roots = [tmp_path_factory.mktemp("project") for _ in range(PROJECTS)]
    for root in roots:
        write_project(root)
    settle()
    return roots


PROJECTS = 12
"""How many tests of this module take `project` (a test more fails in its setup)."""


@pytest.fixture
def project(settled_projects: list[Path]) -> Path:
    root = settled_projects.pop()
    assert verifier("run", cwd=root).returncode == 2  # claim 3 is contradicted
    assert memo(root).is_file()
    return root


def test_an_unchanged_check_carries_the_last_pass_with_the_same_reports_and_output(
    project: Path,
) -> None:
    # A pass run in full (the cache, and so the memo, off) after one that was carried.
    carried = verifier("check", "-v", cwd=project)
    carried_reports = outputs(project)
    full = verifier("check", "-v", cwd=project, env={"VERIFIER_NO_CACHE": "1"})

    assert CARRIED in carried.stderr and CARRIED not in full.stderr
    assert carried.returncode == full.returncode == 2
    assert outputs(project) == carried_reports
    # The gate judges the carried findings: the same failing claim, the same summary.
    for line in full.stderr.splitlines():
        if "gate failed" in line or "claims:" in line or "contradicted:" in line:
            assert line in carried.stderr
    assert "recorded 7,250 visitors" in carried.stderr
    # The second run compares with the first: nothing new, nothing fixed.
    assert "Compared with the run of" in carried_reports["reports/index.md"]
    assert "0 new · 0 fixed" in carried_reports["reports/index.md"]
    for output_format in ("json", "sarif", "junit"):
        carried_document = verifier("check", "--format", output_format, cwd=project)
        assert CARRIED in verifier("check", "-v", cwd=project).stderr  # still carried
        full_document = verifier(
            "check", "--format", output_format, cwd=project, env={"VERIFIER_NO_CACHE": "1"}
        )
        assert STAMP.sub("<T>", carried_document.stdout) == STAMP.sub("<T>", full_document.stdout)


def test_the_carried_findings_come_from_no_source_and_no_cache(project: Path) -> None:
    # Without the matcher's results and the local texts, only the memo can give the verdicts.
    (project / ".verifier-cache" / "results.sqlite").unlink()
    for cached in (project / "archive").glob("local-text.sqlite*"):
        cached.unlink()
    before = verdicts(project)
    checked = verifier("check", "-v", cwd=project)
    assert CARRIED in checked.stderr, checked.stderr
    assert "matcher:" not in checked.stderr  # nothing was scored, not even from the cache
    assert verdicts(project) == before


def test_an_edited_source_is_noticed_even_with_its_size_and_mtime_put_back(
    project: Path,
) -> None:
    source = project / "sources" / "s2.html"
    before = source.stat()
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("48,000", "93,000"), encoding="utf-8")  # same size
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert source.stat().st_size == before.st_size
    settle()

    checked = verifier("check", "-v", cwd=project)

    assert CARRIED not in checked.stderr
    assert verdicts(project)["In 2002, the museum of Valmora recorded 48,000 visitors."] == (
        "contradicted"
    )


def test_a_source_written_just_now_is_not_trusted_until_it_settles(project: Path) -> None:
    source = project / "sources" / "s3.html"
    source.write_text(source.read_text(encoding="utf-8").replace("9,100", "7,250"), "utf-8")
    fixed = verifier("check", "-v", cwd=project)  # within the racy window: no memo kept
    assert fixed.returncode == 0 and CARRIED not in fixed.stderr
    again = verifier("check", "-v", cwd=project)
    assert again.returncode == 0 and CARRIED not in again.stderr
    settle()
    assert CARRIED not in verifier("check", "-v", cwd=project).stderr  # keeps a memo
    assert CARRIED in verifier("check", "-v", cwd=project).stderr


def test_claims_yaml_settings_and_offline_each_make_a_new_key(project: Path) -> None:
    ledger = project / "claims.yaml"
    text = ledger.read_text(encoding="utf-8")
    ledger.write_text(text.replace("# Our museum", "# The museum"), encoding="utf-8")
    assert CARRIED not in verifier("check", "-v", cwd=project).stderr
    assert CARRIED in verifier("check", "-v", cwd=project).stderr
    assert CARRIED not in verifier("check", "-v", "--offline", cwd=project).stderr
    assert CARRIED in verifier("check", "-v", "--offline", cwd=project).stderr
    environment = {"VERIFIER_MAX_BYTES": "100000"}
    assert CARRIED not in verifier("check", "-v", cwd=project, env=environment).stderr
    assert CARRIED in verifier("check", "-v", cwd=project, env=environment).stderr


def test_a_stricter_gate_judges_the_carried_findings(project: Path) -> None:
    ledger = project / "claims.yaml"
    ledger.write_text(
        ledger.read_text(encoding="utf-8").replace("fail_on: [contradicted]", "fail_on: []"),
        encoding="utf-8",
    )
    lenient = verifier("check", cwd=project)
    assert lenient.returncode == 0, lenient.stderr
    strict = verifier("check", "-v", "--fail-on", "contradicted", cwd=project)
    assert CARRIED in strict.stderr  # the policy only judges findings
    assert strict.returncode == 2
    assert "recorded 7,250 visitors" in strict.stderr


def test_reports_changed_by_hand_are_written_again_by_a_full_pass(project: Path) -> None:
    page = project / "reports" / "article.md"
    written = page.read_text(encoding="utf-8")
    page.unlink()
    checked = verifier("check", "-v", cwd=project)
    assert CARRIED not in checked.stderr
    assert page.read_text(encoding="utf-8") == written


def test_a_damaged_memo_only_costs_a_full_pass(project: Path) -> None:
    path = memo(project)
    whole = json.loads(path.read_text(encoding="utf-8"))
    damaged = [
        "",
        "{",
        "[]",
        "[" * 200_000,  # past the parser's nesting depth
        json.dumps({**whole, "format": 99}),
        json.dumps({key: value for key, value in whole.items() if key != "key"}),
        json.dumps({**whole, "key": 3}),
        json.dumps({**whole, "sources": ["\ud800"]}),
        json.dumps({**whole, "warnings": [["a", float("inf"), "m"]]}),
        json.dumps({**whole, "ledger_lines": []}),
    ]
    for damage in damaged:
        path.write_text(damage, encoding="utf-8", errors="surrogatepass")
        checked = verifier("check", "-v", cwd=project)
        assert checked.returncode == 2, checked.stderr
        assert CARRIED not in checked.stderr
        assert "3 claims" in checked.stderr
    assert CARRIED in verifier("check", "-v", cwd=project).stderr


def test_results_that_cannot_be_read_whole_are_checked_again_not_carried_short(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from verifier.cli import cli
    from verifier.report import history

    # results.json as the last pass left it (its stat unchanged), but a read that fails.
    monkeypatch.setattr(history, "read_previous", lambda *args, **kwargs: None)
    monkeypatch.chdir(project)
    code = cli.main(args=["check", "-v"], prog_name="verifier", standalone_mode=False)
    printed = capsys.readouterr().err
    assert "could not be carried (0 of 3 claims carried)" in printed
    assert code == 2
    assert "3 claims: 1 contradicted, 2 supported" in printed
    assert len(verdicts(project)) == 3


def test_a_project_that_is_its_own_reports_folder_is_carried(project: Path) -> None:
    # The articles in docs/, the reports beside claims.yaml (a layout the README allows).
    (project / "docs").mkdir()
    (project / "article.md").rename(project / "docs" / "article.md")
    (project / "sources").rename(project / "docs" / "sources")
    ledger = project / "claims.yaml"
    text = ledger.read_text(encoding="utf-8").replace("[article.md]", "[docs/article.md]")
    ledger.write_text(text.replace("settings:\n", "settings:\n  reports_dir: .\n"), "utf-8")
    first = verifier("run", "-v", cwd=project)
    assert first.returncode == 2 and CARRIED not in first.stderr, first.stderr
    assert (project / "index.md").is_file()
    assert CARRIED in verifier("check", "-v", cwd=project).stderr


def test_a_changed_since_run_checks_its_articles_and_keeps_no_memo(project: Path) -> None:
    git = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for command in (
        ["git", "init", "-q"],
        ["git", "add", "article.md", "claims.yaml"],
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base"],
    ):
        subprocess.run(command, cwd=project, check=True, env=git)
    before = memo(project).read_bytes()
    checked = verifier("check", "-v", "--changed-since", "HEAD", cwd=project)
    assert CARRIED not in checked.stderr
    assert memo(project).read_bytes() == before


def test_a_source_folder_swapped_for_a_symlink_is_noticed(project: Path) -> None:
    # Moved whole: every file keeps its inode and times, only the folder's real path differs.
    moved = project.parent / f"{project.name}-elsewhere"
    (project / "sources").rename(moved)
    (project / "sources").symlink_to(moved, target_is_directory=True)
    checked = verifier("check", "-v", cwd=project)
    assert CARRIED not in checked.stderr
    # Outside the project now: every source is unavailable, none carried from before.
    assert set(verdicts(project).values()) == {"unavailable"}


# -- the key, without the CLI --------------------------------------------------------------


def _claims(*urls: str) -> list[Claim]:
    return [Claim(id=f"c{n}", text="A claim.", urls=(url,)) for n, url in enumerate(urls)]


def test_a_web_source_leaves_no_key(tmp_path: Path) -> None:
    write_project(tmp_path)
    ledger = Ledger.load(tmp_path / "claims.yaml")
    settle()
    local = PassMemo.of(tmp_path / "claims.yaml", ledger.content_key, ledger.settings, offline=True)
    assert local is not None
    local.observe(_claims("sources/s1.html", "sources/s2.html"))
    assert local._key() is not None
    local.observe(_claims("sources/s1.html", "https://example.org/report"))
    assert local._key() is None


def test_no_memo_without_a_cache_folder_or_on_a_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(tmp_path)
    ledger = Ledger.load(tmp_path / "claims.yaml")
    path, key = tmp_path / "claims.yaml", ledger.content_key
    assert PassMemo.of(path, key, ledger.settings, offline=False) is not None
    on_cluster = replace(ledger.settings, cluster="local:2")
    assert PassMemo.of(path, key, on_cluster, offline=False) is None
    monkeypatch.setenv("VERIFIER_NO_CACHE", "1")
    assert PassMemo.of(path, key, ledger.settings, offline=False) is None
