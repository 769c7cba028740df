"""The TUI's parts without a server: log, security bar, queue formatting, keys, themes, settings."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult

from tests.ui.conftest import wait_for
from tui_ftp.engine.errors import UsageError
from tui_ftp.engine.events import (
    Direction,
    LogLine,
    SessionState,
    StateChanged,
    TransferProgress,
)
from tui_ftp.engine.listing import Entry, EntryKind
from tui_ftp.engine.options import ConnectOptions, Security
from tui_ftp.engine.tls import CertificateInfo, SecurityInfo
from tui_ftp.transfers import Contention, Transfer, TransferDirection, TransferStatus
from tui_ftp.ui import keymap, preferences, themes
from tui_ftp.ui.bridge import EngineBridge, EngineMessage, LogReady
from tui_ftp.ui.compare import compare_listings
from tui_ftp.ui.pane_actions import permissions_to_octal, validate_mode
from tui_ftp.ui.screens.connect import request_from_form
from tui_ftp.ui.screens.help import help_table
from tui_ftp.ui.sides import column_set_for
from tui_ftp.ui.widgets.command_log import CommandLog
from tui_ftp.ui.widgets.security_bar import SecurityBar
from tui_ftp.ui.widgets.transfer_queue import (
    column_widths,
    format_eta,
    progress_bar,
    status_text,
)

CERTIFICATE = CertificateInfo(
    subject="CN=ftp.example.com",
    issuer="CN=Example CA",
    not_before=datetime(2026, 1, 1, tzinfo=UTC),
    not_after=datetime(2027, 1, 1, tzinfo=UTC),
    sha256="ab" * 32,
    serial=1,
)
TLS13 = SecurityInfo(
    Security.EXPLICIT_TLS, "TLSv1.3", "TLS_AES_256_GCM_SHA384", CERTIFICATE, "verified", "P", "P", False, True
)


class OneWidget(App[None]):
    def __init__(self, widget: object) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget  # type: ignore[misc]


# -- command log ----------------------------------------------------------------------------------


async def test_log_escapes_control_characters_and_keeps_a_ring(tmp_path: Path) -> None:
    log = CommandLog(max_lines=5)
    async with OneWidget(log).run_test(size=(80, 10)):
        log.add_lines([LogLine(Direction.RECEIVED, f"550 bad\x1b[2Jname {n}", "host#main", 0.0) for n in range(8)])
        assert log.line_count == 5
        assert log.rows[0].text == "550 bad\\x1b[2Jname 3"
        assert log.rows[0].session == "main"
        exported = tmp_path / "log.txt"
        assert log.export(exported) == 5
        lines = exported.read_text().splitlines()
        assert len(lines) == 5 and lines[-1].endswith("< 550 bad\\x1b[2Jname 7")
        with pytest.raises(Exception, match="cannot write"):
            log.export(tmp_path / "missing" / "log.txt")


async def test_log_search_moves_between_matches_and_wraps() -> None:
    log = CommandLog()
    async with OneWidget(log).run_test(size=(80, 5)):
        log.add_lines([LogLine(Direction.SENT, text, "s", 0.0) for text in ("USER a", "RETR one", "PWD", "RETR two")])
        assert log.search("retr") and log.match_line == 1
        assert log.search("retr") and log.match_line == 3
        assert log.search("retr") and log.match_line == 1  # wrapped
        assert log.search("retr", backwards=True) and log.match_line == 3
        assert not log.search("STOR") and log.match_line is None


async def test_log_follows_new_lines_until_scrolled_up() -> None:
    log = CommandLog()
    async with OneWidget(log).run_test(size=(80, 5)) as pilot:
        log.add_lines([LogLine(Direction.INFO, f"line {n}", "s", 0.0) for n in range(50)])
        await pilot.pause()
        assert log.scroll_y == log.max_scroll_y > 0
        log.action_scroll_up()
        log.add_lines([LogLine(Direction.INFO, "more", "s", 0.0)])
        await pilot.pause()
        assert log.scroll_y < log.max_scroll_y


# -- the bridge -----------------------------------------------------------------------------------


async def test_bridge_batches_log_lines_and_routes_progress_from_threads() -> None:
    class Recorder(App[None]):
        pass

    app = Recorder()
    seen: list[object] = []
    async with app.run_test(message_hook=seen.append) as pilot:
        bridge = EngineBridge(app)
        routed: list[object] = []
        bridge.route_transfers(lambda event: routed.append(event) or True)

        def engine_thread() -> None:
            for n in range(500):
                bridge(LogLine(Direction.SENT, f"NOOP {n}", "x"))
            bridge(TransferProgress("t1", 1, 2, 3.0, 4.0))
            bridge(StateChanged(SessionState.READY, "", "x"))

        worker = threading.Thread(target=engine_thread)
        worker.start()
        worker.join()
        await wait_for(lambda: any(isinstance(m, EngineMessage) for m in seen))
        await pilot.pause()
        wakes = [m for m in seen if isinstance(m, LogReady)]
        assert 1 <= len(wakes) <= 2  # one wake per batch, not one per line
        assert [line.text for line in bridge.take_log()][-1] == "NOOP 499"
        assert routed == [TransferProgress("t1", 1, 2, 3.0, 4.0)]
        states = [m.event for m in seen if isinstance(m, EngineMessage)]
        assert states == [StateChanged(SessionState.READY, "", "x")]


# -- security bar ---------------------------------------------------------------------------------


async def test_security_bar_tls_fits_80_columns_and_spells_out_when_wide() -> None:
    bar = SecurityBar()
    async with OneWidget(bar).run_test(size=(80, 3)) as pilot:
        bar.show(TLS13, "alice@ftp.example.com:21", "ready", ConnectOptions("ftp.example.com"))
        text = bar.text
        assert len(text) <= 80 and "TLS 1.3 AES256-GCM" in text and "PROT P/P" in text
        assert "AB:AB:AB…" in text and "verified" in text and text.startswith("alice@ftp.exam") and " ready " in text
        assert not bar.has_class("-insecure")
        await pilot.resize_terminal(160, 3)
        await pilot.pause()
        wide = bar.text
        assert "TLSv1.3 TLS_AES_256_GCM_SHA384" in wide and "PROT list P data P" in wide and "data resumed" in wide


async def test_security_bar_warns_about_plain_ftp_and_fallback() -> None:
    bar = SecurityBar()
    async with OneWidget(bar).run_test(size=(100, 3)):
        bar.show(SecurityInfo(Security.PLAIN), "bob@host:21", "ready")
        assert "PLAIN FTP" in bar.text and bar.has_class("-insecure")
        bar.show(SecurityInfo(Security.TLS_IF_AVAILABLE, warnings=("refused",)), "bob@host:21", "ready")
        assert "TLS REFUSED" in bar.text and bar.has_class("-insecure")
        bar.show(None, state="not connected")
        assert bar.text.strip() == "not connected" and not bar.has_class("-insecure")


async def test_security_bar_shows_clear_protection_and_ccc_as_warnings() -> None:
    bar = SecurityBar()
    async with OneWidget(bar).run_test(size=(160, 3)):
        info = SecurityInfo(Security.EXPLICIT_TLS, "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", CERTIFICATE, "pinned", ccc=True, data_resumed=False)
        bar.show(info, "u@h:21", "ready", ConnectOptions("h", protect_listings=False))
        assert "PROT list C data P" in bar.text and "CCC: control in clear" in bar.text
        assert "data not resumed" in bar.text and "pinned" in bar.text


# -- transfer queue formatting ----------------------------------------------------------------------


def test_progress_bar_eta_and_widths() -> None:
    assert progress_bar(0.7) == "███████░░░  70%"
    assert progress_bar(None, 4) == "░░░░    ?"
    assert format_eta(42) == "0:42" and format_eta(3 * 3600 + 121) == "3:02:01" and format_eta(None) == ""
    for width in (78, 118, 160, 200):
        widths = column_widths(width)
        assert sum(widths.values()) + 2 * len(widths) + 2 <= width
        assert ("destination" in widths) == (width >= 150)


def test_status_text_for_contention_errors_and_folders() -> None:
    transfer = Transfer("t1", TransferDirection.DOWNLOAD, Path("/tmp/x"), "'U.'", "DATA", status=TransferStatus.WAITING)
    transfer.contention = Contention("U.DATA", "JOB7", 2, 130.0)
    assert status_text(transfer, now=100.0).plain == "held by JOB7 — 2 attempts remaining, next in 30 s"
    assert status_text(transfer, now=100.0, width=35).plain == "held by JOB7: 2 left, next in 30 s"
    assert status_text(transfer, now=100.0, width=20).plain == "JOB7: 2 left, 30 s"
    transfer.status, transfer.error = TransferStatus.FAILED, "550 gone\x1b"
    assert status_text(transfer).plain == "failed: 550 gone\\x1b"
    folder = Transfer("t2", TransferDirection.UPLOAD, Path("/d"), "/", "d", is_folder=True, status=TransferStatus.RUNNING, children=4, finished_children=1)
    assert status_text(folder).plain == "1/4 files"


# -- keys -----------------------------------------------------------------------------------------


def test_every_function_key_command_has_a_typed_or_ctrl_key() -> None:
    for command in keymap.COMMANDS:
        f_keys = [key for key in command.keys if key.startswith("f") and key[1:].isdigit()]
        others = [key for key in (*command.keys, *command.typed) if key not in f_keys]
        assert others, f"{command.action} is only on F-keys"


def test_keys_are_not_bound_twice() -> None:
    seen: dict[str, str] = {}
    for command in keymap.COMMANDS:
        for key in (*command.keys, *command.typed):
            assert key not in seen, f"{key} is bound to {seen[key]} and {command.action}"
            seen[key] = command.action


def test_help_lists_every_command() -> None:
    from rich.console import Console

    console = Console(width=120, record=True)
    console.print(help_table())
    text = console.export_text()
    for command in keymap.COMMANDS:
        assert command.title in text
    assert "F5 c" in text and "^p" in text


# -- themes and settings --------------------------------------------------------------------------


def test_packaged_themes_load(private_folders: tuple[Path, Path]) -> None:
    loaded = themes.load_themes(themes.all_theme_dirs())
    assert not loaded.problems
    names = {theme.name for theme in loaded.themes}
    assert {"tui-ftp-dark", "tui-ftp-light", "high-contrast", "green-screen-3270"} <= names


def test_user_themes_are_added_and_broken_ones_reported(private_folders: tuple[Path, Path]) -> None:
    folder = themes.user_theme_dir()
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text('name = "mine"\nprimary = "#112233"\n')
    (folder / "broken.toml").write_text('name = "broken"\nprimary = "not a colour"\n')
    (folder / "typo.toml").write_text('name = "typo"\nprimary = "#fff"\nprimry = "#000"\n')
    loaded = themes.load_themes(themes.all_theme_dirs())
    assert "mine" in {theme.name for theme in loaded.themes}
    assert len(loaded.problems) == 2
    assert any("broken.toml" in problem for problem in loaded.problems)
    assert any("unknown keys primry" in problem for problem in loaded.problems)


def test_theme_choice_is_remembered_next_to_other_settings(private_folders: tuple[Path, Path]) -> None:
    path = private_folders[0] / "settings.toml"
    path.parent.mkdir(parents=True)
    path.write_text('[other]\nkeep = 1\n')
    assert preferences.remembered_theme() is None
    preferences.remember_theme("green-screen-3270")
    assert preferences.remembered_theme() == "green-screen-3270"
    assert "keep = 1" in path.read_text()


async def test_app_starts_with_the_remembered_theme_and_saves_a_new_choice(private_folders: tuple[Path, Path]) -> None:
    from tui_ftp.ui.app import TuiFtpApp

    preferences.remember_theme("high-contrast")
    app = TuiFtpApp(local_path=None)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "high-contrast"
        app.theme = "tui-ftp-light"
        await pilot.pause()
    assert preferences.remembered_theme() == "tui-ftp-light"


async def test_no_color_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.filter import Monochrome, NoColor

    from tui_ftp.ui.app import TuiFtpApp

    monkeypatch.setenv("NO_COLOR", "1")
    app = TuiFtpApp(local_path=None)
    async with app.run_test(size=(80, 24)):
        assert any(isinstance(item, (NoColor, Monochrome)) for item in app._filters)


# -- small pure helpers ---------------------------------------------------------------------------


def test_compare_marks_missing_newer_and_different() -> None:
    old, new = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)
    left = [Entry("same", EntryKind.FILE, 5, old), Entry("mine", EntryKind.FILE, 1), Entry("newer-here", EntryKind.FILE, 1, new),
            Entry("size", EntryKind.FILE, 10, old), Entry("dir", EntryKind.DIR)]
    right = [Entry("same", EntryKind.FILE, 5, old), Entry("theirs", EntryKind.FILE, 1), Entry("newer-here", EntryKind.FILE, 1, old),
             Entry("size", EntryKind.FILE, 11, old), Entry("dir", EntryKind.DIR)]
    result = compare_listings(left, right)
    assert result.left.names == ["mine", "newer-here", "size"]
    assert result.right.names == ["theirs", "size"]
    assert result.left.describe("there") == "1 missing there, 1 newer, 1 of another size"
    assert compare_listings(left[:1], right[:1]).identical


def test_permission_helpers() -> None:
    assert permissions_to_octal("rwxr-xr-x") == "755"
    assert permissions_to_octal("-rw-r-----") == "640"
    assert permissions_to_octal("") == "644"
    assert validate_mode("0755") is None and validate_mode("9") is not None


def test_quick_connect_form() -> None:
    request = request_from_form("ftp.example.com:2121/pub", "bob", "secret")
    assert request.options.security is Security.EXPLICIT_TLS and request.options.port == 2121
    assert (request.options.user, request.options.password, request.path) == ("bob", "secret", "/pub")
    given = request_from_form("ftps://carol:pw@h", "ignored", "ignored")
    assert (given.options.user, given.options.password, given.options.security) == ("carol", "pw", Security.IMPLICIT)
    with pytest.raises(UsageError):
        request_from_form("gopher://h", "", "")
    with pytest.raises(UsageError):
        request_from_form("  ", "", "")


def test_column_set_for_listings() -> None:
    dataset = Entry("A.B", EntryKind.FILE, attrs={"dsorg": "PS", "volume": "V1"})
    member = Entry("MEM", EntryKind.FILE, attrs={"vv.mm": "01.00"})
    job = Entry("J1", EntryKind.DIR, attrs={"jobname": "JOB", "jobid": "J1"})
    assert column_set_for([dataset], False, "/") == "files"
    assert column_set_for([dataset], True, "'U.'") == "mvs"
    assert column_set_for([member], True, "'U.PDS'") == "mvs-members"
    assert column_set_for([job], True, "'U.'") == "jes"
    assert column_set_for([], True, "'U.PDS'") == "mvs-members" and column_set_for([], True, "'U.'") == "mvs"


# -- keys in the running app ----------------------------------------------------------------------


async def _local_app(tmp_path: Path) -> Any:
    from tui_ftp.ui.app import TuiFtpApp

    for name in ("cat.txt", "dog.txt", "copy-me.txt"):
        (tmp_path / name).write_text(name)
    return TuiFtpApp(local_path=str(tmp_path))


async def test_slash_filter_takes_letters_that_are_commands_otherwise(tmp_path: Path) -> None:
    app = await _local_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        file_list = app.pane("local").file_list
        await wait_for(lambda: len(file_list.entries) == 3)
        await pilot.press("slash", "c", "o")
        assert file_list.filter_text == "co"
        assert [entry.name for entry in file_list.visible_entries()] == ["copy-me.txt"]
        await pilot.press("escape")
        assert file_list.filter_text == "" and not app.pane("local").filter_mode
        await pilot.press("n")  # a command again: mkdir asks for a name
        await wait_for(lambda: type(app.screen).__name__ == "PromptScreen")


async def test_letters_type_into_the_path_bar_and_tab_switches_panes(tmp_path: Path) -> None:
    app = await _local_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(lambda: app.pane("local").path == str(tmp_path))
        await pilot.press("g")
        await wait_for(lambda: app.pane("local").path_bar.has_focus)
        await pilot.press("end", "/", "c", "d")
        assert app.pane("local").path_bar.value.endswith("/cd") and len(app.screen_stack) == 1
        await pilot.press("escape")
        await wait_for(lambda: app.pane("local").file_list.has_focus)
        await pilot.press("tab")
        await wait_for(lambda: app.pane("remote").file_list.has_focus)
        await pilot.press("tab")
        await wait_for(lambda: app.pane("local").file_list.has_focus)


async def test_palette_offers_the_commands_with_their_keys(tmp_path: Path) -> None:
    from textual.command import CommandPalette
    from textual.widgets import OptionList

    app = await _local_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await wait_for(lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"copy")
        options = app.screen.query_one(OptionList)
        await wait_for(lambda: options.option_count > 0)
        await pilot.pause(0.3)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("Copy" in prompt and "(F5 c)" in prompt for prompt in prompts), prompts


async def test_server_text_is_never_markup_or_terminal_control(tmp_path: Path) -> None:
    """A hostile name or reply shows literally in the queue and in notifications."""
    from tui_ftp.ui.app import TuiFtpApp

    app = TuiFtpApp(local_path=None)
    async with app.run_test(size=(120, 30)) as pilot:
        evil = "[/]x[b]\x1b[2J"
        transfer = Transfer("t1", TransferDirection.DOWNLOAD, tmp_path / "x", "/", evil, status=TransferStatus.FAILED, error=evil)
        app.transfer_queue.apply([transfer])
        app.report(UsageError(evil), "Doing " + evil)
        await pilot.pause()
        name_cell = app.transfer_queue.get_row("t1")[1]
        assert str(name_cell) == "[/]x[b]\\x1b[2J"
        messages = [notification.message for notification in app._notifications]
        assert messages == ["Doing [/]x[b]\\x1b[2J: [/]x[b]\\x1b[2J"]
