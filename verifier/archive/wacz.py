"""Export the archive as a WACZ package a reviewer opens in ReplayWeb.page or pywb.

WACZ 1.1.1 layout, zipped without compression (the WARCs are gzip already, and replay
tools read members by offset):

    archive/<name>.warc.gz      every WARC file, as written
    indexes/index.cdxj          one line per response record: "<surt> <timestamp> {json}"
    pages/pages.jsonl           one line per archived source, with its extracted text
    datapackage.json            every file above with its sha256 and size
    datapackage-digest.json     the sha256 of datapackage.json
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from warcio.archiveiterator import ArchiveIterator

from verifier.archive.index import IndexEntry

WACZ_VERSION = "1.1.1"
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class WaczSummary:
    path: Path
    warc_files: int
    index_lines: int
    pages: int


def export_wacz(
    destination: Path,
    warc_files: list[Path],
    entries: list[IndexEntry],
    read_text: Callable[[IndexEntry], str],
    software: str,
) -> WaczSummary:
    """Write the WACZ at `destination`; `read_text(entry)` gives an entry's extracted text."""
    cdxj = sorted(line for path in warc_files for line in _cdxj_lines(path))
    pages = _pages_jsonl(entries, read_text)
    destination.parent.mkdir(parents=True, exist_ok=True)
    resources: list[dict[str, Any]] = []
    partial = destination.with_name(destination.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as package:
        for path in warc_files:
            resources.append(_add_file(package, f"archive/{path.name}", path))
        resources.append(_add_bytes(package, "indexes/index.cdxj", "".join(cdxj).encode()))
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
    return WaczSummary(destination, len(warc_files), len(cdxj), pages.count("\n") - 1)


def surt(url: str) -> str:
    """Sort-friendly URI Reordering Transform: https://www.Example.com/a?b=2&a=1 ->
    com,example)/a?a=1&b=2 (the key CDXJ indexes are sorted by)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    labels = host.split(".")
    if not _is_ip(host):
        if labels and labels[0] == "www":
            labels = labels[1:]
        host = ",".join(reversed(labels))
    if parts.port and parts.port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{parts.port}"
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    path = parts.path or "/"
    return f"{host}){path}{'?' + query if query else ''}".lower()


def _is_ip(host: str) -> bool:
    return host.replace(".", "").isdigit() or ":" in host


def _cdxj_lines(path: Path) -> list[str]:
    lines: list[str] = []
    with path.open("rb") as handle:
        iterator = ArchiveIterator(handle)
        for record in iterator:
            if record.rec_type != "response":
                continue
            headers = record.rec_headers
            url = headers.get_header("WARC-Target-URI")
            date = headers.get_header("WARC-Date") or ""
            http = record.http_headers
            fields = {
                "url": url,
                "mime": (http.get_header("Content-Type") or "").split(";")[0].strip()
                if http
                else "",
                "status": http.get_statuscode() if http else "",
                "digest": headers.get_header("WARC-Payload-Digest"),
                "offset": str(iterator.get_record_offset()),
                "length": str(iterator.get_record_length()),
                "filename": path.name,
            }
            lines.append(f"{surt(url)} {_timestamp14(date)} {json.dumps(fields)}\n")
    return lines


def _timestamp14(warc_date: str) -> str:
    digits = "".join(character for character in warc_date if character.isdigit())
    return digits[:14].ljust(14, "0")


def _pages_jsonl(entries: list[IndexEntry], read_text: Callable[[IndexEntry], str]) -> str:
    newest: dict[str, IndexEntry] = {}
    for entry in entries:
        if entry.readable and (
            entry.url not in newest or entry.fetched_at > newest[entry.url].fetched_at
        ):
            newest[entry.url] = entry
    lines = [json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"})]
    for url, entry in sorted(newest.items()):
        page = {
            "url": entry.final_url,
            "ts": entry.fetched_at,
            "title": entry.title or url,
            "text": read_text(entry),
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
