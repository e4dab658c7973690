"""JSONL shards and their manifest: the ledger and results of a pass too large for YAML.

Records are written a line each into shards of at most `per_shard` records, each shard
under a temporary name (`.part`) renamed when complete, so a shard that exists is whole.
`manifest.json` (written atomically at the end) lists every shard of every kind with its
record count: readers trust the manifest, never a directory listing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from verifier.files import write_atomically

MANIFEST = "manifest.json"
PER_SHARD = 10_000
FORMAT = 1


class ShardWriter:
    """Writes `<kind>-00000.jsonl`, `<kind>-00001.jsonl`, ... in `folder`."""

    def __init__(self, folder: Path, kind: str, per_shard: int = PER_SHARD) -> None:
        self.folder = folder
        self.kind = kind
        self.per_shard = max(1, per_shard)
        self.shards: list[dict[str, Any]] = []
        self._handle: IO[str] | None = None
        self._count = 0
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(f"{kind}-*.jsonl*"):  # a previous pass's, now replaced
            stale.unlink()

    def write(self, record: Mapping[str, Any]) -> None:
        if self._handle is None:
            name = f"{self.kind}-{len(self.shards):05d}.jsonl"
            self._handle = (self.folder / (name + ".part")).open("w", encoding="utf-8")
            self.shards.append({"file": name, "records": 0})
        self._handle.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        self._count += 1
        self.shards[-1]["records"] += 1
        if self._count % self.per_shard == 0:
            self._complete()

    def close(self) -> list[dict[str, Any]]:
        """Complete the last shard; the list of shards for the manifest."""
        self._complete()
        return self.shards

    def _complete(self) -> None:
        if self._handle is None:
            return
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        self._handle = None
        name = self.shards[-1]["file"]
        os.replace(self.folder / (name + ".part"), self.folder / name)


def write_manifest(folder: Path, entries: Mapping[str, Any]) -> None:
    """manifest.json: the given entries (shard lists by kind, counts) and the format."""
    document = {"format": FORMAT, **entries}
    write_atomically(folder / MANIFEST, json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def read_manifest(folder: Path) -> dict[str, Any]:
    from verifier.errors import InputError

    path = folder / MANIFEST
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            "no claim shards here", path=str(path), hint="run `verifier extract --dump FILE`"
        ) from None
    except (OSError, ValueError) as error:
        raise InputError(f"unreadable manifest: {error}", path=str(path)) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError("not a manifest this version writes", path=str(path))
    return document


def read_records(folder: Path, shard: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The records of one shard listed in the manifest."""
    with (folder / str(shard["file"])).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)
