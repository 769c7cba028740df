"""The command log with its search bar (shown by ``/`` or ctrl+f, hidden by escape)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input

from .._css import css_beside
from .command_log import CommandLog


class LogSearch(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close search", show=False),
        Binding("up", "previous", "Previous match", show=False),
        Binding("down", "next", "Next match", show=False),
    ]

    def action_close(self) -> None:
        view = self.parent
        if isinstance(view, LogView):
            view.close_search()

    def action_previous(self) -> None:
        view = self.parent
        if isinstance(view, LogView):
            view.log_widget.search(self.value, backwards=True)

    def action_next(self) -> None:
        view = self.parent
        if isinstance(view, LogView):
            view.log_widget.search(self.value)


class LogView(Vertical):
    DEFAULT_CSS = css_beside(__file__)

    def compose(self) -> ComposeResult:
        yield CommandLog(id="command-log")
        yield LogSearch(placeholder="search the log: enter/down next, up previous, escape close", id="log-search", classes="-hidden")

    @property
    def log_widget(self) -> CommandLog:
        return self.query_one(CommandLog)

    @on(CommandLog.SearchRequested)
    def open_search(self) -> None:
        search = self.query_one(LogSearch)
        search.remove_class("-hidden")
        search.focus()

    def close_search(self) -> None:
        self.query_one(LogSearch).add_class("-hidden")
        self.log_widget.focus()

    @on(Input.Submitted, "#log-search")
    def _find(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.log_widget.search(event.value):
            self.notify(f"{event.value!r} is not in the log", severity="warning", timeout=2, markup=False)
