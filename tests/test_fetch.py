"""Fetcher against real HTTP servers on loopback: success, dead, redirects, timeouts, offline."""

from __future__ import annotations

import base64
import gzip
import hashlib
import os
import socket
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from conftest import LoopbackServer
from fixtures.exchanges import exchange
from fixtures.fetch.make_pdf import minimal_pdf
from warcio.archiveiterator import ArchiveIterator

from verifier.archive import Archive, HttpExchange
from verifier.fetch import Fetcher, read_source, read_text
from verifier.model import Capture, FetchFailure, UnavailableReason
from verifier.settings import FetchSettings, Settings
from verifier.text import PageText

PAGE = """<!doctype html><html><head><title>Talks in Seoul</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav><article>
<p>Foreign Minister Takeshi Iwaya arrived in Seoul on Monday for two days of talks.</p>
<p>He met his South Korean counterpart to discuss trade and the 2025 summit.</p>
</article></body></html>"""
SENTENCE = "Foreign Minister Takeshi Iwaya arrived in Seoul on Monday for two days of talks."

LOCAL = FetchSettings(wayback=None, allow_hosts=("127.0.0.1",), timeout=5.0, retries=2)


def fetch_one(
    url: str, archive: Archive, settings: FetchSettings = LOCAL
) -> Capture | FetchFailure:
    with Fetcher(settings, archive) as fetcher:
        return fetcher.fetch_all([url])[url]


