"""End-to-end tests of the command line: real files, real exit codes, no network."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from fixtures.entry_point import verifier

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"


@pytest.fixture
def example_repo(tmp_path: Path) -> Path:
    """A copy of the repository's bundled example: claims.yaml plus examples/."""
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    shutil.copy(REPO / "claims.yaml", tmp_path / "claims.yaml")
    return tmp_path


def results(root: Path) -> dict[str, dict[str, object]]:
    document = json.loads((root / "reports" / "results.json").read_text(encoding="utf-8"))
    return {claim["text"]: claim for claim in document["claims"]}


def test_run_on_the_example_flags_the_title_as_contradicted(example_repo: Path) -> None:
    completed = verifier("run", cwd=example_repo)

    assert completed.returncode == 2, completed.stderr
    claims = results(example_repo)
    minister = next(c for t, c in claims.items() if "Transport Minister Ana Reyes" in t)
    assert minister["verdict"] == "contradicted"
    flags = minister["flags"]
    assert isinstance(flags, list)
    title = next(f for f in flags if f["kind"] == "title")
    assert "Transport Minister" in title["claim"]
    assert "Finance Minister" in title["source"]
    text = str(minister["text"])
    assert text[title["start"] : title["end"]] == title["claim"]
    assert (example_repo / "reports" / "index.md").is_file()


def test_run_reports_the_book_footnote_as_unavailable_and_supports_the_rest(
    example_repo: Path,
) -> None:
    verifier("run", cwd=example_repo)

    claims = results(example_repo)
    book = next(c for t, c in claims.items() if "opened in 1931" in t)
    assert book["verdict"] == "unavailable"
    assert book["urls"] == []
    reopened = next(c for t, c in claims.items() if "reopened to traffic on 14 March 2025" in t)
    assert reopened["verdict"] == "supported"


def test_run_keeps_comments_and_human_fields_in_the_ledger(example_repo: Path) -> None:
    verifier("run", cwd=example_repo)
    ledger = example_repo / "claims.yaml"
    text = ledger.read_text(encoding="utf-8")
    assert "# Findings with these verdicts fail the run" in text
    claim_id = results(example_repo)
    minister = next(c for t, c in claim_id.items() if "Transport Minister" in t)

    # A reviewer accepts the finding by hand, with a comment of their own.
    accepted = text.replace(
        f"- id: {minister['id']}\n",
        f"- id: {minister['id']}  # reviewed\n    status: accepted\n"
        "    note: the ministry confirmed the title by phone\n",
    )
    assert accepted != text
    ledger.write_text(accepted, encoding="utf-8")

    completed = verifier("run", cwd=example_repo)

    after = ledger.read_text(encoding="utf-8")
    assert "# reviewed" in after
    assert "note: the ministry confirmed the title by phone" in after
    again = results(example_repo)
    assert again[str(minister["text"])]["id"] == minister["id"]
    # Written by hand, without the pin `verifier accept` adds, it silences nothing: the
    # gate still fails, and a warning points at the line.
    assert completed.returncode == 2, completed.stderr
    assert again[str(minister["text"])]["accepted"] is False
    status_line = after.splitlines().index("    status: accepted") + 1
    assert f"claims.yaml:{status_line}: warning:" in completed.stderr
    index = (example_repo / "reports" / "index.md").read_text(encoding="utf-8")
    assert f"claims.yaml:{status_line}" in index


def test_a_malformed_ledger_exits_3_naming_file_and_line_and_is_not_rewritten(
    example_repo: Path,
) -> None:
    ledger = example_repo / "claims.yaml"
    broken = "articles:\n  - examples/*.md\nclaims:\n  - text: [unclosed\n"
    ledger.write_text(broken, encoding="utf-8")

    completed = verifier("run", cwd=example_repo)

    assert completed.returncode == 3
    assert "claims.yaml:" in completed.stderr
    assert len(completed.stderr.strip().splitlines()) <= 2  # one error line (+ a hint)
    assert ledger.read_text(encoding="utf-8") == broken
    assert not (example_repo / "reports").exists()


def test_a_missing_article_exits_3(example_repo: Path) -> None:
    completed = verifier("extract", "examples/no-such-article.md", cwd=example_repo)
    assert completed.returncode == 3
    assert "no-such-article.md" in completed.stderr


def test_usage_errors_exit_3_not_click_2(example_repo: Path) -> None:
    completed = verifier("check", "--no-such-option", cwd=example_repo)
    assert completed.returncode == 3


