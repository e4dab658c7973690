"""Per-host concurrency and minimum interval, so many footnotes to one site do not hammer it.

A URL holds a slot on its own host for its whole fetch (the wait for that slot is queueing,
not the source's fault, so it does not count against the URL's deadline); a redirect hop
to another host takes a slot there too, within the deadline. Slots are re-entrant per
thread, so hops back to a held host never wait on themselves.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator


class HostGate:
    """At most `per_host` URLs in flight per host; requests started `min_interval` apart."""

    def __init__(self, per_host: int, min_interval: float) -> None:
        self._per_host = max(1, per_host)
        self._min_interval = max(0.0, min_interval)
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._next_start: dict[str, float] = {}
        self._held = threading.local()

    @contextlib.contextmanager
    def hold(self, host: str, *, give_up_at: float | None = None) -> Iterator[None]:
        """Hold one of `host`'s slots; raises TimeoutError if none frees up by `give_up_at`."""
        held: set[str] = self._held.__dict__.setdefault("hosts", set())
        if host in held:
            yield
            return
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.Semaphore(self._per_host))
        wait = None if give_up_at is None else max(0.0, give_up_at - time.monotonic())
        if not semaphore.acquire(timeout=wait):
            raise TimeoutError(f"waited too long for a free connection to {host}")
        held.add(host)
        try:
            yield
        finally:
            held.discard(host)
            semaphore.release()

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
