"""The benchmark's world: certificates, servers on loopback and the data they serve, removed at the end.

:func:`bench_environment` starts vsftpd (explicit FTPS offered, plain FTP allowed, data TLS must
resume the control session: ``require_ssl_reuse=YES``) and pyftpdlib with explicit FTPS, through
the same start functions the test fixtures use, and writes into their homes:

* ``big.bin``: one large file (1 GiB, smaller when the disk has less than 20 GB free);
* ``small/``: many 4 KiB files;
* ``many/``: a folder of 100,000 empty files (on both servers: MLSD on pyftpdlib, LIST on vsftpd).

Everything (served folders, downloads, uploads, certificates) is deleted when the context ends,
whatever happened.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.servers import RunningServer, ServerOptions, start_server
from tui_ftp.demo.certs import make_ca, make_server_cert

GIB = 1 << 30
MIB = 1 << 20
_LOW_DISK = 20 * 10**9
_SMALL_FILE_BYTES = 4096
_BLOCK = os.urandom(MIB)


@dataclass(frozen=True)
class Sizes:
    """How much data each case moves."""

    big_bytes: int = GIB
    small_files: int = 1000
    folder_entries: int = 100_000

    @classmethod
    def quick(cls) -> Sizes:
        return cls(big_bytes=32 * MIB, small_files=20, folder_entries=2000)

    def fitted_to_disk(self, folder: Path) -> Sizes:
        """The big file shrinks to 256 MiB when the disk has less than 20 GB free (it is written 3×)."""
        free = shutil.disk_usage(folder).free
        if free >= _LOW_DISK or self.big_bytes <= 256 * MIB:
            return self
        return Sizes(256 * MIB, self.small_files, self.folder_entries)


@dataclass(frozen=True)
class Environment:
    """Live servers and the data layout the cases use."""

    vsftpd: RunningServer
    pyftpdlib: RunningServer
    ca_file: Path
    scratch: Path  # local folder for downloads and the upload source
    upload_source: Path  # a local copy of big.bin
    sizes: Sizes

    BIG = "big.bin"
    SMALL = "small"
    FOLDER = "many"
    UPLOADED = "uploaded.bin"

    def remove_uploads(self) -> None:
        """Delete what an upload run left on the servers (the final name and a CLI ``.part``)."""
        for server in (self.vsftpd, self.pyftpdlib):
            for name in (self.UPLOADED, self.UPLOADED + ".part"):
                (server.home / name).unlink(missing_ok=True)

    def clear_scratch_downloads(self) -> None:
        """Delete everything downloaded into the scratch folder (the upload source stays)."""
        for path in self.scratch.iterdir():
            if path == self.upload_source:
                continue
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()


@contextmanager
def bench_environment(sizes: Sizes) -> Iterator[Environment]:
    """Start the servers, write the data; on exit stop them and delete every byte written."""
    _quiet_pyftpdlib()
    with ExitStack() as stack:
        root = Path(tempfile.mkdtemp(prefix="tui-ftp-bench-"))
        stack.callback(shutil.rmtree, root, ignore_errors=True)
        sizes = sizes.fitted_to_disk(root)
        ca = make_ca(root / "certs")
        server_cert = make_server_cert(ca, root / "certs")
        servers = {}
        for software in ("vsftpd", "pyftpdlib"):
            workdir = root / software
            workdir.mkdir()
            server = start_server(software, ServerOptions(certs=server_cert), workdir)
            stack.callback(server.stop)  # vsftpd's stop also removes its served folder
            stack.callback(shutil.rmtree, server.home, ignore_errors=True)
            servers[software] = server
        scratch = root / "scratch"
        scratch.mkdir()
        environment = Environment(
            vsftpd=servers["vsftpd"],
            pyftpdlib=servers["pyftpdlib"],
            ca_file=ca.cert,
            scratch=scratch,
            upload_source=scratch / "source.bin",
            sizes=sizes,
        )
        _write_data(environment)
        yield environment


def _quiet_pyftpdlib() -> None:
    """pyftpdlib logs every poll of its loop at INFO unless logging is configured: configure it."""
    logger = logging.getLogger("pyftpdlib")
    logger.setLevel(logging.WARNING)
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())


def _write_data(environment: Environment) -> None:
    sizes = environment.sizes
    big = environment.vsftpd.home / Environment.BIG
    write_big_file(big, sizes.big_bytes)
    _own_like_home(big, environment.vsftpd)
    shutil.copyfile(big, environment.upload_source)
    for server in (environment.vsftpd, environment.pyftpdlib):
        write_small_files(server.home / Environment.SMALL, sizes.small_files)
        write_empty_files(server.home / Environment.FOLDER, sizes.folder_entries)
        _own_like_home(server.home / Environment.SMALL, server)


def write_big_file(path: Path, size: int) -> None:
    """``size`` bytes of incompressible data (a random MiB repeated: no cost per byte to make)."""
    with open(path, "wb") as handle:
        remaining = size
        while remaining:
            remaining -= handle.write(_BLOCK[: min(remaining, MIB)])


def write_small_files(folder: Path, count: int) -> None:
    folder.mkdir()
    for index in range(count):
        (folder / f"small-{index:04d}.dat").write_bytes(_BLOCK[index : index + _SMALL_FILE_BYTES])


def write_empty_files(folder: Path, count: int) -> None:
    """A big folder: empty files with names of the usual length (``report-000123.txt``)."""
    folder.mkdir()
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        for index in range(count):
            os.close(os.open(f"report-{index:06d}.txt", os.O_CREAT | os.O_WRONLY, 0o644, dir_fd=descriptor))
    finally:
        os.close(descriptor)


def _own_like_home(path: Path, server: RunningServer) -> None:
    """Files the server must be able to write or replace belong to its user (vsftpd's Unix user)."""
    if server.home_owner is None:
        return
    for item in (path, *path.rglob("*")) if path.is_dir() else (path,):
        os.chown(item, *server.home_owner)
