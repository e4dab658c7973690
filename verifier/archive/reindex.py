"""The index rebuilt from the WARC files: they are the archive, the index only a way into it.

Each fetch is a group of records in one WARC file: a response and a request for every
redirect hop, the extracted text (conversion) when the source was readable, then a metadata
record (application/warc-fields, records.FETCH_FIELD_NAMES) with what an index entry holds
that HTTP does not say: the URL as cited, when, how it was fetched, why it is unreadable.
`fetches_in` turns the records back into the index entries they were written with.

A group written before fetches carried that metadata record is indexed from its HTTP
records alone: the first hop's URL stands for the cited one, an unreadable response gets
the reason its status gives, and the extractor is left unknown so that the text (and its
title) is derived again from the archived response when read.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from verifier.archive.index import IndexEntry
from verifier.archive.records import FETCH_FIELDS_TYPE, parse_fetch_fields
from verifier.files import open_regular, write_atomically
from verifier.model import UnavailableReason

_CHUNK = 1 << 20
_MAX_FIELDS_BYTES = 1 << 16
UNREADABLE_WARC = (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError)
"""What reading a damaged WARC raises, from the OS, gzip and warcio."""


@dataclass(frozen=True)
class ScannedRecord:
    """One WARC record as the index needs it, with where it lies in its file."""

    kind: str
    offset: int
    length: int
    target_uri: str
    date: str
    payload_digest: str | None
    status_code: int | None
    """Of a response record's HTTP status line."""
    content_type: str
    """Of a response record's HTTP headers."""
    fields: dict[str, str] | None
    """A fetch's metadata fields (index entry names), for a verifier metadata record."""
    digest_problem: str | None = None


def scan_warc(path: Path, *, check_digests: bool = False) -> Iterator[ScannedRecord]:
    """Every record of one WARC file, in order. Raises one of UNREADABLE_WARC where the file
    is damaged, after yielding every record before the damage."""
    with open_regular(path) as handle:
        iterator = ArchiveIterator(handle, check_digests=check_digests)
        for record in iterator:
            headers = record.rec_headers
            fields = None
            if record.rec_type == "metadata" and (
                (headers.get_header("Content-Type") or "").startswith(FETCH_FIELDS_TYPE)
            ):
                fields = parse_fetch_fields(record.content_stream().read(_MAX_FIELDS_BYTES))
            # The raw stream: digests cover the bytes as stored, and decoding a gzip bomb
            # someone served would only cost time.
            while record.raw_stream.read(_CHUNK):
                pass
            offset, length = iterator.get_record_offset(), iterator.get_record_length()
            status_code = content_type = None
            if record.rec_type == "response" and record.http_headers is not None:
                status = record.http_headers.get_statuscode()
                status_code = int(status) if status and status.isdigit() else None
                content_type = record.http_headers.get_header("Content-Type")
            problem = None
            if check_digests and record.digest_checker.passed is False:
                problem = "; ".join(map(str, record.digest_checker.problems))
            yield ScannedRecord(
                kind=record.rec_type,
                offset=offset,
                length=length,
                target_uri=headers.get_header("WARC-Target-URI") or "",
                date=headers.get_header("WARC-Date") or "",
                payload_digest=headers.get_header("WARC-Payload-Digest"),
                status_code=status_code,
                content_type=content_type or "",
                fields=fields,
                digest_problem=problem,
            )


