"""Archive: standard WARC records with digests, offline lookup, crash and concurrency safety."""

from __future__ import annotations

import gzip
import io
import threading
import zlib
from functools import partial
from pathlib import Path

from fixtures.exchanges import exchange as exchange_of
from warcio.archiveiterator import ArchiveIterator

from verifier.archive import Archive, HttpExchange
from verifier.model import Capture, FetchFailure, UnavailableReason

BODY = b"<html><body><p>Foreign Minister Takeshi Iwaya spoke.</p></body></html>"


# Every stored response carries the server's address, as a live fetch's does.
exchange = partial(exchange_of, body=BODY, peer_address="93.184.216.34")


def records(path: Path) -> list[tuple[str, str | None, bytes]]:
    found = []
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle, check_digests=True):
            content = record.content_stream().read()
            assert record.digest_checker.passed is not False, record.digest_checker.problems
            found.append(
                (record.rec_type, record.rec_headers.get_header("WARC-Target-URI"), content)
            )
    return found


def gzip_members(path: Path) -> int:
    data, members = path.read_bytes(), 0
    while data:
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        decompressor.decompress(data)
        assert decompressor.eof
        data, members = decompressor.unused_data, members + 1
    return members


def test_store_writes_standard_records_and_lookup_reads_them_back(tmp_path: Path) -> None:
    with Archive(tmp_path) as archive:
        stored = archive.store(
            "https://news.test/a", [exchange()], text="Takeshi Iwaya spoke.", title="T"
        )
    assert isinstance(stored, Capture)
    assert stored.via == "live"
    (warc,) = archive.warc_files()
    kinds = ["warcinfo", "response", "request", "conversion", "metadata"]
    assert [r[0] for r in records(warc)] == kinds
    assert records(warc)[1][2] == BODY
    assert records(warc)[3][2] == b"Takeshi Iwaya spoke."
    assert b"cited-url: https://news.test/a\r\n" in records(warc)[4][2]
    assert gzip_members(warc) == 5  # one gzip member per record

    reopened = Archive(tmp_path)
    found = reopened.lookup("https://news.test/a")
    assert found is not None
    assert found.via == "archive"
    assert (found.text, found.title, found.status_code) == ("Takeshi Iwaya spoke.", "T", 200)
    assert found.payload_digest == stored.payload_digest
    assert found.payload_digest.startswith("sha1:")
    assert reopened.lookup("https://news.test/other") is None


