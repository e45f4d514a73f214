"""A plain progress bar on standard error, shown only when standard error is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30
# Redraw at most this often, so a fast export does not spend its time drawing.
MIN_INTERVAL_SECONDS = 0.1


class ProgressBar:
    """``bar(done, total)`` redraws ``label [#####.....] done/total``; ``bar.close()`` ends
    the line. Off a terminal (a pipe, a log file, CI) it writes nothing at all."""

    def __init__(self, label: str, *, stream: TextIO | None = None, enabled: bool | None = None):
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self._drawn_at = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and self._drawn and now - self._drawn_at < MIN_INTERVAL_SECONDS:
            return
        self._drawn_at, self._drawn = now, True
        filled = WIDTH if total == 0 else WIDTH * done // total
        percent = 100 if total == 0 else 100 * done // total
        bar = "#" * filled + "." * (WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done:,}/{total:,} ({percent}%)")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
