"""A parse cache for claims.yaml, so loading a large unchanged ledger takes milliseconds.

YAML parsing is slow (seconds for 10,000 claims), and most runs read a ledger that has not
changed since the last one. The cache is keyed by the SHA-256 of the file's bytes and the
verifier version, so it can never describe another text: a hand edit is simply a miss.
It lives in `.verifier-cache/` beside claims.yaml (or $VERIFIER_CACHE_DIR), a folder that
ignores itself in git, and losing it costs only time.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from verifier import __version__
from verifier.files import read_regular, write_atomically

CACHE_FORMAT = 1
CACHE_DIR_NAME = ".verifier-cache"
CACHE_DIR_VARIABLE = "VERIFIER_CACHE_DIR"
DISABLE_VARIABLE = "VERIFIER_NO_CACHE"


def cache_dir(ledger_path: Path, environ: Mapping[str, str] | None = None) -> Path | None:
    """Where caches for this ledger live; None when caching is turned off."""
    environ = os.environ if environ is None else environ
    if environ.get(DISABLE_VARIABLE, "") not in ("", "0"):
        return None
    configured = environ.get(CACHE_DIR_VARIABLE)
    return Path(configured) if configured else ledger_path.resolve().parent / CACHE_DIR_NAME


def ensure_cache_dir(directory: Path) -> None:
    """Create the folder with a .gitignore of "*" and a CACHEDIR.TAG, as other tools do."""
    if directory.is_dir():
        return
    directory.mkdir(parents=True, exist_ok=True)
    (directory / ".gitignore").write_text("# Created by verifier\n*\n", encoding="utf-8")
    (directory / "CACHEDIR.TAG").write_text(
        "Signature: 8a477f597d28d172789f06886806bc55\n# verifier cache\n", encoding="utf-8"
    )


def content_key(text: str) -> str:
    """sha256 of the format, version and text, hashed a slice of the text at a time: the
    text with its prefix, and its bytes, would be two copies of a ledger that is tens of
    megabytes at 30,000 claims."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}\n{__version__}\n".encode())
    for start in range(0, len(text), _SLICE):
        digest.update(text[start : start + _SLICE].encode())
    return digest.hexdigest()


_SLICE = 1 << 20


def _file_for(directory: Path, ledger_path: Path) -> Path:
    name = hashlib.sha1(str(ledger_path.resolve()).encode("utf-8")).hexdigest()[:16]
    return directory / f"ledger-{name}.json"


def read(ledger_path: Path, key: str) -> dict[str, Any] | None:
    """The cached parse of the ledger text with this key, or None."""
    document = _cached_document(ledger_path)
    if document is None or document.get("key") != key:
        return None
    return document


def well_formed(document: Mapping[str, Any]) -> bool:
    """True when a cached document has the layout `Ledger` writes. A file damaged or written
    by another layout is a miss, decided here, so a bug in reading a good one still shows."""
    layout = document.get("layout")
    claims = document.get("claims")
    if not isinstance(layout, dict) or not isinstance(claims, list):
        return False
    numbers = (layout.get("head_end"), layout.get("block_end"), layout.get("claims_line"))
    starts, indent = layout.get("starts"), layout.get("indent")
    return (
        all(isinstance(number, int) for number in numbers[:2])
        and (numbers[2] is None or isinstance(numbers[2], int))
        and isinstance(starts, list)
        and all(isinstance(start, int) for start in starts)
        and len(starts) == len(claims)
        and isinstance(indent, list)
        and len(indent) == 3
        and all(isinstance(claim, dict) for claim in claims)
        and all(isinstance(document.get(key), dict | None) for key in ("settings", "fetch"))
        and isinstance(document.get("articles"), list)
        and isinstance(document.get("blocks"), list)
        and all(isinstance(block, str) for block in document["blocks"])
    )


def read_latest(ledger_path: Path) -> dict[str, Any] | None:
    """The last parse cached for this ledger, whatever text it was of (same tool version).

    After a hand edit most claim entries are unchanged; `parse.reparse` reuses their
    parsed values from here and parses only the entries whose text changed.
    """
    document = _cached_document(ledger_path)
    if document is None or document.get("version") != _version():
        return None
    return document


def _cached_document(ledger_path: Path) -> dict[str, Any] | None:
    directory = cache_dir(ledger_path)
    if directory is None:
        return None
    try:
        document = json.loads(read_regular(_file_for(directory, ledger_path)).decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None  # a damaged cache is a miss; the next write replaces it
    return document if isinstance(document, dict) else None


def _version() -> str:
    return f"{CACHE_FORMAT}/{__version__}"


def write(ledger_path: Path, key: str, payload: Mapping[str, Any]) -> None:
    """Store the parse of the ledger text with this key (one file per ledger)."""
    directory = cache_dir(ledger_path)
    if directory is None:
        return
    try:
        ensure_cache_dir(directory)
        document = {"key": key, "version": _version(), **payload}
        write_atomically(_file_for(directory, ledger_path), _json_pieces(document), durable=False)
    except OSError:
        pass  # a read-only checkout still works, only without the speed-up


def _json_pieces(document: Mapping[str, Any]) -> Iterator[str]:
    """json.dumps(document) (compact) a value at a time, each list a member at a time: the
    parse of 30,000 claims as one string, and its bytes, were the peak of a run's memory."""
    for index, (name, value) in enumerate(document.items()):
        yield ("{" if index == 0 else ",") + _compact(name) + ":"
        if isinstance(value, Sequence) and not isinstance(value, str):
            # A list, or the ledger's entries' values, unpacked one at a time as read.
            for position, member in enumerate(value):
                yield ("[" if position == 0 else ",") + _compact(member)
            yield "]" if value else "[]"
        else:
            yield _compact(value)
    yield "}" if document else "{}"


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
