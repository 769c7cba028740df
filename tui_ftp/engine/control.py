"""The control connection: one socket (plain or TLS), the reply reader, the protocol log.

Layering follows ftplib (send a line → read a reply → check the code), on the sans-IO
:class:`~tui_ftp.engine.replies.ReplyReader`. The reply timeout is a deadline, restarted by every
line of a preliminary (1xx) reply, so z/OS contention waits never time out while a server that
trickles one byte a second still does.
"""

from __future__ import annotations

import select
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .commands import masked
from .errors import ConnectionLost, FTPTimeout, ProtocolError, ServiceClosing, TLSError, reply_error_for
from .events import Direction, EventSink, LogLine, PreliminaryReply
from .replies import Reply, ReplyLine, ReplyReader

LineListener = Callable[[ReplyLine], None]
_RECV_SIZE = 65536


def set_keepalive(sock: socket.socket, idle_seconds: int | None) -> None:
    """TCP keepalive so a firewall keeps an idle control connection during long transfers."""
    if not idle_seconds:
        return
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    if hasattr(socket, "TCP_KEEPIDLE"):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, idle_seconds)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, max(1, min(idle_seconds, 30)))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 5)


@dataclass
class ControlTLS:
    """What data connections need to resume the control connection's TLS session."""

    context: ssl.SSLContext
    hostname: str
    certificate_sha256: str
    session: ssl.SSLSession | None = None


