"""Command lines of the contenders: the engine (driver script), the ``tui-ftp`` CLI, curl and lftp.

Every builder returns the argv and environment of one client process doing one operation against
one :class:`Endpoint`; the runner times them with :func:`measure.run_timed`. TLS means explicit
FTPS (AUTH TLS) with PROT P for listings and files, the server certificate checked against the CA.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.servers import RunningServer

from .engine_driver import PASSWORD_VARIABLE

DRIVER = Path(__file__).with_name("engine_driver.py")
ENGINE, CLI, CURL, LFTP = "engine", "CLI", "curl", "lftp"


@dataclass(frozen=True)
class Command:
    argv: tuple[str, ...]
    env: dict[str, str]


@dataclass(frozen=True)
class Endpoint:
    """A server reached plainly or with explicit TLS."""

    server: RunningServer
    tls: bool
    ca_file: Path

    def url(self, path: str, *, scheme: str = "ftp") -> str:
        """A URL without the password (every client gets it another way)."""
        return f"{scheme}://{self.server.user}@{self.server.host}:{self.server.port}/{path}"

    @property
    def password_env(self) -> dict[str, str]:
        return {PASSWORD_VARIABLE: self.server.password}


# -- the engine, through the driver script ----------------------------------------------------------


def engine(endpoint: Endpoint, operation: str, *arguments: str) -> Command:
    argv = [sys.executable, str(DRIVER), "--host", endpoint.server.host, "--port", str(endpoint.server.port)]
    argv += ["--user", endpoint.server.user]
    if endpoint.tls:
        argv += ["--tls", "--ca-file", str(endpoint.ca_file)]
    return Command((*argv, operation, *arguments), endpoint.password_env)


# -- the tui-ftp command --------------------------------------------------------------------------


def cli_executable() -> list[str]:
    """The installed ``tui-ftp`` script next to this Python (a venv's), else on PATH, else ``-m``."""
    beside = Path(sys.executable).with_name("tui-ftp")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("tui-ftp")
    return [found] if found else [sys.executable, "-m", "tui_ftp"]


def cli(endpoint: Endpoint, verb: str, local: str, remote: str) -> Command:
    """``tui-ftp get URL LOCAL`` or ``tui-ftp put LOCAL URL`` (ftpes:// for explicit TLS)."""
    url = endpoint.url(remote, scheme="ftpes" if endpoint.tls else "ftp")
    places = [url, local] if verb == "get" else [local, url]
    argv = [*cli_executable(), verb, *places, "--password-env", PASSWORD_VARIABLE]
    if endpoint.tls:
        argv += ["--ca-file", str(endpoint.ca_file)]
    return Command(tuple(argv), endpoint.password_env)


# -- curl ------------------------------------------------------------------------------------------


def _curl_base(endpoint: Endpoint) -> list[str]:
    argv = ["curl", "--silent", "--show-error", "--user", f"{endpoint.server.user}:{endpoint.server.password}"]
    if endpoint.tls:
        argv += ["--ssl-reqd", "--cacert", str(endpoint.ca_file)]
    return argv


def _plain_url(endpoint: Endpoint, path: str) -> str:
    return f"ftp://{endpoint.server.host}:{endpoint.server.port}/{path}"


def curl_get(endpoint: Endpoint, remote: str, local: str) -> Command:
    return Command((*_curl_base(endpoint), "--output", local, _plain_url(endpoint, remote)), {})


def curl_put(endpoint: Endpoint, local: str, remote: str) -> Command:
    return Command((*_curl_base(endpoint), "--upload-file", local, _plain_url(endpoint, remote)), {})


def curl_list(endpoint: Endpoint, folder: str, local: str) -> Command:
    """curl only fetches the LIST bytes (a URL ending in ``/``); nothing is parsed."""
    return Command((*_curl_base(endpoint), "--output", local, _plain_url(endpoint, folder.rstrip("/") + "/")), {})


# -- lftp ------------------------------------------------------------------------------------------


def _lftp(endpoint: Endpoint, command: str) -> Command:
    settings = ["set cmd:fail-exit yes", "set net:max-retries 1", "set xfer:clobber on"]
    if endpoint.tls:
        settings += [
            "set ftp:ssl-force true",
            "set ftp:ssl-protect-data true",
            "set ftp:ssl-protect-list true",
            f"set ssl:ca-file {endpoint.ca_file}",
            "set ssl:verify-certificate true",
        ]
    else:
        settings.append("set ftp:ssl-allow no")
    server = endpoint.server
    opening = f"open -u {server.user},{server.password} -p {server.port} {server.host}"
    return Command(("lftp", "-c", "; ".join([*settings, opening, command])), {})


def lftp_get(endpoint: Endpoint, remote: str, local: str) -> Command:
    return _lftp(endpoint, f"get {remote} -o {local}")


def lftp_put(endpoint: Endpoint, local: str, remote: str) -> Command:
    return _lftp(endpoint, f"put {local} -o {remote}")


def lftp_mget(endpoint: Endpoint, folder: str, local_folder: Path) -> Command:
    """``mget`` of a glob: lftp lists the folder, then fetches each file on its one connection."""
    return _lftp(endpoint, f"mget -O {local_folder} {folder}/*")