def sha1_digest(body: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()


def test_html_page_is_fetched_archived_and_read_back_offline(
    http_server: LoopbackServer, archive: Archive
) -> None:
    url = http_server.route("/article", PAGE)
    result = fetch_one(url, archive)
    assert isinstance(result, Capture)
    assert result.via == "live"
    assert SENTENCE in result.text
    assert (result.status_code, result.final_url, result.title) == (200, url, "Talks in Seoul")
    assert result.payload_digest == sha1_digest(PAGE.encode())

    (warc,) = archive.warc_files()
    with warc.open("rb") as handle:
        kinds = [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"))
            for r in ArchiveIterator(handle)
        ]
    assert kinds == [
        ("warcinfo", None),
        ("response", url),
        ("request", url),
        ("conversion", url),
        ("metadata", url),  # what the index holds beyond HTTP, to rebuild it from
    ]

    hits_before = http_server.hits("/article")
    with Fetcher(LOCAL, Archive(archive.root)) as offline_fetcher:
        again = offline_fetcher.fetch_all([url], offline=True)[url]
    assert isinstance(again, Capture)
    assert again.via == "archive"
    assert (again.text, again.payload_digest) == (result.text, result.payload_digest)
    assert http_server.hits("/article") == hits_before


def test_archived_url_is_not_refetched_unless_refresh(
    http_server: LoopbackServer, archive: Archive
) -> None:
    url = http_server.route("/article", PAGE)
    with Fetcher(LOCAL, archive) as fetcher:
        fetcher.fetch_all([url])
        second = fetcher.fetch_all([url])[url]
        assert isinstance(second, Capture) and second.via == "archive"
        assert http_server.hits("/article") == 1
        refreshed = fetcher.fetch_all([url], refresh=True)[url]
    assert isinstance(refreshed, Capture) and refreshed.via == "live"
    assert http_server.hits("/article") == 2


def test_404_is_dead_and_remembered_offline(http_server: LoopbackServer, archive: Archive) -> None:
    url = http_server.url("/missing")
    result = fetch_one(url, archive)
    assert isinstance(result, FetchFailure)
    assert result.reason is UnavailableReason.DEAD
    with Fetcher(LOCAL, archive) as fetcher:
        offline = fetcher.fetch_all([url], offline=True)[url]
    assert isinstance(offline, FetchFailure) and offline.reason is UnavailableReason.DEAD


def test_offline_without_archive_is_not_archived_and_touches_nothing(
    http_server: LoopbackServer, archive: Archive
) -> None:
    url = http_server.route("/article", PAGE)
    with Fetcher(LOCAL, archive) as fetcher:
        result = fetcher.fetch_all([url], offline=True)[url]
    assert isinstance(result, FetchFailure)
    assert result.reason is UnavailableReason.NOT_ARCHIVED
    assert http_server.connections == 0


def test_redirects_are_followed_and_every_hop_archived(
    http_server: LoopbackServer, archive: Archive
) -> None:
    final = http_server.route("/new", PAGE)
    hop = http_server.route("/middle", status=302, headers={"Location": "/new"})
    start = http_server.route("/old", status=301, headers={"Location": hop})
    result = fetch_one(start, archive)
    assert isinstance(result, Capture)
    assert (result.url, result.final_url) == (start, final)
    (warc,) = archive.warc_files()
    with warc.open("rb") as handle:
        responses = [
            r.rec_headers.get_header("WARC-Target-URI")
            for r in ArchiveIterator(handle)
            if r.rec_type == "response"
        ]
    assert responses == [start, hop, final]


def test_redirect_loop_stops(http_server: LoopbackServer, archive: Archive) -> None:
    http_server.route("/a", status=302, headers={"Location": "/b"})
    http_server.route("/b", status=302, headers={"Location": "/a"})
    result = fetch_one(http_server.url("/a"), archive)
    assert isinstance(result, FetchFailure)
    assert result.reason is UnavailableReason.HTTP_ERROR
    assert http_server.hits("/a") + http_server.hits("/b") <= 12


def test_slow_server_times_out_on_the_total_deadline(
    http_server: LoopbackServer, archive: Archive
) -> None:
    url = http_server.route("/slow", PAGE, delay=3.0)
    settings = FetchSettings(wayback=None, allow_hosts=("127.0.0.1",), timeout=0.5, retries=2)
    started = time.monotonic()
    result = fetch_one(url, archive, settings)
    assert isinstance(result, FetchFailure)
    assert result.reason is UnavailableReason.TIMEOUT
    assert time.monotonic() - started < 1.5


def test_trickling_server_is_cut_off_on_time(http_server: LoopbackServer, archive: Archive) -> None:
    def trickle(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        for _ in range(100):
            handler.wfile.write(b"x")
            handler.wfile.flush()
            time.sleep(0.1)

    url = http_server.route_handler("/trickle", trickle)
    settings = FetchSettings(wayback=None, allow_hosts=("127.0.0.1",), timeout=0.6)
    started = time.monotonic()
    result = fetch_one(url, archive, settings)
    assert isinstance(result, FetchFailure) and result.reason is UnavailableReason.TIMEOUT
    assert time.monotonic() - started < 1.5


def test_pdf_and_plain_text_sources(http_server: LoopbackServer, archive: Archive) -> None:
    pdf = http_server.route(
        "/report.pdf",
        minimal_pdf("The treaty was signed in 1951 by 48 nations."),
        headers={"Content-Type": "application/pdf"},
    )
    plain = http_server.route(
        "/notes.txt",
        "Iwaya became foreign minister in 2024.",
        headers={"Content-Type": "text/plain"},
    )
    with Fetcher(LOCAL, archive) as fetcher:
        results = fetcher.fetch_all([pdf, plain])
    assert list(results) == [pdf, plain]
    pdf_result, plain_result = results[pdf], results[plain]
    assert isinstance(pdf_result, Capture) and "signed in 1951 by 48 nations" in pdf_result.text
    assert isinstance(plain_result, Capture)
    assert plain_result.text == "Iwaya became foreign minister in 2024."


def test_gzip_body_is_archived_encoded_and_read_decoded(
    http_server: LoopbackServer, archive: Archive
) -> None:
    compressed = gzip.compress(PAGE.encode())
    url = http_server.route("/gz", compressed, headers={"Content-Encoding": "gzip"})
    result = fetch_one(url, archive)
    assert isinstance(result, Capture) and SENTENCE in result.text
    assert result.payload_digest == sha1_digest(compressed)


def test_binary_served_as_html_is_not_text(http_server: LoopbackServer, archive: Archive) -> None:
    url = http_server.route("/image", b"\x89PNG\r\n\x1a\n" + os.urandom(2048))
    result = fetch_one(url, archive)
    assert isinstance(result, FetchFailure) and result.reason is UnavailableReason.NOT_TEXT


def test_server_errors_are_retried(http_server: LoopbackServer, archive: Archive) -> None:
    answers = iter([503, 503, 200])

    def flaky(handler: BaseHTTPRequestHandler) -> None:
        status = next(answers)
        body = PAGE.encode() if status == 200 else b"busy"
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body)))
        if status == 503:
            handler.send_header("Retry-After", "0")
        handler.end_headers()
        handler.wfile.write(body)

    url = http_server.route_handler("/flaky", flaky)
    result = fetch_one(url, archive)
    assert isinstance(result, Capture) and SENTENCE in result.text
    assert http_server.hits("/flaky") == 3


