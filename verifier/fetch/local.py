"""file:// sources: read from disk, never archived (the file is its own record)."""

from __future__ import annotations

import base64
import hashlib
import mimetypes
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from verifier.model import Capture, FetchFailure, SourceResult, UnavailableReason
from verifier.text import UnreadableContent, main_text


def is_local(url: str) -> bool:
    return url[:5].lower() == "file:"


def path_of(url: str) -> Path:
    """The filesystem path a file: URL names (file:///abs, file://localhost/abs, file:rel)."""
    parts = urlsplit(url)
    if parts.netloc not in {"", "localhost"}:
        raise ValueError(f"file URL with a remote host: {url}")
    return Path(unquote(parts.path))


def payload_digest(body: bytes) -> str:
    """WARC-style "sha1:<base32>" digest."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def read_local(url: str) -> SourceResult:
    """Read a file: URL as a source; failures are values, not exceptions."""
    try:
        path = path_of(url)
    except ValueError as error:
        return FetchFailure(url, UnavailableReason.BLOCKED, str(error))
    try:
        body = path.read_bytes()
        modified = path.stat().st_mtime
    except FileNotFoundError:
        return FetchFailure(url, UnavailableReason.DEAD, f"no such file {path}")
    except IsADirectoryError:
        return FetchFailure(url, UnavailableReason.NOT_TEXT, f"{path} is a directory")
    except OSError as error:
        return FetchFailure(url, UnavailableReason.UNREADABLE, f"{path}: {error.strerror}")
    content_type = mimetypes.guess_type(path.name)[0] or ""
    try:
        page = main_text(body, content_type or None, url)
    except UnreadableContent as error:
        return FetchFailure(url, error.reason, f"{path}: {error.detail}")
    return Capture(
        url=url,
        final_url=url,
        status_code=200,
        fetched_at=datetime.fromtimestamp(modified, UTC).isoformat(timespec="seconds"),
        content_type=content_type,
        payload_digest=payload_digest(body),
        text=page.text,
        title=page.title,
        via="local",
    )
