"""Accepted findings, pinned to what was accepted so that a change brings the finding back.

`verifier accept ID` records `accepted_for: <text hash>/<sources hash>` beside `status:
accepted`: a hash of the claim's text and one of its sources' payload digests. When either
changes (the sentence is edited, a source is re-captured with different content, a URL is
added), the acceptance is stale and the finding counts again. An acceptance only counts with
its pin: a `status: accepted` written by hand without `accepted_for` would otherwise be a
one-line way past any gate, so it silences nothing and `unpinned_warnings` names its line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from verifier.errors import LedgerError
from verifier.files import read_regular
from verifier.ledger.ids import normalize_text, short_hash
from verifier.model import Capture, Claim, ExtractionWarning, Finding, Status

if TYPE_CHECKING:
    from verifier.ledger.store import Ledger


class Acceptance(StrEnum):
    NONE = "none"
    CURRENT = "current"
    """Accepted, and text and sources are what was accepted."""
    UNPINNED = "unpinned"
    """`status: accepted` without `accepted_for` (written by hand): silences nothing."""
    STALE_TEXT = "stale: claim text changed"
    STALE_SOURCE = "stale: source changed"

    @property
    def holds(self) -> bool:
        return self is Acceptance.CURRENT

    @property
    def stale(self) -> bool:
        return self in (Acceptance.STALE_TEXT, Acceptance.STALE_SOURCE)


def fingerprint(text: str, sources: Iterable[tuple[str | None, str | None]]) -> str:
    """ "<text hash>/<sources hash>" from the claim text and (url, payload digest) pairs.

    A source that could not be read has digest None, so it becoming readable also counts as
    a change. Order does not matter: the same sources cited in another order are the same.
    """
    lines = sorted(f"{url or ''}\t{digest or '-'}" for url, digest in sources)
    return f"{short_hash(normalize_text(text))}/{short_hash(chr(10).join(lines))}"


def finding_fingerprint(finding: Finding) -> str:
    if finding.checks:
        pairs = [
            (check.url, check.source.payload_digest if isinstance(check.source, Capture) else None)
            for check in finding.checks
        ]
    else:
        pairs = [(url, None) for url in finding.claim.urls]
    return fingerprint(finding.claim.text, pairs)


def result_fingerprint(entry: Mapping[str, Any]) -> str:
    """The same fingerprint from a results.json claim entry (what `verifier accept` reads)."""
    sources = entry.get("sources")
    if sources:
        pairs = [(source.get("url"), source.get("digest")) for source in sources]
    else:
        pairs = [(url, None) for url in entry.get("urls", [])]
    return fingerprint(str(entry["text"]), pairs)


def acceptance(finding: Finding) -> Acceptance:
    claim = finding.claim
    if claim.status is not Status.ACCEPTED:
        return Acceptance.NONE
    if not claim.accepted_for:
        return Acceptance.UNPINNED
    current = finding_fingerprint(finding)
    if current == claim.accepted_for:
        return Acceptance.CURRENT
    accepted_text = claim.accepted_for.partition("/")[0]
    if current.partition("/")[0] != accepted_text:
        return Acceptance.STALE_TEXT
    return Acceptance.STALE_SOURCE


def is_accepted(finding: Finding) -> bool:
    """Accepted and not stale: the finding is silenced (use this, not `Finding.accepted`)."""
    return acceptance(finding).holds


def pin_from_results(results: Mapping[str, Any] | None, claim_id: str) -> str | None:
    """The `accepted_for` pin for a claim from a results.json document, if it has the claim.

    `verifier accept ID` pins what the reviewer saw: the last report's text and sources.
    None: no report yet, or the claim is not in it.
    """
    if results is None:
        return None
    for entry in results.get("claims", []):
        if isinstance(entry, Mapping) and entry.get("id") == claim_id and "text" in entry:
            return result_fingerprint(entry)
    return None


def accept_with_pin(ledger: Ledger, claim_id: str, note: str, results_path: Path) -> Claim:
    """What `verifier accept ID --note ...` does: accept, pinned to the last report's view.

    The pin comes from `results_path` (reports/results.json); a claim that is not in it has
    not been reviewed, and an acceptance without a pin would count for nothing, so that is
    a LedgerError. The caller saves the ledger.
    """
    if ledger.claim(claim_id) is None:
        raise LedgerError(
            f"no claim with id {claim_id!r}",
            path=str(ledger.path),
            hint="ids are in reports/results.json and on the report pages",
        )
    try:
        results = json.loads(read_regular(results_path).decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        results = None  # no report (or an unreadable one): nothing to pin to, said below
    pin = pin_from_results(results if isinstance(results, Mapping) else None, claim_id)
    if pin is None:
        raise LedgerError(
            f"claim {claim_id} is not in the last report, so there is nothing to pin the "
            "acceptance to",
            path=str(results_path),
            hint="run `verifier check`, review the finding, then accept it",
        )
    return ledger.accept(claim_id, note, accepted_for=pin)


def unpinned_warnings(
    ledger: Ledger, display_path: str, claims: Iterable[Claim] | None = None
) -> list[ExtractionWarning]:
    """A warning naming the `status:` line of every acceptance without its pin; of `claims`
    (the ledger's, or those of them a caller already picked out) when given."""
    unpinned = [
        claim.id
        for claim in (ledger.each_claim() if claims is None else claims)
        if claim.status is Status.ACCEPTED and not claim.accepted_for
    ]
    lines = ledger.field_lines("status", set(unpinned)) if unpinned else {}
    return [
        ExtractionWarning(
            display_path,
            lines.get(claim_id, 0),
            f"claim {claim_id} is accepted without `accepted_for`, so its finding still "
            f"counts: accept it with `verifier accept {claim_id} --note ...`",
        )
        for claim_id in unpinned
    ]
