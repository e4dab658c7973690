"""The archive's index: one JSON line per stored fetch, appended under a file lock.

Appends are single `write` calls on an O_APPEND descriptor under `flock`, so two runs
on one archive interleave whole lines; a line cut short by a crash is skipped on read.
The index is written only after the WARC records it points to are on disk, so every
entry it holds is readable.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class IndexEntry:
    """Where one fetch of a cited URL was stored and how it ended."""

    url: str
    final_url: str
    status_code: int
    fetched_at: str
    content_type: str
    warc_file: str
    """Relative to the archive root."""
    response_offset: int
    response_length: int
    payload_digest: str
    text_offset: int | None = None
    text_length: int | None = None
    title: str | None = None
    failure_reason: str | None = None
    """An UnavailableReason value when the response was archived but is not readable."""
    failure_detail: str = ""
    via: str = "live"
    extractor: str = ""
    group_end: int | None = None
    """Offset just past this fetch's last record: everything before it is complete."""

    @property
    def readable(self) -> bool:
        return self.failure_reason is None and self.text_offset is not None


class Index:
    """Reads and appends index lines; re-reads only what other writers appended since."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._read_up_to = 0
        self._entries: list[IndexEntry] = []
        self._by_url: dict[str, list[IndexEntry]] = {}
        self._lock = threading.Lock()  # fetch threads read while others append

    def entries(self) -> list[IndexEntry]:
        with self._lock:
            self._catch_up()
            return list(self._entries)

    def for_url(self, url: str) -> list[IndexEntry]:
        """Every entry of `url` as cited, oldest first in index order."""
        with self._lock:
            self._catch_up()
            return list(self._by_url.get(url, ()))

    def append(self, entry: IndexEntry) -> None:
        self.append_many([entry])

    def append_many(self, entries: Sequence[IndexEntry]) -> None:
        """Append the entries' lines in one write and one fsync."""
        line = b"".join(
            (json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True) + "\n").encode()
            for entry in entries
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            _write_all(descriptor, line)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)  # closing releases the lock

    def _catch_up(self) -> None:
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return
        if size < self._read_up_to:  # replaced by something shorter: start over
            self._read_up_to, self._entries, self._by_url = 0, [], {}
        if size == self._read_up_to:
            return
        with self.path.open("rb") as handle:
            handle.seek(self._read_up_to)
            chunk = handle.read(size - self._read_up_to)
        complete = chunk.rfind(b"\n") + 1  # a line still being written waits for next time
        for raw_line in chunk[:complete].splitlines():
            entry = _parse(raw_line)
            if entry is not None:
                self._entries.append(entry)
                self._by_url.setdefault(entry.url, []).append(entry)
        self._read_up_to += complete


def _parse(raw_line: bytes) -> IndexEntry | None:
    """An entry, or None for a line a crashed writer left garbled."""
    try:
        fields: dict[str, Any] = json.loads(raw_line)
        known = {name: fields[name] for name in IndexEntry.__dataclass_fields__ if name in fields}
        return IndexEntry(**known)
    except (ValueError, TypeError):
        return None


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]
