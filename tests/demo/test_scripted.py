"""The scripted server base, driven by ftplib and by a raw wire-level client."""

from __future__ import annotations

import ftplib
import io
import socket
import ssl
import time
from collections.abc import Callable, Iterator

import pytest

from tests.demo.rawftp import RawFTP
from tui_ftp.demo.scripted import ScriptedServer, ServerEvent, Session

pytestmark = pytest.mark.timeout(60)


class MemoryFiles(Session):
    """A session with a tiny in-memory file store (shared through the server)."""

    def cmd_RETR(self, argument: str) -> None:
        content = self.server.files.get(argument)  # type: ignore[attr-defined]
        if content is None:
            self.reply(550, "No such file.")
            return
        self.reply(150, "Opening data connection.")
        self.send_data(self.to_wire(content))
        self.reply(226, "Transfer complete.")

    def cmd_STOR(self, argument: str) -> None:
        self.reply(150, "Ok to send data.")
        self.server.files[argument] = self.from_wire(self.receive_data())  # type: ignore[attr-defined]
        self.reply(226, "Transfer complete.")

    def cmd_MULTI(self, argument: str) -> None:
        self.reply(211, "first\nsecond\nlast", style=argument or "dash")  # type: ignore[arg-type]

    def cmd_SLOW(self, argument: str) -> None:
        self.send_raw(b"200 slowly\r\n", chunk_size=1, delay=0.03)

    def cmd_BOOM(self, argument: str) -> None:
        raise RuntimeError("script bug")


def file_server(**options: object) -> ScriptedServer:
    server = ScriptedServer(MemoryFiles, **options)  # type: ignore[arg-type]
    server.files = {"hello.txt": b"hello\nworld\n", "blob.bin": bytes(range(256)) * 64}  # type: ignore[attr-defined]
    return server


@pytest.fixture
def plain() -> Iterator[ScriptedServer]:
    with file_server() as server:
        yield server


@pytest.fixture
def explicit(server_context: ssl.SSLContext) -> Iterator[ScriptedServer]:
    with file_server(tls=server_context, tls_mode="explicit") as server:
        yield server


def data_close_with(received: int) -> Callable[[ServerEvent], bool]:
    """Matches the data-close event of the transfer that received ``received`` bytes."""
    return lambda event: event.kind == "data-close" and f"received={received} " in event.detail


def ftp_login(server: ScriptedServer) -> ftplib.FTP:
    ftp = ftplib.FTP(timeout=5)
    ftp.connect("127.0.0.1", server.port)
    ftp.login("user", "pass")
    return ftp


def tls_login(server: ScriptedServer, context: ssl.SSLContext) -> ftplib.FTP_TLS:
    ftp = ftplib.FTP_TLS(context=context, timeout=5)
    ftp.connect("localhost", server.port)
    ftp.auth()
    ftp.login("user", "pass")
    ftp.prot_p()
    return ftp


# --- session basics --------------------------------------------------------------------------


def test_greeting_login_and_every_command_recorded(plain: ScriptedServer) -> None:
    ftp = ftplib.FTP(timeout=5)
    assert ftp.connect("127.0.0.1", plain.port) == "220 Scripted FTP server ready."
    assert ftp.login("user", "pass") == "230 Login successful."
    assert ftp.sendcmd("SYST") == "215 UNIX Type: L8"
    assert ftp.pwd() == "/"
    ftp.cwd("pub/../a dir")
    ftp.sendcmd("CDUP")
    ftp.cwd('with "quotes"')
    assert ftp.pwd() == '/with "quotes"'
    ftp.quit()
    seen = plain.commands.snapshot()
    assert [c.verb for c in seen] == ["USER", "PASS", "SYST", "PWD", "CWD", "CDUP", "CWD", "PWD", "QUIT"]
    assert seen[1].argument == "pass" and seen[1].line == "PASS pass"
    assert not any(c.secure for c in seen)


def test_wrong_password_unknown_command_and_login_required(plain: ScriptedServer) -> None:
    ftp = ftplib.FTP(timeout=5)
    ftp.connect("127.0.0.1", plain.port)
    with pytest.raises(ftplib.error_perm, match="^530 Login incorrect"):
        ftp.login("user", "wrong")
    with pytest.raises(ftplib.error_perm, match="^530 Please login"):
        ftp.sendcmd("RETR hello.txt")
    with pytest.raises(ftplib.error_perm, match="^500 Unknown command XYZZY"):
        ftp.sendcmd("XYZZY 1")
    ftp.close()


