"""The connection's security at a glance: TLS version and cipher, PROT, CCC, session reuse, trust.

Plain FTP, and "TLS if available" that fell back to clear text, are shown as warnings: the whole bar
takes the warning colours so it cannot be missed. The text shortens to fit 80 columns.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from ...display import safe_text
from ...engine.options import ConnectOptions, Security
from ...engine.tls import SecurityInfo
from .._css import css_beside

_SEPARATOR = " │ "
_TRUST_CLASS = {"verified": "ok", "pinned": "ok", "chain-only": "warn", "none": "danger"}


class SecurityBar(Widget):
    """One line: where we are connected (left) and how safely (right)."""

    DEFAULT_CSS = css_beside(__file__)

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "security-bar--ok",
        "security-bar--warn",
        "security-bar--danger",
        "security-bar--muted",
        "security-bar--endpoint",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._security: SecurityInfo | None = None
        self._options: ConnectOptions | None = None
        self._endpoint = ""
        self._state = "not connected"

    def show(
        self, security: SecurityInfo | None, endpoint: str = "", state: str = "", options: ConnectOptions | None = None
    ) -> None:
        """Show a connection's security (None: not connected).

        PROT comes from ``options`` (what every listing and transfer will use: the engine refuses
        to run one otherwise); the session reports it only once a data connection was made.
        """
        self._security = security
        if options is not None or security is None:
            self._options = options
        self._endpoint = endpoint
        self._state = state or ("not connected" if security is None else self._state)
        self.set_class(security is not None and _in_clear(security), "-insecure")
        self.refresh()

    def set_state(self, state: str) -> None:
        self._state = state
        self.refresh()

    @property
    def text(self) -> str:
        """The plain text shown (tests and screenshots read it)."""
        return self.render().plain

    def render(self) -> Text:
        """The most detailed security text that fits next to the endpoint and state."""
        width = self.size.width or 80
        state = Text(self._state, self._style("muted"))
        endpoint = Text(safe_text(self._endpoint), self._style("endpoint"))
        wanted = state.cell_len + (endpoint.cell_len + 1 if self._endpoint else 0)
        for detail in (2, 1, 0):
            right = self._security_text(detail)
            if wanted + right.cell_len + 1 <= width:
                break
        room = width - right.cell_len - 1
        if room < 8:
            return right
        return self._left_text(endpoint, state, room) + Text(" ") + right

    def _left_text(self, endpoint: Text, state: Text, room: int) -> Text:
        """``endpoint state`` in ``room`` cells: the endpoint is shortened first, the state last."""
        if self._endpoint and room > state.cell_len + 4:
            endpoint.truncate(room - state.cell_len - 1, overflow="ellipsis")
            left = Text.assemble(endpoint, " ", state)
        else:
            left = state
        left.truncate(room, overflow="ellipsis")
        left.pad_right(room - left.cell_len)
        return left

    def _security_text(self, detail: int) -> Text:
        """``detail`` 2 spells everything out, 1 is shorter, 0 fits 80 columns."""
        security = self._security
        if security is None:
            return Text("")
        if _in_clear(security):
            return self._clear_text(security)
        parts = [
            self._tls_part(security, detail),
            self._prot_part(security, detail),
            self._ccc_part(security, detail),
            self._reuse_part(security, detail),
            self._certificate_part(security, detail),
        ]
        return Text(_SEPARATOR, self._style("muted")).join(part for part in parts if part.plain)

    def _clear_text(self, security: SecurityInfo) -> Text:
        if security.mode is Security.PLAIN:
            message = "PLAIN FTP: password and data NOT encrypted"
        else:
            message = "TLS REFUSED: continuing WITHOUT encryption"
        return Text("⚠ " + message + " ", self._style("danger"))

    def _tls_part(self, security: SecurityInfo, detail: int) -> Text:
        version = security.tls_version or "TLS"
        cipher = security.cipher or ""
        if detail == 0:
            version = version.replace("TLSv", "TLS ")
            cipher = _short_cipher(cipher)
        return Text.assemble((version, self._style("ok")), " ", (cipher, self._style("muted")))

    def _prot_part(self, security: SecurityInfo, detail: int) -> Text:
        def level(value: str) -> tuple[str, Style]:
            return value, self._style("ok" if value == "P" else "warn")

        listings, transfers = security.prot_listings, security.prot_transfers
        if self._options is not None:
            listings = "P" if self._options.protect_listings else "C"
            transfers = "P" if self._options.protect_transfers else "C"
        if detail == 2:
            return Text.assemble("PROT list ", level(listings), " data ", level(transfers))
        return Text.assemble("PROT ", level(listings), "/", level(transfers))

    def _ccc_part(self, security: SecurityInfo, detail: int) -> Text:
        if not security.ccc:
            return Text("CCC off" if detail == 2 else "", self._style("muted"))
        return Text("CCC: control in clear" if detail else "CCC", self._style("warn"))

    def _reuse_part(self, security: SecurityInfo, detail: int) -> Text:
        if security.data_resumed is None:
            return Text("")
        words = ("reuse", "resumed", "data resumed") if security.data_resumed else ("no reuse", "not resumed", "data not resumed")
        return Text(words[detail], self._style("ok" if security.data_resumed else "warn"))

    def _certificate_part(self, security: SecurityInfo, detail: int) -> Text:
        trust = Text(security.trust, self._style(_TRUST_CLASS.get(security.trust, "warn")))
        certificate = security.certificate
        if certificate is None:
            return trust
        short = certificate.fingerprint[: (8, 11, 23)[detail]] + "…"
        return Text.assemble(("SHA256 " if detail == 2 else "", self._style("muted")), (short, ""), " ", trust)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"security-bar--{name}", partial=True)


def _in_clear(security: SecurityInfo) -> bool:
    """No TLS on the control connection at all (CCC later is shown separately)."""
    return not security.encrypted


def _short_cipher(cipher: str) -> str:
    """``TLS_AES_256_GCM_SHA384`` → ``AES256-GCM``; ``ECDHE-RSA-AES128-GCM-SHA256`` → ``AES128-GCM``."""
    text = cipher.removeprefix("TLS_").replace("_", "-")
    for bulk in ("AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305", "AES256-GCM", "AES128-GCM"):
        if bulk in text:
            return bulk.replace("AES-", "AES")
    return text[:16]
