"""A small threaded FTP/FTPS server whose every byte on the wire is under the script's control.

It backs the z/OS demo server and the tests that need what no real server here shows: z/OS
replies, hostile behaviour, faults. Standard library only.

Design:

* :class:`ScriptedServer` accepts connections on loopback and runs one :class:`Session` per client
  in its own thread. A session reads command lines and calls ``cmd_<VERB>(self, argument)``;
  subclass :class:`Session` and override or add those methods (and the small hooks) to script
  a server.
* All TLS goes through :class:`Stream`, a TCP socket with a server-side ``ssl.SSLObject`` driven
  through memory BIOs. That is what makes ``CCC`` without close_notify possible (z/OS
  ``CCCNONOTIFY``): the TLS layer is simply dropped and the same socket continues in clear.
* Every command received is recorded in ``server.commands`` (thread-safe), and notable protocol
  moments (TLS handshakes, CCC, data connections and how they closed) in ``server.events``, so a
  test can assert what a client did, e.g. that ``PASS`` never travelled in clear.
"""

from __future__ import annotations

import itertools
import logging
import posixpath
import selectors
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, Literal, Self, TypeVar

log = logging.getLogger(__name__)

TLSMode = Literal["none", "explicit", "implicit", "implicit-clear-greeting"]
CCCModeName = Literal["notify", "no-notify", "refuse", "unsupported"]
TLS_MODES: tuple[str, ...] = ("none", "explicit", "implicit", "implicit-clear-greeting")
CCC_MODES: tuple[str, ...] = ("notify", "no-notify", "refuse", "unsupported")

RECV_SIZE = 64 * 1024
SEND_CHUNK = 256 * 1024
_TLS_RECORD_TYPES = frozenset({20, 21, 22, 23})  # change_cipher_spec, alert, handshake, data

T = TypeVar("T")


class StreamClosed(ConnectionError):
    """The peer closed the TCP connection while a TLS operation needed more bytes."""


class CommandFailed(Exception):
    """Raised by a command handler to end the command with the reply ``code text``."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(f"{code} {text}")
        self.code = code
        self.text = text


class DataConnectionError(CommandFailed):
    """A data connection could not be opened or broke (425, 426, 522, ...)."""


# --- records ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceivedCommand:
    """One command line as the server received it."""

    session: int
    verb: str  # upper-cased
    argument: str  # the text after the first space, unchanged ("" if none)
    line: str  # the whole line without its line end
    secure: bool  # the control channel was TLS-protected when it arrived
    at: float  # time.monotonic()


@dataclass(frozen=True)
class ServerEvent:
    """Something notable on the wire: ``tls``, ``ccc``, ``data-open``, ``data-close``, ..."""

    session: int
    kind: str
    detail: str = ""


class RecordLog(Generic[T]):
    """An append-only list shared between the server threads and the test thread."""

    def __init__(self) -> None:
        self._items: list[T] = []
        self._changed = threading.Condition()

    def append(self, item: T) -> None:
        with self._changed:
            self._items.append(item)
            self._changed.notify_all()

    def snapshot(self) -> list[T]:
        with self._changed:
            return list(self._items)

    def clear(self) -> None:
        with self._changed:
            self._items.clear()

    def wait_for(self, predicate: Callable[[T], bool], timeout: float = 5.0) -> T | None:
        """The first recorded item matching ``predicate``, waiting up to ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = next((item for item in self._items if predicate(item)), None)
                remaining = deadline - time.monotonic()
                if found is not None or remaining <= 0:
                    return found
                self._changed.wait(remaining)

    def __iter__(self) -> Iterator[T]:
        return iter(self.snapshot())

    def __len__(self) -> int:
        with self._changed:
            return len(self._items)


class CommandLog(RecordLog[ReceivedCommand]):
    """``server.commands``: every command line received, by every session."""

    def verbs(self, session: int | None = None) -> list[str]:
        return [c.verb for c in self if session is None or c.session == session]

    def lines(self, session: int | None = None) -> list[str]:
        return [c.line for c in self if session is None or c.session == session]


class EventLog(RecordLog[ServerEvent]):
    """``server.events``: TLS handshakes, CCC, data connections and how they ended."""

    def kinds(self, session: int | None = None) -> list[str]:
        return [e.kind for e in self if session is None or e.session == session]

    def of_kind(self, kind: str) -> list[ServerEvent]:
        return [e for e in self if e.kind == kind]


# --- the byte stream -------------------------------------------------------------------------


