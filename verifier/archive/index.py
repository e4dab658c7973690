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
from dataclasses import MISSING, dataclass
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

    @property
    def pending(self) -> bool:
        """A response archived with its text not derived yet (neither text nor failure):
        the reader derives it (fetch/derive.py)."""
        return self.failure_reason is None and self.text_offset is None


class Index:
    """Reads and appends index lines; re-reads only what other writers appended since."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._read_up_to = 0
        self._lines = 0
        self._entries: list[IndexEntry] = []
        self._by_url: dict[str, list[IndexEntry]] = {}
        self._bad_lines: list[tuple[int, str]] = []
        self._lock = threading.Lock()  # fetch threads read while others append

    def entries(self) -> list[IndexEntry]:
        with self._lock:
            self._catch_up()
            return list(self._entries)

    def bad_lines(self) -> list[tuple[int, str]]:
        """(line number, what is wrong) for each line that holds no entry; skipped on read."""
        with self._lock:
            self._catch_up()
            return list(self._bad_lines)

    def for_url(self, url: str) -> list[IndexEntry]:
        """Every entry of `url` as cited, oldest first in index order."""
        with self._lock:
            self._catch_up()
            return list(self._by_url.get(url, ()))

    def append(self, entry: IndexEntry) -> None:
        self.append_many([entry])

    def append_many(self, entries: Sequence[IndexEntry]) -> None:
        """Append the entries' lines in one write and one fsync."""
        # vars(), not asdict(): every field is a plain value, and asdict's deep copy of
        # each entry cost the fetch threads as much as writing the line.
        line = b"".join(
            (json.dumps(vars(entry), ensure_ascii=False, sort_keys=True) + "\n").encode()
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
            self._read_up_to, self._lines = 0, 0
            self._entries, self._by_url, self._bad_lines = [], {}, []
        if size == self._read_up_to:
            return
        with self.path.open("rb") as handle:
            handle.seek(self._read_up_to)
            chunk = handle.read(size - self._read_up_to)
        complete = chunk.rfind(b"\n") + 1  # a line still being written waits for next time
        for raw_line in chunk[:complete].split(b"\n")[:-1]:
            self._lines += 1
            parsed = parse_line(raw_line)
            if isinstance(parsed, IndexEntry):
                self._entries.append(parsed)
                self._by_url.setdefault(parsed.url, []).append(parsed)
            else:  # a line a crashed writer or a damaged disk left garbled
                self._bad_lines.append((self._lines, parsed))
        self._read_up_to += complete


def read_index(path: Path) -> tuple[list[IndexEntry], list[tuple[int, str]]]:
    """Every entry of the index file, and (line number, what is wrong) for each line that is
    none. A last line without its line break is a write in progress, neither."""
    index = Index(path)
    return index.entries(), index.bad_lines()


_FIELDS = tuple(IndexEntry.__dataclass_fields__)
_REQUIRED = tuple(
    name for name, spec in IndexEntry.__dataclass_fields__.items() if spec.default is MISSING
)
_INTEGERS = ("status_code", "response_offset", "response_length")
_OPTIONAL_INTEGERS = ("text_offset", "text_length", "group_end")
_STRINGS = (
    "url",
    "final_url",
    "fetched_at",
    "content_type",
    "warc_file",
    "payload_digest",
    "failure_detail",
    "via",
    "extractor",
)
_OPTIONAL_STRINGS = ("title", "failure_reason")


def parse_line(raw_line: bytes) -> IndexEntry | str:
    """The entry one index line holds, or what is wrong with the line.

    Field types are checked (an offset that is a string would fail far from here), in one
    pass for the usual line: a run re-reads an index of 10,000 lines on every check.
    """
    try:
        fields = json.loads(raw_line)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return "not a JSON line"
    if type(fields) is not dict:
        return "not an index entry (a JSON object)"
    try:
        entry = IndexEntry(**{name: fields[name] for name in _FIELDS if name in fields})
    except TypeError:
        missing = [name for name in _REQUIRED if name not in fields]
        return f"not an index entry: no {', '.join(missing)}"
    values = vars(entry)
    if not (
        all(type(values[name]) is int and values[name] >= 0 for name in _INTEGERS)
        and all(type(values[name]) is str for name in _STRINGS)
        and all(values[name] is None or type(values[name]) is int for name in _OPTIONAL_INTEGERS)
        and all(values[name] is None or type(values[name]) is str for name in _OPTIONAL_STRINGS)
    ):
        return _wrong_type(values)
    warc = entry.warc_file
    if warc.startswith(("/", "\\")) or ".." in warc.replace("\\", "/").split("/"):
        return f"warc_file points outside the archive: {warc!r}"
    return entry


def _wrong_type(values: dict[str, object]) -> str:
    """Which field of a line has a value of the wrong type (the slow path of parse_line)."""
    for name in (*_INTEGERS, *_OPTIONAL_INTEGERS):
        value = values[name]
        if not (value is None and name in _OPTIONAL_INTEGERS) and (
            type(value) is not int or value < 0
        ):
            return f"{name} is not an offset or a number: {value!r}"
    name = next(
        n
        for n in (*_STRINGS, *_OPTIONAL_STRINGS)
        if type(values[n]) is not str and not (values[n] is None and n in _OPTIONAL_STRINGS)
    )
    return f"{name} is not a string: {values[name]!r}"


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]
