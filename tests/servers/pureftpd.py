"""pure-ftpd 1.0.50, run from the unpacked Debian package: explicit FTPS (optional or required).

The Debian build has no implicit FTPS. It answers CCC (``200 Control connection unencrypted``)
after login, supports MLSD, and does not require TLS session reuse on data connections.

Login: the same name and password as the Unix user ``tuiftp`` and its uid/gid, but through a
pure-ftpd password database (``-l puredb``) rather than ``-l unix``: pure-ftpd's Unix login always
serves the account's home folder, and each instance here needs a folder of its own so parallel
test sessions cannot see each other's files. The password hash is SHA-512 crypt, because the
argon2 hash ``pure-pw`` makes by default costs ~2.5 s per login.
"""

from __future__ import annotations

from pathlib import Path

from .base import (
    PASSWORD,
    Daemon,
    RunningServer,
    ServerOptions,
    free_port,
    free_port_range,
    launch,
    openssl_config,
    run_checked,
    server_record,
)
from .debian import unpacked
from .unix_user import UnixUser, ensure_unix_user, make_served_folder

_PASSIVE_PORTS = 64


def start_pureftpd(options: ServerOptions, workdir: Path) -> RunningServer:
    if options.implicit:
        raise ValueError("Debian's pure-ftpd has no implicit FTPS")
    binary = unpacked("usr/sbin/pure-ftpd")
    user = ensure_unix_user()
    home = make_served_folder(user, "pure-ftpd")
    database = _password_database(user, home, workdir)
    port = free_port(options.host)
    argv = [str(binary), *_arguments(options, port, database, workdir)]
    daemon = Daemon("pure-ftpd", argv, workdir, openssl_config(workdir, options.tls_max))
    stop = launch(daemon, options, port, home)
    return server_record(
        "pure-ftpd",
        options,
        port=port,
        user=user.name,
        home=home,
        log_dir=workdir,
        stop=stop,
        home_owner=(user.uid, user.gid),
        tls_required=options.tls_required,
        ccc=options.certs is not None,
        mlsd=True,
    )


def _arguments(options: ServerOptions, port: int, database: Path, workdir: Path) -> list[str]:
    low, high = free_port_range(options.host, _PASSIVE_PORTS)
    arguments = [
        "--bind", f"{options.host},{port}",
        "--login", f"puredb:{database}",
        "--chrooteveryone",
        "--noanonymous",
        "--dontresolve",
        "--passiveportrange", f"{low}:{high}",
        "--maxclientsnumber", "100",
        "--maxclientsperip", "100",
        "--limitrecursion", "200000:8",  # the default cuts listings at 10,000 entries
        "--altlog", f"clf:{workdir / 'transfer.log'}",
    ]  # fmt: skip
    if ":" not in options.host:
        arguments += ["--forcepassiveip", options.host]
    if options.certs is not None:
        level = "3" if options.tls_required else "1"  # 1 optional, 3 required for control and data
        arguments += ["--tls", level, "--certfile", str(options.certs.pem)]
    return arguments


def _password_database(user: UnixUser, home: Path, workdir: Path) -> Path:
    """A puredb with one account mapped to the Unix user, chrooted into ``home``."""
    text_file = workdir / "pureftpd.passwd"
    database = workdir / "pureftpd.pdb"
    fields = [user.name, _crypt_sha512(PASSWORD), str(user.uid), str(user.gid), "", f"{home}/./"]
    text_file.write_text(":".join(fields) + ":" * 12 + "\n")
    pure_pw = unpacked("usr/bin/pure-pw")
    run_checked([str(pure_pw), "mkdb", str(database), "-f", str(text_file)])
    return database


def _crypt_sha512(password: str) -> str:
    return run_checked(["openssl", "passwd", "-6", "-stdin"], stdin=password + "\n").strip()
