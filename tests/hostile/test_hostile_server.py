"""A hostile or broken server must never crash the engine, hang it, or make it lose data.

Each server here breaks one rule on purpose (tests/hostile/servers.py). Every case has a clear
engine error or a safe outcome; a naive client (ftplib) fails most of them.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui_ftp.demo.certs import CertificateSet
from tui_ftp.demo.scripted import CommandFailed, ScriptedServer, server_tls_context
from tui_ftp.engine.errors import (
    ConnectionLost,
    FTPTimeout,
    ProtocolError,
    ServiceClosing,
    TLSError,
    TransferIncomplete,
    TransientReplyError,
    UsageError,
)
from tui_ftp.engine.options import ConnectOptions, DataMode, Security, TLSOptions
from tui_ftp.engine.session import FTPSession
from tests.engine.live_helpers import Recorder

from .servers import PASSWORD, USER, CountingThreads, FileSession, file_session, running

PAYLOAD = bytes(range(256)) * 400  # 102,400 bytes


def options_for(server: ScriptedServer, **changes: object) -> ConnectOptions:
    return ConnectOptions(
        host="127.0.0.1", port=server.port, user=USER, password=PASSWORD, security=Security.PLAIN, reply_timeout=5, connect_timeout=5
    ).with_changes(**changes)


def connected(server: ScriptedServer, **changes: object) -> tuple[FTPSession, Recorder]:
    recorder = Recorder()
    session = FTPSession(options_for(server, **changes), recorder)
    session.connect()
    return session, recorder


# -- data connection address -----------------------------------------------------------------------


def test_pasv_address_pointing_elsewhere_is_ignored(tmp_path: Path) -> None:
    """curl CVE-2020-8284: the 227 address is not trusted; the control peer is used."""
    with running(file_session({"f.bin": PAYLOAD}, pasv_reply_host="127.0.0.2")) as server:
        session, recorder = connected(server, data_mode=DataMode.PASV)
        session.download("f.bin", tmp_path / "f.bin")
        session.close()
    assert (tmp_path / "f.bin").read_bytes() == PAYLOAD
    assert "PASV address 127.0.0.2 ignored" in recorder.log_text()


def test_pasv_address_is_used_only_when_trusted(tmp_path: Path) -> None:
    with running(file_session({"f.bin": PAYLOAD}, pasv_reply_host="127.0.0.2")) as server:
        session, _ = connected(server, data_mode=DataMode.PASV, trust_pasv_address=True)
        with pytest.raises(ConnectionLost, match="127.0.0.2"):
            session.download("f.bin", tmp_path / "f.bin")
        session.close()
    assert not (tmp_path / "f.bin").exists()


# -- injection -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a\r\nDELE victim", "a\nDELE victim", "a\rb", "a\0b"])
def test_crlf_in_a_name_is_refused_before_anything_is_sent(name: str, tmp_path: Path) -> None:
    with running(file_session({"victim": b"x"})) as server:
        session, _ = connected(server)
        before = len(server.commands)
        for action in (
            lambda: session.download(name, tmp_path / "x"),
            lambda: session.delete(name),
            lambda: session.rename("victim", name),
            lambda: session.mkdir(name),
            lambda: session.quote(f"SITE {name}"),
        ):
            with pytest.raises(UsageError):
                action()
        commands = server.commands.snapshot()[before:]
        session.close()
    assert not any(command.verb == "DELE" for command in commands)
    assert not any(command.verb in ("RETR", "MKD", "RNFR") for command in commands)


# -- oversized and slow replies ---------------------------------------------------------------------


class HugeLineSession(FileSession):
    def cmd_PWD(self, argument: str) -> None:
        self.send_raw(b"257 \"" + b"x" * (10 * 1024 * 1024) + b"\"\r\n", chunk_size=1 << 20)


class EndlessReplySession(FileSession):
    def cmd_PWD(self, argument: str) -> None:
        self.send_raw(b"257-start\r\n")
        try:
            while not self.server.stopping.is_set():
                self.send_raw(b"257-and more\r\n" * 1000)
        except OSError:
            pass


class TrickleSession(FileSession):
    def cmd_PWD(self, argument: str) -> None:
        self.send_raw(b'257 "/" is the current directory\r\n', chunk_size=1, delay=1.0)


@pytest.mark.parametrize(
    ("session_class", "error", "message"),
    [
        (HugeLineSession, ProtocolError, "longer than"),
        (EndlessReplySession, ProtocolError, "lines"),
        (TrickleSession, FTPTimeout, "no reply"),
    ],
)
def test_hostile_replies_end_in_a_clear_error_with_bounded_memory(
    session_class: type[FileSession], error: type[Exception], message: str
) -> None:
    with running(session_class) as server:
        session, _ = connected(server, reply_timeout=2)
        started = time.monotonic()
        with pytest.raises(error, match=message):
            session.pwd()
        assert time.monotonic() - started < 10
        assert not session.connected  # a broken control connection is closed, not reused
        session.close()


def test_million_line_listing_is_parsed(tmp_path: Path) -> None:
    lines = [f"-rw-r--r--   1 ftp ftp {index:>8} Nov 27 12:00 file{index:07d}" for index in range(1_000_000)]
    with running(file_session({}, listing=lines)) as server:
        session, _ = connected(server, reply_timeout=30)
        entries = session.list_dir()
        session.close()
    assert len(entries) == 1_000_000
    assert entries[-1].name == "file0999999" and entries[-1].size == 999_999


# -- TLS downgrade and injection -------------------------------------------------------------------


class InjectingAuthSession(FileSession):
    def cmd_AUTH(self, argument: str) -> None:
        # A man in the middle (or a bad server) sends replies in clear right after 234.
        self.send_raw(b"234 Proceed with negotiation.\r\n230 User logged in (injected).\r\n")
        self.start_tls()
        self.reset_after_auth()


class LoggedInGreetingSession(FileSession):
    def greet(self) -> None:
        self.reply(230, "Already logged in.")

    def cmd_AUTH(self, argument: str) -> None:
        self.reply(502, "AUTH not supported.")


class ProtDowngradeSession(FileSession):
    def cmd_PROT(self, argument: str) -> None:
        if argument.strip().upper() == "P":
            self.reply(536, "Requested PROT level not supported; use PROT C.")
        else:
            super().cmd_PROT(argument)


def tls_server(session_class: type[FileSession], certs: CertificateSet) -> ScriptedServer:
    context = server_tls_context(str(certs.server.cert), str(certs.server.key))
    return ScriptedServer(session_class, tls=context, tls_mode="explicit", users={USER: PASSWORD}).start()


def tls_options(server: ScriptedServer, certs: CertificateSet) -> ConnectOptions:
    return options_for(server, security=Security.EXPLICIT_TLS, tls=TLSOptions(ca_file=str(certs.ca.cert)))


def test_replies_injected_before_the_handshake_are_discarded(test_certs: CertificateSet) -> None:
    server = tls_server(file_session({}, InjectingAuthSession), test_certs)
    try:
        recorder = Recorder()
        session = FTPSession(tls_options(server, test_certs), recorder)
        session.connect()
        session.close()
    finally:
        server.stop()
    assert "discarded" in recorder.log_text()
    # The login really happened over TLS after the injected 230 was dropped.
    user = next(command for command in server.commands if command.verb == "USER")
    assert user.secure


def test_a_230_greeting_does_not_skip_tls(test_certs: CertificateSet) -> None:
    server = tls_server(file_session({}, LoggedInGreetingSession), test_certs)
    try:
        session = FTPSession(tls_options(server, test_certs))
        with pytest.raises(TLSError, match="refused AUTH TLS"):
            session.connect()
    finally:
        server.stop()
    assert not any(command.verb in ("USER", "PASS", "LIST", "RETR") for command in server.commands)


def test_a_server_asking_to_downgrade_prot_gets_no_data_in_clear(test_certs: CertificateSet, tmp_path: Path) -> None:
    server = tls_server(file_session({"f.bin": PAYLOAD}, ProtDowngradeSession), test_certs)
    try:
        session = FTPSession(tls_options(server, test_certs))
        session.connect()
        with pytest.raises(TLSError, match="refused PROT P"):
            session.download("f.bin", tmp_path / "f.bin")
        session.close()
    finally:
        server.stop()
    assert not any(command.verb == "RETR" for command in server.commands)
    assert not (tmp_path / "f.bin").exists()


# -- malformed replies and broken transfers ----------------------------------------------------------


class Bad227Session(FileSession):
    def pasv_reply(self, numbers: str) -> str:
        return "Entering Passive Mode (999,1,2,3,4,5)."


class Bad229Session(FileSession):
    def cmd_EPSV(self, argument: str) -> None:
        self.reply(229, "Entering Extended Passive Mode (|||abc|)")


class Bad257Session(FileSession):
    def cmd_PWD(self, argument: str) -> None:
        self.reply(257, "no quotes here")


class Bad213Session(FileSession):
    def cmd_SIZE(self, argument: str) -> None:
        self.reply(213, "lots")


@pytest.mark.parametrize(
    ("session_class", "action", "data_mode"),
    [
        (Bad227Session, "list", DataMode.PASV),
        (Bad229Session, "list", DataMode.EPSV),
        (Bad257Session, "pwd", DataMode.AUTO),
        (Bad213Session, "size", DataMode.AUTO),
    ],
)
def test_malformed_replies_are_protocol_errors(session_class: type[FileSession], action: str, data_mode: DataMode) -> None:
    with running(file_session({"f.bin": PAYLOAD}, session_class)) as server:
        session, _ = connected(server, data_mode=data_mode)
        with pytest.raises(ProtocolError):
            {"list": session.list_dir, "pwd": session.pwd, "size": lambda: session.size("f.bin")}[action]()
        session.close()


class NoFinalReplySession(FileSession):
    def send_file(self, name: str, payload: bytes) -> None:
        self.send_data(payload)  # ... and never a 226


class NoDataConnectionSession(FileSession):
    def send_file(self, name: str, payload: bytes) -> None:
        time.sleep(30)  # 150 was sent; the data connection is never served


class ShortFileSession(FileSession):
    def send_file(self, name: str, payload: bytes) -> None:
        self.send_data(payload[: len(payload) // 2])
        self.reply(226, "Transfer complete.")


class LongFileSession(FileSession):
    def send_file(self, name: str, payload: bytes) -> None:
        self.send_data(payload + b"extra bytes")
        self.reply(226, "Transfer complete.")


@pytest.mark.parametrize(
    ("session_class", "error"),
    [
        (NoFinalReplySession, FTPTimeout),
        (NoDataConnectionSession, FTPTimeout),
        (ShortFileSession, TransferIncomplete),
        (LongFileSession, TransferIncomplete),
    ],
)
def test_broken_transfers_never_produce_a_complete_file(session_class: type[FileSession], error: type[Exception], tmp_path: Path) -> None:
    with running(file_session({"f.bin": PAYLOAD}, session_class), data_timeout=40) as server:
        session, _ = connected(server, reply_timeout=2)
        with pytest.raises(error):
            session.download("f.bin", tmp_path / "f.bin")
        session.close()
    assert not (tmp_path / "f.bin").exists()


class ResetMidTransferSession(FileSession):
    resets_left = 1

    def send_file(self, name: str, payload: bytes) -> None:
        if type(self).resets_left > 0:
            type(self).resets_left -= 1
            with self.open_data() as data:
                data.send(payload[:40_000])
                data.reset()
            self.reply(426, "Connection closed; transfer aborted.")
            return
        super().send_file(name, payload)


def test_reset_mid_transfer_keeps_the_part_and_a_retry_resumes_to_identical_bytes(tmp_path: Path) -> None:
    with running(file_session({"f.bin": PAYLOAD}, ResetMidTransferSession)) as server:
        session, recorder = connected(server)
        with pytest.raises((ConnectionLost, TransferIncomplete, TransientReplyError)):
            session.download("f.bin", tmp_path / "f.bin")
        part = tmp_path / "f.bin.part"
        assert part.exists() and 0 < part.stat().st_size < len(PAYLOAD)
        kept = part.stat().st_size
        session.download("f.bin", tmp_path / "f.bin", resume=True)
        session.close()
    assert (tmp_path / "f.bin").read_bytes() == PAYLOAD
    assert f"REST {kept}" in recorder.sent()


class Closing421Session(FileSession):
    def cmd_LIST(self, argument: str) -> None:
        self.reply(421, "Service not available, closing control connection.")
        self.drop()


def test_421_mid_session_is_a_clean_disconnect() -> None:
    with running(file_session({}, Closing421Session)) as server:
        session, _ = connected(server)
        with pytest.raises(ServiceClosing):
            session.list_dir()
        assert not session.connected
        with pytest.raises(ConnectionLost):
            session.pwd()
        session.close()


# -- local faults ------------------------------------------------------------------------------------


def test_target_that_is_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "f.bin").mkdir()
    with running(file_session({"f.bin": PAYLOAD})) as server:
        session, _ = connected(server)
        from tui_ftp.engine.errors import LocalFileError

        with pytest.raises(LocalFileError, match="folder is in the way"):
            session.download("f.bin", tmp_path / "f.bin")
        assert session.pwd()  # nothing was started on the server side
        session.close()


def download_in_child(port: int, target: Path, prelude: str = "", **run: object) -> str:
    """Download f.bin in a child process (for faults that need a process of their own)."""
    import subprocess
    import sys

    script = (
        "import resource, signal, sys\n"
        f"{prelude}"
        "from tui_ftp.engine.session import FTPSession\n"
        "from tui_ftp.engine.options import ConnectOptions, Security\n"
        "from tui_ftp.engine.errors import LocalFileError\n"
        f"s = FTPSession(ConnectOptions(host='127.0.0.1', port={port}, user='{USER}', password='{PASSWORD}', security=Security.PLAIN, reply_timeout=5))\n"
        "s.connect()\n"
        "try:\n"
        f"    s.download('f.bin', {str(target)!r})\n"
        "except LocalFileError as e:\n"
        "    print('LOCAL', e)\n"
        "print('PWD', s.pwd())\n"
        "s.close()\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, **run)  # type: ignore[call-overload]
    return str(result.stdout) + str(result.stderr)


def test_disk_full_is_a_clear_error_and_no_complete_file(tmp_path: Path) -> None:
    """RLIMIT_FSIZE in a child process stands in for a full disk (EFBIG, like ENOSPC)."""
    limit = "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\nresource.setrlimit(resource.RLIMIT_FSIZE, (50000, 50000))\n"
    with running(file_session({"f.bin": PAYLOAD})) as server:
        output = download_in_child(server.port, tmp_path / "f.bin", limit)
    assert "LOCAL" in output and "larger than allowed" in output, output
    assert "PWD /" in output  # the session survived (ABOR brought it back in step)
    assert not (tmp_path / "f.bin").exists()


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A read-only file system (a tmpfs mounted ro): EROFS for root too."""
    import subprocess

    folder = tmp_path / "readonly"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        from tests.conftest import skip_or_fail

        skip_or_fail(f"cannot mount a read-only tmpfs: {mounted.stderr.decode(errors='replace')}")
    yield folder
    subprocess.run(["umount", str(folder)], check=False)


