"""Checks a profile before it is saved or used, with messages an operator can act on.

``validate(profile)`` returns problems instead of raising, so the site manager can show all of
them next to their fields at once. ``severity="warning"`` marks choices that work but weaken
security or are known to misbehave (plain FTP, hostname check off, short z/OS reply timeout).
"""

from __future__ import annotations

import codecs
import ipaddress
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..engine.options import CCCMode, Security, ServerType
from .known_certs import normalize_fingerprint
from .profile import MAX_PARALLEL_TRANSFERS, TLS_VERSIONS, TRANSFER_MODES, SiteProfile, expand_path

Severity = Literal["error", "warning"]
#: z/OS sends its contention 125 replies about once a minute (DSWAITTIME interval).
ZOS_CONTENTION_INTERVAL = 60.0


@dataclass(frozen=True)
class ValidationProblem:
    field: str  # the SiteProfile field to highlight
    message: str
    severity: Severity = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


Problems = Iterator[ValidationProblem]


def validate(profile: SiteProfile) -> list[ValidationProblem]:
    """Every problem of ``profile``, errors and warnings, in field order."""
    return [problem for check in _CHECKS for problem in check(profile)]


def errors_of(profile: SiteProfile) -> list[ValidationProblem]:
    """Only the problems that make the profile unusable."""
    return [problem for problem in validate(profile) if problem.is_error]


def _error(field: str, message: str) -> ValidationProblem:
    return ValidationProblem(field, message)


def _warning(field: str, message: str) -> ValidationProblem:
    return ValidationProblem(field, message, "warning")


def _check_identity(profile: SiteProfile) -> Problems:
    if not profile.name.strip():
        yield _error("name", "the site needs a name")
    host = profile.host.strip()
    if not host:
        yield _error("host", "enter the server's host name or IP address")
    elif "://" in host or "/" in host:
        yield _error("host", f"enter only the host name, without ftp:// or a path: {host!r}")
    elif any(char.isspace() for char in host):
        yield _error("host", f"a host name has no spaces: {host!r}")
    if not 0 <= profile.port <= 65535:
        yield _error("port", f"port {profile.port} is out of range (1-65535, or 0 for the standard port)")


def _check_login(profile: SiteProfile) -> Problems:
    for name in ("user", "account"):
        if _has_line_break(getattr(profile, name)):
            yield _error(name, "must not contain line breaks or NUL characters")


def _check_security(profile: SiteProfile) -> Problems:
    if profile.security is Security.PLAIN:
        yield _warning("security", "plain FTP: the password and all data cross the network unencrypted")
    elif profile.security is Security.TLS_IF_AVAILABLE:
        yield _warning("security", "if the server refuses AUTH TLS, the password is sent in clear")
    if profile.ccc is not CCCMode.OFF:
        yield from _check_ccc(profile)
    if profile.security.uses_tls and not profile.protect_transfers:
        yield _warning("protect_transfers", "file contents will cross the network unencrypted (PROT C)")


def _check_ccc(profile: SiteProfile) -> Problems:
    if not profile.security.uses_tls:
        yield _error("ccc", "CCC clears TLS on the control connection: it needs a TLS security mode")
    elif profile.security is Security.IMPLICIT_CLEAR_GREETING:
        yield _error("ccc", "z/OS does not support CCC on its implicit TLS port")
    elif profile.security is Security.TLS_IF_AVAILABLE:
        yield _warning("ccc", "CCC is only sent when the server accepted AUTH TLS")


def _check_certificates(profile: SiteProfile) -> Problems:
    for name in ("ca_file", "client_cert", "client_key"):
        yield from _check_file(name, getattr(profile, name))
    if profile.client_key.strip() and not profile.client_cert.strip():
        yield _error("client_key", "a client key needs its client certificate file")
    if profile.pinned_sha256.strip():
        yield from _check_fingerprint(profile.pinned_sha256)
    if not profile.verify_hostname and profile.security.uses_tls:
        yield _warning("verify_hostname", "the certificate may name another host (SECURE_HOSTNAME OPTIONAL)")
    yield from _check_tls_versions(profile)
    if profile.ciphers.strip():
        yield from _check_ciphers(profile.ciphers)


def _check_file(name: str, text: str) -> Problems:
    path = expand_path(text)
    if path is None:
        return
    if not Path(path).is_file():
        yield _error(name, f"file not found: {path}")


