"""The SSRF guard: refused ranges, numeric spellings, redirects, rebinding, proxies, cookies.

Real servers on 127.0.0.x: 127.0.0.1 is allowed (allow_hosts) and plays the public web;
127.0.0.2 plays an internal service that must never receive a connection.
"""

from __future__ import annotations

import ipaddress
import socket

import pytest
from conftest import ConnectionAudit, LoopbackServer, ServerFactory

from verifier.archive import Archive
from verifier.fetch import AddressPolicy, BlockedDestination, Fetcher
from verifier.fetch.guard import refusal
from verifier.model import Capture, FetchFailure, UnavailableReason
from verifier.settings import FetchSettings

PAGE = "<html><body><p>Foreign Minister Takeshi Iwaya arrived in Seoul.</p></body></html>"
ALLOW_ONE = FetchSettings(wayback=None, allow_hosts=("127.0.0.1",), timeout=3.0, retries=0)

REFUSED = [
    "127.0.0.1",
    "127.255.255.254",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",
    "224.0.0.1",  # multicast, which ipaddress calls "global"
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "198.18.0.1",
    "192.0.0.8",
    "::",
    "::1",
    "fe80::1",
    "fd00:ec2::254",  # AWS metadata over IPv6
    "fc00::1",
    "ff02::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:169.254.169.254",
    "::127.0.0.1",  # IPv4-compatible
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254, which ipaddress calls "global"
    "64:ff9b:1::1",
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "2001:db8::1",
]
PUBLIC = ["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001::200e"]


@pytest.mark.parametrize("address", REFUSED)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    "host",
    [
        "2130706433",
        "0x7f000001",
        "0x7f.1",
        "127.1",
        "0177.0.0.1",
        "017700000001",
        "localhost",
        "[::1]",
        "::ffff:127.0.0.1",
        "LOCALHOST.",
        "0",
        "169.254.169.254",
    ],
)
def test_every_spelling_of_a_refused_address_is_refused(host: str) -> None:
    with pytest.raises(BlockedDestination):
        AddressPolicy().resolve(host, 80)


def test_allow_hosts_lets_only_the_named_address_through() -> None:
    policy = AddressPolicy(allow_hosts=("127.0.0.1",))
    assert policy.resolve("127.0.0.1", 80) == ["127.0.0.1"]
    assert policy.resolve("2130706433", 80) == ["127.0.0.1"]  # the same address, spelled out
    with pytest.raises(BlockedDestination):
        policy.resolve("127.0.0.2", 80)
    with pytest.raises(BlockedDestination):
        policy.resolve("localhost", 80)  # a name is not let through by its address
    assert AddressPolicy(allow_hosts=("LocalHost",)).resolve("localhost.", 80)


@pytest.fixture
def internal(loopback_server_factory: ServerFactory) -> LoopbackServer:
    server = loopback_server_factory("127.0.0.2")
    server.route("/secret", "<html><body><p>internal credentials</p></body></html>")
    return server


def fetch(
    url: str, archive: Archive, settings: FetchSettings = ALLOW_ONE
) -> Capture | FetchFailure:
    with Fetcher(settings, archive) as fetcher:
        return fetcher.fetch_all([url])[url]


def test_the_guard_is_on_the_connection_path(http_server: LoopbackServer, archive: Archive) -> None:
    url = http_server.route("/page", PAGE)
    with Fetcher(ALLOW_ONE, archive) as fetcher:
        assert fetcher.transport.backend.connections_opened == 0
        assert isinstance(fetcher.fetch(url), Capture)
        assert fetcher.transport.backend.connections_opened == 1
    # Without allow_hosts the same server is refused before any connection is made.
    assert http_server.connections == 1
    with Fetcher(FetchSettings(wayback=None, timeout=3.0), archive) as unallowed:
        blocked = unallowed.fetch(url, refresh=True)
    assert isinstance(blocked, FetchFailure) and blocked.reason is UnavailableReason.BLOCKED
    assert http_server.connections == 1


def test_the_internal_service_is_blocked_directly_and_by_every_spelling(
    internal: LoopbackServer, archive: Archive
) -> None:
    port = internal.port
    urls = [
        internal.url("/secret"),
        f"http://2130706434:{port}/secret",
        f"http://0x7f000002:{port}/secret",
        f"http://127.2:{port}/secret",
        f"http://[::ffff:127.0.0.2]:{port}/secret",
        f"http://localhost:{port}/secret",
        f"http://[::1]:{port}/secret",
    ]
    with Fetcher(ALLOW_ONE, archive) as fetcher:
        results = fetcher.fetch_all(urls)
    for url, result in results.items():
        assert isinstance(result, FetchFailure), url
        assert result.reason is UnavailableReason.BLOCKED, (url, result)
    assert internal.connections == 0


