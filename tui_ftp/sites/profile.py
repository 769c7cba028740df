"""A saved site: every connection choice, with a label and a help text for the site manager.

The password itself is never part of a profile: ``password_mode`` says where it comes from (the
encrypted vault, a prompt, ``~/.netrc``, or nothing). Optional values use ``""`` or ``0`` for "not
set", so every field has a plain TOML form; :meth:`SiteProfile.to_connect_options` turns them into
the engine's ``None``.
"""

from __future__ import annotations

import enum
import fnmatch
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, NamedTuple

from ..engine.options import (
    CCCMode,
    ConnectOptions,
    DataMode,
    Security,
    ServerType,
    TLSOptions,
    TransferType,
)

TransferMode = Literal["ascii", "binary"]
TRANSFER_MODES: tuple[str, ...] = ("ascii", "binary")
TLS_VERSIONS: tuple[str, ...] = ("1.2", "1.3")
DEFAULT_PARALLEL_TRANSFERS = 2
MAX_PARALLEL_TRANSFERS = 10


class PasswordMode(enum.Enum):
    SAVED = "saved"  # encrypted in the vault under the site's name
    ASK = "ask"  # prompt at every connect
    NETRC = "netrc"  # ~/.netrc entry for the host
    NONE = "none"  # empty password (anonymous, or certificate login)


class Section(enum.Enum):
    """Groups of fields, in the order the site manager shows them."""

    SITE = "Site"
    LOGIN = "Login"
    SECURITY = "Security"
    CERTIFICATES = "Certificates"
    FIREWALL = "Data connection & firewall"
    TIMING = "Timeouts & retries"
    TRANSFERS = "Server & transfers"


class TransferRule(NamedTuple):
    """``*.jcl`` → ascii: files whose name matches the glob travel in that transfer type."""

    pattern: str
    mode: str  # "ascii" | "binary"

    def matches(self, name: str) -> bool:
        """Case-insensitive glob match (z/OS names are upper case, patterns often lower)."""
        return fnmatch.fnmatchcase(name.casefold(), self.pattern.casefold())

    @property
    def transfer_type(self) -> TransferType:
        return TransferType.ASCII if self.mode == "ascii" else TransferType.BINARY


def _field(default: Any, section: Section, label: str, help_text: str, **options: Any) -> Any:
    metadata = {"section": section, "label": label, "help": help_text}
    return field(default=default, metadata=metadata, **options)


_S = Section


