"""The engine end to end against the z/OS-like scripted server (real z/OS replies from zos.md)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui_ftp.demo.certs import CertificateSet
from tui_ftp.demo.scripted import server_tls_context
from tui_ftp.demo.zos_server import DEMO_PASSWORD, DEMO_USER, ZosServer
from tui_ftp.engine.errors import PermanentReplyError
from tui_ftp.engine.events import ContentionWait
from tui_ftp.engine.listing import EntryKind
from tui_ftp.engine.options import CCCMode, ConnectOptions, Security, ServerType, TLSOptions, TransferType
from tui_ftp.engine.session import FTPSession
from tui_ftp.engine.zos import MvsPath, job_id_from_reply

from .live_helpers import Recorder


@pytest.fixture
def zos() -> Iterator[ZosServer]:
    server = ZosServer().start()
    yield server
    server.stop()


def zos_session(server: ZosServer, **changes: object) -> tuple[FTPSession, Recorder]:
    options = ConnectOptions(
        host="127.0.0.1", port=server.port, user=DEMO_USER, password=DEMO_PASSWORD, security=Security.PLAIN, reply_timeout=10
    ).with_changes(**changes)
    recorder = Recorder()
    session = FTPSession(options, recorder, "zos")
    session.connect()
    return session, recorder


def test_syst_switches_to_mvs_and_lists_datasets(zos: ZosServer) -> None:
    session, _ = zos_session(zos)
    try:
        assert session.server_type is ServerType.MVS
        assert session.default_type() is TransferType.ASCII
        path = MvsPath.from_pwd_reply(session.control.reader and session.quote("PWD").text)  # type: ignore[union-attr]
        assert path.display() == "'USER1.'"
        entries = {entry.name: entry for entry in session.list_dir()}
    finally:
        session.close()
    pdse = entries["ALFRED.PDSE"]
    assert pdse.kind is EntryKind.DIR and pdse.attrs is not None and pdse.attrs["dsorg"] == "PO-E"
    assert entries["DATA.CSV"].kind is EntryKind.FILE and entries["DATA.CSV"].attrs["recfm"] == "VB"  # type: ignore[index]


def test_enter_a_pds_list_members_and_go_up(zos: ZosServer) -> None:
    session, _ = zos_session(zos)
    try:
        inside = MvsPath.parse("'USER1.'").enter("ALFRED.PDSE")
        session.cwd(inside.cwd_argument())
        members = {entry.name for entry in session.list_dir()}
        assert "APICLN" in members
        up = inside.up()  # one qualifier up, as CWD .. does on z/OS
        assert up.display() == "'USER1.ALFRED.'"
        session.cwd(up.cwd_argument())
        assert "PDSE" in {entry.name for entry in session.list_dir()}
        session.cwd(up.up().cwd_argument())
        assert "ALFRED.PDSE" in {entry.name for entry in session.list_dir()}
        session.cwd("'USER1.EMPTY.PDS'")
        assert session.list_dir() == []  # 550 No members found. is an empty listing
    finally:
        session.close()


def test_download_through_two_contention_waits_reports_a_countdown(zos: ZosServer, tmp_path: Path) -> None:
    zos.hold("USER1.ALFRED.PDSE(APICLN)", waits=2, interval=0.6)
    # The reply timeout is shorter than the whole wait: every 125- line restarts it.
    session, recorder = zos_session(zos, reply_timeout=1.0)
    try:
        session.cwd("'USER1.ALFRED.PDSE'")
        session.download("APICLN", tmp_path / "apiclcn.jcl", transfer_id="t1")
    finally:
        session.close()
    waits = [event for event in recorder.events if isinstance(event, ContentionWait)]
    assert [wait.attempts_remaining for wait in waits] == [2, 1]
    assert waits[0].dataset == "USER1.ALFRED.PDSE(APICLN)"
    assert "SPFEDIT" in waits[0].holder and waits[0].transfer_id == "t1"
    text = (tmp_path / "apiclcn.jcl").read_text()
    assert text.startswith("//USER1P  JOB") and "\r" not in text


def test_exclusive_use_550_is_retried_by_the_client(zos: ZosServer, tmp_path: Path) -> None:
    zos.hold_exclusive("USER1.DATA.CSV", failures=2)
    session, recorder = zos_session(zos, contention_retries=3, contention_wait=0.1)
    try:
        session.download("DATA.CSV", tmp_path / "data.csv")
    finally:
        session.close()
    assert (tmp_path / "data.csv").stat().st_size > 0
    client_waits = [event for event in recorder.events if isinstance(event, ContentionWait) and event.client_retry]
    assert [wait.attempts_remaining for wait in client_waits] == [3, 2]
    assert "retrying in 0.1 s" in recorder.log_text()


def test_exclusive_use_without_retries_fails_with_the_reply(zos: ZosServer, tmp_path: Path) -> None:
    zos.hold_exclusive("USER1.DATA.CSV", failures=1)
    session, _ = zos_session(zos)
    try:
        with pytest.raises(PermanentReplyError, match="used exclusively"):
            session.download("DATA.CSV", tmp_path / "data.csv")
    finally:
        session.close()
    assert not (tmp_path / "data.csv").exists()


def test_site_commands_after_login_and_their_warnings_are_shown(zos: ZosServer) -> None:
    session, recorder = zos_session(zos, site_commands=("RECFM=FB LRECL=80 BLKSIZE=27921", "SITE FOOBAR=123"))
    session.close()
    sent = recorder.sent()
    assert "SITE RECFM=FB LRECL=80 BLKSIZE=27921" in sent and "SITE FOOBAR=123" in sent
    warnings = [event.text for event in recorder.events if getattr(event, "direction", None) and event.direction.value == "!"]  # type: ignore[union-attr]
    assert any("Unrecognized parameter 'FOOBAR=123'" in text for text in warnings)
    assert any("BLOCKSIZE" in text for text in warnings)


def test_jes_submit_list_and_fetch_spool(zos: ZosServer, tmp_path: Path) -> None:
    jcl = tmp_path / "job.jcl"
    jcl.write_text("//USER1J  JOB (ACCT),'TEST',CLASS=A\n//STEP1 EXEC PGM=IEFBR14\n")
    session, recorder = zos_session(zos)
    try:
        job_id = session.submit_job(jcl)
        jobs = {entry.attrs["jobid"]: entry for entry in session.list_jobs() if entry.attrs}
        assert job_id in jobs and jobs[job_id].attrs["jobname"] == "USER1J"  # type: ignore[index]
        session.job_output(job_id, tmp_path / "spool.txt")
        assert any(entry.name == "DATA.CSV" for entry in session.list_dir())  # back in SEQ mode
    finally:
        session.close()
    assert job_id_from_reply(f"250-It is known to JES as {job_id}") == job_id
    assert "USER1J" in (tmp_path / "spool.txt").read_text()
    sent = recorder.sent()
    assert sent.count("SITE FILETYPE=JES") == 3 and sent.count("SITE FILETYPE=SEQ") == 3


def test_size_mdtm_and_rest_refused_are_handled(zos: ZosServer, tmp_path: Path) -> None:
    session, _ = zos_session(zos)
    try:
        assert session.size("DATA.CSV") is None
        assert session.mdtm("DATA.CSV") is None
        assert session.features == {}
        (tmp_path / "d.part").write_bytes(b"partial")
        session.download("DATA.CSV", tmp_path / "d", resume=True)  # no REST STREAM: starts again
    finally:
        session.close()
    assert not (tmp_path / "d").read_bytes().startswith(b"partial")


@pytest.mark.parametrize("ccc", [CCCMode.NO_NOTIFY, CCCMode.NOTIFY])
def test_ccc_in_both_modes_keeps_protected_transfers_working(test_certs: CertificateSet, tmp_path: Path, ccc: CCCMode) -> None:
    context = server_tls_context(str(test_certs.server.cert), str(test_certs.server.key))
    mode = "no-notify" if ccc is CCCMode.NO_NOTIFY else "notify"
    # The server insists on data-session reuse: only the session saved BEFORE CCC can satisfy it.
    server = ZosServer(tls=context, tls_mode="explicit", ccc_mode=mode, require_session_reuse=True).start()
    try:
        started = time.monotonic()
        session, recorder = zos_session(
            server, security=Security.EXPLICIT_TLS, ccc=ccc, tls=TLSOptions(ca_file=str(test_certs.ca.cert))
        )
        try:
            assert session.security.ccc and session.control.tls_socket is None  # type: ignore[union-attr]
            session.download("DATA.CSV", tmp_path / "data.csv")
            assert session.list_dir()
        finally:
            session.close()
        assert time.monotonic() - started < 5  # neither mode may hang
        assert "PROT P" in recorder.sent() and "CCC" in recorder.sent()
        assert session.security.data_resumed is True
        assert (tmp_path / "data.csv").stat().st_size > 0
    finally:
        server.stop()


def test_implicit_with_clear_greeting(test_certs: CertificateSet, tmp_path: Path) -> None:
    context = server_tls_context(str(test_certs.server.cert), str(test_certs.server.key))
    server = ZosServer(tls=context, tls_mode="implicit-clear-greeting").start()
    try:
        session, recorder = zos_session(
            server, security=Security.IMPLICIT_CLEAR_GREETING, tls=TLSOptions(ca_file=str(test_certs.ca.cert))
        )
        try:
            assert session.security.tls_version is not None
            assert session.list_dir()
        finally:
            session.close()
        assert recorder.received()[0].startswith("220")
        assert not any(line.startswith("AUTH") for line in recorder.sent())
    finally:
        server.stop()
