"""proftpd 1.3.8 with mod_tls, run from the unpacked Debian packages: explicit or implicit FTPS.

Plain FTP is allowed on the explicit daemon unless ``tls_required`` (``TLSRequired off``). mod_tls
answers CCC with ``200 Clearing control channel protection`` without any option, and by default
refuses data connections that do not resume the control session (``TLSOptions
NoSessionReuseRequired`` turns that off). Implicit FTPS is ``TLSOptions UseImplicitSSL``; on an
implicit port CCC is refused (534).
"""

from __future__ import annotations

from pathlib import Path

from .base import (
    Daemon,
    RunningServer,
    ServerOptions,
    free_port,
    free_port_range,
    launch,
    server_record,
)
from .debian import unpacked
from .unix_user import ensure_unix_user, make_served_folder

_PASSIVE_PORTS = 64


def start_proftpd(options: ServerOptions, workdir: Path) -> RunningServer:
    binary = unpacked("usr/sbin/proftpd")
    module_path = unpacked("usr/lib/proftpd/mod_tls.so").parent
    user = ensure_unix_user()
    home = make_served_folder(user, "proftpd")
    port = free_port(options.host)
    config = workdir / "proftpd.conf"
    config.write_text(_render(options, port, home, workdir, module_path))
    daemon = Daemon("proftpd", [str(binary), "--nodaemon", "--config", str(config)], workdir)
    stop = launch(daemon, options, port, home)
    return server_record(
        "proftpd",
        options,
        port=port,
        user=user.name,
        home=home,
        log_dir=workdir,
        stop=stop,
        home_owner=(user.uid, user.gid),
        tls_required=options.tls_required or options.implicit,
        ccc=options.certs is not None and not options.implicit,  # implicit: "534 Unwilling to accept"
        mlsd=True,
        reuse_required=options.certs is not None and options.reuse_required,
    )


def _render(options: ServerOptions, port: int, home: Path, workdir: Path, module_path: Path) -> str:
    low, high = free_port_range(options.host, _PASSIVE_PORTS)
    lines = [
        "ServerType standalone",
        'ServerIdent on "tui-ftp test proftpd ready"',
        f"UseIPv6 {'on' if ':' in options.host else 'off'}",
        f"DefaultAddress {options.host}",
        "SocketBindTight on",
        f"Port {port}",
        "User nobody",
        "Group nogroup",
        "MaxInstances 100",
        f"PidFile {workdir / 'proftpd.pid'}",
        f"ScoreboardFile {workdir / 'proftpd.scoreboard'}",
        f"SystemLog {workdir / 'proftpd.log'}",
        f"TransferLog {workdir / 'xfer.log'}",
        "WtmpLog off",
        "UseReverseDNS off",
        "DelayEngine off",  # on by default: it slows every login down
        "AuthOrder mod_auth_unix.c",
        "RequireValidShell off",
        f"DefaultRoot {home}",
        f"PassivePorts {low} {high}",
        "Umask 022",
        "AllowOverwrite on",
        "AllowStoreRestart on",
        "AllowRetrieveRestart on",
        f"ModulePath {module_path}",
    ]
    if options.certs is not None:
        lines += _tls_lines(options, workdir)
    return "\n".join(lines) + "\n"


def _tls_lines(options: ServerOptions, workdir: Path) -> list[str]:
    assert options.certs is not None
    tls_options = []
    if not options.reuse_required:
        tls_options.append("NoSessionReuseRequired")
    if options.implicit:
        tls_options.append("UseImplicitSSL")
    protocols = "TLSv1.2" if options.tls_max == "1.2" else "TLSv1.2 TLSv1.3"
    lines = [
        "LoadModule mod_tls.c",
        "TLSEngine on",
        f"TLSLog {workdir / 'tls.log'}",
        f"TLSProtocol {protocols}",
        f"TLSECCertificateFile {options.certs.cert}",
        f"TLSECCertificateKeyFile {options.certs.key}",
        f"TLSRequired {'on' if options.tls_required or options.implicit else 'off'}",
        "TLSVerifyClient off",
        "TLSRenegotiate none",
    ]
    if tls_options:
        lines.append(f"TLSOptions {' '.join(tls_options)}")
    return lines
