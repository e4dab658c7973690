"""verifier.files: only regular files are read, lines are read in bounded memory, and the
folders the tool writes are checked before any work."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from verifier.errors import InputError, LedgerError, OutputError
from verifier.files import (
    OverlongLine,
    check_folder,
    open_input,
    open_regular_file,
    read_lines,
    read_regular,
)


def test_a_regular_file_and_a_symlink_to_one_are_read(tmp_path: Path) -> None:
    target = tmp_path / "records.jsonl"
    target.write_bytes(b"one\ntwo\n")
    link = tmp_path / "link"
    link.symlink_to(target)
    with open_regular_file(link) as handle:
        assert handle.read() == b"one\ntwo\n"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero and FIFOs")
def test_devices_fifos_folders_and_links_to_them_are_refused_with_the_callers_error(
    tmp_path: Path,
) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # opening it must not wait for a writer
    link = tmp_path / "zero"
    link.symlink_to("/dev/zero")
    for special in (Path("/dev/zero"), Path("/dev/urandom"), fifo, link, tmp_path):
        with pytest.raises(LedgerError) as raised:
            open_regular_file(special, display="claims.yaml", error=LedgerError)
        assert raised.value.path == "claims.yaml"
        assert raised.value.exit_code == 3


def test_open_input_names_a_missing_file(tmp_path: Path) -> None:
    with (
        pytest.raises(InputError) as raised,
        open_input(tmp_path / "missing", display="missing", hint="h"),
    ):
        pass
    assert raised.value.path == "missing"


def test_lines_over_the_limit_are_skipped_in_bounded_memory() -> None:
    stream = io.BytesIO(b"short\n" + b"x" * 100 + b"\nafter\n" + b"y" * 50)
    assert list(read_lines(stream, 10)) == [
        b"short\n",
        OverlongLine(101),
        b"after\n",
        OverlongLine(50),
    ]


def test_a_line_exactly_at_the_limit_is_kept() -> None:
    assert list(read_lines(io.BytesIO(b"0123456789\n0123456789"), 10)) == [
        b"0123456789\n",
        b"0123456789",
    ]


def test_folders_to_write_must_be_folders(tmp_path: Path) -> None:
    check_folder(tmp_path / "missing", setting="reports_dir")  # created later: fine
    check_folder(tmp_path, setting="reports_dir")
    (tmp_path / "reports").write_text("", encoding="utf-8")
    with pytest.raises(OutputError) as raised:
        check_folder(tmp_path / "reports", setting="reports_dir")
    assert raised.value.path == str(tmp_path / "reports")
    with pytest.raises(OutputError):
        check_folder(tmp_path / "reports" / "inner", setting="reports_dir")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_folder_that_cannot_be_written_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "archive"
    locked.mkdir(mode=0o555)
    with pytest.raises(OutputError):
        check_folder(locked, setting="archive_dir")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero and FIFOs")
def test_state_reads_treat_anything_but_a_regular_file_as_an_os_error(tmp_path: Path) -> None:
    (tmp_path / "cache.json").write_bytes(b"{}")
    assert read_regular(tmp_path / "cache.json") == b"{}"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "zero"
    link.symlink_to("/dev/zero")
    for special in (fifo, link, tmp_path):
        with pytest.raises(OSError) as raised:
            read_regular(special)
        assert not isinstance(raised.value, FileNotFoundError)
    with pytest.raises(FileNotFoundError):
        read_regular(tmp_path / "missing.json")
