"""Certificate verification, pins and the TLS-required rules against real servers."""

from __future__ import annotations

import pytest

from tests.conftest import ServerPool
from tui_ftp.demo.certs import CertificateSet
from tui_ftp.engine.errors import CertificateError, TLSError
from tui_ftp.engine.options import Security, TLSOptions
from tui_ftp.engine.tls import colon_fingerprint

from .live_helpers import Recorder, open_session


@pytest.mark.parametrize(
    ("variant", "reason"),
    [
        ("expired", "certificate has expired"),
        ("not_yet_valid", "certificate is not yet valid"),
        ("wrong_host", "does not match the certificate"),
        ("self_signed", "self-signed"),
        ("unknown_ca_server", "unknown CA"),
    ],
)
def test_untrusted_certificates_are_refused_with_the_reason_and_the_certificate(
    ftp_servers: ServerPool, test_certs: CertificateSet, variant: str, reason: str
) -> None:
    certs = getattr(test_certs, variant)
    server = ftp_servers.get("pyftpdlib", certs=certs)
    trusted_ca = TLSOptions(ca_file=str(test_certs.ca.cert))  # the suite's CA, not the server's own
    with pytest.raises(CertificateError) as caught:
        open_session(server, Security.EXPLICIT_TLS, tls=trusted_ca)
    error = caught.value
    assert reason in error.reason
    assert error.certificate is not None and error.certificate.sha256 == certs.fingerprint
    assert server.password not in str(error)


def test_untrusted_certificate_never_gets_the_login(ftp_servers: ServerPool, test_certs: CertificateSet) -> None:
    from tui_ftp.engine.session import FTPSession

    server = ftp_servers.get("pyftpdlib", certs=test_certs.self_signed)
    recorder = Recorder()
    options = server.connect_options(Security.EXPLICIT_TLS, tls=TLSOptions(ca_file=str(test_certs.ca.cert)))
    session = FTPSession(options, recorder)
    with pytest.raises(CertificateError):
        session.connect()
    assert "AUTH TLS" in recorder.sent()
    assert not any(line.startswith(("USER", "PASS")) for line in recorder.sent())


def test_pinned_fingerprint_accepts_a_self_signed_server(ftp_servers: ServerPool, test_certs: CertificateSet) -> None:
    certs = test_certs.self_signed
    server = ftp_servers.get("pyftpdlib", certs=certs)
    session, _ = open_session(server, tls=TLSOptions(pinned_sha256=colon_fingerprint(certs.fingerprint)))
    try:
        assert session.security.trust == "pinned"
        assert {"hello.txt"} <= {entry.name for entry in session.list_dir()}
    finally:
        session.close()


def test_changed_certificate_for_a_pin_is_refused_loudly(ftp_servers: ServerPool, test_certs: CertificateSet) -> None:
    server = ftp_servers.get("pyftpdlib", certs=test_certs.self_signed)
    with pytest.raises(CertificateError, match="changed since it was pinned") as caught:
        open_session(server, tls=TLSOptions(pinned_sha256=test_certs.server.fingerprint))
    assert caught.value.certificate.sha256 == test_certs.self_signed.fingerprint


def test_host_name_check_can_be_skipped_but_the_chain_still_counts(ftp_servers: ServerPool, test_certs: CertificateSet) -> None:
    wrong_host = ftp_servers.get("pyftpdlib", certs=test_certs.wrong_host)
    session, _ = open_session(wrong_host, tls=TLSOptions(ca_file=str(test_certs.ca.cert), verify_hostname=False))
    try:
        assert session.security.trust == "chain-only"
    finally:
        session.close()
    unknown = ftp_servers.get("pyftpdlib", certs=test_certs.unknown_ca_server)
    with pytest.raises(CertificateError, match="unknown CA"):
        open_session(unknown, tls=TLSOptions(ca_file=str(test_certs.ca.cert), verify_hostname=False))


def test_tls_required_stops_before_user_when_auth_is_refused(pyftpd_plain) -> None:  # type: ignore[no-untyped-def]
    from tui_ftp.engine.session import FTPSession

    recorder = Recorder()
    session = FTPSession(pyftpd_plain.connect_options(Security.EXPLICIT_TLS), recorder)
    with pytest.raises(TLSError, match="refused AUTH TLS"):
        session.connect()
    assert not any(line.startswith(("USER", "PASS")) for line in recorder.sent())


def test_tls_if_available_falls_back_with_a_visible_warning(pyftpd_plain) -> None:  # type: ignore[no-untyped-def]
    session, recorder = open_session(pyftpd_plain, Security.TLS_IF_AVAILABLE)
    try:
        assert session.security.tls_version is None
        assert any("WITHOUT encryption" in warning for warning in session.security.warnings)
        assert session.list_dir()
    finally:
        session.close()
