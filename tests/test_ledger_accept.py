"""Accepting findings: `Ledger.accept`, and acceptances that go stale when things change."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from fixtures.report import samples

from verifier.errors import LedgerError
from verifier.gate import evaluate
from verifier.ledger import Ledger
from verifier.ledger.acceptance import (
    Acceptance,
    acceptance,
    finding_fingerprint,
    is_accepted,
    pin_from_results,
    result_fingerprint,
    unpinned_warnings,
)
from verifier.model import Claim, Finding, SourceCheck, Status, Verdict
from verifier.report import results_document
from verifier.settings import Policy

FIXTURES = Path(__file__).parent / "fixtures" / "ledger"


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    path = tmp_path / "claims.yaml"
    shutil.copy(FIXTURES / "commented.yaml", path)
    return path


def accepted(finding: Finding, accepted_for: str | None) -> Finding:
    claim = dataclasses.replace(
        finding.claim, status=Status.ACCEPTED, note="ok", accepted_for=accepted_for
    )
    return dataclasses.replace(finding, claim=claim)


def with_digest(finding: Finding, digest: str) -> Finding:
    check = finding.checks[0]
    source = dataclasses.replace(check.source, payload_digest=digest)  # type: ignore[type-var]
    return dataclasses.replace(finding, checks=(SourceCheck(check.url, source, check.assessment),))


def test_accept_writes_status_note_and_pin_keeping_comments(ledger_path: Path) -> None:
    ledger = Ledger.load(ledger_path)
    claim = ledger.accept("c-0b1c2d", "confirmed by phone", accepted_for="0123abcd/4567ef89")
    assert claim.status is Status.ACCEPTED
    ledger.save()
    text = ledger_path.read_text(encoding="utf-8")
    assert "# The headline case: a title the source gives differently." in text
    assert "# reviewed on the phone with the desk" in text
    reloaded = next(c for c in Ledger.load(ledger_path).claims if c.id == "c-0b1c2d")
    assert (reloaded.status, reloaded.note, reloaded.accepted_for) == (
        Status.ACCEPTED,
        "confirmed by phone",
        "0123abcd/4567ef89",
    )
    block = text[text.index("id: c-0b1c2d") :]
    assert block.index("urls:") < block.index("status:") < block.index("accepted_for:")


def test_accept_rejects_unknown_ids_and_empty_notes(ledger_path: Path) -> None:
    ledger = Ledger.load(ledger_path)
    with pytest.raises(LedgerError):
        ledger.accept("c-nope00", "why")
    with pytest.raises(LedgerError):
        ledger.accept("c-0b1c2d", "  ")
    ledger.save()  # writes the hand-written claim's id; nothing about the failed accepts
    untouched = next(c for c in Ledger.load(ledger_path).claims if c.id == "c-0b1c2d")
    assert (untouched.status, untouched.note) == (Status.OPEN, None)


def test_malformed_pin_is_a_ledger_error(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_text(
        "claims:\n  - text: a\n    urls: []\n    status: accepted\n    accepted_for: yes\n"
    )
    with pytest.raises(LedgerError) as raised:
        Ledger.load(path)
    assert raised.value.line == 5


def test_a_pinned_acceptance_holds_until_text_or_source_changes() -> None:
    original = samples.contradicted()
    pin = finding_fingerprint(original)
    current = accepted(original, pin)
    assert acceptance(current) is Acceptance.CURRENT
    assert evaluate([current], Policy()).passed

    edited_claim = dataclasses.replace(current.claim, text=current.claim.text + " Twice.")
    edited = dataclasses.replace(current, claim=edited_claim)
    assert acceptance(edited) is Acceptance.STALE_TEXT
    assert not evaluate([edited], Policy()).passed

    recaptured = with_digest(current, "sha1:ANOTHERDIGEST")
    assert acceptance(recaptured) is Acceptance.STALE_SOURCE
    assert evaluate([recaptured], Policy()).failing == (recaptured,)


def test_an_acceptance_without_its_pin_silences_nothing() -> None:
    finding = accepted(with_digest(samples.contradicted(), "sha1:X"), None)
    assert acceptance(finding) is Acceptance.UNPINNED
    assert not is_accepted(finding)
    assert evaluate([finding], Policy()).failing == (finding,)


def test_each_acceptance_without_its_pin_is_a_warning_on_its_status_line(
    ledger_path: Path,
) -> None:
    ledger = Ledger.load(ledger_path)
    lines = ledger_path.read_text(encoding="utf-8").splitlines()
    status_line = next(n for n, line in enumerate(lines, 1) if "status: accepted" in line)
    (warning,) = unpinned_warnings(ledger, "claims.yaml")
    assert (warning.article, warning.line) == ("claims.yaml", status_line)
    assert "c-3f9a1e" in warning.message
    ledger.accept("c-3f9a1e", "confirmed", accepted_for="0123abcd/4567ef89")
    assert unpinned_warnings(ledger, "claims.yaml") == []


def test_not_accepted_is_none() -> None:
    assert acceptance(samples.contradicted()) is Acceptance.NONE


def test_results_json_entry_gives_the_same_fingerprint_as_the_finding() -> None:
    findings = samples.all_findings()
    by_id = {entry["id"]: entry for entry in results_document(findings)["claims"]}
    for finding in findings:
        assert result_fingerprint(by_id[finding.claim.id]) == finding_fingerprint(finding)


def test_fingerprint_ignores_source_order_and_whitespace() -> None:
    claim = Claim(id="c-1", text="A  claim\nhere.", urls=("b", "a"))
    other = Claim(id="c-1", text="A claim here.", urls=("a", "b"))
    assert finding_fingerprint(Finding(claim, Verdict.UNAVAILABLE, 0.0)) == finding_fingerprint(
        Finding(other, Verdict.UNAVAILABLE, 0.0)
    )


def test_pin_from_results_finds_the_claim_or_gives_none() -> None:
    findings = samples.all_findings()
    document = results_document(findings)
    pin = pin_from_results(document, "c-3f9a1e")
    assert pin == finding_fingerprint(samples.contradicted())
    assert pin_from_results(document, "c-nope00") is None
    assert pin_from_results(None, "c-3f9a1e") is None


def test_accept_with_pin_reads_the_last_results(ledger_path: Path, tmp_path: Path) -> None:
    from verifier.ledger.acceptance import accept_with_pin
    from verifier.report import write_reports

    ledger = Ledger.load(ledger_path)
    museum = next(c for c in ledger.claims if c.id == "c-0b1c2d")
    finding = dataclasses.replace(samples.supported(), claim=museum)
    reports = tmp_path / "reports"
    write_reports([finding], reports, generated_at="2026-11-22T00:00:00Z")
    claim = accept_with_pin(ledger, "c-0b1c2d", "seen", reports / "results.json")
    assert claim.accepted_for == finding_fingerprint(finding)


def test_accept_without_a_report_of_the_claim_refuses_and_changes_nothing(
    ledger_path: Path, tmp_path: Path
) -> None:
    from verifier.ledger.acceptance import accept_with_pin

    ledger = Ledger.load(ledger_path)
    before = ledger.dumps()
    with pytest.raises(LedgerError):
        accept_with_pin(ledger, "c-0b1c2d", "seen", tmp_path / "missing.json")
    with pytest.raises(LedgerError):
        accept_with_pin(ledger, "c-nope00", "seen", tmp_path / "missing.json")
    assert ledger.dumps() == before
