"""Atomic file writes: a temporary file in the same folder, then os.replace."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from verifier.interrupts import uninterrupted


def write_atomically(path: Path, text: str, *, durable: bool = True) -> None:
    """Write via a temporary file in the same folder and os.replace: never a half-written file.

    `durable` also flushes to disk before the rename, so a power cut leaves the old or the
    new file; files that are regenerated every run can skip that cost. A Ctrl-C waits until
    the file is in place (the write is short), so no temporary file is left behind.
    """
    with uninterrupted():
        _write_atomically(path, text, durable=durable)


def _write_atomically(path: Path, text: str, *, durable: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        else:
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