class Stream:
    """One TCP connection, in clear or with a server-side TLS layer run through memory BIOs.

    Memory BIOs put every TLS byte through our hands, so the TLS layer can be ended with a proper
    close_notify exchange (:meth:`end_tls` ``notify=True``) or dropped without a single byte
    (``notify=False``, z/OS CCCNONOTIFY) while the socket keeps working in clear.
    """

    def __init__(self, sock: socket.socket, on_event: Callable[[str, str], None] | None = None) -> None:
        self.sock = sock
        self._on_event = on_event
        self._tls: ssl.SSLObject | None = None
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._pending = bytearray()  # clear bytes received but not yet returned by recv()
        self.peer_close_notify = False  # the peer ended its TLS side with close_notify
        self.discard_tls_records = False  # drop stray TLS records arriving in clear (after CCC)
        self.stray_tls_records = 0

    # -- state --
    @property
    def secure(self) -> bool:
        return self._tls is not None

    @property
    def tls(self) -> ssl.SSLObject | None:
        return self._tls

    @property
    def session_reused(self) -> bool:
        return bool(self._tls is not None and self._tls.session_reused)

    def describe_tls(self) -> str:
        if self._tls is None:
            return "clear"
        return f"{self._tls.version()} resumed={self._tls.session_reused}"

    # -- TLS layer --
    def start_tls(self, context: ssl.SSLContext, initial: bytes = b"") -> None:
        """Handshake as the TLS server; ``initial`` are bytes already read from the socket."""
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._tls = context.wrap_bio(self._incoming, self._outgoing, server_side=True)
        self.peer_close_notify = False
        early = bytes(self._pending) + initial
        self._pending.clear()
        if early:
            self._incoming.write(early)
        try:
            self._drive(self._tls.do_handshake)
        except BaseException:
            self._tls = None
            raise

    def end_tls(self, notify: bool) -> None:
        """Leave TLS and continue in clear on the same socket.

        ``notify=True``: send close_notify and wait for the peer's (RFC 4217 CCC).
        ``notify=False``: send nothing at all; stray TLS records the peer sends next are dropped.
        """
        tls = self._require_tls()
        if notify:
            self._drive(tls.unwrap)
        self._pending += self._incoming.read()  # clear bytes that came after the TLS records
        self._tls = None
        self.discard_tls_records = not notify

    # -- I/O --
    def send(self, data: bytes) -> None:
        if self._tls is None:
            self.sock.sendall(data)
            return
        for start in range(0, len(data), SEND_CHUNK):
            self._tls.write(data[start : start + SEND_CHUNK])
            self._flush()

    def recv(self, size: int = RECV_SIZE) -> bytes:
        """Up to ``size`` clear bytes; ``b""`` at the end (EOF, or the peer's close_notify)."""
        if self._pending:
            data = bytes(self._pending[:size])
            del self._pending[:size]
            return data
        if self._tls is None:
            return self._recv_clear(size)
        return self._recv_tls(self._tls, size)

    def _recv_tls(self, tls: ssl.SSLObject, size: int) -> bytes:
        try:
            data = self._drive(lambda: tls.read(size))
        except ssl.SSLZeroReturnError:
            data = b""
        except StreamClosed:
            return b""
        if not data:
            self.peer_close_notify = True
        return data

    def _recv_clear(self, size: int) -> bytes:
        while True:
            data = self.sock.recv(size)
            if not (data and self.discard_tls_records):
                return data
            data = self._drop_tls_records(data)
            if data:
                return data

    def _drop_tls_records(self, data: bytes) -> bytes:
        """Strip whole TLS records from the front of ``data`` (a peer that sent close_notify)."""
        while len(data) >= 5 and data[0] in _TLS_RECORD_TYPES and data[1] == 3:
            end = 5 + int.from_bytes(data[3:5], "big")
            while len(data) < end:
                more = self.sock.recv(RECV_SIZE)
                if not more:
                    return b""
                data += more
            self.stray_tls_records += 1
            if self._on_event is not None:
                self._on_event("stray-tls-record", f"type={data[0]} length={end - 5}")
            data = data[end:]
        if data:
            self.discard_tls_records = False
        return data

    # -- TLS plumbing --
    def _require_tls(self) -> ssl.SSLObject:
        if self._tls is None:
            raise ValueError("the stream is not TLS-protected")
        return self._tls

    def _drive(self, operation: Callable[[], T]) -> T:
        """Run one SSLObject operation, moving bytes between its BIOs and the socket."""
        while True:
            try:
                result = operation()
            except ssl.SSLWantReadError:
                self._flush()
                self._read_into_tls()
            else:
                self._flush()
                return result

    def _flush(self) -> None:
        data = self._outgoing.read()
        if data:
            self.sock.sendall(data)

    def _read_into_tls(self) -> None:
        data = self.sock.recv(RECV_SIZE)
        if not data:
            raise StreamClosed("the peer closed the connection")
        self._incoming.write(data)

    # -- closing --
    def close(
        self, notify: bool = True, linger: float = 0.0, on_closed: Callable[[], None] | None = None
    ) -> None:
        """Close: close_notify first when ``notify`` (and TLS), then FIN.

        With ``linger`` > 0 a background thread then waits up to ``linger`` seconds for the
        peer's close_notify and EOF before closing the socket (closing with unread bytes makes
        the kernel send RST, which can destroy data the peer has not read yet), and calls
        ``on_closed`` when done.
        """
        tls, self._tls = self._tls, None
        if tls is not None and notify:
            self._send_close_notify(tls)
        _half_close(self.sock)

        def finish() -> None:
            if tls is not None and notify and linger > 0:
                self._await_close_notify(tls, linger)
            _drain_and_close(self.sock, linger)
            if on_closed is not None:
                on_closed()

        if linger > 0:
            threading.Thread(target=finish, name="ftp-data-close", daemon=True).start()
        else:
            finish()

    def _send_close_notify(self, tls: ssl.SSLObject) -> None:
        try:
            tls.unwrap()
        except ssl.SSLWantReadError:
            pass  # sent; the peer's close_notify has not arrived yet
        except (ssl.SSLError, ValueError) as exc:
            log.debug("close_notify not sent: %r", exc)
        try:
            self._flush()
        except OSError:
            pass

    def _await_close_notify(self, tls: ssl.SSLObject, timeout: float) -> None:
        try:
            self.sock.settimeout(timeout)
            self._drive(tls.unwrap)
        except (OSError, ssl.SSLError, ValueError):
            return
        self.peer_close_notify = True

    def reset(self) -> None:
        """Abort with a TCP RST (SO_LINGER 0)."""
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        self._tls = None
        self.sock.close()


