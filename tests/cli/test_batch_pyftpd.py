"""The real ``tui-ftp`` executable against pyftpdlib (plain and explicit FTPS): results and exit codes."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from tests.servers import SAMPLE_FILES, RunningServer
from tui_ftp.demo.certs import CertificateSet
from tui_ftp.engine.tls import colon_fingerprint
from tui_ftp.sites import KnownCertificates, PasswordMode, SiteProfile, SiteStore

from .conftest import PASSWORD_VARIABLE, Cli, url

TREE: dict[str, bytes] = {
    "top.txt": b"top level\n",
    "empty.bin": b"",
    "nested/deeper/leaf.bin": bytes(range(256)) * 40,
    "with space/naïve café.txt": b"unicode name\n",
}


@pytest.fixture(params=["plain", "explicit"])
def pyftpd(request: pytest.FixtureRequest) -> RunningServer:
    """pyftpdlib over ftp:// and over ftpes:// (AUTH TLS, certificate verified with the test CA)."""
    name = "pyftpd_plain" if request.param == "plain" else "pyftpd_tls"
    server: RunningServer = request.getfixturevalue(name)
    return server


def unique_folder(tmp_path: Path) -> str:
    """A remote folder name of this test's own (the pyftpdlib servers are shared by the session)."""
    return f"cli-{tmp_path.parent.name}-{tmp_path.name}"[-60:]


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def read_tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}


# -- ls -------------------------------------------------------------------------------------------


def test_ls_prints_one_line_per_entry(cli: Cli, pyftpd: RunningServer) -> None:
    run = cli.on(pyftpd, "ls", url(pyftpd))
    assert run.code == 0, run
    lines = run.stdout.splitlines()
    by_name = {line.split()[-1]: line for line in lines}
    assert {"hello.txt", "data.bin", "sub"} <= by_name.keys()
    assert by_name["sub"].startswith("d ")
    assert "200,000" in by_name["data.bin"]
    assert run.stderr == ""


def test_ls_json_has_every_field(cli: Cli, pyftpd: RunningServer) -> None:
    run = cli.on(pyftpd, "ls", url(pyftpd), "--json")
    assert run.code == 0, run
    entries = {entry["name"]: entry for entry in json.loads(run.stdout)}
    assert entries["data.bin"]["type"] == "file"
    assert entries["data.bin"]["size"] == len(SAMPLE_FILES["data.bin"])
    assert entries["sub"]["type"] == "dir"
    assert datetime.fromisoformat(entries["hello.txt"]["modified"]).year >= 2024
    assert set(entries["hello.txt"]) >= {"name", "type", "size", "modified", "permissions", "attrs"}


# -- get / put ------------------------------------------------------------------------------------


def test_get_writes_the_file_under_its_remote_name(cli: Cli, pyftpd: RunningServer) -> None:
    run = cli.on(pyftpd, "get", url(pyftpd, "data.bin"))
    assert run.code == 0, run
    assert (cli.workdir / "data.bin").read_bytes() == SAMPLE_FILES["data.bin"]
    assert sorted(path.name for path in cli.workdir.iterdir()) == ["data.bin"]  # no .part left


def test_get_into_an_existing_folder_or_to_a_new_name(cli: Cli, pyftpd: RunningServer) -> None:
    (cli.workdir / "into").mkdir()
    assert cli.on(pyftpd, "get", url(pyftpd, "sub/nested.txt"), "into").code == 0
    assert cli.on(pyftpd, "get", url(pyftpd, "hello.txt"), "renamed.txt").code == 0
    assert (cli.workdir / "into" / "nested.txt").read_bytes() == SAMPLE_FILES["sub/nested.txt"]
    assert (cli.workdir / "renamed.txt").read_bytes() == SAMPLE_FILES["hello.txt"]


def test_put_uploads_under_a_temporary_name_then_renames(cli: Cli, pyftpd: RunningServer, tmp_path: Path) -> None:
    folder = unique_folder(tmp_path)
    (pyftpd.home / folder).mkdir()
    source = cli.workdir / "report.bin"
    source.write_bytes(os.urandom(150_000))
    run = cli.on(pyftpd, "put", source, url(pyftpd, folder + "/"), "-v")
    assert run.code == 0, run
    assert (pyftpd.home / folder / "report.bin").read_bytes() == source.read_bytes()
    assert sorted(path.name for path in (pyftpd.home / folder).iterdir()) == ["report.bin"]
    sent = [line[2:] for line in run.stderr.splitlines() if line.startswith("> ")]
    assert f"STOR /{folder}/report.bin.part" in sent
    assert f"RNTO /{folder}/report.bin" in sent
    assert run.stdout == ""


