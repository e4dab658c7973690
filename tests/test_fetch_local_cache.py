"""Local sources: text extracted once per content, re-extracted when the file changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from verifier.archive import Archive
from verifier.fetch import Fetcher, local
from verifier.model import Capture
from verifier.settings import FetchSettings

PAGE = "<html><body><main><p>The bridge reopened on {day} March 2025.</p></main></body></html>"


def read(root: Path, source: Path) -> Capture:
    with Archive(root / "archive") as archive, Fetcher(FetchSettings(wayback=None), archive) as f:
        result = f.fetch_all([source.as_uri()])[source.as_uri()]
    assert isinstance(result, Capture)
    return result


def test_unchanged_local_files_are_not_extracted_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "page.html"
    source.write_text(PAGE.format(day=14), encoding="utf-8")
    calls: list[str] = []
    real_main_text = local.main_text

    def counting(body: bytes, content_type: str | None, url: str | None = None) -> object:
        calls.append(url or "")
        return real_main_text(body, content_type, url)

    monkeypatch.setattr(local, "main_text", counting)

    first = read(tmp_path, source)
    second = read(tmp_path, source)
    assert len(calls) == 1
    assert second.text == first.text
    assert second.payload_digest == first.payload_digest

    source.write_text(PAGE.format(day=15), encoding="utf-8")
    third = read(tmp_path, source)
    assert len(calls) == 2
    assert "15 March" in third.text
    assert third.payload_digest != first.payload_digest


def test_a_damaged_cache_file_is_only_a_miss(tmp_path: Path) -> None:
    source = tmp_path / "page.html"
    source.write_text(PAGE.format(day=14), encoding="utf-8")
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / local.LOCAL_TEXT_FILE).write_text("{not json", encoding="utf-8")

    assert "14 March 2025" in read(tmp_path, source).text


def test_a_settled_file_is_not_read_again_until_its_stat_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "page.html"
    source.write_text(PAGE.format(day=14), encoding="utf-8")
    an_hour_ago = source.stat().st_mtime_ns - 3600 * 10**9
    os.utime(source, ns=(an_hour_ago, an_hour_ago))
    # The status-change time cannot be set back: count it as settled at once.
    monkeypatch.setattr(local, "RACY_NS", -(10**12))
    reads: list[Path] = []
    real_read_bytes = local.LocalReader._read_bytes

    def counting(self: local.LocalReader, path: Path) -> bytes | None:
        reads.append(path)
        return real_read_bytes(self, path)

    monkeypatch.setattr(local.LocalReader, "_read_bytes", counting)
    assert "14 March" in read(tmp_path, source).text
    assert "14 March" in read(tmp_path, source).text
    assert len(reads) == 1  # same stat: the recorded digest and text stand

    # Same size, mtime put back: the status-change time still tells (as git's ctime check).
    source.write_text(PAGE.format(day=15), encoding="utf-8")
    os.utime(source, ns=(an_hour_ago, an_hour_ago))
    assert "15 March" in read(tmp_path, source).text

    # A file replaced by another of the same size and times: the inode tells.
    replacement = tmp_path / "other.html"
    replacement.write_text(PAGE.format(day=16), encoding="utf-8")
    os.utime(replacement, ns=(an_hour_ago, an_hour_ago))
    os.replace(replacement, source)
    assert "16 March" in read(tmp_path, source).text


def test_a_freshly_written_file_is_read_again_even_with_the_same_stat(tmp_path: Path) -> None:
    source = tmp_path / "page.html"
    source.write_text(PAGE.format(day=14), encoding="utf-8")
    stamp = source.stat().st_mtime_ns
    assert "14 March" in read(tmp_path, source).text

    source.write_text(PAGE.format(day=15), encoding="utf-8")
    os.utime(source, ns=(stamp, stamp))  # same size and mtime, within the racy window
    assert "15 March" in read(tmp_path, source).text