def _half_close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def _drain_and_close(sock: socket.socket, linger: float) -> None:
    """Read what the peer still sends (up to ``linger`` s), then close."""
    try:
        if linger > 0:
            sock.settimeout(linger)
            while sock.recv(RECV_SIZE):
                pass
    except OSError:
        pass
    finally:
        sock.close()


# --- data connections ------------------------------------------------------------------------


class DataConnection:
    """An open data connection (already TLS-protected when ``PROT P``).

    I/O errors become :class:`DataConnectionError` (426) so the control session survives them.
    Use as a context manager: leaving closes it (with close_notify unless the session's
    ``data_close_notify`` is False) and records a ``data-close`` event.
    """

    def __init__(self, session: Session, stream: Stream) -> None:
        self.session = session
        self.stream = stream
        self.bytes_sent = 0
        self.bytes_received = 0
        self._closed = False

    def protect(self) -> None:
        """TLS handshake as the server (the FTP client is always the TLS client)."""
        server = self.session.server
        try:
            self.stream.start_tls(server.require_tls_context())
        except (OSError, ssl.SSLError) as exc:
            raise DataConnectionError(522, "Data connection TLS negotiation failed.") from exc
        self.session.event("data-tls", self.stream.describe_tls())
        if server.require_session_reuse and not self.stream.session_reused:
            raise DataConnectionError(522, "SSL connection failed; session reuse required")

    def send(self, data: bytes, chunk_size: int = SEND_CHUNK, delay: float = 0.0) -> None:
        """Send ``data``, optionally in ``chunk_size`` pieces ``delay`` seconds apart."""
        for start in range(0, len(data), chunk_size):
            self._guarded(self.stream.send, data[start : start + chunk_size])
            self.bytes_sent += min(chunk_size, len(data) - start)
            if delay and self.session.server.stopping.wait(delay):
                return

    def chunks(self) -> Iterator[bytes]:
        """The bytes the client sends, until it ends the connection."""
        while True:
            data = self._guarded(self.stream.recv)
            if not data:
                return
            self.bytes_received += len(data)
            yield data

    def receive_all(self, limit: int | None = None) -> bytes:
        """Everything the client sends; over ``limit`` bytes is a 552."""
        received = bytearray()
        for data in self.chunks():
            received += data
            if limit is not None and len(received) > limit:
                raise DataConnectionError(552, "Exceeded storage allocation.")
        return bytes(received)

    def close(self, notify: bool | None = None) -> None:
        """Close (close_notify unless ``notify`` is False); the ``data-close`` event follows
        once the peer's side is done (asynchronously, see :meth:`Stream.close`)."""
        if self._closed:
            return
        self._closed = True
        notify = self.session.data_close_notify if notify is None else notify
        protected = self.stream.secure
        summary = f"sent={self.bytes_sent} received={self.bytes_received} close_notify={notify and protected}"

        def report() -> None:
            peer = self.stream.peer_close_notify
            self.session.event("data-close", f"{summary} peer_close_notify={peer}")

        self.stream.close(notify=notify, linger=self.session.server.data_linger, on_closed=report)

    def reset(self) -> None:
        """Abort the data connection with RST (a fault for tests)."""
        self._closed = True
        self.session.event("data-close", "reset")
        self.stream.reset()

    def _guarded(self, operation: Callable[..., T], *args: object) -> T:
        try:
            return operation(*args)
        except (OSError, ssl.SSLError) as exc:
            raise DataConnectionError(426, "Connection closed; transfer aborted.") from exc

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