def test_multiline_reply_styles_on_the_wire(plain: ScriptedServer) -> None:
    client = RawFTP(plain.port)
    client.read_reply()
    client.login("user", "pass")
    assert client.command("MULTI dash") == ["211-first", "211-second", "211 last"]
    assert client.command("MULTI bare") == ["211-first", "second", "211 last"]
    client.close()


def test_send_raw_can_dribble_bytes(plain: ScriptedServer) -> None:
    client = RawFTP(plain.port)
    client.read_reply()
    client.login("user", "pass")
    started = time.monotonic()
    assert client.command("SLOW") == ["200 slowly"]
    assert time.monotonic() - started >= 11 * 0.03  # 12 bytes, a pause after each
    client.close()


def test_overlong_command_line_is_refused_and_the_session_ends(plain: ScriptedServer) -> None:
    client = RawFTP(plain.port)
    client.read_reply()
    client.send(b"NOOP " + b"x" * (70 * 1024))
    assert client.read_reply() == ["500 Command line too long."]
    assert client.raw_recv(2.0) == b""  # closed
    client.close()


def test_handler_exception_answers_451_and_the_session_goes_on(plain: ScriptedServer) -> None:
    ftp = ftp_login(plain)
    with pytest.raises(ftplib.error_temp, match="^451"):
        ftp.sendcmd("BOOM")
    assert ftp.sendcmd("NOOP") == "200 NOOP ok."
    ftp.quit()
    assert [str(e) for e in plain.errors] == ["script bug"]


def test_stop_ends_open_sessions(server_context: ssl.SSLContext) -> None:
    server = file_server().start()
    client = RawFTP(server.port)
    client.read_reply()
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 3
    assert client.raw_recv(2.0) == b""
    assert server.session_count == 0
    client.close()


def test_bad_configuration_is_refused() -> None:
    with pytest.raises(ValueError, match="tls_mode"):
        ScriptedServer(tls_mode="bogus")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs an ssl.SSLContext"):
        ScriptedServer(tls_mode="explicit")


# --- data connections ------------------------------------------------------------------------


@pytest.mark.parametrize("passive", [True, False], ids=["PASV", "PORT"])
def test_pasv_and_port_transfers_both_ways(plain: ScriptedServer, passive: bool) -> None:
    ftp = ftp_login(plain)
    ftp.set_pasv(passive)
    lines: list[str] = []
    ftp.retrlines("RETR hello.txt", lines.append)
    assert lines == ["hello", "world"]
    received = bytearray()
    ftp.retrbinary("RETR blob.bin", received.extend)
    assert bytes(received) == bytes(range(256)) * 64
    ftp.storbinary("STOR up.bin", io.BytesIO(b"\x00\r\n\xff" * 1000))
    ftp.quit()
    assert plain.files["up.bin"] == b"\x00\r\n\xff" * 1000  # type: ignore[attr-defined]
    how = "passive" if passive else "active"
    assert all(e.detail.startswith(how) for e in plain.events.of_kind("data-open"))


def test_epsv_and_eprt(plain: ScriptedServer) -> None:
    client = RawFTP(plain.port)
    client.read_reply()
    client.login("user", "pass")
    client.command("TYPE I")
    data = client.open_passive()
    client.send(b"RETR hello.txt\r\n")
    assert client.read_reply() == ["150 Opening data connection."]
    assert client.read_all(data) == b"hello\nworld\n"
    assert client.read_reply() == ["226 Transfer complete."]

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    assert client.command(f"EPRT |1|127.0.0.1|{port}|") == ["200 EPRT command successful."]
    client.send(b"RETR hello.txt\r\n")
    assert client.read_reply() == ["150 Opening data connection."]
    connection, _ = listener.accept()
    assert client.read_all(connection) == b"hello\nworld\n"
    assert client.read_reply() == ["226 Transfer complete."]
    listener.close()
    client.close()


