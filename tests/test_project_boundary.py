"""The project boundary: local sources and claims.yaml articles are read only inside the repository.

A footnote is written by whoever edits the article; in CI that can be a pull request from
anyone, so a path must never turn the reports into a way to print the runner's files.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from pathlib import Path

import pytest
from fixtures.entry_point import verifier

from verifier.archive import Archive
from verifier.fetch import Fetcher, LocalAccess
from verifier.model import Capture, FetchFailure, SourceResult, UnavailableReason
from verifier.settings import FetchSettings

SECRET = "runner-secret-7f3a9c token=hunter2"
PAGE = "<html><body><main><p>The harbour bridge reopened on 14 March 2025.</p></main></body></html>"


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """A git project at tmp/project, and a secret file outside it at tmp/outside/secret.txt."""
    project = tmp_path / "project"
    (project / "sources").mkdir(parents=True)
    (project / ".git").mkdir()
    (project / "sources" / "page.html").write_text(PAGE, encoding="utf-8")
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET, encoding="utf-8")
    return project, secret


def read(project: Path, url: str, **settings: object) -> SourceResult:
    fetch = FetchSettings(wayback=None, **settings)  # type: ignore[arg-type]
    access = LocalAccess.for_project(project, fetch)
    with Archive(project / "archive") as archive, Fetcher(fetch, archive, local=access) as f:
        return f.fetch_all([url])[url]


def reason(result: SourceResult) -> UnavailableReason:
    assert isinstance(result, FetchFailure), result
    return result.reason


def test_a_file_inside_the_project_is_read(layout: tuple[Path, Path]) -> None:
    project, _ = layout
    result = read(project, (project / "sources" / "page.html").as_uri())
    assert isinstance(result, Capture)
    assert "reopened on 14 March 2025" in result.text


@pytest.mark.parametrize("spelling", ["absolute", "file-url", "relative", "symlink", "folder-link"])
def test_a_path_resolving_outside_the_repository_is_refused(
    layout: tuple[Path, Path], spelling: str
) -> None:
    project, secret = layout
    if spelling == "absolute":
        url = "file://" + str(secret)
    elif spelling == "file-url":
        url = secret.as_uri()
    elif spelling == "relative":
        url = (project / "sources" / ".." / ".." / "outside" / "secret.txt").as_uri()
    elif spelling == "symlink":
        (project / "sources" / "innocent.txt").symlink_to(secret)
        url = (project / "sources" / "innocent.txt").as_uri()
    else:
        (project / "sources" / "notes").symlink_to(secret.parent, target_is_directory=True)
        url = (project / "sources" / "notes" / "secret.txt").as_uri()

    result = read(project, url)

    assert reason(result) is UnavailableReason.OUTSIDE_REPOSITORY
    assert SECRET not in repr(result)


def test_the_repository_root_is_found_above_the_ledger(layout: tuple[Path, Path]) -> None:
    """A ledger in docs/ may cite a file elsewhere in its repository."""
    project, _ = layout
    docs = project / "docs"
    docs.mkdir()
    result = read(docs, (project / "sources" / "page.html").as_uri())
    assert isinstance(result, Capture)


def test_allow_paths_names_extra_folders(layout: tuple[Path, Path]) -> None:
    project, secret = layout
    result = read(project, secret.as_uri(), allow_paths=("../outside",))
    assert isinstance(result, Capture)
    assert SECRET in result.text


def test_a_symlink_inside_the_project_to_a_file_inside_it_is_read(
    layout: tuple[Path, Path],
) -> None:
    project, _ = layout
    (project / "alias.html").symlink_to(project / "sources" / "page.html")
    assert isinstance(read(project, (project / "alias.html").as_uri()), Capture)


def test_a_device_is_not_read_even_where_allowed(layout: tuple[Path, Path]) -> None:
    project, _ = layout
    (project / "sources" / "zero.txt").symlink_to("/dev/zero")
    result = read(project, (project / "sources" / "zero.txt").as_uri(), allow_paths=("/dev",))
    assert reason(result) is UnavailableReason.NOT_TEXT


def test_a_fifo_is_not_opened(layout: tuple[Path, Path]) -> None:
    """Opening a FIFO with no writer would block for ever: the read must end at once."""
    project, _ = layout
    fifo = project / "sources" / "pipe.html"
    os.mkfifo(fifo)
    outcome: list[SourceResult] = []
    reader = threading.Thread(target=lambda: outcome.append(read(project, fifo.as_uri())))
    reader.start()
    reader.join(timeout=20)
    if reader.is_alive():  # unblock the reader so the test run itself can end
        with open(fifo, "wb"):
            pass
        reader.join()
        pytest.fail("reading a FIFO source blocked")
    assert reason(outcome[0]) is UnavailableReason.NOT_TEXT


def test_a_directory_is_not_text(layout: tuple[Path, Path]) -> None:
    project, _ = layout
    assert reason(read(project, (project / "sources").as_uri())) is UnavailableReason.NOT_TEXT


def test_a_file_over_max_bytes_is_too_large(layout: tuple[Path, Path]) -> None:
    project, _ = layout
    big = project / "sources" / "big.txt"
    big.write_text("word " * 2_000, encoding="utf-8")
    assert reason(read(project, big.as_uri(), max_bytes=1_000)) is UnavailableReason.TOO_LARGE
    assert isinstance(read(project, big.as_uri(), max_bytes=20_000), Capture)


def test_a_run_never_publishes_a_file_outside_the_repository(tmp_path: Path) -> None:
    """The attack end to end: footnotes in an article cite a secret outside the repository in
    every spelling; the run reports them unavailable and the secret is in no file written."""
    project = tmp_path / "project"
    project.mkdir()
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    (project / "leak.txt").symlink_to(secret)
    (project / "article.md").write_text(
        "The runner keeps its token in a file.[^a] The token is long.[^b]"
        " The token is secret.[^c]\n\n"
        f"[^a]: <{secret.as_uri()}>\n"
        "[^b]: [notes](../secret.txt)\n"
        "[^c]: [leak](leak.txt)\n",
        encoding="utf-8",
    )
    (project / "claims.yaml").write_text(
        f"articles: [article.md]\nclaims:\n  - text: The token is long.\n    urls: [{secret}]\n",
        encoding="utf-8",
    )

    completed = verifier("run", cwd=project)

    assert completed.returncode == 0, completed.stderr
    document = json.loads((project / "reports" / "results.json").read_text(encoding="utf-8"))
    assert len(document["claims"]) == 4
    for claim in document["claims"]:
        assert claim["verdict"] == "unavailable"
    reports = "".join(p.read_text("utf-8") for p in (project / "reports").glob("*.md"))
    assert reports.count("outside the repository") >= 4
    for path in project.rglob("*"):
        if path.is_file() and not path.is_symlink() and ".git" not in path.parts:
            assert b"runner-secret" not in path.read_bytes(), path
    assert "runner-secret" not in completed.stdout + completed.stderr


def test_articles_claims_yaml_names_outside_the_repository_are_not_read(tmp_path: Path) -> None:
    """`articles:` globs and symlinked articles from claims.yaml stay inside the repository;
    an article given on the command line is the user's own choice and is read."""
    project = tmp_path / "project"
    project.mkdir()
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    foreign = outside / "private.md"
    foreign.write_text(
        "The runner-secret-7f3a9c note says the vault opens at dawn.[^1]\n\n"
        "[^1]: <https://example.org/vault>\n",
        encoding="utf-8",
    )
    (project / "linked.md").symlink_to(foreign)
    (project / "claims.yaml").write_text(
        "articles: ['*.md', '../elsewhere/*.md']\n", encoding="utf-8"
    )

    globbed = verifier("extract", cwd=project)

    assert globbed.returncode == 0, globbed.stderr
    assert "outside the repository" in globbed.stderr
    assert "runner-secret" not in (project / "claims.yaml").read_text(encoding="utf-8")

    (project / "claims.yaml").write_text("articles: [linked.md]\n", encoding="utf-8")
    named = verifier("extract", cwd=project)
    assert named.returncode == 3
    assert "linked.md: outside the repository" in named.stderr
    assert "runner-secret" not in (project / "claims.yaml").read_text(encoding="utf-8")

    by_hand = verifier("extract", "--format", "json", str(foreign), cwd=project)
    assert by_hand.returncode == 0, by_hand.stderr
    assert "runner-secret" in by_hand.stdout