# --- sessions --------------------------------------------------------------------------------


class Session:
    """One client connection: reads command lines, calls ``cmd_<VERB>(argument)``, writes replies.

    To script a server, subclass and override ``cmd_<VERB>`` methods (``argument`` is the text
    after the verb, ``""`` if none) or the hooks :meth:`greet`, :meth:`login_message`,
    :meth:`on_login`, :meth:`unknown_command`, :meth:`check_login`, :meth:`features`. Replies go
    out with :meth:`reply` (multi-line aware), :meth:`send_line` and :meth:`send_raw` (anything,
    slowly if asked). Data: :meth:`open_data` after PASV/EPSV/PORT/EPRT, or :meth:`send_data` /
    :meth:`receive_data`.
    """

    encoding = "utf-8"
    max_line = 64 * 1024
    greeting = "Scripted FTP server ready."
    system = "UNIX Type: L8"
    pre_login_commands = frozenset(
        {"USER", "PASS", "QUIT", "NOOP", "SYST", "FEAT", "AUTH", "PBSZ", "PROT", "HELP", "OPTS"}
    )
    # After these the passive listener / PORT address is used up (one transfer per PASV).
    data_commands = frozenset({"LIST", "NLST", "MLSD", "RETR", "STOR", "APPE", "STOU"})
    pasv_reply_host: str | None = None  # announce this address in 227 (None: the real one)
    data_close_notify = True  # send close_notify before closing a protected data connection

    def __init__(
        self, server: ScriptedServer, sock: socket.socket, address: tuple[str, int], number: int
    ) -> None:
        self.server = server
        self.stream = Stream(sock, on_event=self.event)
        self.client_address = address
        self.number = number
        self.user: str | None = None
        self.logged_in = False
        self.type = "A"
        self.cwd = "/"
        self.pbsz_set = False
        self.prot = "C"
        self.epsv_all = False
        self.closing = False
        self._buffer = bytearray()
        self._passive: socket.socket | None = None
        self._active: tuple[str, int] | None = None

    # -- life cycle --
    def run(self) -> None:
        """The session thread: connect-time TLS and greeting, then the command loop."""
        try:
            self.on_connect()
            while not self.closing:
                line = self.read_line()
                if line is None:
                    break
                self.handle_line(line)
        except (OSError, ssl.SSLError, ValueError) as exc:
            if not self.server.stopping.is_set():
                self.event("session-ended", repr(exc))
        finally:
            self.finish()

    def on_connect(self) -> None:
        mode = self.server.tls_mode
        if mode == "implicit":
            self.start_tls()
        self.greet()
        if mode == "implicit-clear-greeting":
            self.start_tls()

    def greet(self) -> None:
        self.reply(220, self.greeting)

    def finish(self) -> None:
        self.close_data_setup()
        self.stream.close(notify=False, linger=0.0)
        self.server.session_finished(self)

    def abort(self) -> None:
        """Called from another thread (server stop): unblock and end this session."""
        self.closing = True
        for sock in (self._passive, self.stream.sock):
            try:
                if sock is not None:
                    sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def drop(self, rst: bool = False) -> None:
        """End the control connection now, as a crashing server would (RST if ``rst``)."""
        self.closing = True
        if rst:
            self.stream.reset()
        else:
            self.stream.close(notify=False)

    # -- reading --
    def read_line(self) -> bytes | None:
        """The next command line with its line end; None when the client is gone."""
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                line = bytes(self._buffer[: end + 1])
                del self._buffer[: end + 1]
                return line
            if len(self._buffer) > self.max_line:
                self.reply(500, "Command line too long.")
                return None
            data = self.stream.recv()
            if not data:
                return None
            self._buffer += data

    def handle_line(self, raw: bytes) -> None:
        line = raw.rstrip(b"\r\n").decode(self.encoding, "surrogateescape")
        verb, _, argument = line.partition(" ")
        verb = verb.upper()
        self.server.commands.append(
            ReceivedCommand(self.number, verb, argument, line, self.stream.secure, time.monotonic())
        )
        self.dispatch(verb, argument)

    def dispatch(self, verb: str, argument: str) -> None:
        handler = getattr(self, f"cmd_{verb}", None) if verb.isalpha() else None
        try:
            if handler is None:
                self.unknown_command(verb, argument)
            elif self.check_login(verb):
                handler(argument)
        except CommandFailed as exc:
            self.reply(exc.code, exc.text)
        except (OSError, ssl.SSLError):
            raise
        except Exception as exc:  # a bug in a script must not kill the session silently
            log.exception("handler for %s failed", verb)
            self.server.errors.append(exc)
            self.reply(451, "Requested action aborted: local error in processing.")
        finally:
            if verb in self.data_commands:
                self.close_data_setup()

    def check_login(self, verb: str) -> bool:
        if self.logged_in or verb in self.pre_login_commands:
            return True
        self.reply(530, "Please login with USER and PASS.")
        return False

    def unknown_command(self, verb: str, argument: str) -> None:
        self.reply(500, f"Unknown command {verb}.")

    # -- writing --
    def reply(self, code: int, text: str = "", style: Literal["dash", "bare"] = "dash") -> None:
        """Send a reply; ``text`` with newlines becomes a multi-line reply.

        ``style="dash"``: every line but the last is ``code-text``; ``"bare"``: only the first is,
        the lines between go out as they are (RFC 959 allows any text there).
        """
        lines = text.split("\n")
        head = [
            f"{code}-{line}" if index == 0 or style == "dash" else line
            for index, line in enumerate(lines[:-1])
        ]
        for line in [*head, f"{code} {lines[-1]}"]:
            self.send_line(line)

    def send_line(self, text: str) -> None:
        """One line exactly as given, plus CRLF."""
        self.send_raw(text.encode(self.encoding, "surrogateescape") + b"\r\n")

    def send_raw(self, data: bytes, chunk_size: int | None = None, delay: float = 0.0) -> None:
        """Any bytes on the control connection (through TLS when active), optionally slowly."""
        if not chunk_size:
            self.stream.send(data)
            return
        for start in range(0, len(data), chunk_size):
            self.stream.send(data[start : start + chunk_size])
            if delay and self.server.stopping.wait(delay):
                return

    def event(self, kind: str, detail: str = "") -> None:
        self.server.events.append(ServerEvent(self.number, kind, detail))

    # -- TLS --
    def start_tls(self) -> None:
        early = bytes(self._buffer)
        self._buffer.clear()
        self.stream.start_tls(self.server.require_tls_context(), initial=early)
        self.event("tls", self.stream.describe_tls())

    def reset_after_auth(self) -> None:
        """RFC 4217: after AUTH the session starts over, "almost as if REIN"."""
        self.user = None
        self.logged_in = False
        self.type = "A"

    # -- login hooks --
    def password_prompt(self) -> str:
        return "Please specify the password."

    def login_message(self) -> str:
        return "Login successful."

    def login_failed_message(self) -> str:
        return "Login incorrect."

    def on_login(self) -> None:
        """Called after a successful PASS, before the 230 reply."""

    # -- basic commands --
    def cmd_USER(self, argument: str) -> None:
        if self.server.require_tls_login and not self.stream.secure:
            self.reply(530, "Non-anonymous sessions must use encryption.")
            return
        self.user = argument
        self.logged_in = False
        self.reply(331, self.password_prompt())

    def cmd_PASS(self, argument: str) -> None:
        if self.user is None:
            self.reply(503, "Login with USER first.")
            return
        if not self.server.check_password(self.user, argument):
            self.user = None
            self.reply(530, self.login_failed_message())
            return
        self.logged_in = True
        self.on_login()
        self.reply(230, self.login_message())

    def cmd_QUIT(self, argument: str) -> None:
        self.reply(221, "Goodbye.")
        self.closing = True

    def cmd_NOOP(self, argument: str) -> None:
        self.reply(200, "NOOP ok.")

    def cmd_SYST(self, argument: str) -> None:
        self.reply(215, self.system)

    def features(self) -> list[str]:
        found = ["EPRT", "EPSV", "PASV", "UTF8"]
        if self.server.tls_mode == "explicit":
            found = ["AUTH TLS", "AUTH SSL", *found]
        if self.server.tls is not None:
            found += ["PBSZ", "PROT"]
        if self.server.ccc_mode != "unsupported" and self.server.tls is not None:
            found.append("CCC")
        return sorted(found)

    def cmd_FEAT(self, argument: str) -> None:
        body = "\n".join(f" {feature}" for feature in self.features())
        self.reply(211, f"Features:\n{body}\nEnd", style="bare")

    def cmd_PWD(self, argument: str) -> None:
        quoted = self.cwd.replace('"', '""')
        self.reply(257, f'"{quoted}" is the current directory.')

    def cmd_CWD(self, argument: str) -> None:
        """Only moves the path (nothing is checked); a file-serving script can override it."""
        target = posixpath.normpath(posixpath.join(self.cwd, argument.strip() or "/"))
        self.cwd = "/" + target.lstrip("/")
        self.reply(250, "Directory successfully changed.")

    def cmd_CDUP(self, argument: str) -> None:
        self.cmd_CWD("..")

    def cmd_OPTS(self, argument: str) -> None:
        if argument.strip().upper() == "UTF8 ON":
            self.reply(200, "Always in UTF8 mode.")
        else:
            self.reply(501, "Option not understood.")

    def parse_type(self, argument: str) -> str | None:
        """``"A"``, ``"I"`` or None (not supported) for a TYPE argument."""
        words = argument.upper().split()
        if words in (["A"], ["A", "N"]):
            return "A"
        if words in (["I"], ["L", "8"]):
            return "I"
        return None

    def type_reply(self, kind: str) -> str:
        return f"Switching to {'ASCII' if kind == 'A' else 'Binary'} mode."

    def cmd_TYPE(self, argument: str) -> None:
        kind = self.parse_type(argument)
        if kind is None:
            self.reject_type(argument)
            return
        self.type = kind
        self.reply(200, self.type_reply(kind))

    def reject_type(self, argument: str) -> None:
        self.reply(504, f"Type {argument} not implemented.")

    def cmd_MODE(self, argument: str) -> None:
        if argument.strip().upper() == "S":
            self.reply(200, "Mode set to S.")
        else:
            self.reply(504, "Bad MODE command.")

    def cmd_STRU(self, argument: str) -> None:
        if argument.strip().upper() == "F":
            self.reply(200, "Structure set to F.")
        else:
            self.reply(504, "Bad STRU command.")

    # -- security commands --
    auth_mechanisms = frozenset({"TLS", "TLS-C", "SSL", "TLS-P"})

    def auth_reply(self, mechanism: str) -> str:
        return f"AUTH {mechanism} successful."

    def cmd_AUTH(self, argument: str) -> None:
        mechanism = argument.strip().upper()
        if self.server.tls is None or self.server.tls_mode == "none":
            self.reply(502, "AUTH not supported.")
        elif self.stream.secure:
            self.reply(503, "Already using TLS.")
        elif mechanism not in self.auth_mechanisms:
            self.reply(504, f"AUTH {mechanism} not supported.")
        else:
            self.reply(234, self.auth_reply(mechanism))
            self.start_tls()
            self.reset_after_auth()

    def cmd_PBSZ(self, argument: str) -> None:
        if not self.stream.secure:
            self.reply(503, "PBSZ requires a protected control connection.")
            return
        self.pbsz_set = True
        self.reply(200, "PBSZ=0")

    def cmd_PROT(self, argument: str) -> None:
        level = argument.strip().upper()
        if not self.pbsz_set:
            self.reply(503, "PROT must be preceded by PBSZ.")
        elif level not in ("C", "P"):
            self.reply(536, f"PROT {level} not supported.")
        else:
            self.prot = level
            self.reply(200, f"PROT now {'Private' if level == 'P' else 'Clear'}.")

    def ccc_reply(self) -> str:
        return "Clearing control channel protection."

    def cmd_CCC(self, argument: str) -> None:
        mode = self.server.ccc_mode
        if mode == "unsupported":
            self.unknown_command("CCC", argument)
        elif not self.stream.secure:
            self.reply(533, "Control channel is not protected.")
        elif mode == "refuse":
            self.reply(534, "CCC refused by server policy.")
        else:
            self.reply(200, self.ccc_reply())
            self.stream.end_tls(notify=mode == "notify")
            self.event("ccc", mode)

    # -- data connection set-up --
    def cmd_PASV(self, argument: str) -> None:
        if self.epsv_all:
            self.reply(503, "PASV not allowed after EPSV ALL.")
            return
        port = self.open_passive_listener()
        host = self.pasv_reply_host or self.stream.sock.getsockname()[0]
        if ":" in host:
            self.reply(522, "Use EPSV on IPv6.")
            return
        numbers = ",".join([*host.split("."), str(port >> 8), str(port & 0xFF)])
        self.reply(227, self.pasv_reply(numbers))

    def pasv_reply(self, numbers: str) -> str:
        return f"Entering Passive Mode ({numbers})."

    def cmd_EPSV(self, argument: str) -> None:
        choice = argument.strip().upper()
        if choice == "ALL":
            self.epsv_all = True
            self.reply(200, "EPSV ALL ok.")
        elif choice not in ("", "1", "2"):
            self.reply(522, "Network protocol not supported, use (1,2)")
        else:
            port = self.open_passive_listener()
            self.reply(229, f"Entering Extended Passive Mode (|||{port}|)")

    def cmd_PORT(self, argument: str) -> None:
        try:
            numbers = [int(part) for part in argument.split(",")]
        except ValueError:
            numbers = []
        if len(numbers) != 6 or not all(0 <= n <= 255 for n in numbers):
            self.reply(501, "Syntax error in PORT.")
            return
        host = ".".join(str(n) for n in numbers[:4])
        self.set_active_target(host, numbers[4] * 256 + numbers[5], self.port_reply())

    def port_reply(self) -> str:
        return "PORT command successful."

    def cmd_EPRT(self, argument: str) -> None:
        fields = argument.split(argument[:1]) if argument else []
        if len(fields) != 5 or fields[1] not in ("1", "2") or not fields[3].isdigit():
            self.reply(501, "Syntax error in EPRT.")
            return
        self.set_active_target(fields[2], int(fields[3]), "EPRT command successful.")

    def set_active_target(self, host: str, port: int, success: str) -> None:
        """Remember where to connect for the next transfer; only the control peer is allowed."""
        if self.epsv_all:
            self.reply(503, "PORT not allowed after EPSV ALL.")
        elif host != self.client_address[0] or not 0 < port < 65536:
            self.reply(500, "Illegal PORT command.")
        else:
            self.close_data_setup()
            self._active = (host, port)
            self.reply(200, success)

    def open_passive_listener(self) -> int:
        """Listen for the next data connection on the control connection's local address."""
        self.close_data_setup()
        local = self.stream.sock.getsockname()[0]
        family = socket.AF_INET6 if ":" in local else socket.AF_INET
        listener = socket.socket(family, socket.SOCK_STREAM)
        listener.bind((local, 0))
        listener.listen(1)
        listener.settimeout(self.server.data_timeout)
        self._passive = listener
        return int(listener.getsockname()[1])

    def close_data_setup(self) -> None:
        """Forget the PASV listener / PORT address (used up or replaced)."""
        listener, self._passive, self._active = self._passive, None, None
        if listener is not None:
            listener.close()

    # -- data connections --
    def open_data(self) -> DataConnection:
        """Accept (passive) or make (active) the data connection; TLS handshake when PROT P.

        Send the 1xx reply first: a TLS client starts its handshake only after it.
        """
        sock, how = self._connect_data()
        sock.settimeout(self.server.data_timeout)
        connection = DataConnection(self, Stream(sock))
        self.event("data-open", f"{how} prot={self.prot}")
        if self.prot == "P":
            try:
                connection.protect()
            except DataConnectionError:
                connection.close(notify=False)
                raise
        return connection

    def _connect_data(self) -> tuple[socket.socket, str]:
        listener, active = self._passive, self._active
        try:
            if listener is not None:
                return listener.accept()[0], "passive"
            if active is not None:
                return socket.create_connection(active, timeout=self.server.data_timeout), "active"
        except OSError as exc:
            raise DataConnectionError(425, "Can't open data connection.") from exc
        finally:
            self.close_data_setup()
        raise DataConnectionError(425, "Use PORT or PASV first.")

    def send_data(self, payload: bytes) -> None:
        """Open the data connection, send ``payload``, close it (send the 1xx reply first)."""
        with self.open_data() as data:
            data.send(payload)

    def receive_data(self, limit: int | None = None) -> bytes:
        """Open the data connection, read until the client ends it, close it."""
        with self.open_data() as data:
            return data.receive_all(limit)

    def to_wire(self, text: bytes) -> bytes:
        """Stored text (LF line ends) as it travels in the current TYPE (CRLF in TYPE A)."""
        return text.replace(b"\n", b"\r\n") if self.type == "A" else text

    def from_wire(self, data: bytes) -> bytes:
        """Received bytes as stored text (CRLF → LF in TYPE A)."""
        return data.replace(b"\r\n", b"\n") if self.type == "A" else data


