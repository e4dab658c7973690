"""`score_records`: the JSONL contract behind `verifier score`."""

from __future__ import annotations

import json

import pytest

from verifier.errors import RecordError
from verifier.files import OverlongLine
from verifier.match import error_record, score_records
from verifier.text.sentences import MAX_CLAIM_CHARS

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
    ("bad", "record_id"),
    [
        ("{not json", None),
        ('["a list"]', None),
        ('{"id": 1, "claim": "x"}', 1),
        ('{"id": "b", "claim": 3, "source": "x"}', "b"),
        ('{"id": "c", "claim": "a \\ud800 b", "source": "x"}', "c"),
        ('{"id": "\\udc00", "claim": "a", "source": "x"}', None),
        ('{"id": 1e999, "claim": "a", "source": "x"}', None),
        ("[" * 100_000, None),
        (b'{"id": "d\xff", "claim": "a", "source": "x"}', None),
        (OverlongLine(40_000_000), None),
    ],
)
def test_a_malformed_line_is_an_error_for_that_record_and_the_batch_goes_on(
    bad: str | bytes | OverlongLine, record_id: object
) -> None:
    lines = [line(1, "Iwaya will visit Beijing."), bad, line(3, "Iwaya will visit Beijing.")]
    first, error, third = score_records(lines)
    assert isinstance(first, dict) and first["id"] == 1
    assert isinstance(error, RecordError)
    assert (error.line, error.record_id, error.path, error.exit_code) == (2, record_id, None, 3)
    assert error_record(error) == {"id": record_id, "line": 2, "error": error.message}
    json.dumps(error_record(error), allow_nan=False).encode("utf-8")
    assert isinstance(third, dict) and third["id"] == 3


def test_an_over_long_claim_is_cut_with_a_warning() -> None:
    warnings: list[tuple[int, str]] = []
    claim = "Iwaya will visit Beijing " * 1000

    (record,) = score_records(
        [line("long", claim)], lambda n, message: warnings.append((n, message))
    )

    assert isinstance(record, dict) and record["verdict"] != "unavailable"
    assert [n for n, _ in warnings] == [1]
    assert all(flag["end"] <= MAX_CLAIM_CHARS for flag in record["flags"])
