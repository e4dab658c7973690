"""Wayback fallback against a local server that answers like the availability API."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import LoopbackServer, ServerFactory

from verifier.archive import Archive
from verifier.fetch import Fetcher
from verifier.fetch.wayback import raw_snapshot, snapshot_from_answer, wayback_timestamp
from verifier.model import Capture, FetchFailure, UnavailableReason
from verifier.settings import FetchSettings

COPY = (
    "<html><body><article><p>Foreign Minister Takeshi Iwaya said the talks went well.</p>"
    "</article></body></html>"
)


class FakeWayback:
    """Availability API plus snapshots, served by one loopback server."""

    def __init__(self, server: LoopbackServer) -> None:
        self.server = server
        self.queries: list[dict[str, list[str]]] = []
        self.snapshots: dict[str, str] = {}  # original URL -> snapshot URL to answer with
        server.route_handler("/wayback/available", self._available)

    @property
    def api(self) -> str:
        return self.server.url("/wayback/available")

    def add_copy(self, original: str, timestamp: str = "20240115093000", body: str = COPY) -> str:
        snapshot = self.server.url(f"/web/{timestamp}/{original}")
        self.snapshots[original] = snapshot
        self.server.route(f"/web/{timestamp}id_/{original}", body)
        return snapshot

    def _available(self, handler: BaseHTTPRequestHandler) -> None:
        query = parse_qs(urlsplit(handler.path).query)
        self.queries.append(query)
        original = query.get("url", [""])[0]
        snapshot = self.snapshots.get(original)
        closest = (
            {"status": "200", "available": True, "url": snapshot, "timestamp": "20240115093000"}
            if snapshot
            else None
        )
        answer = {"url": original, "archived_snapshots": {"closest": closest} if closest else {}}
        body = json.dumps(answer).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


@pytest.fixture
def wayback(loopback_server_factory: ServerFactory) -> FakeWayback:
    return FakeWayback(loopback_server_factory("127.0.0.1"))


def settings(wayback: FakeWayback | None) -> FetchSettings:
    return FetchSettings(
        allow_hosts=("127.0.0.1",),
        timeout=5.0,
        retries=0,
        wayback=wayback.api if wayback else None,
    )


def test_a_dead_source_is_read_from_its_wayback_copy_nearest_the_access_date(
    http_server: LoopbackServer, wayback: FakeWayback, archive: Archive
) -> None:
    dead = http_server.url("/gone")
    snapshot = wayback.add_copy(dead)
    with Fetcher(settings(wayback), archive) as fetcher:
        result = fetcher.fetch_all([dead], accessed={dead: "15 January 2024"})[dead]
    assert isinstance(result, Capture)
    assert result.via == "wayback"
    assert result.final_url == raw_snapshot(snapshot)
    assert "Takeshi Iwaya said the talks went well" in result.text
    assert wayback.queries == [{"url": [dead], "timestamp": ["20240115"]}]
    # The copy is archived under the cited URL, so an offline run reads it too.
    with Fetcher(settings(None), Archive(archive.root)) as offline:
        again = offline.fetch_all([dead], offline=True)[dead]
    assert isinstance(again, Capture) and again.final_url == result.final_url


def test_no_copy_keeps_the_original_failure(
    http_server: LoopbackServer, wayback: FakeWayback, archive: Archive
) -> None:
    dead = http_server.url("/gone")
    with Fetcher(settings(wayback), archive) as fetcher:
        result = fetcher.fetch(dead)
    assert isinstance(result, FetchFailure)
    assert result.reason is UnavailableReason.DEAD
    assert len(wayback.queries) == 1


def test_a_blocked_source_falls_back_through_the_same_guard(
    wayback: FakeWayback, archive: Archive, loopback_server_factory: ServerFactory
) -> None:
    internal = loopback_server_factory("127.0.0.2")
    internal_url = internal.route("/report", COPY)
    wayback.add_copy(internal_url)
    with Fetcher(settings(wayback), archive) as fetcher:
        result = fetcher.fetch(internal_url)
    assert isinstance(result, Capture) and result.via == "wayback"
    assert internal.connections == 0


def test_a_snapshot_url_that_points_inside_is_blocked(
    http_server: LoopbackServer,
    wayback: FakeWayback,
    archive: Archive,
    loopback_server_factory: ServerFactory,
) -> None:
    internal = loopback_server_factory("127.0.0.2")
    internal.route("/web/20240101000000id_/x", COPY)
    dead = http_server.url("/gone")
    wayback.snapshots[dead] = internal.url("/web/20240101000000/x")
    with Fetcher(settings(wayback), archive) as fetcher:
        result = fetcher.fetch(dead)
    assert isinstance(result, FetchFailure) and result.reason is UnavailableReason.DEAD
    assert internal.connections == 0


def test_the_fallback_can_be_turned_off(
    http_server: LoopbackServer, wayback: FakeWayback, archive: Archive
) -> None:
    dead = http_server.url("/gone")
    wayback.add_copy(dead)
    with Fetcher(settings(None), archive) as fetcher:
        result = fetcher.fetch(dead)
    assert isinstance(result, FetchFailure) and wayback.queries == []


def test_live_sources_and_timeouts_do_not_ask_the_wayback_machine(
    http_server: LoopbackServer, wayback: FakeWayback, archive: Archive
) -> None:
    live = http_server.route("/live", COPY)
    slow = http_server.route("/slow", COPY, delay=2.0)
    quick = FetchSettings(allow_hosts=("127.0.0.1",), timeout=0.5, retries=0, wayback=wayback.api)
    with Fetcher(quick, archive) as fetcher:
        results = fetcher.fetch_all([live, slow])
    assert isinstance(results[live], Capture)
    assert isinstance(results[slow], FetchFailure)
    assert wayback.queries == []


@pytest.mark.parametrize(
    ("accessed", "expected"),
    [
        ("2024-11-03", "20241103"),
        ("3 November 2024", "20241103"),
        ("Retrieved 3 Nov 2024.", "20241103"),
        ("November 3, 2024", "20241103"),
        ("accessed: 2019-05-01T10:20:30", "20190501102030"),
        ("sometime last year", None),
        (None, None),
    ],
)
def test_access_dates_become_wayback_timestamps(accessed: str | None, expected: str | None) -> None:
    assert wayback_timestamp(accessed) == expected


def test_availability_answers_are_read_defensively() -> None:
    good = {
        "archived_snapshots": {
            "closest": {
                "available": True,
                "status": "200",
                "url": "http://web.archive.org/web/20130919044612/http://example.com/",
                "timestamp": "20130919044612",
            }
        }
    }
    assert (
        snapshot_from_answer(json.dumps(good).encode())
        == "http://web.archive.org/web/20130919044612id_/http://example.com/"
    )
    for bad in (b"not json", b"[]", b'{"archived_snapshots": {}}', b'{"archived_snapshots": 3}'):
        assert snapshot_from_answer(bad) is None
    redirect = json.loads(json.dumps(good))
    redirect["archived_snapshots"]["closest"]["status"] = "302"
    assert snapshot_from_answer(json.dumps(redirect).encode()) is not None  # followed as a hop
    missing = json.loads(json.dumps(good))
    missing["archived_snapshots"]["closest"]["status"] = "404"
    assert snapshot_from_answer(json.dumps(missing).encode()) is None
