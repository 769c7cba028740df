"""Transfer threads are scheduled after the UI thread (Linux), so bulk TLS work cannot starve it."""

from __future__ import annotations

import os
import sys

import pytest

from tui_ftp.engine.options import ConnectOptions
from tui_ftp.engine.session import FTPSession
from tui_ftp.engine.worker import BACKGROUND_NICENESS, SessionWorker

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priority is Linux's")


def niceness_in(worker: SessionWorker) -> int:
    def own_niceness(_: FTPSession) -> int:
        return os.getpriority(os.PRIO_PROCESS, 0)  # on Linux: the calling thread's

    try:
        return worker.start().submit(own_niceness).result(10)
    finally:
        worker.stop()


def test_background_workers_are_nicer_and_the_caller_is_untouched() -> None:
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    options = ConnectOptions(host="127.0.0.1")
    assert niceness_in(SessionWorker(options, background=True)) == min(19, ours + BACKGROUND_NICENESS)
    assert niceness_in(SessionWorker(options)) == ours
    assert os.getpriority(os.PRIO_PROCESS, 0) == ours
