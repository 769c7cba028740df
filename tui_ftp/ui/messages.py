"""App-level messages and requests (small dataclasses; widget messages live with their widgets)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from ..engine.options import ConnectOptions
from ..transfers import Transfer, TypeRule


@dataclass(frozen=True)
class ConnectRequest:
    """What a connect dialog (quick connect, or the site manager) hands back to the app.

    The site manager screen (``tui_ftp.ui.screens.site_manager.SiteManagerScreen``) dismisses with
    one of these, or None when the user cancelled.
    """

    options: ConnectOptions
    path: str = ""  # the remote folder to open ("" = the login folder)
    title: str = ""  # a site name, shown on the remote pane
    parallel: int | None = None  # parallel transfers (None: the default, 2)
    local_path: str = ""  # a local folder to open as well ("" = leave it)
    transfer_type_for: TypeRule | None = None  # ASCII/binary per name (a site's rules)


class TransfersChanged(Message):
    """Transfers changed status (posted from runner threads by the queue's listener)."""

    def __init__(self, transfers: list[Transfer]) -> None:
        super().__init__()
        self.transfers = transfers
