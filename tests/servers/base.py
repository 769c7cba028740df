"""What every test server shares: the record a fixture yields, options, ports, processes, readiness."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from tui_ftp.demo.certs import CertFiles
from tui_ftp.engine.options import ConnectOptions, Security, TLSOptions

PASSWORD = "tui-ftp-Test-pw-1"
"""The password of every test login (pyftpdlib's ``alice`` and the Unix user ``tuiftp``)."""

SAMPLE_FILES: Mapping[str, bytes] = {
    "hello.txt": b"Hello from the tui-ftp test server.\n",
    "data.bin": hashlib.shake_256(b"tui-ftp sample data").digest(200_000),
    "sub/nested.txt": b"A file one folder down.\n",
}
"""Files every server's home starts with (relative path → bytes)."""

TLSVersion = Literal["1.2", "1.3"]
ALL_TLS_VERSIONS: tuple[TLSVersion, ...] = ("1.2", "1.3")

_PORT_RANGE = (20_000, 32_000)  # below Linux's ephemeral range, so outgoing sockets never take them
_START_TIMEOUT = 15.0


class ServerUnavailable(RuntimeError):
    """A server could not be found, installed or started (the message says why, with its logs)."""


@dataclass(frozen=True)
class ServerOptions:
    """How to start a server. Not every server supports every option (each start function checks)."""

    host: str = "127.0.0.1"
    certs: CertFiles | None = None  # None: plain FTP only
    implicit: bool = False  # TLS handshake before the greeting, on its own port
    tls_required: bool = False  # refuse plain login and plain data connections
    reuse_required: bool = True  # data TLS must resume the control session (vsftpd, proftpd)
    tls_max: TLSVersion | None = None  # "1.2" pins the server to TLS 1.2

    def __post_init__(self) -> None:
        if self.certs is None and (self.implicit or self.tls_required or self.tls_max):
            raise ValueError("implicit, tls_required and tls_max need certificates (certs=...)")


@dataclass(frozen=True)
class RunningServer:
    """A live server on loopback, as a fixture yields it.

    ``home`` is the local folder the server shows as ``/`` after login, so tests can check bytes on
    disk. ``ca_file`` verifies its certificate, whose SHA-256 (lowercase hex) is ``fingerprint``.
    The flags say what this server and mode support.
    """

    software: str  # "pyftpdlib", "vsftpd", "proftpd", "pure-ftpd"
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    home: Path
    ca_file: Path | None
    fingerprint: str | None
    log_dir: Path
    tls: bool = False  # AUTH TLS (or implicit TLS) offered
    implicit: bool = False
    tls_required: bool = False
    ccc: bool = False
    mlsd: bool = False
    reuse_required: bool = False
    tls_versions: tuple[TLSVersion, ...] = ()
    home_owner: tuple[int, int] | None = None  # (uid, gid) the server's files belong to
    _stop: Callable[[], None] = field(default=lambda: None, repr=False, compare=False)

    @property
    def url(self) -> str:
        scheme = "ftps" if self.implicit else ("ftpes" if self.tls else "ftp")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"

    def connect_options(self, security: Security | None = None, **changes: object) -> ConnectOptions:
        """Engine options for this server: its address, login, CA file and natural security mode."""
        options = ConnectOptions(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            security=security or self._natural_security(),
            tls=TLSOptions(ca_file=str(self.ca_file) if self.ca_file else None),
        )
        return options.with_changes(**changes) if changes else options

    def write_file(self, relative: str, data: bytes) -> Path:
        """Create a file (and its folders) in the served home, owned like the server's own files."""
        path = self.home / relative
        self._make_owned_dirs(path.parent)
        path.write_bytes(data)
        self._own(path)
        return path

    def stop(self) -> None:
        self._stop()

    def _natural_security(self) -> Security:
        if self.implicit:
            return Security.IMPLICIT
        return Security.EXPLICIT_TLS if self.tls else Security.PLAIN

    def _make_owned_dirs(self, folder: Path) -> None:
        missing = [p for p in (folder, *folder.parents) if not p.exists()]
        folder.mkdir(parents=True, exist_ok=True)
        for path in missing:
            self._own(path)

    def _own(self, path: Path) -> None:
        if self.home_owner is not None:
            os.chown(path, *self.home_owner)


def fill_home(home: Path, owner: tuple[int, int] | None = None) -> None:
    """Write :data:`SAMPLE_FILES` into ``home`` (owned by ``owner`` when given)."""
    for relative, data in SAMPLE_FILES.items():
        path = home / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if owner is not None:
        for path in (home, *home.rglob("*")):
            os.chown(path, *owner)


# --- ports ----------------------------------------------------------------------------------------


def free_port_range(host: str, count: int = 1) -> tuple[int, int]:
    """A random run of ``count`` consecutive ports on ``host`` that can be bound right now."""
    low, high = _PORT_RANGE
    for _ in range(200):
        first = random.randrange(low, high - count)
        if all(_can_bind(host, port) for port in range(first, first + count)):
            return first, first + count - 1
    raise ServerUnavailable(f"no {count} free consecutive ports on {host}")


def free_port(host: str) -> int:
    return free_port_range(host, 1)[0]


def _can_bind(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


# --- processes ------------------------------------------------------------------------------------


class Daemon:
    """A server process started by a fixture: its own process group, its output in ``log_dir``."""

    def __init__(
        self, name: str, argv: Sequence[str], log_dir: Path, env: Mapping[str, str] | None = None
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.log_dir = log_dir
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with open(self.log_dir / f"{self.name}.out.log", "wb") as output:  # the child keeps its copy
            self.process = subprocess.Popen(
                self.argv,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                env=self.env,
                start_new_session=True,
            )

    def exit_status(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """SIGTERM the process group (the daemon and its session children), SIGKILL if it lingers."""
        if self.process is None:
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.process.wait(timeout=5)

    def _signal_group(self, number: signal.Signals) -> None:
        assert self.process is not None
        try:
            os.killpg(self.process.pid, number)
        except ProcessLookupError:
            pass

    def failure(self, reason: str) -> ServerUnavailable:
        """An error carrying ``reason``, the command line and every log the server wrote."""
        command = " ".join(self.argv)
        return ServerUnavailable(f"{self.name}: {reason}\ncommand: {command}\n{collect_logs(self.log_dir)}")


def collect_logs(log_dir: Path, limit: int = 6000) -> str:
    """The tails of every file in ``log_dir`` whose name ends in ``.log``."""
    parts = []
    for path in sorted(log_dir.glob("*.log")):
        text = path.read_text(errors="replace")
        parts.append(f"--- {path.name} ---\n{text[-limit:]}")
    return "\n".join(parts) or "(no logs)"


def wait_until_ready(
    host: str,
    port: int,
    implicit_context: ssl.SSLContext | None,
    daemon: Daemon | None = None,
    timeout: float = _START_TIMEOUT,
) -> str:
    """Connect until the server greets with 220 (after a TLS handshake when implicit); return it."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if daemon is not None and not daemon.running():
            raise daemon.failure(f"exited with status {daemon.exit_status()}")
        try:
            return _read_greeting(host, port, implicit_context)
        except (OSError, ValueError) as error:
            last_error = error
            time.sleep(0.02)
    message = f"no 220 greeting on {host} port {port} within {timeout:.0f} s ({last_error})"
    raise daemon.failure(message) if daemon else ServerUnavailable(message)


def _read_greeting(host: str, port: int, implicit_context: ssl.SSLContext | None) -> str:
    raw = socket.create_connection((host, port), timeout=5)
    try:
        sock = implicit_context.wrap_socket(raw, server_hostname=host) if implicit_context else raw
    except BaseException:
        raw.close()
        raise
    with sock:
        greeting = _read_reply(sock)
    if not greeting.startswith("220"):
        raise ValueError(f"unexpected greeting {greeting!r}")
    return greeting


def _read_reply(sock: socket.socket) -> str:
    """Read one (possibly multi-line) FTP reply."""
    with sock.makefile("rb") as stream:
        first = stream.readline().decode("utf-8", "replace")
        lines = [first]
        if first[3:4] == "-":
            while not (lines[-1][:3] == first[:3] and lines[-1][3:4] == " "):
                line = stream.readline().decode("utf-8", "replace")
                if not line:
                    break
                lines.append(line)
    return "".join(lines)


def client_context(ca_file: Path, tls_max: TLSVersion | None = None) -> ssl.SSLContext:
    """A verifying client context that trusts ``ca_file`` (used for readiness and smoke tests)."""
    context = ssl.create_default_context(cafile=str(ca_file))
    if tls_max == "1.2":
        context.maximum_version = ssl.TLSVersion.TLSv1_2
    return context


def openssl_config(folder: Path, tls_max: TLSVersion | None) -> dict[str, str]:
    """Environment that pins an OpenSSL-based daemon to ``tls_max`` (empty when not pinned).

    vsftpd 3.0.3 has no directive for TLS 1.2/1.3 (only ``ssl_tlsv1`` for 1.0), but it and the
    other daemons read OpenSSL's configuration at start, whose ``MaxProtocol`` does the job.
    """
    if tls_max is None:
        return {}
    path = folder / "openssl.cnf"
    path.write_text(
        "openssl_conf = openssl_init\n[openssl_init]\nssl_conf = ssl_sect\n"
        "[ssl_sect]\nsystem_default = system_default_sect\n"
        f"[system_default_sect]\nMinProtocol = TLSv1.2\nMaxProtocol = TLSv{tls_max}\n"
    )
    return {"OPENSSL_CONF": str(path)}


def launch(daemon: Daemon, options: ServerOptions, port: int, served: Path) -> Callable[[], None]:
    """Start ``daemon`` and wait for its greeting; return what stops it and removes ``served``.

    On failure the daemon is stopped and the folder removed before the error propagates.
    """

    def stop() -> None:
        daemon.stop()
        remove_tree(served)

    daemon.start()
    try:
        wait_until_ready(options.host, port, _greeting_context() if options.implicit else None, daemon)
    except BaseException:
        stop()
        raise
    return stop


def _greeting_context() -> ssl.SSLContext:
    """Readiness only needs the 220, even from a server given a broken certificate on purpose."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def server_record(
    software: str,
    options: ServerOptions,
    *,
    port: int,
    user: str,
    home: Path,
    log_dir: Path,
    stop: Callable[[], None],
    home_owner: tuple[int, int] | None = None,
    **flags: bool,
) -> RunningServer:
    """The :class:`RunningServer` for a started server; TLS fields come from ``options``."""
    certs = options.certs
    return RunningServer(
        software=software,
        host=options.host,
        port=port,
        user=user,
        password=PASSWORD,
        home=home,
        ca_file=certs.ca if certs else None,
        fingerprint=certs.fingerprint if certs else None,
        log_dir=log_dir,
        tls=certs is not None,
        implicit=options.implicit,
        tls_versions=tls_versions(options),
        home_owner=home_owner,
        _stop=stop,
        **flags,
    )


def tls_versions(options: ServerOptions) -> tuple[TLSVersion, ...]:
    if options.certs is None:
        return ()
    return ("1.2",) if options.tls_max == "1.2" else ALL_TLS_VERSIONS


def run_checked(argv: Sequence[str], stdin: str | None = None) -> str:
    """Run a helper command; its stdout, or :class:`ServerUnavailable` with its stderr."""
    result = subprocess.run(list(argv), input=stdin, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ServerUnavailable(f"{' '.join(argv)} failed ({result.returncode}): {result.stderr.strip()}")
    return result.stdout


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
