"""Progress of a long stage: counts, rate and time left, on a terminal or in a CI log.

On a terminal one line is redrawn in place (`fetching [#.....] 1,200/30,000  85.2/s  about
5m38s left`). Elsewhere (a CI log, a file) redrawing would print thousands of lines, and printing
nothing left CI silent for minutes, so a plain line is written every `interval` seconds,
and a closing one when the stage ends (only if a line was written: a short stage stays
quiet). Steps may come from several threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

LOG_INTERVAL = 5.0
"""Seconds between plain progress lines when the output is not a terminal."""
_REDRAW_INTERVAL = 0.1


class ProgressLine:
    def __init__(
        self,
        label: str,
        total: int,
        write: Callable[[str, bool], None],
        *,
        terminal: bool,
        interval: float = LOG_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`write(text, newline)` prints; `terminal` chooses redrawing over log lines."""
        self.label = label
        self.total = total
        self.done = 0
        self._write = write
        self._terminal = terminal
        self._interval = _REDRAW_INTERVAL if terminal else interval
        self._clock = clock
        self._started = clock()
        self._last_shown = self._started
        self._shown = False
        self._lock = threading.Lock()

    def step(self, count: int = 1) -> None:
        with self._lock:
            self.done += count
            now = self._clock()
            finished = self.done >= self.total
            if finished and (self._shown or self._terminal):
                self._show(now, final=True)
            elif not finished and now - self._last_shown >= self._interval:
                self._show(now, final=False)

    def finish(self) -> None:
        """Write the closing line if the stage ended short of its total (e.g. an error)."""
        with self._lock:
            if self._shown and self.done < self.total:
                self._show(self._clock(), final=True)

    def describe(self, now: float) -> str:
        elapsed = max(now - self._started, 1e-9)
        done = min(self.done, self.total)  # a source read again in a later batch counts twice
        rate = done / elapsed
        text = f"{self.label} {done:,}/{self.total:,}  {rate:,.1f}/s"
        if self._terminal:
            filled = 30 * done // max(self.total, 1)
            text = f"{self.label} [{'#' * filled}{'.' * (30 - filled)}] {done:,}/{self.total:,}"
            text += f"  {rate:,.1f}/s"
        if self.done < self.total and rate > 0:
            text += f"  about {_duration((self.total - self.done) / rate)} left"
        elif self.done >= self.total:
            text += f"  in {_duration(elapsed)}"
        return text

    def _show(self, now: float, *, final: bool) -> None:
        self._last_shown = now
        self._shown = True
        if self._terminal:
            self._write("\r" + self.describe(now) + "\x1b[K", final)
        else:
            self._write(self.describe(now), True)


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
