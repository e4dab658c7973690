"""One writing command at a time per project folder: the ledger's folder is locked.

claims.yaml, reports/ and archive/ live together beside the ledger, and two runs writing
them at once would each overwrite what the other wrote. The lock is an flock on the folder
itself, not a lock file: nothing is left behind by a killed run, and the kernel releases
it when the process ends, however it ends.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from verifier.errors import InputError


@contextmanager
def exclusive(folder: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold `folder`'s lock for the block; when another process holds it, call `on_wait`
    once and wait for it (Ctrl-C still ends the wait)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as error:
        raise InputError(
            f"cannot open the ledger's folder: {error.strerror}",
            path=str(folder),
            hint="check the --ledger path",
        ) from error
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