def test_recursive_put_then_get_round_trips_a_tree(cli: Cli, pyftpd: RunningServer, tmp_path: Path) -> None:
    folder = unique_folder(tmp_path)
    write_tree(cli.workdir / "tree", TREE)
    up = cli.on(pyftpd, "put", "-r", "tree", url(pyftpd, folder))
    assert up.code == 0, up
    assert read_tree(pyftpd.home / folder) == TREE
    down = cli.on(pyftpd, "get", url(pyftpd, folder), "copy", "-r")
    assert down.code == 0, down
    assert read_tree(cli.workdir / "copy") == TREE


def test_get_resume_continues_the_part_file(cli: Cli, pyftpd: RunningServer) -> None:
    data = SAMPLE_FILES["data.bin"]
    (cli.workdir / "data.bin.part").write_bytes(data[:70_000])
    run = cli.on(pyftpd, "get", url(pyftpd, "data.bin"), "--resume", "-v")
    assert run.code == 0, run
    assert (cli.workdir / "data.bin").read_bytes() == data
    assert "> REST 70000" in run.stderr.splitlines()


def test_put_resume_continues_the_remote_part_file(cli: Cli, pyftpd: RunningServer, tmp_path: Path) -> None:
    folder = unique_folder(tmp_path)
    payload = os.urandom(300_000)
    (pyftpd.home / folder).mkdir()
    (pyftpd.home / folder / "big.bin.part").write_bytes(payload[:100_000])
    (cli.workdir / "big.bin").write_bytes(payload)
    run = cli.on(pyftpd, "put", "big.bin", url(pyftpd, f"{folder}/big.bin"), "--resume", "-v")
    assert run.code == 0, run
    assert (pyftpd.home / folder / "big.bin").read_bytes() == payload
    assert not (pyftpd.home / folder / "big.bin.part").exists()
    assert "> REST 100000" in run.stderr.splitlines()


# -- exit codes -----------------------------------------------------------------------------------


def test_wrong_password_is_exit_code_5(cli: Cli, pyftpd_tls: RunningServer) -> None:
    wrong = url(pyftpd_tls).replace("@", ":not-the-password@", 1)
    run = cli("ls", wrong, "--ca-file", str(pyftpd_tls.ca_file))
    assert run.code == 5, run
    assert "Login refused" in run.stderr
    assert "not-the-password" not in run.stderr + run.stdout


def test_untrusted_certificate_is_exit_code_4_with_the_fingerprint(
    cli: Cli, pyftpd_tls: RunningServer, test_certs: CertificateSet
) -> None:
    environment = {PASSWORD_VARIABLE: pyftpd_tls.password}
    refused = cli("ls", url(pyftpd_tls), "--password-env", PASSWORD_VARIABLE, env=environment)
    fingerprint = colon_fingerprint(test_certs.server.fingerprint)
    assert refused.code == 4, refused
    assert fingerprint in refused.stderr
    assert "--fingerprint" in refused.stderr and "--ca-file" in refused.stderr
    pinned = cli("ls", url(pyftpd_tls), "--fingerprint", fingerprint, "--password-env", PASSWORD_VARIABLE, env=environment)
    assert pinned.code == 0, pinned
    assert "hello.txt" in pinned.stdout


def test_a_certificate_trusted_in_the_tui_is_accepted_in_batch(
    cli: Cli, pyftpd_tls: RunningServer, test_certs: CertificateSet
) -> None:
    """The TUI pins a certificate the user accepted (known_certificates.toml): batch jobs honour it."""
    known = KnownCertificates(cli.sandbox / "data" / "known_certificates.toml")
    environment = {PASSWORD_VARIABLE: pyftpd_tls.password}
    known.pin(pyftpd_tls.host, pyftpd_tls.port, test_certs.server.fingerprint)
    trusted = cli("ls", url(pyftpd_tls), "--password-env", PASSWORD_VARIABLE, env=environment)
    assert trusted.code == 0, trusted
    known.pin(pyftpd_tls.host, pyftpd_tls.port, "ab" * 32)
    changed = cli("ls", url(pyftpd_tls), "--password-env", PASSWORD_VARIABLE, env=environment)
    assert changed.code == 4 and "CHANGED" in changed.stderr, changed


def test_missing_remote_file_is_exit_code_6_and_leaves_nothing(cli: Cli, pyftpd: RunningServer) -> None:
    run = cli.on(pyftpd, "get", url(pyftpd, "no-such-file.txt"))
    assert run.code == 6, run
    assert "550" in run.stderr
    assert list(cli.workdir.iterdir()) == []


