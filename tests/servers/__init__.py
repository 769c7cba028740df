"""Real FTP servers on loopback for the tests: pyftpdlib in-process, vsftpd, proftpd and pure-ftpd.

Start one with :func:`start_server` (or through the fixtures in ``tests/conftest.py``); it returns a
:class:`RunningServer` describing the live server, whose ``stop()`` ends it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .base import (
    PASSWORD,
    SAMPLE_FILES,
    RunningServer,
    ServerOptions,
    ServerUnavailable,
    client_context,
)
from .proftpd import start_proftpd
from .pureftpd import start_pureftpd
from .pyftpd import start_pyftpdlib
from .vsftpd import start_vsftpd

STARTERS: dict[str, Callable[[ServerOptions, Path], RunningServer]] = {
    "pyftpdlib": start_pyftpdlib,
    "vsftpd": start_vsftpd,
    "proftpd": start_proftpd,
    "pure-ftpd": start_pureftpd,
}
DEBIAN_SERVERS = ("vsftpd", "proftpd", "pure-ftpd")


def start_server(software: str, options: ServerOptions, workdir: Path) -> RunningServer:
    """Start ``software`` (a key of :data:`STARTERS`) with its configuration and logs in ``workdir``."""
    try:
        starter = STARTERS[software]
    except KeyError:
        raise ValueError(f"unknown server {software!r}; choose from {sorted(STARTERS)}") from None
    return starter(options, workdir)


__all__ = [
    "DEBIAN_SERVERS",
    "PASSWORD",
    "SAMPLE_FILES",
    "STARTERS",
    "RunningServer",
    "ServerOptions",
    "ServerUnavailable",
    "client_context",
    "start_server",
]
