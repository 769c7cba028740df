"""TLS behaviours no real server here shows: client-certificate login, a different data certificate."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from tests.engine.live_helpers import Recorder
from tests.hostile.servers import PASSWORD, USER, FileSession, file_session
from tui_ftp.demo.certs import CertificateSet, make_client_cert, make_server_cert
from tui_ftp.demo.scripted import DataConnection, ScriptedServer, server_tls_context
from tui_ftp.engine.errors import CertificateError, TLSError, UsageError
from tui_ftp.engine.options import ConnectOptions, Security, TLSOptions
from tui_ftp.engine.session import FTPSession
from tui_ftp.engine.tls import build_context

PAYLOAD = b"certificate-bound data\n" * 100


class CertificateLoginSession(FileSession):
    """z/OS SECURE_LOGIN with SECURE_PASSWORD OPTIONAL: a client certificate logs the user in."""

    def cmd_USER(self, argument: str) -> None:
        tls = self.stream.tls
        if tls is not None and tls.getpeercert():
            self.user, self.logged_in = argument, True
            self.reply(230, f"{argument} is logged on by certificate.")
        else:
            self.reply(530, "A client certificate is required.")


def test_client_certificate_logs_in_without_a_password(test_certs: CertificateSet, tmp_path: Path) -> None:
    client = make_client_cert(test_certs.ca, tmp_path)
    context = server_tls_context(str(test_certs.server.cert), str(test_certs.server.key))
    context.verify_mode = ssl.CERT_OPTIONAL
    context.load_verify_locations(str(test_certs.ca.cert))
    server = ScriptedServer(file_session({"f.txt": PAYLOAD}, CertificateLoginSession), tls=context, tls_mode="explicit").start()
    try:
        recorder = Recorder()
        options = ConnectOptions(
            host="127.0.0.1",
            port=server.port,
            user=USER,
            password="",
            tls=TLSOptions(ca_file=str(test_certs.ca.cert), client_cert=str(client.cert), client_key=str(client.key)),
            reply_timeout=5,
        )
        session = FTPSession(options, recorder)
        session.connect()
        session.download("f.txt", tmp_path / "f.txt")
        session.close()
    finally:
        server.stop()
    assert (tmp_path / "f.txt").read_bytes() == PAYLOAD
    assert not any(line.startswith("PASS") for line in recorder.sent())


class OtherDataCertificateSession(FileSession):
    """Presents a different (valid, same-CA) certificate on data connections: must be refused."""

    def open_data(self) -> DataConnection:
        control_context = self.server.tls
        self.server.tls = self.server.data_context  # type: ignore[attr-defined]
        try:
            return super().open_data()
        finally:
            self.server.tls = control_context


def test_a_data_certificate_other_than_the_control_one_is_refused(test_certs: CertificateSet, tmp_path: Path) -> None:
    other = make_server_cert(test_certs.ca, tmp_path, name="other-localhost")
    server = ScriptedServer(
        file_session({"f.bin": PAYLOAD}, OtherDataCertificateSession),
        tls=server_tls_context(str(test_certs.server.cert), str(test_certs.server.key)),
        tls_mode="explicit",
        users={USER: PASSWORD},
    )
    server.data_context = server_tls_context(str(other.cert), str(other.key))  # type: ignore[attr-defined]
    server.start()
    try:
        options = ConnectOptions(
            host="127.0.0.1", port=server.port, user=USER, password=PASSWORD, tls=TLSOptions(ca_file=str(test_certs.ca.cert)), reply_timeout=5
        )
        session = FTPSession(options)
        session.connect()
        with pytest.raises(CertificateError, match="different certificate"):
            session.download("f.bin", tmp_path / "f.bin")
        session.close()
    finally:
        server.stop()
    assert not (tmp_path / "f.bin").exists()


def test_context_options_are_checked() -> None:
    with pytest.raises(UsageError, match="cipher"):
        build_context(TLSOptions(ciphers="NOT-A-CIPHER"))
    with pytest.raises(UsageError, match="TLS version"):
        build_context(TLSOptions(min_version="1.0"))
    with pytest.raises(UsageError, match="fingerprint"):
        build_context(TLSOptions(pinned_sha256="abc"))
    with pytest.raises(TLSError, match="CA file"):
        build_context(TLSOptions(ca_file="/nonexistent/ca.pem"))
    context = build_context(TLSOptions(min_version="1.3", ciphers="ECDHE+AESGCM"))
    assert context.minimum_version is ssl.TLSVersion.TLSv1_3
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname


class StallAfterSomeBytesSession(FileSession):
    """Sends 40,000 bytes over PROT P, then stops sending without closing."""

    def send_file(self, name: str, payload: bytes) -> None:
        with self.open_data() as data:
            data.send(payload[:40_000])
            self.server.stopping.wait(10)


def test_bytes_gathered_before_a_tls_stall_are_kept_for_resume(test_certs: CertificateSet, tmp_path: Path) -> None:
    from tui_ftp.engine.errors import FTPTimeout

    payload = bytes(range(256)) * 400
    server = ScriptedServer(
        file_session({"f.bin": payload}, StallAfterSomeBytesSession),
        tls=server_tls_context(str(test_certs.server.cert), str(test_certs.server.key)),
        tls_mode="explicit",
        users={USER: PASSWORD},
    ).start()
    try:
        options = ConnectOptions(
            host="127.0.0.1", port=server.port, user=USER, password=PASSWORD, tls=TLSOptions(ca_file=str(test_certs.ca.cert)), reply_timeout=1
        )
        session = FTPSession(options)
        session.connect()
        with pytest.raises(FTPTimeout):
            session.download("f.bin", tmp_path / "f.bin")
        session.close_quietly()
    finally:
        server.stop()
    assert (tmp_path / "f.bin.part").read_bytes() == payload[:40_000]
    assert not (tmp_path / "f.bin").exists()
