"""The help screen: every command with its keys, from the same table as the bindings."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ..keymap import COMMANDS, CONNECTION, FILES, VIEW

PANE_KEYS: tuple[tuple[str, str], ...] = (
    ("enter", "Open the folder (or view the file) under the cursor"),
    ("space / insert", "Select the entry and move down"),
    ("+ / - / *", "Select by pattern / unselect by pattern / invert the selection"),
    (".", "Show or hide hidden files"),
    ("^n ^s ^t", "Sort by name / size / time (again: reverse)"),
    ("/ then letters", "Filter the names shown; escape clears"),
)
QUEUE_KEYS: tuple[tuple[str, str], ...] = (
    ("del / x", "Cancel the transfer (a z/OS contention wait: give up)"),
    ("r", "Retry a failed or cancelled transfer"),
    ("p", "Pause or resume the queue"),
    ("c", "Clear finished rows"),
    ("enter", "Answer a 'target exists' question"),
)
LOG_KEYS: tuple[tuple[str, str], ...] = (
    ("/ or ^f", "Search the log; n / N next / previous match"),
    ("end", "Follow new lines"),
)


def help_table() -> Table:
    table = Table(show_header=True, header_style="bold", expand=True, box=None, padding=(0, 1))
    table.add_column("Keys", no_wrap=True, width=14)
    table.add_column("Command", no_wrap=True)
    table.add_column("What it does", ratio=1)
    for group in (FILES, CONNECTION, VIEW):
        table.add_row(Text(group, style="bold underline"), "", "")
        for command in COMMANDS:
            if command.group == group:
                table.add_row(" ".join(command.key_labels), command.title, command.help)
    for title, rows in (("In a file pane", PANE_KEYS), ("In the transfer queue", QUEUE_KEYS), ("In the log", LOG_KEYS)):
        table.add_row(Text(title, style="bold underline"), "", "")
        for keys, text in rows:
            table.add_row(keys, "", text)
    table.add_row(Text("Anywhere", style="bold underline"), "", "")
    table.add_row("^p", "Command palette", "Search every command by name")
    table.add_row("^q", "Quit", "Leave tui-ftp")
    return table


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,f1,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Label("tui-ftp keys (F-keys may not reach the app over SSH: use the letters)", id="help-title")
            yield Static(help_table(), id="help-table")

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()

    def action_close(self) -> None:
        self.dismiss(None)
