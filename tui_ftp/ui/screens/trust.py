"""Trust on first use: show a certificate the engine refused and let the user decide.

"Trust once" reconnects with the fingerprint pinned for this session only; "Trust always" also
stores the pin in the known-certificates file (SSH ``known_hosts`` style). A certificate that
differs from the pinned one is a loud warning: red, Reject focused, and the old fingerprint shown
next to the new one. Nothing is ever accepted without the user choosing it here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from ...display import safe_text
from ...engine.tls import CertificateInfo


class TrustDecision(enum.Enum):
    ONCE = "once"
    ALWAYS = "always"
    REJECT = "reject"


@dataclass(frozen=True)
class TrustRequest:
    """Everything the dialog shows."""

    host: str
    port: int
    certificate: CertificateInfo
    reason: str
    changed: bool = False  # a different certificate than the pinned one
    pinned_fingerprint: str = ""  # the old pin (colon form) when changed
    pinned_since: datetime | None = None


class TrustScreen(ModalScreen[TrustDecision]):
    """The certificate trust dialog."""

    CSS_PATH = "trust.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "decide('reject')", "Reject"),
        Binding("o", "decide('once')", "Trust once", show=False),
        Binding("a", "decide('always')", "Trust always", show=False),
    ]

    def __init__(self, request: TrustRequest) -> None:
        super().__init__(classes="trust" + (" -changed" if request.changed else ""))
        self.request = request

    def compose(self) -> ComposeResult:
        request = self.request
        with Vertical(id="trust-box"):
            yield Label(self._title(), id="trust-title", markup=False)
            if request.changed:
                yield Static(self._changed_warning(), id="trust-warning", markup=False)
            with VerticalScroll(id="trust-details"):
                for label, value in self._fields():
                    with Horizontal(classes="trust-row"):
                        yield Label(label, classes="trust-label")
                        yield Static(value, classes="trust-value", markup=False)
            with Horizontal(id="trust-buttons"):
                yield Button("Trust once (o)", id="once", variant="warning" if request.changed else "primary")
                yield Button("Replace pin (a)" if request.changed else "Trust always (a)", id="always", variant="warning" if request.changed else "success")
                yield Button("Reject (esc)", id="reject", variant="error")

    def on_mount(self) -> None:
        self.query_one("#reject" if self.request.changed else "#once", Button).focus()

    def _title(self) -> str:
        endpoint = f"{self.request.host}:{self.request.port}"
        if self.request.changed:
            return f"⚠ THE CERTIFICATE OF {endpoint} HAS CHANGED"
        return f"Unknown certificate for {endpoint}"

    def _changed_warning(self) -> str:
        since = f" (pinned {self.request.pinned_since:%Y-%m-%d})" if self.request.pinned_since else ""
        return (
            "This server now shows a different certificate than the one you trusted"
            f"{since}. Someone may be intercepting the connection, or the server's certificate was "
            "replaced. Check the new fingerprint with the server's administrator before trusting it."
        )

    def _fields(self) -> list[tuple[str, str]]:
        certificate = self.request.certificate
        fields = [
            ("Why not trusted", safe_text(self.request.reason)),
            ("Subject", safe_text(certificate.subject)),
            ("Issuer", safe_text(certificate.issuer) + ("  (self-signed)" if certificate.self_signed else "")),
            ("Valid", _validity(certificate)),
            ("SHA-256", _wrapped_fingerprint(certificate.fingerprint)),
        ]
        if certificate.alt_names:
            fields.insert(3, ("Names", safe_text(", ".join(certificate.alt_names))))
        if self.request.changed:
            fields.append(("Pinned SHA-256", _wrapped_fingerprint(self.request.pinned_fingerprint)))
        return fields

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_decide(str(event.button.id))

    def action_decide(self, value: str) -> None:
        self.dismiss(TrustDecision(value))


def _validity(certificate: CertificateInfo) -> str:
    text = f"{certificate.not_before:%Y-%m-%d} to {certificate.not_after:%Y-%m-%d}"
    now = datetime.now(UTC)
    if now > certificate.not_after:
        return text + "  EXPIRED"
    if now < certificate.not_before:
        return text + "  NOT YET VALID"
    return text


def _wrapped_fingerprint(fingerprint: str) -> str:
    """32 colon-separated pairs on two lines of 16, so it reads at 80 columns."""
    pairs = fingerprint.split(":")
    return ":".join(pairs[:16]) + ("\n" + ":".join(pairs[16:]) if len(pairs) > 16 else "")
