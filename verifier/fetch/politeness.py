"""Per-host concurrency and minimum interval, so many footnotes to one site do not hammer it."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator


class HostGate:
    """At most `per_host` requests in flight per host, started at least `min_interval` apart."""

    def __init__(self, per_host: int, min_interval: float) -> None:
        self._per_host = max(1, per_host)
        self._min_interval = max(0.0, min_interval)
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._next_start: dict[str, float] = {}

    @contextlib.contextmanager
    def slot(self, host: str, *, give_up_at: float | None = None) -> Iterator[None]:
        """Hold one of `host`'s request slots; raises TimeoutError past `give_up_at`."""
        with self._lock:
            semaphore = self._slots.setdefault(host, threading.Semaphore(self._per_host))
        wait = None if give_up_at is None else max(0.0, give_up_at - time.monotonic())
        if not semaphore.acquire(timeout=wait):
            raise TimeoutError(f"waited too long for a free connection to {host}")
        try:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start.get(host, now))
                self._next_start[host] = start + self._min_interval
            delay = start - time.monotonic()
            if delay > 0:
                if give_up_at is not None and start > give_up_at:
                    raise TimeoutError(f"{host}'s request interval passes the deadline")
                time.sleep(delay)
            yield
        finally:
            semaphore.release()
