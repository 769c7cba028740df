"""A tiny FTP client for wire-level tests of the scripted servers (stdlib only).

Unlike ftplib it runs the control channel's TLS through memory BIOs (so a test decides exactly
what goes on the wire: CCC with or without close_notify, implicit TLS after a clear greeting),
time-stamps every reply line, and ends a reply on any ``DDD<SP>`` line after a ``1xx-`` block
(z/OS answers a long ``125-`` block with a ``550``).
"""

from __future__ import annotations

import select
import socket
import ssl
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class RawFTP:
    def __init__(self, port: int, host: str = "127.0.0.1", timeout: float = 5.0) -> None:
        self.host = host
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.timeout = timeout
        self._buffer = bytearray()
        self._tls: ssl.SSLObject | None = None
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self.context: ssl.SSLContext | None = None
        self.saved_session: ssl.SSLSession | None = None  # kept across CCC for data reuse

    # -- TLS on the control connection --
    def start_tls(self, context: ssl.SSLContext, hostname: str = "localhost") -> None:
        self.context = context
        self._incoming, self._outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        self._tls = context.wrap_bio(self._incoming, self._outgoing, server_hostname=hostname)
        self._drive(self._tls.do_handshake)

    def end_tls(self, notify: bool) -> None:
        """Leave TLS: with a close_notify exchange, or just drop the layer (no byte sent)."""
        assert self._tls is not None
        self.saved_session = self._tls.session
        if notify:
            self._drive(self._tls.unwrap)
        self._buffer += self._incoming.read()
        self._tls = None

    def send_close_notify_only(self) -> None:
        """Send our close_notify and stop using TLS without waiting for the server's."""
        assert self._tls is not None
        self.saved_session = self._tls.session
        try:
            self._tls.unwrap()
        except ssl.SSLWantReadError:
            pass
        self._flush()
        self._tls = None

    @property
    def session(self) -> ssl.SSLSession | None:
        return self._tls.session if self._tls is not None else self.saved_session

    def _drive(self, operation: Callable[[], T]) -> T:
        assert self._tls is not None
        while True:
            try:
                result = operation()
            except ssl.SSLWantReadError:
                self._flush()
                data = self.sock.recv(65536)
                if not data:
                    raise ConnectionError("server closed the connection")
                self._incoming.write(data)
            else:
                self._flush()
                return result

    def _flush(self) -> None:
        data = self._outgoing.read()
        if data:
            self.sock.sendall(data)

    # -- bytes and lines --
    def send(self, data: bytes) -> None:
        if self._tls is None:
            self.sock.sendall(data)
        else:
            self._tls.write(data)
            self._flush()

    def _recv(self) -> bytes:
        if self._tls is None:
            return self.sock.recv(65536)
        tls = self._tls
        return self._drive(lambda: tls.read(65536))

    def raw_recv(self, timeout: float) -> bytes:
        """Whatever bytes arrive on the TCP socket within ``timeout`` (bypassing TLS)."""
        ready, _, _ = select.select([self.sock], [], [], timeout)
        return self.sock.recv(65536) if ready else b""

    def read_line(self) -> tuple[float, str]:
        while b"\n" not in self._buffer:
            data = self._recv()
            if not data:
                raise ConnectionError("connection closed while reading a reply")
            self._buffer += data
        end = self._buffer.index(b"\n") + 1
        line = bytes(self._buffer[:end])
        del self._buffer[:end]
        return time.monotonic(), line.decode("utf-8").rstrip("\r\n")

    def read_reply_timed(self) -> list[tuple[float, str]]:
        """One reply (all its lines, with arrival times); preliminary 1xx replies included."""
        first = self.read_line()
        lines = [first]
        code = first[1][:3]
        if first[1][3:4] != "-":
            return lines
        while True:
            line = self.read_line()
            lines.append(line)
            text = line[1]
            if text[:3].isdigit() and text[3:4] == " " and (text[:3] == code or code.startswith("1")):
                return lines

    def read_reply(self) -> list[str]:
        return [text for _, text in self.read_reply_timed()]

    def command(self, line: str) -> list[str]:
        self.send(f"{line}\r\n".encode())
        return self.read_reply()

    def login(self, user: str, password: str) -> list[str]:
        self.command(f"USER {user}")
        return self.command(f"PASS {password}")

    # -- data --
    def open_passive(self) -> socket.socket:
        reply = self.command("EPSV")[-1]
        port = int(reply.split("|||")[1].split("|")[0])
        return socket.create_connection((self.host, port), timeout=self.timeout)

    def protect(self, sock: socket.socket, reuse: bool = True, ragged_eof_ok: bool = True) -> ssl.SSLSocket:
        """The data connection as TLS client (resuming the control session when ``reuse``)."""
        assert self.context is not None
        session = self.session if reuse else None
        return self.context.wrap_socket(
            sock, server_hostname="localhost", session=session, suppress_ragged_eofs=ragged_eof_ok
        )

    @staticmethod
    def read_all(sock: socket.socket) -> bytes:
        chunks = []
        while True:
            data = sock.recv(65536)
            if not data:
                break
            chunks.append(data)
        if isinstance(sock, ssl.SSLSocket):
            try:
                sock.unwrap()
            except (OSError, ValueError):
                pass
        sock.close()
        return b"".join(chunks)

    def close(self) -> None:
        self.sock.close()
