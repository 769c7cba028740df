"""From command line arguments to a logged-in session: URL, saved site, options, password.

:func:`target_from_args` is the one place where arguments become :class:`ConnectOptions`.
Passwords are looked up in the order the documentation gives: the URL, ``--password-env VAR``,
``~/.netrc``, the site's saved password, a prompt (only when stdin is a terminal).
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..engine.errors import CertificateError, LocalFileError, UsageError
from ..engine.events import EventSink
from ..engine.options import CCCMode, ConnectOptions, DataMode, Security, TLSOptions, parse_url
from ..engine.session import FTPSession
from ..engine.tls import normalize_fingerprint
from ..sites import (
    KnownCertificates,
    NetrcError,
    SiteError,
    SiteNotFound,
    SiteProfile,
    SiteStore,
    Vault,
    WrongMasterPassword,
    netrc_credentials,
    password_for,
)
from ..sites.known_certs import CertStatus

ANONYMOUS_USERS = frozenset({"anonymous", "ftp"})
Warn = Callable[[str], None]


@dataclass(frozen=True)
class Target:
    """Where a command goes: the connection and the remote path the URL (or site) named."""

    options: ConnectOptions
    path: str
    profile: SiteProfile | None = None


def target_from_args(args: argparse.Namespace, location: str | None, warn: Warn, *, need_password: bool = True) -> Target:
    """Build the connection for ``location`` (a URL, or with ``--site`` a path) and the options."""
    profile = load_profile(args.site) if args.site else None
    options, path, user_given, password_given = _base_and_path(location, profile)
    options = apply_option_flags(options, args)
    user_given = user_given or bool(args.user)
    if need_password and not password_given:
        options = _with_password(options, profile, args, user_given, warn)
    return Target(options, path, profile)


def load_profile(name: str) -> SiteProfile:
    try:
        return SiteStore().get(name)
    except SiteNotFound:
        raise UsageError(f"no saved site named {name!r} (the site manager of the TUI lists them)") from None
    except SiteError as error:
        raise LocalFileError(f"cannot read the saved sites: {error}") from error


def _base_and_path(location: str | None, profile: SiteProfile | None) -> tuple[ConnectOptions, str, bool, bool]:
    base = profile.to_connect_options("") if profile else None
    if location and "://" in location:
        parsed = parse_url(location, base)
        return parsed.options, parsed.path, parsed.user_given, parsed.password_given
    if base is None or profile is None:
        wanted = f"got {location!r}" if location else "none given"
        raise UsageError(f"a URL is required, such as ftpes://user@host/path ({wanted}); or use --site NAME")
    return base, location or profile.remote_folder, False, False


# -- options --------------------------------------------------------------------------------------


def apply_option_flags(options: ConnectOptions, args: argparse.Namespace) -> ConnectOptions:
    """Every connection flag of the command line, applied over the URL's (or site's) options."""
    changes: dict[str, object] = {}
    if args.user:
        changes["user"] = args.user
    changes.update(_security_changes(options, args))
    changes.update(_data_changes(args))
    changes.update(_timing_changes(args))
    if args.site_cmd:
        changes["site_commands"] = options.site_commands + tuple(text.strip() for text in args.site_cmd)
    return options.with_changes(tls=_tls_options(options.tls, args), **changes)


def _security_changes(options: ConnectOptions, args: argparse.Namespace) -> dict[str, object]:
    changes: dict[str, object] = {}
    if args.auth and args.zos_implicit:
        raise UsageError("--auth (explicit TLS) and --zos-implicit (implicit TLS) exclude each other")
    if args.auth:
        if options.security.implicit:
            raise UsageError("--auth is for explicit TLS (ftpes:// or ftp://), not implicit ftps://")
        changes["security"] = Security.EXPLICIT_SSL if args.auth == "ssl" else Security.EXPLICIT_TLS
    if args.zos_implicit:
        changes["security"] = Security.IMPLICIT_CLEAR_GREETING
    if args.ccc:
        changes["ccc"] = CCCMode.NO_NOTIFY if args.ccc == "nonotify" else CCCMode.NOTIFY
    if args.clear_listings:
        changes["protect_listings"] = False
    if args.clear_data:
        changes["protect_transfers"] = False
    return changes


def _tls_options(tls: TLSOptions, args: argparse.Namespace) -> TLSOptions:
    changes: dict[str, object] = {}
    if args.ca_file:
        changes["ca_file"] = _existing_file(args.ca_file, "--ca-file")
    if args.fingerprint:
        changes["pinned_sha256"] = normalize_fingerprint(args.fingerprint)
    if args.no_verify_hostname:
        changes["verify_hostname"] = False
    if args.cert:
        changes["client_cert"] = _existing_file(args.cert, "--cert")
    if args.key:
        changes["client_key"] = _existing_file(args.key, "--key")
    if args.tls_min:
        changes["min_version"] = args.tls_min
    if args.tls_max:
        changes["max_version"] = args.tls_max
    if args.tls_min and args.tls_max and args.tls_min > args.tls_max:
        raise UsageError(f"--tls-min {args.tls_min} is above --tls-max {args.tls_max}")
    return dataclasses.replace(tls, **changes)  # type: ignore[arg-type]


def _data_changes(args: argparse.Namespace) -> dict[str, object]:
    changes: dict[str, object] = {}
    if args.active:
        changes["data_mode"] = DataMode.PORT if args.no_epsv else DataMode.EPRT
    elif args.no_epsv:
        changes["data_mode"] = DataMode.PASV
    if args.trust_pasv_ip:
        changes["trust_pasv_address"] = True
    if args.port_range:
        changes["active_port_range"] = parse_port_range(args.port_range)
    if args.source_ip:
        changes["source_ip"] = args.source_ip
    return changes


def _timing_changes(args: argparse.Namespace) -> dict[str, object]:
    changes: dict[str, object] = {}
    for name, value in (
        ("keepalive", args.keepalive),
        ("noop", args.noop),
        ("retries", args.retries),
        ("contention-retries", args.contention_retries),
    ):
        if value is not None and value < 0:
            raise UsageError(f"--{name} cannot be negative")
    if args.keepalive is not None:
        changes["keepalive_seconds"] = args.keepalive or None
    if args.noop is not None:
        changes["noop_seconds"] = args.noop or None
    if args.timeout is not None:
        if args.timeout <= 0:
            raise UsageError("--timeout must be more than 0 seconds")
        changes["connect_timeout"] = changes["reply_timeout"] = args.timeout
    if args.retries is not None:
        changes["connect_retries"] = args.retries
    if args.contention_retries is not None:
        changes["contention_retries"] = args.contention_retries
    if args.contention_wait is not None:
        changes["contention_wait"] = max(0.0, args.contention_wait)
    return changes


def parse_port_range(text: str) -> tuple[int, int]:
    """``50000-50100`` → (50000, 50100)."""
    low, separator, high = text.partition("-")
    try:
        first, last = int(low), int(high)
    except ValueError:
        raise UsageError(f"--port-range needs LO-HI, e.g. 50000-50100 (got {text!r})") from None
    if not separator or not 1024 <= first <= last <= 65535:
        raise UsageError(f"--port-range needs 1024 <= LO <= HI <= 65535 (got {text!r})")
    return first, last


def _existing_file(text: str, option: str) -> str:
    path = Path(text).expanduser()
    if not path.is_file():
        raise UsageError(f"{option} {text}: no such file")
    return str(path)


# -- passwords ------------------------------------------------------------------------------------


def _with_password(
    options: ConnectOptions, profile: SiteProfile | None, args: argparse.Namespace, user_given: bool, warn: Warn
) -> ConnectOptions:
    if args.password_env:
        if args.password_env not in os.environ:
            raise UsageError(f"--password-env {args.password_env}: that environment variable is not set")
        return options.with_changes(password=os.environ[args.password_env])
    from_netrc = _netrc_login(options, user_given or profile is not None, warn)
    if from_netrc is not None:
        return from_netrc
    if profile is not None:
        saved = _site_password(profile, warn)
        if saved is not None:
            return options.with_changes(password=saved)
    if options.user in ANONYMOUS_USERS and profile is None:
        return options
    return options.with_changes(password=_prompt(f"Password for {options.user}@{options.host}: ", options))


def _netrc_login(options: ConnectOptions, user_fixed: bool, warn: Warn) -> ConnectOptions | None:
    """The ``~/.netrc`` entry for the host (for the given user, when one was given)."""
    try:
        found = netrc_credentials(options.host, options.user if user_fixed else None)
    except NetrcError as error:
        warn(f"ignoring {error}")
        return None
    if found is None or not found.password:
        return None
    return options.with_changes(
        user=found.login or options.user, password=found.password, account=found.account or options.account
    )


def _site_password(profile: SiteProfile, warn: Warn) -> str | None:
    """The saved site's password (vault, none, netrc); the vault is unlocked by a prompt if needed."""
    vault = Vault()
    lookup = password_for(profile, vault)
    if lookup.needs_prompt and vault.exists and not vault.is_unlocked and interactive():
        try:
            vault.unlock(getpass.getpass("Master password of the tui-ftp password vault: "))
        except WrongMasterPassword:
            raise UsageError("wrong master password for the password vault") from None
        lookup = password_for(profile, vault)
    return lookup.password


