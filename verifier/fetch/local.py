"""file:// sources: read from disk, never archived (the file is its own record), and only
regular files inside the project."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import mimetypes
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from stat import S_ISDIR, S_ISREG
from typing import Any

from verifier.errors import InvalidURL
from verifier.fetch.fileurls import path_of
from verifier.files import RACY_NS
from verifier.kvstore import KeyValueStore
from verifier.model import Capture, FetchFailure, SourceResult, UnavailableReason
from verifier.repository import Boundary
from verifier.settings import FetchSettings
from verifier.text import EXTRACTOR_VERSION, PageText, UnreadableContent, main_text

LOCAL_TEXT_FILE = "local-text.sqlite"
"""Beside the archive index: main text of local sources by content digest."""
_OLD_LOCAL_TEXT_FILE = "local-text.json"
"""The one JSON document this cache used to be (removed on sight)."""
MAX_PAGES = 200_000
"""Past this, the texts written longest ago are dropped."""


class LocalTextCache:
    """Main text of local files by content digest, so an unchanged file is not re-extracted.

    Local sources are read afresh every run (the file is its own record), but extracting
    the text of thousands of unchanged HTML files would dominate a re-check. Texts are
    keyed by the digest of the bytes and the extractor version, so one can never describe
    another file's text. A file whose size, modification and status-change times (in
    nanoseconds) and inode are unchanged is not even read again: its last digest stands,
    as git assumes.
    Rows live in SQLite (`KeyValueStore`), read one at a time as sources are read, so a
    run holds only the texts it is using. A missing or damaged cache file only costs time.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        if path is not None:
            with contextlib.suppress(OSError):  # a folder of that name is left alone
                path.with_name(_OLD_LOCAL_TEXT_FILE).unlink(missing_ok=True)
        self._store = KeyValueStore(path, ("pages", "files"), f"local-text/1/{EXTRACTOR_VERSION}")

    def known_digest(self, path: Path, stat: os.stat_result) -> str | None:
        """The digest recorded for this file when its stat is as recorded."""
        entry = _json_list(self._store.get("files", str(path)))
        if entry is not None and entry[:-1] == _stat_key(stat) and isinstance(entry[-1], str):
            return entry[-1]
        return None

    def get(self, digest: str) -> PageText | None:
        entry = _json_list(self._store.get("pages", digest))
        if entry is None or len(entry) != 2 or not isinstance(entry[0], str):
            return None
        title = entry[1] if isinstance(entry[1], str) else None
        return PageText(entry[0], title)

    def preload(self, paths: Iterable[Path]) -> None:
        """Fetch the rows for these files in a few queries instead of two per file (a
        batch of sources is about to be read); `release` lets them go."""
        names = [str(path) for path in paths]
        self._store.load("files", names)
        digests = []
        for name in names:
            entry = _json_list(self._store.get("files", name))
            if entry is not None and entry and isinstance(entry[-1], str):
                digests.append(entry[-1])
        self._store.load("pages", digests)

    def release(self) -> None:
        self._store.forget()

    def put(self, digest: str, page: PageText, path: Path, stat: os.stat_result) -> None:
        # A file modified in the last seconds may change again within the same timestamp
        # tick without changing size ("racy git"): its stat is not trusted until it settles.
        settled = time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) > RACY_NS
        self._store.put("pages", digest, json.dumps([page.text, page.title], ensure_ascii=False))
        if settled:
            self._store.put("files", str(path), json.dumps([*_stat_key(stat), digest]))
        else:
            self._store.delete("files", [str(path)])

    def save(self) -> None:
        """Write what this run added; past MAX_PAGES, drop the texts written longest ago."""
        self._store.commit()
        if self._store.count("pages") > MAX_PAGES:
            self._store.trim("pages", MAX_PAGES)

    def close(self) -> None:
        self.save()
        self._store.close()


def _stat_key(stat: os.stat_result) -> list[int]:
    """What says a file is unchanged, as git reads it: the mtime and size, and the status
    change time and inode, which a rewrite that keeps the size and puts the mtime back (or a
    file replaced by another) cannot keep."""
    return [stat.st_mtime_ns, stat.st_size, stat.st_ctime_ns, stat.st_ino]


def _json_list(value: str | None) -> list[Any] | None:
    if value is None:
        return None
    try:
        decoded = json.loads(value)
    except ValueError:
        return None  # a damaged row is a miss
    return decoded if isinstance(decoded, list) else None


