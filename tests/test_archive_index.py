"""The archive's index held against its WARC files: `verify` finds every disagreement, and
`reindex` rebuilds the index from the WARC files alone, entry for entry."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from fixtures.entry_point import verifier
from fixtures.exchanges import exchange
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from verifier.archive import Archive
from verifier.archive.index import read_index
from verifier.model import FetchFailure, UnavailableReason

PAGE = b"<html><body><p>Foreign Minister Takeshi Iwaya spoke in Seoul.</p></body></html>"


def fill(root: Path) -> Archive:
    """Fetches of every shape: readable, redirected, dead, a Wayback copy, a cited fragment."""
    with Archive(root) as archive:
        archive.store(
            "https://news.test/a", [exchange("https://news.test/a", body=PAGE)], text="Iwaya A."
        )
        archive.store(
            "https://news.test/old#section",
            [
                exchange("https://news.test/old", 301, location="https://news.test/new"),
                exchange("https://news.test/new", body=PAGE),
            ],
            text="Iwaya moved.",
            title="Moved\npage",
            extractor="2",
        )
        archive.store(
            "https://news.test/gone",
            [exchange("https://news.test/gone", 404)],
            text=None,
            failure=FetchFailure("https://news.test/gone", UnavailableReason.DEAD, "HTTP 404"),
        )
        archive.store(
            "https://dead.test/story",
            [exchange("https://web.archive.org/web/2024/https://dead.test/story", body=PAGE)],
            text="Iwaya, from the Wayback copy.",
            via="wayback",
        )
    return archive


def test_reindex_rebuilds_every_entry_exactly_from_the_warc_files(tmp_path: Path) -> None:
    archive = fill(tmp_path)
    original = archive.entries()
    (tmp_path / "index.jsonl").unlink()
    report = Archive(tmp_path).reindex()
    assert (report.files, report.entries, report.damaged) == (1, 4, ())
    rebuilt = Archive(tmp_path)
    # A title is one line of the metadata record: its line break comes back as a space.
    expected = [replace(e, title="Moved page") if e.title else e for e in original]
    assert rebuilt.entries() == expected
    assert rebuilt.verify().ok
    moved = rebuilt.lookup("https://news.test/old#section")
    assert moved is not None and moved.text == "Iwaya moved."
    failure = rebuilt.lookup_failure("https://news.test/gone")
    assert failure is not None and failure.reason is UnavailableReason.DEAD


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        pytest.param(lambda index: index.unlink(), "is missing", id="missing"),
        pytest.param(
            lambda index: index.write_bytes(bytes(range(256)) * 40 + b"\n"),
            "index.jsonl:1: not a JSON line",
            id="binary",
        ),
        pytest.param(
            lambda index: index.write_bytes(
                index.read_bytes() + b'{"url": "x"}\n[1, 2]\n{"response_offset": "a"}\n'
            ),
            "index.jsonl:5: not an index entry: no",
            id="garbage-lines",
        ),
        pytest.param(
            lambda index: index.write_text(
                "".join(index.read_text(encoding="utf-8").splitlines(keepends=True)[1:]),
                encoding="utf-8",
            ),
            "the fetch of https://news.test/a is not in index.jsonl",
            id="a-fetch-left-out",
        ),
        pytest.param(
            lambda index: index.write_text(
                index.read_text(encoding="utf-8").replace(
                    '"response_offset": ', '"response_offset": 1'
                ),
                encoding="utf-8",
            ),
            "no response record at",
            id="pointing-nowhere",
        ),
    ],
)
def test_verify_finds_a_damaged_index_and_reindex_mends_it(
    tmp_path: Path, damage: object, expected: str
) -> None:
    fill(tmp_path)
    index = tmp_path / "index.jsonl"
    damage(index)  # type: ignore[operator]
    report = Archive(tmp_path).verify()
    assert not report.ok and report.record_problems == ()
    assert any(expected in problem for problem in report.index_problems), report.index_problems
    Archive(tmp_path).reindex()
    assert Archive(tmp_path).verify().ok
    assert len(read_index(index)[0]) == 4


def test_fetches_archived_without_their_metadata_record_are_indexed_from_http(
    tmp_path: Path,
) -> None:
    """An archive written before fetches carried a metadata record (or by another tool)."""
    warc = tmp_path / "warc" / "older.warc.gz"
    warc.parent.mkdir()
    with warc.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record("older.warc.gz", {"software": "x"}))
        for url, status, text in [
            ("https://news.test/old", 301, None),
            ("https://news.test/new", 200, b"Iwaya moved."),
            ("https://news.test/gone", 404, None),
        ]:
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(PAGE),
                    length=len(PAGE),
                    http_headers=StatusAndHeaders(
                        f"{status} X", [("Content-Type", "text/html")], protocol="HTTP/1.1"
                    ),
                )
            )
            if text is not None:
                writer.write_record(
                    writer.create_warc_record(
                        url, "conversion", payload=io.BytesIO(text), length=len(text)
                    )
                )
    Archive(tmp_path).reindex()
    archive = Archive(tmp_path)
    moved, gone = archive.entries()
    assert (moved.url, moved.final_url, moved.status_code) == (
        "https://news.test/old",
        "https://news.test/new",
        200,
    )
    assert moved.extractor == ""  # unknown: the text is derived again when read
    found = archive.lookup("https://news.test/old")
    assert found is not None and found.text == "Iwaya moved."
    assert (gone.url, gone.failure_reason) == ("https://news.test/gone", "dead")


def test_standard_tools_read_the_metadata_records(tmp_path: Path) -> None:
    archive = fill(tmp_path)
    checked = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", *map(str, archive.warc_files())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_check_offline_on_a_damaged_index_says_so_and_reindex_mends_it(tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text(
        "fetch:\n  wayback: null\nclaims:\n"
        "  - id: c-iwaya1\n"
        "    text: Foreign Minister Takeshi Iwaya spoke in Seoul.\n"
        "    urls: [https://news.test/a]\n",
        encoding="utf-8",
    )
    fill(tmp_path / "archive")
    index = tmp_path / "archive" / "index.jsonl"
    index.write_bytes(b"\x00\x9c garbage from a bad disk\n" * 3)

    damaged = verifier("check", "--offline", cwd=tmp_path)
    assert damaged.returncode == 3, damaged.stderr
    assert "index.jsonl" in damaged.stderr and "archive reindex" in damaged.stderr

    mended = verifier("archive", "reindex", cwd=tmp_path)
    assert mended.returncode == 0, mended.stderr
    checked = verifier("check", "--offline", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    results = json.loads((tmp_path / "reports" / "results.json").read_text(encoding="utf-8"))
    assert [claim["verdict"] for claim in results["claims"]] == ["supported"]
