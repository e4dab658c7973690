"""What changed since the last run: read the previous results.json, compare findings.

A finding is a *problem* when it is not supported and not accepted. "New" are problems that
were not problems last time (or had another verdict); "fixed" are last run's problems that
are now supported, accepted, or gone from the ledger.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verifier.files import read_regular
from verifier.ledger.acceptance import is_accepted
from verifier.model import Finding, Verdict


@dataclass(frozen=True)
class Change:
    id: str
    article: str | None
    line: int | None
    text: str
    now: str
    """The verdict now; for a fixed problem also "accepted" or "removed"."""
    before: str | None
    """The verdict last run; None when the claim is new to the ledger."""


@dataclass(frozen=True)
class RunChanges:
    since: str | None
    """When the previous run's results were generated, if it said."""
    new: tuple[Change, ...]
    fixed: tuple[Change, ...]


def read_previous(path: Path) -> dict[str, Any] | None:
    """The previous results.json, or None when there is none or it is not ours to read."""
    try:
        document = json.loads(read_regular(path).decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        # A missing or damaged previous report only loses the comparison; this run rewrites it.
        return None
    if not isinstance(document, dict) or not isinstance(document.get("claims"), list):
        return None
    return document


def _was_problem(entry: Mapping[str, Any]) -> bool:
    return entry.get("verdict") != Verdict.SUPPORTED.value and not entry.get("accepted", False)


def _is_problem(finding: Finding) -> bool:
    return finding.verdict is not Verdict.SUPPORTED and not is_accepted(finding)


def compare(previous: Mapping[str, Any] | None, findings: Sequence[Finding]) -> RunChanges | None:
    if previous is None:
        return None
    before: dict[str, Mapping[str, Any]] = {}
    for entry in previous.get("claims", []):
        if isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
            before[entry["id"]] = entry
    current = {finding.claim.id: finding for finding in findings}

    new: list[Change] = []
    for finding in findings:
        if not _is_problem(finding):
            continue
        old = before.get(finding.claim.id)
        if old is not None and _was_problem(old) and old.get("verdict") == finding.verdict.value:
            continue
        claim = finding.claim
        new.append(
            Change(
                claim.id,
                claim.article,
                claim.line,
                claim.text,
                finding.verdict.value,
                str(old["verdict"]) if old is not None else None,
            )
        )
    fixed: list[Change] = []
    for claim_id, old in before.items():
        if not _was_problem(old):
            continue
        found = current.get(claim_id)
        if found is not None and _is_problem(found):
            continue
        if found is None:
            now = "removed"
        else:
            now = "accepted" if is_accepted(found) else found.verdict.value
        fixed.append(
            Change(
                claim_id,
                old.get("article"),
                old.get("line"),
                str(old.get("text", "")),
                now,
                str(old.get("verdict")),
            )
        )
    since = previous.get("generated_at")
    return RunChanges(
        since=since if isinstance(since, str) else None, new=tuple(new), fixed=tuple(fixed)
    )
