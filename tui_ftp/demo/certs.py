"""Throwaway X.509 certificates for the demo server and the test suite.

Everything here is made on the spot with ``cryptography``: a private CA, server certificates it
signs (with the SAN entries a host name check needs), and the broken variants a client must refuse
(expired, not yet valid, wrong host name, self-signed, signed by a CA nobody trusts) plus a client
certificate. Keys are EC P-256, so a full set takes a few milliseconds.

Files are written as PEM into a folder the caller chooses; nothing here is meant to protect real data.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import ipaddress
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEFAULT_HOSTS: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")
"""Names a loopback server answers to: one DNS name and both loopback addresses."""

WRONG_HOSTS: tuple[str, ...] = ("wrong.invalid",)
"""A name no test connects to (``.invalid`` is reserved), for host name mismatch tests."""

_VALIDITY = dt.timedelta(days=3650)
_CLOCK_SLACK = dt.timedelta(hours=1)


@dataclass(frozen=True)
class CertFiles:
    """Paths of one certificate's PEM files and its SHA-256 fingerprint.

    ``pem`` holds the certificate followed by its key (the form vsftpd and pure-ftpd read).
    ``ca`` is the certificate that signed it: the CA's file, or ``cert`` itself when self-signed.
    ``fingerprint`` is the SHA-256 of the certificate's DER bytes, lowercase hex without colons.
    """

    cert: Path
    key: Path
    pem: Path
    ca: Path
    fingerprint: str


@dataclass(frozen=True)
class CertificateSet:
    """Every certificate the tests need, all written into one folder."""

    ca: CertFiles
    server: CertFiles
    expired: CertFiles
    not_yet_valid: CertFiles
    wrong_host: CertFiles
    self_signed: CertFiles
    unknown_ca: CertFiles  # the unknown CA itself
    unknown_ca_server: CertFiles  # a localhost certificate signed by that unknown CA
    client: CertFiles


def fingerprint_of(certificate: x509.Certificate) -> str:
    """SHA-256 of the DER encoding, lowercase hex without colons."""
    return hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).hexdigest()


def make_ca(folder: Path, name: str = "tui-ftp test CA") -> CertFiles:
    """Create a self-signed CA certificate allowed to sign others (``ca.pem`` / ``ca.key``)."""
    key = _new_key()
    subject = _name(name)
    builder = (
        _base_builder(subject, subject, key.public_key(), *_default_window())
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .add_extension(_authority_key_id(key.public_key()), critical=False)
    )
    certificate = builder.sign(key, hashes.SHA256())
    stem = _stem(name)
    return _write(folder, stem, certificate, key, ca_path=Path(folder) / f"{stem}.pem")


def make_server_cert(
    ca: CertFiles,
    folder: Path,
    hosts: Sequence[str] = DEFAULT_HOSTS,
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    name: str = "localhost",
) -> CertFiles:
    """Create a server certificate for ``hosts`` (SAN DNS or IP entries), signed by ``ca``.

    ``not_before``/``not_after`` default to a window from an hour ago to ten years ahead.
    """
    start, end = _window(not_before, not_after)
    usage = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH])
    return _signed_leaf(ca, folder, name, start, end, usage, _subject_alt_names(hosts))


def make_client_cert(ca: CertFiles, folder: Path, name: str = "tui-ftp test client") -> CertFiles:
    """Create a certificate for TLS client authentication, signed by ``ca``."""
    start, end = _default_window()
    usage = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH])
    return _signed_leaf(ca, folder, name, start, end, usage, None)


def make_self_signed_cert(
    folder: Path, hosts: Sequence[str] = DEFAULT_HOSTS, name: str = "self-signed localhost"
) -> CertFiles:
    """Create a server certificate for ``hosts`` signed by its own key (no CA)."""
    key = _new_key()
    subject = _name(name)
    builder = _leaf_extensions(
        _base_builder(subject, subject, key.public_key(), *_default_window()),
        x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
        _subject_alt_names(hosts),
    )
    certificate = builder.sign(key, hashes.SHA256())
    stem = _stem(name)
    return _write(folder, stem, certificate, key, ca_path=Path(folder) / f"{stem}.pem")


def make_expired_cert(ca: CertFiles, folder: Path) -> CertFiles:
    """A localhost certificate whose validity ended yesterday."""
    now = _now()
    start, end = now - dt.timedelta(days=30), now - dt.timedelta(days=1)
    return make_server_cert(ca, folder, not_before=start, not_after=end, name="expired localhost")


def make_not_yet_valid_cert(ca: CertFiles, folder: Path) -> CertFiles:
    """A localhost certificate whose validity starts tomorrow."""
    now = _now()
    start, end = now + dt.timedelta(days=1), now + dt.timedelta(days=30)
    return make_server_cert(ca, folder, not_before=start, not_after=end, name="future localhost")


def make_wrong_host_cert(ca: CertFiles, folder: Path) -> CertFiles:
    """A valid certificate from the trusted CA, but for a host name no test connects to."""
    return make_server_cert(ca, folder, hosts=WRONG_HOSTS, name="wrong host")


def make_certificate_set(folder: Path) -> CertificateSet:
    """Write every test certificate into ``folder`` (created if missing)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ca = make_ca(folder)
    unknown_ca = make_ca(folder, name="unknown test CA")
    return CertificateSet(
        ca=ca,
        server=make_server_cert(ca, folder),
        expired=make_expired_cert(ca, folder),
        not_yet_valid=make_not_yet_valid_cert(ca, folder),
        wrong_host=make_wrong_host_cert(ca, folder),
        self_signed=make_self_signed_cert(folder),
        unknown_ca=unknown_ca,
        unknown_ca_server=make_server_cert(unknown_ca, folder, name="unknown-ca localhost"),
        client=make_client_cert(ca, folder),
    )