def test_a_spelling_httpx_refuses_is_a_failure_not_an_exception(
    internal: LoopbackServer, archive: Archive
) -> None:
    result = fetch(f"http://0177.0.0.2:{internal.port}/secret", archive)
    assert isinstance(result, FetchFailure)
    assert internal.connections == 0


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.2:{port}/secret",
        "http://2130706434:{port}/secret",
        "http://localhost:{port}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "ftp://127.0.0.2:{port}/secret",
        "gopher://127.0.0.2:{port}/_GET",
    ],
)
def test_redirects_to_internal_targets_are_blocked(
    location: str, http_server: LoopbackServer, internal: LoopbackServer, archive: Archive
) -> None:
    start = http_server.route(
        "/jump", status=302, headers={"Location": location.format(port=internal.port)}
    )
    result = fetch(start, archive)
    assert isinstance(result, FetchFailure)
    assert result.reason is UnavailableReason.BLOCKED
    assert internal.connections == 0


def test_dns_is_resolved_once_and_the_checked_address_is_used(
    loopback_server_factory: ServerFactory,
    archive: Archive,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    public = loopback_server_factory("127.0.0.1")
    public.route("/page", PAGE)
    # The internal service listens on the same port, so a second lookup would reach it.
    internal = loopback_server_factory("127.0.0.2", port=public.port)
    answers = iter(["127.0.0.1", "127.0.0.2", "127.0.0.2"])
    lookups: list[str] = []
    real_getaddrinfo = socket.getaddrinfo

    def rebinding_dns(host: str, port: object, *args: object, **kwargs: object) -> object:
        if host == "rebind.test":
            lookups.append(host)
            host = next(answers)
        return real_getaddrinfo(host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    settings = FetchSettings(wayback=None, allow_hosts=("rebind.test",), timeout=3.0, retries=0)
    result = fetch(f"http://rebind.test:{public.port}/page", archive, settings)
    assert isinstance(result, Capture)
    assert lookups == ["rebind.test"]
    assert internal.connections == 0
    assert public.requests[0].headers["Host"] == f"rebind.test:{public.port}"


def test_a_name_with_one_refused_address_is_refused_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def split_dns(host: str, port: int, *args: object, **kwargs: object) -> object:
        assert host == "mixed.test"
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.1", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", split_dns)
    with pytest.raises(BlockedDestination) as caught:
        AddressPolicy().resolve("mixed.test", 80)
    assert "10.0.0.1" in caught.value.detail


def test_proxies_from_the_environment_are_ignored(
    http_server: LoopbackServer,
    internal: LoopbackServer,
    archive: Archive,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(variable, internal.url("/"))
    url = http_server.route("/page", PAGE)
    assert isinstance(fetch(url, archive), Capture)
    assert internal.connections == 0


def test_cookies_are_not_carried_to_another_origin(
    loopback_server_factory: ServerFactory, archive: Archive
) -> None:
    first, second = loopback_server_factory("127.0.0.1"), loopback_server_factory("127.0.0.1")
    target = second.route("/landing", PAGE)
    first.route(
        "/start",
        status=302,
        headers={"Location": target, "Set-Cookie": "session=secret; Path=/"},
    )
    first.route("/again", PAGE)
    with Fetcher(ALLOW_ONE, archive) as fetcher:
        fetcher.fetch_all([first.url("/start")])
        fetcher.fetch_all([first.url("/again")])
    assert all("Cookie" not in request.headers for request in second.requests + first.requests)


def test_the_audit_catches_a_connection_that_bypasses_the_guard(
    http_server: LoopbackServer, connection_audit: ConnectionAudit
) -> None:
    with (
        pytest.raises(ConnectionRefusedError),
        socket.create_connection(("127.0.0.1", http_server.port), timeout=1),
    ):
        pass
    assert connection_audit.violations == [("127.0.0.1", http_server.port)]
    connection_audit.violations.clear()  # seen on purpose; don't fail this test
    assert http_server.connections == 0


def test_blocked_answers_name_the_reason(archive: Archive, internal: LoopbackServer) -> None:
    result = fetch(internal.url("/secret"), archive)
    assert isinstance(result, FetchFailure)
    assert "127.0.0.2" in result.detail


def test_ipv6_loopback_is_refused_unless_allowed(
    loopback_server_factory: ServerFactory, archive: Archive
) -> None:
    server = loopback_server_factory("::1")
    url = server.route("/page", PAGE)
    refused = fetch(url, archive, ALLOW_ONE)
    assert isinstance(refused, FetchFailure) and refused.reason is UnavailableReason.BLOCKED
    assert server.connections == 0
    allowed = FetchSettings(wayback=None, allow_hosts=("::1",), timeout=3.0, retries=0)
    with Fetcher(allowed, archive) as fetcher:
        result = fetcher.fetch(url, refresh=True)
    assert isinstance(result, Capture) and "Takeshi Iwaya" in result.text
