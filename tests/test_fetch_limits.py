"""Limits and faults against real loopback servers: size caps, bombs, retries, politeness."""

from __future__ import annotations

import gzip
import itertools
import threading
import time
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler

import pytest
from conftest import LoopbackServer, ServerFactory

from verifier.archive import Archive
from verifier.fetch import Fetcher, client
from verifier.fetch.content import (
    BodyTooLarge,
    CorruptEncoding,
    UnsupportedEncoding,
    decode_content,
)
from verifier.fetch.politeness import HostGate, HostQueue, interleave_by_host
from verifier.model import Capture, FetchFailure, UnavailableReason
from verifier.settings import FetchSettings

PAGE = (
    "<html><head><title>Talks</title></head><body><article>"
    "<p>Foreign Minister Takeshi Iwaya arrived in Seoul on Monday for two days of talks.</p>"
    "</article></body></html>"
)


def settings(**changes: object) -> FetchSettings:
    values: dict[str, object] = {
        "allow_hosts": ("127.0.0.1",),
        "timeout": 5.0,
        "retries": 2,
        "wayback": None,
    }
    values.update(changes)
    return FetchSettings(**values)  # type: ignore[arg-type]


def fetch(url: str, archive: Archive, fetch_settings: FetchSettings) -> Capture | FetchFailure:
    with Fetcher(fetch_settings, archive) as fetcher:
        return fetcher.fetch_all([url])[url]


def reason(result: Capture | FetchFailure) -> UnavailableReason | None:
    return result.reason if isinstance(result, FetchFailure) else None


# -- size -----------------------------------------------------------------------------


def test_declared_length_over_the_cap_is_refused_before_reading(
    http_server: LoopbackServer, archive: Archive
) -> None:
    sent: list[int] = []

    def huge(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(10**9))
        handler.end_headers()
        for _ in range(200):
            handler.wfile.write(b"x" * 65536)
            sent.append(65536)
            time.sleep(0.01)

    url = http_server.route_handler("/huge", huge)
    started = time.monotonic()
    result = fetch(url, archive, settings(max_bytes=100_000))
    assert reason(result) is UnavailableReason.TOO_LARGE
    assert time.monotonic() - started < 1.0


def test_an_endless_stream_is_cut_at_the_cap(http_server: LoopbackServer, archive: Archive) -> None:
    def endless(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        chunk = b"<p>" + b"spam " * 2000 + b"</p>"
        while True:
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))

    url = http_server.route_handler("/endless", endless)
    result = fetch(url, archive, settings(max_bytes=200_000))
    assert reason(result) is UnavailableReason.TOO_LARGE


@pytest.mark.parametrize("encoding", ["gzip", "gzip, gzip", "deflate"])
def test_decompression_bombs_are_bounded(
    encoding: str, http_server: LoopbackServer, archive: Archive
) -> None:
    payload = b"<html><body>" + b"\0" * 50_000_000
    for coding in [c.strip() for c in encoding.split(",")]:
        payload = gzip.compress(payload, 9) if coding == "gzip" else zlib.compress(payload, 9)
    assert len(payload) < 1_000_000
    url = http_server.route("/bomb", payload, headers={"Content-Encoding": encoding})
    result = fetch(url, archive, settings(max_bytes=1_000_000))
    assert reason(result) is UnavailableReason.TOO_LARGE


def test_an_encoding_never_asked_for_is_unreadable(
    http_server: LoopbackServer, archive: Archive
) -> None:
    url = http_server.route("/zstd", b"(\xb5/\xfd\x00", headers={"Content-Encoding": "zstd"})
    assert reason(fetch(url, archive, settings())) is UnavailableReason.UNREADABLE
    (request,) = http_server.requests
    assert "zstd" not in request.headers["Accept-Encoding"]


def test_brotli_is_never_asked_for_and_a_brotli_bomb_costs_nothing(
    http_server: LoopbackServer, archive: Archive
) -> None:
    # A brotli stream of 1 MB of zeros per byte pair would be a bomb; it is not decoded.
    url = http_server.route("/br", b"\x1b\xff\xff\x0f" * 1000, headers={"Content-Encoding": "br"})
    assert reason(fetch(url, archive, settings())) is UnavailableReason.UNREADABLE
    assert "br" not in http_server.requests[0].headers["Accept-Encoding"].split(", ")


def test_a_redirect_body_is_not_read_unbounded(
    http_server: LoopbackServer, archive: Archive
) -> None:
    target = http_server.route("/target", PAGE)

    def redirect_with_endless_body(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", target)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        chunk = b"z" * 65536
        while True:
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))

    start = http_server.route_handler("/start", redirect_with_endless_body)
    started = time.monotonic()
    result = fetch(start, archive, settings())
    assert isinstance(result, Capture) and result.final_url == target
    assert time.monotonic() - started < 2.0


