"""Ctrl-C and termination: stop at once, leaving every file whole.

Files the pass writes are either replaced in one rename (claims.yaml, reports, caches) or
appended in whole records (the archive). `uninterrupted()` marks such a write: while any
thread is inside one, `exit_interrupted()` waits for it to finish, and in the main thread
a Ctrl-C arriving inside one is held back until it ends. Then the process ends with
os._exit, because fetch threads blocked on the network would otherwise keep it alive until
their deadline (30 s by default) and finish work nobody wants any more.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import NoReturn

EXIT_INTERRUPTED = 130
"""128 + SIGINT, as shells report it."""
EXIT_TERMINATED = 143
"""128 + SIGTERM."""

_writes = threading.RLock()


class Terminated(KeyboardInterrupt):
    """SIGTERM (a CI job cancelled, `kill`): handled as Ctrl-C, with its own exit code."""


def terminate_like_interrupt() -> None:
    """Make SIGTERM unwind the main thread as Ctrl-C does (call from the main thread)."""

    def raise_terminated(signum: int, frame: FrameType | None) -> None:
        raise Terminated()

    signal.signal(signal.SIGTERM, raise_terminated)


@contextmanager
def uninterrupted() -> Iterator[None]:
    """A write that must not be cut: interrupts wait until it is done."""
    with _writes:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        held: list[int] = []

        def hold(signum: int, frame: FrameType | None) -> None:
            held.append(signum)

        previous = signal.signal(signal.SIGINT, hold)
        previous_term = signal.signal(signal.SIGTERM, hold)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)
            signal.signal(signal.SIGTERM, previous_term)
        if signal.SIGTERM in held:
            raise Terminated()
        if held:
            raise KeyboardInterrupt()


def exit_interrupted(message: str, *, terminated: bool = False) -> NoReturn:
    """Print `message` and end the process now, once no thread is mid-write."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut this short
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _writes.acquire()  # never released: the process ends while holding it
    with contextlib.suppress(OSError, ValueError):  # a closed or broken stdout must not stop it
        sys.stdout.flush()
    print(message, file=sys.stderr, flush=True)
    os._exit(EXIT_TERMINATED if terminated else EXIT_INTERRUPTED)
