"""With a terminal attached: the password prompt and the progress line (on a pseudo-terminal)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time
from pathlib import Path

from tests.servers import SAMPLE_FILES, RunningServer
from tui_ftp.cli.output import progress_text
from tui_ftp.engine.events import TransferProgress

from .conftest import Cli, executable, url


class TerminalRun:
    """``tui-ftp`` with stdin and stderr on a pseudo-terminal (stdout stays a pipe)."""

    def __init__(self, cli: Cli, *args: str) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(
            [executable(), *args],
            stdin=slave,
            stdout=subprocess.PIPE,
            stderr=slave,
            env=cli.env,
            cwd=cli.workdir,
            start_new_session=True,  # no controlling terminal: getpass reads the pty on stdin
        )
        os.close(slave)
        self.screen = b""

    def read_until(self, wanted: bytes, timeout: float = 30) -> bytes:
        deadline = time.monotonic() + timeout
        while wanted not in self.screen and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.screen += os.read(self.master, 4096)
                except OSError:  # the child closed the terminal
                    break
        return self.screen

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def finish(self, timeout: float = 30) -> tuple[int, bytes]:
        stdout, _ = self.process.communicate(timeout=timeout)
        self.read_until(b"\0", timeout=0.5)  # drain what is left
        os.close(self.master)
        return self.process.returncode, stdout


def test_password_prompt_on_a_terminal(cli: Cli, pyftpd_plain: RunningServer) -> None:
    terminal = TerminalRun(cli, "ls", url(pyftpd_plain, "sub"))
    assert b"Password for alice@" in terminal.read_until(b"Password for")
    terminal.type(pyftpd_plain.password + "\n")
    code, stdout = terminal.finish()
    assert code == 0, terminal.screen
    assert b"nested.txt" in stdout
    assert pyftpd_plain.password.encode() not in terminal.screen  # not echoed


def test_progress_line_on_a_terminal_and_silence_without(cli: Cli, pyftpd_plain: RunningServer) -> None:
    secret = url(pyftpd_plain, "data.bin", password=True)
    terminal = TerminalRun(cli, "get", secret, "shown.bin")
    code, _ = terminal.finish()
    assert code == 0, terminal.screen
    screen = terminal.screen.decode()
    assert "data.bin" in screen and "195.3 KiB" in screen and "100%" in screen
    assert "\x1b[K" in screen  # the line is cleared when the transfer ends
    quiet = cli("get", secret, "quiet.bin")
    assert (quiet.code, quiet.stderr) == (0, "")
    assert Path(cli.workdir / "quiet.bin").read_bytes() == SAMPLE_FILES["data.bin"]


def test_progress_text_is_shortened_name_first() -> None:
    event = TransferProgress("/very/long/remote/folder/name/file.bin", 512 << 10, 1 << 20, 2 << 20, 0.25)
    text = progress_text(event, 70)
    assert len(text) <= 70
    assert text.endswith("512.0 KiB / 1.0 MiB  50%  2.0 MiB/s  ETA <1 second")
    assert text.startswith("…") and "file.bin" in text
    escaped = progress_text(TransferProgress("evil\x1b[2J.bin", 1, None, 0.0, None), 80)
    assert "\x1b" not in escaped and "\\x1b[2J" in escaped
