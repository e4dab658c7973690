"""Shared fixtures: real HTTP servers on loopback addresses, started by the test, and a
guard that fails any test whose code connects anywhere except through the fetcher's guard.

    http_server                  a LoopbackServer on 127.0.0.1 (fresh per test)
    archive                      an empty Archive under tmp_path, closed after the test
    loopback_server_factory(h)   more servers, e.g. on 127.0.0.2 as an "internal service"
                                 (loopback_server_factory("127.0.0.2", port=...) to share a port)
    connection_audit             autouse: every socket connect in the test process must go to
                                 the loopback address verifier.fetch's SSRF guard has just
                                 checked, and no DNS lookup may leave the machine (tests run
                                 offline; set FetchSettings(wayback=None) unless testing it);
                                 anything else is refused and fails the test. Mark a test
                                 @pytest.mark.unguarded_network to opt out (say why).

A LoopbackServer serves canned responses (`route`) or hand-written handlers
(`route_handler`, for trickling, dropping connections...) and records every request and
every accepted connection, so a test can assert that a server was never reached.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Protocol

import pytest

from verifier.archive import Archive
from verifier.fetch.transport import checked_destination

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering."""


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]


class LoopbackServer:
    """A threaded HTTP/1.1 server on `host`, on a free port."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.requests: list[RecordedRequest] = []
        self.connections = 0
        self._routes: dict[str, Route | Handler] = {}
        self._lock = threading.Lock()
        server = self

        class _RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms stall between headers and body

            def do_GET(self) -> None:
                server._record(self)
                route = server._routes.get(self.path.split("?", 1)[0])
                if route is None:
                    self._send(Route(404, b"<html><body>not found</body></html>"))
                elif isinstance(route, Route):
                    self._send(route)
                else:
                    route(self)

            def do_HEAD(self) -> None:
                self.do_GET()

            def _send(self, route: Route) -> None:
                if route.delay:
                    time.sleep(route.delay)
                self.send_response(route.status)
                headers = {"Content-Type": "text/html; charset=utf-8", **route.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep test output clean

        class _Server(ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False
            address_family = socket.AF_INET6 if ":" in host else socket.AF_INET

            def handle_error(self, request: object, client_address: object) -> None:
                # A client that hangs up mid-answer is what timeout tests do on purpose.
                if not isinstance(sys.exc_info()[1], ConnectionError):
                    super().handle_error(request, client_address)  # type: ignore[arg-type]

            def get_request(self) -> tuple[socket.socket, object]:
                accepted = super().get_request()
                with server._lock:
                    server.connections += 1
                return accepted

        self._server = _Server((host, port), _RequestHandler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def url(self, path: str = "/") -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{path}"

    def route(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> str:
        """Serve a canned response at `path`; returns its URL."""
        encoded = body.encode("utf-8") if isinstance(body, str) else body
        self._routes[path] = Route(status, encoded, dict(headers or {}), delay)
        return self.url(path)

    def route_handler(self, path: str, handler: Handler) -> str:
        """Serve `path` with a hand-written handler (full control of the socket)."""
        self._routes[path] = handler
        return self.url(path)

    def hits(self, path: str) -> int:
        return sum(1 for request in self.requests if request.path.split("?", 1)[0] == path)

    def _record(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests.append(
                RecordedRequest(handler.command, handler.path, dict(handler.headers.items()))
            )

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class ServerFactory(Protocol):
    def __call__(self, host: str = "127.0.0.1", port: int = 0) -> LoopbackServer: ...


@pytest.fixture
def loopback_server_factory() -> Iterator[ServerFactory]:
    started: list[LoopbackServer] = []

    def start(host: str = "127.0.0.1", port: int = 0) -> LoopbackServer:
        server = LoopbackServer(host, port).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def http_server(loopback_server_factory: ServerFactory) -> LoopbackServer:
    return loopback_server_factory("127.0.0.1")


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive(tmp_path / "archive") as opened:
        yield opened


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "unguarded_network: the test may connect without the fetcher's SSRF guard"
    )


@dataclass
class ConnectionAudit:
    """Socket connects the guard did not approve, seen during one test."""

    violations: list[object] = field(default_factory=list)


def _approved(address: object) -> bool:
    """A connect the fetcher's guard checked, to a loopback address (tests run offline)."""
    if isinstance(address, str | bytes):
        return True  # a unix socket, not the network
    checked = checked_destination()
    return (
        isinstance(address, tuple)
        and checked is not None
        and (str(address[0]), int(address[1])) == checked
        and _is_loopback(str(address[0]))
    )


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return host == "localhost"


def _is_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        try:
            socket.inet_aton(host)  # legacy spellings: "127.1", "2130706433"
        except OSError:
            return False
    return True


@pytest.fixture(autouse=True)
def connection_audit(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ConnectionAudit]:
    audit = ConnectionAudit()
    if request.node.get_closest_marker("unguarded_network") is not None:
        yield audit
        return
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex

    def connect(sock: socket.socket, address: object) -> None:
        if not _approved(address):
            audit.violations.append(address)
            raise ConnectionRefusedError(f"test audit: unguarded connect to {address!r}")
        original_connect(sock, address)  # type: ignore[arg-type]

    def connect_ex(sock: socket.socket, address: object) -> int:
        if not _approved(address):
            audit.violations.append(address)
            raise ConnectionRefusedError(f"test audit: unguarded connect to {address!r}")
        return original_connect_ex(sock, address)  # type: ignore[arg-type]

    original_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        # Tests run offline: a lookup of a real name would wait on (or reach) the network.
        name = host.decode() if isinstance(host, bytes) else str(host)
        if host is not None and not _is_loopback(name) and not _is_literal(name):
            audit.violations.append(name)
            raise socket.gaierror(socket.EAI_NONAME, f"test audit: DNS lookup of {name}")
        return original_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield audit
    if audit.violations:
        pytest.fail(f"connections outside the fetcher's SSRF guard: {audit.violations}")
