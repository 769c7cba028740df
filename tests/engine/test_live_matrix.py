"""Every security mode and data-connection mode against the real servers that support it.

Each case logs in, lists the home folder, downloads a file and uploads one, and checks the bytes on
the server's disk and in the local folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.servers import SAMPLE_FILES, RunningServer
from tui_ftp.engine.options import CCCMode, DataMode, Security, TLSOptions

from .live_helpers import open_session

P, TLS, SSL, IMPL = Security.PLAIN, Security.EXPLICIT_TLS, Security.EXPLICIT_SSL, Security.IMPLICIT
AUTO, EPSV, PASV, EPRT, PORT = DataMode.AUTO, DataMode.EPSV, DataMode.PASV, DataMode.EPRT, DataMode.PORT

# (fixture, security, data mode, ccc, server-side check of reuse)
CASES = [
    ("pyftpd_plain", P, AUTO, CCCMode.OFF),
    ("pyftpd_plain", P, PASV, CCCMode.OFF),
    ("pyftpd_plain", P, EPRT, CCCMode.OFF),
    ("pyftpd_plain", P, PORT, CCCMode.OFF),
    ("pyftpd_plain_ipv6", P, AUTO, CCCMode.OFF),
    ("pyftpd_plain_ipv6", P, EPRT, CCCMode.OFF),
    ("pyftpd_tls", TLS, AUTO, CCCMode.OFF),
    ("pyftpd_tls", SSL, PASV, CCCMode.OFF),
    ("pyftpd_tls", TLS, PORT, CCCMode.OFF),
    ("pyftpd_tls_required", TLS, EPRT, CCCMode.OFF),
    ("pyftpd_tls_ipv6", TLS, AUTO, CCCMode.OFF),
    ("pyftpd_tls_ipv6", TLS, EPRT, CCCMode.OFF),
    ("vsftpd_explicit", TLS, AUTO, CCCMode.OFF),
    ("vsftpd_explicit", TLS, PASV, CCCMode.OFF),
    ("vsftpd_explicit", TLS, EPRT, CCCMode.OFF),
    ("vsftpd_explicit", TLS, PORT, CCCMode.OFF),
    ("vsftpd_explicit", P, EPSV, CCCMode.OFF),
    ("vsftpd_explicit_tls12", TLS, AUTO, CCCMode.OFF),
    ("vsftpd_implicit", IMPL, AUTO, CCCMode.OFF),
    ("vsftpd_ipv6", TLS, AUTO, CCCMode.OFF),
    ("vsftpd_ipv6", TLS, EPRT, CCCMode.OFF),
    ("proftpd_explicit", TLS, AUTO, CCCMode.OFF),
    ("proftpd_explicit", TLS, PASV, CCCMode.OFF),
    ("proftpd_explicit", TLS, PORT, CCCMode.OFF),
    ("proftpd_explicit", TLS, AUTO, CCCMode.NOTIFY),
    ("proftpd_implicit", IMPL, AUTO, CCCMode.OFF),
    ("pureftpd_explicit", TLS, AUTO, CCCMode.OFF),
    ("pureftpd_explicit", TLS, EPRT, CCCMode.OFF),
    ("pureftpd_explicit", TLS, AUTO, CCCMode.NOTIFY),
    ("pureftpd_explicit", P, PASV, CCCMode.OFF),
]


def case_id(case: tuple[str, Security, DataMode, CCCMode]) -> str:
    fixture, security, data_mode, ccc = case
    suffix = "" if ccc is CCCMode.OFF else f"-ccc-{ccc.value}"
    return f"{fixture}-{security.value}-{data_mode.value}{suffix}"


@pytest.mark.parametrize("case", CASES, ids=[case_id(case) for case in CASES])
def test_login_list_download_upload(case: tuple[str, Security, DataMode, CCCMode], request: pytest.FixtureRequest, tmp_path: Path) -> None:
    fixture, security, data_mode, ccc = case
    if not fixture.startswith("pyftpd"):
        request.applymarker(pytest.mark.servers)
    server: RunningServer = request.getfixturevalue(fixture)
    session, recorder = open_session(server, security, data_mode=data_mode, ccc=ccc)
    try:
        names = {entry.name for entry in session.list_dir()}
        assert {"hello.txt", "data.bin", "sub"} <= names

        target = tmp_path / "data.bin"
        assert session.download("data.bin", target) == len(SAMPLE_FILES["data.bin"])
        assert target.read_bytes() == SAMPLE_FILES["data.bin"]
        assert not (tmp_path / "data.bin.part").exists()

        payload = bytes(range(256)) * 1000 + case_id(case).encode()
        source = tmp_path / "up.bin"
        source.write_bytes(payload)
        remote_name = f"up-{case_id(case)}.bin"
        session.upload(source, remote_name)
        assert (server.home / remote_name).read_bytes() == payload
        session.delete(remote_name)
        assert not (server.home / remote_name).exists()
    finally:
        session.close()

    security_info = session.security
    sent = recorder.sent()
    assert "PASS ****" in sent and server.password not in recorder.log_text()
    if security is P:
        assert security_info.tls_version is None
        assert not any(line.startswith("AUTH") for line in sent)
    else:
        assert security_info.tls_version in ("TLSv1.2", "TLSv1.3")
        assert security_info.certificate is not None and security_info.certificate.sha256 == server.fingerprint
        assert security_info.trust == "verified"
        assert security_info.prot_transfers == "P"
        if server.reuse_required:
            assert security_info.data_resumed is True
        # USER must follow the TLS handshake: nothing but AUTH before it went in clear.
        assert sent.index("USER " + server.user) > (sent.index(f"AUTH {'SSL' if security is SSL else 'TLS'}") if security in (TLS, SSL) else -1)
    if ccc is not CCCMode.OFF:
        assert security_info.ccc is True
        assert "CCC" in sent
    if fixture == "vsftpd_explicit_tls12" and security is not P:
        assert security_info.tls_version == "TLSv1.2"


def test_listings_in_clear_and_files_protected(pyftpd_tls: RunningServer, tmp_path: Path) -> None:
    """Core FTP's "SSL listings" off, "SSL transfers" on: PROT C for LIST, PROT P for RETR."""
    session, recorder = open_session(pyftpd_tls, protect_listings=False, protect_transfers=True)
    try:
        session.list_dir()
        session.download("hello.txt", tmp_path / "hello.txt")
        session.list_dir()
    finally:
        session.close()
    prot = [line for line in recorder.sent() if line.startswith("PROT")]
    assert prot == ["PROT C", "PROT P", "PROT C"]
    assert (tmp_path / "hello.txt").read_bytes() == SAMPLE_FILES["hello.txt"]


def test_tls_version_bounds_are_applied(pyftpd_tls: RunningServer) -> None:
    session, _ = open_session(pyftpd_tls, tls=TLSOptions(ca_file=str(pyftpd_tls.ca_file), max_version="1.2"))
    try:
        assert session.security.tls_version == "TLSv1.2"
    finally:
        session.close()
