"""The site manager screen driven by Pilot: keyboard editing, validation, the TOML file and the
vault on disk, and a connection to a real pyftpdlib FTPS server with the options it hands back."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, RadioSet, Static

from tests.servers import RunningServer
from tests.sites.builders import every_field_changed
from tests.sites.conftest import isolated_dirs, pem_files  # noqa: F401  (fixtures: every path under tmp_path)
from tui_ftp import locations
from tui_ftp.engine.options import CCCMode, DataMode, Security, ServerType
from tui_ftp.engine.session import FTPSession
from tui_ftp.sites import PasswordMode, SiteProfile, SiteStore, Vault, errors_of
from tui_ftp.ui.screens.dialogs import ConfirmScreen, PromptScreen
from tui_ftp.ui.screens.master_password import MasterPasswordScreen
from tui_ftp.ui.screens.site_form_model import FIELD_SPECS, TABS, apply_suggestion, display_value, form_state
from tui_ftp.ui.screens.site_form_reports import LinesScreen, ProbeScreen
from tui_ftp.ui.screens.site_manager import ConnectRequest, SiteManagerScreen

SIZE = (80, 24)
MASTER = "horse-staple"
FILEZILLA_SAMPLE = Path(__file__).parents[1] / "sites" / "data" / "sitemanager.xml"
SEED_TOGGLES = ("AUTH TLS", "AUTH SSL", "SSL Direct", "Clear control channel (CCC)", "SSL listings", "SSL transfers", "Passive")


class ManagerApp(App[None]):
    """Pushes the site manager and records what it dismisses with."""

    def __init__(self, store: SiteStore | None = None, vault: Vault | None = None) -> None:
        super().__init__()
        self.store = store
        self.vault = vault
        self.results: list[ConnectRequest | None] = []
        self.notices: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(SiteManagerScreen(self.store, self.vault), self.results.append)

    def notify(self, message: str, *, title: str = "", **options: Any) -> None:
        self.notices.append(f"{title}: {message}")
        super().notify(message, title=title, **options)


def sites_toml() -> dict[str, Any]:
    return tomllib.loads(locations.sites_file().read_text(encoding="utf-8"))


def stored_sites() -> dict[str, dict[str, Any]]:
    return {table["name"]: table for table in sites_toml().get("site", [])}


def screen_text(app: App[Any]) -> str:
    """What the terminal shows now, line by line."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def manager(app: App[Any]) -> SiteManagerScreen:
    screen = next(screen for screen in app.screen_stack if isinstance(screen, SiteManagerScreen))
    return screen


def message_text(app: App[Any], message_id: str) -> str:
    widget = manager(app).query_one(f"#{message_id}", Static)
    return str(widget.render()) if widget.display else ""


async def type_text(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*("space" if char == " " else char for char in text))


async def wait_until(pilot: Pilot[Any], condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Let the app run until ``condition`` holds (workers, dialogs); fail after ``seconds``."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not reached in time")


async def started(pilot: Pilot[Any]) -> SiteManagerScreen:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SiteManagerScreen))
    await pilot.pause()
    return manager(pilot.app)


def site(name: str, **fields: Any) -> SiteProfile:
    return SiteProfile(name=name, host=fields.pop("host", f"{name.lower().replace(' ', '-')}.example.com"), **fields)


