"""The embedded demo servers behind ``tui-ftp --demo [--zos]``, reached with the real executable."""

from __future__ import annotations

import html
import importlib.util
import json
import socket
from pathlib import Path

import pytest

from tests.servers import RunningServer
from tui_ftp.demo.server import (
    BIG_COUNT,
    BIG_FOLDER,
    UNICODE_FILE,
    DemoServer,
    ThrowawayServer,
    ZosDemoServer,
    sample_files,
)
from tui_ftp.engine.options import Security

from .conftest import Cli, CliRun, url


def run_on_demo(cli: Cli, demo: ThrowawayServer, *args: str, path: str = "") -> tuple[int, str, str]:
    """``tui-ftp COMMAND URL ARGS...``; for put, the URL goes last: ``put LOCAL URL``."""
    where = len(args) if args[0] == "put" else 1
    run = cli(
        *args[:where], demo.url + path, *args[where:],
        "--ca-file", str(demo.ca_file), "--password-env", "DEMO_PW", env={"DEMO_PW": demo.password},
    )  # fmt: skip
    return run.code, run.stdout, run.stderr


def port_is_closed(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        return True
    return False


def test_demo_server_needs_tls_and_a_verified_certificate(cli: Cli) -> None:
    with DemoServer(big=False) as demo:
        options = demo.connect_options
        assert options.security is Security.EXPLICIT_TLS and options.tls.ca_file == str(demo.ca_file)
        assert options.tls.verify_hostname and len(demo.password) >= 16
        code, stdout, _ = run_on_demo(cli, demo, "ls", "--json")
        assert code == 0
        names = {entry["name"] for entry in json.loads(stdout)}
        assert {"README.txt", "docs", "binary", "upload-here", UNICODE_FILE.split("/")[0]} <= names
        plain = cli("ls", demo.url.replace("ftpes://", "ftp://"), "--password-env", "P", env={"P": demo.password})
        assert plain.code == 5, plain  # "530 SSL/TLS required" before the login


def test_demo_files_download_byte_for_byte(cli: Cli) -> None:
    with DemoServer(big=False) as demo:
        code, _, stderr = run_on_demo(cli, demo, "get", "copy", "-r", path="/")
        assert code == 0, stderr
    for relative, data in sample_files().items():
        assert (cli.workdir / "copy" / relative).read_bytes() == data
    assert (cli.workdir / "copy" / "binary" / "large-64MiB.bin").stat().st_size == 64 << 20


def test_stop_closes_the_port_and_removes_every_file() -> None:
    demo = DemoServer(big=False).start()
    port, folder = demo.port, demo.folder
    assert folder is not None and (folder / "home" / "README.txt").is_file()
    demo.stop()
    assert port_is_closed(port)
    assert not folder.exists()


@pytest.mark.slow
def test_the_big_folder_lists_100000_read_only_entries(cli: Cli) -> None:
    with DemoServer() as demo:
        code, stdout, stderr = run_on_demo(cli, demo, "ls", "--json", path=BIG_FOLDER)
        assert code == 0, stderr
        entries = json.loads(stdout)
        assert len(entries) == BIG_COUNT
        assert entries[-1]["name"] == f"file-{BIG_COUNT - 1:06d}.txt" and entries[-1]["type"] == "file"
        code, _, _ = run_on_demo(cli, demo, "get", path=f"{BIG_FOLDER}/file-012345.txt")
        assert code == 0
        assert b"100,000 generated entries" in (cli.workdir / "file-012345.txt").read_bytes()
        code, _, stderr = run_on_demo(cli, demo, "rm", path=f"{BIG_FOLDER}/file-012345.txt")
        assert code == 6 and "550" in stderr


def test_zos_demo_lists_members_and_downloads_one(cli: Cli) -> None:
    with ZosDemoServer(big=False) as demo:
        code, stdout, stderr = run_on_demo(cli, demo, "ls", "--json", path="'USER1.ALFRED.PDSE'")
        assert code == 0, stderr
        members = {entry["name"]: entry for entry in json.loads(stdout)}
        assert {"APICLN", "CS4"} <= members.keys()
        code, stdout, _ = run_on_demo(cli, demo, "ls", "--json")
        datasets = {entry["name"]: entry for entry in json.loads(stdout)}
        assert datasets["ALFRED.PDSE"]["attrs"]["recfm"] == "FB"
        code, _, stderr = run_on_demo(cli, demo, "get", "jcl.txt", path="'USER1.ALFRED.PDSE(APICLN)'")
        assert code == 0, stderr
        assert (cli.workdir / "jcl.txt").read_text().startswith("//USER1")
        port = demo.port
    assert port_is_closed(port)


def test_zos_names_relative_to_the_login_prefix(cli: Cli) -> None:
    """``ftp://host/ALFRED.PDSE(MEM)`` is USER1.ALFRED.PDSE(MEM), as z/OS users write it."""
    (cli.workdir / "job.jcl").write_text("//JOB1    JOB\n//STEP1   EXEC PGM=IEFBR14\n")
    with ZosDemoServer(big=False) as demo:
        code, _, stderr = run_on_demo(cli, demo, "put", "job.jcl", path="ALFRED.PDSE(NEWJOB)")
        assert code == 0, stderr
        code, stdout, _ = run_on_demo(cli, demo, "ls", "--json", path="ALFRED.PDSE")
        assert "NEWJOB" in {entry["name"] for entry in json.loads(stdout)}
        code, _, stderr = run_on_demo(cli, demo, "get", "back.jcl", path="'USER1.ALFRED.PDSE(NEWJOB)'")
        assert code == 0, stderr
        assert demo.server is not None
        sent = [command.line for command in demo.server.commands if command.verb in ("STOR", "RETR")]
    assert (cli.workdir / "back.jcl").read_text() == (cli.workdir / "job.jcl").read_text()
    assert sent == ["STOR ALFRED.PDSE(NEWJOB)", "RETR 'USER1.ALFRED.PDSE(NEWJOB)'"]


def test_site_commands_after_login(cli: Cli) -> None:
    with ZosDemoServer(big=False) as demo:
        code, _, stderr = run_on_demo(cli, demo, "ls", "--site-cmd", "RECFM=FB LRECL=80", "--site-cmd", "SITE FILETYPE=SEQ", "-v")
    assert code == 0, stderr
    sent = [line[2:] for line in stderr.splitlines() if line.startswith("> ")]
    assert sent.index("SITE RECFM=FB LRECL=80") < sent.index("SITE FILETYPE=SEQ") < sent.index("PWD")


def headless(cli: Cli, *args: str, seconds: float = 2) -> tuple[CliRun, str]:
    """Run the TUI headless for ``seconds``; the run and the text of its last screen."""
    shot = cli.sandbox / "screen.svg"
    environment = {"TUI_FTP_HEADLESS_EXIT_AFTER": str(seconds), "TUI_FTP_HEADLESS_SCREENSHOT": str(shot)}
    run = cli(*args, env=environment, timeout=120)
    return run, html.unescape(shot.read_text()).replace("\xa0", " ") if shot.exists() else ""


needs_tui = pytest.mark.skipif(importlib.util.find_spec("tui_ftp.ui.app") is None, reason="the TUI is not there yet")


@needs_tui
@pytest.mark.parametrize(("zos", "listed"), [(False, "README.txt"), (True, "ALFRED.PDSE")], ids=["unix", "zos"])
def test_demo_command_browses_the_demo_and_stops_its_server(cli: Cli, zos: bool, listed: str) -> None:
    """``tui-ftp --demo``: connected and listing the demo; on exit no server files are left."""
    run, screen = headless(cli, "--demo", *(["--zos"] if zos else []))
    assert run.code == 0, run
    assert listed in screen
    leftovers = [path.name for path in Path(cli.env["TMPDIR"]).iterdir() if path.name.startswith("tui-ftp-demo-")]
    assert leftovers == []


@needs_tui
def test_url_opens_the_tui_connected_in_that_folder(cli: Cli, pyftpd_tls: RunningServer) -> None:
    address = url(pyftpd_tls, "sub", password=True)
    run, screen = headless(cli, address, "--ca-file", str(pyftpd_tls.ca_file))
    assert run.code == 0, run
    assert "nested.txt" in screen and "hello.txt" not in screen


def test_demo_refuses_a_url_or_site(cli: Cli) -> None:
    assert cli("--demo", "ftp://example.invalid/").code == 2
    assert cli("--zos").code == 2
