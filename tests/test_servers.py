"""The server fixtures work, and their flags tell the truth (checked with the standard library only).

Each server and mode: log in, list, download a file and compare its bytes with the served folder,
upload one and find its bytes on disk. Then every flag a fixture advertises (CCC, MLSD, session
reuse required, TLS required, TLS versions) is checked against the live server.
"""

from __future__ import annotations

import ftplib
import hashlib
import io
import socket
import ssl
import uuid

import pytest

from tests.servers import SAMPLE_FILES, RunningServer, ServerUnavailable, client_context
from tests.servers.base import free_port_range, wait_until_ready
from tests.servers.pool import ServerPool
from tests.servers.ftplib_client import Mode, StdlibFTPS, download, open_client
from tui_ftp.demo.certs import CertFiles, CertificateSet

PYFTPD = ["pyftpd_plain", "pyftpd_plain_ipv6", "pyftpd_tls", "pyftpd_tls_required", "pyftpd_tls_ipv6"]
DEBIAN_SOFTWARE = ("vsftpd", "proftpd", "pure-ftpd")
DEBIAN = [
    "vsftpd_explicit",
    "vsftpd_explicit_tls12",
    "vsftpd_implicit",
    "vsftpd_ipv6",
    "proftpd_explicit",
    "proftpd_implicit",
    "pureftpd_explicit",
]

# (fixture, client mode): every combination the fixtures are meant to serve.
COMBINATIONS: list[tuple[str, Mode]] = [
    ("pyftpd_plain", "plain"),
    ("pyftpd_plain_ipv6", "plain"),
    ("pyftpd_tls", "plain"),
    ("pyftpd_tls", "tls"),
    ("pyftpd_tls", "tls1.2"),
    ("pyftpd_tls_required", "tls"),
    ("pyftpd_tls_ipv6", "tls"),
    ("vsftpd_explicit", "plain"),
    ("vsftpd_explicit", "tls"),
    ("vsftpd_explicit", "tls1.2"),
    ("vsftpd_explicit_tls12", "tls"),
    ("vsftpd_implicit", "tls"),
    ("vsftpd_implicit", "tls1.2"),
    ("vsftpd_ipv6", "plain"),
    ("vsftpd_ipv6", "tls"),
    ("proftpd_explicit", "plain"),
    ("proftpd_explicit", "tls"),
    ("proftpd_explicit", "tls1.2"),
    ("proftpd_implicit", "tls"),
    ("pureftpd_explicit", "plain"),
    ("pureftpd_explicit", "tls"),
    ("pureftpd_explicit", "tls1.2"),
]


def _param(fixture: str, *rest: object) -> object:
    """A parameter named after its fixture (or server software), marked ``servers`` when Debian's."""
    marks = [pytest.mark.servers] if fixture in DEBIAN or fixture in DEBIAN_SOFTWARE else []
    return pytest.param(fixture, *rest, marks=marks, id="-".join([fixture, *map(str, rest)]))


def _server(request: pytest.FixtureRequest, fixture: str) -> RunningServer:
    server: RunningServer = request.getfixturevalue(fixture)
    return server


def _expected_version(server: RunningServer, mode: Mode) -> str:
    return "TLSv1.3" if mode == "tls" and "1.3" in server.tls_versions else "TLSv1.2"


@pytest.mark.parametrize(("fixture", "mode"), [_param(f, m) for f, m in COMBINATIONS])
def test_login_list_download_upload(request: pytest.FixtureRequest, fixture: str, mode: Mode) -> None:
    server = _server(request, fixture)
    client = open_client(server, mode)
    try:
        if mode != "plain":
            assert isinstance(client.sock, ssl.SSLSocket)
            assert client.sock.version() == _expected_version(server, mode)
            peer = client.sock.getpeercert(binary_form=True)
            assert peer is not None and hashlib.sha256(peer).hexdigest() == server.fingerprint
        assert {"hello.txt", "data.bin", "sub"} <= {name.rsplit("/", 1)[-1] for name in client.nlst()}
        on_disk = (server.home / "data.bin").read_bytes()
        assert download(client, "data.bin") == SAMPLE_FILES["data.bin"] == on_disk
        assert download(client, "sub/nested.txt") == SAMPLE_FILES["sub/nested.txt"]
        _upload_and_check(client, server)
        client.quit()
    finally:
        client.close()


