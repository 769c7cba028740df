"""Fixtures shared by the whole suite: test certificates and real FTP servers on loopback.

Every server fixture yields a :class:`tests.servers.RunningServer`. The named ones are started once
per session, on first use; ``ftp_servers`` starts any other variant. Debian servers (vsftpd,
proftpd, pure-ftpd) that cannot be found or started skip their tests, or fail them when the
environment variable ``CI`` is set.
"""

from __future__ import annotations

import types
from collections.abc import Generator, Iterator

import pytest

from tests.servers import RunningServer
from tests.servers.pool import ServerPool
from tui_ftp.demo.certs import CertificateSet, make_certificate_set

__all__ = ["ServerPool"]  # imported from here by some tests


@pytest.fixture(scope="session")
def test_certs(tmp_path_factory: pytest.TempPathFactory) -> CertificateSet:
    """The test CA, a localhost server certificate and the broken variants (see demo.certs)."""
    return make_certificate_set(tmp_path_factory.mktemp("certs"))


@pytest.fixture(scope="session")
def ftp_servers(tmp_path_factory: pytest.TempPathFactory, test_certs: CertificateSet) -> Iterator[ServerPool]:
    pool = ServerPool(tmp_path_factory, test_certs)
    yield pool
    pool.stop_all()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """Give every traceback entry a line number before pytest formats it.

    pytest-timeout raises its timeout from a signal handler, which can land on an instruction that
    has no line (CPython 3.11: ``tb_lineno`` is None). pytest's report then crashes with an
    INTERNALERROR that ends the whole run and hides which test hung.
    """
    try:
        return (yield)
    except BaseException as error:
        error.__traceback__ = _numbered(error.__traceback__)
        raise


def _numbered(tb: types.TracebackType | None) -> types.TracebackType | None:
    entries = []
    while tb is not None:
        entries.append(tb)
        tb = tb.tb_next
    rebuilt = None
    for entry in reversed(entries):
        lineno = entry.tb_lineno if entry.tb_lineno is not None else entry.tb_frame.f_code.co_firstlineno
        rebuilt = types.TracebackType(rebuilt, entry.tb_frame, entry.tb_lasti, lineno)
    return rebuilt


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
