"""TLS contexts, certificate facts and the security state shown to the user.

Verification is on by default (system CAs or a given CA file, host name checked). A pinned SHA-256
fingerprint replaces chain verification with an exact match: it is how a self-signed server is trusted
after the user saw its certificate, and any other certificate for that site is refused loudly.
"""

from __future__ import annotations

import hashlib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .errors import CertificateError, TLSError, UsageError
from .options import Security, TLSOptions

_TLS_VERSIONS = {"1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}

# OpenSSL X509_V_ERR_* codes → the reason shown to the user.
_VERIFY_REASONS = {
    9: "certificate is not yet valid",
    10: "certificate has expired",
    18: "self-signed certificate",
    19: "self-signed certificate in the chain",
    20: "certificate issued by an unknown CA",
    21: "certificate issued by an unknown CA",
    62: "host name does not match the certificate",
    64: "IP address does not match the certificate",
}


def normalize_fingerprint(text: str) -> str:
    """``AB:CD:..`` or ``abcd..`` (optionally ``sha256:``-prefixed) → 64 lowercase hex digits."""
    cleaned = text.strip().lower().removeprefix("sha256:").replace(":", "").replace(" ", "")
    if len(cleaned) != 64 or any(char not in "0123456789abcdef" for char in cleaned):
        raise UsageError(f"not a SHA-256 fingerprint: {text!r}")
    return cleaned


def sha256_fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def colon_fingerprint(hex_digest: str) -> str:
    """``abcd...`` → ``AB:CD:...`` (how browsers and FileZilla show it)."""
    return ":".join(hex_digest[index : index + 2] for index in range(0, len(hex_digest), 2)).upper()


@dataclass(frozen=True)
class CertificateInfo:
    """What the user needs to decide whether to trust a certificate."""

    subject: str
    issuer: str
    not_before: datetime
    not_after: datetime
    sha256: str  # lowercase hex, no colons
    serial: int
    alt_names: tuple[str, ...] = ()
    self_signed: bool = False

    @classmethod
    def from_der(cls, der: bytes) -> "CertificateInfo":
        from cryptography import x509  # here, not at import: ~25 ms off every start-up

        cert = x509.load_der_x509_certificate(der)
        try:
            san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            alt_names = tuple(str(name.value) for name in san)
        except x509.ExtensionNotFound:
            alt_names = ()
        return cls(
            subject=cert.subject.rfc4514_string(),
            issuer=cert.issuer.rfc4514_string(),
            not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc,
            sha256=sha256_fingerprint(der),
            serial=cert.serial_number,
            alt_names=alt_names,
            self_signed=cert.issuer == cert.subject,
        )

    @property
    def common_name(self) -> str:
        from cryptography import x509
        from cryptography.x509.oid import NameOID

        cert_name = x509.Name.from_rfc4514_string(self.subject)
        values = cert_name.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(values[0].value) if values else ""

    @property
    def fingerprint(self) -> str:
        return colon_fingerprint(self.sha256)

    def is_valid_at(self, when: datetime | None = None) -> bool:
        moment = when or datetime.now(timezone.utc)
        return self.not_before <= moment <= self.not_after


@dataclass(frozen=True)
class SecurityInfo:
    """The connection's security at a glance (the status bar shows this)."""

    mode: Security
    tls_version: str | None = None
    cipher: str | None = None
    certificate: CertificateInfo | None = None
    trust: str = "none"  # "verified" (CA chain + host), "chain-only" (host name not checked), "pinned", "none"
    prot_listings: str = "C"
    prot_transfers: str = "C"
    ccc: bool = False  # control channel cleared
    data_resumed: bool | None = None  # last data connection resumed the control session
    warnings: tuple[str, ...] = field(default=())

    @property
    def encrypted(self) -> bool:
        return self.tls_version is not None


def build_context(options: TLSOptions) -> ssl.SSLContext:
    """An SSLContext for the control AND data connections (reuse needs the same context)."""
    try:
        context = ssl.create_default_context(cafile=options.ca_file)
    except (OSError, ssl.SSLError) as error:
        raise TLSError(f"cannot load CA file {options.ca_file!r}: {error}") from error
    if options.pinned_sha256:
        normalize_fingerprint(options.pinned_sha256)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the exact fingerprint is checked after the handshake
    elif not options.verify_hostname:
        context.check_hostname = False  # z/OS SECURE_HOSTNAME OPTIONAL: the chain is still verified
    _apply_versions(context, options)
    if options.ciphers:
        try:
            context.set_ciphers(options.ciphers)
        except ssl.SSLError as error:
            raise UsageError(f"bad cipher string {options.ciphers!r}: {error}") from error
    if options.client_cert:
        try:
            context.load_cert_chain(options.client_cert, options.client_key)
        except (OSError, ssl.SSLError) as error:
            raise TLSError(f"cannot load client certificate {options.client_cert!r}: {error}") from error
    return context


def probe_context() -> ssl.SSLContext:
    """A context that accepts anything: used only to fetch a rejected certificate for display."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _apply_versions(context: ssl.SSLContext, options: TLSOptions) -> None:
    for attribute, value in (("minimum_version", options.min_version), ("maximum_version", options.max_version)):
        if value is None:
            continue
        if value not in _TLS_VERSIONS:
            raise UsageError(f"unsupported TLS version {value!r} (use 1.2 or 1.3)")
        setattr(context, attribute, _TLS_VERSIONS[value])
    if context.minimum_version < ssl.TLSVersion.TLSv1_2:
        context.minimum_version = ssl.TLSVersion.TLSv1_2


def certificate_of(sock: ssl.SSLSocket) -> CertificateInfo | None:
    der = sock.getpeercert(binary_form=True)
    return CertificateInfo.from_der(der) if der else None


def check_pin(certificate: CertificateInfo | None, options: TLSOptions) -> None:
    """With a pin, the presented certificate must be exactly that one."""
    if not options.pinned_sha256:
        return
    if certificate is None:
        raise CertificateError("the server presented no certificate")
    if certificate.sha256 != normalize_fingerprint(options.pinned_sha256):
        raise CertificateError(
            "certificate changed since it was pinned",
            certificate,
            f"expected {colon_fingerprint(normalize_fingerprint(options.pinned_sha256))}, got {certificate.fingerprint}",
        )


def trust_level(options: TLSOptions) -> str:
    if options.pinned_sha256:
        return "pinned"
    return "verified" if options.verify_hostname else "chain-only"


def certificate_error_from(error: ssl.SSLCertVerificationError) -> CertificateError:
    """Turn OpenSSL's verification failure into a reason a person understands."""
    reason = _VERIFY_REASONS.get(error.verify_code, error.verify_message or "certificate verification failed")
    return CertificateError(reason, None, error.verify_message or str(error))
