"""The transfer queue: one row per transfer with a text progress bar, rate, ETA and status.

A DataTable is fine here because it stays small: folder copies show one row for the folder (with
the progress of all its files) and only the files that run, wait, ask or failed. The app calls
:meth:`TransferQueue.sync` on its ~10 Hz timer; the manager hands over only what changed.

| Key | Action |
| :- | :- |
| delete / x | Cancel the transfer (a z/OS contention wait: give up) |
| r | Retry a failed or cancelled transfer |
| p | Pause / resume the queue (running transfers finish; queued ones wait) |
| c | Clear finished rows |
| enter | Answer the "target exists" question of the row |
"""

from __future__ import annotations

import time
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from ...display import human_size, safe_text
from ...transfers import Transfer, TransferDirection, TransferManager, TransferStatus
from .._css import css_beside

BAR_WIDTH = 10
_WIDE = 150  # the Destination column only when there is room for it and a full status
_TITLES = {
    "dir": "",
    "name": "Name",
    "destination": "Destination",
    "size": "Size",
    "progress": "Progress",
    "rate": "Rate",
    "eta": "ETA",
    "status": "Status",
}
_SHOWN_CHILD_STATUSES = frozenset(
    (TransferStatus.RUNNING, TransferStatus.WAITING, TransferStatus.CONFLICT, TransferStatus.FAILED)
)
_STATUS_STYLE = {
    TransferStatus.DONE: "green",
    TransferStatus.FAILED: "bold red",
    TransferStatus.CANCELLED: "dim",
    TransferStatus.SKIPPED: "dim",
    TransferStatus.WAITING: "bold yellow",
    TransferStatus.CONFLICT: "bold yellow",
    TransferStatus.RUNNING: "bold",
}


def progress_bar(fraction: float | None, width: int = BAR_WIDTH) -> str:
    """``███████░░░  70%``; an unknown fraction shows an empty bar and ``?``."""
    if fraction is None:
        return "░" * width + "    ?"
    filled = round(fraction * width)
    return "█" * filled + "░" * (width - filled) + f" {round(fraction * 100):3d}%"


def format_rate(rate: float) -> str:
    return f"{human_size(int(rate))}/s" if rate > 0 else ""


def format_eta(seconds: float | None) -> str:
    """``0:42``, ``12:05``, ``3:02:10``; empty when unknown."""
    if seconds is None:
        return ""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def column_widths(width: int) -> dict[str, int]:
    """Column widths for a table ``width`` cells wide: Name and Status (and Destination) share the rest."""
    wide = width >= _WIDE
    fixed = {"dir": 1, "size": 8, "progress": BAR_WIDTH + 5 if wide else 10, "rate": 10 if wide else 9, "eta": 7 if wide else 5}
    padding = 2 * (len(fixed) + (3 if wide else 2))
    rest = max(20, width - 2 - padding - sum(fixed.values()))  # 2: the vertical scrollbar
    shares = {"name": 0.25, "destination": 0.35, "status": 0.40} if wide else {"name": 0.4, "status": 0.6}
    flexible = {key: max(6, int(rest * share)) for key, share in shares.items()}
    order = ["dir", "name", "destination", "size", "progress", "rate", "eta", "status"]
    merged = {**fixed, **flexible}
    return {key: merged[key] for key in order if key in merged}


def status_text(transfer: Transfer, now: float | None = None, width: int | None = None) -> Text:
    """What the Status column says: the state, the contention countdown, or the error."""
    status = transfer.status
    if status is TransferStatus.WAITING and transfer.contention is not None:
        label = transfer.contention.describe(now, width)
    elif status is TransferStatus.FAILED and transfer.error:
        label = f"failed: {transfer.error}"
    elif status is TransferStatus.CONFLICT:
        label = "exists: enter to choose"
    elif status is TransferStatus.RUNNING and transfer.is_folder:
        label = f"{transfer.finished_children}/{transfer.children} files"
    else:
        label = status.value
    return Text(safe_text(label), style=_STATUS_STYLE.get(status, ""))


def name_text(transfer: Transfer) -> str:
    name = transfer.remote_name if transfer.direction is TransferDirection.DOWNLOAD else transfer.local_path.name
    return safe_text(name) + ("/" if transfer.is_folder else "")