def test_decode_content_unit_cases() -> None:
    text = b"hello " * 100
    assert decode_content(gzip.compress(text) + gzip.compress(text), "gzip", 10_000) == text * 2
    assert decode_content(zlib.compress(text), "deflate", 10_000) == text
    raw_deflate = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    assert (
        decode_content(raw_deflate.compress(text) + raw_deflate.flush(), "deflate", 10**4) == text
    )
    assert decode_content(text, "identity", 10_000) == text
    with pytest.raises(BodyTooLarge):
        decode_content(gzip.compress(text), "gzip", 100)
    with pytest.raises(UnsupportedEncoding):
        decode_content(text, "gzip, gzip, gzip, gzip", 10_000)
    with pytest.raises(CorruptEncoding):
        decode_content(b"not gzip at all", "gzip", 10_000)
    with pytest.raises(CorruptEncoding):
        decode_content(b"\x00\x01 not deflate", "deflate", 10_000)


# -- time -----------------------------------------------------------------------------


def test_a_server_that_never_answers_is_cut_off_on_time(
    http_server: LoopbackServer, archive: Archive
) -> None:
    release = threading.Event()

    def silent(handler: BaseHTTPRequestHandler) -> None:
        release.wait(5)

    url = http_server.route_handler("/silent", silent)
    started = time.monotonic()
    result = fetch(url, archive, settings(timeout=0.5))
    release.set()
    assert reason(result) is UnavailableReason.TIMEOUT
    assert time.monotonic() - started < 1.2


def test_the_deadline_covers_every_redirect_hop(
    http_server: LoopbackServer, archive: Archive
) -> None:
    slow_target = http_server.route("/slow", PAGE, delay=0.4)
    middle = http_server.route("/middle", status=302, headers={"Location": slow_target}, delay=0.4)
    start = http_server.route("/start", status=302, headers={"Location": middle}, delay=0.4)
    started = time.monotonic()
    result = fetch(start, archive, settings(timeout=0.9))
    assert reason(result) is UnavailableReason.TIMEOUT
    assert time.monotonic() - started < 1.4


# -- retries --------------------------------------------------------------------------


def sequence_handler(
    statuses: list[tuple[int, dict[str, str]]],
) -> Callable[[BaseHTTPRequestHandler], None]:
    answers = iter(statuses)

    def handle(handler: BaseHTTPRequestHandler) -> None:
        status, headers = next(answers, (200, {}))
        body = PAGE.encode() if status == 200 else b"try later"
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    return handle


def test_retry_after_is_honoured(http_server: LoopbackServer, archive: Archive) -> None:
    url = http_server.route_handler("/busy", sequence_handler([(503, {"Retry-After": "1"})]))
    started = time.monotonic()
    result = fetch(url, archive, settings())
    assert isinstance(result, Capture)
    assert time.monotonic() - started >= 1.0
    assert http_server.hits("/busy") == 2


def test_a_long_retry_after_is_rate_limiting_not_a_wait(
    http_server: LoopbackServer, archive: Archive
) -> None:
    url = http_server.route_handler("/limited", sequence_handler([(429, {"Retry-After": "3600"})]))
    started = time.monotonic()
    result = fetch(url, archive, settings())
    assert reason(result) is UnavailableReason.RATE_LIMITED
    assert time.monotonic() - started < 1.0
    assert http_server.hits("/limited") == 1


def test_rate_limiting_that_persists_is_reported(
    http_server: LoopbackServer, archive: Archive
) -> None:
    url = http_server.route_handler(
        "/limited",
        sequence_handler([(429, {"Retry-After": "0"})] * 5),
    )
    result = fetch(url, archive, settings(retries=2))
    assert reason(result) is UnavailableReason.RATE_LIMITED
    assert http_server.hits("/limited") == 3


def test_a_dropped_connection_is_retried(http_server: LoopbackServer, archive: Archive) -> None:
    calls: list[int] = []

    def drop_first(handler: BaseHTTPRequestHandler) -> None:
        calls.append(1)
        if len(calls) == 1:
            handler.close_connection = True
            return  # hang up without an answer
        sequence_handler([])(handler)

    url = http_server.route_handler("/drop", drop_first)
    assert isinstance(fetch(url, archive, settings()), Capture)
    assert len(calls) == 2


# -- politeness -----------------------------------------------------------------------


def test_per_host_concurrency_is_capped(http_server: LoopbackServer, archive: Archive) -> None:
    in_flight, peak = [0], [0]
    lock = threading.Lock()

    def slow(handler: BaseHTTPRequestHandler) -> None:
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.15)
        with lock:
            in_flight[0] -= 1
        sequence_handler([])(handler)

    urls = [http_server.route_handler(f"/p{n}", slow) for n in range(8)]
    with Fetcher(settings(concurrency=8, per_host=2), archive) as fetcher:
        results = fetcher.fetch_all(urls)
    assert all(isinstance(r, Capture) for r in results.values())
    assert peak[0] == 2