def test_check_without_a_ledger_exits_3_with_a_hint(tmp_path: Path) -> None:
    completed = verifier("check", cwd=tmp_path)
    assert completed.returncode == 3
    assert "verifier extract" in completed.stderr


def test_check_offline_reads_local_sources_and_reports_the_same_verdicts(
    example_repo: Path,
) -> None:
    verifier("run", cwd=example_repo)
    first = {t: c["verdict"] for t, c in results(example_repo).items()}

    completed = verifier("check", "--offline", "--format", "json", cwd=example_repo)

    assert completed.returncode == 2
    printed = json.loads(completed.stdout)
    assert {c["text"]: c["verdict"] for c in printed["claims"]} == first


def test_score_reads_jsonl_from_stdin(tmp_path: Path) -> None:
    lines = [
        {
            "id": "iwaya",
            "claim": "Japan's Defense Minister Takeshi Iwaya met the EU's foreign policy chief.",
            "source": "Foreign Minister Takeshi Iwaya met the EU's foreign policy chief in Tokyo.",
        },
        {
            "id": "same",
            "claim": "The bridge reopened on 14 March 2025.",
            "source": "After repairs, the bridge reopened on 14 March 2025.",
        },
    ]
    completed = verifier(
        "score", "--input", "-", cwd=tmp_path, stdin="\n".join(json.dumps(x) for x in lines)
    )

    assert completed.returncode == 0, completed.stderr
    out = [json.loads(line) for line in completed.stdout.splitlines()]
    assert [o["id"] for o in out] == ["iwaya", "same"]
    assert out[0]["verdict"] == "contradicted"
    assert {f["kind"] for f in out[0]["flags"]} >= {"title"}
    assert out[1]["verdict"] == "supported"
    assert out[1]["score"] > out[0]["score"]
    for record in out:
        assert set(record) >= {"id", "score", "verdict", "evidence", "flags"}
        assert 0.0 <= record["score"] <= 1.0


def test_score_rejects_a_malformed_line_with_exit_3(tmp_path: Path) -> None:
    completed = verifier("score", "--input", "-", cwd=tmp_path, stdin='{"id": 1, "claim": \n')
    assert completed.returncode == 3
    assert ":1:" in completed.stderr


def test_text_prints_main_text_of_a_local_file_as_json(example_repo: Path) -> None:
    page = "examples/sources/gazette-report.html"
    completed = verifier("text", "--format", "json", page, "missing.html", cwd=example_repo)

    lines = [json.loads(line) for line in completed.stdout.splitlines()]
    assert [line["input"] for line in lines] == [page, "missing.html"]
    assert "Finance Minister Ana Reyes" in lines[0]["text"]
    assert "Subscribe" not in lines[0]["text"]
    assert lines[1]["text"] == ""
    assert lines[1]["error"]


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/corpus/seeds not present")
def test_extract_json_on_the_seed_articles(tmp_path: Path) -> None:
    counts = {}
    for seed in sorted(SEEDS.glob("0*.txt")):
        completed = verifier("extract", "--format", "json", str(seed), cwd=tmp_path)
        assert completed.returncode == 0, completed.stderr
        claims = json.loads(completed.stdout)
        counts[seed.name[:3]] = len(claims)
        for claim in claims:
            assert set(claim) >= {"id", "article", "line", "footnote", "text", "urls"}
            assert claim["urls"], claim
            assert "[" not in claim["text"]
        if seed.name.startswith("000"):
            by_footnote = {c["footnote"]: c for c in claims}
            assert by_footnote["4"]["urls"] == by_footnote["3"]["urls"]
    assert counts == {"000": 4, "001": 5, "002": 0, "003": 0, "004": 0}
    assert not (tmp_path / "claims.yaml").exists()  # --format json changes nothing


def test_every_command_in_the_readme_exists_and_has_help() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `verifier ([a-z]+(?: [a-z]+)?)", readme, re.MULTILINE))
    documented = {name.split()[0] if name.split()[0] != "archive" else name for name in documented}
    assert documented == {
        "extract",
        "fetch",
        "check",
        "run",
        "accept",
        "score",
        "text",
        "archive verify",
        "archive reindex",
        "archive export",
    }
    for command in documented:
        completed = verifier(*command.split(), "--help", cwd=REPO)
        assert completed.returncode == 0, completed.stderr
        assert "Usage:" in completed.stdout


def test_every_check_option_in_the_readme_exists() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    help_text = verifier("check", "--help", cwd=REPO).stdout
    for option in re.findall(r"^\| `(--[a-z-]+)", readme, re.MULTILINE):
        assert option in help_text, option