def test_404_is_not_retried(http_server: LoopbackServer, archive: Archive) -> None:
    fetch_one(http_server.url("/missing"), archive)
    assert http_server.hits("/missing") == 1


def test_refused_connection_is_a_network_error(archive: Archive) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = fetch_one(f"http://127.0.0.1:{port}/", archive)
    assert isinstance(result, FetchFailure)
    assert result.reason is UnavailableReason.NETWORK_ERROR


def test_loopback_is_blocked_unless_allowed(http_server: LoopbackServer, archive: Archive) -> None:
    url = http_server.route("/article", PAGE)
    result = fetch_one(url, archive, FetchSettings(wayback=None, timeout=2.0))
    assert isinstance(result, FetchFailure) and result.reason is UnavailableReason.BLOCKED
    assert http_server.connections == 0


def test_other_schemes_are_refused(archive: Archive) -> None:
    with Fetcher(LOCAL, archive) as fetcher:
        results = fetcher.fetch_all(["ftp://example.test/x", "gopher://example.test/"])
    assert all(isinstance(r, FetchFailure) for r in results.values())
    assert {r.reason for r in results.values() if isinstance(r, FetchFailure)} == {
        UnavailableReason.BLOCKED
    }


def test_credentials_in_the_url_are_never_sent(
    http_server: LoopbackServer, archive: Archive
) -> None:
    http_server.route("/article", PAGE)
    fetch_one(f"http://user:secret@127.0.0.1:{http_server.port}/article", archive)
    (request,) = http_server.requests
    assert "Authorization" not in request.headers


def test_local_files_are_read_not_archived(tmp_path: Path, archive: Archive) -> None:
    source = tmp_path / "source.html"
    source.write_text(PAGE, encoding="utf-8")
    os.utime(source, (1_700_000_000, 1_700_000_000))
    missing = (tmp_path / "gone.html").as_uri()
    with Fetcher(LOCAL, archive) as fetcher:
        results = fetcher.fetch_all([source.as_uri(), missing], offline=True)
    local = results[source.as_uri()]
    assert isinstance(local, Capture)
    assert local.via == "local" and SENTENCE in local.text
    assert local.payload_digest == sha1_digest(PAGE.encode())
    assert local.fetched_at == "2023-11-14T22:13:20+00:00"
    gone = results[missing]
    assert isinstance(gone, FetchFailure) and gone.reason is UnavailableReason.DEAD
    assert archive.warc_files() == []


def test_fetch_all_returns_each_url_once_in_order_with_progress(
    http_server: LoopbackServer, archive: Archive
) -> None:
    urls = [http_server.route(f"/p{n}", PAGE) for n in range(6)]
    seen: list[str] = []
    with Fetcher(LOCAL, archive) as fetcher:
        results = fetcher.fetch_all(urls + urls[:2], progress=lambda url, _: seen.append(url))
    assert list(results) == urls
    assert sorted(seen) == sorted(urls)
    assert all(http_server.hits(f"/p{n}") == 1 for n in range(6))


def test_read_source_uses_the_archive_first(
    http_server: LoopbackServer, archive: Archive, tmp_path: Path
) -> None:
    url = http_server.route("/article", PAGE)
    offline = read_source(url, archive, LOCAL, offline=True)
    assert isinstance(offline, FetchFailure) and offline.reason is UnavailableReason.NOT_ARCHIVED
    live = read_source(url, archive, LOCAL)
    assert isinstance(live, PageText) and SENTENCE in live.text
    archived = read_source(url, Archive(archive.root), LOCAL, offline=True)
    assert archived == live
    path = tmp_path / "notes.txt"
    path.write_text("A local note about Iwaya.", encoding="utf-8")
    assert read_source(str(path), archive, LOCAL, offline=True) == PageText(
        "A local note about Iwaya."
    )