def _upload_and_check(client: ftplib.FTP, server: RunningServer) -> None:
    name = f"upload-{uuid.uuid4().hex}.bin"
    payload = hashlib.shake_256(name.encode()).digest(100_000)
    client.storbinary(f"STOR {name}", io.BytesIO(payload))
    try:
        assert (server.home / name).read_bytes() == payload
        assert client.size(name) == len(payload)
    finally:
        (server.home / name).unlink(missing_ok=True)


TLS_FIXTURES = [f for f in PYFTPD + DEBIAN if f not in ("pyftpd_plain", "pyftpd_plain_ipv6")]


@pytest.mark.parametrize("fixture", [_param(f) for f in TLS_FIXTURES])
def test_ccc_flag(request: pytest.FixtureRequest, fixture: str) -> None:
    """Servers flagged ``ccc`` answer CCC with 200, and TLS data still works on the clear control."""
    server = _server(request, fixture)
    client = open_client(server, "tls")
    try:
        if not server.ccc:
            with pytest.raises(ftplib.error_perm, match=r"^5"):
                client.sendcmd("CCC")
            return
        assert client.ccc().startswith("200")
        assert client.sock.version() is None  # unwrap() leaves an SSLSocket without TLS
        assert download(client, "hello.txt") == SAMPLE_FILES["hello.txt"]
        assert client.sendcmd("NOOP").startswith("200")
    finally:
        client.close()


@pytest.mark.parametrize("fixture", [_param(f) for f in TLS_FIXTURES])
def test_reuse_required_flag(request: pytest.FixtureRequest, fixture: str) -> None:
    """A data connection with a fresh TLS session is refused exactly by servers flagged so."""
    server = _server(request, fixture)
    client = open_client(server, "tls", reuse=False)
    try:
        data = download(client, "data.bin")
    except (ftplib.Error, OSError, EOFError):
        outcome = "refused"
    else:
        outcome = "ok" if data == SAMPLE_FILES["data.bin"] else "truncated"
    finally:
        client.close()
    assert outcome == ("refused" if server.reuse_required else "ok")


@pytest.mark.parametrize("fixture", [_param(f) for f in PYFTPD + DEBIAN])
def test_mlsd_flag(request: pytest.FixtureRequest, fixture: str) -> None:
    server = _server(request, fixture)
    client = open_client(server, "plain" if not server.tls else "tls")
    try:
        if not server.mlsd:
            with pytest.raises(ftplib.error_perm, match=r"^5"):
                list(client.mlsd())
            return
        facts = dict(client.mlsd())
        assert facts["data.bin"]["type"] == "file"
        assert int(facts["data.bin"]["size"]) == len(SAMPLE_FILES["data.bin"])
        assert facts["sub"]["type"] == "dir"
    finally:
        client.close()


ALL_SOFTWARE = ("pyftpdlib", *DEBIAN_SOFTWARE)


@pytest.mark.parametrize("software", [_param(s) for s in ALL_SOFTWARE])
def test_tls_required_refuses_plain_login(ftp_servers: ServerPool, software: str) -> None:
    server = ftp_servers.get(software, tls_required=True)
    assert server.tls_required
    plain = ftplib.FTP(timeout=10)
    try:
        plain.connect(server.host, server.port)
        with pytest.raises((ftplib.error_perm, ftplib.error_temp)):  # pure-ftpd: 421, others 5xx
            plain.login(server.user, server.password)
    finally:
        plain.close()
    secure = open_client(server, "tls")
    try:
        assert download(secure, "hello.txt") == SAMPLE_FILES["hello.txt"]
    finally:
        secure.close()


@pytest.mark.parametrize("software", [_param(s) for s in ("vsftpd", "proftpd")])
def test_reuse_can_be_relaxed(ftp_servers: ServerPool, software: str) -> None:
    server = ftp_servers.get(software, reuse_required=False)
    assert not server.reuse_required
    client = open_client(server, "tls", reuse=False)
    try:
        assert download(client, "data.bin") == SAMPLE_FILES["data.bin"]
    finally:
        client.close()