@functools.cache
def cached_certificate_set(folder: Path) -> CertificateSet:
    """:func:`make_certificate_set`, done once per process and folder."""
    return make_certificate_set(folder)


# --- building blocks ------------------------------------------------------------------------------


def _new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _default_window() -> tuple[dt.datetime, dt.datetime]:
    now = _now()
    return now - _CLOCK_SLACK, now + _VALIDITY


def _window(
    not_before: dt.datetime | None, not_after: dt.datetime | None
) -> tuple[dt.datetime, dt.datetime]:
    default_start, default_end = _default_window()
    return not_before or default_start, not_after or default_end


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "tui-ftp tests"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _stem(name: str) -> str:
    """A file name stem from a certificate name: ``"expired localhost"`` → ``expired-localhost``."""
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")


def _base_builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    not_before: dt.datetime,
    not_after: dt.datetime,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _key_usage(ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _authority_key_id(issuer_key: ec.EllipticCurvePublicKey) -> x509.AuthorityKeyIdentifier:
    return x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key)


def _subject_alt_names(hosts: Sequence[str]) -> x509.SubjectAlternativeName:
    return x509.SubjectAlternativeName([_general_name(host) for host in hosts])


def _general_name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def _leaf_extensions(
    builder: x509.CertificateBuilder,
    usage: x509.ExtendedKeyUsage,
    alt_names: x509.SubjectAlternativeName | None,
) -> x509.CertificateBuilder:
    builder = (
        builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(ca=False), critical=True)
        .add_extension(usage, critical=False)
    )
    if alt_names is not None:
        builder = builder.add_extension(alt_names, critical=False)
    return builder


def _signed_leaf(
    ca: CertFiles,
    folder: Path,
    name: str,
    not_before: dt.datetime,
    not_after: dt.datetime,
    usage: x509.ExtendedKeyUsage,
    alt_names: x509.SubjectAlternativeName | None,
) -> CertFiles:
    ca_cert, ca_key = _load(ca)
    key = _new_key()
    builder = _leaf_extensions(
        _base_builder(_name(name), ca_cert.subject, key.public_key(), not_before, not_after),
        usage,
        alt_names,
    ).add_extension(_authority_key_id(ca_key.public_key()), critical=False)
    certificate = builder.sign(ca_key, hashes.SHA256())
    return _write(folder, _stem(name), certificate, key, ca_path=ca.cert)


def _load(files: CertFiles) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    certificate = x509.load_pem_x509_certificate(files.cert.read_bytes())
    key = serialization.load_pem_private_key(files.key.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise TypeError(f"{files.key} is not an EC private key")
    return certificate, key


def _write(
    folder: Path,
    stem: str,
    certificate: x509.Certificate,
    key: ec.EllipticCurvePrivateKey,
    ca_path: Path,
) -> CertFiles:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cert_pem = certificate.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    paths = CertFiles(
        cert=folder / f"{stem}.pem",
        key=folder / f"{stem}.key",
        pem=folder / f"{stem}-combined.pem",
        ca=Path(ca_path),
        fingerprint=fingerprint_of(certificate),
    )
    paths.cert.write_bytes(cert_pem)
    _write_private(paths.key, key_pem)
    _write_private(paths.pem, cert_pem + key_pem)
    return paths


def _write_private(path: Path, data: bytes) -> None:
    """Write a file holding a private key readable by its owner only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
