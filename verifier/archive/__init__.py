"""WARC files plus an index on disk: the only writer of captured sources.

INTERFACE:

    class Archive:
        def __init__(self, root: Path) -> None
        def lookup(self, url: str) -> Capture | None
            Newest readable capture of `url` (as cited), via="archive", text read from
            the WARC conversion record. No network.
        def lookup_failure(self, url: str) -> FetchFailure | None
            Newest archived response of `url` that was not readable (a 404, binary...).
        def store(self, url, exchanges: Sequence[HttpExchange], *, text: str | None,
                  title=None, failure=None, via="live", extractor="", pending=False
                  ) -> Capture | FetchFailure
            `pending`: a 200 archived unread (no conversion record; IndexEntry.pending),
            its text derived by the reader (fetch/derive.py).
            Append warcinfo (once per file), request + response for every hop, the
            extracted text as a conversion record and the fetch's metadata record, one
            gzip member each, synced before the index line is written: a killed run
            leaves every indexed record readable.
        def verify(self) -> VerifyReport
            Re-reads every record, re-checks block and payload digests, and holds the
            index against the WARC files: unreadable lines, entries pointing nowhere,
            fetches it leaves out. `report.ok`, `report.problems` (record_problems +
            index_problems).
        def index_damage(self) -> list[str]
            The index's problems found without reading the WARC files (quick: offline
            checks refuse a damaged index).
        def reindex(self) -> ReindexReport
            Rebuilds index.jsonl from the WARC files (reindex.py): each fetch ends in a
            metadata record (application/warc-fields) holding what the index needs beyond
            the HTTP records.
        def repair(self) -> list[tuple[Path, int]]
            Cuts the torn tail a killed run left on its WARC file (only files no live run
            holds locked), indexes its whole fetches and gives the file its complete name;
            run automatically before an Archive starts a file.
        def sync(self) -> None
            Stored fetches durable and indexed (also every 64 fetches or a second).
        def complete(self) -> None
            `sync`, then the file being written takes its complete name; the next store
            starts another (the Fetcher ends each fetch pass with this).
        def export_wacz(self, destination: Path, *, force=False, protected=()) -> WaczSummary
            A WACZ 1.1.1 package (archive/, indexes/index.cdx.gz + index.idx, pages/pages.jsonl
            with the extracted text, datapackage.json with sha256 of each file) for
            ReplayWeb.page and pywb. InputError for a name not ending in .wacz, a missing
            folder, an existing file without `force`, or any path in `protected`.
        def newest_first(self, url) -> list[IndexEntry]; capture(entry, text, title)
        def read_text(self, entry) -> str
        def newest_entry(self, url) -> IndexEntry | None
        def read_response(self, entry) -> (headers, body as transferred)
            For re-deriving text when the extractor changed (Fetcher does it).
        def entries(self) -> list[IndexEntry]; def warc_files(self) -> list[Path]
        def unfinished_files(self) -> list[Path]   (open: being written, or a killed run's)
        def close(self) -> None   (also a context manager)

Layout under root: warc/verifier-<time>-<pid>-<rand>.warc.gz (one file per fetch pass of
an Archive object, so concurrent runs never share a file; written as `.warc.gz.open` and
renamed once complete, so a file with the final name is always whole: naming.py) and
index.jsonl (shared, locked appends; entries name the final file from the start).
Reading a damaged or missing record raises ArchiveError.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from verifier.archive.index import IndexEntry
    from verifier.archive.integrity import VerifyReport
    from verifier.archive.records import HttpExchange
    from verifier.archive.reindex import ReindexReport
    from verifier.archive.store import Archive, ArchiveError
    from verifier.archive.wacz import WaczSummary

# Each name is imported from its module on first use (PEP 562): a command that only asks
# for a constant of one module (or nothing) does not load warcio and fsspec.
_HOMES = {
    "Archive": "store",
    "ArchiveError": "store",
    "HttpExchange": "records",
    "IndexEntry": "index",
    "ReindexReport": "reindex",
    "VerifyReport": "integrity",
    "WaczSummary": "wacz",
}

__all__ = [
    "Archive",
    "ArchiveError",
    "HttpExchange",
    "IndexEntry",
    "ReindexReport",
    "VerifyReport",
    "WaczSummary",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
