"""A progress bar for terminals (and nothing at all elsewhere, e.g. in CI logs)."""

from __future__ import annotations

import shutil


class ProgressBar:
    """Draws `[#####     ] 12/40 label` on one line of a terminal, redrawn in place."""

    def __init__(self, stream, title: str):
        self.stream = stream
        self.title = title
        self.enabled = bool(getattr(stream, "isatty", lambda: False)())
        self.drawn = False

    def __call__(self, done: int, total: int, label: str) -> None:
        if not self.enabled:
            return
        width = shutil.get_terminal_size((80, 20)).columns
        total = max(total, 1)
        bar_width = 24
        filled = bar_width * min(done, total) // total
        line = f"{self.title} [{'#' * filled}{' ' * (bar_width - filled)}] {done}/{total} {label}"
        self.stream.write("\r" + line[: width - 1].ljust(width - 1), ending="")
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        """Clear the bar's line so that what follows starts on a clean one."""
        if self.enabled and self.drawn:
            width = shutil.get_terminal_size((80, 20)).columns
            self.stream.write("\r" + " " * (width - 1) + "\r", ending="")
            self.stream.flush()
            self.drawn = False
