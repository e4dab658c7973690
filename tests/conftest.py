"""Shared fixtures: real HTTP servers on loopback addresses, started by the test.

    http_server                  a LoopbackServer on 127.0.0.1 (fresh per test)
    loopback_server_factory(h)   more servers, e.g. on 127.0.0.2 as an "internal service"

A LoopbackServer serves canned responses (`route`) or hand-written handlers
(`route_handler`, for trickling, dropping connections...) and records every request and
every accepted connection, so a test can assert that a server was never reached.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

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

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.requests: list[RecordedRequest] = []
        self.connections = 0
        self._routes: dict[str, Route | Handler] = {}
        self._lock = threading.Lock()
        server = self

        class _RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

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

            def get_request(self) -> tuple[socket.socket, object]:
                accepted = super().get_request()
                with server._lock:
                    server.connections += 1
                return accepted

        self._server = _Server((host, 0), _RequestHandler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

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


@pytest.fixture
def loopback_server_factory() -> Iterator[Callable[[str], LoopbackServer]]:
    started: list[LoopbackServer] = []

    def start(host: str = "127.0.0.1") -> LoopbackServer:
        server = LoopbackServer(host).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def http_server(loopback_server_factory: Callable[[str], LoopbackServer]) -> LoopbackServer:
    return loopback_server_factory("127.0.0.1")
