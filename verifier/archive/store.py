"""The Archive: append fetches as WARC records, index them, read captures back offline."""

from __future__ import annotations

import fcntl
import os
import secrets
import threading
import zlib
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from verifier.archive.index import Index, IndexEntry
from verifier.archive.integrity import (
    VerifyReport,
    index_damage,
    repair_torn_tails,
    verify_archive,
)
from verifier.archive.naming import (
    COMPLETE_GLOB,
    OPEN_GLOB,
    final_path,
    open_path,
    open_warc,
    sync_folder,
)
from verifier.archive.records import HttpExchange, exchange_records, warcinfo_bytes
from verifier.archive.reindex import ReindexReport, fetches_in, rebuild_index
from verifier.archive.wacz import WaczSummary, export_wacz
from verifier.errors import SourceError
from verifier.interrupts import uninterrupted
from verifier.model import Capture, FetchFailure, UnavailableReason

SOFTWARE = "verifier/0.1 (warcio)"
# What reading a damaged or missing record raises, from the OS, gzip and warcio.
_UNREADABLE_RECORD = (
    OSError,
    StopIteration,
    EOFError,
    ValueError,  # includes UnicodeDecodeError
    zlib.error,
    ArchiveLoadFailed,
)
WARC_DIR = "warc"
INDEX_FILE = "index.jsonl"


class ArchiveError(SourceError):
    """An index entry points at data that cannot be read (a damaged or deleted WARC)."""

    exit_code = 3  # damaged data, not a bug, when it stops a command


SYNC_EVERY_RECORDS = 64
SYNC_EVERY_SECONDS = 1.0
"""Stored fetches are made durable and indexed in groups of this many, or this long after
the group's first."""


