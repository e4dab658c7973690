"""The `verifier` command's entry point (also `python -m verifier`).

Loading the command line takes a moment (httpx, lxml, trafilatura...). A Ctrl-C or SIGTERM
arriving meanwhile has nothing to clean up, so it ends the process at once with the usual
one line, instead of a KeyboardInterrupt traceback from the middle of an import.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

from verifier.interrupts import EXIT_INTERRUPTED, EXIT_TERMINATED


def _stop_during_start_up(signum: int, frame: FrameType | None) -> None:
    print("interrupted: nothing was written", file=sys.stderr, flush=True)
    os._exit(EXIT_TERMINATED if signum == signal.SIGTERM else EXIT_INTERRUPTED)


def main() -> None:
    signal.signal(signal.SIGINT, _stop_during_start_up)
    signal.signal(signal.SIGTERM, _stop_during_start_up)
    from verifier.cli import main as run_command_line

    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        run_command_line()
    finally:
        # The command is done (it exits through here, with its code): a Ctrl-C or SIGTERM
        # from now on changes nothing, and must not end the process by the signal while
        # it shuts down, which would make the exit status the signal's.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


if __name__ == "__main__":
    main()
