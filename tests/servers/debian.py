"""Where the Debian FTP server binaries are: vsftpd installed, proftpd and pure-ftpd unpacked.

proftpd and pure-ftpd are fetched by ``.ci/fetch-servers`` into a cache folder; when a fixture
finds the cache missing it runs that same script (it needs root and apt).
"""

from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

from .base import ServerUnavailable

VSFTPD = Path("/usr/sbin/vsftpd")
FETCH_SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "fetch-servers"
_FETCH_TIMEOUT = 600


def servers_root() -> Path:
    """The folder the packages are unpacked into (``usr/sbin/proftpd`` etc. live below it)."""
    cache = Path(os.environ.get("TUI_FTP_SERVERS_DIR", "/var/cache/tui-ftp-servers"))
    return cache / "root"


def vsftpd_binary() -> Path:
    if not VSFTPD.exists():
        raise ServerUnavailable(f"{VSFTPD} not found: apt-get install vsftpd")
    return VSFTPD


def unpacked(relative: str) -> Path:
    """Path of a file from the unpacked proftpd/pure-ftpd packages, fetching them if needed."""
    path = servers_root() / relative
    if not path.exists() or not (servers_root() / ".complete").exists():
        _fetch()
    if not path.exists():
        raise ServerUnavailable(f"{path} missing after {FETCH_SCRIPT}")
    return path


def _fetch() -> None:
    problem = _fetch_problem()
    if problem is not None:
        raise ServerUnavailable(problem)


@functools.cache
def _fetch_problem() -> str | None:
    """Run the fetch script once per process: None on success, else why it failed."""
    try:
        result = subprocess.run(
            ["bash", str(FETCH_SCRIPT)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=_FETCH_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{FETCH_SCRIPT} could not run: {error}"
    if result.returncode != 0:
        return (
            f"{FETCH_SCRIPT} failed ({result.returncode}); proftpd/pure-ftpd unavailable:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return None
