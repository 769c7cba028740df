"""The tui-ftp Textual app: two file panes, the command log, the transfer queue, the security bar.

It talks to the engine only through :class:`~tui_ftp.ui.connection.RemoteConnection` (jobs and
futures) and the :class:`~tui_ftp.ui.bridge.EngineBridge` (events as messages). Connection life
(connect, certificate trust, disconnect, reconnect) lives here; what the file commands do lives in
:class:`~tui_ftp.ui.pane_actions.PaneActions`.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Awaitable
from dataclasses import replace
from typing import Any, ClassVar

from textual import events, on, work
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.notifications import SeverityLevel
from textual.widgets import Footer, Input, TabbedContent, TabPane, TextArea

from ..crash import crash_message, write_crash_report
from ..display import safe_text
from ..engine.errors import (
    CertificateError,
    ConnectionLost,
    FTPError,
    FTPTimeout,
    ServiceClosing,
)
from ..engine.events import (
    Direction,
    LogLine,
    SecurityChanged,
    StateChanged,
)
from ..engine.options import ConnectOptions
from ..engine.tls import CertificateInfo
from ..sites.errors import SiteError
from ..transfers import Transfer, TransferStatus
from . import keymap, themes
from .bridge import EngineBridge, EngineMessage, LogReady
from .connection import DEFAULT_PARALLEL, RemoteConnection
from .keymap import COMMANDS_BY_ACTION, Command, Scope
from .messages import ConnectRequest, TransfersChanged
from .palette import FtpCommands
from .pane_actions import PaneActions
from .screens.connect import QuickConnectScreen
from .screens.dialogs import ConfirmScreen, ConflictScreen, PromptScreen
from .screens.help import HelpScreen
from .screens.trust import TrustDecision, TrustRequest, TrustScreen
from .sides import LocalSide, RemoteSide
from .widgets.command_log import CommandLog
from .widgets.file_list import FileList
from .widgets.log_view import LogView
from .widgets.pane import FilePane
from .widgets.security_bar import SecurityBar
from .widgets.transfer_queue import TransferQueue

LOG_FLUSH_INTERVAL = 0.1  # seconds: log lines are shown at most ~10 times a second
TICK_INTERVAL = 0.1  # the transfer queue's refresh
_LOST = (ConnectionLost, ServiceClosing, FTPTimeout)


class TuiFtpApp(PaneActions, App[None]):
    """The dual-pane client. ``connect`` opens a connection at start; ``site`` opens a saved site."""

    CSS_PATH = "app.tcss"
    TITLE = "tui-ftp"
    BINDINGS: ClassVar[list[BindingType]] = [*keymap.bindings()]
    COMMANDS = App.COMMANDS | {FtpCommands}

    def __init__(
        self,
        connect: ConnectOptions | None = None,
        path: str = "",
        site: str | None = None,
        demo_note: str = "",
        *,
        local_path: str | None = "",
        parallel: int = DEFAULT_PARALLEL,
    ) -> None:
        """``local_path`` "" opens the current folder; None leaves the local pane empty (tests)."""
        super().__init__()
        self.bridge = EngineBridge(self)
        self.connection: RemoteConnection | None = None
        self.request: ConnectRequest | None = ConnectRequest(connect, path, parallel=parallel) if connect else None
        self.site = site
        self.demo_note = demo_note
        self.start_local_path = local_path
        self.parallel = parallel
        self.local_side = LocalSide()
        self.remote_side: RemoteSide | None = None
        self.active_pane_id = "local"
        self._last_log_flush = 0.0
        self._log_timer_pending = False
        self._conflict_open = False
        self._deferred_conflicts: set[str] = set()
        self._reconnect_offered = False
        self._saved_theme = ""
        self._theme_problems = self._load_themes()

    # == layout ====================================================================================
    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield FilePane("local", "Local", id="local")
            yield FilePane("remote", "Remote: not connected", id="remote")
        with TabbedContent(id="bottom", initial="log-tab"):
            with TabPane("Log", id="log-tab"):
                yield LogView(id="log-view")
            with TabPane("Transfers", id="transfers-tab"):
                yield TransferQueue(id="queue")
        yield SecurityBar(id="security")
        yield Footer(id="footer")

    def on_mount(self) -> None:
        main = self.screen  # the default screen: widgets are looked up once (dialogs may cover it later)
        self._panes = {pane.side_name: pane for pane in main.query(FilePane)}
        self._bottom = main.query_one("#bottom", TabbedContent)
        self._command_log = main.query_one(CommandLog)
        self._transfer_queue = main.query_one(TransferQueue)
        self._security_bar = main.query_one(SecurityBar)
        self._fit_footer(self.size.width)
        for problem in self._theme_problems:
            self.notify(problem, title="Themes and settings", severity="warning", timeout=8)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.pane("local").file_list.focus()
        self.set_interval(TICK_INTERVAL, self._tick)
        if self.demo_note:
            self.note(f"Demo server: {self.demo_note}")
            self.notify(self.demo_note, title="tui-ftp demo", timeout=8)
        if self.start_local_path is not None:
            self.open_local(self.start_local_path)
        if self.request is not None:
            self.connect_to(self.request)
        elif self.site:
            self.open_site(self.site)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_footer(event.size.width)

    def _fit_footer(self, width: int) -> None:
        """Below 100 columns the Footer drops its padding and the ^p hint (F1 shows it) so F1-F8 and q fit."""
        footer = self.screen_stack[0].query_one(Footer)
        footer.compact = width < 100
        footer.show_command_palette = width >= 100

    async def on_unmount(self) -> None:
        if self.connection is not None:
            await self.connection.aclose()

    def _fatal_error(self) -> None:
        """A bug ends the app with one line and a redacted report file (:mod:`tui_ftp.crash`).

        Replaces Textual's exit traceback, which shows local variables: a password among them
        would end up on the terminal (and in its scroll-back, or a screen recording).
        """
        error = sys.exc_info()[1] or self._exception
        path = write_crash_report(error, "the TUI") if error is not None else None
        self.bell()
        self._exit_renderables.append(crash_message(path))
        self._close_messages_no_wait()

    # == widgets ===================================================================================
    def pane(self, pane_id: str) -> FilePane:
        return self._panes[pane_id]

    @property
    def active_pane(self) -> FilePane:
        """The pane with the focus, else the one that had it last."""
        focused = self.focused
        for node in focused.ancestors_with_self if focused is not None else ():
            if isinstance(node, FilePane):
                self.active_pane_id = node.side_name
        return self.pane(self.active_pane_id)

    @property
    def other_pane(self) -> FilePane:
        return self.pane("remote" if self.active_pane.side_name == "local" else "local")

    @property
    def command_log(self) -> CommandLog:
        return self._command_log

    @property
    def transfer_queue(self) -> TransferQueue:
        return self._transfer_queue

    @property
    def security_bar(self) -> SecurityBar:
        return self._security_bar

    @property
    def bottom(self) -> TabbedContent:
        return self._bottom

    def on_descendant_focus(self, event: Any) -> None:
        for pane_id in ("local", "remote"):
            if self.pane(pane_id) in event.widget.ancestors_with_self:
                self.active_pane_id = pane_id

    # == key gating ================================================================================
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Our keys act on the main screen only; typed keys never steal text from inputs or filters."""
        if action == "typed":
            command = COMMANDS_BY_ACTION.get(str(parameters[0])) if parameters else None
            return command is not None and self._keys_apply(command, typed=True)
        command = COMMANDS_BY_ACTION.get(action)
        return True if command is None else self._keys_apply(command, typed=False)

    def _keys_apply(self, command: Command, typed: bool) -> bool:
        if len(self.screen_stack) > 1:
            return False
        focused = self.focused
        if isinstance(focused, (Input, TextArea)) and command.action != "switch_pane":
            return False
        in_pane = focused is not None and any(isinstance(node, FilePane) for node in focused.ancestors_with_self)
        if command.scope is Scope.PANE and not in_pane:
            return False
        typing_a_filter = isinstance(focused, FileList) and bool(focused.filter_text or self.active_pane.filter_mode)
        return not (typed and typing_a_filter)

    def action_typed(self, action: str) -> None:
        self.run_command(action)

    def run_command(self, action: str) -> None:
        """Run a command by name (keys, the palette and the help screen all end here)."""
        method = getattr(self, f"action_{action}", None)
        if method is None:
            return
        result = method()
        if isinstance(result, Awaitable):
            self.run_worker(result, exit_on_error=False)  # type: ignore[arg-type]

    # == engine events =============================================================================
    @on(LogReady)
    def _log_ready(self) -> None:
        wait = LOG_FLUSH_INTERVAL - (time.monotonic() - self._last_log_flush)
        if wait <= 0:
            self._flush_log()
        elif not self._log_timer_pending:
            self._log_timer_pending = True
            self.set_timer(wait, self._flush_log)

    def _flush_log(self) -> None:
        self._log_timer_pending = False
        self._last_log_flush = time.monotonic()
        lines = self.bridge.take_log()
        if lines:
            self.command_log.add_lines(lines)

    @on(EngineMessage)
    def _engine_event(self, message: EngineMessage) -> None:
        event = message.event
        connection = self.connection
        if connection is None or getattr(event, "session", "") != connection.browser.name:
            return
        if isinstance(event, SecurityChanged):
            self.security_bar.show(event.security, connection.endpoint, options=connection.options)
        elif isinstance(event, StateChanged):
            self.security_bar.set_state(event.state.value)

    @on(TransfersChanged)
    def _transfers_changed(self, message: TransfersChanged) -> None:
        finished = [t for t in message.transfers if t.status.finished and t.parent_id is None]
        if any(t.status is TransferStatus.CONFLICT for t in message.transfers):
            self._next_conflict()
        for transfer in finished:
            self._transfer_finished_note(transfer)
        self.refresh_after_transfer([t for t in message.transfers if t.status is TransferStatus.DONE])

    def _transfer_finished_note(self, transfer: Any) -> None:
        if transfer.status is TransferStatus.FAILED:
            self.notify(f"{transfer.source}: {transfer.error}", title="Transfer failed", severity="error", timeout=8)
            self.note(f"transfer failed: {transfer.source}: {transfer.error}", Direction.WARNING)

    def _tick(self) -> None:
        queue = self.transfer_queue
        if not queue.is_attached:
            return
        queue.sync()
        self._update_transfer_tab()

    def _update_transfer_tab(self) -> None:
        connection = self.connection
        if connection is None:
            return
        counts = connection.transfers.counts()
        running = counts[TransferStatus.RUNNING] + counts[TransferStatus.WAITING]
        queued = counts[TransferStatus.QUEUED]
        label = "Transfers"
        if running or queued:
            label += f" ({running} running, {queued} queued)"
        if connection.transfers.paused:
            label += " PAUSED"
        tab = self.bottom.get_tab("transfers-tab")
        if str(tab.label) != label:
            tab.label = label

    # == notes and errors ==========================================================================
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications carry server text (replies, names): plain and escaped unless asked otherwise."""
        if not markup:
            message = "\n".join(safe_text(line) for line in message.split("\n"))
        super().notify(message, title=safe_text(title), severity=severity, timeout=timeout, markup=markup)

    def note(self, text: str, direction: Direction = Direction.INFO) -> None:
        """A line of the app's own in the command log."""
        self.bridge.log(LogLine(direction, text, "app"))

    def report(self, error: BaseException, doing: str) -> None:
        """An error as a notification and a log line, never a traceback; a lost link offers reconnect."""
        title = getattr(error, "title", "Error")
        if isinstance(error, (FTPError, SiteError)):
            text = str(error) or title
        else:
            text = f"{type(error).__name__}: {error}"
        self.notify(f"{doing}: {text}", title=title, severity="error", timeout=8)
        self.note(f"{doing} failed: {title}: {text}", Direction.WARNING)
        if isinstance(error, _LOST) and self.connection is not None:
            self.security_bar.set_state("connection lost")
            self.offer_reconnect()

    async def guarded(self, doing: str, coroutine: Awaitable[Any]) -> Any:
        """Await ``coroutine``; errors are reported (see :meth:`report`) and None is returned."""
        try:
            return await coroutine
        except Exception as error:  # noqa: BLE001 - the app must survive anything an action raises
            self.report(error, doing)
            return None

    # == connecting ================================================================================
    def action_connect(self) -> None:
        screen = _site_manager_screen()
        self.push_screen(screen if screen is not None else QuickConnectScreen(), self._connect_chosen)

    def action_quick_connect(self) -> None:
        self.push_screen(QuickConnectScreen(), self._connect_chosen)

    def _connect_chosen(self, request: ConnectRequest | None) -> None:
        if request is not None:
            self.connect_to(request)

    @work(exclusive=True, group="connect", exit_on_error=False)
    async def open_site(self, name: str) -> None:
        from .site_connect import site_request

        request = await self.guarded(f"Opening site {name}", site_request(name, self._ask_secret, self._ask_secret))
        if request is not None:
            self.connect_to(request)

    async def _ask_secret(self, prompt: str) -> str | None:
        return await self.push_screen_wait(PromptScreen(prompt, password=True))

    @work(exclusive=True, group="connect", exit_on_error=False)
    async def connect_to(self, request: ConnectRequest) -> None:
        """Connect (asking about an untrusted certificate), then list the remote folder."""
        await self._drop_connection()
        self.request = request
        options: ConnectOptions | None = self._with_known_pin(request.options)
        while options is not None:
            connection = self._new_connection(request, options)
            try:
                await connection.connect()
            except CertificateError as error:
                await connection.aclose()
                options = await self._ask_trust(options, error)
                continue
            except Exception as error:  # noqa: BLE001
                await connection.aclose()
                self.security_bar.show(None, state="connection failed")
                self.report(error, f"Connecting to {options.host}")
                return
            await self._connected(connection, request)
            return
        self.security_bar.show(None, state="certificate rejected: not connected")

    def _new_connection(self, request: ConnectRequest, options: ConnectOptions) -> RemoteConnection:
        self.security_bar.show(None, f"{options.user}@{options.host}", "connecting…")
        self.pane("remote").set_title(f"Remote: connecting to {options.host}")
        return RemoteConnection(
            options,
            self.bridge,
            parallel=request.parallel or self.parallel,
            on_transfer_change=self._post_transfers_changed,
            transfer_type_for=request.transfer_type_for,
        )

    def _post_transfers_changed(self, changed: list[Transfer]) -> None:
        """The queue's listener: called from runner threads; ``post_message`` is thread-safe."""
        self.post_message(TransfersChanged(changed))

    async def _connected(self, connection: RemoteConnection, request: ConnectRequest) -> None:
        self.connection = connection
        self.remote_side = RemoteSide(connection)
        self._reconnect_offered = False
        self.transfer_queue.attach(connection.transfers)
        self.security_bar.show(connection.security, connection.endpoint, "ready", connection.options)
        self.pane("remote").set_title(f"Remote: {request.title or connection.endpoint}")
        if request.local_path:
            self.open_local(request.local_path)
        await self.guarded("Listing the remote folder", self.show_remote_listing(request.path))

    async def _drop_connection(self) -> None:
        connection, self.connection = self.connection, None
        self.remote_side = None
        if connection is not None:
            self.note(f"disconnecting from {connection.endpoint}")
            await connection.aclose()
        self.transfer_queue.attach(None)
        self.pane("remote").show_listing("", "", [], "files")
        self.pane("remote").set_title("Remote: not connected")
        self.security_bar.show(None, state="not connected")

    async def action_disconnect(self) -> None:
        if self.connection is None:
            self.notify("Not connected", timeout=2)
            return
        await self._drop_connection()

    def action_reconnect(self) -> None:
        if self.request is None:
            self.notify("Nothing to reconnect to: connect first (F2 or o)", timeout=3)
            return
        path = self.pane("remote").path or self.request.path
        self.connect_to(replace(self.request, path=path))

    def offer_reconnect(self) -> None:
        if self._reconnect_offered or self.request is None:
            return
        self._reconnect_offered = True

        def answered(yes: bool | None) -> None:
            self._reconnect_offered = False
            if yes:
                self.action_reconnect()

        self.push_screen(
            ConfirmScreen("Connection lost", "The connection to the server was lost. Reconnect now?", "Reconnect"),
            answered,
        )

    # == certificates ==============================================================================
    def _with_known_pin(self, options: ConnectOptions) -> ConnectOptions:
        """A pinned certificate for this host:port is required from the first connect on."""
        store = _known_certificates(self)
        if store is None or options.tls.pinned_sha256 or not options.security.uses_tls:
            return options
        pinned = store.get(options.host, options.effective_port)
        if pinned is None:
            return options
        return options.with_changes(tls=replace(options.tls, pinned_sha256=pinned.sha256))

    async def _ask_trust(self, options: ConnectOptions, error: CertificateError) -> ConnectOptions | None:
        """Show the trust dialog; the options to retry with, or None when rejected."""
        certificate = error.certificate
        if not isinstance(certificate, CertificateInfo):
            self.report(error, f"Connecting to {options.host}")
            return None
        request = self._trust_request(options, error.reason, certificate)
        self.note(f"certificate of {request.host}:{request.port} not trusted: {error}", Direction.WARNING)
        self.security_bar.set_state("certificate not trusted: waiting for your decision")
        decision = await self.push_screen_wait(TrustScreen(request))
        self.note(f"certificate {certificate.fingerprint} for {request.host}:{request.port}: {decision.value}")
        if decision is TrustDecision.REJECT:
            return None
        if decision is TrustDecision.ALWAYS:
            self._pin(request)
        return options.with_changes(tls=replace(options.tls, pinned_sha256=certificate.sha256))

    def _trust_request(self, options: ConnectOptions, reason: str, certificate: CertificateInfo) -> TrustRequest:
        store = _known_certificates(self)
        port = options.effective_port
        pinned = store.get(options.host, port) if store is not None else None
        changed = pinned is not None and pinned.sha256 != certificate.fingerprint
        return TrustRequest(
            host=options.host,
            port=port,
            certificate=certificate,
            reason=reason,
            changed=changed,
            pinned_fingerprint=pinned.sha256 if changed and pinned else "",
            pinned_since=pinned.first_seen if changed and pinned else None,
        )

    def _pin(self, request: TrustRequest) -> None:
        store = _known_certificates(self)
        if store is None:
            self.notify("The certificate store is not available: trusted for this session only", severity="warning")
            return
        try:
            store.pin(request.host, request.port, request.certificate.sha256, subject=request.certificate.subject)
        except (SiteError, ValueError) as error:
            self.report(error, "Saving the certificate pin")

    # == conflicts =================================================================================
    def _next_conflict(self) -> None:
        if self._conflict_open or self.connection is None or len(self.screen_stack) > 1:
            return
        waiting = self.connection.transfers.conflicts()
        fresh = [t for t in waiting if t.id not in self._deferred_conflicts]
        if fresh:
            self.ask_conflict(fresh[0], len(waiting) - 1)

    def ask_conflict(self, transfer: Any, others: int = 0) -> None:
        self._conflict_open = True

        def answered(answer: Any) -> None:
            self._conflict_open = False
            if self.connection is None:
                return
            if answer is None:
                self._deferred_conflicts.add(transfer.id)
                self.notify("Answer later: select the row in Transfers and press enter", timeout=4)
                return
            self.connection.transfers.resolve(transfer.id, answer.action, answer.apply_to_all)
            self._next_conflict()

        self.push_screen(ConflictScreen(transfer, others), answered)

    @on(TransferQueue.ConflictChosen)
    def _conflict_chosen(self, message: TransferQueue.ConflictChosen) -> None:
        self._deferred_conflicts.discard(message.transfer.id)
        if not self._conflict_open:
            self.ask_conflict(message.transfer)

    # == view commands =============================================================================
    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    def action_show_log(self) -> None:
        self.bottom.active = "log-tab"
        self.command_log.focus()

    def action_show_transfers(self) -> None:
        self.bottom.active = "transfers-tab"
        self.transfer_queue.focus()

    def action_export_log(self) -> None:
        default = f"~/tui-ftp-log-{time.strftime('%Y%m%d-%H%M%S')}.txt"

        def chosen(path: str | None) -> None:
            if path:
                try:
                    count = self.command_log.export(path)
                except FTPError as error:
                    self.report(error, "Exporting the log")
                    return
                self.notify(f"{count:,} lines written to {path}", title="Log exported", timeout=4)

        self.push_screen(PromptScreen("Export the command log to", default), chosen)

    def action_pick_theme(self) -> None:
        self.search_themes()

    def action_quit_app(self) -> None:
        self.run_worker(self.action_quit(), exit_on_error=False)

    async def action_quit(self) -> None:
        """Quit; while transfers run, ask first (they would be cancelled)."""
        connection = self.connection
        if connection is None or not connection.transfers.active or len(self.screen_stack) > 1:
            self.exit()
            return
        question = ConfirmScreen("Quit tui-ftp?", "Transfers are still running; quitting cancels them.", "Quit", danger=True)
        self.push_screen(question, lambda yes: self.exit() if yes else None)

    # == themes ====================================================================================
    def _load_themes(self) -> list[str]:
        """Register the themes and pick the starting one before the app runs, so the stylesheet is
        parsed once with it (set in ``on_mount`` it was parsed twice: ~30 ms of start-up).
        Returns the problems, notified once the app is mounted."""
        loaded = themes.load_themes(themes.all_theme_dirs())
        for theme in loaded.themes:
            self.register_theme(theme)
        problems = list(loaded.problems)
        self._saved_theme = self.theme = self._starting_theme(problems)
        return problems

    def _starting_theme(self, problems: list[str]) -> str:
        try:
            from .preferences import remembered_theme

            remembered = remembered_theme()
        except (SiteError, ImportError) as error:
            problems.append(f"Settings not read: {error}")
            remembered = None
        for name in (remembered, themes.DEFAULT_THEME):
            if name and name in self.available_themes:
                return name
        return "textual-dark"

    def _theme_changed(self, theme: Any) -> None:
        """Remember a theme the user picked (the signal also echoes the one set at start: skipped)."""
        if theme.name == self._saved_theme:
            return
        self._saved_theme = theme.name
        try:
            from .preferences import remember_theme

            remember_theme(theme.name)
        except (SiteError, ImportError) as error:
            self.notify(str(error), title="Theme not remembered", severity="warning")


def _site_manager_screen() -> Any:
    """The site manager screen (issue 5) when it is installed, else None (quick connect is used)."""
    try:
        from .screens.site_manager import SiteManagerScreen  # type: ignore[import-not-found]
    except ImportError:
        return None
    return SiteManagerScreen()


def _known_certificates(app: TuiFtpApp) -> Any:
    """The pin store, or None (reported) when it cannot be read."""
    try:
        from ..sites.known_certs import KnownCertificates

        return KnownCertificates()
    except (SiteError, ImportError) as error:
        app.notify(str(error), title="Pinned certificates not available", severity="warning", timeout=8)
        return None


__all__ = ["TuiFtpApp"]
