"""Resume, cancel, ASCII mode, big files and failures, against real servers."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path

import pytest

from tests.servers import SAMPLE_FILES, RunningServer
from tui_ftp.engine.errors import Cancelled, ConnectionLost, LoginError, PermanentReplyError
from tui_ftp.engine.events import TransferProgress
from tui_ftp.engine.options import DataMode, TransferType
from tui_ftp.engine.session import FTPSession
from tui_ftp.engine.worker import SessionWorker

from .live_helpers import Recorder, open_session


def test_resume_download_continues_the_part_file(pyftpd_tls: RunningServer, tmp_path: Path) -> None:
    data = SAMPLE_FILES["data.bin"]
    target = tmp_path / "data.bin"
    (tmp_path / "data.bin.part").write_bytes(data[:70_000])
    session, recorder = open_session(pyftpd_tls)
    try:
        assert session.download("data.bin", target, resume=True) == len(data)
    finally:
        session.close()
    assert target.read_bytes() == data
    assert "REST 70000" in recorder.sent()


@pytest.mark.servers
def test_resume_upload_with_rest(vsftpd_explicit: RunningServer, tmp_path: Path) -> None:
    payload = os.urandom(300_000)
    vsftpd_explicit.write_file("partial.bin", payload[:100_000])
    source = tmp_path / "partial.bin"
    source.write_bytes(payload)
    session, recorder = open_session(vsftpd_explicit)
    try:
        assert session.upload(source, "partial.bin", resume=True) == len(payload)
    finally:
        session.close()
    assert (vsftpd_explicit.home / "partial.bin").read_bytes() == payload
    assert "REST 100000" in recorder.sent()


def test_ascii_mode_converts_line_ends_both_ways(pyftpd_plain: RunningServer, tmp_path: Path) -> None:
    source = tmp_path / "text.txt"
    source.write_bytes(b"one\ntwo\r\nthree\n")
    session, _ = open_session(pyftpd_plain)
    try:
        session.upload(source, "text.txt", transfer_type=TransferType.ASCII)
        on_server = (pyftpd_plain.home / "text.txt").read_bytes()
        session.download("text.txt", tmp_path / "back.txt", transfer_type=TransferType.ASCII)
    finally:
        session.close()
    assert b"\r\r" not in on_server
    assert (tmp_path / "back.txt").read_bytes() == b"one\ntwo\nthree\n"


@pytest.mark.servers
@pytest.mark.slow
def test_100_mb_file_round_trip_keeps_its_sha256(vsftpd_explicit: RunningServer, tmp_path: Path) -> None:
    payload = os.urandom(100 * 1024 * 1024)
    digest = hashlib.sha256(payload).hexdigest()
    vsftpd_explicit.write_file("big.bin", payload)
    recorder = Recorder()
    session = FTPSession(vsftpd_explicit.connect_options(reply_timeout=60), recorder)
    session.connect()
    try:
        session.download("big.bin", tmp_path / "big.bin")
        assert hashlib.sha256((tmp_path / "big.bin").read_bytes()).hexdigest() == digest
        session.upload(tmp_path / "big.bin", "big-up.bin")
    finally:
        session.close()
    assert hashlib.sha256((vsftpd_explicit.home / "big-up.bin").read_bytes()).hexdigest() == digest
    progress = [event for event in recorder.events if isinstance(event, TransferProgress)]
    assert progress and progress[-1].done == len(payload)


def test_cancel_from_another_thread_keeps_the_part_and_the_session(pyftpd_tls: RunningServer, tmp_path: Path) -> None:
    pyftpd_tls.write_file("cancel.bin", os.urandom(64 * 1024 * 1024))
    recorder = Recorder()
    worker = SessionWorker(pyftpd_tls.connect_options(reply_timeout=20, buffer_size=64 * 1024), recorder)
    worker.connect().result(20)
    target = tmp_path / "cancel.bin"
    future = worker.submit(lambda session: session.download("cancel.bin", target))
    deadline = time.monotonic() + 20
    while not any(isinstance(event, TransferProgress) for event in recorder.events) and time.monotonic() < deadline:
        time.sleep(0.01)
    worker.cancel_current()
    with pytest.raises(Cancelled):
        future.result(30)
    assert not target.exists()
    assert (tmp_path / "cancel.bin.part").exists()
    assert "ABOR" in recorder.sent()
    # The control connection is still in step: a listing works afterwards.
    assert {"hello.txt"} <= {entry.name for entry in worker.submit(lambda session: session.list_dir()).result(20)}
    worker.stop()
    assert not worker.alive


def test_missing_remote_file_is_a_permanent_error_and_writes_nothing(pyftpd_plain: RunningServer, tmp_path: Path) -> None:
    session, _ = open_session(pyftpd_plain)
    try:
        with pytest.raises(PermanentReplyError) as caught:
            session.download("no-such-file", tmp_path / "x")
        assert caught.value.code == 550
        assert session.list_dir()  # still usable
    finally:
        session.close()
    assert not (tmp_path / "x").exists()
    assert not (tmp_path / "x.part").exists()  # nothing was received: no empty part file either


def test_wrong_password_is_a_login_error_without_the_password(pyftpd_plain: RunningServer) -> None:
    recorder = Recorder()
    session = FTPSession(pyftpd_plain.connect_options(password="wrong-secret-pw"), recorder)
    with pytest.raises(LoginError) as caught:
        session.connect()
    assert caught.value.code == 530
    assert "wrong-secret-pw" not in str(caught.value) and "wrong-secret-pw" not in recorder.log_text()


def test_connection_refused_retries_with_backoff_then_fails() -> None:
    import socket

    with socket.socket() as placeholder:
        placeholder.bind(("127.0.0.1", 0))
        port = placeholder.getsockname()[1]
    from tui_ftp.engine.options import ConnectOptions

    recorder = Recorder()
    session = FTPSession(ConnectOptions(host="127.0.0.1", port=port, connect_retries=2, retry_backoff=0.05), recorder)
    started = time.monotonic()
    with pytest.raises(ConnectionLost, match="cannot connect"):
        session.connect()
    assert time.monotonic() - started >= 0.15
    assert sum("retrying" in line for line in recorder.log_text().splitlines()) == 2


def test_directory_commands(pyftpd_plain: RunningServer, tmp_path: Path) -> None:
    session, _ = open_session(pyftpd_plain)
    try:
        assert session.mkdir("newdir").endswith("newdir")
        assert session.cwd("newdir").endswith("/newdir")
        assert session.cdup() == "/"
        session.rename("newdir", "renamed")
        assert (pyftpd_plain.home / "renamed").is_dir()
        session.rmdir("renamed")
        assert session.size("data.bin") == len(SAMPLE_FILES["data.bin"])
        assert session.mdtm("data.bin") is not None
        session.chmod("640", "hello.txt")
        assert (pyftpd_plain.home / "hello.txt").stat().st_mode & 0o777 == 0o640
        assert session.quote("NOOP").code == 200
    finally:
        session.close()


def test_noop_keepalive_runs_while_idle(pyftpd_plain: RunningServer) -> None:
    recorder = Recorder()
    worker = SessionWorker(pyftpd_plain.connect_options(noop_seconds=1), recorder)
    worker.connect().result(10)
    time.sleep(2.5)
    worker.stop()
    assert recorder.sent().count("NOOP") >= 1


def test_parallel_sessions(pyftpd_tls: RunningServer, tmp_path: Path) -> None:
    workers = [SessionWorker(pyftpd_tls.connect_options(data_mode=DataMode.PASV)) for _ in range(4)]
    futures = [worker.connect() for worker in workers]
    for future in futures:
        future.result(20)
    downloads = [
        worker.submit(lambda session, index=index: session.download("data.bin", tmp_path / f"d{index}.bin"))
        for index, worker in enumerate(workers)
    ]
    for future in downloads:
        future.result(30)
    for worker in workers:
        worker.stop()
    assert all((tmp_path / f"d{index}.bin").read_bytes() == SAMPLE_FILES["data.bin"] for index in range(4))
    assert threading.active_count() < 20


def test_download_to_dev_null_writes_the_device_and_never_replaces_it(pyftpd_plain: RunningServer) -> None:
    import stat as stat_module

    session, _ = open_session(pyftpd_plain)
    try:
        assert session.download("data.bin", "/dev/null") == len(SAMPLE_FILES["data.bin"])
    finally:
        session.close()
    assert stat_module.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not Path("/dev/null.part").exists()
