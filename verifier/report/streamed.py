"""A report file written a piece at a time, put in place only if its bytes changed.

results.json at 30,000 claims is tens of megabytes: built as one string (and compared with
the last run's, read whole) it was the peak of a run's memory. Here the pieces go to a
temporary file beside the target as they are made; at the end the file replaces the target
only when the bytes differ, so an unchanged report keeps its modification time, as
`_write_if_changed` does for the pages held whole. Nothing is half-written: the target is
the old file or the new one, and a failure removes the temporary file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from types import TracebackType

from verifier.files import open_regular

_CHUNK = 1 << 20


class StreamedFile:
    """`with StreamedFile(path) as out: out.write(...)`; replaced on a clean exit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self._temporary = Path(name)
        try:
            self._handle = os.fdopen(descriptor, "w", encoding="utf-8", newline="")
        except BaseException:
            os.close(descriptor)
            self._temporary.unlink(missing_ok=True)
            raise

    def write(self, text: str) -> None:
        self._handle.write(text)

    def __enter__(self) -> StreamedFile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self._handle.close()
            if kind is None and not _same_bytes(self._temporary, self.path):
                mode = self.path.stat().st_mode & 0o7777 if self.path.exists() else 0o644
                os.chmod(self._temporary, mode)
                os.replace(self._temporary, self.path)
        finally:
            self._temporary.unlink(missing_ok=True)


def _same_bytes(new: Path, old: Path) -> bool:
    """True when `old` is a regular file holding exactly the bytes of `new`."""
    try:
        if new.stat().st_size != old.stat().st_size:
            return False
        with open_regular(old) as before, open(new, "rb") as after:
            while True:
                chunk = after.read(_CHUNK)
                if chunk != before.read(_CHUNK):
                    return False
                if not chunk:
                    return True
    except OSError:
        return False  # missing, or not a file we wrote (a device in its place): replaced
