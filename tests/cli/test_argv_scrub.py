"""A password in a URL argument is starred out of the process's command line (``ps``, /proc)."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, executable
from tui_ftp.cli.argv_scrub import scrub_arguments, scrub_url_password


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        (b"ftp://alice:secret@host/f", b"ftp://alice:******@host/f"),
        (b"ftpes://alice:p@ss:w@host:21", b"ftpes://alice:******@host:21"),  # '@' and ':' inside
        (b"ftps://alice:s%40t@[::1]:990/'USER1.DATA'", b"ftps://alice:*****@[::1]:990/'USER1.DATA'"),
        (b"ftp://alice@host/a:b@c", b"ftp://alice@host/a:b@c"),  # no password; ':' and '@' in the path
        (b"ftp://alice:@host/", b"ftp://alice:@host/"),  # an empty password has nothing to hide
        (b"--password-env", b"--password-env"),
        (b"user:secret@host", b"user:secret@host"),  # not a URL
        (b"\xff\xfeftp://a:b@c", b"\xff\xfeftp://a:b@c"),
    ],
)
def test_only_the_url_password_is_starred(argument: bytes, expected: bytes) -> None:
    assert scrub_url_password(argument) == expected
    assert len(scrub_url_password(argument)) == len(argument)


def test_every_argument_of_the_area_is_scrubbed() -> None:
    area = b"python\0-m\0tui_ftp\0get\0ftp://u:pw@h/f\0ftp://v:xyz@h/g\0"
    assert scrub_arguments(area) == b"python\0-m\0tui_ftp\0get\0ftp://u:**@h/f\0ftp://v:***@h/g\0"


def test_a_running_command_shows_no_password_in_ps(cli: Cli, tmp_path: Path) -> None:
    """The server accepts and says nothing: the command is parked in its greeting wait, where a
    long transfer would be, and ps reads its command line."""
    secret = "Tr0ub4dor-and-3"
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(30)
        port = listener.getsockname()[1]
        argv = [executable(), "ls", f"ftp://alice:{secret}@127.0.0.1:{port}/dir", "--timeout", "20"]
        process = subprocess.Popen(argv, env=cli.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path)
        try:
            connection, _ = listener.accept()  # arguments parsed and scrubbed before it connects
            with connection:
                cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes()
                shown_by_ps = subprocess.run(
                    ["ps", "-ww", "-o", "args=", "-p", str(process.pid)], capture_output=True, text=True, check=True
                ).stdout
        finally:
            process.kill()
            process.communicate(timeout=30)
    assert secret.encode() not in cmdline and secret not in shown_by_ps
    assert f"ftp://alice:{'*' * len(secret)}@127.0.0.1:{port}/dir" in shown_by_ps
