"""Per-connection options: every security, data-connection and timing choice in one frozen record.

Defaults are the secure ones: explicit AUTH TLS required, certificates and host names verified,
PROT P for listings and files, the 227 address ignored.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from urllib.parse import unquote, urlsplit

from .errors import UsageError
from .redaction import remember_secret


class Security(enum.Enum):
    PLAIN = "plain"  # no TLS at all (warned in the UI)
    EXPLICIT_TLS = "explicit-tls"  # AUTH TLS, required
    EXPLICIT_SSL = "explicit-ssl"  # AUTH SSL, required (old servers)
    IMPLICIT = "implicit"  # TLS handshake first (port 990)
    IMPLICIT_CLEAR_GREETING = "implicit-zos"  # 220 in clear, then handshake (z/OS SECUREIMPLICITZOS)
    TLS_IF_AVAILABLE = "tls-if-available"  # AUTH TLS, falls back to clear: an explicit, warned choice

    @property
    def implicit(self) -> bool:
        return self in (Security.IMPLICIT, Security.IMPLICIT_CLEAR_GREETING)

    @property
    def uses_tls(self) -> bool:
        return self is not Security.PLAIN

    @property
    def tls_required(self) -> bool:
        return self not in (Security.PLAIN, Security.TLS_IF_AVAILABLE)


class CCCMode(enum.Enum):
    OFF = "off"
    NOTIFY = "notify"  # RFC 4217: exchange close_notify (proftpd, pure-ftpd, z/OS RFC4217)
    NO_NOTIFY = "no-notify"  # drop TLS without close_notify (z/OS TLSRFCLEVEL CCCNONOTIFY)


class DataMode(enum.Enum):
    AUTO = "auto"  # EPSV, falling back to PASV
    EPSV = "epsv"
    PASV = "pasv"
    EPRT = "eprt"
    PORT = "port"

    @property
    def passive(self) -> bool:
        return self in (DataMode.AUTO, DataMode.EPSV, DataMode.PASV)


class ServerType(enum.Enum):
    AUTO = "auto"
    UNIX = "unix"
    WINDOWS = "windows"
    MVS = "mvs"


class TransferType(enum.Enum):
    BINARY = "I"
    ASCII = "A"


@dataclass(frozen=True)
class TLSOptions:
    ca_file: str | None = None  # None: the system's CAs
    verify_hostname: bool = True  # False = z/OS SECURE_HOSTNAME OPTIONAL (the chain is still checked)
    pinned_sha256: str | None = None  # accept exactly this certificate (hex, colons optional)
    client_cert: str | None = None
    client_key: str | None = None
    min_version: str | None = None  # "1.2" / "1.3"
    max_version: str | None = None
    ciphers: str | None = None


@dataclass(frozen=True)
class ConnectOptions:
    host: str
    port: int | None = None  # None: 21, or 990 for implicit TLS
    user: str = "anonymous"
    password: str = field(default="", repr=False)
    account: str = field(default="", repr=False)
    security: Security = Security.EXPLICIT_TLS
    ccc: CCCMode = CCCMode.OFF
    protect_listings: bool = True  # PROT P for LIST/MLSD/NLST ("SSL listings")
    protect_transfers: bool = True  # PROT P for RETR/STOR ("SSL transfers")
    data_mode: DataMode = DataMode.AUTO
    trust_pasv_address: bool = False  # connect to the 227 address instead of the control peer
    active_port_range: tuple[int, int] | None = None
    source_ip: str | None = None
    tls: TLSOptions = field(default_factory=TLSOptions)
    connect_timeout: float = 15.0
    # Longer than z/OS's 60 s contention interval; 1xx lines restart it anyway.
    reply_timeout: float = 90.0
    connect_retries: int = 0
    retry_backoff: float = 2.0
    keepalive_seconds: int | None = 60  # TCP keepalive idle time (z/OS FTPKEEPALIVE/DATAKEEPALIVE)
    noop_seconds: int | None = None  # NOOP while idle
    encoding: str = "utf-8"
    server_type: ServerType = ServerType.AUTO
    contention_retries: int = 0  # client retries after "550 ... used exclusively" (0 = off, like DSWAITTIME)
    contention_wait: float = 60.0
    site_commands: tuple[str, ...] = ()
    buffer_size: int = 1 << 20

    def __post_init__(self) -> None:
        remember_secret(self.password)
        remember_secret(self.account)

    @property
    def effective_port(self) -> int:
        if self.port:
            return self.port
        return 990 if self.security.implicit else 21

    def with_changes(self, **changes: object) -> "ConnectOptions":
        return replace(self, **changes)  # type: ignore[arg-type]


_SCHEMES = {
    "ftp": Security.PLAIN,
    "ftpes": Security.EXPLICIT_TLS,
    "ftps": Security.IMPLICIT,
}


@dataclass(frozen=True)
class ParsedURL:
    options: ConnectOptions
    path: str  # the remote path (may be a quoted z/OS dataset name), "" for the login folder
    user_given: bool
    password_given: bool


def parse_url(url: str, base: ConnectOptions | None = None) -> ParsedURL:
    """``ftp://`` plain, ``ftpes://`` explicit TLS, ``ftps://`` implicit TLS (port 990).

    A z/OS dataset may follow the host: ``ftp://host/'USER1.PDS(MEM)'`` (quoted = absolute). The
    path is returned without the leading slash when it is quoted, so it reaches the server as typed.
    """
    split = urlsplit(url)
    scheme = split.scheme.lower()
    if scheme not in _SCHEMES:
        raise UsageError(f"unsupported URL scheme {split.scheme!r} (use ftp://, ftpes:// or ftps://)")
    if not split.hostname:
        raise UsageError(f"no host in URL {redact_url(url)!r}")
    try:
        port = split.port
    except ValueError as error:
        raise UsageError(f"bad port in URL {redact_url(url)!r}") from error
    options = base or ConnectOptions(host=split.hostname)
    changes: dict[str, object] = {"host": split.hostname, "security": _SCHEMES[scheme]}
    if port:
        changes["port"] = port
    if split.username is not None:
        changes["user"] = unquote(split.username)
    if split.password is not None:
        changes["password"] = unquote(split.password)
    path = unquote(split.path)
    if path.startswith("/'"):
        path = path[1:]
    elif path == "/":
        path = ""
    return ParsedURL(
        options=replace(options, **changes),  # type: ignore[arg-type]
        path=path,
        user_given=split.username is not None,
        password_given=split.password is not None,
    )


def redact_url(url: str) -> str:
    """The URL with any password replaced by ``****`` (for messages and history)."""
    split = urlsplit(url)
    if split.password is None:
        return url
    user_part, _, host_part = split.netloc.rpartition("@")
    user = user_part.split(":", 1)[0]
    return split._replace(netloc=f"{user}:****@{host_part}").geturl()
