"""The master password dialog: create the password vault, or unlock it.

Deriving the key costs one scrypt run (about 0.2 s, 64 MiB), so it runs in a thread worker while
the dialog shows "checking". A wrong master password is said so in the dialog (nothing is written,
the user tries again); escape gives up. The dialog dismisses with True once the vault is unlocked.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static
from textual.worker import Worker, WorkerState

from ...sites import SiteError, Vault

_CREATE_HINT = (
    "Saved site passwords are encrypted with a master password (scrypt + AES-256-GCM). Choose one "
    "now; it cannot be recovered, and the saved passwords are lost without it."
)
_UNLOCK_HINT = "Saved site passwords are encrypted. Enter the master password to use them."


class MasterPasswordScreen(ModalScreen[bool]):
    """Create (when there is no vault yet) or unlock ``vault``; True when it is unlocked."""

    CSS_PATH: ClassVar[list[str | PurePath]] = ["dialogs.tcss", "master_password.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, vault: Vault, reason: str = "") -> None:
        super().__init__(classes="dialog")
        self.vault = vault
        self.reason = reason
        self.creating = not vault.exists

    def compose(self) -> ComposeResult:
        title = "Create the password vault" if self.creating else "Unlock the password vault"
        with Vertical(classes="dialog-box", id="master-box"):
            yield Label(title, classes="dialog-title")
            if self.reason:
                yield Static(self.reason, classes="dialog-message", markup=False)
            yield Static(_CREATE_HINT if self.creating else _UNLOCK_HINT, classes="dialog-hint", markup=False)
            yield Input(password=True, placeholder="master password", id="master-password")
            if self.creating:
                yield Input(password=True, placeholder="the same again", id="master-repeat")
            yield Static("", id="master-error", classes="dialog-error", markup=False)
            yield Static("enter: OK   escape: cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#master-password", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.creating and event.input.id == "master-password":
            self.query_one("#master-repeat", Input).focus()
            return
        problem = self._entry_problem()
        if problem:
            self._show_error(problem)
            return
        self._set_busy(True)
        self._open_vault(self.query_one("#master-password", Input).value)

    def _entry_problem(self) -> str:
        master = self.query_one("#master-password", Input).value
        if not master:
            return "enter the master password"
        if self.creating and master != self.query_one("#master-repeat", Input).value:
            return "the two entries differ: type the same password twice"
        return ""

    @work(thread=True, exclusive=True, exit_on_error=False, group="vault", description="derive the vault key")
    def _open_vault(self, master: str) -> None:
        if self.creating:
            self.vault.create(master)
        else:
            self.vault.unlock(master)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "vault":
            return
        if event.state is WorkerState.SUCCESS:
            self.dismiss(True)
        elif event.state is WorkerState.ERROR:
            self._set_busy(False)
            error = event.worker.error
            if not isinstance(error, SiteError):
                raise error  # type: ignore[misc]  # a bug, not a user error: let Textual show it
            self._show_error(str(error))
            self._clear_entries()

    def _set_busy(self, busy: bool) -> None:
        for entry in self.query(Input):
            entry.disabled = busy
        if busy:
            self._show_error("checking…")

    def _clear_entries(self) -> None:
        for entry in self.query(Input):
            entry.value = ""
        self.query_one("#master-password", Input).focus()

    def _show_error(self, text: str) -> None:
        self.query_one("#master-error", Static).update(text)

    def action_cancel(self) -> None:
        self.dismiss(False)