class ControlConnection:
    """Owns the control socket. Not thread-safe: one session thread uses it."""

    def __init__(
        self,
        sock: socket.socket,
        *,
        sink: EventSink,
        session_name: str,
        encoding: str,
        reply_timeout: float,
    ) -> None:
        self.sock: socket.socket = sock
        self.sink = sink
        self.session_name = session_name
        self.encoding = encoding
        self.reply_timeout = reply_timeout
        self.reader = ReplyReader(encoding)
        self.line_listeners: list[LineListener] = []
        self.closed = False
        self.tls: ControlTLS | None = None
        self.data_resumed: bool | None = None
        self.peer_address: str = sock.getpeername()[0]
        self.local_address: str = sock.getsockname()[0]

    # -- log -----------------------------------------------------------------------------------
    def log(self, direction: Direction, text: str) -> None:
        self.sink(LogLine(direction, text, self.session_name))

    # -- sending -------------------------------------------------------------------------------
    def send_line(self, line: str) -> None:
        """Send one command line (already validated by :mod:`commands`). The log shows it masked."""
        self._check_open()
        self.drain_stray_replies()
        self.log(Direction.SENT, masked(line))
        try:
            self.sock.sendall(line.encode(self.encoding, "surrogateescape") + b"\r\n")
        except (OSError, ssl.SSLError) as error:
            self._lost(f"sending {masked(line).split(' ')[0]} failed: {error}")

    # -- receiving -----------------------------------------------------------------------------
    def read_reply(self, timeout: float | None = None, *, fatal_timeout: bool = True) -> Reply:
        """The next complete reply (1xx included). 421 raises :class:`ServiceClosing`.

        A timeout closes the connection, unless ``fatal_timeout`` is False (used while cleaning up
        after ABOR, where a missing second reply is normal).
        """
        limit = self.reply_timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        in_preliminary = False
        while True:
            event = self.reader.next_event()
            if event is None:
                self._receive(deadline, limit, fatal_timeout)
                continue
            if isinstance(event, ReplyLine):
                in_preliminary = self._take_line(event, in_preliminary)
                if in_preliminary:
                    deadline = time.monotonic() + limit
                continue
            return self._deliver(event)

    def read_final(self, timeout: float | None = None) -> Reply:
        """Read past preliminary replies (each reported as an event) to the final one."""
        while True:
            reply = self.read_reply(timeout)
            if not reply.is_preliminary:
                return reply

    def _take_line(self, line: ReplyLine, in_preliminary: bool) -> bool:
        self.log(Direction.RECEIVED, line.text)
        for listener in tuple(self.line_listeners):
            listener(line)
        if line.code is not None:
            return 100 <= line.code < 200
        return in_preliminary

    def _deliver(self, reply: Reply) -> Reply:
        if reply.is_preliminary:
            self.sink(PreliminaryReply(reply.code, reply.lines, self.session_name))
        if reply.code == 421:
            self.close()
            raise ServiceClosing(reply.code, reply.lines)
        return reply

    def _receive(self, deadline: float, limit: float, fatal_timeout: bool = True) -> None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            if fatal_timeout:
                self.close()
            raise FTPTimeout(f"no reply from the server within {limit:g} s")
        self._check_open()
        try:
            self.sock.settimeout(remaining)
            data = self.sock.recv(_RECV_SIZE)
        except (socket.timeout, TimeoutError):
            return  # the deadline check above raises on the next turn
        except (OSError, ssl.SSLError) as error:
            self._lost(f"control connection failed: {error}")
        if not data:
            self._lost("the server closed the control connection")
        try:
            self.reader.feed(data)
        except ProtocolError:
            self.close()
            raise

    def drain_stray_replies(self) -> list[Reply]:
        """Read replies that arrived unasked (late ABOR answers...), so replies never get out of step."""
        stray: list[Reply] = []
        while self._readable_now():
            # Readable is not "has a reply": on TLS 1.3 it may be only session tickets. Never block here.
            self.sock.settimeout(0)
            try:
                data = self.sock.recv(_RECV_SIZE)
            except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
                break
            except (OSError, ssl.SSLError):
                break
            finally:
                self.sock.settimeout(self.reply_timeout)
            if not data:
                break
            self.reader.feed(data)
            stray.extend(self._pending_replies())
        return stray

    def _pending_replies(self) -> Iterable[Reply]:
        while (event := self.reader.next_event()) is not None:
            if isinstance(event, ReplyLine):
                self._take_line(event, False)
            else:
                yield self._deliver(event)

    def _readable_now(self) -> bool:
        if self.closed:
            return False
        if isinstance(self.sock, ssl.SSLSocket) and self.sock.pending():
            return True
        try:
            readable, _, _ = select.select([self.sock], [], [], 0)
        except (OSError, ValueError):
            return False
        return bool(readable)

    # -- commands ------------------------------------------------------------------------------
    def command(self, line: str, *, expect: tuple[int, ...] = (2,), timeout: float | None = None) -> Reply:
        """Send ``line``, read to the final reply, raise a ReplyError unless its first digit is in ``expect``."""
        self.send_line(line)
        reply = self.read_final(timeout)
        return check_reply(reply, line, expect)

    # -- TLS -----------------------------------------------------------------------------------
    def start_tls(self, context: ssl.SSLContext, server_hostname: str, timeout: float) -> None:
        """Handshake on the control socket; anything buffered before it is discarded (CVE-2021-22947)."""
        dropped = self.reader.discard_buffered()
        if dropped:
            self.log(Direction.WARNING, f"discarded {dropped} bytes the server sent before the TLS handshake")
        self.sock.settimeout(timeout)
        self.sock = context.wrap_socket(self.sock, server_hostname=server_hostname)

    def clear_tls(self, send_close_notify: bool, timeout: float) -> None:
        """CCC: continue in clear on the same TCP connection.

        With close_notify (RFC 4217) both sides exchange it, bounded by ``timeout``; a server that
        never answers it does not hang us. Without (z/OS CCCNONOTIFY) the TLS layer is dropped
        silently: the socket is detached from the SSL object, which then sends nothing.
        """
        tls_sock = self.sock
        if not isinstance(tls_sock, ssl.SSLSocket):
            raise TLSError("CCC requested but the control connection is not encrypted")
        if send_close_notify:
            tls_sock.settimeout(timeout)
            try:
                tls_sock.unwrap()  # leaves an SSLSocket object without TLS: re-made plain below
            except (OSError, ssl.SSLError, ValueError) as error:
                self.log(Direction.WARNING, f"CCC: no close_notify from the server ({error}); continuing in clear")
        family, kind, proto = tls_sock.family, tls_sock.type, tls_sock.proto
        descriptor = tls_sock.detach()
        self.sock = socket.socket(family, kind, proto, fileno=descriptor)
        self.sock.settimeout(self.reply_timeout)

    @property
    def tls_socket(self) -> ssl.SSLSocket | None:
        return self.sock if isinstance(self.sock, ssl.SSLSocket) else None

    def save_tls_session(self) -> None:
        """Keep the newest session (TLS 1.3 tickets arrive after the handshake); must run before CCC."""
        tls_sock = self.tls_socket
        if self.tls is not None and tls_sock is not None and tls_sock.session is not None:
            self.tls.session = tls_sock.session

    # -- closing -------------------------------------------------------------------------------
    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self.sock.close()
        except OSError:
            pass

    def _check_open(self) -> None:
        if self.closed:
            raise ConnectionLost("not connected")

    def _lost(self, message: str) -> None:
        self.close()
        raise ConnectionLost(message)


def check_reply(reply: Reply, line: str, expect: tuple[int, ...]) -> Reply:
    """Raise the ReplyError that fits unless the reply's first digit is expected."""
    if reply.code // 100 in expect or reply.code in expect:
        return reply
    raise reply_error_for(reply.code, reply.lines, masked(line))
