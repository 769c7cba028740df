"""A file pane: an editable path bar, the virtual :class:`FileList`, and a summary line.

The pane is a view. The app decides what a path means (local or remote) and feeds listings in with
:meth:`FilePane.show_listing`; the pane reports what the user asked for through messages.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from ...display import safe_text
from ...engine.listing import Entry
from .._css import css_beside
from .file_list import FileList


class PathBar(Input):
    """The pane's folder, editable: type a path and press enter to go there."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "leave", "Back to the list", show=False)]

    def action_leave(self) -> None:
        self.post_message(FilePane.PathCancelled())


class PaneFileList(FileList, inherit_bindings=False):
    """The FileList with its keys kept out of the Footer (it has room for the F-key commands only).

    The keys still work and are listed in the help screen (F1).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        replace(binding, show=False) if isinstance(binding, Binding) else binding for binding in FileList.BINDINGS
    ]


class FilePane(Vertical):
    """``side`` is ``"local"`` or ``"remote"``; the app keeps the :class:`~tui_ftp.ui.sides.Side`."""

    DEFAULT_CSS = css_beside(__file__)

    class PathSubmitted(Message):
        """The user typed a path into the path bar and pressed enter."""

        def __init__(self, pane: FilePane, path: str) -> None:
            super().__init__()
            self.pane = pane
            self.path = path

    class PathCancelled(Message):
        """Escape in the path bar."""

    def __init__(self, side: str, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes=f"pane -{side}")
        self.side_name = side
        self.title = title
        self.path = ""
        self.shown_path = ""
        self.filter_mode = False  # "/" was pressed: letters go to the filter, not to commands
        self.border_title = title

    def compose(self) -> ComposeResult:
        yield PathBar(placeholder="path", id=f"{self.side_name}-path", classes="path-bar", select_on_focus=True)
        yield PaneFileList(id=f"{self.side_name}-list")
        yield Static("", id=f"{self.side_name}-summary", classes="summary", markup=False)

    @property
    def file_list(self) -> FileList:
        return self.query_one(FileList)

    @property
    def path_bar(self) -> PathBar:
        return self.query_one(PathBar)

    def show_listing(self, path: str, shown_path: str, entries: list[Entry], column_set: str, cursor_name: str | None = None) -> None:
        """Show a folder's entries; the cursor goes to ``cursor_name`` (the folder just left) if given."""
        self.path = path
        self.shown_path = shown_path
        self.path_bar.value = shown_path
        self.path_bar.cursor_position = len(shown_path)
        file_list = self.file_list
        if file_list.column_set != column_set:
            file_list.column_set = column_set
        file_list.set_entries(entries, parent_entry=True, cursor_name=cursor_name)

    def set_title(self, title: str) -> None:
        self.title = title
        self._show_title()

    def set_synced(self, synced: bool) -> None:
        """Mark the pane while synchronized browsing is on."""
        self.set_class(synced, "-synced")
        self._show_title()

    def _show_title(self) -> None:
        self.border_title = safe_text(self.title) + (" ⇄ sync" if self.has_class("-synced") else "")

    def edit_path(self) -> None:
        self.path_bar.focus()

    @on(Input.Submitted, ".path-bar")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.PathSubmitted(self, event.value.strip()))
        self.file_list.focus()

    @on(PathCancelled)
    def _cancelled(self, event: PathCancelled) -> None:
        event.stop()
        self.path_bar.value = self.shown_path
        self.file_list.focus()

    @on(FileList.SummaryChanged)
    def _summary(self, event: FileList.SummaryChanged) -> None:
        self.query_one(".summary", Static).update(event.summary)

    @on(FileList.FilterChanged)
    def _filter(self, event: FileList.FilterChanged) -> None:
        if not event.text:
            self.filter_mode = False

    def start_filter(self) -> None:
        self.filter_mode = True
        self.notify("Type to filter; escape clears", timeout=2)

    def on_key(self, event: events.Key) -> None:
        """Escape with an empty filter, or leaving the pane, ends the "/" filter mode."""
        if event.key == "escape" and self.filter_mode:
            self.filter_mode = False

    def on_descendant_blur(self) -> None:
        if not self.file_list.filter_text:
            self.filter_mode = False