@dataclass(frozen=True)
class SiteProfile:
    name: str = _field(
        "", _S.SITE, "Name",
        "What you call this site. Unique in the site list; `tui-ftp connect NAME` uses it and the "
        "saved password is filed under it.",
    )
    folder: str = _field(
        "", _S.SITE, "Folder",
        "Group in the site tree, parts separated by '/', e.g. 'Prod/Mainframes'. Empty = top level.",
    )
    host: str = _field(
        "", _S.SITE, "Host",
        "Host name or IP address of the FTP server, without ftp://. With 'Verify host name' on, it "
        "must be one of the names in the server certificate.",
    )
    port: int = _field(
        0, _S.SITE, "Port",
        "Control connection port. 0 = the standard one: 21, or 990 for implicit TLS (the z/OS "
        "TLSPORT default).",
    )
    notes: str = _field(
        "", _S.SITE, "Notes",
        "Free text for you and your colleagues: LPAR, contacts, change numbers. Not sent anywhere.",
    )
    user: str = _field(
        "anonymous", _S.LOGIN, "User",
        "Login user ID (on z/OS the RACF, ACF2 or Top Secret user ID).",
    )
    password_mode: PasswordMode = _field(
        PasswordMode.ASK, _S.LOGIN, "Password",
        "saved: kept encrypted in the password vault (unlocked with your master password); "
        "ask: prompt at every connect; netrc: read from ~/.netrc for this host; none: send an empty "
        "password (anonymous FTP, or z/OS SECURE_PASSWORD OPTIONAL with a client certificate).",
    )
    account: str = _field(
        "", _S.LOGIN, "Account",
        "Sent with ACCT when the server asks for an account after the password (reply 332). Few "
        "servers need it.",
        repr=False,
    )
    security: Security = _field(
        Security.EXPLICIT_TLS, _S.SECURITY, "Security",
        "explicit-tls: AUTH TLS on the normal port, TLS required before the login (z/OS SECURE_FTP "
        "REQUIRED). explicit-ssl: AUTH SSL, for old servers. implicit: TLS from the first byte, "
        "port 990. implicit-zos: the 220 greeting comes in clear, then TLS, on the implicit port "
        "(z/OS SECUREIMPLICITZOS TRUE, its default). tls-if-available: try AUTH TLS and go on in "
        "CLEAR when refused (like SECURE_FTP ALLOWED: the password may cross the network "
        "unencrypted). plain: no TLS at all, password in clear.",
    )
    ccc: CCCMode = _field(
        CCCMode.OFF, _S.SECURITY, "Clear command channel (CCC)",
        "Drop TLS on the control connection after login so a firewall or NAT device can read and "
        "rewrite PORT/PASV; the data stays encrypted (PROT P). off: keep the control connection "
        "encrypted. notify: RFC 4217 CCC with close_notify (z/OS TLSRFCLEVEL RFC4217, proftpd, "
        "pure-ftpd). no-notify: drop TLS without close_notify (z/OS TLSRFCLEVEL CCCNONOTIFY). "
        "Must match the server or the session hangs until the timeout. z/OS TLSRFCLEVEL DRAFT "
        "(its default) has no CCC, nor has the z/OS implicit port.",
    )
    protect_listings: bool = _field(
        True, _S.SECURITY, "Encrypt listings",
        "PROT P for directory and data set listings (LIST, MLSD, NLST). Off = PROT C: listings "
        "cross the network in clear (z/OS SECURE_DATACONN CLEAR for listings only).",
    )
    protect_transfers: bool = _field(
        True, _S.SECURITY, "Encrypt file transfers",
        "PROT P for file contents (RETR, STOR). Off = PROT C: file data in clear, only the login "
        "and commands are encrypted (z/OS SECURE_DATACONN PRIVATE vs CLEAR).",
    )
    verify_hostname: bool = _field(
        True, _S.CERTIFICATES, "Verify host name",
        "Check that the server certificate names this host. Off = z/OS SECURE_HOSTNAME OPTIONAL: "
        "the certificate chain is still checked, only the name check is skipped.",
    )
    ca_file: str = _field(
        "", _S.CERTIFICATES, "CA file",
        "PEM file with the CA certificate(s) that signed the server certificate, e.g. your "
        "internal CA exported from the z/OS key ring (RACDCERT EXPORT ... FORMAT(CERTB64)). Empty "
        "= the system's trusted CAs.",
    )
    pinned_sha256: str = _field(
        "", _S.CERTIFICATES, "Pinned certificate (SHA-256)",
        "Trust exactly this server certificate, by its SHA-256 fingerprint (64 hex digits, colons "
        "optional), e.g. a self-signed test LPAR certificate. `openssl x509 -noout -fingerprint "
        "-sha256 -in cert.pem` shows it.",
    )
    client_cert: str = _field(
        "", _S.CERTIFICATES, "Client certificate",
        "PEM file with your client certificate, for servers that ask for one (z/OS SECURE_LOGIN "
        "VERIFYUSER or REQUIRED). It may also hold the private key.",
    )
    client_key: str = _field(
        "", _S.CERTIFICATES, "Client key",
        "PEM file with the private key of the client certificate, when it is not in the "
        "certificate file.",
    )
    tls_min_version: str = _field(
        "", _S.CERTIFICATES, "Minimum TLS version",
        "Lowest TLS version to accept: 1.2 or 1.3. Empty = 1.2 (older versions are refused).",
    )
    tls_max_version: str = _field(
        "", _S.CERTIFICATES, "Maximum TLS version",
        "Highest TLS version to offer. 1.2 helps with servers that fail TLS session reuse on TLS "
        "1.3 (data connections refused with 522 or 425).",
    )
    ciphers: str = _field(
        "", _S.CERTIFICATES, "TLS 1.2 ciphers",
        "OpenSSL cipher list for TLS 1.2, e.g. ECDHE+AESGCM. Empty = secure defaults. Only to match "
        "a server with a restricted list (z/OS CIPHERSUITE statements or AT-TLS policy).",
    )
    data_mode: DataMode = _field(
        DataMode.AUTO, _S.FIREWALL, "Data connection",
        "auto: EPSV, falling back to PASV. epsv: extended passive only (z/OS EPSV4 TRUE): the reply "
        "has no address, so NAT cannot break it. pasv: classic passive (227). eprt/port: active, "
        "the server connects back to this machine, so your firewall must let it in (see the "
        "active port range).",
    )
    trust_pasv_address: bool = _field(
        False, _S.FIREWALL, "Trust PASV address",
        "Connect to the address in the 227 reply instead of the control connection's address. Off "
        "by default (like z/OS PASSIVEIGNOREADDR TRUE): a hostile or NATed server can point you at "
        "another host (CVE-2020-8284). On only when the data really comes from a different host.",
    )
    active_port_range: tuple[int, int] | None = _field(
        None, _S.FIREWALL, "Active port range",
        "Local ports to listen on for active (PORT/EPRT) data connections, e.g. 50000-50100, so the "
        "firewall opens just that range. Empty = any free port.",
    )
    source_ip: str = _field(
        "", _S.FIREWALL, "Source address",
        "Local IP address to connect from, when this machine has several interfaces or the "
        "firewall rule allows one source address. Empty = chosen by the system.",
    )
    connect_timeout: float = _field(
        15.0, _S.TIMING, "Connect timeout (s)",
        "Seconds to wait for the TCP connection and the TLS handshake.",
    )
    reply_timeout: float = _field(
        90.0, _S.TIMING, "Reply timeout (s)",
        "Seconds to wait for a server reply. Keep it above 60 for z/OS: while a data set is held "
        "by another job the server is silent up to a minute between its 125 messages (DSWAITTIME). "
        "Every 1xx line restarts the clock.",
    )
    connect_retries: int = _field(
        0, _S.TIMING, "Connect retries",
        "How often to try again when the connection fails, with a growing pause. 0 = no retry.",
    )
    keepalive_seconds: int = _field(
        60, _S.TIMING, "TCP keepalive (s)",
        "TCP keepalive idle time on the control and data connections, so firewalls do not drop "
        "the control connection during a long transfer (z/OS FTPKEEPALIVE / DATAKEEPALIVE). 0 = off.",
    )
    noop_seconds: int = _field(
        0, _S.TIMING, "NOOP when idle (s)",
        "Send NOOP after this many idle seconds, so an idle session survives firewall and server "
        "idle timeouts (z/OS INACTIVE). 0 = off.",
    )
    contention_retries: int = _field(
        0, _S.TIMING, "Busy data set retries",
        "When z/OS answers '550 ... used exclusively by someone else' (the data set is held by "
        "another job), try again this many times. 0 = fail at once. The server-side equivalent is "
        "DSWAITTIME.",
    )
    contention_wait: float = _field(
        60.0, _S.TIMING, "Busy data set wait (s)",
        "Seconds to wait between those retries.",
    )
    server_type: ServerType = _field(
        ServerType.AUTO, _S.TRANSFERS, "Server type",
        "How to read listings and paths. auto: from the SYST reply ('215 MVS is the operating "
        "system...'). mvs: z/OS data sets and PDS members. unix: also z/OS UNIX (HFS/zFS) mode. "
        "windows: IIS-style listings.",
    )
    charset: str = _field(
        "utf-8", _S.TRANSFERS, "Character set",
        "Encoding of file and data set names on the control connection: utf-8, or latin-1 "
        "(ISO-8859-1) for older servers. File contents are not affected.",
    )
    local_folder: str = _field(
        "", _S.TRANSFERS, "Local folder",
        "Local folder to show after connecting. Empty = the current one.",
    )
    remote_folder: str = _field(
        "", _S.TRANSFERS, "Remote folder",
        "Remote folder to open after login: a Unix path, or a z/OS data set prefix in quotes, "
        "e.g. 'USER1.JCL' (quoted = fully qualified). Empty = the login folder.",
    )
    site_commands: tuple[str, ...] = _field(
        (), _S.TRANSFERS, "Commands after login",
        "Full command lines sent after login, one per line, e.g. SITE RECFM=FB LRECL=80 "
        "BLKSIZE=27920 or SITE FILETYPE=SEQ. Like SITE in a z/OS batch job, they last for the "
        "session.",
    )
    transfer_rules: tuple[TransferRule, ...] = _field(
        (), _S.TRANSFERS, "ASCII / binary rules",
        "Which files travel as ASCII (TYPE A: EBCDIC-ASCII translation and line ends per record on "
        "z/OS) or binary (TYPE I: bytes unchanged), by name pattern: *.jcl ascii, *.zip binary. "
        "The first match wins. Without a match: ascii on MVS, binary elsewhere.",
    )
    parallel_transfers: int = _field(
        DEFAULT_PARALLEL_TRANSFERS, _S.TRANSFERS, "Parallel transfers",
        "Files transferred at once, each on its own connection (1-10). Mainframe sites often limit "
        "sessions per user ID; 1 or 2 is safe.",
    )

    def to_connect_options(self, password: str) -> ConnectOptions:
        """The engine's options for this site, with ``password`` (from the vault, a prompt...)."""
        return ConnectOptions(
            host=self.host.strip(),
            port=self.port or None,
            user=self.user or "anonymous",
            password=password,
            account=self.account,
            security=self.security,
            ccc=self.ccc,
            protect_listings=self.protect_listings,
            protect_transfers=self.protect_transfers,
            data_mode=self.data_mode,
            trust_pasv_address=self.trust_pasv_address,
            active_port_range=self.active_port_range,
            source_ip=self.source_ip.strip() or None,
            tls=self.tls_options(),
            connect_timeout=float(self.connect_timeout),
            reply_timeout=float(self.reply_timeout),
            connect_retries=self.connect_retries,
            keepalive_seconds=self.keepalive_seconds or None,
            noop_seconds=self.noop_seconds or None,
            encoding=self.charset,
            server_type=self.server_type,
            contention_retries=self.contention_retries,
            contention_wait=float(self.contention_wait),
            site_commands=tuple(self.site_commands),
        )

    def tls_options(self) -> TLSOptions:
        return TLSOptions(
            ca_file=expand_path(self.ca_file),
            verify_hostname=self.verify_hostname,
            pinned_sha256=self.pinned_sha256.strip() or None,
            client_cert=expand_path(self.client_cert),
            client_key=expand_path(self.client_key),
            min_version=self.tls_min_version or None,
            max_version=self.tls_max_version or None,
            ciphers=self.ciphers.strip() or None,
        )

    def transfer_type_for(self, name: str, detected: ServerType | None = None) -> TransferType:
        """TYPE A or I for a file or data set name: the first matching rule, else by server type.

        ``detected`` is the server type found at login (SYST), used when the profile says auto.
        """
        for rule in self.transfer_rules:
            if rule.matches(name):
                return rule.transfer_type
        server_type = detected if self.server_type is ServerType.AUTO and detected else self.server_type
        return TransferType.ASCII if server_type is ServerType.MVS else TransferType.BINARY

    @property
    def path(self) -> str:
        """``folder/name``: where the site sits in the tree."""
        return f"{self.folder}/{self.name}" if self.folder else self.name


