"""vsftpd 3.0.3 (the installed Debian package): explicit or implicit FTPS, IPv4 or IPv6.

Plain FTP is allowed on the explicit daemon unless ``tls_required``. vsftpd has no CCC and no MLSD.
3.0.3 has no ``ssl_tlsv1_2``/``ssl_tlsv1_3`` directives (only ``ssl_tlsv1`` = TLS 1.0), so TLS 1.2
pinning goes through OpenSSL's configuration (see :func:`base.openssl_config`).
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
    openssl_config,
    server_record,
)
from .debian import vsftpd_binary
from .unix_user import ensure_unix_user, make_served_folder

SECURE_CHROOT_DIR = Path("/var/run/vsftpd/empty")
_PASSIVE_PORTS = 64


def start_vsftpd(options: ServerOptions, workdir: Path) -> RunningServer:
    binary = vsftpd_binary()
    user = ensure_unix_user()
    home = make_served_folder(user, "vsftpd")
    SECURE_CHROOT_DIR.mkdir(parents=True, exist_ok=True)
    port = free_port(options.host)
    config = workdir / "vsftpd.conf"
    config.write_text(_render(_settings(options, port, home, workdir)))
    daemon = Daemon("vsftpd", [str(binary), str(config)], workdir, openssl_config(workdir, options.tls_max))
    stop = launch(daemon, options, port, home)
    return server_record(
        "vsftpd",
        options,
        port=port,
        user=user.name,
        home=home,
        log_dir=workdir,
        stop=stop,
        home_owner=(user.uid, user.gid),
        tls_required=options.tls_required or options.implicit,
        reuse_required=options.certs is not None and options.reuse_required,
    )


def _settings(options: ServerOptions, port: int, home: Path, workdir: Path) -> dict[str, object]:
    low, high = free_port_range(options.host, _PASSIVE_PORTS)
    settings: dict[str, object] = {
        **_listen_settings(options.host),
        "listen_port": port,
        "background": False,
        "seccomp_sandbox": False,
        "anonymous_enable": False,
        "local_enable": True,
        "write_enable": True,
        "local_umask": "022",
        "pam_service_name": "vsftpd",
        "chroot_local_user": True,
        "allow_writeable_chroot": True,
        "local_root": home,
        "secure_chroot_dir": SECURE_CHROOT_DIR,
        "pasv_enable": True,
        "pasv_min_port": low,
        "pasv_max_port": high,
        "port_enable": True,
        "connect_from_port_20": False,
        "max_per_ip": 0,
        "max_clients": 0,
        "vsftpd_log_file": workdir / "vsftpd.log",
        "xferlog_enable": True,
        "log_ftp_protocol": True,
    }
    if options.certs is not None:
        settings.update(_tls_settings(options))
    return settings


def _listen_settings(host: str) -> dict[str, object]:
    if ":" in host:
        return {"listen": False, "listen_ipv6": True, "listen_address6": host}
    return {"listen": True, "listen_ipv6": False, "listen_address": host}


def _tls_settings(options: ServerOptions) -> dict[str, object]:
    assert options.certs is not None
    forced = options.tls_required or options.implicit
    return {
        "ssl_enable": True,
        "implicit_ssl": options.implicit,
        "rsa_cert_file": options.certs.cert,
        "rsa_private_key_file": options.certs.key,
        "ssl_ciphers": "HIGH",
        "ssl_sslv2": False,
        "ssl_sslv3": False,
        "ssl_tlsv1": False,
        "allow_anon_ssl": False,
        "force_local_logins_ssl": forced,
        "force_local_data_ssl": forced,
        "require_ssl_reuse": options.reuse_required,
        "debug_ssl": True,
    }


def _render(settings: dict[str, object]) -> str:
    return "".join(f"{key}={_value(value)}\n" for key, value in settings.items())


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "YES" if value else "NO"
    return str(value)
