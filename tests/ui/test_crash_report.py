"""A bug in the TUI: one line on exit and a redacted report, never Textual's traceback with locals."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_ftp.engine.options import ConnectOptions
from tui_ftp.ui.app import TuiFtpApp


async def test_a_bug_ends_the_app_with_a_report_and_no_password(
    private_folders: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, data = private_folders
    secret = "Tu1-Crash-Secret"
    options = ConnectOptions(host="127.0.0.1", user="alice", password=secret)
    app = TuiFtpApp(local_path=None)

    def buggy_handler() -> None:
        password = options.password  # a local that Textual's traceback would have printed
        raise RuntimeError(f"unexpected state for {options.user}:{password}")

    with pytest.raises(RuntimeError):
        async with app.run_test() as pilot:
            app.call_later(buggy_handler)
            await pilot.pause()
    printed = capsys.readouterr()
    terminal = printed.out + printed.err
    assert app.return_code == 1
    assert "internal error" in terminal and secret not in terminal and "Traceback" not in terminal
    [report] = (data / "crash").iterdir()
    assert str(report) in terminal.replace("\n", "")
    text = report.read_text()
    assert "RuntimeError: unexpected state for alice:****" in text and "buggy_handler" in text
    assert secret not in text