def test_min_interval_spaces_requests_to_one_host(
    http_server: LoopbackServer, archive: Archive
) -> None:
    starts: list[float] = []

    def stamp(handler: BaseHTTPRequestHandler) -> None:
        starts.append(time.monotonic())
        sequence_handler([])(handler)

    urls = [http_server.route_handler(f"/q{n}", stamp) for n in range(4)]
    with Fetcher(settings(concurrency=4, per_host=4, min_interval=0.2), archive) as fetcher:
        fetcher.fetch_all(urls)
    ordered = sorted(starts)
    gaps = [later - earlier for earlier, later in itertools.pairwise(ordered)]
    assert len(gaps) == 3 and min(gaps) >= 0.18


def test_waiting_for_a_busy_host_does_not_count_against_the_deadline(
    http_server: LoopbackServer, archive: Archive
) -> None:
    urls = [http_server.route(f"/queued{n}", PAGE, delay=0.2) for n in range(6)]
    with Fetcher(settings(concurrency=6, per_host=1, timeout=0.6), archive) as fetcher:
        results = fetcher.fetch_all(urls)
    assert all(isinstance(result, Capture) for result in results.values())


def test_urls_are_interleaved_by_host() -> None:
    urls = ["a1", "a2", "a3", "b1", "c1", "c2"]
    hosts = {url: url[0] for url in urls}
    assert interleave_by_host(urls, hosts) == ["a1", "b1", "c1", "a2", "c2", "a3"]


def test_a_fetch_thread_takes_a_free_host_rather_than_wait_on_a_busy_one() -> None:
    gate = HostGate(per_host=1, min_interval=0.0)
    queue = HostQueue(["a1", "a2", "b1"], {"a1": "a", "a2": "a", "b1": "b"})
    claimed: list[tuple[str, str] | None] = []

    def claim() -> None:
        claimed.append(gate.claim(queue))

    gate.acquire("a")  # host a is busy: another URL of a's is in flight
    worker = threading.Thread(target=claim)
    worker.start()
    worker.join(5)
    assert claimed == [("b1", "b")]
    gate.release("a")
    worker = threading.Thread(target=claim)
    worker.start()
    worker.join(5)
    assert claimed[-1] == ("a1", "a")


def test_a_closed_queue_releases_the_threads_waiting_on_it() -> None:
    gate = HostGate(per_host=1, min_interval=0.0)
    queue = HostQueue(["a1"], {"a1": "a"})
    claimed: list[tuple[str, str] | None] = []
    gate.acquire("a")
    worker = threading.Thread(target=lambda: claimed.append(gate.claim(queue)))
    worker.start()
    gate.close(queue)
    worker.join(5)
    assert claimed == [None]


def test_a_host_takes_its_next_url_while_the_last_page_is_read(
    http_server: LoopbackServer, archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    second_asked = threading.Event()
    waited: list[bool] = []

    def second(handler: BaseHTTPRequestHandler) -> None:
        second_asked.set()
        sequence_handler([])(handler)

    extract = client.main_text

    def slow_first_read(body: bytes, content_type: str | None, url: str | None = None) -> object:
        # The first page is read only once the host has the second request. (Told by its
        # URL, not by being read first: the second page's read can start while the first
        # is still waiting, and then waited twice.)
        if url == urls[0]:
            waited.append(second_asked.wait(10))
        return extract(body, content_type, url)

    monkeypatch.setattr(client, "main_text", slow_first_read)
    urls = [http_server.route("/first", PAGE), http_server.route_handler("/second", second)]
    with Fetcher(settings(concurrency=2, per_host=1), archive) as fetcher:
        results = fetcher.fetch_all(urls)
    assert waited == [True]
    assert all(isinstance(result, Capture) for result in results.values())


def test_per_host_limits_hold_across_hosts_fetched_together(
    loopback_server_factory: ServerFactory, archive: Archive
) -> None:
    lock = threading.Lock()
    in_flight: dict[str, int] = {}
    peak: dict[str, int] = {}

    def counting(host: str) -> Callable[[BaseHTTPRequestHandler], None]:
        def handle(handler: BaseHTTPRequestHandler) -> None:
            with lock:
                in_flight[host] = in_flight.get(host, 0) + 1
                peak[host] = max(peak.get(host, 0), in_flight[host])
            time.sleep(0.05)
            with lock:
                in_flight[host] -= 1
            sequence_handler([])(handler)

        return handle

    hosts = ("127.0.0.2", "127.0.0.3", "127.0.0.4")
    servers = [loopback_server_factory(host) for host in hosts]
    urls = [
        server.route_handler(f"/p{n}", counting(host))
        for n in range(6)
        for host, server in zip(hosts, servers, strict=True)
    ]
    with Fetcher(settings(allow_hosts=hosts, concurrency=6, per_host=2), archive) as fetcher:
        results = fetcher.fetch_all(urls)
    assert all(isinstance(result, Capture) for result in results.values())
    assert peak == {host: 2 for host in hosts}