@dataclass(frozen=True)
class FieldInfo:
    """What the site manager needs to show one field."""

    name: str
    label: str
    help: str
    section: Section
    default: Any
    choices: tuple[str, ...] = ()  # allowed values of enum fields, in TOML spelling


def expand_path(text: str) -> str | None:
    """``~/certs/ca.pem`` → an absolute path; ``""`` → None."""
    stripped = text.strip()
    return str(Path(stripped).expanduser()) if stripped else None


def _choices(default: Any) -> tuple[str, ...]:
    if isinstance(default, enum.Enum):
        return tuple(member.value for member in type(default))
    return ()


def _field_infos() -> tuple[FieldInfo, ...]:
    infos = []
    for item in fields(SiteProfile):
        default = item.default if item.default is not MISSING else None
        infos.append(
            FieldInfo(
                name=item.name,
                label=item.metadata["label"],
                help=item.metadata["help"],
                section=item.metadata["section"],
                default=default,
                choices=_choices(default),
            )
        )
    return tuple(infos)


#: Every field of :class:`SiteProfile`, in declaration order.
PROFILE_FIELDS: tuple[FieldInfo, ...] = _field_infos()
#: field name → help text shown in the site manager.
FIELD_HELP: dict[str, str] = {info.name: info.help for info in PROFILE_FIELDS}
#: field name → label shown in the site manager.
FIELD_LABELS: dict[str, str] = {info.name: info.label for info in PROFILE_FIELDS}
