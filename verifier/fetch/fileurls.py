"""file: URLs: which cited locations are local files, and the path each one names.

Apart from the reader (local.py) so that code deciding what a pass must read (stages.py,
cluster.py, recheck.py) can tell local sources from web ones without loading the text
extractors the reader needs.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from verifier.errors import InvalidURL


def is_local(url: str) -> bool:
    return url[:5].lower() == "file:"


def path_of(url: str) -> Path:
    """The filesystem path a file: URL names (file:///abs, file://localhost/abs, file:rel)."""
    if url.startswith("file:///") and "?" not in url and "#" not in url:  # without urlsplit
        return Path(unquote(url[7:]))
    parts = urlsplit(url)
    if parts.netloc not in {"", "localhost"}:
        raise ValueError(f"file URL with a remote host: {url}")
    path = unquote(parts.path)
    if "\x00" in path:  # no file has one; the OS would refuse the name with ValueError
        raise InvalidURL("NUL character in the path")
    return Path(path)
