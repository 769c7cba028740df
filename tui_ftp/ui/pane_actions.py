"""What the file commands do: navigation, copy/move, mkdir, delete, rename, chmod, view, edit,
raw commands, synchronized browsing and folder comparison.

Written once for both panes against :class:`~tui_ftp.ui.sides.Side`. Mixed into the app; every
command that talks to a disk or a server runs as a worker and reports errors through
``app.report`` (a notification and a log line), so nothing here can crash the app.
"""

from __future__ import annotations

import asyncio
import glob
import hashlib
import os
import shlex
import shutil
import subprocess
from collections.abc import Awaitable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import SuspendNotSupported
from textual.notifications import SeverityLevel

from ..engine.errors import FTPError
from ..engine.listing import Entry, EntryKind
from ..transfers import Transfer, TransferDirection, TransferManager
from .compare import compare_listings
from .screens.dialogs import ConfirmScreen, PromptScreen
from .screens.pager import PagerScreen
from .sides import Listing, LocalSide, Side, read_text_for_pager, temp_folder
from .widgets.file_list import FileList
from .widgets.pane import FilePane

if TYPE_CHECKING:
    from textual.app import App
    from textual.widgets import TabbedContent

    from .connection import RemoteConnection
    from .sides import RemoteSide

    class _Base(App[None]):
        """What the mixin uses of :class:`~tui_ftp.ui.app.TuiFtpApp` (for the type checker only)."""

        local_side: LocalSide
        remote_side: RemoteSide | None
        connection: RemoteConnection | None

        @property
        def active_pane(self) -> FilePane: ...

        @property
        def other_pane(self) -> FilePane: ...

        @property
        def bottom(self) -> TabbedContent: ...

        def pane(self, pane_id: str) -> FilePane: ...

        async def guarded(self, doing: str, coroutine: Awaitable[Any]) -> Any: ...

        def report(self, error: BaseException, doing: str) -> None: ...

else:
    _Base = object

REFRESH_DELAY = 0.5  # seconds after the last transfer finished before its target pane re-lists
BUSY_REFRESH_DELAY = 3.0  # while the queue still runs: re-list at most this often
_PERMISSION_BITS = "rwxrwxrwx"


def permissions_to_octal(text: str) -> str:
    """``rwxr-xr-x`` → ``755``; ``""`` (unknown) → ``644``."""
    bits = text[-9:] if len(text) >= 9 else ""
    if not bits:
        return "644"
    value = sum(1 << (8 - index) for index, char in enumerate(bits) if char not in "-" and char in "rwxsStT")
    return f"{value:03o}"


def validate_mode(text: str) -> str | None:
    stripped = text.strip()
    if len(stripped) in (3, 4) and all(char in "01234567" for char in stripped):
        return None
    return "an octal mode: 3 or 4 digits 0-7, e.g. 644 or 0755"


def validate_name(text: str) -> str | None:
    name = text.strip()
    if not name:
        return "type a name"
    if any(char in name for char in "\r\n\x00"):
        return "a name cannot hold line breaks or NUL"
    return None


def _file_digest(path: Path) -> tuple[int, str]:
    data = path.read_bytes()
    return len(data), hashlib.sha256(data).hexdigest()


