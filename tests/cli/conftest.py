"""Running the real ``tui-ftp`` executable against real servers, in a sandboxed environment.

Every run gets its own HOME, config and data folders (no ~/.netrc, sites or pins of the machine
leak in), the password in an environment variable, and stdin closed (no terminal: batch mode).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers import RunningServer

PASSWORD_VARIABLE = "TUI_FTP_TEST_PASSWORD"


@dataclass
class CliRun:
    """One finished ``tui-ftp`` process."""

    args: list[str]
    code: int
    stdout: str
    stderr: str

    def __str__(self) -> str:
        return f"tui-ftp {' '.join(self.args)} -> {self.code}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


class Cli:
    """Runs ``tui-ftp`` in a sandbox: ``cli("ls", url, ...)`` → :class:`CliRun`."""

    def __init__(self, sandbox: Path) -> None:
        self.sandbox = sandbox
        self.home = sandbox / "home"
        self.workdir = sandbox / "work"
        for folder in (self.home, self.workdir, sandbox / "config", sandbox / "data", sandbox / "tmp"):
            folder.mkdir(parents=True, exist_ok=True)
        self.env = {
            key: value for key, value in os.environ.items() if not key.startswith(("TUI_FTP_", "NETRC"))
        }
        self.env.update(
            HOME=str(self.home),
            TUI_FTP_CONFIG_DIR=str(sandbox / "config"),
            TUI_FTP_DATA_DIR=str(sandbox / "data"),
            TMPDIR=str(sandbox / "tmp"),
            COLUMNS="100",
        )

    def __call__(
        self, *args: str | Path, env: Mapping[str, str] | None = None, cwd: Path | None = None, timeout: float = 90
    ) -> CliRun:
        argv = [str(arg) for arg in args]
        result = subprocess.run(
            [executable(), *argv],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env={**self.env, **(env or {})},
            cwd=cwd or self.workdir,
            timeout=timeout,
            check=False,
        )
        return CliRun(argv, result.returncode, result.stdout, result.stderr)

    def on(self, server: RunningServer, *args: str | Path, cwd: Path | None = None) -> CliRun:
        """Run a command against ``server``: its password from the environment, its CA trusted."""
        return self(*args, *login(server), env={PASSWORD_VARIABLE: server.password}, cwd=cwd)


def executable() -> str:
    """The ``tui-ftp`` script installed next to this Python (a venv's own first), else the one on PATH."""
    beside = Path(sys.executable).with_name("tui-ftp")
    found = str(beside) if beside.exists() else shutil.which("tui-ftp")
    if found is None:
        pytest.fail("the tui-ftp executable is not installed (pip install -e .)")
    return found


def url(server: RunningServer, path: str = "", password: bool = False) -> str:
    """``scheme://user[:password]@host:port/path`` for ``server``."""
    scheme, _, address = server.url.partition("://")
    secret = f":{server.password}" if password else ""
    return f"{scheme}://{server.user}{secret}@{address}/{path.lstrip('/')}"


def login(server: RunningServer) -> list[str]:
    """The options every run against ``server`` needs: the password source and its CA."""
    options = ["--password-env", PASSWORD_VARIABLE]
    if server.ca_file is not None:
        options += ["--ca-file", str(server.ca_file)]
    return options


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[Cli]:
    yield Cli(tmp_path / "cli")
