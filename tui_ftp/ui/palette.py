"""The command palette (ctrl+p) lists every command of :data:`~tui_ftp.ui.keymap.COMMANDS`."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .keymap import COMMANDS, Command

if TYPE_CHECKING:
    from .app import TuiFtpApp


def _label(command: Command) -> str:
    keys = " ".join(command.key_labels)
    return f"{command.title}  ({keys})" if keys else command.title  # no [ ]: the palette reads markup


class FtpCommands(Provider):
    """tui-ftp's commands, with their keys, for the palette."""

    def _run(self, command: Command) -> None:
        app: TuiFtpApp = self.app  # type: ignore[assignment]
        app.run_command(command.action)

    async def discover(self) -> Hits:
        for command in COMMANDS:
            yield DiscoveryHit(_label(command), partial(self._run, command), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in COMMANDS:
            text = f"{command.title} {command.help}"
            score = max(matcher.match(command.title), matcher.match(text) * 0.8)
            if score > 0:
                yield Hit(score, matcher.highlight(_label(command)), partial(self._run, command), help=command.help)
