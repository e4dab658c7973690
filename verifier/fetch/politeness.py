"""Per-host concurrency and minimum interval, so many footnotes to one site do not hammer it.

A URL holds a slot on its own host while that host is talked to (every hop and retry,
Retry-After waits included); the wait for that slot is queueing, not the source's fault,
so it does not count against the URL's deadline. A redirect hop to another host takes a
slot there too, within the deadline. Slots are re-entrant per thread, so hops back to a
held host never wait on themselves. Reading the page afterwards needs no slot: the host is
free for the next URL while this one is parsed and archived.

The fetch threads take their next URL from a HostQueue: the first waiting URL whose host
has a free slot, so a thread never sits blocked on one busy host while another host idles.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator


class HostGate:
    """At most `per_host` URLs in flight per host; requests started `min_interval` apart."""

    def __init__(self, per_host: int, min_interval: float) -> None:
        self._per_host = max(1, per_host)
        self._min_interval = max(0.0, min_interval)
        self._lock = threading.Lock()
        self._freed = threading.Condition(self._lock)
        self._in_flight: dict[str, int] = {}
        self._next_start: dict[str, float] = {}
        self._held = threading.local()

    @contextlib.contextmanager
    def hold(self, host: str, *, give_up_at: float | None = None) -> Iterator[None]:
        """Hold one of `host`'s slots; raises TimeoutError if none frees up by `give_up_at`."""
        if host in self._held_hosts():
            yield
            return
        self.acquire(host, give_up_at=give_up_at)
        try:
            yield
        finally:
            self.release(host)

    def acquire(self, host: str, *, give_up_at: float | None = None) -> None:
        """Take one of `host`'s slots for this thread (see `hold`); `release` gives it back."""
        wait = None if give_up_at is None else max(0.0, give_up_at - time.monotonic())
        with self._freed:
            if not self._freed.wait_for(lambda: self._free(host), timeout=wait):
                raise TimeoutError(f"waited too long for a free connection to {host}")
            self._take(host)

    def release(self, host: str) -> None:
        with self._freed:
            self._held_hosts().discard(host)
            self._in_flight[host] -= 1
            if not self._in_flight[host]:
                del self._in_flight[host]
            self._freed.notify_all()

    def claim(self, queue: HostQueue) -> tuple[str, str] | None:
        """Wait for the first URL in `queue` whose host has a free slot, take that slot for
        this thread and return (url, host); None once the queue is empty or closed."""
        with self._freed:
            while True:
                claimed = queue.pop_first(self._free)
                if claimed is not None:
                    self._take(claimed[1])
                    return claimed
                if queue.exhausted:
                    return None
                self._freed.wait()

    def add(self, queue: HostQueue, url: str, host: str) -> None:
        """Queue one more URL (on a queue made `open`) for the threads waiting in `claim`."""
        with self._freed:
            queue.add(url, host)
            self._freed.notify_all()

    def seal(self, queue: HostQueue) -> None:
        """No more URLs are coming: the threads go once the queue is empty."""
        with self._freed:
            queue.seal()
            self._freed.notify_all()

    def close(self, queue: HostQueue) -> None:
        """Hand out nothing more from `queue`; the threads waiting in `claim` get None."""
        with self._freed:
            queue.close()
            self._freed.notify_all()

    def pace(self, host: str, *, give_up_at: float | None = None) -> None:
        """Sleep until `host` may get its next request (min_interval after the last one)."""
        if not self._min_interval:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start.get(host, now))
            if give_up_at is not None and start > give_up_at:
                raise TimeoutError(f"{host}'s request interval passes the deadline")
            self._next_start[host] = start + self._min_interval
        delay = start - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    def _free(self, host: str) -> bool:
        return self._in_flight.get(host, 0) < self._per_host

    def _take(self, host: str) -> None:
        self._in_flight[host] = self._in_flight.get(host, 0) + 1
        self._held_hosts().add(host)

    def _held_hosts(self) -> set[str]:
        held: set[str] = self._held.__dict__.setdefault("hosts", set())
        return held


class HostQueue:
    """URLs waiting to be fetched, grouped by host, in round-robin order over the hosts
    (see `interleave_by_host`). Not thread-safe on its own: HostGate guards it.

    An `open` queue takes more URLs (HostGate.add) until it is sealed (HostGate.seal): the
    fetch threads start on the first URLs while the caller is still checking the rest.
    """

    def __init__(self, urls: list[str], host_of: dict[str, str], *, open: bool = False) -> None:
        self._waiting: dict[str, deque[str]] = {}
        for url in urls:
            self.add(url, host_of[url])
        self._closed = False
        self._sealed = not open

    @property
    def exhausted(self) -> bool:
        return self._closed or (self._sealed and not self._waiting)

    def add(self, url: str, host: str) -> None:
        self._waiting.setdefault(host, deque()).append(url)

    def seal(self) -> None:
        self._sealed = True

    def pop_first(self, free: Callable[[str], bool]) -> tuple[str, str] | None:
        """The next URL of the first host (in turn) that `free` allows, and its host."""
        if self._closed:
            return None
        for host, urls in self._waiting.items():
            if free(host):
                url = urls.popleft()
                # The host goes to the back of the turn: hosts take turns, as interleaved.
                del self._waiting[host]
                if urls:
                    self._waiting[host] = urls
                return url, host
        return None

    def close(self) -> None:
        self._closed = True


def interleave_by_host(urls: list[str], host_of: dict[str, str]) -> list[str]:
    """Round-robin the URLs over their hosts, so workers are not all queued on one site."""
    queues: dict[str, list[str]] = {}
    for url in urls:
        queues.setdefault(host_of[url], []).append(url)
    ordered: list[str] = []
    depth = 0
    while len(ordered) < len(urls):
        for queue in queues.values():
            if depth < len(queue):
                ordered.append(queue[depth])
        depth += 1
    return ordered
