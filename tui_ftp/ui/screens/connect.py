"""Quick connect: a URL (ftp:// plain, ftpes:// explicit TLS, ftps:// implicit TLS), user, password."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ...engine.errors import UsageError
from ...engine.options import parse_url
from ..messages import ConnectRequest

HINT = "ftpes:// explicit TLS (default) · ftps:// implicit TLS · ftp:// plain, NOT encrypted"


def request_from_form(url: str, user: str, password: str) -> ConnectRequest:
    """Build the request; a URL without a scheme is explicit TLS. Raises UsageError."""
    text = url.strip()
    if not text:
        raise UsageError("type a server address, e.g. ftpes://ftp.example.com")
    if "://" not in text:
        text = "ftpes://" + text
    parsed = parse_url(text)
    options = parsed.options
    if user.strip() and not parsed.user_given:
        options = options.with_changes(user=user.strip())
    if password and not parsed.password_given:
        options = options.with_changes(password=password)
    return ConnectRequest(options, parsed.path, title=f"{options.user}@{options.host}")


class QuickConnectScreen(ModalScreen[ConnectRequest | None]):
    CSS_PATH = "connect.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, url: str = "", user: str = "") -> None:
        super().__init__(classes="dialog")
        self._url = url
        self._user = user

    def compose(self) -> ComposeResult:
        with Vertical(id="connect-box"):
            yield Label("Quick connect", id="connect-title")
            yield Static(HINT, id="connect-hint", markup=False)
            with Horizontal(classes="connect-row"):
                yield Label("URL", classes="connect-label")
                yield Input(self._url, placeholder="ftpes://user@host:21/folder", id="connect-url")
            with Horizontal(classes="connect-row"):
                yield Label("User", classes="connect-label")
                yield Input(self._user, placeholder="anonymous", id="connect-user")
            with Horizontal(classes="connect-row"):
                yield Label("Password", classes="connect-label")
                yield Input(password=True, id="connect-password")
            yield Static("", id="connect-error", markup=False)
            with Horizontal(id="connect-buttons"):
                yield Button("Connect", id="connect", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#connect-url", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "connect-password" or event.input.id == "connect-url" and "@" in event.value:
            self._accept()
        else:
            self.focus_next()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "connect":
            self._accept()
        else:
            self.dismiss(None)

    def _accept(self) -> None:
        try:
            request = request_from_form(
                self.query_one("#connect-url", Input).value,
                self.query_one("#connect-user", Input).value,
                self.query_one("#connect-password", Input).value,
            )
        except UsageError as error:
            self.query_one("#connect-error", Static).update(str(error))
            return
        self.dismiss(request)

    def action_cancel(self) -> None:
        self.dismiss(None)
