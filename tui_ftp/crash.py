"""Crash reports: what a bug leaves behind, with no password in it.

Batch commands and the TUI turn every expected failure into a clear message. A bug is the one
thing left: instead of a traceback on the terminal (Textual's lists local variables, which may hold
a password), the traceback goes into a private file in the data folder, with every password the
process knew replaced by ``****`` (:mod:`tui_ftp.engine.redaction`), and the user gets one line
saying where it is.
"""

from __future__ import annotations

import os
import platform
import sys
import time
import traceback
from pathlib import Path

from . import locations
from .engine.redaction import redact
from .sites.errors import SiteError
from .sites.files import write_private


def write_crash_report(error: BaseException, context: str) -> Path | None:
    """Write ``error``'s traceback (no local variables), redacted; the file's path, or None if it failed."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = locations.crash_dir() / f"crash-{stamp}-{os.getpid()}.txt"
    try:
        write_private(path, crash_report_text(error, context).encode("utf-8", "backslashreplace"))
    except SiteError:
        return None
    return path


def crash_report_text(error: BaseException, context: str) -> str:
    header = [
        f"tui-ftp {_version()} crashed in {context}",
        f"time: {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        f"python: {sys.version.split()[0]} on {platform.platform()}",
        "",
    ]
    return redact("\n".join(header) + "".join(traceback.format_exception(error)))


def crash_message(path: Path | None) -> str:
    """The one line the user sees."""
    where = f"a report (passwords removed) is in {path}" if path else "the report could not be written"
    return f"tui-ftp stopped on an internal error (a bug); {where}"


def _version() -> str:
    from importlib import metadata  # only when a report is written (~15 ms at start-up otherwise)

    try:
        return metadata.version("tui-ftp")
    except metadata.PackageNotFoundError:
        return "(not installed)"
