"""A hostile server's listing never makes ``get -r`` write outside the chosen folder.

pyftpdlib cannot serve names like ``../x``, so a scripted server sends the crafted LIST lines.
The test checks the disk (nothing outside the folder, only the safe files inside), the commands
the client sent (no RETR of an unsafe name, no LIST through a link), the exit code (9: finished
with skipped entries) and that the escape sequences in names reach stderr only as escapes.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui_ftp.demo.scripted import CommandFailed, ScriptedServer, Session

from .conftest import Cli

PASSWORD = "hostile-pw"
_FILE = "-rw-r--r--    1 ftp      ftp            {size} Jan 01 12:00 {name}"
_DIR = "drwxr-xr-x    2 ftp      ftp             4096 Jan 01 12:00 {name}"
_LINK = "lrwxrwxrwx    1 ftp      ftp               11 Jan 01 12:00 {name} -> {target}"
CONTENT = b"served content\n"

# The absolute name points into the test's sandbox (see the fixture), so a write there would show.
ABSOLUTE_PLACEHOLDER = "{sandbox}/absolute.txt"
HOSTILE_NAMES = [
    "../escape.txt",
    "../../escape2.txt",
    ABSOLUTE_PLACEHOLDER,
    "..\\windows.txt",
    "C:drive.txt",
    "evil\x1b[2Jname.txt",
    "bell\x07.txt",
]


def listing(path: str, sandbox: str) -> list[str]:
    """What LIST shows for each folder of the hostile tree (550 for any other path)."""
    if path == "/hostile":
        return [
            _DIR.format(name="."),
            _DIR.format(name=".."),
            _FILE.format(size=len(CONTENT), name="ok.txt"),
            *(_FILE.format(size=len(CONTENT), name=name.replace("{sandbox}", sandbox)) for name in HOSTILE_NAMES),
            _LINK.format(name="passwd", target="/etc/passwd"),
            _LINK.format(name="up", target=".."),
            _DIR.format(name="sub"),
            _DIR.format(name=".."),
        ]
    if path == "/hostile/sub":
        return [_FILE.format(size=len(CONTENT), name="inner.txt"), _DIR.format(name="../../../outside")]
    if path == "/loop" or path.endswith("/again"):
        return [_DIR.format(name="again")]
    raise CommandFailed(550, "No such directory.")


class HostileSession(Session):
    """A Unix-looking server (LIST only, no MLSD/SIZE) whose listings lie about names."""

    sandbox = "/nonexistent"

    def cmd_PWD(self, argument: str) -> None:
        self.reply(257, '"/" is the current directory.')

    def cmd_CWD(self, argument: str) -> None:
        listing(posixpath.normpath(argument), self.sandbox)
        self.reply(250, "Directory changed.")

    def cmd_LIST(self, argument: str) -> None:
        lines = listing(posixpath.normpath(argument), self.sandbox)
        self.reply(150, "Here comes the listing.")
        self.send_data("".join(f"{line}\r\n" for line in lines).encode("utf-8", "surrogateescape"))
        self.reply(226, "Directory send OK.")

    def cmd_RETR(self, argument: str) -> None:
        self.reply(150, f"Opening BINARY mode data connection ({len(CONTENT)} bytes).")
        self.send_data(CONTENT)
        self.reply(226, "Transfer complete.")


@pytest.fixture
def hostile_server(cli: Cli) -> Iterator[ScriptedServer]:
    session = type("SandboxHostileSession", (HostileSession,), {"sandbox": str(cli.sandbox)})
    with ScriptedServer(session, users={"user": PASSWORD}) as server:
        yield server


def run_get(cli: Cli, server: ScriptedServer, path: str, *extra: str) -> tuple[int, str]:
    run = cli(
        "get", "-r", f"ftp://user@127.0.0.1:{server.port}{path}", "download", *extra,
        "--password-env", "PW", env={"PW": PASSWORD},
    )  # fmt: skip
    return run.code, run.stderr


def files_under(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*")}


def test_recursive_download_keeps_every_write_inside_the_folder(cli: Cli, hostile_server: ScriptedServer) -> None:
    code, stderr = run_get(cli, hostile_server, "/hostile")
    assert code == 9, stderr
    assert files_under(cli.sandbox) - {"home", "config", "data", "tmp", "work"} == {
        "work/download",
        "work/download/ok.txt",
        "work/download/sub",
        "work/download/sub/inner.txt",
    }
    retrieved = [command.argument for command in hostile_server.commands if command.verb == "RETR"]
    assert retrieved == ["/hostile/ok.txt", "/hostile/sub/inner.txt"]
    listed = [command.argument for command in hostile_server.commands if command.verb == "LIST"]
    assert listed == ["/hostile", "/hostile/sub"]  # never through the links "up" and "passwd"


def test_skipped_names_are_reported_with_escapes_not_raw_controls(cli: Cli, hostile_server: ScriptedServer) -> None:
    _, stderr = run_get(cli, hostile_server, "/hostile")
    skipped = [line for line in stderr.splitlines() if "skipped" in line]
    assert len(skipped) == len(HOSTILE_NAMES) + 3  # + two links + ../../../outside
    assert "\x1b" not in stderr and "\x07" not in stderr
    assert "evil\\x1b[2Jname.txt" in stderr
    assert any("passwd" in line and "symbolic link" in line for line in skipped)


def test_endless_folders_stop_at_the_depth_limit(cli: Cli, hostile_server: ScriptedServer) -> None:
    code, stderr = run_get(cli, hostile_server, "/loop")
    assert code == 9, stderr
    assert "deeper than 64 folders" in stderr
    depth = max(len(Path(path).parts) for path in files_under(cli.workdir / "download"))
    assert depth == 63