@pytest.mark.parametrize("fixture", [_param(f) for f in ("vsftpd_implicit", "proftpd_implicit")])
def test_implicit_server_does_not_greet_in_clear(request: pytest.FixtureRequest, fixture: str) -> None:
    """An implicit port expects a TLS ClientHello first: a clear client gets no 220."""
    server = _server(request, fixture)
    assert server.implicit and server.url.startswith("ftps://")
    with socket.create_connection((server.host, server.port), timeout=2) as sock:
        sock.settimeout(0.5)
        try:
            first = sock.recv(3)
        except TimeoutError:
            first = b""
    assert first != b"220"


@pytest.mark.parametrize("software", [_param(s) for s in ALL_SOFTWARE])
def test_tls_max_pins_the_server_to_tls12(ftp_servers: ServerPool, software: str) -> None:
    server = ftp_servers.get(software, tls_max="1.2")
    assert server.ca_file is not None and server.tls_versions == ("1.2",)
    client = open_client(server, "tls")
    try:
        assert isinstance(client.sock, ssl.SSLSocket) and client.sock.version() == "TLSv1.2"
    finally:
        client.close()
    tls13_only = client_context(server.ca_file)
    tls13_only.minimum_version = ssl.TLSVersion.TLSv1_3
    refused = StdlibFTPS(tls13_only)
    try:
        refused.connect(server.host, server.port)
        with pytest.raises(ssl.SSLError):
            refused.auth()
    finally:
        refused.close()


def test_write_file_is_served_with_the_servers_owner(pyftpd_tls: RunningServer) -> None:
    path = pyftpd_tls.write_file(f"made/{uuid.uuid4().hex}.txt", b"written by the test")
    client = open_client(pyftpd_tls, "tls")
    try:
        relative = path.relative_to(pyftpd_tls.home).as_posix()
        assert download(client, relative) == b"written by the test"
    finally:
        client.close()


@pytest.mark.servers
def test_connect_options_describe_the_server(vsftpd_implicit: RunningServer) -> None:
    options = vsftpd_implicit.connect_options()
    assert (options.host, options.port, options.user) == ("127.0.0.1", vsftpd_implicit.port, "tuiftp")
    assert options.security.implicit and options.tls.ca_file == str(vsftpd_implicit.ca_file)
    assert vsftpd_implicit.password not in repr(vsftpd_implicit)


def test_wait_until_ready_gives_up_on_a_silent_port() -> None:
    low, _ = free_port_range("127.0.0.1")
    with pytest.raises(ServerUnavailable, match="no 220 greeting"):
        wait_until_ready("127.0.0.1", low, implicit_context=None, timeout=0.3)


BROKEN_VARIANTS = ["expired", "not_yet_valid", "wrong_host", "self_signed", "unknown_ca_server"]


@pytest.mark.parametrize("variant", BROKEN_VARIANTS)
def test_server_presents_the_certificate_it_was_given(
    ftp_servers: ServerPool, test_certs: CertificateSet, variant: str
) -> None:
    """A server started with a broken certificate shows exactly that one, and the suite's CA refuses it."""
    files: CertFiles = getattr(test_certs, variant)
    server = ftp_servers.get("pyftpdlib", certs=files)
    assert server.fingerprint == files.fingerprint and server.ca_file == files.ca
    unverified = ssl.create_default_context()
    unverified.check_hostname, unverified.verify_mode = False, ssl.CERT_NONE
    for context, refused in ((unverified, False), (client_context(test_certs.ca.cert), True)):
        client = StdlibFTPS(context)
        try:
            client.connect(server.host, server.port)
            if refused:
                with pytest.raises(ssl.SSLCertVerificationError):
                    client.auth()
                continue
            client.auth()
            assert isinstance(client.sock, ssl.SSLSocket)
            peer = client.sock.getpeercert(binary_form=True)
            assert peer is not None and hashlib.sha256(peer).hexdigest() == files.fingerprint
        finally:
            client.close()


@pytest.mark.servers
def test_implicit_server_with_a_broken_certificate_still_starts(
    ftp_servers: ServerPool, test_certs: CertificateSet
) -> None:
    """Readiness does not verify (the server is broken on purpose); a verifying client refuses it."""
    server = ftp_servers.get("vsftpd", implicit=True, certs=test_certs.expired)
    with pytest.raises(ssl.SSLCertVerificationError, match="expired"):
        open_client(server, "tls").close()
