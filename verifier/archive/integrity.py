"""Archive integrity: cut torn tails left by killed runs, and re-check every digest.

A run killed mid-write can leave half a gzip member at the end of its WARC file, which is
then still under its open name (naming.py): no tool takes it for a complete file. The
index never points into the tear (index lines are written after the records are synced),
so reads are unaffected. `repair_torn_tails` cuts such files back to their last complete
member (and a complete file damaged the same way, as older versions left them); it only
touches files no live run holds locked.
"""

from __future__ import annotations

import fcntl
import io
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from verifier.archive import naming
from verifier.archive.index import Index, IndexEntry, read_index
from verifier.archive.naming import final_path
from verifier.archive.reindex import UNREADABLE_WARC, FetchGroups, scan_warc

_SCAN_CHUNK = 1 << 20
_LISTED = 10
"""Problems of one kind listed one by one; the rest are counted."""


@dataclass(frozen=True)
class VerifyReport:
    """What `Archive.verify` checked and every problem it found."""

    files: int
    records: int
    entries: int
    record_problems: tuple[str, ...] = field(default_factory=tuple)
    """Damaged WARC files and records: the archive itself."""
    index_problems: tuple[str, ...] = field(default_factory=tuple)
    """The index disagrees with the WARC files: `verifier archive reindex` mends these."""

    @property
    def problems(self) -> tuple[str, ...]:
        return self.record_problems + self.index_problems

    @property
    def ok(self) -> bool:
        return not self.problems


def complete_prefix(path: Path, start: int = 0) -> int:
    """Offset where the whole gzip members of `path` (scanned from `start`) end."""
    with path.open("rb") as handle:
        handle.seek(start)
        member_start = position = start  # file offsets: current member, next unfed byte
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        pending = b""
        while True:
            if not pending:
                pending = handle.read(_SCAN_CHUNK)
                if not pending:
                    return member_start  # EOF inside a member, or exactly after one
            try:
                decompressor.decompress(pending, 1 << 16)  # output is not needed
            except zlib.error:
                return member_start
            if decompressor.eof:
                position += len(pending) - len(decompressor.unused_data)
                member_start = position
                pending = decompressor.unused_data
                decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
            else:
                position += len(pending) - len(decompressor.unconsumed_tail)
                pending = decompressor.unconsumed_tail


def repair_torn_tails(
    warc_files: Iterable[Path], entries: Iterable[IndexEntry], root: Path
) -> list[tuple[Path, int]]:
    """Truncate unlocked WARC files to their last whole member; returns (file, bytes cut)."""
    indexed_end: dict[Path, int] = {}
    for entry in entries:
        if entry.group_end is not None:
            path = root / entry.warc_file
            indexed_end[path] = max(indexed_end.get(path, 0), entry.group_end)
    repaired: list[tuple[Path, int]] = []
    for path in warc_files:
        with path.open("r+b") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live run is writing it
            size = handle.seek(0, io.SEEK_END)
            # An open file's entries name it by its complete name.
            start = min(indexed_end.get(final_path(path), 0), size)
            if start == size:
                continue
            end = complete_prefix(path, start)
            if end < size:
                handle.truncate(end)
                repaired.append((path, size - end))
    return repaired


def verify_archive(root: Path, warc_files: Iterable[Path], index_path: Path) -> VerifyReport:
    """Re-read every record and re-check its digests, then hold the index against the WARC
    files: unreadable lines, entries pointing nowhere, fetches it does not list."""
    record_problems: list[str] = []
    fetches: list[IndexEntry] = []
    files = records = 0
    for path in warc_files:
        files += 1
        relative = path.relative_to(root).as_posix()
        groups = FetchGroups(relative)
        offset = 0
        try:
            for record in scan_warc(path, check_digests=True):
                records += 1
                offset = record.offset
                groups.add(record)
                if record.digest_problem is not None:
                    record_problems.append(f"{relative} @{offset}: {record.digest_problem}")
        except UNREADABLE_WARC as error:
            record_problems.append(f"{relative}: unreadable after offset {offset}: {error}")
        fetches.extend(groups.finish())
    entries, bad_lines = read_index(index_path)
    index_problems = _line_problems(index_path, bad_lines)
    if not index_path.exists() and fetches:
        index_problems.append(
            f"{index_path.name} is missing, and the WARC files hold {len(fetches)} fetch(es)"
        )
    for entry in entries:
        index_problems.extend(_check_entry(root, entry))
    indexed = {(entry.warc_file, entry.response_offset) for entry in entries}
    unlisted = [f for f in fetches if (f.warc_file, f.response_offset) not in indexed]
    index_problems.extend(
        f"{fetch.warc_file} @{fetch.response_offset}: the fetch of {fetch.url} is not in "
        f"{index_path.name}"
        for fetch in unlisted[:_LISTED]
    )
    if len(unlisted) > _LISTED:
        index_problems.append(f"... and {len(unlisted) - _LISTED} more fetches not in the index")
    return VerifyReport(files, records, len(entries), tuple(record_problems), tuple(index_problems))


def index_damage(
    root: Path, warc_files: Sequence[Path], unfinished: Sequence[Path], index: Index
) -> list[str]:
    """What is wrong with the index, found without reading the WARC files: quick enough for
    every offline check, where a damaged index would make every source look unarchived.
    Reads the index through `index`, whose entries the run then uses. Entries may name a
    file still `unfinished` (being written, or left open by a killed run)."""
    index_path = index.path
    entries = index.entries()
    problems = _line_problems(index_path, index.bad_lines())
    if not entries and warc_files:
        state = "missing" if not index_path.exists() else "without a single entry"
        problems.append(f"{index_path.name} is {state}, yet there are {len(warc_files)} WARC files")
    existing = {
        final_path(path).relative_to(root).as_posix() for path in [*warc_files, *unfinished]
    }
    pointing_nowhere = sorted({e.warc_file for e in entries} - existing)
    problems.extend(
        f"{index_path.name} lists fetches in {name}, which is missing" for name in pointing_nowhere
    )
    return problems


def _line_problems(index_path: Path, bad_lines: Sequence[tuple[int, str]]) -> list[str]:
    problems = [f"{index_path.name}:{number}: {what}" for number, what in bad_lines[:_LISTED]]
    if len(bad_lines) > _LISTED:
        problems.append(f"{index_path.name}: {len(bad_lines) - _LISTED} more lines unreadable")
    return problems


def _check_entry(root: Path, entry: IndexEntry) -> list[str]:
    where = f"index entry for {entry.url} ({entry.fetched_at})"
    if not naming.exists(root, entry.warc_file):
        return [f"{where}: {entry.warc_file} is missing"]
    found: list[str] = []
    response = _record_at(root, entry.warc_file, entry.response_offset)
    if response is None or response[0] != "response":
        found.append(f"{where}: no response record at {entry.warc_file} @{entry.response_offset}")
    elif entry.payload_digest and response[1] != entry.payload_digest:
        found.append(f"{where}: payload digest differs from the response record's")
    if entry.text_offset is not None:
        conversion = _record_at(root, entry.warc_file, entry.text_offset)
        if conversion is None or conversion[0] != "conversion":
            found.append(f"{where}: no text record at {entry.warc_file} @{entry.text_offset}")
    return found


def _record_at(root: Path, warc_file: str, offset: int) -> tuple[str, str | None] | None:
    try:
        with naming.open_warc(root, warc_file) as handle:
            handle.seek(offset)
            record = next(iter(ArchiveIterator(handle)))
            return record.rec_type, record.rec_headers.get_header("WARC-Payload-Digest")
    except (*UNREADABLE_WARC, StopIteration):
        return None