def test_redirect_chain_is_recorded_and_the_newest_capture_wins(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    hop = HttpExchange(
        **{**exchange("https://news.test/old").__dict__, "status_code": 301, "body": b""}
    )
    archive.store("https://news.test/old", [hop, exchange("https://news.test/new")], text="first")
    later = HttpExchange(**{**exchange().__dict__, "fetched_at": "2026-11-22T10:00:00+00:00"})
    archive.store("https://news.test/old", [later], text="second")
    archive.close()
    found = Archive(tmp_path).lookup("https://news.test/old")
    assert found is not None and found.text == "second"
    uris = [uri for kind, uri, _ in records(archive.warc_files()[0]) if kind == "response"]
    assert uris == ["https://news.test/old", "https://news.test/new", "https://news.test/a"]


def test_archived_failure_is_remembered_for_offline_runs(tmp_path: Path) -> None:
    failure = FetchFailure("https://news.test/gone", UnavailableReason.DEAD, "HTTP 404 Not Found")
    with Archive(tmp_path) as archive:
        result = archive.store(
            "https://news.test/gone", [exchange(status=404)], text=None, failure=failure
        )
    assert result == failure
    assert archive.lookup("https://news.test/gone") is None
    remembered = archive.lookup_failure("https://news.test/gone")
    assert remembered is not None and remembered.reason is UnavailableReason.DEAD


def test_a_torn_tail_leaves_every_indexed_record_readable(tmp_path: Path) -> None:
    with Archive(tmp_path) as archive:
        archive.store("https://news.test/a", [exchange()], text="kept")
    (warc,) = archive.warc_files()
    # What a SIGKILL mid-write leaves: half a gzip member and half an index line.
    with warc.open("ab") as handle:
        handle.write(gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" * 50)[:40])
    with (tmp_path / "index.jsonl").open("ab") as handle:
        handle.write(b'{"url": "https://news.test/b", "final_')
    reopened = Archive(tmp_path)
    found = reopened.lookup("https://news.test/a")
    assert found is not None and found.text == "kept"
    assert reopened.lookup("https://news.test/b") is None


def test_two_archives_writing_at_once_do_not_corrupt_each_other(tmp_path: Path) -> None:
    writers = [Archive(tmp_path), Archive(tmp_path)]

    def write(archive: Archive, prefix: str) -> None:
        for number in range(20):
            url = f"https://news.test/{prefix}{number}"
            archive.store(url, [exchange(url)], text=f"{prefix} text {number}")

    threads = [
        threading.Thread(target=write, args=(w, p)) for w, p in zip(writers, "xy", strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for writer in writers:
        writer.close()
    reader = Archive(tmp_path)
    assert len(reader.warc_files()) == 2
    for prefix in "xy":
        for number in range(20):
            found = reader.lookup(f"https://news.test/{prefix}{number}")
            assert found is not None and found.text == f"{prefix} text {number}"
    for warc in reader.warc_files():
        assert len(records(warc)) == 1 + 20 * 4  # warcinfo, then four records per fetch


def test_records_are_readable_from_their_indexed_offsets(tmp_path: Path) -> None:
    with Archive(tmp_path) as archive:
        archive.store("https://news.test/a", [exchange()], text="offset text")
    (entry,) = archive.entries()
    data = (tmp_path / entry.warc_file).read_bytes()
    response = next(iter(ArchiveIterator(io.BytesIO(data[entry.response_offset :]))))
    assert response.rec_type == "response"
    assert response.content_stream().read() == BODY


def test_wacz_export_packages_warcs_index_pages_and_hashes(tmp_path: Path) -> None:
    import gzip
    import hashlib
    import json
    import zipfile

    with Archive(tmp_path / "archive") as archive:
        archive.store(
            "https://www.news.test/a?b=2&a=1",
            [exchange("https://www.news.test/a?b=2&a=1")],
            text="Iwaya spoke.",
            title="A",
        )
        archive.store(
            "https://news.test/gone",
            [exchange("https://news.test/gone", status=404)],
            text=None,
            failure=FetchFailure("https://news.test/gone", UnavailableReason.DEAD),
        )
        summary = archive.export_wacz(tmp_path / "sources.wacz")
    assert summary.pages == 1 and summary.index_lines == 2 and summary.warc_files == 1
    with zipfile.ZipFile(tmp_path / "sources.wacz") as package:
        names = set(package.namelist())
        warc_name = f"archive/{archive.warc_files()[0].name}"
        assert names == {
            warc_name,
            "indexes/index.cdx.gz",
            "indexes/index.idx",
            "pages/pages.jsonl",
            "datapackage.json",
            "datapackage-digest.json",
        }
        assert all(info.compress_type == zipfile.ZIP_STORED for info in package.infolist())
        datapackage = json.loads(package.read("datapackage.json"))
        for resource in datapackage["resources"]:
            data = package.read(resource["path"])
            assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
            assert resource["bytes"] == len(data)
        digest = json.loads(package.read("datapackage-digest.json"))
        assert (
            digest["hash"]
            == "sha256:" + hashlib.sha256(package.read("datapackage.json")).hexdigest()
        )

        header, *pages = package.read("pages/pages.jsonl").decode().splitlines()
        assert json.loads(header)["format"] == "json-pages-1.0"
        (page,) = [json.loads(line) for line in pages]
        assert (page["url"], page["title"], page["text"]) == (
            "https://www.news.test/a?b=2&a=1",
            "A",
            "Iwaya spoke.",
        )

        lines = gzip.decompress(package.read("indexes/index.cdx.gz")).decode().splitlines()
        assert lines == sorted(lines)
        warc = package.read(warc_name)
        for line in lines:
            _key, timestamp, fields_json = line.split(" ", 2)
            fields = json.loads(fields_json)
            assert len(timestamp) == 14 and timestamp.startswith("20261121")
            offset, length = int(fields["offset"]), int(fields["length"])
            record = next(iter(ArchiveIterator(io.BytesIO(warc[offset : offset + length]))))
            assert record.rec_type == "response"
            assert record.rec_headers.get_header("WARC-Target-URI") == fields["url"]
        assert lines[0].startswith("test,news)/a?a=1&b=2 ")


def test_a_warc_file_takes_its_complete_name_only_once_it_is_complete(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    stored = archive.store("https://news.test/a", [exchange()], text="Iwaya spoke.")
    assert isinstance(stored, Capture)
    assert archive.warc_files() == []  # no tool takes the file being written for a whole one
    (open_file,) = archive.unfinished_files()
    lookup = archive.lookup("https://news.test/a")
    assert lookup is not None and lookup.text == "Iwaya spoke."
    archive.complete()
    (warc,) = archive.warc_files()
    assert archive.unfinished_files() == [] and not open_file.exists()
    assert stored.warc_file == lookup.warc_file == f"warc/{warc.name}"
    assert [kind for kind, _, _ in records(warc)] == [
        "warcinfo",
        "response",
        "request",
        "conversion",
        "metadata",
    ]
    archive.store("https://news.test/b", [exchange("https://news.test/b")], text="More.")
    archive.close()
    assert len(archive.warc_files()) == 2  # the next pass wrote a file of its own
    assert Archive(tmp_path).verify().ok