def _check_fingerprint(text: str) -> Problems:
    try:
        normalize_fingerprint(text)
    except ValueError as error:
        yield _error("pinned_sha256", str(error))


def _check_tls_versions(profile: SiteProfile) -> Problems:
    low, high = profile.tls_min_version, profile.tls_max_version
    for name, value in (("tls_min_version", low), ("tls_max_version", high)):
        if value and value not in TLS_VERSIONS:
            yield _error(name, f"unknown TLS version {value!r} (use {' or '.join(TLS_VERSIONS)}, or leave empty)")
    if low in TLS_VERSIONS and high in TLS_VERSIONS and low > high:
        yield _error("tls_max_version", f"maximum TLS {high} is below the minimum TLS {low}")


def _check_ciphers(ciphers: str) -> Problems:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    try:
        context.set_ciphers(ciphers.strip())
    except ssl.SSLError:
        yield _error("ciphers", f"OpenSSL knows no cipher in {ciphers.strip()!r}")


def _check_data_connection(profile: SiteProfile) -> Problems:
    if profile.active_port_range is not None:
        yield from _check_port_range(profile.active_port_range)
    if profile.source_ip.strip():
        try:
            ipaddress.ip_address(profile.source_ip.strip())
        except ValueError:
            yield _error("source_ip", f"not an IP address: {profile.source_ip.strip()!r}")
    if profile.trust_pasv_address:
        yield _warning("trust_pasv_address", "the server can direct data connections to any host")


def _check_port_range(port_range: tuple[int, int]) -> Problems:
    low, high = port_range
    if not (1 <= low <= 65535 and 1 <= high <= 65535):
        yield _error("active_port_range", f"ports must be between 1 and 65535, got {low}-{high}")
    elif low > high:
        yield _error("active_port_range", f"the range starts above its end: {low}-{high}")


def _check_timing(profile: SiteProfile) -> Problems:
    for name in ("connect_timeout", "reply_timeout"):
        if getattr(profile, name) <= 0:
            yield _error(name, "must be more than 0 seconds")
    for name in ("connect_retries", "keepalive_seconds", "noop_seconds", "contention_retries"):
        if getattr(profile, name) < 0:
            yield _error(name, "must be 0 or more")
    if profile.contention_wait < 0:
        yield _error("contention_wait", "must be 0 or more seconds")
    if profile.server_type is ServerType.MVS and 0 < profile.reply_timeout < ZOS_CONTENTION_INTERVAL:
        yield _warning(
            "reply_timeout",
            f"z/OS may stay silent {ZOS_CONTENTION_INTERVAL:.0f} s while a data set is busy; "
            f"{profile.reply_timeout:g} s will give up before it answers",
        )


def _check_transfers(profile: SiteProfile) -> Problems:
    try:
        codecs.lookup(profile.charset)
    except LookupError:
        yield _error("charset", f"unknown character set {profile.charset!r}")
    if not 1 <= profile.parallel_transfers <= MAX_PARALLEL_TRANSFERS:
        yield _error("parallel_transfers", f"must be between 1 and {MAX_PARALLEL_TRANSFERS}")
    for command in profile.site_commands:
        if not command.strip() or _has_line_break(command):
            yield _error("site_commands", f"each command is one non-empty line: {command!r}")
    for rule in profile.transfer_rules:
        if not rule.pattern.strip():
            yield _error("transfer_rules", "a rule needs a name pattern, e.g. *.jcl")
        if rule.mode not in TRANSFER_MODES:
            yield _error("transfer_rules", f"rule {rule.pattern!r}: mode must be ascii or binary")
    if _has_line_break(profile.remote_folder):
        yield _error("remote_folder", "must not contain line breaks or NUL characters")
    yield from _check_local_folder(profile.local_folder)


def _check_local_folder(text: str) -> Problems:
    path = expand_path(text)
    if path is not None and not Path(path).is_dir():
        yield _warning("local_folder", f"folder not found: {path}")


def _has_line_break(text: str) -> bool:
    return any(char in text for char in "\r\n\0")


_CHECKS: tuple[Callable[[SiteProfile], Problems], ...] = (
    _check_identity,
    _check_login,
    _check_security,
    _check_certificates,
    _check_data_connection,
    _check_timing,
    _check_transfers,
)
