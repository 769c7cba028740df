"""The app driven by Pilot against real pyftpdlib TLS servers: connect, browse, copy, trust, errors."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from textual.widgets import Label

from tests.servers import RunningServer
from tests.ui.conftest import SLOW_BYTES_PER_SECOND, wait_for
from tui_ftp.demo.certs import CertificateSet
from tui_ftp.engine.events import Direction
from tui_ftp.engine.options import TLSOptions
from tui_ftp.sites.known_certs import CertStatus, KnownCertificates
from tui_ftp.transfers import TransferStatus
from tui_ftp.ui.app import TuiFtpApp
from tui_ftp.ui.screens.dialogs import ConfirmScreen, PromptScreen
from tui_ftp.ui.screens.pager import PagerScreen
from tui_ftp.ui.screens.trust import TrustScreen

pytestmark = pytest.mark.timeout(90)
SIZE = (120, 40)


def remote_names(app: TuiFtpApp) -> set[str]:
    return {entry.name for entry in app.pane("remote").file_list.entries}


def log_texts(app: TuiFtpApp) -> list[str]:
    return [row.text for row in app.command_log.rows]


async def connected(app: TuiFtpApp) -> None:
    try:
        await wait_for(lambda: app.connection is not None and app.pane("remote").path != "")
    except AssertionError:
        notes = [notification.message for notification in app._notifications]
        raise AssertionError(f"not connected; notifications: {notes}; log: {log_texts(app)[-8:]}") from None


async def screen_shown(app: TuiFtpApp, screen_type: type) -> object:
    """Wait until a screen of ``screen_type`` is on top and composed."""
    await wait_for(lambda: isinstance(app.screen, screen_type) and app.screen.is_mounted and bool(app.screen.children))
    await asyncio.sleep(0.05)
    return app.screen


async def cursor_to(app: TuiFtpApp, pane_id: str, name: str) -> None:
    pane = app.pane(pane_id)
    await wait_for(lambda: name in {entry.name for entry in pane.file_list.entries})
    pane.file_list.focus()
    assert pane.file_list.move_cursor_to_name(name)
    await wait_for(lambda: pane.file_list.has_focus)


@pytest.fixture
def unique() -> str:
    return f"ui-{uuid.uuid4().hex[:8]}"


async def test_connect_browse_and_log(pyftpd_tls: RunningServer, tmp_path: Path) -> None:
    app = TuiFtpApp(pyftpd_tls.connect_options(), local_path=str(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await connected(app)
        assert {"hello.txt", "data.bin", "sub"} <= remote_names(app)
        await wait_for(lambda: any(text.startswith("PASS") for text in log_texts(app)))
        texts = log_texts(app)
        assert "PASS ****" in texts and pyftpd_tls.password not in " ".join(texts)
        assert any(text.startswith("USER alice") for text in texts) and any(t.startswith("230") for t in texts)
        sent = [row for row in app.command_log.rows if row.text == "AUTH TLS"]
        assert sent and sent[0].direction is Direction.SENT
        assert "TLSv1.3" in app.security_bar.text and "verified" in app.security_bar.text
        await cursor_to(app, "remote", "sub")
        await pilot.press("enter")
        await wait_for(lambda: app.pane("remote").path == "/sub")
        assert remote_names(app) == {"nested.txt"}
        await pilot.press("backspace")
        await wait_for(lambda: app.pane("remote").path == "/")
        assert app.pane("remote").file_list.cursor_entry.name == "sub"  # type: ignore[union-attr]


async def test_download_and_upload_a_folder(pyftpd_tls: RunningServer, tmp_path: Path, unique: str) -> None:
    files = {"a.txt": b"first\n", "deep/b.bin": bytes(range(256)) * 300}
    for relative, data in files.items():
        pyftpd_tls.write_file(f"{unique}/{relative}", data)
    local = tmp_path / "local"
    local.mkdir()
    app = TuiFtpApp(pyftpd_tls.connect_options(), local_path=str(local))
    async with app.run_test(size=SIZE) as pilot:
        await connected(app)
        await cursor_to(app, "remote", unique)
        await pilot.press("f5")
        await wait_for(lambda: (local / unique / "deep" / "b.bin").exists())
        manager = app.connection.transfers  # type: ignore[union-attr]
        await wait_for(lambda: not manager.active)
        assert {str(p.relative_to(local / unique)): p.read_bytes() for p in (local / unique).rglob("*") if p.is_file()} == files
        await wait_for(lambda: any(t.status is TransferStatus.DONE and t.is_folder for t in app.transfer_queue.shown))
        # upload it back under another name
        (local / unique).rename(local / f"{unique}-up")
        app.refresh_pane(app.pane("local"))
        await cursor_to(app, "local", f"{unique}-up")
        await pilot.press("c")
        up = pyftpd_tls.home / f"{unique}-up"
        await wait_for(lambda: (up / "deep" / "b.bin").exists() and not manager.active)
        assert (up / "a.txt").read_bytes() == files["a.txt"] and (up / "deep" / "b.bin").read_bytes() == files["deep/b.bin"]
        await wait_for(lambda: f"{unique}-up" in remote_names(app))  # the remote pane was refreshed


async def test_queue_shows_progress_and_cancel_works(slow_server: RunningServer, tmp_path: Path) -> None:
    slow_server.write_file("slow.bin", b"\x01" * (SLOW_BYTES_PER_SECOND * 8))
    slow_server.write_file("z-next.txt", b"after")
    app = TuiFtpApp(slow_server.connect_options(), local_path=str(tmp_path), parallel=1)
    async with app.run_test(size=SIZE) as pilot:
        await connected(app)
        await cursor_to(app, "remote", "slow.bin")
        await pilot.press("space")
        app.pane("remote").file_list.move_cursor_to_name("z-next.txt")
        await pilot.press("space", "f5")
        queue = app.transfer_queue

        def running_row() -> bool:
            rows = {t.remote_name: t for t in queue.shown}
            slow = rows.get("slow.bin")
            return slow is not None and slow.status is TransferStatus.RUNNING and 0 < slow.done < slow.size  # type: ignore[operator]

        await wait_for(running_row)
        slow_id = next(t.id for t in queue.shown if t.remote_name == "slow.bin")
        await wait_for(lambda: any(str(cell).endswith("/s") for cell in queue.get_row(slow_id)))
        cells = [str(cell) for cell in queue.get_row(slow_id)]
        assert any("%" in cell and "█" in cell for cell in cells), cells
        assert rows_status(queue, "z-next.txt") is TransferStatus.QUEUED
        queue.focus()
        queue.move_cursor(row=queue.get_row_index(slow_id))
        await pilot.pause()
        await pilot.press("x")
        await wait_for(lambda: rows_status(queue, "slow.bin") is TransferStatus.CANCELLED)
        await wait_for(lambda: rows_status(queue, "z-next.txt") is TransferStatus.DONE)
        assert (tmp_path / "z-next.txt").read_bytes() == b"after"
        assert not (tmp_path / "slow.bin").exists() and (tmp_path / "slow.bin.part").exists()
        assert "cancelled" in str(queue.get_row(slow_id)[-1])


def rows_status(queue: object, name: str) -> TransferStatus | None:
    for transfer in queue.shown:  # type: ignore[attr-defined]
        if transfer.remote_name == name:
            return transfer.status
    return None


async def test_trust_dialog_pins_an_unknown_certificate(ftp_servers: object, test_certs: CertificateSet, tmp_path: Path) -> None:
    server = ftp_servers.get("pyftpdlib", certs=test_certs.self_signed)  # type: ignore[attr-defined]
    options = server.connect_options(tls=TLSOptions())  # system CAs only: the certificate is unknown
    app = TuiFtpApp(options, local_path=str(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await screen_shown(app, TrustScreen)
        dialog = app.screen
        assert isinstance(dialog, TrustScreen)
        assert dialog.request.certificate.sha256 == test_certs.self_signed.fingerprint
        assert "self-signed" in dialog.request.reason and not dialog.request.changed
        shown = " ".join(str(static.content) for static in dialog.query(".trust-value"))
        assert dialog.request.certificate.fingerprint[:47] in shown
        await pilot.press("a")
        await connected(app)
        assert "pinned" in app.security_bar.text
        store = KnownCertificates()
        assert store.check(server.host, server.port, test_certs.self_signed.fingerprint) is CertStatus.TRUSTED
    # a second start uses the pin without asking
    again = TuiFtpApp(options, local_path=str(tmp_path))
    async with again.run_test(size=SIZE):
        await connected(again)
        assert not isinstance(again.screen, TrustScreen)


async def test_changed_certificate_is_a_loud_warning_and_reject_stays_offline(
    ftp_servers: object, test_certs: CertificateSet, tmp_path: Path
) -> None:
    server = ftp_servers.get("pyftpdlib", certs=test_certs.self_signed)  # type: ignore[attr-defined]
    KnownCertificates().pin(server.host, server.port, "ab" * 32, subject="CN=old")
    app = TuiFtpApp(server.connect_options(tls=TLSOptions()), local_path=str(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await screen_shown(app, TrustScreen)
        dialog = app.screen
        assert isinstance(dialog, TrustScreen) and dialog.request.changed
        assert dialog.has_class("-changed") and "HAS CHANGED" in str(dialog.query_one("#trust-title", Label).content)
        assert dialog.focused is not None and dialog.focused.id == "reject"
        await pilot.press("enter")  # enter on the focused Reject button
        await wait_for(lambda: "rejected" in app.security_bar.text)
        assert app.connection is None
        assert KnownCertificates().check(server.host, server.port, "ab" * 32) is CertStatus.TRUSTED


async def test_remote_file_commands(pyftpd_tls: RunningServer, tmp_path: Path, unique: str) -> None:
    pyftpd_tls.write_file(f"{unique}/notes.txt", b"line one\x1b[31m red\nline two\n")
    app = TuiFtpApp(pyftpd_tls.connect_options(), f"/{unique}", local_path=str(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await cursor_to(app, "remote", "notes.txt")
        await pilot.press("f3")
        await screen_shown(app, PagerScreen)
        pager = app.screen
        assert isinstance(pager, PagerScreen) and "line two" in pager.text and "\\x1b[31m" in pager.text
        await pilot.press("q")
        await pilot.press("n")
        await screen_shown(app, PromptScreen)
        await pilot.press(*"made", "enter")
        await wait_for(lambda: (pyftpd_tls.home / unique / "made").is_dir())
        await cursor_to(app, "remote", "notes.txt")
        await pilot.press("r")
        await screen_shown(app, PromptScreen)
        await pilot.press("ctrl+u", *"renamed.txt", "enter")
        await wait_for(lambda: (pyftpd_tls.home / unique / "renamed.txt").exists())
        await cursor_to(app, "remote", "made")
        await pilot.press("d")
        await screen_shown(app, ConfirmScreen)
        await pilot.press("y")
        await wait_for(lambda: not (pyftpd_tls.home / unique / "made").exists())
        await wait_for(lambda: remote_names(app) == {"renamed.txt"})
        await pilot.press("colon")
        await screen_shown(app, PromptScreen)
        await pilot.press(*"SITE HELP", "enter")
        await wait_for(lambda: "SITE HELP" in log_texts(app))


async def test_edit_round_trip_uploads_only_a_changed_file(pyftpd_tls: RunningServer, tmp_path: Path, unique: str) -> None:
    pyftpd_tls.write_file(f"{unique}/conf.ini", b"a=1\n")
    app = TuiFtpApp(pyftpd_tls.connect_options(), f"/{unique}", local_path=str(tmp_path))
    edited: list[Path] = []

    def fake_editor(path: Path) -> bool:  # the terminal hand-over needs a real tty; the file work is real
        edited.append(path)
        path.write_bytes(path.read_bytes() + b"b=2\n")
        return True

    app.run_editor = fake_editor  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await cursor_to(app, "remote", "conf.ini")
        await pilot.press("e")
        await wait_for(lambda: (pyftpd_tls.home / unique / "conf.ini").read_bytes() == b"a=1\nb=2\n")
        await wait_for(lambda: edited and not edited[0].parent.exists())  # the private copy is removed


async def test_dropped_connection_offers_reconnect(ftp_servers: object, tmp_path: Path) -> None:
    server = ftp_servers.start_new("pyftpdlib")  # type: ignore[attr-defined]
    app = TuiFtpApp(server.connect_options(), local_path=str(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await connected(app)
        await app.connection.call(lambda session: session.control.sock.close())  # type: ignore[union-attr]
        await pilot.press("ctrl+r")
        await screen_shown(app, ConfirmScreen)
        assert "lost" in app.security_bar.text
        await pilot.press("y")
        await wait_for(lambda: app.connection is not None and app.connection.connected and app.pane("remote").path == "/")
    server.stop()


async def test_quick_connect_dialog_connects(pyftpd_tls: RunningServer, tmp_path: Path) -> None:
    app = TuiFtpApp(local_path=str(tmp_path))
    app_options = pyftpd_tls.connect_options()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("O")
        from tui_ftp.ui.screens.connect import QuickConnectScreen

        await screen_shown(app, QuickConnectScreen)
        await pilot.press(*f"127.0.0.1:{pyftpd_tls.port}", "tab", *pyftpd_tls.user, "tab", *pyftpd_tls.password, "enter")
        # the test CA is not in the system store: the trust dialog appears, trust once
        await screen_shown(app, TrustScreen)
        await pilot.press("o")
        await connected(app)
        assert app.connection is not None and app.connection.options.user == app_options.user
        assert KnownCertificates().get(pyftpd_tls.host, pyftpd_tls.port) is None  # once: nothing stored


async def test_compare_and_synchronized_browsing(pyftpd_tls: RunningServer, tmp_path: Path, unique: str) -> None:
    pyftpd_tls.write_file(f"{unique}/both.txt", b"same")
    pyftpd_tls.write_file(f"{unique}/server-only.txt", b"s")
    pyftpd_tls.write_file(f"{unique}/inner/x.txt", b"x")
    (tmp_path / "both.txt").write_bytes(b"same")
    (tmp_path / "local-only.txt").write_bytes(b"l")
    (tmp_path / "inner").mkdir()
    import os

    stamp = (pyftpd_tls.home / unique / "both.txt").stat().st_mtime
    os.utime(tmp_path / "both.txt", (stamp, stamp))
    app = TuiFtpApp(pyftpd_tls.connect_options(), f"/{unique}", local_path=str(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await cursor_to(app, "remote", "server-only.txt")
        await pilot.press("equals_sign")
        assert [e.name for e in app.pane("remote").file_list.selected_entries()] == ["server-only.txt"]
        assert [e.name for e in app.pane("local").file_list.selected_entries()] == ["local-only.txt"]
        await pilot.press("s")
        assert app.sync_browsing
        await cursor_to(app, "remote", "inner")
        await pilot.press("enter")
        await wait_for(lambda: app.pane("local").path == str(tmp_path / "inner"))
        assert app.pane("remote").path == f"/{unique}/inner"