class Archive:
    """WARC files plus an index under `root`; safe for threads and for concurrent runs.

    Each Archive object writes its own WARC file (created on the first store and held
    under an exclusive lock), so two runs never append to the same file; both append to
    the shared index under a lock. The file is written under its open name and renamed
    when `complete` (the end of a fetch pass, or `close`) finishes it (naming.py).

    Stores are durable in groups: records are appended as they come, and every
    SYNC_EVERY_RECORDS fetches or SYNC_EVERY_SECONDS after a group's first (and on `sync`
    and `close`) the WARC
    file is flushed to disk and then the group's index lines are appended in one write.
    The index never names a record that is not on disk; a crash loses at most the last
    group's index lines, whose URLs the next run fetches again (two fsyncs per fetch had
    held the fetch threads back from the network).
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._index = Index(root / INDEX_FILE)
        self._lock = threading.Lock()
        self._writer: _WarcFileWriter | None = None
        self._unsynced: list[IndexEntry] = []
        self._timer: threading.Timer | None = None
        self._closed = False

    # -- reading ---------------------------------------------------------------------

    def lookup(self, url: str) -> Capture | None:
        """The newest readable capture of `url` (as cited), with via="archive"."""
        entry = self._newest(url, readable=True)
        if entry is None:
            return None
        return self.capture(entry, self._read_text(entry), entry.title)

    def capture(self, entry: IndexEntry, text: str, title: str | None) -> Capture:
        """`entry` read as a Capture (via="archive") with the text given: its archived
        text, or the text derived from its response when it has none yet."""
        return Capture(
            url=entry.url,
            final_url=entry.final_url,
            status_code=entry.status_code,
            fetched_at=entry.fetched_at,
            content_type=entry.content_type,
            payload_digest=entry.payload_digest,
            text=text,
            title=title,
            via="archive",
            warc_file=entry.warc_file,
        )

    def newest_first(self, url: str) -> list[IndexEntry]:
        """Every entry of `url` as cited, newest first (among equal times the later line);
        for a reader that derives the text of entries still `pending`."""
        with self._lock:
            own = [e for e in self._unsynced if e.url == url]
        ordered = sorted([*self._index.for_url(url), *own], key=lambda e: e.fetched_at)
        return ordered[::-1]

    def read_text(self, entry: IndexEntry) -> str:
        """The archived text of a readable entry (ArchiveError when damaged)."""
        return self._read_text(entry)

    def newest_entry(self, url: str) -> IndexEntry | None:
        """The index entry `lookup` reads (newest readable capture of `url`)."""
        return self._newest(url, readable=True)

    def read_response(self, entry: IndexEntry) -> tuple[tuple[tuple[str, str], ...], bytes]:
        """The archived HTTP response headers and body (as transferred) of `entry`."""
        path = self.root / entry.warc_file
        try:
            with open_warc(self.root, entry.warc_file) as handle:
                handle.seek(entry.response_offset)
                record = next(iter(ArchiveIterator(handle)))
                body: bytes = record.raw_stream.read()
                headers = tuple(
                    (str(name), str(value)) for name, value in record.http_headers.headers
                )
        except (*_UNREADABLE_RECORD, AttributeError) as error:
            raise ArchiveError(
                f"{path}: cannot read the response at {entry.response_offset}: {error}"
            ) from error
        return headers, body

    def lookup_failure(self, url: str) -> FetchFailure | None:
        """The newest archived response of `url` that was not readable (e.g. a 404)."""
        entry = self._newest(url, readable=False)
        if entry is None or entry.failure_reason is None:
            return None
        reason = UnavailableReason(entry.failure_reason)
        return archived_failure(entry, reason, entry.failure_detail)

    def entries(self) -> list[IndexEntry]:
        self.sync()
        return self._index.entries()

    def warc_files(self) -> list[Path]:
        """The complete WARC files (see naming.py)."""
        # Only regular files: a device or FIFO in their place would be read forever.
        return sorted(p for p in (self.root / WARC_DIR).glob(COMPLETE_GLOB) if p.is_file())

    def unfinished_files(self) -> list[Path]:
        """WARC files still being written, or left open by a run that was killed."""
        return sorted(p for p in (self.root / WARC_DIR).glob(OPEN_GLOB) if p.is_file())

    # -- writing ---------------------------------------------------------------------

    def store(
        self,
        url: str,
        exchanges: Sequence[HttpExchange],
        *,
        text: str | None,
        title: str | None = None,
        failure: FetchFailure | None = None,
        via: str = "live",
        extractor: str = "",
        pending: bool = False,
    ) -> Capture | FetchFailure:
        """Write the exchanges (every redirect hop) and the extracted text; index them.

        Give `text` for a readable source, or `failure` for a response that was archived
        but cannot be read (a 404, a binary file). Returns the Capture (via `via`) or the
        failure, so the fetcher hands back exactly what a later offline lookup will give.
        `pending` (neither text nor failure): a 200 response whose text is derived when it
        is first read; the Capture returned has no text.
        """
        if not exchanges:
            raise ValueError("store() needs at least one exchange")
        if (text is not None) + (failure is not None) + pending != 1:
            raise ValueError("store() takes exactly one of text, failure and pending")
        final = exchanges[-1]
        # The records go in whole, and their index line joins the group `sync` writes: an
        # interrupt never leaves half a record (and closing the archive indexes the group).
        with uninterrupted():
            return self._store(url, exchanges, final, text, title, failure, via, extractor)

    def _store(
        self,
        url: str,
        exchanges: Sequence[HttpExchange],
        final: HttpExchange,
        text: str | None,
        title: str | None,
        failure: FetchFailure | None,
        via: str,
        extractor: str,
    ) -> Capture | FetchFailure:
        with self._lock:
            if self._closed:
                raise ArchiveError(f"{self.root}: the archive is closed")
            writer = self._open_writer()
            fields = {
                "url": url,
                "fetched_at": final.fetched_at,
                "title": title,
                "failure_reason": failure.reason.value if failure else None,
                "failure_detail": failure.detail if failure else None,
                "via": via,
                "extractor": extractor,
            }
            group, written = exchange_records(exchanges, text, writer.warcinfo_id, fields)
            base = writer.append(group)
        responses = [record for record in written if record.record_type == "response"]
        conversion = next((r for r in written if r.record_type == "conversion"), None)
        content_type = _header(final.response_headers, "content-type") or ""
        entry = IndexEntry(
            url=url,
            final_url=final.url,
            status_code=final.status_code,
            fetched_at=final.fetched_at,
            content_type=content_type,
            warc_file=writer.relative_name,
            response_offset=base + responses[-1].offset,
            response_length=responses[-1].length,
            payload_digest=responses[-1].payload_digest or "",
            text_offset=base + conversion.offset if conversion else None,
            text_length=conversion.length if conversion else None,
            title=title,
            failure_reason=failure.reason.value if failure else None,
            failure_detail=failure.detail if failure else "",
            via=via,
            extractor=extractor,
            group_end=base + len(group),
        )
        with self._lock:
            if not self._unsynced:
                # A group also closes after a quiet second: a fetch that finished just
                # before a long stall must not wait for the next one to be durable.
                self._timer = threading.Timer(SYNC_EVERY_SECONDS, self.sync)
                self._timer.daemon = True
                self._timer.start()
            self._unsynced.append(entry)
            due = len(self._unsynced) >= SYNC_EVERY_RECORDS
        if due:
            self.sync()
        if failure is not None:
            return failure
        return Capture(
            url=url,
            final_url=final.url,
            status_code=final.status_code,
            fetched_at=final.fetched_at,
            content_type=content_type,
            payload_digest=entry.payload_digest,
            text=text or "",
            title=title,
            via=via,
            warc_file=entry.warc_file,
        )

    def sync(self) -> None:
        """Make every stored fetch durable, then index it (see the class docstring)."""
        # Whole, like a store: a Ctrl-C between the index write and forgetting the group
        # would index it twice.
        with uninterrupted(), self._lock:
            self._sync_locked()

    def complete(self) -> None:
        """`sync`, then finish the WARC file being written: it takes its complete name, and
        the next store starts another file (a fetch pass ends with this: each pass, or
        each cluster partition, writes a file of its own)."""
        # Whole: a Ctrl-C after the rename but before the writer is let go had the
        # archive's close rename the file again, and fail (it has its final name already).
        with uninterrupted(), self._lock:
            self._sync_locked()
            if self._writer is not None:
                self._writer.complete()
                self._writer = None

    def _sync_locked(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._unsynced:
            return
        assert self._writer is not None
        self._writer.sync()
        self._index.append_many(self._unsynced)
        self._unsynced = []

    def verify(self) -> VerifyReport:
        """Re-check every record's digests, and the index against the WARC files (read-only,
        but for finishing this object's own file)."""
        self.complete()
        return verify_archive(self.root, self.warc_files(), self.root / INDEX_FILE)

    def index_damage(self) -> list[str]:
        """What is wrong with the index, found without reading the WARC files (cheap)."""
        self.complete()
        return index_damage(self.root, self.warc_files(), self.unfinished_files(), self._index)

    def reindex(self) -> ReindexReport:
        """Rebuild the index from the WARC files (see reindex.py); torn tails cut and
        killed runs' files finished first."""
        self.complete()
        self.repair()
        return rebuild_index(self.root, self.warc_files(), self.root / INDEX_FILE)

    def repair(self) -> list[tuple[Path, int]]:
        """Cut torn tails off WARC files left by killed runs (never a file in use), index
        the whole fetches a killed run had written but not yet indexed (its last group's
        `sync` never came), and give its file the complete name: nothing completed is lost,
        and the index lists every fetch the WARC files hold.

        Runs before this Archive starts a file; returns (file, bytes removed) pairs.
        """
        if not (self.root / WARC_DIR).exists():
            return []
        entries = self._index.entries()
        repaired = repair_torn_tails(
            [*self.warc_files(), *self.unfinished_files()], entries, self.root
        )
        self._index_unindexed(entries)
        return repaired

    def _index_unindexed(self, entries: Sequence[IndexEntry]) -> None:
        indexed_end: dict[str, int] = {}
        for entry in entries:
            if entry.group_end is not None:
                indexed_end[entry.warc_file] = max(
                    indexed_end.get(entry.warc_file, 0), entry.group_end
                )
        indexed = {(entry.warc_file, entry.response_offset) for entry in entries}
        for path in [*self.warc_files(), *self.unfinished_files()]:
            final = final_path(path)
            relative = final.relative_to(self.root).as_posix()
            with path.open("rb") as handle:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a live run is writing it, and will index it
                # Only a file holding more than its indexed fetches is read through.
                if handle.seek(0, os.SEEK_END) > indexed_end.get(relative, 0):
                    found, _ = fetches_in(self.root, path, name=relative)
                    missing = [e for e in found if (e.warc_file, e.response_offset) not in indexed]
                    if missing:
                        self._index.append_many(missing)
                if path != final:
                    # Indexed first, renamed last: a crash in between leaves entries that
                    # read from the open name, and the next repair renames it.
                    path.rename(final)
                    sync_folder(final.parent)

    def export_wacz(
        self,
        destination: Path,
        *,
        force: bool = False,
        protected: Iterable[Path] = (),
        unread: Callable[[IndexEntry], tuple[str, str | None] | None] | None = None,
    ) -> WaczSummary:
        """Package the archive as a WACZ (see wacz.py) for ReplayWeb.page or pywb; an
        existing file only with `force`, never one of `protected` (InputError). A killed
        run's unfinished file is finished first, so the package holds what the index names.
        `unread(entry)`: the text and title of a capture archived unread (`pending`), or
        None when it is not a page; without it such captures get no page in pages.jsonl."""
        self.complete()
        self.repair()

        def read_page(entry: IndexEntry) -> tuple[str, str | None] | None:
            if entry.pending:
                return unread(entry) if unread is not None else None
            return self._read_text(entry), entry.title

        return export_wacz(
            destination,
            self.warc_files(),
            self._index.entries(),
            read_page,
            SOFTWARE,
            force=force,
            protected=protected,
        )

    def close(self) -> None:
        self.complete()
        with self._lock:
            self._closed = True

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- internals -------------------------------------------------------------------

    def _newest(self, url: str, *, readable: bool) -> IndexEntry | None:
        with self._lock:
            own = [e for e in self._unsynced if e.url == url]
        matching = [
            e
            for e in [*self._index.for_url(url), *own]
            if (e.readable if readable else e.failure_reason is not None)
        ]
        # A stable sort keeps index order among equal times: the later line wins.
        return sorted(matching, key=lambda e: e.fetched_at)[-1] if matching else None

    def _read_text(self, entry: IndexEntry) -> str:
        assert entry.text_offset is not None
        path = self.root / entry.warc_file
        try:
            with open_warc(self.root, entry.warc_file) as handle:
                handle.seek(entry.text_offset)
                record = next(iter(ArchiveIterator(handle)))
                body: bytes = record.content_stream().read()
            if record.rec_type != "conversion":
                raise ArchiveError(f"{path}: @{entry.text_offset} is a {record.rec_type} record")
            return body.decode("utf-8")
        except _UNREADABLE_RECORD as error:
            raise ArchiveError(
                f"{path}: cannot read text at {entry.text_offset}: {error}"
            ) from error

    def _open_writer(self) -> _WarcFileWriter:
        if self._writer is None:
            self.repair()
            self._writer = _WarcFileWriter(self.root)
        return self._writer


