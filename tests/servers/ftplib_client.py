"""A standard-library FTP client for checking the fixtures (not the project's engine).

``ftplib.FTP_TLS`` lacks two things real servers need: data connections that resume the control
connection's TLS session (vsftpd and proftpd insist) and implicit FTPS. :class:`StdlibFTPS` adds
both (reuse can be switched off to see a server refuse); the session is saved before CCC, because
an unwrapped socket has none.
"""

from __future__ import annotations

import ftplib
import socket
import ssl
from typing import Any, Literal

from .base import RunningServer, client_context

Mode = Literal["plain", "tls", "tls1.2"]
TIMEOUT = 10.0


class StdlibFTPS(ftplib.FTP_TLS):
    def __init__(
        self, context: ssl.SSLContext, implicit: bool = False, reuse: bool = True, timeout: float = TIMEOUT
    ) -> None:
        super().__init__(context=context, timeout=timeout)
        self.implicit = implicit
        self.reuse = reuse
        self.saved_session: ssl.SSLSession | None = None

    def connect(
        self, host: str = "", port: int = 0, timeout: float = -999, source_address: Any = None
    ) -> str:
        if not self.implicit:
            return super().connect(host, port, timeout, source_address)
        self.host, self.port = host, port
        raw = socket.create_connection((host, port), self.timeout)
        self.af = raw.family
        self.sock = self.context.wrap_socket(raw, server_hostname=host)
        self.file = self.sock.makefile("r", encoding=self.encoding)
        self.welcome = self.getresp()
        return self.welcome

    def ccc(self) -> str:
        self.saved_session = self.control_session()
        return super().ccc()

    def control_session(self) -> ssl.SSLSession | None:
        """The control connection's TLS session (after CCC: the one saved before it)."""
        live = self.sock.session if isinstance(self.sock, ssl.SSLSocket) else None
        return live or self.saved_session

    def ntransfercmd(self, cmd: str, rest: int | str | None = None) -> tuple[socket.socket, int | None]:
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:  # type: ignore[attr-defined]
            session = self.control_session() if self.reuse else None
            conn = self.context.wrap_socket(conn, server_hostname=self.host, session=session)
        return conn, size


def open_client(server: RunningServer, mode: Mode = "tls", reuse: bool = True) -> ftplib.FTP:
    """Connect and log in; for TLS modes also PROT P. ``reuse=False``: data TLS sessions are new."""
    client = _new_client(server, mode, reuse)
    client.connect(server.host, server.port)
    client.login(server.user, server.password)
    if isinstance(client, ftplib.FTP_TLS):
        client.prot_p()
    return client


def _new_client(server: RunningServer, mode: Mode, reuse: bool) -> ftplib.FTP:
    if mode == "plain":
        return ftplib.FTP(timeout=TIMEOUT)
    if server.ca_file is None:
        raise ValueError(f"{server.software} on port {server.port} has no TLS")
    context = client_context(server.ca_file, "1.2" if mode == "tls1.2" else None)
    return StdlibFTPS(context, implicit=server.implicit, reuse=reuse)


def download(client: ftplib.FTP, name: str) -> bytes:
    chunks: list[bytes] = []
    client.retrbinary(f"RETR {name}", chunks.append)
    return b"".join(chunks)