def test_a_file_in_the_way_of_the_local_folder_is_exit_code_7(cli: Cli, pyftpd: RunningServer) -> None:
    (cli.workdir / "blocker").write_text("a file, not a folder")
    run = cli.on(pyftpd, "get", url(pyftpd, "hello.txt"), "blocker/hello.txt")
    assert run.code == 7, run
    assert "blocker" in run.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_local_folder_is_exit_code_7(cli: Cli, pyftpd: RunningServer) -> None:
    locked = cli.workdir / "locked"
    locked.mkdir(mode=0o500)
    run = cli.on(pyftpd, "get", url(pyftpd, "hello.txt"), "locked")
    assert run.code == 7, run
    assert "permission denied" in run.stderr


def test_no_password_and_no_terminal_is_a_usage_error(cli: Cli, pyftpd_plain: RunningServer) -> None:
    run = cli("ls", url(pyftpd_plain))
    assert run.code == 2, run
    assert "--password-env" in run.stderr


def test_bad_option_value_is_exit_code_2(cli: Cli) -> None:
    assert cli("ls", "ftp://127.0.0.1:9/", "--port-range", "9-3").code == 2
    assert cli("ls", "gopher://example.invalid/").code == 2
    assert cli("frobnicate-is-not-a-url").code == 2


# -- other commands -------------------------------------------------------------------------------


def test_mkdir_mv_rm_and_quote(cli: Cli, pyftpd: RunningServer, tmp_path: Path) -> None:
    folder = unique_folder(tmp_path)
    assert cli.on(pyftpd, "mkdir", "-p", url(pyftpd, f"{folder}/a/b")).code == 0
    assert (pyftpd.home / folder / "a" / "b").is_dir()
    (pyftpd.home / folder / "a" / "old.txt").write_bytes(b"x")
    assert cli.on(pyftpd, "mv", url(pyftpd, f"{folder}/a/old.txt"), f"/{folder}/a/b/new.txt").code == 0
    assert (pyftpd.home / folder / "a" / "b" / "new.txt").read_bytes() == b"x"
    assert cli.on(pyftpd, "rm", url(pyftpd, f"{folder}/a/b/new.txt")).code == 0
    assert cli.on(pyftpd, "rm", "--dir", url(pyftpd, f"{folder}/a/b")).code == 0
    assert not (pyftpd.home / folder / "a" / "b").exists()
    syst = cli.on(pyftpd, "quote", url(pyftpd), "SYST")
    assert (syst.code, syst.stdout.strip()) == (0, "215 UNIX Type: L8")
    refused = cli.on(pyftpd, "quote", url(pyftpd), "XYZZY")
    assert refused.code == 6 and refused.stdout.startswith("500"), refused
    assert cli.on(pyftpd, "mkdir", url(pyftpd, f"{folder}/a")).code == 6  # exists already


def test_log_file_has_the_transcript_with_the_password_masked(cli: Cli, pyftpd: RunningServer) -> None:
    log = cli.workdir / "session.log"
    secret_url = url(pyftpd, password=True)
    options = ["--ca-file", str(pyftpd.ca_file)] if pyftpd.ca_file else []
    run = cli("ls", secret_url, "--log", log, *options)
    assert run.code == 0, run
    transcript = log.read_text()
    assert "> USER alice" in transcript and "> PASS ****" in transcript
    assert pyftpd.password not in transcript + run.stderr + run.stdout
    assert "USER" not in run.stdout + run.stderr  # without -v nothing but the result


def test_password_from_netrc(cli: Cli, pyftpd_plain: RunningServer) -> None:
    netrc = cli.home / ".netrc"
    netrc.write_text(f"machine {pyftpd_plain.host} login {pyftpd_plain.user} password {pyftpd_plain.password}\n")
    netrc.chmod(0o600)
    run = cli("ls", f"ftp://{pyftpd_plain.host}:{pyftpd_plain.port}/sub")
    assert run.code == 0, run
    assert "nested.txt" in run.stdout


def test_saved_site_supplies_host_folder_and_security(cli: Cli, pyftpd_tls: RunningServer) -> None:
    store = SiteStore(cli.sandbox / "config" / "sites.toml")
    store.add(
        SiteProfile(
            name="test server",
            host=pyftpd_tls.host,
            port=pyftpd_tls.port,
            user=pyftpd_tls.user,
            password_mode=PasswordMode.ASK,
            ca_file=str(pyftpd_tls.ca_file),
            remote_folder="/sub",
        )
    )
    run = cli("ls", "--site", "test server", "--password-env", PASSWORD_VARIABLE, env={PASSWORD_VARIABLE: pyftpd_tls.password})
    assert run.code == 0, run
    assert run.stdout.split()[-1] == "nested.txt"
    assert cli("ls", "--site", "no such site").code == 2