class _WarcFileWriter:
    """One WARC file owned by this process: appended in whole record groups, then synced;
    written under its open name until `complete` (see naming.py)."""

    def __init__(self, root: Path) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        name = f"verifier-{stamp}-{os.getpid()}-{secrets.token_hex(3)}.warc.gz"
        directory = root / WARC_DIR
        directory.mkdir(parents=True, exist_ok=True)
        self.relative_name = f"{WARC_DIR}/{name}"
        self._final = directory / name
        self._path = open_path(self._final)
        self._handle: BinaryIO = open(self._path, "xb")  # noqa: SIM115 - held for the run
        # The lock tells other runs (and their repair) that this file is still being written;
        # blocking, because another run's repair may hold it for a moment.
        fcntl.flock(self._handle.fileno(), fcntl.LOCK_EX)
        info = warcinfo_bytes(name, SOFTWARE)
        self.warcinfo_id = _first_record_id(info)
        self.append(info)
        self.sync()

    def append(self, group: bytes) -> int:
        """Append whole records (readable at once, durable after `sync`); returns where
        they start."""
        offset = self._handle.seek(0, os.SEEK_END)
        self._handle.write(group)
        self._handle.flush()
        return offset

    def sync(self) -> None:
        os.fsync(self._handle.fileno())

    def complete(self) -> None:
        """Durable, then renamed to the complete name (the lock is let go only after)."""
        self.sync()
        self._path.rename(self._final)
        sync_folder(self._final.parent)
        self._handle.close()


def archived_failure(entry: IndexEntry, reason: UnavailableReason, detail: str) -> FetchFailure:
    """How an offline read reports an archived response that cannot be read: with the
    time it was fetched (the failure may be stale)."""
    detail = detail or f"HTTP {entry.status_code}"
    return FetchFailure(entry.url, reason, f"{detail} (archived {entry.fetched_at})")


def _first_record_id(records: bytes) -> str | None:
    import io

    record = next(iter(ArchiveIterator(io.BytesIO(records))))
    record_id: str | None = record.rec_headers.get_header("WARC-Record-ID")
    return record_id


def _header(headers: Sequence[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name), None)