async def create_vault(pilot: Pilot[Any]) -> None:
    """Answer the "create the password vault" dialog."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, MasterPasswordScreen))
    assert isinstance(pilot.app.screen, MasterPasswordScreen) and pilot.app.screen.creating
    await type_text(pilot, MASTER)
    await pilot.press("enter")
    await type_text(pilot, MASTER)
    await pilot.press("enter")
    await wait_until(pilot, lambda: not isinstance(pilot.app.screen, MasterPasswordScreen))


# == the form model (no UI) ==========================================================================


def test_every_field_is_on_exactly_one_tab() -> None:
    on_tabs = [name for tab in TABS for name in tab.fields]
    assert sorted(on_tabs) == sorted(FIELD_SPECS)
    assert len(on_tabs) == len(set(on_tabs))
    assert [tab.title for tab in TABS] == ["General", "Security", "Transfer", "Firewall/NAT", "z/OS", "Advanced"]


def test_widget_text_round_trips_every_field(pem_files: dict[str, str], tmp_path: Path) -> None:  # noqa: F811
    profile = every_field_changed(pem_files, str(tmp_path))
    raw = {name: display_value(spec, getattr(profile, name)) for name, spec in FIELD_SPECS.items()}
    state = form_state(SiteProfile(), raw)
    assert state.profile == profile
    assert list(state.errors) == errors_of(profile)  # nothing failed to parse


def test_unparsable_text_is_an_error_of_its_field() -> None:
    raw = {"port": "12a", "active_port_range": "50000", "transfer_rules": "*.jcl text", "connect_timeout": ""}
    state = form_state(site("A"), raw)
    messages = {problem.field: problem.message for problem in state.errors}
    assert messages["port"] == "enter a whole number, not '12a'"
    assert "LOW-HIGH" in messages["active_port_range"]
    assert "'pattern ascii' or 'pattern binary'" in messages["transfer_rules"]
    assert state.profile.connect_timeout == 15.0  # empty = the default


def test_probe_suggestion_changes_only_what_the_probe_decides() -> None:
    profile = site("A", port=2121, security=Security.TLS_IF_AVAILABLE, data_mode=DataMode.PORT, ccc=CCCMode.NOTIFY, notes="keep me")
    suggested = profile.to_connect_options("").with_changes(
        security=Security.EXPLICIT_TLS, port=21, data_mode=DataMode.EPSV, ccc=CCCMode.OFF
    )
    changed = apply_suggestion(profile, suggested)
    assert (changed.security, changed.port, changed.data_mode) == (Security.EXPLICIT_TLS, 0, DataMode.EPSV)
    assert (changed.notes, changed.host, changed.name, changed.ccc) == ("keep me", profile.host, "A", CCCMode.NOTIFY)
    assert apply_suggestion(profile, suggested.with_changes(security=Security.PLAIN)).ccc is CCCMode.OFF


# == the screen ======================================================================================


async def test_seed_toggles_are_on_the_first_screen_at_80x24() -> None:
    app = ManagerApp(SiteStore())
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        text = screen_text(app)
    for label in SEED_TOGGLES:
        assert label in text, label
    for key in ("^o", "Connect", "^s", "Save", "^t", "Test", "^n", "New", "Folder", "Dup", "Del", "Import", "Export", "esc"):
        assert key in text.splitlines()[-1], key


async def test_form_widgets_round_trip_every_field(pem_files: dict[str, str], tmp_path: Path) -> None:  # noqa: F811
    profile = every_field_changed(pem_files, str(tmp_path))
    app = ManagerApp(SiteStore())
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        screen.form.load(profile)
        await pilot.pause()
        assert form_state(SiteProfile(), screen.form.raw_values()).profile == profile
        assert not screen.form.dirty


async def test_create_a_site_with_the_keyboard_and_save_it() -> None:
    app = ManagerApp(SiteStore())
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "field-name"
        await type_text(pilot, "Prod FTP")
        await pilot.press("tab")
        await type_text(pilot, "Prod/Unix")
        await pilot.press("tab")
        await type_text(pilot, "ftp.example.com")
        await pilot.press("tab")
        await type_text(pilot, "2121")
        await pilot.press("tab", "ctrl+u")  # the user field starts as "anonymous"
        await type_text(pilot, "alice")
        await pilot.press("tab", "tab")  # past the password mode: onto the security buttons
        assert isinstance(app.focused, RadioSet)
        await pilot.press("right", "enter")  # AUTH SSL
        await pilot.press("tab", "space")  # Clear control channel (CCC)
        await pilot.press("tab", "space")  # Passive off: active
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = stored_sites()["Prod FTP"]
        tree_text = screen_text(app)
    assert saved["folder"] == "Prod/Unix"
    assert (saved["host"], saved["port"], saved["user"]) == ("ftp.example.com", 2121, "alice")
    assert (saved["security"], saved["ccc"], saved["data_mode"]) == ("explicit-ssl", "notify", "port")
    assert "Prod FTP" in tree_text and "Unix/" in tree_text


async def test_bad_port_shows_a_message_and_save_is_refused() -> None:
    store = SiteStore()
    store.add(site("Alpha", port=21))
    app = ManagerApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        screen.form.focus_field("port")
        await pilot.press("ctrl+u")
        await type_text(pilot, "70000")
        await pilot.pause()
        assert "port 70000 is out of range" in message_text(app, "message-port")
        assert "1 error" in message_text(app, "sm-problems") and "General › Port" in message_text(app, "sm-problems")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert stored_sites()["Alpha"]["port"] == 21
        assert app.focused is not None and app.focused.id == "field-port"
        await pilot.press("ctrl+u")
        await type_text(pilot, "2121")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert message_text(app, "message-port") == ""
        assert stored_sites()["Alpha"]["port"] == 2121
        assert not screen.form.dirty


async def test_ccc_with_plain_ftp_is_an_error_next_to_the_toggle() -> None:
    store = SiteStore()
    store.add(site("Alpha"))
    app = ManagerApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        screen.form.focus_field("security")
        await pilot.press("down", "down", "down", "down", "down", "enter")  # the sixth button: Plain FTP
        await pilot.press("tab", "space")  # Clear control channel (CCC)
        await pilot.pause()
        assert screen.form.state.profile.security is Security.PLAIN
        assert screen.form.state.profile.ccc is CCCMode.NOTIFY
        assert "CCC clears TLS on the control connection: it needs a TLS security mode" in message_text(app, "message-ccc-general")
        assert "password and all data cross the network unencrypted" in message_text(app, "message-security")
        assert "CCC clears TLS" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert stored_sites()["Alpha"]["security"] == "explicit-tls"  # refused: an error
        screen.form.focus_field("ccc_toggle")
        await pilot.press("space")  # CCC off: only the plain-FTP warning is left
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: stored_sites()["Alpha"]["security"] == "plain")  # warnings do not block
        assert message_text(app, "message-ccc-general") == ""


async def test_the_general_toggles_follow_the_detailed_choices() -> None:
    store = SiteStore()
    store.add(site("Alpha", ccc=CCCMode.NO_NOTIFY, data_mode=DataMode.EPSV))
    app = ManagerApp(store)
    seen: list[tuple[DataMode, CCCMode]] = []
    async with app.run_test(size=SIZE) as pilot:
        form = (await started(pilot)).form
        for toggle in ("passive", "passive", "ccc_toggle", "ccc_toggle"):
            form.focus_field(toggle)
            await pilot.press("space")
            await pilot.pause()
            seen.append((form.state.profile.data_mode, form.state.profile.ccc))
    assert seen == [
        (DataMode.PORT, CCCMode.NO_NOTIFY),  # passive off: active PORT
        (DataMode.AUTO, CCCMode.NO_NOTIFY),  # passive on again: the default passive mode
        (DataMode.AUTO, CCCMode.OFF),
        (DataMode.AUTO, CCCMode.NOTIFY),  # CCC on again: RFC 4217 with close_notify
    ]


async def test_help_line_explains_the_focused_field() -> None:
    store = SiteStore()
    store.add(site("Alpha"))
    app = ManagerApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        screen.form.focus_field("port")
        await pilot.pause()
        assert message_text(app, "sm-help").startswith("Port: Control connection port.")
        await pilot.press("3")  # typed into the port: not a tab switch
        screen.form.focus_field("reply_timeout")
        await pilot.pause()
        assert "DSWAITTIME" in message_text(app, "sm-help")
        assert "Reply timeout" in screen_text(app)


async def test_a_damaged_sites_file_is_reported_and_left_alone() -> None:
    path = locations.sites_file()
    path.parent.mkdir(parents=True)
    damaged = '[[site]]\nname = "Alpha"\nhost = "a.example.com"\nport = "twenty-one"\n'
    path.write_text(damaged)
    app = ManagerApp()  # the default store, from that file
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.results == [None])
    assert any("sites.toml:4: site 'Alpha': port: expected a whole number" in notice for notice in app.notices)
    assert path.read_text() == damaged


async def test_renaming_a_site_moves_its_saved_password() -> None:
    store, vault = SiteStore(), Vault()
    vault.create(MASTER)
    store.add(site("Old", password_mode=PasswordMode.SAVED))
    vault.set("Old", "s3cret")
    app = ManagerApp(store, vault)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        screen.form.focus_field("name")
        await pilot.press("ctrl+u")
        await type_text(pilot, "New")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "New" in stored_sites())
    reopened = Vault()
    reopened.unlock(MASTER)
    assert (reopened.get("New"), reopened.get("Old")) == ("s3cret", None)
    assert list(stored_sites()) == ["New"]


async def test_duplicate_then_delete_after_confirming() -> None:
    store = SiteStore()
    store.add(site("Alpha", folder="Prod"))
    app = ManagerApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: "Alpha (copy)" in stored_sites())
        assert stored_sites()["Alpha (copy)"]["host"] == "alpha.example.com"
        await wait_until(pilot, lambda: screen.form.state.profile.name == "Alpha (copy)")
        await pilot.press("delete")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")  # not this time
        await pilot.pause()
        assert "Alpha (copy)" in stored_sites()
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: "Alpha (copy)" not in stored_sites())
        assert list(stored_sites()) == ["Alpha"]
        assert "Alpha (copy)" not in screen_text(app)


async def test_new_folder_and_a_site_inside_it() -> None:
    app = ManagerApp(SiteStore())
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        screen.site_tree.focus()
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen))
        await type_text(pilot, "Archive")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Archive" in SiteStore().folders())
        await pilot.pause()
        assert screen.site_tree.current is not None and screen.site_tree.current.path == "Archive"  # type: ignore[union-attr]
        await pilot.press("n")
        await pilot.pause()
        assert screen.form.state.profile.folder == "Archive"


async def test_close_asks_before_dropping_changes() -> None:
    store = SiteStore()
    store.add(site("Alpha"))
    app = ManagerApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        screen.form.focus_field("host")
        await type_text(pilot, "other")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, SiteManagerScreen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_until(pilot, lambda: app.results == [None])
    assert stored_sites()["Alpha"]["host"] == "alpha.example.com"


async def test_import_filezilla_keeps_passwords_in_the_vault_and_export_has_none(tmp_path: Path) -> None:
    export = tmp_path / "export.toml"
    app = ManagerApp(SiteStore(), Vault())
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen))
        app.screen.query_one(Input).value = str(FILEZILLA_SAMPLE)
        await pilot.press("enter")
        await create_vault(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, LinesScreen))
        summary = screen_text(app)
        await pilot.press("escape")
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen))
        app.screen.query_one(Input).value = str(export)
        await pilot.press("enter")
        await wait_until(pilot, export.exists)
    assert "Imported 6 sites" in summary and "3 passwords kept in the vault" in summary
    assert "Skipped Test/Deploy SFTP: SFTP is not FTP" in summary
    assert stored_sites()["MVS1 LPAR"]["server_type"] == "mvs"
    vault = Vault()
    vault.unlock(MASTER)
    assert vault.get("MVS1 LPAR") == "Zos!pass1"
    assert "Zos!pass1" not in locations.sites_file().read_text() + export.read_text()
    exported = {table["name"]: table for table in tomllib.loads(export.read_text())["site"]}
    assert exported["MVS1 LPAR"]["password_mode"] == "ask"


# == a real server ===================================================================================


async def fill_site_for(pilot: Pilot[Any], screen: SiteManagerScreen, server: RunningServer, mode: PasswordMode) -> None:
    """A new site for ``server`` typed into the form (CA file on the Security tab)."""
    await pilot.press("ctrl+n")
    await pilot.pause()
    await type_text(pilot, "Test server")
    values = {"host": server.host, "port": str(server.port), "user": server.user, "ca_file": str(server.ca_file), "password_mode": mode.value}
    for name, value in values.items():  # typing each is tested above; here it would only be slow
        screen.form.query_one(f"#field-{name}").value = value  # type: ignore[attr-defined]
    await pilot.pause()


async def test_connect_to_a_real_tls_server_with_the_password_from_the_vault(pyftpd_tls: RunningServer) -> None:
    app = ManagerApp(SiteStore(), Vault())
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await fill_site_for(pilot, screen, pyftpd_tls, PasswordMode.SAVED)
        screen.form.focus_field("password")
        await type_text(pilot, pyftpd_tls.password)
        await pilot.press("ctrl+o")  # saves first: the vault is created for the password
        await create_vault(pilot)
        await wait_until(pilot, lambda: len(app.results) == 1)
    request = app.results[0]
    assert isinstance(request, ConnectRequest) and request.profile is not None
    assert (request.profile.name, request.title, request.options.security) == ("Test server", "Test server", Security.EXPLICIT_TLS)
    with FTPSession(request.options) as session:
        session.connect()
        assert session.pwd() == "/"
        assert session.security.trust == "verified"
        assert session.security.prot_listings
    table = stored_sites()["Test server"]
    assert (table["password_mode"], table["port"]) == ("saved", pyftpd_tls.port)
    assert pyftpd_tls.password not in locations.sites_file().read_text()
    vault = Vault()
    vault.unlock(MASTER)
    assert vault.get("Test server") == pyftpd_tls.password


async def test_saved_password_is_used_after_unlocking_the_vault(pyftpd_tls: RunningServer, tmp_path: Path) -> None:
    store, vault = SiteStore(), Vault()
    vault.create(MASTER)
    profile = SiteProfile(
        name="Locked", host=pyftpd_tls.host, port=pyftpd_tls.port, user=pyftpd_tls.user,
        password_mode=PasswordMode.SAVED, ca_file=str(pyftpd_tls.ca_file),
    )
    store.add(profile)
    vault.set("Locked", pyftpd_tls.password)
    vault.lock()
    folder = f"site-manager-{tmp_path.name}"  # the server is shared: a folder of our own
    pyftpd_tls.write_file(f"{folder}/from-the-vault.txt", b"hello")
    app = ManagerApp(store, vault)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("enter")  # on the site in the tree: connect
        await wait_until(pilot, lambda: isinstance(app.screen, MasterPasswordScreen))
        await type_text(pilot, "wrong")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "wrong master password" in screen_text(app))
        await type_text(pilot, MASTER)
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(app.results) == 1)
    request = app.results[0]
    assert request is not None and request.options.password == pyftpd_tls.password
    with FTPSession(request.options) as session:
        session.connect()
        assert [entry.name for entry in session.list_dir(folder)] == ["from-the-vault.txt"]


async def test_ask_mode_prompts_for_the_password(pyftpd_tls: RunningServer) -> None:
    store = SiteStore()
    store.add(SiteProfile(name="Ask", host=pyftpd_tls.host, port=pyftpd_tls.port, user=pyftpd_tls.user, ca_file=str(pyftpd_tls.ca_file)))
    app = ManagerApp(store, Vault())
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen))
        assert "Password for" in screen_text(app)
        await type_text(pilot, pyftpd_tls.password)
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(app.results) == 1)
    request = app.results[0]
    assert request is not None
    with FTPSession(request.options) as session:
        session.connect()
        assert session.pwd() == "/"
    assert not Vault().exists  # "ask" never creates a vault


@pytest.mark.slow
async def test_connection_doctor_runs_and_its_suggestion_fills_the_form(pyftpd_tls: RunningServer) -> None:
    store = SiteStore()
    store.add(
        SiteProfile(
            name="Doctor", host=pyftpd_tls.host, port=pyftpd_tls.port, user=pyftpd_tls.user,
            password_mode=PasswordMode.ASK, ca_file=str(pyftpd_tls.ca_file),
            security=Security.TLS_IF_AVAILABLE, data_mode=DataMode.PORT, server_type=ServerType.UNIX,
        )
    )
    app = ManagerApp(store, Vault())
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, PromptScreen))
        await type_text(pilot, pyftpd_tls.password)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ProbeScreen))
        probe_screen = app.screen
        assert isinstance(probe_screen, ProbeScreen)
        await wait_until(pilot, lambda: probe_screen.report is not None, seconds=60)
        report_text = screen_text(app)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, SiteManagerScreen))
        await pilot.pause()
        profile = screen.form.state.profile
        dirty = screen.form.dirty
    assert "Connection doctor" in report_text and "AUTH TLS" in report_text
    assert profile.security is Security.EXPLICIT_TLS
    assert profile.data_mode.passive
    assert dirty and stored_sites()["Doctor"]["security"] == "tls-if-available"  # applied, not saved


def test_snapshot_of_the_site_manager(snap_compare: Any) -> None:
    store = SiteStore()
    store.add(site("MVS1 prod", folder="Prod/Mainframes", user="USER1", server_type=ServerType.MVS, ccc=CCCMode.NOTIFY))
    store.add(site("web01", folder="Prod", user="deploy"))
    store.add(site("Test LPAR", folder="Test", port=2121, security=Security.IMPLICIT))
    store.add(site("mirror", security=Security.PLAIN))

    async def focus_the_tree(pilot: Pilot[Any]) -> None:
        await started(pilot)
        manager(pilot.app).site_tree.focus()
        await pilot.pause()

    assert snap_compare(ManagerApp(store), terminal_size=SIZE, run_before=focus_the_tree)

