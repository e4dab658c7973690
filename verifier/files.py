"""Files the tool reads and writes: only regular files are read, and writes are atomic
(a temporary file in the same folder, then os.replace)."""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from verifier.errors import InputError, OutputError
from verifier.interrupts import uninterrupted

RACY_NS = 2_000_000_000
"""A file modified this recently (nanoseconds) may change again unseen within the same
timestamp tick without its size changing ("racy git"): a stat-based cache does not trust
it to be unchanged until it settles."""


def open_regular_file(
    path: Path,
    *,
    display: str | None = None,
    error: type[InputError] = InputError,
    hint: str = "name a regular file",
) -> BinaryIO:
    """`path` opened for reading in binary, if it is a regular file (after symlinks).

    A device (/dev/zero, /dev/urandom) never ends and a FIFO blocks until a writer comes,
    so either would hang the run or exhaust memory: they are refused with `error` (an
    InputError naming `display`) before a byte is read. OSError (missing, unreadable) is
    left to the caller.
    """
    descriptor, kind = _open_regular(path)
    if kind is not None:
        shown = display if display is not None else str(path)
        raise error(f"not a regular file but {kind}", path=shown, hint=hint)
    return os.fdopen(descriptor, "rb")


def read_regular(path: Path) -> bytes:
    """The bytes of `path` if it is a regular file; see `open_regular`."""
    with open_regular(path) as handle:
        return handle.read()


def open_regular(path: Path) -> BinaryIO:
    """`path` opened in binary if it is a regular file. Anything else raises OSError, as a
    missing or unreadable file does, so the callers reading the tool's own state (caches,
    the last results.json, WARC files) treat a device or FIFO put in its place as damage,
    never read it to the end of memory."""
    descriptor, kind = _open_regular(path)
    if kind is not None:
        raise OSError(errno.EINVAL, f"not a regular file but {kind}", str(path))
    return os.fdopen(descriptor, "rb")


def _open_regular(path: Path) -> tuple[int, str | None]:
    """A read descriptor for `path`, or (-1, what it is) when it is not a regular file.

    The check is made on the opened descriptor, so nothing can be swapped in between; the
    open does not block on a FIFO."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            os.close(descriptor)
            return -1, file_kind(mode)
        os.set_blocking(descriptor, True)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor, None


@contextmanager
def open_input(path: Path, *, display: str, hint: str) -> Iterator[BinaryIO]:
    """A file named on the command line, or stdin for "-", opened in binary; refused at once
    (InputError naming `display`) when it is a device, a folder or, by name, a FIFO."""
    if str(path) == "-":
        stdin = sys.stdin.buffer
        check_stream(stdin, display=display)
        yield stdin
        return
    try:
        handle = open_regular_file(path, display=display, hint=hint)
    except FileNotFoundError:
        raise InputError("no such file", path=display) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path=display) from None
    with handle:
        yield handle


def check_stream(handle: BinaryIO, *, display: str, error: type[InputError] = InputError) -> None:
    """Refuse a stream that is a device other than a terminal (stdin from /dev/zero) or a
    folder; regular files, pipes, sockets and terminals are read as they come."""
    mode = os.fstat(handle.fileno()).st_mode
    if stat.S_ISCHR(mode) and handle.isatty():
        return
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        raise error(f"not a regular file or pipe but {file_kind(mode)}", path=display)


@dataclass(frozen=True)
class OverlongLine:
    """A line longer than the reader's limit: skipped, only its length known."""

    length: int


def read_lines(handle: BinaryIO, limit: int) -> Iterator[bytes | OverlongLine]:
    """The lines of `handle` (newline kept), each read in at most `limit` bytes of memory: a
    longer one is an OverlongLine, its rest skipped, so a stream with no newline at all
    costs flat memory rather than a MemoryError."""
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        length = len(line)
        while not line.endswith(b"\n"):
            line = handle.readline(limit)
            if not line:
                break
            length += len(line)
        yield OverlongLine(length)


def file_kind(mode: int) -> str:
    """What a file is, for messages: "a directory", "a character device", "a FIFO"..."""
    for test, kind in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return kind
    return "a special file"


def check_folder(path: Path, *, setting: str) -> None:
    """Refuse, before any work, a folder the tool will write (reports/, archive/) that is a
    file, sits under a file, or cannot be written: OutputError naming it. A missing folder
    is fine: it is created when first written."""
    hint = f"move it away, or set settings.{setting} in claims.yaml to another folder"
    try:
        status = path.stat()
    except FileNotFoundError:
        return
    except NotADirectoryError:
        raise OutputError("a parent of this folder is a file", path=str(path), hint=hint) from None
    except OSError as error:
        raise OutputError(f"cannot use this folder: {error.strerror}", path=str(path)) from None
    if not stat.S_ISDIR(status.st_mode):
        kind = "a file" if stat.S_ISREG(status.st_mode) else file_kind(status.st_mode)
        raise OutputError(f"{setting} should be a folder but is {kind}", path=str(path), hint=hint)
    if not os.access(path, os.W_OK | os.X_OK):
        raise OutputError(
            "folder is not writable", path=str(path), hint="check its permissions and owner"
        )


def write_atomically(path: Path, text: str | Iterable[str], *, durable: bool = True) -> None:
    """Write via a temporary file in the same folder and os.replace: never a half-written file.

    `text` may come in pieces (an iterable of strings), so a large file need not be one string.

    `durable` also flushes to disk before the rename, so a power cut leaves the old or the
    new file; files that are regenerated every run can skip that cost. A Ctrl-C waits until
    the file is in place (the write is short), so no temporary file is left behind.
    """
    with uninterrupted(), replacing(path, durable=durable) as handle:
        if isinstance(text, str):
            handle.write(text)
        else:
            for piece in text:
                handle.write(piece)


@contextmanager
def replacing(
    path: Path, *, durable: bool = True, only_if_changed: bool = False
) -> Iterator[TextIO]:
    """A text file to write `path`'s new content to: a temporary file beside it that takes
    its place (keeping its mode) when the block ends without an error, and is removed
    otherwise. `only_if_changed`: an unchanged file is left as it is (its modification
    time too), compared a chunk at a time. Use `write_atomically` for text in hand; this,
    for a file written while other work goes on (it does not hold Ctrl-C back itself)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            yield handle
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if not (only_if_changed and _same_bytes(temporary, path)):
            mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
            os.chmod(temporary, mode)
            os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


_CHUNK = 1 << 20


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
