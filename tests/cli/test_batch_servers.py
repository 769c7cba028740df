"""The real ``tui-ftp`` executable against vsftpd and proftpd: plain, explicit and implicit FTPS.

vsftpd and proftpd require the data connections to resume the control TLS session, so these runs
also prove the CLI uses the engine's session reuse. ``ftps://`` is implicit TLS on its own port.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.servers import SAMPLE_FILES, RunningServer

from .conftest import Cli, url

pytestmark = pytest.mark.servers

SERVERS = ["vsftpd_explicit", "vsftpd_implicit", "proftpd_explicit", "proftpd_implicit", "vsftpd_plain"]


@pytest.fixture(params=SERVERS)
def server(request: pytest.FixtureRequest) -> tuple[RunningServer, str]:
    """(server, URL scheme): vsftpd_plain is the explicit vsftpd spoken to over ftp://."""
    name: str = request.param
    running: RunningServer = request.getfixturevalue(name.replace("_plain", "_explicit"))
    scheme = "ftp" if name.endswith("_plain") else running.url.partition("://")[0]
    return running, scheme


def remote_url(server: tuple[RunningServer, str], path: str = "") -> str:
    running, scheme = server
    return scheme + "://" + url(running, path).partition("://")[2]


def test_ls_json(cli: Cli, server: tuple[RunningServer, str]) -> None:
    run = cli.on(server[0], "ls", remote_url(server), "--json")
    assert run.code == 0, run
    entries = {entry["name"]: entry for entry in json.loads(run.stdout)}
    assert entries["data.bin"]["size"] == len(SAMPLE_FILES["data.bin"])
    assert entries["sub"]["type"] == "dir"


def test_get_and_put_one_file(cli: Cli, server: tuple[RunningServer, str], tmp_path: Path) -> None:
    running = server[0]
    assert cli.on(running, "get", remote_url(server, "data.bin")).code == 0
    assert (cli.workdir / "data.bin").read_bytes() == SAMPLE_FILES["data.bin"]
    name = f"upload-{tmp_path.name}.bin"
    (cli.workdir / name).write_bytes(os.urandom(123_457))
    run = cli.on(running, "put", name, remote_url(server, name))
    assert run.code == 0, run
    assert (running.home / name).read_bytes() == (cli.workdir / name).read_bytes()


def test_recursive_round_trip(cli: Cli, server: tuple[RunningServer, str], tmp_path: Path) -> None:
    running = server[0]
    tree = {"a.txt": b"alpha\n", "deep/er/b.bin": os.urandom(40_000), "deep/c with space.txt": b"c\n"}
    for relative, data in tree.items():
        (cli.workdir / "tree" / relative).parent.mkdir(parents=True, exist_ok=True)
        (cli.workdir / "tree" / relative).write_bytes(data)
    folder = f"tree-{tmp_path.name}"
    assert cli.on(running, "put", "-r", "tree", remote_url(server, folder)).code == 0
    run = cli.on(running, "get", "-r", remote_url(server, folder), "back")
    assert run.code == 0, run
    back = cli.workdir / "back"
    assert {path.relative_to(back).as_posix(): path.read_bytes() for path in back.rglob("*") if path.is_file()} == tree


def test_resume_download(cli: Cli, server: tuple[RunningServer, str]) -> None:
    data = SAMPLE_FILES["data.bin"]
    (cli.workdir / "data.bin.part").write_bytes(data[:50_000])
    run = cli.on(server[0], "get", remote_url(server, "data.bin"), "--resume", "-v")
    assert run.code == 0, run
    assert (cli.workdir / "data.bin").read_bytes() == data
    assert "> REST 50000" in run.stderr.splitlines()


def test_resume_upload(cli: Cli, server: tuple[RunningServer, str], tmp_path: Path) -> None:
    running = server[0]
    payload = os.urandom(200_000)
    name = f"resume-{tmp_path.name}.bin"
    running.write_file(name + ".part", payload[:80_000])
    (cli.workdir / name).write_bytes(payload)
    run = cli.on(running, "put", name, remote_url(server, name), "--resume", "-v")
    assert run.code == 0, run
    assert (running.home / name).read_bytes() == payload
    assert "> REST 80000" in run.stderr.splitlines()


def test_wrong_password_and_missing_file(cli: Cli, server: tuple[RunningServer, str]) -> None:
    running = server[0]
    wrong = remote_url(server).replace("@", ":wrong-password@", 1)
    refused = cli("ls", wrong, "--ca-file", str(running.ca_file))
    assert refused.code == 5, refused
    missing = cli.on(running, "get", remote_url(server, "missing.txt"))
    assert missing.code == 6, missing
    assert not any(cli.workdir.iterdir())
