"""The throwaway certificates verify (or fail to) exactly as their names promise.

Handshakes run in memory (``ssl.MemoryBIO``) with the standard library's verifying client.
"""

from __future__ import annotations

import hashlib
import ssl
import stat
from pathlib import Path

import pytest

from tui_ftp.demo.certs import CertFiles, CertificateSet, cached_certificate_set, make_certificate_set

# OpenSSL's X509_V_ERR_* codes
EXPIRED, NOT_YET_VALID, SELF_SIGNED, UNKNOWN_ISSUER, HOST_MISMATCH = 10, 9, 18, 20, 62


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> CertificateSet:
    return make_certificate_set(tmp_path_factory.mktemp("certs"))


def _server_context(files: CertFiles, client_ca: Path | None = None) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(files.cert, files.key)
    if client_ca is not None:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(client_ca)
    return context


def _client_context(ca: Path, client: CertFiles | None = None) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(ca))
    if client is not None:
        context.load_cert_chain(client.cert, client.key)
    return context


def _handshake(server: ssl.SSLContext, client: ssl.SSLContext, host: str) -> ssl.SSLObject:
    """Run a TLS handshake in memory; return the client side (errors propagate from either side)."""
    to_server, to_client = ssl.MemoryBIO(), ssl.MemoryBIO()
    client_side = client.wrap_bio(to_client, to_server, server_hostname=host)
    server_side = server.wrap_bio(to_server, to_client, server_side=True)
    done = {"client": False, "server": False}
    for _ in range(20):
        for name, side in (("client", client_side), ("server", server_side)):
            if not done[name]:
                try:
                    side.do_handshake()
                    done[name] = True
                except ssl.SSLWantReadError:
                    pass
        if all(done.values()):
            # TLS 1.3: the server learns of a rejected client certificate one read later.
            _exchange_one_byte(client_side, server_side)
            return client_side
    raise AssertionError("handshake did not finish")


def _exchange_one_byte(client_side: ssl.SSLObject, server_side: ssl.SSLObject) -> None:
    client_side.write(b"x")
    assert server_side.read(1) == b"x"


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "::1"])
def test_server_certificate_verifies_for_every_loopback_name(certs: CertificateSet, host: str) -> None:
    client = _handshake(_server_context(certs.server), _client_context(certs.ca.cert), host)
    peer = client.getpeercert(binary_form=True)
    assert peer is not None and hashlib.sha256(peer).hexdigest() == certs.server.fingerprint
    assert certs.server.ca == certs.ca.cert


@pytest.mark.parametrize(
    ("variant", "code"),
    [
        ("expired", EXPIRED),
        ("not_yet_valid", NOT_YET_VALID),
        ("wrong_host", HOST_MISMATCH),
        ("self_signed", SELF_SIGNED),
        ("unknown_ca_server", UNKNOWN_ISSUER),
    ],
)
def test_broken_variants_fail_verification_for_their_reason(
    certs: CertificateSet, variant: str, code: int
) -> None:
    files: CertFiles = getattr(certs, variant)
    with pytest.raises(ssl.SSLCertVerificationError) as failure:
        _handshake(_server_context(files), _client_context(certs.ca.cert), "localhost")
    assert failure.value.verify_code == code


def test_self_signed_and_unknown_ca_verify_against_their_own_issuer(certs: CertificateSet) -> None:
    assert certs.self_signed.ca == certs.self_signed.cert
    _handshake(_server_context(certs.self_signed), _client_context(certs.self_signed.ca), "localhost")
    assert certs.unknown_ca_server.ca == certs.unknown_ca.cert
    _handshake(_server_context(certs.unknown_ca_server), _client_context(certs.unknown_ca.cert), "::1")


def test_client_certificate_is_accepted_by_a_server_trusting_the_ca(certs: CertificateSet) -> None:
    server = _server_context(certs.server, client_ca=certs.ca.cert)
    _handshake(server, _client_context(certs.ca.cert, client=certs.client), "localhost")
    with pytest.raises(ssl.SSLError):
        _handshake(server, _client_context(certs.ca.cert, client=certs.self_signed), "localhost")


def test_files_are_pem_and_keys_private(certs: CertificateSet) -> None:
    files = certs.server
    assert files.cert.read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    assert files.pem.read_bytes() == files.cert.read_bytes() + files.key.read_bytes()
    for private in (files.key, files.pem):
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert len(files.fingerprint) == 64 and files.fingerprint == files.fingerprint.lower()


def test_cached_set_is_made_once_per_folder(tmp_path: Path) -> None:
    first = cached_certificate_set(tmp_path)
    assert cached_certificate_set(tmp_path) is first
    assert cached_certificate_set(tmp_path / "other") is not first
