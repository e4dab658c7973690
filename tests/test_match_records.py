"""`score_records`: the JSONL contract behind `verifier score`."""

from __future__ import annotations

import json

import pytest

from verifier.errors import InputError
from verifier.match import score_records

SOURCE = (
    "TOKYO (Reuters) - Japan's Foreign Minister Takeshi Iwaya will visit Beijing next week for "
    "talks with his Chinese counterpart Wang Yi, the ministry said on Friday."
)


def line(record_id: object, claim: str, source: str = SOURCE) -> str:
    return json.dumps({"id": record_id, "claim": claim, "source": source})


def test_each_line_gives_one_contract_record_in_order() -> None:
    lines = [
        line("a", "Japan's Defense Minister Takeshi Iwaya will visit Beijing."),
        "",
        line(7, "Foreign Minister Takeshi Iwaya will visit Beijing for talks with Wang Yi."),
    ]
    records = list(score_records(lines))
    assert [r["id"] for r in records] == ["a", 7]
    for record in records:
        assert set(record) == {"id", "score", "verdict", "evidence", "flags"}
        assert isinstance(record["score"], float) and 0.0 <= record["score"] <= 1.0
        assert record["verdict"] in {"supported", "partial", "contradicted", "unsupported"}
        assert isinstance(record["evidence"], str)
    first, second = records
    assert first["verdict"] == "contradicted"
    title = next(flag for flag in first["flags"] if flag["kind"] == "title")
    assert set(title) == {"start", "end", "kind", "claim", "source", "severity"}
    assert title["severity"] == "conflict"
    claim = "Japan's Defense Minister Takeshi Iwaya will visit Beijing."
    assert claim[title["start"] : title["end"]] == title["claim"] == "Defense Minister"
    assert title["source"] == "Foreign Minister"
    assert second["verdict"] == "supported"
    assert second["score"] > first["score"]
    json.dumps(records)  # the CLI prints them as JSON lines


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("{not json", "invalid JSON"),
        ('["a list"]', "not an object"),
        ('{"id": 1, "claim": "x"}', "missing source"),
        ('{"id": 1, "claim": 3, "source": "x"}', "claim not a string"),
    ],
)
def test_malformed_line_raises_input_error_with_its_line_number(bad: str, reason: str) -> None:
    lines = [line(1, "Iwaya will visit Beijing."), bad]
    results = score_records(lines)
    assert next(results)["id"] == 1
    with pytest.raises(InputError) as raised:
        next(results)
    assert raised.value.line == 2, reason
    assert raised.value.path is None
    assert raised.value.exit_code == 3
