"""Small modal dialogs: confirm, a one-line prompt, and "the target exists" (conflict) questions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from ...display import human_size, safe_text
from ...transfers import ConflictAction, Transfer, TransferDirection

Validator = Callable[[str], str | None]  # returns an error message, or None when the value is fine


class ConfirmScreen(ModalScreen[bool]):
    """Yes or no. ``danger`` puts the focus on Cancel so enter never destroys anything by accident."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", "Cancel"),
        Binding("y", "answer(True)", "Yes"),
    ]

    def __init__(self, title: str, message: str, confirm_label: str = "OK", *, danger: bool = False) -> None:
        super().__init__(classes="dialog")
        self._title = title
        self._message = message
        self._confirm_label = confirm_label
        self._danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box" + (" -danger" if self._danger else "")):
            yield Label(self._title, classes="dialog-title", markup=False)
            yield Static(self._message, classes="dialog-message", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self._confirm_label} (y)", id="confirm", variant="error" if self._danger else "primary")
                yield Button("Cancel (n)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#cancel" if self._danger else "#confirm", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class PromptScreen(ModalScreen[str | None]):
    """One line of text: enter accepts (if ``validate`` allows), escape cancels (None)."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        value: str = "",
        *,
        placeholder: str = "",
        hint: str = "",
        validate: Validator | None = None,
        password: bool = False,
    ) -> None:
        super().__init__(classes="dialog")
        self._title = title
        self._value = value
        self._placeholder = placeholder
        self._hint = hint
        self._validate = validate
        self._password = password

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(self._title, classes="dialog-title", markup=False)
            if self._hint:
                yield Static(self._hint, classes="dialog-hint", markup=False)
            yield Input(self._value, placeholder=self._placeholder, password=self._password, id="prompt-input")
            yield Static("", id="prompt-error", classes="dialog-error", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        error = self._validate(event.value) if self._validate else None
        if error:
            self.query_one("#prompt-error", Static).update(error)
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class ConflictAnswer:
    action: ConflictAction
    apply_to_all: bool


_CONFLICT_BUTTONS = (
    (ConflictAction.OVERWRITE, "Overwrite (o)", "o"),
    (ConflictAction.RESUME, "Resume (r)", "r"),
    (ConflictAction.SKIP, "Skip (s)", "s"),
    (ConflictAction.RENAME, "Rename (n)", "n"),
)


class ConflictScreen(ModalScreen[ConflictAnswer | None]):
    """The target of a transfer exists: overwrite, resume, skip or rename, optionally for all."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "later", "Decide later"),
        Binding("a", "toggle_all", "Apply to all"),
        *(Binding(key, f"choose('{action.value}')", label, show=False) for action, label, key in _CONFLICT_BUTTONS),
    ]

    def __init__(self, transfer: Transfer, pending: int = 0) -> None:
        super().__init__(classes="dialog")
        self.transfer = transfer
        self._pending = pending

    def compose(self) -> ComposeResult:
        transfer = self.transfer
        where = "on this machine" if transfer.direction is TransferDirection.DOWNLOAD else "on the server"
        with Vertical(classes="dialog-box"):
            yield Label("The target already exists", classes="dialog-title")
            yield Static(
                f"{safe_text(transfer.destination)}\nexists {where}. New file: {human_size(transfer.size) or 'size unknown'}.",
                classes="dialog-message",
                markup=False,
            )
            with Horizontal(classes="dialog-buttons"):
                for action, label, _key in _CONFLICT_BUTTONS:
                    yield Button(label, id=f"conflict-{action.value}", variant="primary" if action is ConflictAction.OVERWRITE else "default")
            others = f" ({self._pending} more waiting)" if self._pending else ""
            yield Checkbox(f"Apply to all conflicts (a){others}", id="apply-all")

    def on_mount(self) -> None:
        self.query_one("#conflict-skip", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_choose(str(event.button.id).removeprefix("conflict-"))

    def action_choose(self, value: str) -> None:
        self.dismiss(ConflictAnswer(ConflictAction(value), self.query_one("#apply-all", Checkbox).value))

    def action_toggle_all(self) -> None:
        checkbox = self.query_one("#apply-all", Checkbox)
        checkbox.value = not checkbox.value

    def action_later(self) -> None:
        self.dismiss(None)
