"""Fixtures for the TUI tests: private config/data folders, a slow server, a Pilot waiting helper."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pyftpdlib.handlers import ThrottledDTPHandler, TLS_DTPHandler

from tests.servers import RunningServer, ServerOptions, pyftpd
from tui_ftp.demo.certs import CertificateSet

SLOW_BYTES_PER_SECOND = 256 * 1024


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (no pytest-asyncio here; Pilot needs a loop)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True


@pytest.fixture(autouse=True)
def private_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Settings, pins and logs go to the test's own folders, never the real home."""
    config, data = tmp_path / "config", tmp_path / "data"
    monkeypatch.setenv("TUI_FTP_CONFIG_DIR", str(config))
    monkeypatch.setenv("TUI_FTP_DATA_DIR", str(data))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return config, data


class _ThrottledTLSData(ThrottledDTPHandler, TLS_DTPHandler):
    read_limit = SLOW_BYTES_PER_SECOND
    write_limit = SLOW_BYTES_PER_SECOND


@pytest.fixture
def slow_server(tmp_path_factory: pytest.TempPathFactory, test_certs: CertificateSet, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningServer]:
    """pyftpdlib with TLS whose data connections move ~256 KiB/s: long enough to watch and cancel."""
    make_handler = pyftpd._handler_class

    def throttled(options: ServerOptions, home: Path) -> type:
        return type("SlowTLSHandler", (make_handler(options, home),), {"dtp_handler": _ThrottledTLSData})

    monkeypatch.setattr(pyftpd, "_handler_class", throttled)
    server = pyftpd.start_pyftpdlib(ServerOptions(certs=test_certs.server), tmp_path_factory.mktemp("slow"))
    yield server
    server.stop()


async def wait_for(condition: Callable[[], object], timeout: float = 15.0, step: float = 0.02) -> None:
    """Let the app run until ``condition()`` is true (engine work happens in other threads)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {condition.__name__}")
        await asyncio.sleep(step)


def wait_sync(condition: Callable[[], object], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s")
        time.sleep(0.01)
