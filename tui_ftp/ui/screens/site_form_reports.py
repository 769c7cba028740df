"""Dialogs of the site manager that show a report: the connection doctor, and plain text lines.

:class:`ProbeScreen` runs :func:`tui_ftp.engine.probe.probe` in a thread worker (a probe takes
seconds: one short connection per capability), shows the protocol log live, then the findings
and the suggested profile. "Apply" dismisses with the suggested options; the site manager copies
them into its form, where the user reviews and saves them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Label, RichLog, Static
from textual.worker import Worker, WorkerState

from ...display import safe_text
from ...engine.errors import FTPError
from ...engine.events import Event, LogLine
from ...engine.options import ConnectOptions
from ...engine.probe import ProbeReport, probe


def write_lines(log: RichLog, lines: Iterable[str]) -> None:
    """Plain text lines (never markup), wrapped to the box."""
    for line in lines:
        log.write(Text(line))


class LinesScreen(ModalScreen[None]):
    """Text lines in a scrollable box (import results, say); escape or enter closes."""

    CSS_PATH: ClassVar[list[str | PurePath]] = ["dialogs.tcss", "site_form_reports.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "close", "Close")]

    def __init__(self, title: str, lines: Iterable[str]) -> None:
        super().__init__(classes="dialog")
        self._title = title
        self._lines = [safe_text(line) for line in lines]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box report-box"):
            yield Label(self._title, classes="dialog-title", markup=False)
            yield RichLog(id="report-log", auto_scroll=False, wrap=True, markup=False, highlight=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close (esc)", id="report-close", variant="primary")

    def on_mount(self) -> None:
        write_lines(self.query_one(RichLog), self._lines)
        self.query_one(RichLog).focus()

    @on(Button.Pressed, "#report-close")
    def action_close(self) -> None:
        self.dismiss(None)


class ProbeScreen(ModalScreen[ConnectOptions | None]):
    """The connection doctor for ``options``; dismisses with the suggested options, or None."""

    CSS_PATH: ClassVar[list[str | PurePath]] = ["dialogs.tcss", "site_form_reports.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("a", "apply", "Apply suggestions"),
    ]

    class ProtocolLine(Message):
        """A protocol log line from the probe thread."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, options: ConnectOptions) -> None:
        super().__init__(classes="dialog")
        self.options = options
        self.report: ProbeReport | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box report-box"):
            yield Label(f"Connection doctor: {safe_text(self.options.host)}", classes="dialog-title", markup=False)
            yield Static("testing: one short connection per capability…", id="probe-status", markup=False)
            yield RichLog(id="report-log", auto_scroll=True, wrap=True, markup=False, highlight=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply suggestions (a)", id="probe-apply", variant="primary", disabled=True)
                yield Button("Close (esc)", id="probe-close")

    def on_mount(self) -> None:
        self.query_one("#probe-close", Button).focus()
        self._run_probe()

    @work(thread=True, exclusive=True, exit_on_error=False, group="probe", description="connection doctor")
    def _run_probe(self) -> ProbeReport:
        return probe(self.options, self._sink)

    def _sink(self, event: Event) -> None:
        """Called in the probe thread: hand log lines to the UI thread."""
        if isinstance(event, LogLine):
            self.post_message(self.ProtocolLine(f"{event.direction.value} {safe_text(event.text)}"))

    def on_probe_screen_protocol_line(self, message: ProbeScreen.ProtocolLine) -> None:
        if self.report is None:
            self.query_one(RichLog).write(Text(message.text))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "probe":
            return
        if event.state is WorkerState.SUCCESS:
            self.report = event.worker.result
            assert self.report is not None
            self._finished(self.report.lines(), "done: review the findings, then apply or close")
            self.query_one("#probe-apply", Button).disabled = False
            self.query_one("#probe-apply", Button).focus()
        elif event.state is WorkerState.ERROR:
            error = event.worker.error
            if not isinstance(error, (FTPError, OSError)):
                raise error  # type: ignore[misc]  # a bug: let Textual report it
            self._finished([f"{type(error).__name__}: {safe_text(str(error))}"], "the test could not run")

    def _finished(self, lines: list[str], status: str) -> None:
        log = self.query_one(RichLog)
        log.auto_scroll = False
        log.clear()
        write_lines(log, lines)
        log.scroll_home(animate=False)
        self.query_one("#probe-status", Static).update(status)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "apply":
            return self.report is not None
        return True

    @on(Button.Pressed, "#probe-apply")
    def action_apply(self) -> None:
        if self.report is not None:
            self.dismiss(self.report.suggested)

    @on(Button.Pressed, "#probe-close")
    def action_close(self) -> None:
        self.dismiss(None)
