"""The on-disk sequence a check keeps its claims and findings in (verifier.spill)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fixtures.report import samples

from verifier.report import write_reports
from verifier.report.views import Joined
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
