"""Bulk scoring for `verifier score`: JSONL lines {"id", "claim", "source"} -> result dicts."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from verifier.errors import InputError
from verifier.match.pool import SourcePool
from verifier.model import Assessment


def score_records(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """One output dict {"id", "score", "verdict", "evidence", "flags"} per non-blank input line.

    Raises InputError (with the 1-based line number, no path) on a malformed line; results
    for the lines before it have already been yielded.
    """
    pool = SourcePool()  # claims citing the same page share its index, however interleaved
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        record_id, claim, source_text = _parse(line, number)
        yield assessment_record(record_id, pool.assess(claim, source_text))


def assessment_record(record_id: Any, assessment: Assessment) -> dict[str, Any]:
    """The `verifier score` output object for one assessment (DESIGN.md contract)."""
    return {
        "id": record_id,
        "score": assessment.score,
        "verdict": assessment.verdict.value,
        "evidence": assessment.evidence.text if assessment.evidence is not None else None,
        "flags": [flag.as_json() for flag in assessment.flags],
    }


def _parse(line: str, number: int) -> tuple[Any, str, str]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(
            f"line is not valid JSON ({error.msg} at column {error.colno})",
            line=number,
            hint='each line must be an object {"id": ..., "claim": "...", "source": "..."}',
        ) from error
    if not isinstance(record, dict):
        raise InputError(
            f"expected a JSON object, got {type(record).__name__}",
            line=number,
            hint='each line must be an object {"id": ..., "claim": "...", "source": "..."}',
        )
    missing = [key for key in ("id", "claim", "source") if key not in record]
    if missing:
        raise InputError(f"missing field(s): {', '.join(missing)}", line=number)
    claim, source = record["claim"], record["source"]
    if not isinstance(claim, str) or not isinstance(source, str):
        raise InputError('"claim" and "source" must be strings', line=number)
    return record["id"], claim, source
