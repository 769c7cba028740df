"""The connection doctor against real servers: its findings must match what each server really does.

pyftpdlib runs in-process; vsftpd, proftpd and pure-ftpd are the Debian servers (``servers`` mark).
The scripted server stands in only for what no real server here shows: a z/OS SYST with the implicit
clear-greeting model and CCC without close_notify, and a server whose data TLS fails on TLS 1.3.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest

from tests.conftest import ServerPool
from tests.servers import RunningServer
from tui_ftp.demo.certs import CertificateSet
from tui_ftp.demo.scripted import DataConnectionError, ScriptedServer, Session, server_tls_context
from tui_ftp.engine.errors import TLSError, UsageError
from tui_ftp.engine.events import Direction, LogLine
from tui_ftp.engine.options import CCCMode, ConnectOptions, DataMode, Security, ServerType, TLSOptions
from tui_ftp.engine.probe import ProbeReport, probe

from .live_helpers import Recorder

TIMEOUT = 5.0


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on (the implicit port of servers without implicit FTPS)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_probe(options: ConnectOptions, implicit_port: int, timeout: float = TIMEOUT) -> tuple[ProbeReport, Recorder]:
    recorder = Recorder()
    report = probe(options, recorder, implicit_port=implicit_port, timeout=timeout)
    return report, recorder


def assert_no_secret(report: ProbeReport, recorder: Recorder, password: str) -> None:
    assert report.suggested.password == ""
    assert password not in json.dumps(report.as_dict())
    assert password not in "\n".join(report.lines())
    assert password not in recorder.log_text()


def assert_all_data_modes_work(report: ProbeReport) -> None:
    for name in ("epsv", "pasv", "eprt", "port_command"):
        assert report.findings()[name].value is True, (name, report.findings()[name])


# == pyftpdlib ======================================================================================


def test_pyftpdlib_tls(pyftpd_tls: RunningServer, closed_port: int) -> None:
    report, recorder = run_probe(pyftpd_tls.connect_options(), closed_port)
    assert report.greeting.value == "tui-ftp test pyftpdlib ready."
    assert report.auth_tls.value is True and report.auth_tls.evidence.startswith("234")
    assert report.auth_ssl.value is True and report.auth_ssl.evidence.startswith("234")
    assert report.implicit.value is False and "refused" in report.implicit.evidence
    assert report.certificate_trusted.value is True
    assert report.certificate is not None and report.certificate.sha256 == pyftpd_tls.fingerprint
    assert report.login.value is True and report.login.evidence.startswith("230")
    assert report.prot_p.value is True and report.prot_p.evidence.startswith("200")
    assert_all_data_modes_work(report)
    assert report.mlst_feature.value is True and report.mlsd.value is True
    assert report.reuse_required.value is False
    assert report.ccc.value is False and report.ccc.evidence.startswith("500")
    assert report.utf8.value is True and report.rest_stream.value is True and report.size.value is True
    assert report.zos.value is False
    assert report.pasv_nat.value is False
    assert report.suggested.security is Security.EXPLICIT_TLS and report.suggested.port == pyftpd_tls.port
    assert report.suggested.data_mode is DataMode.EPSV and report.suggested.ccc is CCCMode.OFF
    assert any("Behind NAT" in text and "EPSV" in text for text in report.explanations)
    assert any("does not accept CCC" in text for text in report.explanations)
    assert not [line for line in recorder.sent() if line.startswith("PASS") and line != "PASS ****"]
    assert_no_secret(report, recorder, pyftpd_tls.password)


def test_every_login_travels_over_tls(pyftpd_tls: RunningServer, closed_port: int) -> None:
    """The probe logs in several times: each USER follows a completed AUTH on the same connection."""
    report, recorder = run_probe(pyftpd_tls.connect_options(Security.PLAIN), closed_port)
    assert report.login.value is True
    assert report.suggested.security is Security.EXPLICIT_TLS  # TLS offered: better than the plain profile
    secured = False
    users = 0
    for event in recorder.events:
        if not isinstance(event, LogLine):
            continue
        if event.text.startswith("TLS established"):
            secured = True
        elif event.text.startswith("connected to"):
            secured = False  # a new session's socket: clear until its handshake
        elif event.direction is Direction.SENT and event.text.startswith("USER"):
            users += 1
            assert secured, "USER sent before TLS"
    assert users >= 2  # the main session and the CCC session


def test_report_as_json_and_text(pyftpd_tls: RunningServer, closed_port: int) -> None:
    report, _ = run_probe(pyftpd_tls.connect_options(), closed_port)
    data = json.loads(json.dumps(report.as_dict()))
    assert data["findings"]["auth_tls"]["value"] is True
    assert data["findings"]["passive_ports"]["value"]
    assert data["suggested"]["security"] == "explicit-tls" and "password" not in data["suggested"]
    assert data["certificate"]["sha256"] == pyftpd_tls.fingerprint
    text = "\n".join(report.lines())
    assert "AUTH TLS" in text and "234" in text
    assert "Suggested profile: security=explicit-tls" in text
    assert report.certificate is not None and report.certificate.fingerprint in text


def test_plain_server_with_plain_options(pyftpd_plain: RunningServer, closed_port: int) -> None:
    report, recorder = run_probe(pyftpd_plain.connect_options(), closed_port)
    assert report.auth_tls.value is False and report.auth_tls.evidence[:1] == "5"
    assert report.auth_ssl.value is False
    assert report.login.value is True  # the caller asked for plain FTP
    assert report.prot_p.value is None and report.ccc.value is None and report.reuse_required.value is None
    assert report.epsv.value is True and report.mlsd.value is True
    assert report.suggested.security is Security.PLAIN
    assert any("travel in clear" in text for text in report.explanations)
    assert_no_secret(report, recorder, pyftpd_plain.password)


def test_plain_server_never_gets_the_password_when_tls_is_asked(pyftpd_plain: RunningServer, closed_port: int) -> None:
    report, recorder = run_probe(pyftpd_plain.connect_options(Security.EXPLICIT_TLS), closed_port)
    assert report.auth_tls.value is False
    assert report.login.value is None and "never sent in clear" in report.login.evidence
    assert not any(line.startswith(("USER", "PASS")) for line in recorder.sent())
    assert report.suggested.security is Security.EXPLICIT_TLS  # not silently downgraded


def test_wrong_password_is_a_finding(pyftpd_tls: RunningServer, closed_port: int) -> None:
    report, _ = run_probe(pyftpd_tls.connect_options(password="not-the-password"), closed_port)
    assert report.auth_tls.value is True
    assert report.login.value is False and report.login.evidence.startswith("530")
    assert report.prot_p.value is None and report.epsv.value is None and report.ccc.value is None
    assert any("login failed" in text for text in report.explanations)


def test_untrusted_certificate_is_reported_and_pinned_for_the_probe(
    ftp_servers: ServerPool, test_certs: CertificateSet, closed_port: int
) -> None:
    certs = test_certs.self_signed
    server = ftp_servers.get("pyftpdlib", certs=certs)
    options = server.connect_options(tls=TLSOptions(ca_file=str(test_certs.ca.cert)))
    report, recorder = run_probe(options, closed_port)
    assert report.certificate_trusted.value is False and "self-signed" in report.certificate_trusted.evidence
    assert report.certificate is not None and report.certificate.sha256 == certs.fingerprint
    assert report.login.value is True and report.epsv.value is True  # probing went on, pinned
    assert any(report.certificate.fingerprint in note for note in report.notes)
    assert any(report.certificate.fingerprint in text for text in report.explanations)
    assert report.suggested.tls.pinned_sha256 is None  # trusting it stays the user's decision
    assert_no_secret(report, recorder, server.password)


def test_a_port_that_never_answers_is_a_finding_within_the_timeout(pyftpd_tls: RunningServer) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)  # the kernel completes TCP connects; nobody ever speaks
        started = time.monotonic()
        report, _ = run_probe(pyftpd_tls.connect_options(), silent.getsockname()[1], timeout=1.0)
        elapsed = time.monotonic() - started
    assert report.implicit.value is False and "timed out" in report.implicit.evidence
    assert report.implicit_clear_greeting.value is False and "1 s" in report.implicit_clear_greeting.evidence
    assert report.auth_tls.value is True and report.login.value is True
    assert elapsed < 6


def test_nothing_listening_is_a_finding(closed_port: int) -> None:
    options = ConnectOptions(host="127.0.0.1", port=closed_port, user="someone", password="secret-pw-1")
    report, recorder = run_probe(options, closed_port)
    assert report.implicit_port is None  # the same port as the clear one: not probed twice
    assert report.greeting.value is None and "refused" in report.greeting.evidence
    assert report.auth_tls.value is False and report.auth_tls.evidence == report.greeting.evidence
    assert report.login.value is None and report.suggested.security is Security.EXPLICIT_TLS
    assert any("did not log in" in text for text in report.explanations)
    assert report.lines()[0].startswith("Connection doctor: 127.0.0.1")
    assert_no_secret(report, recorder, "secret-pw-1")


@pytest.mark.parametrize(
    ("tls", "timeout", "error"),
    [
        (TLSOptions(), 0.0, UsageError),
        (TLSOptions(pinned_sha256="not-a-fingerprint"), TIMEOUT, UsageError),
        (TLSOptions(max_version="1.1"), TIMEOUT, UsageError),
        (TLSOptions(ca_file="/nonexistent/ca.pem"), TIMEOUT, TLSError),
    ],
)
def test_unusable_options_raise_before_anything_is_sent(
    tls: TLSOptions, timeout: float, error: type[Exception], closed_port: int
) -> None:
    recorder = Recorder()
    with pytest.raises(error):
        probe(ConnectOptions(host="127.0.0.1", port=closed_port, tls=tls), recorder, timeout=timeout)
    assert recorder.events == []


# == Debian servers =================================================================================


@pytest.mark.servers
def test_vsftpd(vsftpd_explicit: RunningServer, vsftpd_implicit: RunningServer) -> None:
    report, recorder = run_probe(vsftpd_explicit.connect_options(), vsftpd_implicit.port)
    assert report.auth_tls.value is True and report.auth_ssl.value is True
    assert report.implicit.value is True and report.implicit.evidence.startswith("220")
    assert report.login.value is True and report.prot_p.value is True
    assert_all_data_modes_work(report)
    assert report.data_session_resumed.value is True
    assert report.reuse_required.value is True and "522" in report.reuse_required.evidence
    assert report.ccc.value is False and report.ccc.evidence.startswith("500")
    assert report.mlsd.value is False and report.mlst_feature.value is False
    assert report.suggested.security is Security.EXPLICIT_TLS and report.suggested.data_mode is DataMode.EPSV
    assert any("Keep session reuse on" in text for text in report.explanations)
    assert_no_secret(report, recorder, vsftpd_explicit.password)


@pytest.mark.servers
def test_vsftpd_implicit_only(vsftpd_implicit: RunningServer) -> None:
    report, _ = run_probe(vsftpd_implicit.connect_options(), 990)
    assert report.port is None and report.implicit_port == vsftpd_implicit.port
    assert report.auth_tls.value is None  # no clear port was probed
    assert report.implicit.value is True and report.greeting.evidence.startswith("220")
    assert report.login.value is True and report.reuse_required.value is True
    assert report.suggested.security is Security.IMPLICIT and report.suggested.port == vsftpd_implicit.port


@pytest.mark.servers
def test_proftpd(proftpd_explicit: RunningServer, proftpd_implicit: RunningServer) -> None:
    report, recorder = run_probe(proftpd_explicit.connect_options(), proftpd_implicit.port)
    assert report.auth_tls.value is True and report.implicit.value is True
    assert_all_data_modes_work(report)
    assert report.reuse_required.value is True and report.reuse_required.evidence.startswith("425")
    assert report.ccc.value is True and "200 Clearing control channel protection" in report.ccc.evidence
    assert report.ccc_close_notify.value is True
    assert report.mlsd.value is True and report.utf8.value is True
    assert any("accepts CCC" in text for text in report.explanations)
    assert report.suggested.ccc is CCCMode.OFF  # CCC is explained, never switched on for the user
    assert_no_secret(report, recorder, proftpd_explicit.password)


@pytest.mark.servers
def test_pureftpd(pureftpd_explicit: RunningServer, closed_port: int) -> None:
    report, recorder = run_probe(pureftpd_explicit.connect_options(), closed_port)
    assert report.auth_tls.value is True
    assert report.auth_ssl.value is False and report.auth_ssl.evidence.startswith("500")
    assert report.implicit.value is False
    assert_all_data_modes_work(report)
    assert report.reuse_required.value is False
    assert report.ccc.value is True and "200 Control connection unencrypted" in report.ccc.evidence
    assert report.mlsd.value is True
    assert_no_secret(report, recorder, pureftpd_explicit.password)


# == scripted: what no real server here shows =======================================================


class ZosLikeSession(Session):
    """z/OS's SYST and a one-line dataset listing (the rest is the scripted server's)."""

    system = "MVS is the operating system of this server. FTP Server is running on z/OS."

    def cmd_LIST(self, argument: str) -> None:
        self.reply(125, "List started OK")
        self.send_data(b"Volume Unit    Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname\r\n")
        self.reply(250, "List completed successfully.")


class NoTLS13DataSession(Session):
    """Refuses protected data connections while the control connection is on TLS 1.3 (curl#4654)."""

    def cmd_LIST(self, argument: str) -> None:
        tls = self.stream.tls
        if self.prot == "P" and tls is not None and tls.version() == "TLSv1.3":
            raise DataConnectionError(425, "Unable to build data connection: TLS 1.3 session not resumable")
        self.reply(150, "Here comes the listing.")
        self.send_data(b"-rw-r--r-- 1 u g 5 Jan 01 2026 a.txt\r\n")
        self.reply(226, "Transfer complete.")


@pytest.fixture
def zos_like(test_certs: CertificateSet) -> Iterator[ScriptedServer]:
    context = server_tls_context(str(test_certs.server.cert), str(test_certs.server.key))
    with ScriptedServer(
        ZosLikeSession, tls=context, tls_mode="implicit-clear-greeting", ccc_mode="no-notify"
    ) as server:
        yield server


@pytest.fixture
def no_tls13_data(test_certs: CertificateSet) -> Iterator[ScriptedServer]:
    context = server_tls_context(str(test_certs.server.cert), str(test_certs.server.key))
    with ScriptedServer(NoTLS13DataSession, tls=context, tls_mode="explicit") as server:
        yield server


def scripted_options(server: ScriptedServer, test_certs: CertificateSet, security: Security) -> ConnectOptions:
    return ConnectOptions(
        host="127.0.0.1", port=server.port, user="user", password="pass", security=security,
        tls=TLSOptions(ca_file=str(test_certs.ca.cert)),
    )  # fmt: skip


def test_zos_clear_greeting_implicit_and_ccc_without_close_notify(
    zos_like: ScriptedServer, test_certs: CertificateSet
) -> None:
    options = scripted_options(zos_like, test_certs, Security.IMPLICIT_CLEAR_GREETING)
    report, _ = run_probe(options, 990, timeout=1.5)
    assert report.implicit.value is False  # the port greets in clear: a TLS-first client fails
    assert report.implicit_clear_greeting.value is True
    assert report.zos.value is True and report.system.value is not None and report.system.value.startswith("MVS")
    assert report.login.value is True and report.epsv.value is True and report.mlsd.value is False
    assert report.ccc.value is True and report.ccc_close_notify.value is False
    assert report.suggested.security is Security.IMPLICIT_CLEAR_GREETING
    assert report.suggested.server_type is ServerType.MVS
    assert any("CCCNONOTIFY" in text for text in report.explanations)
    assert any("z/OS" in text for text in report.explanations)
    commands = zos_like.commands.snapshot()
    assert all(command.secure for command in commands if command.verb in ("USER", "PASS"))


def test_data_failing_on_tls13_suggests_tls12(
    no_tls13_data: ScriptedServer, test_certs: CertificateSet, closed_port: int
) -> None:
    report, _ = run_probe(scripted_options(no_tls13_data, test_certs, Security.EXPLICIT_TLS), closed_port)
    assert report.tls12_needed.value is True
    assert report.tls_version.value == "TLSv1.2"
    assert report.epsv.value is True  # measured again on TLS 1.2
    assert report.suggested.tls.max_version == "1.2"
    assert any("maximum TLS 1.2" in text for text in report.explanations)
