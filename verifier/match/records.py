"""Bulk scoring for `verifier score`: JSONL lines {"id", "claim", "source"} -> result dicts."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from verifier.errors import RecordError
from verifier.files import OverlongLine
from verifier.match.pool import SourcePool
from verifier.model import Assessment
from verifier.text.sentences import MAX_CLAIM_CHARS, cut_to_length

MAX_RECORD_BYTES = 32 * 1024 * 1024
"""The longest input line read: above the fetcher's 20 MiB body limit, so any page fits."""


def score_records(
    lines: Iterable[str | bytes | OverlongLine],
    warn: Callable[[int, str], None] | None = None,
) -> Iterator[dict[str, Any] | RecordError]:
    """One outcome per non-blank input line, in order: the output dict {"id", "score",
    "verdict", "evidence", "flags"}, or a RecordError (its 1-based line, and the record's id
    when readable) for a malformed line, and the batch goes on.

    A claim over MAX_CLAIM_CHARS is scored on its first MAX_CLAIM_CHARS characters, and
    `warn(line, message)` is told.
    """
    pool = SourcePool()  # claims citing the same page share its index, however interleaved
    for number, line in enumerate(lines, start=1):
        try:
            parsed = parse_record(line, number)
        except RecordError as error:
            yield error
            continue
        if parsed is None:
            continue
        record_id, claim, source_text = parsed
        if len(claim) > MAX_CLAIM_CHARS:
            if warn is not None:
                warn(
                    number,
                    f"claim of {len(claim):,} characters cut to its first {MAX_CLAIM_CHARS:,}",
                )
            claim = cut_to_length(claim)
        yield assessment_record(record_id, pool.assess(claim, source_text))


def error_record(error: RecordError) -> dict[str, Any]:
    """The output line for a malformed input line: {"id", "line", "error"}."""
    return {"id": error.record_id, "line": error.line, "error": error.message}


def assessment_record(record_id: Any, assessment: Assessment) -> dict[str, Any]:
    """The `verifier score` output object for one assessment (DESIGN.md contract)."""
    return {
        "id": record_id,
        "score": assessment.score,
        "verdict": assessment.verdict.value,
        "evidence": assessment.evidence.text if assessment.evidence is not None else None,
        "flags": [flag.as_json() for flag in assessment.flags],
    }


_HINT = 'each line must be an object {"id": ..., "claim": "...", "source": "..."}'


def parse_record(line: str | bytes | OverlongLine, number: int) -> tuple[Any, str, str] | None:
    """(id, claim, source) of one input line; None for a blank line; RecordError when the
    line is not such a record, with the id when it could be read."""
    if isinstance(line, OverlongLine):
        raise RecordError(f"line of {line.length:,} bytes is over the limit", line=number)
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as error:
            raise RecordError(
                f"not UTF-8 (byte 0x{line[error.start]:02x} at column {error.start + 1})",
                line=number,
                hint="save the file as UTF-8",
            ) from None
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise RecordError(
            f"line is not valid JSON ({error.msg} at column {error.colno})", line=number, hint=_HINT
        ) from None
    except RecursionError:
        raise RecordError("JSON nested too deeply", line=number, hint=_HINT) from None
    except ValueError as error:  # an integer of more digits than Python converts
        raise RecordError(
            f"line cannot be read as JSON ({error})", line=number, hint=_HINT
        ) from None
    if not isinstance(record, dict):
        raise RecordError(
            f"expected a JSON object, got {type(record).__name__}", line=number, hint=_HINT
        )
    record_id = record.get("id")
    if not _printable(record_id):
        raise RecordError(
            '"id" cannot be written back as JSON (a lone surrogate or a non-finite number)',
            line=number,
        )
    missing = [key for key in ("id", "claim", "source") if key not in record]
    if missing:
        raise RecordError(
            f"missing field(s): {', '.join(missing)}", line=number, record_id=record_id
        )
    claim, source = record["claim"], record["source"]
    if not isinstance(claim, str) or not isinstance(source, str):
        raise RecordError('"claim" and "source" must be strings', line=number, record_id=record_id)
    for name, text in (("claim", claim), ("source", source)):
        if not _printable(text):
            raise RecordError(
                f'"{name}" has a lone surrogate (half of a UTF-16 pair)',
                line=number,
                record_id=record_id,
                hint="write characters outside the BMP as one pair of \\u escapes, or as UTF-8",
            )
    return record_id, claim, source


def _printable(value: object) -> bool:
    """True when `value` can be written as strict JSON in UTF-8 (the output lines are)."""
    try:
        if isinstance(value, str):
            value.encode("utf-8")
        else:
            json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (ValueError, RecursionError):  # UnicodeEncodeError is a ValueError
        return False
    return True