class FetchGroups:
    """Collects one WARC file's records (fed in order) into the fetches they record."""

    def __init__(self, warc_file: str) -> None:
        self.warc_file = warc_file
        self.entries: list[IndexEntry] = []
        self._group: list[ScannedRecord] = []

    def add(self, record: ScannedRecord) -> None:
        if record.kind == "warcinfo":
            self._close(None)
            return
        if record.kind == "response" and self._starts_a_fetch():
            self._close(None)
        self._group.append(record)
        if record.kind == "metadata" and record.fields is not None:
            self._close(record.fields)

    def finish(self) -> list[IndexEntry]:
        """The entries, once every record is in (or the file ended in damage)."""
        self._close(None)
        return self.entries

    def _starts_a_fetch(self) -> bool:
        """Whether a response now begins another fetch: one without a metadata record ends
        at its text, or at a final response that was not a redirect."""
        from verifier.fetch.policy import REDIRECT_STATUSES  # fetch imports the archive

        if any(record.kind == "conversion" for record in self._group):
            return True
        responses = [record for record in self._group if record.kind == "response"]
        return bool(responses) and responses[-1].status_code not in REDIRECT_STATUSES

    def _close(self, fields: dict[str, str] | None) -> None:
        group, self._group = self._group, []
        responses = [record for record in group if record.kind == "response"]
        if not responses:
            return  # no fetch: a lone request or another tool's record
        final = responses[-1]
        text = next((record for record in group if record.kind == "conversion"), None)
        values = fields if fields is not None else _without_fetch_record(responses[0], final, text)
        self.entries.append(
            IndexEntry(
                url=values["url"],
                final_url=final.target_uri,
                status_code=final.status_code or 0,
                fetched_at=values["fetched_at"],
                content_type=final.content_type,
                warc_file=self.warc_file,
                response_offset=final.offset,
                response_length=final.length,
                payload_digest=final.payload_digest or "",
                text_offset=text.offset if text else None,
                text_length=text.length if text else None,
                title=values.get("title"),
                failure_reason=values.get("failure_reason"),
                failure_detail=values.get("failure_detail", ""),
                via=values.get("via", "live"),
                extractor=values.get("extractor", ""),
                group_end=group[-1].offset + group[-1].length,
            )
        )


def _without_fetch_record(
    first: ScannedRecord, final: ScannedRecord, text: ScannedRecord | None
) -> dict[str, str]:
    """What can be told of a fetch archived without its metadata record."""
    from verifier.fetch.policy import status_failure  # fetch imports the archive

    values = {"url": first.target_uri, "fetched_at": final.date}
    if text is None:
        failure = status_failure(first.target_uri, final.status_code or 0, "")
        reason = failure.reason if failure is not None else UnavailableReason.UNREADABLE
        values["failure_reason"] = reason.value
        values["failure_detail"] = (
            f"HTTP {final.status_code}; re-indexed from a record without its fetch details"
        )
    return values


def fetches_in(
    root: Path, path: Path, *, name: str | None = None
) -> tuple[list[IndexEntry], str | None]:
    """The fetches one WARC file records, and the damage that ended the scan early, if any.

    `name` is the file the entries name, when `path` is not it (a file still open)."""
    groups = FetchGroups(name if name is not None else path.relative_to(root).as_posix())
    damage = None
    try:
        for record in scan_warc(path):
            groups.add(record)
    except UNREADABLE_WARC as error:
        damage = str(error) or type(error).__name__
    return groups.finish(), damage


@dataclass(frozen=True)
class ReindexReport:
    """What `rebuild_index` found and wrote."""

    files: int
    entries: int
    damaged: tuple[str, ...] = ()
    """WARC files whose scan stopped at damage (their fetches before it are indexed)."""


def rebuild_index(root: Path, warc_files: Iterable[Path], index_path: Path) -> ReindexReport:
    """Write `index_path` anew from the WARC files (atomically: readers see old or new).

    Run it when no other run writes to the archive: an entry another run appends while the
    index is rebuilt would be lost with the old file (`verifier archive reindex` holds the
    project's run lock).
    """
    entries: list[IndexEntry] = []
    damaged: list[str] = []
    files = 0
    for path in sorted(warc_files):
        files += 1
        found, damage = fetches_in(root, path)
        entries.extend(found)
        if damage is not None:
            damaged.append(f"{path.relative_to(root).as_posix()}: {damage}")
    lines = (json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True) for entry in entries)
    write_atomically(index_path, "".join(line + "\n" for line in lines))
    return ReindexReport(files, len(entries), tuple(damaged))