def _prompt(text: str, options: ConnectOptions) -> str:
    if not interactive():
        raise UsageError(
            f"no password for {options.user}@{options.host}: put it in the URL, use --password-env VAR "
            "or ~/.netrc, or run on a terminal to be asked"
        )
    return getpass.getpass(text)


def interactive() -> bool:
    """A prompt is allowed only when a person can answer it."""
    return sys.stdin is not None and sys.stdin.isatty()


# -- connecting -----------------------------------------------------------------------------------


def open_session(options: ConnectOptions, sink: EventSink, warn: Warn) -> FTPSession:
    """Connect and log in. A certificate refused by the chain check but pinned in the TUI is accepted."""
    session = FTPSession(options, sink)
    try:
        session.connect()
        return session
    except CertificateError as error:
        pinned = _pinned_in_known_certificates(options, error, warn)
        if pinned is None:
            raise
    session = FTPSession(options.with_changes(tls=dataclasses.replace(options.tls, pinned_sha256=pinned)), sink)
    session.connect()
    return session


def _pinned_in_known_certificates(options: ConnectOptions, error: CertificateError, warn: Warn) -> str | None:
    certificate = error.certificate
    if certificate is None or options.tls.pinned_sha256:
        return None
    try:
        status = KnownCertificates().check(options.host, options.effective_port, certificate.sha256)
    except (SiteError, ValueError) as problem:
        warn(f"ignoring the trusted certificates file: {problem}")
        return None
    if status is CertStatus.CHANGED:
        warn(f"the certificate of {options.host}:{options.effective_port} CHANGED since you trusted it")
    return str(certificate.sha256) if status is CertStatus.TRUSTED else None
