"""Fixtures shared by the whole suite: test certificates and real FTP servers on loopback.

Every server fixture yields a :class:`tests.servers.RunningServer`. The named ones are started once
per session, on first use; ``ftp_servers`` starts any other variant. Debian servers (vsftpd,
proftpd, pure-ftpd) that cannot be found or started skip their tests, or fail them when the
environment variable ``CI`` is set.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from typing import NoReturn

import pytest

from tests.servers import DEBIAN_SERVERS, RunningServer, ServerOptions, ServerUnavailable, start_server
from tui_ftp.demo.certs import CertFiles, CertificateSet, make_certificate_set


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
        return replace(ServerOptions(certs=chosen), **options)  # type: ignore[arg-type]

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


@pytest.fixture(scope="session")
def test_certs(tmp_path_factory: pytest.TempPathFactory) -> CertificateSet:
    """The test CA, a localhost server certificate and the broken variants (see demo.certs)."""
    return make_certificate_set(tmp_path_factory.mktemp("certs"))


@pytest.fixture(scope="session")
def ftp_servers(tmp_path_factory: pytest.TempPathFactory, test_certs: CertificateSet) -> Iterator[ServerPool]:
    pool = ServerPool(tmp_path_factory, test_certs)
    yield pool
    pool.stop_all()


# --- pyftpdlib (in-process) -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def pyftpd_plain(ftp_servers: ServerPool) -> RunningServer:
    return ftp_servers.get("pyftpdlib", tls=False)


@pytest.fixture(scope="session")
def pyftpd_plain_ipv6(ftp_servers: ServerPool) -> RunningServer:
    return ftp_servers.get("pyftpdlib", tls=False, host="::1")


@pytest.fixture(scope="session")
def pyftpd_tls(ftp_servers: ServerPool) -> RunningServer:
    """Explicit FTPS offered, plain FTP still allowed."""
    return ftp_servers.get("pyftpdlib")


@pytest.fixture(scope="session")
def pyftpd_tls_required(ftp_servers: ServerPool) -> RunningServer:
    """Explicit FTPS required on control and data connections."""
    return ftp_servers.get("pyftpdlib", tls_required=True)


@pytest.fixture(scope="session")
def pyftpd_tls_ipv6(ftp_servers: ServerPool) -> RunningServer:
    return ftp_servers.get("pyftpdlib", host="::1")


# --- vsftpd ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def vsftpd_explicit(ftp_servers: ServerPool) -> RunningServer:
    """AUTH TLS optional (plain allowed), data TLS must resume the control session."""
    return ftp_servers.get("vsftpd")


@pytest.fixture(scope="session")
def vsftpd_explicit_tls12(ftp_servers: ServerPool) -> RunningServer:
    """As ``vsftpd_explicit``, but the server speaks TLS 1.2 at most."""
    return ftp_servers.get("vsftpd", tls_max="1.2")


@pytest.fixture(scope="session")
def vsftpd_implicit(ftp_servers: ServerPool) -> RunningServer:
    return ftp_servers.get("vsftpd", implicit=True)


@pytest.fixture(scope="session")
def vsftpd_ipv6(ftp_servers: ServerPool) -> RunningServer:
    """Explicit FTPS (plain allowed) listening on ::1 only."""
    return ftp_servers.get("vsftpd", host="::1")


# --- proftpd --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def proftpd_explicit(ftp_servers: ServerPool) -> RunningServer:
    """AUTH TLS optional, CCC supported, data TLS must resume the control session."""
    return ftp_servers.get("proftpd")


@pytest.fixture(scope="session")
def proftpd_implicit(ftp_servers: ServerPool) -> RunningServer:
    return ftp_servers.get("proftpd", implicit=True)


# --- pure-ftpd ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pureftpd_explicit(ftp_servers: ServerPool) -> RunningServer:
    """AUTH TLS optional, CCC supported, no session reuse required."""
    return ftp_servers.get("pure-ftpd")
