"""Severity from the matcher to every output: `verifier score` lines, results.json, the
Markdown report and SARIF; wrong figures fail through `verifier score`, near-misses do not."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from fixtures.entry_point import verifier

from verifier.model import Flag, FlagKind, Severity

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "corpus" / "seeds"

PORT = "The port handled 1.5 million containers in 2023, its busiest year."
BRIDGE = "The city paid 42 million dollars for the new bridge over the river."
ROAD = "The new coast road is 100 kilometres long and opened in May."
TURNOUT = "Turnout in the local election was 64 percent, the highest in a decade."

WRONG = [
    ("value", PORT, "The port handled 2 million containers in 2023.", "2 million", "1.5 million"),
    (
        "magnitude",
        PORT,
        "The port handled 15 million containers in 2023.",
        "15 million",
        "1.5 million",
    ),
    (
        "currency",
        BRIDGE,
        "The city paid 42 million euros for the new bridge.",
        "42 million euros",
        "42 million dollars",
    ),
    ("unit", ROAD, "The new coast road is 100 miles long.", "100 miles", "100 kilometres"),
    (
        "percent",
        TURNOUT,
        "Turnout in the local election was 46 percent.",
        "46 percent",
        "64 percent",
    ),
]
NEAR = [
    ("rounding", PORT, "The port handled about 1.5 million containers in 2023."),
    ("digits", PORT, "The port handled 1,500,000 containers in 2023."),
    ("currency", BRIDGE, "The city paid $42m for the new bridge."),
    ("unit", ROAD, "The new coast road is 62 miles long."),
    ("percent", TURNOUT, "Turnout in the local election was 64%."),
]


def score(tmp_path: Path, records: list[dict[str, str]]) -> dict[str, dict[str, object]]:
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    completed = verifier("score", "--input", str(path), cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    return {line["id"]: line for line in map(json.loads, completed.stdout.splitlines())}


def test_wrong_figures_are_contradicted_and_near_misses_supported_by_verifier_score(
    tmp_path: Path,
) -> None:
    records = [
        {"id": f"wrong-{kind}", "claim": claim, "source": source}
        for kind, source, claim, _, _ in WRONG
    ] + [{"id": f"near-{kind}", "claim": claim, "source": source} for kind, source, claim in NEAR]
    lines = score(tmp_path, records)
    for kind, _, claim, figure, stated in WRONG:
        line = lines[f"wrong-{kind}"]
        assert line["verdict"] == "contradicted", kind
        flags = line["flags"]
        assert isinstance(flags, list)
        [number] = [flag for flag in flags if flag["kind"] == "number"]
        assert number["severity"] == "conflict"
        assert claim[number["start"] : number["end"]] == number["claim"]
        assert (number["claim"], number["source"]) == (figure, stated)
    for kind, _, _ in NEAR:
        line = lines[f"near-{kind}"]
        assert (line["verdict"], line["flags"]) == ("supported", []), kind


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/corpus/seeds not present")
def test_the_seeds_defense_minister_is_contradicted_by_the_foreign_minister(
    tmp_path: Path,
) -> None:
    claimed = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")
    source = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    claim = next(
        sentence
        for sentence in re.split(r"(?<=\.)\s+", claimed)
        if "Defense Minister Takeshi Iwaya" in sentence
    )
    [line] = score(tmp_path, [{"id": "iwaya", "claim": claim, "source": source}]).values()
    assert line["verdict"] == "contradicted"
    flags = line["flags"]
    assert isinstance(flags, list)
    [title] = [flag for flag in flags if flag["kind"] == "title"]
    assert (title["claim"], title["source"], title["severity"]) == (
        "Defense Minister",
        "Foreign Minister",
        "conflict",
    )


def test_the_example_reports_the_titles_severity_in_every_format(tmp_path: Path) -> None:
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    shutil.copy(REPO / "claims.yaml", tmp_path / "claims.yaml")
    completed = verifier("run", "--format", "sarif", cwd=tmp_path)
    assert completed.returncode == 2, completed.stderr
    document = json.loads((tmp_path / "reports" / "results.json").read_text(encoding="utf-8"))
    minister = next(c for c in document["claims"] if "Transport Minister" in c["text"])
    assert minister["verdict"] == "contradicted"
    [title] = [Flag.from_json(flag) for flag in minister["flags"] if flag["kind"] == "title"]
    assert (title.kind, title.severity) == (FlagKind.TITLE, Severity.CONFLICT)
    sarif = json.loads(completed.stdout)
    messages = [result["message"]["text"] for result in sarif["runs"][0]["results"]]
    assert any("title (conflict)" in message for message in messages)
    pages = [path.read_text(encoding="utf-8") for path in (tmp_path / "reports").glob("*.md")]
    assert any("| title (conflict) |" in page for page in pages)


def test_a_flag_without_severity_reads_and_writes_as_before() -> None:
    old = {"start": 0, "end": 3, "kind": "name", "claim": "Abe", "source": None}
    flag = Flag.from_json(old)
    assert flag.severity is None and flag.as_json() == old and flag.label == "name"