SessionFactory = Callable[["ScriptedServer", socket.socket, tuple[str, int], int], Session]


# --- the server ------------------------------------------------------------------------------


class ScriptedServer:
    """A loopback FTP server running ``handler_factory(server, sock, address, number)`` sessions.

    ``tls_mode``: ``"none"``; ``"explicit"`` (AUTH TLS/SSL); ``"implicit"`` (handshake first);
    ``"implicit-clear-greeting"`` (z/OS: 220 in clear, then the handshake).
    ``ccc_mode``: ``"notify"`` (close_notify exchange), ``"no-notify"`` (drop TLS without a
    byte), ``"refuse"`` (534), ``"unsupported"`` (500).
    ``users``: user name → password (None: any password). ``require_tls_login``: USER in clear
    gets 530. ``require_session_reuse``: data TLS must resume the control session (else 522).
    """

    def __init__(
        self,
        handler_factory: SessionFactory = Session,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: ssl.SSLContext | None = None,
        tls_mode: TLSMode = "none",
        *,
        users: Mapping[str, str | None] | None = None,
        ccc_mode: CCCModeName = "notify",
        require_tls_login: bool = False,
        require_session_reuse: bool = False,
        data_timeout: float = 10.0,
        idle_timeout: float = 300.0,
        data_linger: float = 2.0,
    ) -> None:
        _check_choice("tls_mode", tls_mode, TLS_MODES)
        _check_choice("ccc_mode", ccc_mode, CCC_MODES)
        if tls_mode != "none" and tls is None:
            raise ValueError(f"tls_mode={tls_mode!r} needs an ssl.SSLContext")
        self.handler_factory = handler_factory
        self.host = host
        self.requested_port = port
        self.tls = tls
        self.tls_mode = tls_mode
        self.users: dict[str, str | None] = dict(users if users is not None else {"user": "pass"})
        self.ccc_mode = ccc_mode
        self.require_tls_login = require_tls_login
        self.require_session_reuse = require_session_reuse
        self.data_timeout = data_timeout
        self.idle_timeout = idle_timeout
        self.data_linger = data_linger
        self.commands = CommandLog()
        self.events = EventLog()
        self.errors: RecordLog[BaseException] = RecordLog()
        self.stopping = threading.Event()
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        self._wake_read, self._wake_write = socket.socketpair()
        self._sessions: dict[Session, threading.Thread] = {}
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)

    # -- life cycle --
    def start(self) -> Self:
        if self._listener is not None:
            raise RuntimeError("server already started")
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        self._listener = socket.create_server((self.host, self.requested_port), family=family, backlog=32)
        self._accept_thread = threading.Thread(
            target=self._accept_loop, name=f"ftp-accept-{self.port}", daemon=True
        )
        self._accept_thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting, end every session, wait for the threads."""
        if self.stopping.is_set():
            return
        self.stopping.set()
        self._wake_write.send(b"x")
        if self._accept_thread is not None:
            self._accept_thread.join(timeout)
        with self._lock:
            sessions = list(self._sessions.items())
        for session, _ in sessions:
            session.abort()
        for _, thread in sessions:
            thread.join(timeout)
        for sock in (self._listener, self._wake_read, self._wake_write):
            if sock is not None:
                sock.close()

    def __enter__(self) -> Self:
        return self.start() if self._listener is None else self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return int(self.address[1])

    @property
    def address(self) -> tuple[str, int]:
        if self._listener is None:
            raise RuntimeError("server not started")
        name = self._listener.getsockname()
        return str(name[0]), int(name[1])

    # -- policy hooks --
    def check_password(self, user: str, password: str) -> bool:
        if user not in self.users:
            return False
        expected = self.users[user]
        return expected is None or expected == password

    def require_tls_context(self) -> ssl.SSLContext:
        if self.tls is None:
            raise ssl.SSLError("this server has no TLS context")
        return self.tls

    @property
    def session_count(self) -> int:
        with self._lock:
            return len(self._sessions)

    # -- threads --
    def _accept_loop(self) -> None:
        assert self._listener is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self._listener, selectors.EVENT_READ)
            selector.register(self._wake_read, selectors.EVENT_READ)
            while not self.stopping.is_set():
                for key, _ in selector.select():
                    if key.fileobj is self._listener and not self.stopping.is_set():
                        self._accept_one()

    def _accept_one(self) -> None:
        assert self._listener is not None
        try:
            sock, address = self._listener.accept()
        except OSError:
            return
        sock.settimeout(self.idle_timeout)
        session = self.handler_factory(self, sock, address, next(self._numbers))
        thread = threading.Thread(target=session.run, name=f"ftp-session-{session.number}", daemon=True)
        with self._lock:
            self._sessions[session] = thread
        thread.start()

    def session_finished(self, session: Session) -> None:
        with self._lock:
            self._sessions.pop(session, None)


def server_tls_context(
    cert_file: str, key_file: str, minimum: ssl.TLSVersion | None = None
) -> ssl.SSLContext:
    """A server-side TLS context for ``cert_file``/``key_file`` (TLS 1.2 or newer by default)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = minimum or ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_file, key_file)
    return context


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}; got {value!r}")