def test_read_only_target_is_a_clear_error(read_only_folder: Path) -> None:
    with running(file_session({"f.bin": PAYLOAD})) as server:
        session, _ = connected(server)
        from tui_ftp.engine.errors import LocalFileError

        with pytest.raises(LocalFileError, match="read-only"):
            session.download("f.bin", read_only_folder / "f.bin")
        assert session.pwd() == "/"
        session.close()
    assert list(read_only_folder.iterdir()) == []


# -- load --------------------------------------------------------------------------------------------


def test_parallel_transfers_with_random_cancels_leak_nothing(tmp_path: Path) -> None:
    import random

    from tui_ftp.engine.errors import Cancelled
    from tui_ftp.engine.worker import SessionWorker

    big = os.urandom(8 * 1024 * 1024)
    with running(file_session({"big.bin": big, "small.bin": PAYLOAD})) as server:
        baseline = CountingThreads()
        workers = [SessionWorker(options_for(server, buffer_size=64 * 1024)) for _ in range(8)]
        for worker in workers:
            worker.connect().result(10)
        rng = random.Random(7)
        outcomes: list[str] = []
        for round_number in range(3):
            futures = []
            for index, worker in enumerate(workers):
                target = tmp_path / f"w{index}-{round_number}.bin"
                futures.append((worker, target, worker.submit(lambda s, t=target: s.download("big.bin", t))))
            for worker, _, _ in futures:
                if rng.random() < 0.5:
                    threading.Timer(rng.uniform(0.0, 0.05), worker.cancel_current).start()
            for worker, target, future in futures:
                try:
                    future.result(60)
                    assert target.read_bytes() == big
                    outcomes.append("done")
                except Cancelled:
                    assert not target.exists()
                    outcomes.append("cancelled")
        # Every session is still in step after its cancels.
        for worker in workers:
            assert worker.submit(lambda s: s.pwd()).result(10) == "/"
            worker.stop()
        time.sleep(0.3)
        extra_threads, extra_sockets = baseline.settled()
    assert len(outcomes) == 24 and "done" in outcomes
    assert extra_threads <= 0 and extra_sockets <= 0