class TransferQueue(DataTable[object]):
    """The queue's rows, kept in step with a :class:`TransferManager`."""

    DEFAULT_CSS = css_beside(__file__)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("delete,x", "cancel", "Cancel", key_display="del"),
        Binding("r", "retry", "Retry"),
        Binding("p", "pause", "Pause"),
        Binding("c", "clear_finished", "Clear done"),
        Binding("enter", "answer", "Answer", show=False),
    ]

    class ConflictChosen(Message):
        """Enter on a row whose target exists: the app asks what to do."""

        def __init__(self, transfer: Transfer) -> None:
            super().__init__()
            self.transfer = transfer

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.manager: TransferManager | None = None
        self._widths: dict[str, int] = {}
        self._shown: dict[str, Transfer] = {}

    def on_mount(self) -> None:
        self._build_columns(self.size.width)

    # -- columns ---------------------------------------------------------------------------------
    def _build_columns(self, width: int) -> None:
        widths = column_widths(width)
        if widths == self._widths:
            return
        self._widths = widths
        self.clear(columns=True)
        for key, column_width in widths.items():
            self.add_column(_TITLES[key], key=key, width=column_width)
        for transfer in self._shown.values():
            self.add_row(*self._cells(transfer), key=transfer.id)

    def on_resize(self) -> None:
        self._build_columns(self.size.width)

    # -- keeping in step -------------------------------------------------------------------------
    def attach(self, manager: TransferManager | None) -> None:
        """Show ``manager``'s queue (None: an empty table)."""
        self.manager = manager
        self._shown.clear()
        self.clear()
        if manager is not None:
            self.apply(manager.snapshot(), set())

    def sync(self) -> None:
        """Take the manager's changes since the last call (and tick contention countdowns)."""
        if self.manager is None:
            return
        changed, removed = self.manager.drain_changes()
        waiting = [t for t in self._shown.values() if t.status is TransferStatus.WAITING and t.id not in {c.id for c in changed}]
        self.apply(changed + waiting, removed)

    def apply(self, transfers: list[Transfer], removed: set[str] | frozenset[str] = frozenset()) -> None:
        """Show these transfers (new rows are added, known ones updated) and drop ``removed``."""
        for transfer_id in removed:
            self._remove(transfer_id)
        now = time.monotonic()
        for transfer in transfers:
            if self._wanted(transfer):
                self._show(transfer, now)
            else:
                self._remove(transfer.id)

    def _wanted(self, transfer: Transfer) -> bool:
        return transfer.parent_id is None or transfer.status in _SHOWN_CHILD_STATUSES

    def _show(self, transfer: Transfer, now: float) -> None:
        cells = self._cells(transfer, now)
        if transfer.id not in self._shown:
            self.add_row(*cells, key=transfer.id)
        else:
            for key, value in zip(self._column_keys(), cells):
                self.update_cell(transfer.id, key, value)
        self._shown[transfer.id] = transfer

    def _remove(self, transfer_id: str) -> None:
        if self._shown.pop(transfer_id, None) is not None:
            try:
                self.remove_row(transfer_id)
            except RowDoesNotExist:
                pass

    def _column_keys(self) -> list[str]:
        return list(self._widths)

    def _cells(self, transfer: Transfer, now: float | None = None) -> list[object]:
        running = transfer.status in (TransferStatus.RUNNING, TransferStatus.WAITING)
        bar_width = self._widths.get("progress", BAR_WIDTH + 5) - 5
        values: dict[str, object] = {
            "dir": transfer.direction.arrow,
            "name": name_text(transfer),
            "destination": safe_text(transfer.destination),
            "size": human_size(transfer.size),
            "progress": progress_bar(transfer.fraction, bar_width),
            "rate": format_rate(transfer.rate) if running else "",
            "eta": format_eta(transfer.eta) if running else "",
            "status": status_text(transfer, now, self._widths.get("status")),
        }
        # DataTable reads a str cell as markup: server names must never be (``[/]`` would even crash).
        return [Text(value) if isinstance(value, str) else value for value in (values[key] for key in self._widths)]

    # -- reading ---------------------------------------------------------------------------------
    @property
    def shown(self) -> list[Transfer]:
        """The transfers shown, in row order (tests read this)."""
        return [self._shown[str(key.value)] for key in self.rows if str(key.value) in self._shown]

    @property
    def cursor_transfer(self) -> Transfer | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return self._shown.get(str(key.value))

    # -- actions ---------------------------------------------------------------------------------
    def action_cancel(self) -> None:
        transfer = self.cursor_transfer
        if self.manager is not None and transfer is not None:
            self.manager.cancel(transfer.id)

    def action_retry(self) -> None:
        transfer = self.cursor_transfer
        if self.manager is not None and transfer is not None:
            self.manager.retry(transfer.id)

    def action_pause(self) -> None:
        if self.manager is not None:
            self.manager.set_paused(not self.manager.paused)
            self.notify("Queue paused: running transfers finish" if self.manager.paused else "Queue resumed", timeout=3)

    def action_clear_finished(self) -> None:
        if self.manager is not None:
            self.manager.clear_finished()
            self.sync()

    def action_answer(self) -> None:
        transfer = self.cursor_transfer
        if transfer is not None and transfer.status is TransferStatus.CONFLICT:
            self.post_message(self.ConflictChosen(transfer))
