"""A read-only pager for a text file (local, or a remote file fetched to a private temp folder).

The text goes through :func:`~tui_ftp.display.safe_text` line by line, so control characters in
a hostile file show as escapes instead of driving the terminal. Tabs are expanded first.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, TextArea

from ...display import safe_text


def printable_text(text: str) -> str:
    """Every line made safe for the terminal (tabs expanded, controls escaped)."""
    return "\n".join(safe_text(line.expandtabs(8)) for line in text.replace("\r\n", "\n").split("\n"))


class PagerScreen(Screen[None]):
    CSS_PATH = "pager.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,f3", "close", "Close", key_display="q"),
        Binding("slash,ctrl+f", "search", "Search", key_display="/"),
        Binding("n", "find_next", "Next match"),
    ]

    def __init__(self, title: str, text: str, *, note: str = "") -> None:
        super().__init__()
        self._title = title
        self._lines = printable_text(text).split("\n")
        self._note = note
        self._query = ""

    def compose(self) -> ComposeResult:
        heading = self._title + (f"  ({self._note})" if self._note else "")
        yield Label(safe_text(heading), id="pager-title", markup=False)
        yield TextArea("\n".join(self._lines), read_only=True, show_line_numbers=True, soft_wrap=False, id="pager-text")
        yield Input(placeholder="search, enter: next", id="pager-search", classes="-hidden")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def action_close(self) -> None:
        if self.focused is self.query_one("#pager-search", Input):
            self._hide_search()
            return
        self.dismiss(None)

    def action_search(self) -> None:
        search = self.query_one("#pager-search", Input)
        search.remove_class("-hidden")
        search.focus()

    def _hide_search(self) -> None:
        self.query_one("#pager-search", Input).add_class("-hidden")
        self.query_one(TextArea).focus()

    @on(Input.Submitted, "#pager-search")
    def _search(self, event: Input.Submitted) -> None:
        self._query = event.value
        self.action_find_next()

    def action_find_next(self) -> None:
        if not self._query:
            return
        area = self.query_one(TextArea)
        start_row = area.cursor_location[0] + 1
        needle = self._query.casefold()
        count = len(self._lines)
        for offset in range(count):
            row = (start_row + offset) % count
            column = self._lines[row].casefold().find(needle)
            if column >= 0:
                area.select_line(row)
                area.cursor_location = (row, column)
                area.scroll_cursor_visible(center=True)
                return
        self.notify(f"{self._query!r} not found", severity="warning", timeout=2, markup=False)