class PaneActions(_Base):
    """The file commands of :class:`~tui_ftp.ui.app.TuiFtpApp`.

    A plain mixin: Textual collects ``@on`` handlers only from MessagePump classes, so message
    handlers here use the naming convention (``on_file_list_activated``).
    """

    sync_browsing = False
    _refresh_pending: set[str] | None = None

    # == sides and listings ========================================================================
    def side_of(self, pane: FilePane) -> Side | None:
        return self.local_side if pane.side_name == "local" else self.remote_side

    def _side_or_warn(self, pane: FilePane) -> Side | None:
        side = self.side_of(pane)
        if side is None:
            self.notify("Not connected: press F2 or o to connect", severity="warning", timeout=3)
        return side

    def show(self, pane: FilePane, listing: Listing, cursor_name: str | None = None) -> None:
        side = self.side_of(pane)
        shown = side.display(listing.path) if side else listing.path
        pane.show_listing(listing.path, shown, listing.entries, listing.column_set, cursor_name)

    def open_local(self, path: str) -> None:
        self._navigate(self.pane("local"), self.local_side.list(path or os.getcwd()))

    async def show_remote_listing(self, path: str = "") -> None:
        if self.remote_side is not None:
            self.show(self.pane("remote"), await self.remote_side.list(path))

    def _navigate(
        self,
        pane: FilePane,
        listing: Awaitable[Listing],
        cursor_name: str | None = None,
        then: Any = None,
        keep_cursor: bool = False,
    ) -> None:
        """Show ``listing`` in ``pane`` when it arrives; ``keep_cursor`` leaves the cursor on the
        entry it is on at that moment (the user may have moved it while the listing was loading)."""

        async def run() -> None:
            result = await self.guarded(f"Opening a folder ({pane.side_name})", listing)
            if result is None:
                return
            entry = pane.file_list.cursor_entry
            name = cursor_name or (entry.name if keep_cursor and entry is not None else None)
            self.show(pane, result, name)
            if then is not None:
                then()

        self.run_worker(run(), group=f"navigate-{pane.side_name}", exclusive=True, exit_on_error=False)

    def refresh_pane(self, pane: FilePane, cursor_name: str | None = None) -> None:
        side = self.side_of(pane)
        if side is not None and (pane.path or pane.side_name == "local"):
            self._navigate(pane, side.list(pane.path), cursor_name, keep_cursor=True)

    def action_refresh(self) -> None:
        for pane_id in ("local", "remote"):
            self.refresh_pane(self.pane(pane_id))

    def refresh_after_transfer(self, transfers: Sequence[Transfer]) -> None:
        """Re-list the pane each finished transfer wrote into, once for many, and rarely while the
        queue runs: a folder copy of thousands of files must not re-list 100,000 entries per file."""
        targets = {pane_id for transfer in transfers if (pane_id := self._target_pane(transfer))}
        if not targets:
            return
        if self._refresh_pending is not None:
            self._refresh_pending |= targets
            return
        self._refresh_pending = targets
        busy = self.connection is not None and self.connection.transfers.active
        self.set_timer(BUSY_REFRESH_DELAY if busy else REFRESH_DELAY, self._refresh_now)

    def _target_pane(self, transfer: Transfer) -> str | None:
        """The pane showing where ``transfer`` wrote (its folder or one above), if any."""
        if transfer.direction is TransferDirection.DOWNLOAD:
            shown = self.pane("local").path
            return "local" if shown and str(transfer.local_path).startswith(shown) else None
        shown = self.pane("remote").path
        inner = shown.strip("'").rstrip(".")
        return "remote" if shown and transfer.remote_dir.strip("'").startswith(inner) else None

    def _refresh_now(self) -> None:
        pending, self._refresh_pending = self._refresh_pending or set(), None
        for pane_id in sorted(pending):
            self.refresh_pane(self.pane(pane_id))

    # == navigation ================================================================================
    def on_file_list_activated(self, event: FileList.Activated) -> None:
        pane = self._pane_of(event.file_list)
        side = self._side_or_warn(pane)
        if side is None:
            return
        entry = event.entry
        if event.is_parent:
            self.go_up(pane)
        elif self._enterable(side, pane, entry):
            self.go_into(pane, entry.name)
        else:
            self._view(pane, entry)

    def _enterable(self, side: Side, pane: FilePane, entry: Entry) -> bool:
        if entry.kind is EntryKind.DIR:
            return True
        if entry.kind is EntryKind.LINK:
            return side.is_enterable(pane.path, entry) if isinstance(side, LocalSide) else True
        return False

    def _pane_of(self, widget: Any) -> FilePane:
        for node in widget.ancestors_with_self:
            if isinstance(node, FilePane):
                return node
        return self.active_pane

    def go_into(self, pane: FilePane, name: str, mirrored: bool = False) -> None:
        side = self.side_of(pane)
        if side is None:
            return
        follow = None if mirrored or not self.sync_browsing else (lambda: self._mirror_into(pane, name))
        self._navigate(pane, side.enter(pane.path, name), then=follow)

    def go_up(self, pane: FilePane, mirrored: bool = False) -> None:
        side = self.side_of(pane)
        if side is None or not pane.path:
            return
        left = _last_component(pane.path)
        follow = None if mirrored or not self.sync_browsing else (lambda: self.go_up(self._other(pane), mirrored=True))
        self._navigate(pane, side.up(pane.path), cursor_name=left, then=follow)

    def _mirror_into(self, pane: FilePane, name: str) -> None:
        other = self._other(pane)
        if any(entry.name == name and entry.is_dir for entry in other.file_list.entries):
            self.go_into(other, name, mirrored=True)
        else:
            self.notify(f"Synchronized browsing: no folder {name!r} on the other side", severity="warning", timeout=3)

    def _other(self, pane: FilePane) -> FilePane:
        return self.pane("remote" if pane.side_name == "local" else "local")

    def on_file_pane_path_submitted(self, event: FilePane.PathSubmitted) -> None:
        pane = event.pane
        side = self._side_or_warn(pane)
        if side is None or not event.path:
            return
        target = event.path
        if not side.remote:
            target = os.path.join(pane.path, os.path.expanduser(target))
        self._navigate(pane, side.list(target))

    def action_goto(self) -> None:
        self.active_pane.edit_path()

    def action_parent(self) -> None:
        self.go_up(self.active_pane)

    def action_filter(self) -> None:
        self.active_pane.start_filter()

    def action_switch_pane(self) -> None:
        target = self.other_pane if self._focus_in_pane() else self.active_pane
        target.file_list.focus()

    def _focus_in_pane(self) -> bool:
        focused = self.focused
        return focused is not None and any(isinstance(node, FilePane) for node in focused.ancestors_with_self)

    def action_sync_browsing(self) -> None:
        self.sync_browsing = not self.sync_browsing
        state = "on: entering a folder on one side enters it on the other" if self.sync_browsing else "off"
        self.notify(f"Synchronized browsing {state}", timeout=3)
        for pane_id in ("local", "remote"):
            self.pane(pane_id).set_synced(self.sync_browsing)

    # == copy and move =============================================================================
    def action_copy(self) -> None:
        self._queue_copy(move=False)

    def action_move(self) -> None:
        self._queue_copy(move=True)

    def _queue_copy(self, move: bool) -> None:
        source = self.active_pane
        entries = source.file_list.selected_entries()
        connection = self.connection
        if connection is None:
            self.notify("Not connected: press F2 or o to connect", severity="warning", timeout=3)
            return
        if not entries:
            self.notify("Nothing selected", timeout=2)
            return
        target = self._other(source)
        if not target.path or not source.path:
            self.notify("Both panes need a folder first", severity="warning", timeout=3)
            return
        queued = self._queue_entries(connection.transfers, source, target, entries, move)
        if queued:
            source.file_list.clear_selection()
            verb = "moves" if move else ("uploads" if source.side_name == "local" else "downloads")
            self.notify(f"{queued} {verb} queued", timeout=2)
            self.bottom.active = "transfers-tab"

    def _queue_entries(
        self, manager: TransferManager, source: FilePane, target: FilePane, entries: Sequence[Entry], move: bool
    ) -> int:
        queued = 0
        remote_names = {entry.name for entry in target.file_list.entries}
        for entry in entries:
            try:
                if source.side_name == "local":
                    manager.upload(Path(source.path) / entry.name, target.path, remote_names=remote_names, move=move)
                else:
                    manager.download(source.path, entry, target.path, move=move)
            except FTPError as error:
                self.report(error, f"Queueing {entry.name}")
                continue
            queued += 1
        return queued

    # == mkdir, delete, rename, chmod ==============================================================
    def action_mkdir(self) -> None:
        pane = self.active_pane
        side = self._side_or_warn(pane)
        if side is None:
            return

        async def create(name: str) -> None:
            await side.mkdir(pane.path, name)
            self.refresh_pane(pane, cursor_name=name)

        self._prompt_then("New folder", "", create, "Creating the folder", validate_name)

    def action_rename(self) -> None:
        pane = self.active_pane
        side = self._side_or_warn(pane)
        entry = pane.file_list.cursor_entry
        if side is None or entry is None or entry.name == "..":
            return

        async def rename(new: str) -> None:
            await side.rename(pane.path, entry.name, new)
            self.refresh_pane(pane, cursor_name=new)

        self._prompt_then(f"Rename {entry.name}", entry.name, rename, f"Renaming {entry.name}", validate_name)

    def action_chmod(self) -> None:
        pane = self.active_pane
        side = self._side_or_warn(pane)
        entries = pane.file_list.selected_entries()
        if side is None or not entries:
            return

        async def change(mode: str) -> None:
            for entry in entries:
                await side.chmod(pane.path, entry, mode)
            self.refresh_pane(pane)

        title = f"Permissions of {entries[0].name}" if len(entries) == 1 else f"Permissions of {len(entries)} entries"
        self._prompt_then(title, permissions_to_octal(entries[0].permissions), change, "Changing permissions", validate_mode)

    def _prompt_then(self, title: str, value: str, then: Any, doing: str, validate: Any = None) -> None:
        def answered(text: str | None) -> None:
            if text is not None and text.strip():
                self.run_worker(self.guarded(doing, then(text.strip())), exit_on_error=False)

        self.push_screen(PromptScreen(title, value, validate=validate), answered)

    def action_delete(self) -> None:
        pane = self.active_pane
        side = self._side_or_warn(pane)
        entries = pane.file_list.selected_entries()
        if side is None or not entries:
            return

        async def delete() -> None:
            await side.delete(pane.path, entries)
            pane.file_list.clear_selection()
            self.refresh_pane(pane)

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self.guarded("Deleting", delete()), exit_on_error=False)

        where = "on the server" if side.remote else "on this machine"
        self.push_screen(ConfirmScreen(f"Delete {_count(entries)} {where}?", _delete_message(entries), "Delete", danger=True), answered)

    # == view and edit =============================================================================
    def action_view(self) -> None:
        pane = self.active_pane
        entry = pane.file_list.cursor_entry
        if entry is not None and not entry.is_dir:
            self._view(pane, entry)

    def _view(self, pane: FilePane, entry: Entry) -> None:
        side = self._side_or_warn(pane)
        if side is None:
            return

        async def view() -> None:
            folder = temp_folder()
            try:
                local = await side.fetch(pane.path, entry, folder)
                text, cut = await _in_thread(read_text_for_pager, local)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            note = "first 8 MiB" if cut else ""
            self.push_screen(PagerScreen(f"{pane.side_name}: {entry.name}", text, note=note))

        self.run_worker(self.guarded(f"Viewing {entry.name}", view()), exit_on_error=False)

    def action_edit(self) -> None:
        pane = self.active_pane
        side = self._side_or_warn(pane)
        entry = pane.file_list.cursor_entry
        if side is None or entry is None or entry.is_dir:
            return
        self.run_worker(self.guarded(f"Editing {entry.name}", self._edit(pane, side, entry)), exit_on_error=False)

    async def _edit(self, pane: FilePane, side: Side, entry: Entry) -> None:
        """Download to a private temp folder, run the editor, upload again only when it changed."""
        folder = temp_folder()
        try:
            local = await side.fetch(pane.path, entry, folder)
            before = await _in_thread(_file_digest, local)
            if not self.run_editor(local):
                return
            if side.remote and await _in_thread(_file_digest, local) != before:
                await side.store(pane.path, entry.name, local)
                self.notify(f"{entry.name} saved to the server", timeout=3)
            elif side.remote:
                self.notify(f"{entry.name} unchanged: nothing uploaded", timeout=3)
            self.refresh_pane(pane, cursor_name=entry.name)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def run_editor(self, path: Path) -> bool:
        """Suspend the app and run ``$VISUAL``/``$EDITOR`` (default ``vi``) on ``path``."""
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        try:
            with self.suspend():
                completed = subprocess.run([*shlex.split(editor), str(path)], check=False)
        except SuspendNotSupported:
            self.notify("This terminal cannot hand the screen to an editor", severity="error")
            return False
        except OSError as error:
            self.notify(f"Cannot run {editor!r}: {error}", severity="error")
            return False
        if completed.returncode != 0:
            self.notify(f"{editor} exited with status {completed.returncode}: nothing uploaded", severity="warning")
            return False
        return True

    # == raw commands ==============================================================================
    def action_raw_command(self) -> None:
        connection = self.connection
        if connection is None:
            self.notify("Not connected: press F2 or o to connect", severity="warning", timeout=3)
            return

        async def send(text: str) -> None:
            reply = await connection.call(lambda session: session.quote(text))
            severity: SeverityLevel = "information" if reply.code < 400 else "error"
            self.notify(reply.text, title=f"{text.split()[0].upper()}: {reply.code}", severity=severity, timeout=6)

        self._prompt_then("Raw FTP command", "", send, "Sending the command", validate_name)

    # == compare ===================================================================================
    def action_compare(self) -> None:
        local, remote = self.pane("local"), self.pane("remote")
        if self.remote_side is None or not remote.path:
            self.notify("Connect first: compare needs both folders", severity="warning", timeout=3)
            return
        result = compare_listings(local.file_list.entries, remote.file_list.entries)
        _select_names(local.file_list, result.left.names)
        _select_names(remote.file_list, result.right.names)
        if result.identical:
            self.notify("The folders hold the same files", title="Compare", timeout=4)
            return
        self.notify(
            f"Local: {result.left.describe('on the server')}\nRemote: {result.right.describe('here')}\nSelected on each side: copy them with F5 or c.",
            title="Compare",
            timeout=8,
        )


def _select_names(file_list: FileList, names: Sequence[str]) -> None:
    file_list.clear_selection()
    for name in names:
        file_list.select_pattern(glob.escape(name))


def _last_component(path: str) -> str:
    text = path.rstrip("/").strip("'").rstrip(".")
    if "(" in text:
        return ""
    separator = "/" if "/" in text else "."
    return text.rsplit(separator, 1)[-1]


def _count(entries: Sequence[Entry]) -> str:
    folders = sum(1 for entry in entries if entry.is_dir)
    files = len(entries) - folders
    parts = [f"{files} file{'s' if files != 1 else ''}" if files else "", f"{folders} folder{'s' if folders != 1 else ''}" if folders else ""]
    return " and ".join(part for part in parts if part)


def _delete_message(entries: Sequence[Entry]) -> str:
    shown = [f"  {entry.name}{'/  (with everything in it)' if entry.is_dir else ''}" for entry in entries[:6]]
    if len(entries) > 6:
        shown.append(f"  … and {len(entries) - 6} more")
    return "\n".join(shown) + "\n\nThis cannot be undone."


async def _in_thread(function: Any, *args: Any) -> Any:
    return await asyncio.to_thread(function, *args)
