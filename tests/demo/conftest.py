"""Fixtures for the scripted servers' tests: TLS contexts from the suite's test CA."""

from __future__ import annotations

import ssl

import pytest

from tui_ftp.demo.certs import CertificateSet
from tui_ftp.demo.scripted import server_tls_context


@pytest.fixture(scope="session")
def server_context(test_certs: CertificateSet) -> ssl.SSLContext:
    return server_tls_context(str(test_certs.server.cert), str(test_certs.server.key))


@pytest.fixture(scope="session")
def client_context(test_certs: CertificateSet) -> ssl.SSLContext:
    """A verifying client context trusting the test CA (host name checked)."""
    return ssl.create_default_context(cafile=str(test_certs.ca.cert))
