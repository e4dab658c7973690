"""The on-disk sequence a check keeps its claims and findings in (verifier.spill)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from fixtures.report import samples

from verifier import gate
from verifier.model import Finding, Verdict
from verifier.report import write_reports
from verifier.report.facts import Facts, Findings, SpilledFindings
from verifier.report.views import Joined
from verifier.settings import Policy
from verifier.spill import Spill


def test_items_come_back_equal_in_slot_order_whatever_the_writing_order(tmp_path: Path) -> None:
    findings = samples.all_findings()
    with Spill(tmp_path, len(findings)) as spill:
        for index in reversed(range(len(findings))):  # the pass writes a batch at a time
            spill[index] = findings[index]
        assert spill.is_full()
        assert len(spill) == len(findings)
        assert list(spill) == findings
        assert spill[-1] == findings[-1]
        assert spill[1:3] == findings[1:3]
        assert spill[0] is not spill[0]  # read again each time: nothing is kept


def test_a_slot_is_written_once_and_an_empty_slot_cannot_be_read(tmp_path: Path) -> None:
    with Spill[str](tmp_path, 2) as spill:
        spill[1] = "b"
        assert not spill.is_full()
        with pytest.raises(LookupError):
            spill[0]
        with pytest.raises(ValueError):
            spill[1] = "again"
        spill.append("c")
        assert len(spill) == 3
        assert spill[2] == "c"


def test_the_spill_file_has_no_name_in_the_cache_folder(tmp_path: Path) -> None:
    """Nothing to clean up after an interrupted run: the file is never visible, and it is
    gone when closed (or when the process ends)."""
    folder = tmp_path / ".verifier-cache"
    spill = Spill.of(["x" * 10_000] * 50, folder)
    assert folder.is_dir()
    assert sorted(p.name for p in folder.iterdir()) == [".gitignore", "CACHEDIR.TAG"]
    descriptor = spill._file.fileno()
    assert os.fstat(descriptor).st_nlink == 0
    assert os.fstat(descriptor).st_size >= 500_000
    spill.close()
    assert sorted(p.name for p in folder.iterdir()) == [".gitignore", "CACHEDIR.TAG"]


def test_an_unwritable_cache_folder_spills_to_the_temporary_folder(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    with Spill.of([1, 2, 3], blocked / "cache") as spill:
        assert list(spill) == [1, 2, 3]


def test_reports_from_a_spill_are_the_bytes_of_reports_from_a_list(tmp_path: Path) -> None:
    findings = samples.all_findings()
    write_reports(findings, tmp_path / "listed", generated_at="2026-11-22T00:00:00Z")
    with Spill.of(findings, tmp_path / "cache") as spill:
        write_reports(spill, tmp_path / "spilled", generated_at="2026-11-22T00:00:00Z")
    listed = sorted(p.relative_to(tmp_path / "listed") for p in (tmp_path / "listed").rglob("*"))
    spilled = sorted(p.relative_to(tmp_path / "spilled") for p in (tmp_path / "spilled").rglob("*"))
    assert listed == spilled
    for name in listed:
        if (tmp_path / "listed" / name).is_file():
            before = (tmp_path / "listed" / name).read_bytes()
            assert (tmp_path / "spilled" / name).read_bytes() == before, name


def test_joined_reads_two_sequences_as_one() -> None:
    joined = Joined([1, 2], (3,))
    assert len(joined) == 3
    assert list(joined) == [1, 2, 3]
    assert [joined[i] for i in range(-3, 3)] == [1, 2, 3, 1, 2, 3]
    assert joined[1:] == [2, 3]
    with pytest.raises(IndexError):
        joined[3]


def spilled(findings: list[Finding], folder: Path) -> SpilledFindings:
    spill = SpilledFindings(Spill(folder, len(findings)))
    for index in reversed(range(len(findings))):
        spill[index] = findings[index]
    return spill


def test_spilled_findings_keep_facts_that_agree_with_the_findings(tmp_path: Path) -> None:
    findings = samples.all_findings()
    with spilled(findings, tmp_path) as spill:
        assert list(spill.facts) == [Facts.of(f) for f in findings]
        assert Findings.of(spill) is spill
        assert list(spill) == findings


def test_the_gate_over_spilled_findings_is_the_gate_over_a_list(tmp_path: Path) -> None:
    findings = samples.all_findings()
    for policy in (
        Policy(),
        Policy(fail_on=(Verdict.CONTRADICTED,), min_score=0.9),
        Policy(fail_on=(Verdict.UNAVAILABLE, Verdict.UNSUPPORTED, Verdict.PARTIAL)),
    ):
        with spilled(findings, tmp_path) as spill:
            assert gate.evaluate(spill, policy) == gate.evaluate(findings, policy)


def test_reports_over_a_second_run_from_a_spill_match_a_list(tmp_path: Path) -> None:
    """With last run's results to compare with (new and fixed problems in the index)."""
    first = samples.all_findings()
    second = [
        dataclasses.replace(f, verdict=Verdict.SUPPORTED, score=0.99)
        if f.verdict is Verdict.CONTRADICTED
        else dataclasses.replace(f, verdict=Verdict.CONTRADICTED, score=0.1)
        if f.verdict is Verdict.SUPPORTED
        else f
        for f in first
    ]
    for name in ("listed", "spilled"):
        write_reports(first, tmp_path / name, generated_at="2026-11-21T00:00:00Z")
    write_reports(second, tmp_path / "listed", generated_at="2026-11-22T00:00:00Z")
    with spilled(second, tmp_path) as spill:
        write_reports(spill, tmp_path / "spilled", generated_at="2026-11-22T00:00:00Z")
    index = (tmp_path / "listed" / "index.md").read_text(encoding="utf-8")
    assert "## Since last run" in index
    for path in sorted((tmp_path / "listed").rglob("*")):
        if path.is_file():
            name = path.relative_to(tmp_path / "listed")
            assert (tmp_path / "spilled" / name).read_bytes() == path.read_bytes(), name
