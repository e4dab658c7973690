"""An httpx transport whose every TCP connection goes through the SSRF guard.

httpx has no public hook between name resolution and connect, but httpcore (its
connection layer) takes a pluggable *network backend*: `connect_tcp(host, port)` is called
for every new connection, on the first request and on every redirect hop to a new origin.
`GuardedBackend.connect_tcp` resolves the host once, checks every address
(guard.AddressPolicy) and connects to a checked address itself, so there is no second
lookup to race. TLS still verifies and sends SNI for the host name, because httpcore
passes the origin's host to `start_tls`.

The same streams enforce the per-URL total deadline: each read, write and connect gets at
most the time left before the deadline set with `deadline()`, so a server that trickles one
byte a second is cut off on time however many reads it takes.
"""

from __future__ import annotations

import contextlib
import functools
import ssl
import time
import typing
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from types import TracebackType

import httpcore
import httpx

from verifier.fetch.guard import AddressPolicy

_deadline: ContextVar[float | None] = ContextVar("verifier_fetch_deadline", default=None)
_checked_destination: ContextVar[tuple[str, int] | None] = ContextVar(
    "verifier_checked_destination", default=None
)


def checked_destination() -> tuple[str, int] | None:
    """The (address, port) this thread is connecting to after the guard checked it.

    None outside GuardedBackend.connect_tcp. Lets an audit (the test suite's autouse
    fixture) verify that every socket connect goes to an address the guard approved.
    """
    return _checked_destination.get()


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[float]:
    """Give every network operation in this block a shared total budget of `seconds`."""
    until = time.monotonic() + seconds
    token = _deadline.set(until)
    try:
        yield until
    finally:
        _deadline.reset(token)


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    until = _deadline.get()
    if until is None:
        return timeout
    remaining = until - time.monotonic()
    if remaining <= 0:
        raise error("total deadline for this URL passed")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose operations never outlive the current deadline."""

    def __init__(self, inner: httpcore.NetworkStream, peer: str) -> None:
        self._inner = inner
        self._peer = peer

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: typing.Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._inner.start_tls(ssl_context, server_hostname, bounded), self._peer
        )

    def get_extra_info(self, info: str) -> typing.Any:
        if info == "verifier_peer_address":
            return self._peer
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore network backend: resolve once, check every address, connect to a checked one."""

    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy
        self._system = httpcore.SyncBackend()
        self.connections_opened = 0
        """Counts successful connects; tests use it to prove the guard is on the path."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = self._policy.resolve(
                host, port, timeout=_bounded(timeout, httpcore.ConnectTimeout)
            )
        except TimeoutError as error:
            raise httpcore.ConnectTimeout(f"looking up {host} took too long") from error
        last_error: Exception | None = None
        for address in addresses:
            token = _checked_destination.set((address, port))
            try:
                stream = self._system.connect_tcp(
                    address,
                    port,
                    timeout=_bounded(timeout, httpcore.ConnectTimeout),
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last_error = error
                continue
            finally:
                _checked_destination.reset(token)
            self.connections_opened += 1
            return _DeadlineStream(stream, address)
        assert last_error is not None
        raise last_error

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not a source")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


# httpcore's exceptions, most specific first, and the httpx exception each becomes.
_EXCEPTION_MAP: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
)


@contextlib.contextmanager
def _httpx_errors(request: httpx.Request) -> Iterator[None]:
    try:
        yield
    except httpcore.TimeoutException as error:
        raise _translate(error, request) from error
    except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol) as error:
        raise _translate(error, request) from error


def _translate(error: Exception, request: httpx.Request) -> httpx.HTTPError:
    for core_type, httpx_type in _EXCEPTION_MAP:
        if isinstance(error, core_type):
            if issubclass(httpx_type, httpx.RequestError):
                return httpx_type(str(error), request=request)
            return httpx_type(str(error))
    return httpx.TransportError(str(error), request=request)


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, inner: Iterable[bytes], request: httpx.Request) -> None:
        self._inner = inner
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        with _httpx_errors(self._request):
            yield from self._inner

    def close(self) -> None:
        close = getattr(self._inner, "close", None)
        if close is not None:
            close()


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context per process, shared by every transport: loading the CA
    bundle takes ~45 ms, and a cluster worker opens a fetcher for each partition it runs
    (an SSLContext is safe to share between connections and threads)."""
    return httpx.create_ssl_context()


POOL_SHARDS = 8
"""Connection pools per transport, each origin always in the same one. httpcore's pool
walks every connection it holds (polling each idle socket) twice per request, under the
GIL: with 20 hosts in flight that walk cost a fetch thread more CPU than sending the
request, and sharding cuts it by the number of shards."""


class GuardedTransport(httpx.BaseTransport):
    """httpx transport over httpcore pools that connect only through GuardedBackend.

    No proxy support on purpose: a proxy would do its own resolution past the guard.
    `max_connections` holds for each shard (POOL_SHARDS); the fetcher's threads, not the
    pool, bound how many connections are in use at once.
    """

    def __init__(self, policy: AddressPolicy, *, max_connections: int = 32) -> None:
        self.backend = GuardedBackend(policy)
        self._pools = tuple(
            httpcore.ConnectionPool(
                ssl_context=_ssl_context(),
                max_connections=max_connections,
                max_keepalive_connections=max_connections,
                keepalive_expiry=5.0,
                http1=True,
                http2=False,
                retries=0,
                network_backend=self.backend,
            )
            for _ in range(POOL_SHARDS)
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        origin = (request.url.raw_scheme, request.url.raw_host, request.url.port)
        pool = self._pools[hash(origin) % POOL_SHARDS]
        with _httpx_errors(request):
            core_response = pool.handle_request(core_request)
        assert isinstance(core_response.stream, Iterable)
        return httpx.Response(
            status_code=core_response.status,
            headers=core_response.headers,
            stream=_ResponseStream(core_response.stream, request),
            extensions=core_response.extensions,
        )

    def close(self) -> None:
        for pool in self._pools:
            pool.close()

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        self.close()
