"""Export the archive as a WACZ package a reviewer opens in ReplayWeb.page or pywb.

WACZ 1.1.1 layout, zipped without compression (the WARCs are gzip already, and replay
tools read members by offset), with the index laid out as py-wacz writes it:

    archive/<name>.warc.gz      every WARC file, as written
    indexes/index.cdx.gz        CDXJ lines in gzip blocks ("ZipNum"): what pywb's
                                `wb-manager add --unpack-wacz` imports
    indexes/index.idx           one line per block: what ReplayWeb.page reads first
    pages/pages.jsonl           one line per archived source, with its extracted text
    datapackage.json            every file above with its sha256 and size
    datapackage-digest.json     the sha256 of datapackage.json

The index is written by cdxj-indexer, py-wacz's own indexer, so its keys are the SURT
forms (`surt` package) that pywb and ReplayWeb.page compute for a URL they are asked for:
an IP host reversed, a trailing slash dropped, query parameters sorted.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from verifier.archive.index import IndexEntry
from verifier.errors import InputError

WACZ_VERSION = "1.1.1"
WACZ_SUFFIX = ".wacz"
INDEX_DATA = "index.cdx.gz"
INDEX_BLOCK_LINES = 300
"""CDXJ lines per gzip block, py-wacz's default."""


@dataclass(frozen=True)
class WaczSummary:
    path: Path
    warc_files: int
    index_lines: int
    pages: int
    size: int
    """Bytes of the package."""

    def describe(self) -> str:
        """What a person wants to know after an export."""
        warcs = "WARC file" if self.warc_files == 1 else "WARC files"
        sources = "source" if self.pages == 1 else "sources"
        return (
            f"wrote {self.path} ({_size_text(self.size)}): {self.pages} readable {sources}, "
            f"{self.index_lines} indexed responses, {self.warc_files} {warcs}. Open it in "
            "ReplayWeb.page, or load it into pywb with `wb-manager add --unpack-wacz COLL FILE`."
        )


def _size_text(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / (1024 * 1024):.1f} MiB"


def check_destination(destination: Path, *, force: bool, protected: Iterable[Path]) -> None:
    """Refuse a destination the export must not write: InputError (exit 3), nothing written.

    A WACZ goes to a new `.wacz` file in an existing folder; an existing file is replaced
    only with `force`, and never when it is (or links to) the ledger, an article, or any
    other path in `protected`.
    """
    shown = str(destination)
    if destination.suffix.lower() != WACZ_SUFFIX:
        raise InputError(
            "a WACZ package's name must end in .wacz",
            path=shown,
            hint=f"name the package e.g. {destination.with_suffix(WACZ_SUFFIX).name}",
        )
    if not destination.parent.is_dir():
        raise InputError(
            "the folder to write the package in does not exist",
            path=shown,
            hint="create the folder first, or choose another path",
        )
    target = destination.resolve()
    if any(target == path.resolve() for path in protected):
        raise InputError(
            "this is a file verifier reads (the ledger or an article); it is never replaced",
            path=shown,
            hint="choose another path for the package",
        )
    if destination.is_dir():
        raise InputError("this is a folder", path=shown, hint="give a file path ending in .wacz")
    if destination.exists() and not force:
        raise InputError(
            "the file exists; nothing was written",
            path=shown,
            hint="pass --force to replace it, or choose another path",
        )


def export_wacz(
    destination: Path,
    warc_files: list[Path],
    entries: list[IndexEntry],
    read_page: Callable[[IndexEntry], tuple[str, str | None] | None],
    software: str,
    *,
    force: bool = False,
    protected: Iterable[Path] = (),
) -> WaczSummary:
    """Write the WACZ at `destination`; `read_page(entry)` gives an entry's extracted text
    and title, or None when it has none (an unreadable response, a wall).

    `check_destination(destination, force=force, protected=protected)` first."""
    check_destination(destination, force=force, protected=protected)
    index_blocks, block_lines, lines = _index(warc_files)
    pages = _pages_jsonl(entries, read_page)
    resources: list[dict[str, Any]] = []
    partial = destination.with_name(destination.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as package:
        for path in warc_files:
            resources.append(_add_file(package, f"archive/{path.name}", path))
        resources.append(_add_bytes(package, f"indexes/{INDEX_DATA}", index_blocks))
        resources.append(_add_bytes(package, "indexes/index.idx", block_lines.encode()))
        resources.append(_add_bytes(package, "pages/pages.jsonl", pages.encode()))
        datapackage = {
            "profile": "data-package",
            "wacz_version": WACZ_VERSION,
            "title": "Sources cited by the articles",
            "created": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "software": software,
            "resources": resources,
        }
        encoded = json.dumps(datapackage, indent=2).encode()
        package.writestr("datapackage.json", encoded)
        digest = {
            "path": "datapackage.json",
            "hash": "sha256:" + hashlib.sha256(encoded).hexdigest(),
        }
        package.writestr("datapackage-digest.json", json.dumps(digest, indent=2))
    partial.replace(destination)  # a reader never sees half a package
    return WaczSummary(
        destination, len(warc_files), lines, pages.count("\n") - 1, destination.stat().st_size
    )


def _index(warc_files: list[Path]) -> tuple[bytes, str, int]:
    """(the gzip blocks of sorted CDXJ lines, the block index, the number of lines)."""
    # Imported here: cdxj-indexer brings surt, tldextract and requests, a third of a second
    # that every other command would pay at start-up.
    from cdxj_indexer.main import CDXJIndexer

    blocks = io.BytesIO()
    block_index = io.StringIO()
    if warc_files:
        CDXJIndexer(
            block_index,
            [str(path) for path in warc_files],
            sort=True,
            post_append=True,  # a POST's request body joins its response's key, as py-wacz does
            compress=blocks,
            data_out_name=INDEX_DATA,
            lines=INDEX_BLOCK_LINES,
        ).process_all()
    data = blocks.getvalue()
    return data, block_index.getvalue(), _count_lines(data)


def _count_lines(blocks: bytes) -> int:
    return gzip.decompress(blocks).count(b"\n") if blocks else 0


def _pages_jsonl(
    entries: list[IndexEntry], read_page: Callable[[IndexEntry], tuple[str, str | None] | None]
) -> str:
    """One page per cited URL: its newest capture that reads as a page (a capture archived
    unread counts once its text is derived, unless that shows it is a wall)."""
    by_url: dict[str, list[IndexEntry]] = {}
    for entry in entries:
        if entry.readable or entry.pending:
            by_url.setdefault(entry.url, []).append(entry)
    lines = [json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"})]
    for url, captures in sorted(by_url.items()):
        # Newest first; among equal times the later line, as reads choose.
        for entry in sorted(captures, key=lambda e: e.fetched_at, reverse=True):
            read = read_page(entry)
            if read is not None:
                break
        else:
            continue
        text, title = read
        page = {
            "url": entry.final_url,
            "ts": entry.fetched_at,
            "title": title or url,
            "text": text,
        }
        if entry.final_url != url:
            page["cited_url"] = url
        lines.append(json.dumps(page, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def _add_file(package: zipfile.ZipFile, name: str, path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    package.write(path, name)
    return {
        "name": Path(name).name,
        "path": name,
        "hash": f"sha256:{digest.hexdigest()}",
        "bytes": path.stat().st_size,
    }


def _add_bytes(package: zipfile.ZipFile, name: str, data: bytes) -> dict[str, Any]:
    package.writestr(name, data)
    return {
        "name": Path(name).name,
        "path": name,
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
    }
