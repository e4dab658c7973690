"""Archive integrity: cut torn tails left by killed runs, and re-check every digest.

A run killed mid-write can leave half a gzip member at the end of its WARC file. The
index never points into it (index lines are written after the records are synced), so
reads are unaffected, but standard tools stop at the tear. `repair_torn_tails` cuts such
files back to their last complete member; it only touches files no live run holds locked.
"""

from __future__ import annotations

import fcntl
import io
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from verifier.archive.index import IndexEntry

_SCAN_CHUNK = 1 << 20


@dataclass(frozen=True)
class VerifyReport:
    """What `Archive.verify` checked and every problem it found."""

    files: int
    records: int
    entries: int
    problems: tuple[str, ...] = field(default_factory=tuple)

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
            start = min(indexed_end.get(path, 0), size)
            if start == size:
                continue
            end = complete_prefix(path, start)
            if end < size:
                handle.truncate(end)
                repaired.append((path, size - end))
    return repaired


def verify_archive(
    root: Path, warc_files: Iterable[Path], entries: list[IndexEntry]
) -> VerifyReport:
    """Re-read every record, re-check block and payload digests, and check the index."""
    problems: list[str] = []
    files = records = 0
    for path in warc_files:
        files += 1
        relative = path.relative_to(root)
        offset = 0
        try:
            with path.open("rb") as handle:
                iterator = ArchiveIterator(handle, check_digests=True)
                for record in iterator:
                    offset = iterator.get_record_offset()
                    # The raw stream: digests cover the bytes as stored, and decoding a
                    # gzip bomb someone served would only cost time.
                    while record.raw_stream.read(_SCAN_CHUNK):
                        pass
                    records += 1
                    if record.digest_checker.passed is False:
                        detail = "; ".join(map(str, record.digest_checker.problems))
                        problems.append(f"{relative} @{offset}: {detail}")
        except (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError) as error:
            problems.append(f"{relative}: unreadable after offset {offset}: {error}")
    for entry in entries:
        problems.extend(_check_entry(root, entry))
    return VerifyReport(files, records, len(entries), tuple(problems))


def _check_entry(root: Path, entry: IndexEntry) -> list[str]:
    path = root / entry.warc_file
    where = f"index entry for {entry.url} ({entry.fetched_at})"
    if not path.exists():
        return [f"{where}: {entry.warc_file} is missing"]
    found: list[str] = []
    response = _record_at(path, entry.response_offset)
    if response is None or response[0] != "response":
        found.append(f"{where}: no response record at {entry.warc_file} @{entry.response_offset}")
    elif entry.payload_digest and response[1] != entry.payload_digest:
        found.append(f"{where}: payload digest differs from the response record's")
    if entry.text_offset is not None:
        conversion = _record_at(path, entry.text_offset)
        if conversion is None or conversion[0] != "conversion":
            found.append(f"{where}: no text record at {entry.warc_file} @{entry.text_offset}")
    return found


def _record_at(path: Path, offset: int) -> tuple[str, str | None] | None:
    try:
        with path.open("rb") as handle:
            handle.seek(offset)
            record = next(iter(ArchiveIterator(handle)))
            return record.rec_type, record.rec_headers.get_header("WARC-Payload-Digest")
    except (ArchiveLoadFailed, StopIteration, zlib.error, EOFError, OSError, ValueError):
        return None
