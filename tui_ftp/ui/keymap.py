"""Every app command in one table: the key bindings, the Footer, the command palette and the help
screen are all built from :data:`COMMANDS`, so they cannot disagree.

Keys come in two kinds. *Function keys* (F5, ctrl+r, tab, delete) never type text. *Typed keys*
(``c``, ``/``, ``:``) would otherwise go to the pane's type-to-filter or to an input, so they act
only when no filter is being typed and no text field has focus. F-keys often do not reach the app
over SSH, so every F-key command also has a typed or ctrl key.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from textual.binding import Binding


class Scope(enum.Enum):
    APP = "app"  # anywhere on the main screen
    PANE = "pane"  # a file pane has the focus


@dataclass(frozen=True)
class Command:
    action: str  # the App's action_<name>
    title: str
    help: str
    group: str
    keys: tuple[str, ...] = ()  # function keys (Textual key names)
    typed: tuple[str, ...] = ()  # printable keys
    scope: Scope = Scope.APP
    footer: bool = False

    @property
    def key_labels(self) -> list[str]:
        return [key_label(key) for key in (*self.keys, *self.typed)]


_NAMES = {
    "slash": "/",
    "colon": ":",
    "equals_sign": "=",
    "question_mark": "?",
    "backspace": "⌫",
    "delete": "del",
    "tab": "tab",
}


def key_label(key: str) -> str:
    """How a key is written for people: ``F5``, ``^r``, ``/``, ``R``."""
    if key in _NAMES:
        return _NAMES[key]
    if key.startswith("ctrl+"):
        return "^" + key.removeprefix("ctrl+")
    if key[:1] == "f" and key[1:].isdigit():
        return key.upper()
    return key


FILES, CONNECTION, VIEW = "Files", "Connection", "View"

COMMANDS: tuple[Command, ...] = (
    Command("help", "Help", "Show every key and command", VIEW, ("f1",), ("question_mark",), footer=True),
    Command("connect", "Connect", "Open the site manager (saved sites)", CONNECTION, ("f2",), ("o",), footer=True),
    Command("view", "View", "Show the file under the cursor in a pager", FILES, ("f3",), ("v",), Scope.PANE, footer=True),
    Command("edit", "Edit", "Edit the file in $EDITOR (a remote file is uploaded again when saved)", FILES, ("f4",), ("e",), Scope.PANE, footer=True),
    Command("copy", "Copy", "Copy the selected files to the other pane (upload or download)", FILES, ("f5",), ("c",), Scope.PANE, footer=True),
    Command("move", "Move", "Move the selected files to the other pane", FILES, ("f6",), ("m",), Scope.PANE, footer=True),
    Command("mkdir", "Mkdir", "Create a folder here", FILES, ("f7",), ("n",), Scope.PANE, footer=True),
    Command("delete", "Delete", "Delete the selected files (asks first)", FILES, ("f8", "delete"), ("d",), Scope.PANE, footer=True),
    Command("rename", "Rename", "Rename the file under the cursor", FILES, (), ("r",), Scope.PANE),
    Command("chmod", "Permissions", "Change the permissions (chmod) of the selected files", FILES, (), ("p",), Scope.PANE),
    Command("goto", "Go to folder", "Type a folder in the path bar", FILES, ("ctrl+g",), ("g",), Scope.PANE),
    Command("filter", "Filter", "Type to filter the names shown (escape clears)", FILES, (), ("slash",), Scope.PANE),
    Command("parent", "Parent folder", "Go up one folder", FILES, (), ("backspace",), Scope.PANE),
    Command("switch_pane", "Switch pane", "Move between the local and the remote pane", FILES, ("tab",)),
    Command("refresh", "Refresh", "List both folders again", FILES, ("ctrl+r",)),
    Command("sync_browsing", "Synchronized browsing", "Entering a folder on one side enters it on the other too", FILES, (), ("s",)),
    Command("compare", "Compare folders", "Select files that are newer, missing or different on each side", FILES, (), ("equals_sign",)),
    Command("quick_connect", "Quick connect", "Connect to a URL: ftpes://user@host:port/folder", CONNECTION, (), ("O",)),
    Command("disconnect", "Disconnect", "Close the connection (transfers are cancelled)", CONNECTION, ("ctrl+d",)),
    Command("reconnect", "Reconnect", "Connect again with the same settings", CONNECTION, (), ("R",)),
    Command("raw_command", "Raw command", "Send a raw FTP command, e.g. SITE RECFM=FB", CONNECTION, (), ("colon",)),
    Command("show_log", "Command log", "Show and focus the command log", VIEW, (), ("l",)),
    Command("show_transfers", "Transfer queue", "Show and focus the transfer queue", VIEW, (), ("u",)),
    Command("export_log", "Export log", "Save the command log to a file", VIEW, ("ctrl+e",)),
    Command("pick_theme", "Theme", "Choose a colour theme (remembered)", VIEW, (), ("t",)),
    Command("quit", "Quit", "Leave tui-ftp", VIEW, (), ("q",), footer=True),
)

COMMANDS_BY_ACTION: dict[str, Command] = {command.action: command for command in COMMANDS}


def bindings() -> list[Binding]:
    """Priority bindings for :data:`COMMANDS` (the app's ``check_action`` decides when they apply)."""
    result: list[Binding] = []
    for command in COMMANDS:
        if command.keys:
            result.append(
                Binding(
                    ",".join(command.keys),
                    command.action,
                    command.title,
                    show=command.footer,
                    key_display=key_label(command.keys[0]),
                    priority=True,
                )
            )
        if command.typed:
            result.append(
                Binding(
                    ",".join(command.typed),
                    f"typed('{command.action}')",
                    command.title,
                    show=command.footer and not command.keys,
                    key_display=key_label(command.typed[0]),
                    priority=True,
                )
            )
    return result