def test_port_to_another_host_is_refused_and_pasv_address_can_be_scripted() -> None:
    class LyingPasv(MemoryFiles):
        pasv_reply_host = "10.1.2.3"

    with ScriptedServer(LyingPasv) as server:
        ftp = ftp_login(server)
        with pytest.raises(ftplib.error_perm, match="^500 Illegal PORT"):
            ftp.sendcmd("PORT 10,0,0,1,4,1")
        assert ftp.sendcmd("PASV").startswith("227 Entering Passive Mode (10,1,2,3,")
        ftp.quit()


def test_transfer_without_pasv_or_port_gets_425(plain: ScriptedServer) -> None:
    client = RawFTP(plain.port)
    client.read_reply()
    client.login("user", "pass")
    assert client.command("RETR hello.txt") == ["150 Opening data connection."]
    assert client.read_reply() == ["425 Use PORT or PASV first."]
    client.close()


# --- TLS -------------------------------------------------------------------------------------


def test_explicit_tls_with_protected_data(explicit: ScriptedServer, client_context: ssl.SSLContext) -> None:
    ftp = tls_login(explicit, client_context)
    lines: list[str] = []
    ftp.retrlines("RETR hello.txt", lines.append)
    ftp.storbinary("STOR secret.bin", io.BytesIO(b"s3cret" * 5000))
    ftp.quit()
    assert lines == ["hello", "world"]
    assert explicit.files["secret.bin"] == b"s3cret" * 5000  # type: ignore[attr-defined]
    verbs = {c.verb: c.secure for c in explicit.commands}
    assert verbs["AUTH"] is False and verbs["USER"] is True and verbs["PASS"] is True
    assert all("prot=P" in e.detail for e in explicit.events.of_kind("data-open"))
    for received in (0, 30000):
        close = explicit.events.wait_for(data_close_with(received))
        assert close is not None and "close_notify=True peer_close_notify=True" in close.detail


def test_auth_without_tls_is_not_offered(plain: ScriptedServer) -> None:
    ftp = ftplib.FTP(timeout=5)
    ftp.connect("127.0.0.1", plain.port)
    with pytest.raises(ftplib.error_perm, match="^502"):
        ftp.sendcmd("AUTH TLS")
    ftp.close()


def test_require_tls_login_refuses_clear_user(server_context: ssl.SSLContext) -> None:
    with file_server(tls=server_context, tls_mode="explicit", require_tls_login=True) as server:
        ftp = ftplib.FTP(timeout=5)
        ftp.connect("127.0.0.1", server.port)
        with pytest.raises(ftplib.error_perm, match="^530 Non-anonymous sessions must use encryption"):
            ftp.login("user", "pass")
        ftp.close()
        assert "PASS" not in server.commands.verbs()


def test_implicit_tls_handshake_comes_first(
    server_context: ssl.SSLContext, client_context: ssl.SSLContext
) -> None:
    with file_server(tls=server_context, tls_mode="implicit") as server:
        client = RawFTP(server.port)
        assert client.raw_recv(0.3) == b""  # nothing in clear: the server waits for ClientHello
        client.start_tls(client_context)
        assert client.read_reply() == ["220 Scripted FTP server ready."]
        assert client.login("user", "pass") == ["230 Login successful."]
        client.close()
        assert all(c.secure for c in server.commands)


def test_implicit_with_clear_greeting_like_zos(
    server_context: ssl.SSLContext, client_context: ssl.SSLContext
) -> None:
    with file_server(tls=server_context, tls_mode="implicit-clear-greeting") as server:
        client = RawFTP(server.port)
        assert client.raw_recv(2.0) == b"220 Scripted FTP server ready.\r\n"
        client.start_tls(client_context)
        assert client.login("user", "pass") == ["230 Login successful."]
        client.command("PBSZ 0")
        client.command("PROT P")
        data = client.open_passive()
        client.send(b"RETR hello.txt\r\n")
        assert client.read_reply() == ["150 Opening data connection."]
        assert client.read_all(client.protect(data)) == b"hello\r\nworld\r\n"
        assert client.read_reply() == ["226 Transfer complete."]
        client.close()
        assert [c.secure for c in server.commands] == [True] * 6


