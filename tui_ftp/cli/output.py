"""What the batch commands write besides their result: protocol log, progress, warnings.

Results go to stdout; everything else to stderr, so ``tui-ftp ls --json URL | jq`` stays clean.
Server-supplied text always passes through :func:`tui_ftp.display.safe_text` before it reaches a
terminal (file names and replies can carry escape sequences).
"""

from __future__ import annotations

import shutil
import sys
import time
from datetime import datetime
from typing import TextIO

import humanize

from ..display import safe_text
from ..engine.errors import LocalFileError
from ..engine.events import ContentionWait, Event, LogLine, TransferProgress

PROGRESS_INTERVAL = 0.25


class Reporter:
    """The command's event sink and its voice on stderr.

    ``verbose`` prints the protocol log on stderr; ``log_path`` appends it to a file with
    timestamps; ``progress`` draws one self-overwriting progress line (only sensible on a terminal).
    """

    def __init__(
        self,
        *,
        verbose: bool = False,
        log_path: str | None = None,
        progress: bool | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.stderr = stderr or sys.stderr
        self.verbose = verbose
        self.log_file = _open_log(log_path) if log_path else None
        show_progress = self.stderr.isatty() if progress is None else progress
        self.progress = ProgressLine(self.stderr) if show_progress else None

    def __call__(self, event: Event) -> None:
        if isinstance(event, LogLine):
            self._log_line(event)
        elif isinstance(event, TransferProgress) and self.progress is not None:
            self.progress.update(event)
        elif isinstance(event, ContentionWait):
            self.say(_contention_text(event))

    def say(self, text: str) -> None:
        """A message for the user on stderr (text from the server must be made safe by the caller)."""
        if self.progress is not None:
            self.progress.clear()
        print(text, file=self.stderr, flush=True)

    def warn(self, text: str) -> None:
        self.say(f"tui-ftp: warning: {text}")

    def error(self, text: str) -> None:
        self.say(f"tui-ftp: {text}")

    def transfer_done(self) -> None:
        if self.progress is not None:
            self.progress.clear()

    def close(self) -> None:
        if self.progress is not None:
            self.progress.clear()
        if self.log_file is not None:
            self.log_file.close()
            self.log_file = None

    def _log_line(self, event: LogLine) -> None:
        line = f"{event.direction.value} {safe_text(event.text)}"
        if self.verbose:
            self.say(line)
        if self.log_file is not None:
            stamp = datetime.fromtimestamp(event.time).isoformat(timespec="milliseconds")
            self.log_file.write(f"{stamp} [{safe_text(event.session)}] {line}\n")
            self.log_file.flush()


class ProgressLine:
    """One line on a terminal, redrawn at most every :data:`PROGRESS_INTERVAL` seconds."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._next = 0.0
        self._shown = False

    def update(self, event: TransferProgress) -> None:
        now = time.monotonic()
        finished = event.total is not None and event.done >= event.total
        if now < self._next and not finished:
            return
        self._next = now + PROGRESS_INTERVAL
        width = shutil.get_terminal_size((80, 24)).columns
        self.stream.write("\r" + progress_text(event, width - 1).ljust(width - 1))
        self.stream.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False


def progress_text(event: TransferProgress, width: int = 79) -> str:
    """``name  1.2 MiB / 4.0 MiB  30%  5.1 MiB/s  ETA 1s`` shortened to ``width`` (name first to go)."""
    done = humanize.naturalsize(event.done, binary=True)
    parts = [done if event.total is None else f"{done} / {humanize.naturalsize(event.total, binary=True)}"]
    if event.total:
        parts.append(f"{min(100, event.done * 100 // event.total)}%")
    if event.rate > 0:
        parts.append(f"{humanize.naturalsize(event.rate, binary=True)}/s")
    if event.eta is not None:
        parts.append(f"ETA {humanize.naturaldelta(event.eta) if event.eta >= 1 else '<1 second'}")
    figures = "  ".join(parts)
    room = max(0, width - len(figures) - 2)
    name = safe_text(event.transfer_id)
    if len(name) > room:
        name = "…" + name[len(name) - room + 1 :] if room > 1 else ""
    return f"{name}  {figures}" if name else figures


def _contention_text(event: ContentionWait) -> str:
    holder = f" (held by {safe_text(event.holder)})" if event.holder else ""
    retry = f"; retrying every {event.interval_seconds:g} s" if event.interval_seconds else ""
    left = f", {event.attempts_remaining} tries left" if event.attempts_remaining is not None else ""
    return f"tui-ftp: waiting for {safe_text(event.dataset)}{holder}{retry}{left}"


def _open_log(path: str) -> TextIO:
    try:
        return open(path, "a", encoding="utf-8")  # noqa: SIM115 - closed by Reporter.close
    except OSError as error:
        raise LocalFileError(f"cannot write the log file {path}: {error.strerror or error}") from error
