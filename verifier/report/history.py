"""What changed since the last run: read the previous results.json, compare findings.

A finding is a *problem* when it is not supported and not accepted. "New" are problems that
were not problems last time (or had another verdict); "fixed" are last run's problems that
are now supported, accepted, or gone from the ledger.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from verifier.files import open_regular
from verifier.model import Finding, Verdict
from verifier.report.facts import Facts, Findings
from verifier.report.results import CarriedFindings, claim_line


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


class PreviousRun(NamedTuple):
    """What this run reads of the previous results.json."""

    document: dict[str, Any]
    """The document, each claim slimmed to what `compare` reads of it."""
    carried: CarriedFindings
    """The claims of articles outside `checked_articles`, with their results.json lines:
    a `--changed-since` run, or a re-check of unchanged inputs, carries them into this
    run's results as they were written."""


def read_previous(
    path: Path, checked_articles: Collection[str | None] | None = None
) -> PreviousRun | None:
    """The previous results.json, or None when there is none or it is not ours to read.

    Only what `compare` reads is kept of each claim, and the lines of the claims carried
    into this run (`PreviousRun`). The file is read a claim (a line) at a time where it has
    the layout `results_json` writes, so the previous run is never held parsed whole: at
    30,000 claims that document alone would be the largest thing in memory.
    """
    try:
        with open_regular(path) as handle:
            previous = previous_document(handle, checked_articles)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        # A missing or damaged previous report only loses the comparison; this run rewrites it.
        return None
    if not isinstance(previous.document, dict) or not isinstance(
        previous.document.get("claims"), list
    ):
        return None
    return previous


def previous_document(
    handle: BinaryIO, checked_articles: Collection[str | None] | None = None
) -> PreviousRun:
    """The results document in `handle` (seekable), as `read_previous` keeps it.

    results.json has a claim a line between `{"claims": [` and `]`; any other layout (a file
    formatted by hand, say) is parsed whole, so the outcome is the same either way (its
    carried claims are then serialised as `results_json` writes them).
    """
    try:
        previous = _claim_by_claim(handle, checked_articles)
    except (UnicodeDecodeError, json.JSONDecodeError):
        previous = None
    if previous is None:
        handle.seek(0)
        document = json.loads(handle.read())
        carried = CarriedFindings()
        if isinstance(document, dict) and isinstance(document.get("claims"), list):
            for entry in document["claims"]:
                if _carried(entry, checked_articles):
                    carried.add(claim_line(entry), entry)
            document["claims"] = [_slim(entry) for entry in document["claims"]]
        previous = PreviousRun(document, carried)
    return previous


def _claim_by_claim(
    handle: BinaryIO, checked_articles: Collection[str | None] | None
) -> PreviousRun | None:
    """The document read a line at a time; None when it is not laid out as `results_json`
    writes it (or a JSON error: the whole parse then decides)."""
    if handle.readline() != _CLAIMS_OPEN:
        return None
    claims: list[Any] = []
    carried = CarriedFindings()
    line = handle.readline()
    while line and not line.startswith(b"]"):
        body = line.rstrip(b"\n").decode("utf-8")  # str parses faster than bytes
        comma = body.endswith(",")
        if comma:
            body = body[:-1]
        entry = json.loads(body)
        if _carried(entry, checked_articles):
            carried.add(body, entry)
        claims.append(_slim(entry))
        line = handle.readline()
        if comma == line.startswith(b"]"):  # a comma between claims, none before the end
            return None
    if not claims or not line:
        return None
    tail = line[1:] + handle.read()
    rest = json.loads(b'{"claims": []' + tail)
    if not isinstance(rest, dict) or "claims" in json.loads(b'{"": 0' + tail):
        return None  # "claims" given twice: the whole parse decides which counts
    return PreviousRun({**rest, "claims": claims}, carried)


_CLAIMS_OPEN = b'{"claims": [\n'
_COMPARED = ("id", "verdict", "accepted")
_COMPARED_PROBLEM = (*_COMPARED, "article", "line", "text")


def _carried(entry: Any, checked_articles: Collection[str | None] | None) -> bool:
    return (
        checked_articles is not None
        and isinstance(entry, dict)
        and entry.get("article") not in checked_articles
    )


def _slim(entry: Any) -> Any:
    """What `compare` reads of a claim entry."""
    if not isinstance(entry, dict):
        return entry
    keys = _COMPARED_PROBLEM if _was_problem(entry) else _COMPARED
    return {key: entry[key] for key in keys if key in entry}


def _was_problem(entry: Mapping[str, Any]) -> bool:
    return entry.get("verdict") != Verdict.SUPPORTED.value and not entry.get("accepted", False)


def _is_problem(facts: Facts) -> bool:
    return facts.verdict is not Verdict.SUPPORTED and not facts.accepted


def compare(previous: Mapping[str, Any] | None, findings: Sequence[Finding]) -> RunChanges | None:
    """New and fixed problems, from the findings' facts (`Findings`): a finding itself is
    read only for the text of a new problem (the findings may be on disk)."""
    if previous is None:
        return None
    before: dict[str, Mapping[str, Any]] = {}
    for entry in previous.get("claims", []):
        if isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
            before[entry["id"]] = entry
    were_problems = {claim_id for claim_id, old in before.items() if _was_problem(old)}
    # For each of last run's problems still in the ledger: what it is now (None: still a
    # problem). The last finding of an id counts, as in a dict built from them all.
    now_of: dict[str, str | None] = {}

    new: list[Change] = []
    findings = Findings.of(findings)
    for index, facts in enumerate(findings.facts):
        problem = _is_problem(facts)
        if facts.id in were_problems:
            now_of[facts.id] = (
                None if problem else "accepted" if facts.accepted else facts.verdict.value
            )
        if not problem:
            continue
        old = before.get(facts.id)
        if old is not None and _was_problem(old) and old.get("verdict") == facts.verdict.value:
            continue
        new.append(
            Change(
                facts.id,
                facts.article,
                facts.line,
                findings[index].claim.text,
                facts.verdict.value,
                str(old["verdict"]) if old is not None else None,
            )
        )
    fixed: list[Change] = []
    for claim_id, old in before.items():
        if claim_id not in were_problems:
            continue
        if claim_id in now_of:
            now = now_of[claim_id]
            if now is None:
                continue
        else:
            now = "removed"
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
