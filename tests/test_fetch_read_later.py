"""A fetch pass archives pages unread; their text and walls are derived on first read.

Everything here runs against real loopback servers: the pass (`archive_all`, then the read
of its claims' sources) must give exactly what reading each page as it was fetched gave.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest
from conftest import LoopbackServer, ServerFactory
from fixtures.entry_point import verifier
from test_fetch_wayback import FakeWayback
from test_interrupts import (
    CLAIMS,
    assert_whole,
    start_run,
    wait_for,
    warcio_check,
    write_harbour_project,
)

from verifier.archive import Archive
from verifier.fetch import Fetcher
from verifier.fetch.derive import DERIVED_TEXT_FILE, DerivedTexts
from verifier.model import Capture, FetchFailure, UnavailableReason
from verifier.settings import FetchSettings
from verifier.text import PageText

ARTICLE = (
    "<html><head><title>Harbour report</title></head><body><article>"
    + "<p>In 2003 the harbour of Port Ellery recorded 503 ships, a record for the port.</p>" * 12
    + "</article></body></html>"
)
PAYWALL = (
    "<html><head><title>Example News</title></head><body><article><p>Subscribe now to "
    "continue reading this story.</p></article></body></html>"
)
NOT_FOUND = (
    "<html><head><title>Page not found | Example News</title></head><body><p>Sorry, we "
    "couldn't find that page.</p></body></html>"
)


def settings(wayback: str | None = None) -> FetchSettings:
    return FetchSettings(allow_hosts=("127.0.0.1",), timeout=5.0, retries=0, wayback=wayback)


def described(result: object) -> tuple[object, ...]:
    if isinstance(result, Capture):
        return ("capture", result.text, result.title, result.final_url, result.status_code)
    assert isinstance(result, FetchFailure)
    return ("failure", result.reason, result.detail)


def test_the_fetch_pass_archives_pages_unread_and_the_read_gives_what_an_eager_read_gave(
    http_server: LoopbackServer, tmp_path: Path
) -> None:
    urls = [
        http_server.route("/article", ARTICLE),
        http_server.route("/paywalled", PAYWALL),
        http_server.route(
            "/binary", b"\x89PNG\r\n\x1a\n" + bytes(300), headers={"Content-Type": "image/png"}
        ),
        http_server.route("/gone", "", status=404),
    ]
    with Archive(tmp_path / "eager") as archive, Fetcher(settings(), archive) as fetcher:
        eager = fetcher.fetch_all(urls)
    with Archive(tmp_path / "later") as archive, Fetcher(settings(), archive) as fetcher:
        failures = fetcher.archive_all(urls)
        # Only what the network said is known before the pages are read.
        assert set(failures) == {urls[3]}
        pending = [archive.newest_first(url)[0] for url in urls[:3]]
        assert all(entry.pending for entry in pending)
        read = fetcher.fetch_all(urls[:3], offline=True, settle_unread=True)
    later = {**read, **failures}
    for url in urls:
        expected = described(eager[url])
        if isinstance(eager[url], Capture):
            assert described(later[url])[:3] == expected[:3] and later[url].via == "archive"
        else:
            assert described(later[url]) == expected
    assert later[urls[1]].reason is UnavailableReason.PAYWALL


def test_a_derived_text_is_remembered_and_a_wall_is_fetched_again_as_before(
    http_server: LoopbackServer, tmp_path: Path
) -> None:
    article = http_server.route("/article", ARTICLE)
    paywalled = http_server.route("/paywalled", PAYWALL)
    with Archive(tmp_path) as archive, Fetcher(settings(), archive) as fetcher:
        fetcher.archive_all([article, paywalled])
        fetcher.fetch_all([article, paywalled], offline=True, settle_unread=True)
    derived = DerivedTexts(tmp_path / DERIVED_TEXT_FILE)
    with Archive(tmp_path) as archive:
        remembered = derived.get(archive.newest_first(article)[0])
        wall = derived.get(archive.newest_first(paywalled)[0])
    derived.close()
    assert isinstance(remembered, PageText) and "503 ships" in remembered.text
    assert isinstance(wall, FetchFailure) and wall.reason is UnavailableReason.PAYWALL
    # Offline, the wall reads as any archived failure does: with when it was fetched.
    with Archive(tmp_path) as archive, Fetcher(settings(), archive) as offline:
        again = offline.fetch_all([article, paywalled], offline=True)
    assert isinstance(again[article], Capture) and again[article].text == remembered.text
    assert isinstance(again[paywalled], FetchFailure)
    assert again[paywalled].detail.startswith(wall.detail + " (archived ")
    # Online, a wall is not an archived copy: the next pass fetches it again, the page not.
    before = (http_server.hits("/article"), http_server.hits("/paywalled"))
    with Archive(tmp_path) as archive, Fetcher(settings(), archive) as fetcher:
        fetcher.archive_all([article, paywalled])
    assert (http_server.hits("/article"), http_server.hits("/paywalled")) == (
        before[0],
        before[1] + 1,
    )


def test_a_soft_404_found_on_reading_falls_back_to_its_wayback_copy(
    http_server: LoopbackServer, loopback_server_factory: ServerFactory, tmp_path: Path
) -> None:
    wayback = FakeWayback(loopback_server_factory("127.0.0.1"))
    missing = http_server.route("/story", NOT_FOUND)
    wayback.add_copy(missing)
    with Archive(tmp_path) as archive, Fetcher(settings(wayback.api), archive) as fetcher:
        assert fetcher.archive_all([missing]) == {}
        assert wayback.queries == []  # not known to be missing until read
        result = fetcher.fetch_all([missing], offline=True, settle_unread=True)[missing]
    assert isinstance(result, Capture) and result.via == "wayback"
    assert "Takeshi Iwaya" in result.text
    assert len(wayback.queries) == 1
    # The copy is archived under the cited URL: the next pass neither fetches nor asks again.
    with Archive(tmp_path) as archive, Fetcher(settings(wayback.api), archive) as fetcher:
        assert fetcher.archive_all([missing]) == {}
        again = fetcher.fetch_all([missing], offline=True, settle_unread=True)[missing]
    assert isinstance(again, Capture) and "Takeshi Iwaya" in again.text
    assert len(wayback.queries) == 1 and http_server.hits("/story") == 1


def test_settle_reports_walls_after_the_fetches_as_verifier_fetch_needs(
    http_server: LoopbackServer, archive: Archive
) -> None:
    article = http_server.route("/article", ARTICLE)
    paywalled = http_server.route("/paywalled", PAYWALL)
    with Fetcher(settings(), archive) as fetcher:
        failures = fetcher.archive_all([article, paywalled], settle=True)
    assert list(failures) == [paywalled]
    assert failures[paywalled].reason is UnavailableReason.PAYWALL


@pytest.mark.parametrize("damage", ["truncate", "delete"])
def test_a_page_archived_unread_whose_record_is_damaged_reads_as_damaged(
    http_server: LoopbackServer, tmp_path: Path, damage: str
) -> None:
    article = http_server.route("/article", ARTICLE)
    with Archive(tmp_path) as archive, Fetcher(settings(), archive) as fetcher:
        fetcher.archive_all([article])
    (warc,) = (tmp_path / "warc").glob("*.warc.gz")
    if damage == "delete":
        warc.unlink()
    else:
        warc.write_bytes(warc.read_bytes()[:200])
    with Archive(tmp_path) as archive, Fetcher(settings(), archive) as offline:
        result = offline.fetch(article, offline=True)
    assert isinstance(result, FetchFailure) and result.reason is UnavailableReason.UNREADABLE


def test_a_wacz_export_pages_the_text_of_captures_archived_unread(
    http_server: LoopbackServer, tmp_path: Path
) -> None:
    import zipfile

    article = http_server.route("/article", ARTICLE)
    paywalled = http_server.route("/paywalled", PAYWALL)
    with Archive(tmp_path / "eager") as archive, Fetcher(settings(), archive) as fetcher:
        fetcher.fetch_all([article, paywalled])
        archive.export_wacz(tmp_path / "eager.wacz")
    with Archive(tmp_path / "later") as archive, Fetcher(settings(), archive) as fetcher:
        fetcher.archive_all([article, paywalled])
        archive.export_wacz(tmp_path / "later.wacz", unread=fetcher.page_of)

    def pages(wacz: Path) -> list[dict[str, str]]:
        with zipfile.ZipFile(wacz) as package:
            lines = package.read("pages/pages.jsonl").decode().splitlines()[1:]
        return [{k: v for k, v in json.loads(line).items() if k != "ts"} for line in lines]

    assert pages(tmp_path / "later.wacz") == pages(tmp_path / "eager.wacz")
    assert [page["url"] for page in pages(tmp_path / "later.wacz")] == [article]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_stopped_while_the_pages_are_read_the_run_resumes_without_fetching_again(
    http_server: LoopbackServer, tmp_path: Path, signum: int
) -> None:
    """Every page archived unread, the run stopped while reading them: the next run reads
    them from the archive (no page fetched twice) and finishes with every claim."""
    filler = "<p>Harbour traffic notes from the port office, kept for the record.</p>" * 3000
    urls = [
        http_server.route(
            f"/page{n}",
            f"<html><body><article><p>The harbour office recorded page{n} ships in port on "
            f"Monday.</p>{filler}</article></body></html>",
            headers={"Content-Type": "text/html"},
        )
        for n in range(CLAIMS)
    ]
    write_harbour_project(tmp_path, urls)
    child = start_run(tmp_path)
    # The fetch pass is over once its file is complete and indexed: the pages are being read.
    wait_for(lambda: len(Archive(tmp_path / "archive").entries()) == CLAIMS)
    child.send_signal(signum)
    _, stderr = child.communicate(timeout=30)
    assert child.returncode in (0, 130, -signal.SIGKILL), stderr
    assert "Traceback" not in stderr
    assert_whole(tmp_path, killed=signum == signal.SIGKILL)
    assert not (tmp_path / "reports" / "results.json").exists()  # stopped before the end

    completed = verifier("run", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    document = json.loads((tmp_path / "reports" / "results.json").read_text())
    assert len(document["claims"]) == CLAIMS
    assert {claim["verdict"] for claim in document["claims"]} <= {"supported", "partial"}
    assert all(http_server.hits(f"/page{n}") == 1 for n in range(CLAIMS))
    assert verifier("archive", "verify", cwd=tmp_path).returncode == 0
    assert warcio_check(tmp_path).returncode == 0