# -- automatic reconnect and resume --------------------------------------------------------------------


class AlwaysResetSession(ResetMidTransferSession):
    resets_left = 10**6


@pytest.mark.parametrize(("session_class", "succeeds"), [(ResetMidTransferSession, True), (AlwaysResetSession, False)])
def test_queued_transfer_reconnects_and_resumes_a_bounded_number_of_times(
    session_class: type[ResetMidTransferSession], succeeds: bool, tmp_path: Path
) -> None:
    from tui_ftp.engine.worker import SessionWorker

    target = tmp_path / "f.bin"
    with running(file_session({"f.bin": PAYLOAD}, session_class, resets_left=session_class.resets_left)) as server:
        recorder = Recorder()
        worker = SessionWorker(options_for(server), recorder)
        worker.connect().result(10)
        logins_before = server.commands.verbs().count("USER")
        future = worker.submit_resilient(lambda session, resume: session.download("f.bin", target, resume=resume), tries=2, backoff=0.05)
        if succeeds:
            future.result(30)
            assert target.read_bytes() == PAYLOAD
        else:
            with pytest.raises((ConnectionLost, TransferIncomplete, TransientReplyError)):
                future.result(30)
            assert not target.exists() and (tmp_path / "f.bin.part").exists()
        worker.stop()
        reconnects = server.commands.verbs().count("USER") - logins_before
    assert reconnects == (1 if succeeds else 2)
    assert any(line.startswith("REST ") for line in recorder.sent())
    assert "reconnecting in" in recorder.log_text()
