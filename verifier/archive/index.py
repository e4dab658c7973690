"""The archive's index: one JSON line per stored fetch, appended under a file lock.

Appends are single `write` calls on an O_APPEND descriptor under `flock`, so two runs
on one archive interleave whole lines; a line cut short by a crash is skipped on read.
The index is written only after the WARC records it points to are on disk, so every
entry it holds is readable.
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import threading
from dataclasses import asdict, dataclass
from pathlib import Path


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
        line = (json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True) + "\n").encode()
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


def read_index(path: Path) -> tuple[list[IndexEntry], list[tuple[int, str]]]:
    """Every entry of the index file and every line that is none, as (line number, what is
    wrong). A last line without its line break is a write in progress, neither."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], []
    entries: list[IndexEntry] = []
    bad: list[tuple[int, str]] = []
    complete = data[: data.rfind(b"\n") + 1]
    for number, raw_line in enumerate(complete.split(b"\n")[:-1], 1):
        parsed = parse_line(raw_line)
        if isinstance(parsed, IndexEntry):
            entries.append(parsed)
        else:
            bad.append((number, parsed))
    return entries, bad


def _parse(raw_line: bytes) -> IndexEntry | None:
    """An entry, or None for a line a crashed writer left garbled."""
    parsed = parse_line(raw_line)
    return parsed if isinstance(parsed, IndexEntry) else None


_INTEGERS = ("status_code", "response_offset", "response_length")
_OPTIONAL_INTEGERS = ("text_offset", "text_length", "group_end")
_OPTIONAL_STRINGS = ("title", "failure_reason")


def parse_line(raw_line: bytes) -> IndexEntry | str:
    """The entry one index line holds, or what is wrong with the line (for `verify`)."""
    try:
        fields = json.loads(raw_line)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return "not a JSON line"
    if not isinstance(fields, dict):
        return "not an index entry (a JSON object)"
    known = {name: fields[name] for name in IndexEntry.__dataclass_fields__ if name in fields}
    for name, value in known.items():
        if name in _INTEGERS or name in _OPTIONAL_INTEGERS:
            wrong = not isinstance(value, int) or isinstance(value, bool) or value < 0
            if wrong and not (value is None and name in _OPTIONAL_INTEGERS):
                return f"{name} is not an offset or a number: {value!r}"
        elif not isinstance(value, str) and not (value is None and name in _OPTIONAL_STRINGS):
            return f"{name} is not a string: {value!r}"
    try:
        entry = IndexEntry(**known)
    except TypeError:
        missing = sorted(set(_REQUIRED) - set(known))
        return f"not an index entry: no {', '.join(missing)}"
    warc = Path(entry.warc_file)
    if warc.is_absolute() or ".." in warc.parts:
        return f"warc_file points outside the archive: {entry.warc_file!r}"
    return entry


_REQUIRED = tuple(
    name
    for name, spec in IndexEntry.__dataclass_fields__.items()
    if spec.default is dataclasses.MISSING
)


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]
