"""Which files a run reads as articles, and an empty run that must not pass as a green gate."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fixtures.entry_point import verifier

from verifier.articles import (
    empty_run_problems,
    not_article_warnings,
    own_paths,
    refuse_empty_run_under_ci,
    resolve_articles,
    under_ci,
)
from verifier.errors import ArticleError, InputError
from verifier.settings import Settings

ARTICLE = "The harbour bridge opened in 1932.[^1]\n\n[^1]: https://example.org/bridge\n"


def write(path: Path, text: str = ARTICLE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_globs_expand_sorted_and_de_duplicated_and_named_paths_must_be_files(
    tmp_path: Path,
) -> None:
    write(tmp_path / "b.md")
    write(tmp_path / "a.md")
    (tmp_path / "folder.md").mkdir()
    selection = resolve_articles(tmp_path, ["*.md", "a.md"])
    assert [p.name for p in selection.paths] == ["a.md", "b.md"]
    assert [(r.pattern, r.articles) for r in selection.patterns] == [("*.md", 2), ("a.md", 1)]
    assert resolve_articles(tmp_path, ["none/*.md"]).paths == []
    for named in ("missing.md", "folder.md"):
        with pytest.raises(ArticleError) as raised:
            resolve_articles(tmp_path, [named])
        assert raised.value.path == named


def test_globs_never_pick_up_the_tools_own_files_wherever_settings_put_them(
    tmp_path: Path,
) -> None:
    article = write(tmp_path / "docs" / "bridge.md")
    settings = Settings(reports_dir="out/pages", archive_dir="store")
    own = own_paths(tmp_path / "claims.yaml", settings, {"VERIFIER_CACHE_DIR": "/elsewhere"})
    for name in ("out/pages/index.md", "store/warc/page.md", ".verifier-cache/x.md"):
        write(tmp_path / name, "# a report\n")
    write(tmp_path / "reports" / "index.md")  # not the configured reports folder: an article
    (tmp_path / "claims.yaml").write_text("claims: []\n", encoding="utf-8")
    selection = resolve_articles(tmp_path, ["**/*.md", ".*/*.md", "*.yaml"], own=own)
    assert selection.paths == [article, tmp_path / "reports" / "index.md"]
    [_, hidden, ledger] = selection.patterns
    assert (hidden.articles, hidden.own_files) == (0, 1)
    assert (ledger.articles, ledger.own_files) == (0, 1)
    assert "verifier's own files" in empty_run_problems(selection, 1, source="claims.yaml")[0]


def test_folders_fifos_and_devices_a_glob_matches_are_reported_and_never_opened(
    tmp_path: Path,
) -> None:
    write(tmp_path / "docs" / "a.md")
    (tmp_path / "docs" / "sub.md").mkdir()
    os.mkfifo(tmp_path / "docs" / "pipe.md")  # opening it for reading would hang the run
    (tmp_path / "docs" / "null.md").symlink_to(os.devnull)
    (tmp_path / "docs" / "dangling.md").symlink_to(tmp_path / "gone.md")
    selection = resolve_articles(tmp_path, ["docs/*.md"])
    assert selection.paths == [tmp_path / "docs" / "a.md"]
    kinds = {item.path.name: item.kind for item in selection.not_articles}
    assert kinds == {
        "sub.md": "folder",
        "pipe.md": "fifo",
        "null.md": "device",
        "dangling.md": "broken link",
    }
    [warning] = not_article_warnings(selection, tmp_path)
    assert "docs/pipe.md" in warning and "a folder" in warning


def test_an_unmatched_glob_and_articles_without_claims_are_empty_run_problems(
    tmp_path: Path,
) -> None:
    write(tmp_path / "a.md", "No footnotes here.\n")
    selection = resolve_articles(tmp_path, ["*.md", "drafts/*.md"])
    problems = empty_run_problems(selection, 0, source="claims.yaml `articles:`")
    assert len(problems) == 2
    assert "'drafts/*.md'" in problems[0] and "1 article" in problems[1]
    assert empty_run_problems(resolve_articles(tmp_path, ["*.md"]), 3, source="x") == []


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, False),
        ({"CI": "true"}, True),
        ({"CI": "1"}, True),
        ({"CI": "false"}, False),
        ({"CI": "0", "GITHUB_ACTIONS": "true"}, True),
    ],
)
def test_under_ci(environ: dict[str, str], expected: bool) -> None:
    assert under_ci(environ) is expected


def test_an_empty_run_fails_only_under_ci_and_not_when_expected(tmp_path: Path) -> None:
    problems = ["claims.yaml `articles:`: 'docs/*.md' matches no file"]
    ledger = tmp_path / "claims.yaml"
    refuse_empty_run_under_ci(problems, Settings(), {}, ledger)
    refuse_empty_run_under_ci(problems, Settings(allow_empty=True), {"CI": "true"}, ledger)
    refuse_empty_run_under_ci([], Settings(), {"CI": "true"}, ledger)
    with pytest.raises(InputError) as raised:
        refuse_empty_run_under_ci(problems, Settings(), {"CI": "true"}, ledger)
    assert raised.value.exit_code == 3


def test_cli_empty_runs_warn_and_exit_3_under_ci_leaving_the_ledger_alone(
    tmp_path: Path,
) -> None:
    ledger = tmp_path / "claims.yaml"
    text = "articles: [docs/*.md]\nclaims: []\n"
    ledger.write_text(text, encoding="utf-8")

    under_ci_run = verifier("run", cwd=tmp_path, env={"CI": "true"})
    assert under_ci_run.returncode == 3, under_ci_run.stderr
    assert "'docs/*.md' matches no file" in under_ci_run.stderr
    assert "allow_empty" in under_ci_run.stderr
    assert ledger.read_text(encoding="utf-8") == text

    write(tmp_path / "docs" / "plain.md", "An article without footnotes.\n")
    no_claims = verifier("extract", cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert no_claims.returncode == 3, no_claims.stderr
    assert "no footnoted claim found in 1 article" in no_claims.stderr

    expected = verifier("extract", cwd=tmp_path, env={"CI": "true", "VERIFIER_ALLOW_EMPTY": "1"})
    assert expected.returncode == 0, expected.stderr