def test_session_reuse_can_be_required(
    server_context: ssl.SSLContext, client_context: ssl.SSLContext
) -> None:
    with file_server(tls=server_context, tls_mode="explicit", require_session_reuse=True) as server:
        client = secure_login(server, client_context)
        client.command("PBSZ 0")
        client.command("PROT P")
        for reuse, payload, final in (
            (False, b"", "522 SSL connection failed; session reuse required"),
            (True, b"hello\r\nworld\r\n", "226 Transfer complete."),
        ):
            data = client.open_passive()
            client.send(b"RETR hello.txt\r\n")
            assert client.read_reply() == ["150 Opening data connection."]
            assert client.read_all(client.protect(data, reuse=reuse)) == payload
            assert client.read_reply() == [final]
        client.close()
        assert [e.detail for e in server.events.of_kind("data-tls")] == [
            "TLSv1.3 resumed=False",
            "TLSv1.3 resumed=True",
        ]


# --- CCC -------------------------------------------------------------------------------------


def secure_login(server: ScriptedServer, context: ssl.SSLContext) -> RawFTP:
    client = RawFTP(server.port)
    client.read_reply()
    assert client.command("AUTH TLS") == ["234 AUTH TLS successful."]
    client.start_tls(context)
    client.login("user", "pass")
    return client


def test_ccc_with_close_notify(server_context: ssl.SSLContext, client_context: ssl.SSLContext) -> None:
    with file_server(tls=server_context, tls_mode="explicit", ccc_mode="notify") as server:
        client = secure_login(server, client_context)
        assert client.command("CCC") == ["200 Clearing control channel protection."]
        client.end_tls(notify=True)  # completes only if the server sent its close_notify
        assert client.command("NOOP") == ["200 NOOP ok."]
        client.close()
        assert server.commands.snapshot()[-1].secure is False
        assert server.events.of_kind("ccc")[0].detail == "notify"


def test_ccc_without_close_notify_sends_no_tls_record(
    server_context: ssl.SSLContext, client_context: ssl.SSLContext
) -> None:
    with file_server(tls=server_context, tls_mode="explicit", ccc_mode="no-notify") as server:
        client = secure_login(server, client_context)
        assert client.command("CCC") == ["200 Clearing control channel protection."]
        client.end_tls(notify=False)
        assert client.raw_recv(0.5) == b""  # no alert, no record: nothing at all
        client.send(b"NOOP\r\n")
        assert client.raw_recv(2.0) == b"200 NOOP ok.\r\n"  # the very next bytes are clear text
        client.close()
        assert server.events.of_kind("ccc")[0].detail == "no-notify"


def test_no_notify_server_drops_a_clients_stray_close_notify(
    server_context: ssl.SSLContext, client_context: ssl.SSLContext
) -> None:
    with file_server(tls=server_context, tls_mode="explicit", ccc_mode="no-notify") as server:
        client = secure_login(server, client_context)
        client.command("CCC")
        client.send_close_notify_only()  # a client in RFC 4217 mode
        client.send(b"NOOP\r\n")
        assert client.raw_recv(2.0) == b"200 NOOP ok.\r\n"
        client.close()
        assert len(server.events.of_kind("stray-tls-record")) == 1


def test_ccc_refused_or_unknown(server_context: ssl.SSLContext, client_context: ssl.SSLContext) -> None:
    for mode, expected in (
        ("refuse", "534 CCC refused by server policy."),
        ("unsupported", "500 Unknown command CCC."),
    ):
        with file_server(tls=server_context, tls_mode="explicit", ccc_mode=mode) as server:
            client = secure_login(server, client_context)
            assert client.command("CCC") == [expected]
            assert client.command("NOOP") == ["200 NOOP ok."]  # still on TLS
            client.close()


def test_data_close_without_close_notify_is_scriptable(
    server_context: ssl.SSLContext, client_context: ssl.SSLContext
) -> None:
    class Truncating(MemoryFiles):
        data_close_notify = False

    with ScriptedServer(Truncating, tls=server_context, tls_mode="explicit") as server:
        server.files = {"hello.txt": b"hello\n"}  # type: ignore[attr-defined]
        client = secure_login(server, client_context)
        client.command("PBSZ 0")
        client.command("PROT P")
        plain_data = client.open_passive()
        client.send(b"RETR hello.txt\r\n")
        client.read_reply()
        data = client.protect(plain_data, ragged_eof_ok=False)
        received = b""
        with pytest.raises(ssl.SSLEOFError):
            while chunk := data.recv(1024):
                received += chunk
        assert received == b"hello\r\n"
        data.close()
        client.close()
        event = server.events.wait_for(lambda e: e.kind == "data-close")
        assert event is not None and "close_notify=False" in event.detail
