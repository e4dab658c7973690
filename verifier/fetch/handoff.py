"""Responses a fetch pass archived unread, kept in memory for the read that follows.

The pass reads its pages right after fetching them (the single-process `run`/`check`):
reading each back from its WARC record (seek, gunzip, parse the record) cost about a tenth
of deriving its text. So the bodies archived in this pass are handed over in memory, up to
a bound in bytes; past it, or in another process (a cluster's claim batches), the reader
takes them from the archive as before. The archive stays the record: what is kept here is
the same bytes, dropped once read.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

HANDOFF_BYTES = 32 * 1024 * 1024
"""At most this much response data is held at once (the rest is read back)."""

Key = tuple[str, str, str]
"""(cited URL, fetched at, payload digest): one archived response."""


class Handoff:
    """Response headers and bodies (as transferred) by archived response, each taken once."""

    def __init__(self, limit: int = HANDOFF_BYTES) -> None:
        self._limit = limit
        self._held = 0
        self._bodies: dict[Key, tuple[Sequence[tuple[str, str]], bytes]] = {}
        self._lock = threading.Lock()  # fetch threads put while the reader takes

    def put(self, key: Key, headers: Sequence[tuple[str, str]], body: bytes) -> None:
        with self._lock:
            if self._held + len(body) > self._limit or key in self._bodies:
                return
            self._bodies[key] = (headers, body)
            self._held += len(body)

    def take(self, key: Key) -> tuple[Sequence[tuple[str, str]], bytes] | None:
        with self._lock:
            kept = self._bodies.pop(key, None)
            if kept is not None:
                self._held -= len(kept[1])
            return kept

    def stop(self) -> None:
        """Keep nothing more: nobody in this process reads these pages (a cluster's fetch
        partition, whose pages the claim batches read elsewhere)."""
        with self._lock:
            self._limit = 0

    def clear(self) -> None:
        with self._lock:
            self._bodies.clear()
            self._held = 0