def test_read_text_takes_paths_from_the_working_directory_and_writes_nothing(
    http_server: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    (project / "sources").mkdir(parents=True)
    (project / "sources" / "a.txt").write_text("Iwaya is foreign minister.", encoding="utf-8")
    monkeypatch.chdir(project / "sources")
    local = read_text("a.txt", project_dir=project, offline=True)
    assert local == PageText("Iwaya is foreign minister.")
    missing = read_text("none.txt", project_dir=project, offline=True)
    assert isinstance(missing, FetchFailure) and missing.reason is UnavailableReason.DEAD

    url = http_server.route("/article", PAGE)
    settings = Settings(fetch=LOCAL, archive_dir="store")
    before = sorted(tmp_path.rglob("*"))
    fetched = read_text(url, project_dir=project, settings=settings)
    assert isinstance(fetched, PageText) and SENTENCE in fetched.text
    assert sorted(tmp_path.rglob("*")) == before  # no archive, no text cache, nothing
    not_archived = read_text(url, project_dir=project, settings=settings, offline=True)
    assert isinstance(not_archived, FetchFailure)
    assert not_archived.reason is UnavailableReason.NOT_ARCHIVED

    with Archive(project / "store") as store, Fetcher(LOCAL, store) as fetcher:
        fetcher.fetch(url)
    http_server.route("/article", "<html><body><p>Changed since.</p></body></html>")
    archived = read_text(url, project_dir=project, settings=settings)
    assert archived == fetched  # the project's archive first, as the matcher reads it


def test_text_from_an_older_extractor_is_rederived_from_the_archived_response(
    archive: Archive,
) -> None:
    from verifier.text import EXTRACTOR_VERSION

    def gzipped(url: str) -> HttpExchange:
        gzip_encoded = (("Content-Encoding", "gzip"),)
        return exchange(url, body=gzip.compress(PAGE.encode()), extra_headers=gzip_encoded)

    old, current = "https://news.test/old", "https://news.test/current"
    archive.store(old, [gzipped(old)], text="stale text", extractor="0")
    archive.store(current, [gzipped(current)], text="as archived", extractor=EXTRACTOR_VERSION)
    with Fetcher(LOCAL, archive) as fetcher:
        results = fetcher.fetch_all([old, current], offline=True)
    rederived, kept = results[old], results[current]
    assert isinstance(rederived, Capture) and SENTENCE in rederived.text
    assert rederived.title == "Talks in Seoul"
    assert isinstance(kept, Capture) and kept.text == "as archived"


def test_a_damaged_archive_is_a_failure_offline_and_a_refetch_online(
    http_server: LoopbackServer, tmp_path: Path
) -> None:
    url = http_server.route("/article", PAGE)
    with Archive(tmp_path / "a") as first, Fetcher(LOCAL, first) as fetcher:
        assert isinstance(fetcher.fetch(url), Capture)
    for warc in Archive(tmp_path / "a").warc_files():
        warc.write_bytes(b"\x1f\x8b garbage")
    with Archive(tmp_path / "a") as damaged, Fetcher(LOCAL, damaged) as fetcher:
        offline = fetcher.fetch(url, offline=True)
        assert isinstance(offline, FetchFailure)
        assert offline.reason is UnavailableReason.UNREADABLE
        online = fetcher.fetch(url)
    assert isinstance(online, Capture) and online.via == "live"


def test_a_lying_charset_label_is_overruled_by_the_bytes(
    http_server: LoopbackServer, archive: Archive
) -> None:
    page = PAGE.replace("Takeshi Iwaya", "Zoë Müller-Lüdenscheidt")
    url = http_server.route(
        "/latin1-label",
        page.encode("utf-8"),
        headers={"Content-Type": "text/html; charset=iso-8859-1"},
    )
    result = fetch_one(url, archive)
    assert isinstance(result, Capture)
    assert "Foreign Minister Zoë Müller-Lüdenscheidt arrived in Seoul" in result.text
