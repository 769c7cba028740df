"""The session's servers: started on demand, shared by options, stopped at the end."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

from tui_ftp.demo.certs import CertFiles, CertificateSet

from . import DEBIAN_SERVERS, RunningServer, ServerOptions, ServerUnavailable, start_server


def skip_or_fail(reason: str) -> NoReturn:
    """Skip the test, or fail it when running in CI (where every server must work)."""
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


class ServerPool:
    """Starts servers on demand for the session and stops them all at its end.

    ``get`` shares one server per (software, options) between tests; ``start_new`` gives a test a
    server of its own (for tests that stop or break it).
    """

    def __init__(self, factory: pytest.TempPathFactory, certs: CertificateSet) -> None:
        self._factory = factory
        self.certs = certs
        self._shared: dict[tuple[str, ServerOptions], RunningServer] = {}
        self._started: list[RunningServer] = []
        self._failures: dict[tuple[str, ServerOptions], str] = {}

    def get(
        self, software: str, *, tls: bool = True, certs: CertFiles | None = None, **options: object
    ) -> RunningServer:
        """A server shared by every test asking for the same software and options.

        ``tls=False`` starts plain FTP only; ``certs`` defaults to the session's localhost
        certificate; other keywords are :class:`ServerOptions` fields.
        """
        key = (software, self._options(tls, certs, options))
        if key not in self._shared:
            self._shared[key] = self._start(*key)
        return self._shared[key]

    def start_new(
        self, software: str, *, tls: bool = True, certs: CertFiles | None = None, **options: object
    ) -> RunningServer:
        """A server of the caller's own (same arguments as :meth:`get`), still stopped at the end."""
        return self._start(software, self._options(tls, certs, options))

    def stop_all(self) -> None:
        while self._started:
            self._started.pop().stop()

    def _options(self, tls: bool, certs: CertFiles | None, options: dict[str, object]) -> ServerOptions:
        chosen = certs or (self.certs.server if tls else None)
        return ServerOptions(certs=chosen, **options)  # type: ignore[arg-type]

    def _start(self, software: str, options: ServerOptions) -> RunningServer:
        """Start a server; a Debian server that fails is skipped (failed in CI) without retrying."""
        key = (software, options)
        if key not in self._failures:
            try:
                server = start_server(software, options, self._factory.mktemp(software))
            except ServerUnavailable as error:
                if software not in DEBIAN_SERVERS:
                    raise
                self._failures[key] = str(error)
            else:
                self._started.append(server)
                return server
        skip_or_fail(self._failures[key])