def payload_digest(body: bytes) -> str:
    """WARC-style "sha1:<base32>" digest."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


@dataclass(frozen=True)
class LocalAccess:
    """Which files on disk may be read as sources, and how much of each.

    Only regular files no larger than `max_bytes` are read (a device or a FIFO could never
    be read to the end), and only inside `boundary` (see verifier.repository: a footnote must
    not publish the machine's own files).
    """

    boundary: Boundary | None
    """None: anywhere (a path typed on the command line by the user, as with `verifier text`)."""
    max_bytes: int = FetchSettings.max_bytes

    @classmethod
    def for_project(cls, ledger_dir: Path, settings: FetchSettings) -> LocalAccess:
        """The ledger's repository (or its folder, outside git) and `fetch.allow_paths`."""
        return cls(Boundary.of(ledger_dir, settings.allow_paths), settings.max_bytes)

    def permits(self, real_path: str) -> bool:
        return self.boundary is None or self.boundary.holds(real_path)


class LocalReader:
    """Reads file: URLs as sources under a LocalAccess; failures are values, not exceptions."""

    def preload(self, urls: Iterable[str]) -> None:
        """Ready the text cache for reading these file: URLs (see LocalTextCache.preload)."""
        if self.texts is None:
            return
        paths = []
        for url in urls:
            try:
                paths.append(path_of(url))
            except ValueError:
                continue
        self.texts.preload(paths)

    def release(self) -> None:
        if self.texts is not None:
            self.texts.release()

    def __init__(self, access: LocalAccess, texts: LocalTextCache | None = None) -> None:
        self.access = access
        self.texts = texts
        self._real_folders: dict[str, str] = {}
        self._lock = threading.Lock()

    def read(self, url: str) -> SourceResult:
        try:
            path = path_of(url)
        except InvalidURL as error:
            return error.unavailable(url)
        except ValueError as error:
            return FetchFailure(url, UnavailableReason.BLOCKED, str(error))
        try:
            if not self.access.permits(self._real_path(path)):
                return FetchFailure(url, UnavailableReason.OUTSIDE_REPOSITORY, str(path))
            return self._read_permitted(url, path)
        except FileNotFoundError:
            return FetchFailure(url, UnavailableReason.DEAD, f"no such file {path}")
        except OSError as error:
            return FetchFailure(url, UnavailableReason.UNREADABLE, f"{path}: {error.strerror}")
        except UnreadableContent as error:
            return FetchFailure(url, error.reason, f"{path}: {error.detail}")

    def _real_path(self, path: Path) -> str:
        """os.path.realpath, with each folder resolved once per run: thousands of sources
        usually share a few folders, and realpath costs a system call per path component."""
        absolute = os.path.abspath(path)
        folder, name = os.path.split(absolute)
        with self._lock:
            real_folder = self._real_folders.get(folder)
        if real_folder is None:
            real_folder = os.path.realpath(folder)
            with self._lock:
                self._real_folders[folder] = real_folder
        candidate = os.path.join(real_folder, name)
        if os.path.islink(candidate):
            return os.path.realpath(candidate)
        return candidate

    def _read_permitted(self, url: str, path: Path) -> SourceResult:
        stat = path.stat()
        if not S_ISREG(stat.st_mode):
            kind = "a directory" if S_ISDIR(stat.st_mode) else "not a regular file"
            return FetchFailure(url, UnavailableReason.NOT_TEXT, f"{path} is {kind}")
        if stat.st_size > self.access.max_bytes:
            return FetchFailure(
                url,
                UnavailableReason.TOO_LARGE,
                f"{path} is {stat.st_size} bytes, over fetch.max_bytes ({self.access.max_bytes})",
            )
        texts = self.texts
        digest = texts.known_digest(path, stat) if texts is not None else None
        page = texts.get(digest) if texts is not None and digest is not None else None
        if page is None:
            body = self._read_bytes(path)
            if body is None:
                reason = f"{path} is not a regular file"
                return FetchFailure(url, UnavailableReason.NOT_TEXT, reason)
            if len(body) > self.access.max_bytes:
                return FetchFailure(
                    url, UnavailableReason.TOO_LARGE, f"{path} grew over fetch.max_bytes while read"
                )
            digest = payload_digest(body)
            page = texts.get(digest) if texts is not None else None
            if page is None:
                page = main_text(body, mimetypes.guess_type(path.name)[0], url)
            if texts is not None:
                texts.put(digest, page, path, stat)
        assert digest is not None
        return Capture(
            url=url,
            final_url=url,
            status_code=200,
            fetched_at=datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(timespec="seconds"),
            content_type=mimetypes.guess_type(path.name)[0] or "",
            payload_digest=digest,
            text=page.text,
            title=page.title,
            via="local",
        )

    def _read_bytes(self, path: Path) -> bytes | None:
        """Up to max_bytes + 1 of the file's bytes; None when what was opened is not a regular
        file (swapped for a FIFO or a device since it was checked).

        O_NONBLOCK: opening a FIFO would otherwise wait for a writer for ever.
        """
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not S_ISREG(os.fstat(descriptor).st_mode):
                return None
            return handle.read(self.access.max_bytes + 1)
