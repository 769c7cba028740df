"""Building command lines: refuse injection, mask secrets for the log."""

from __future__ import annotations

from .errors import UsageError

#: Verbs whose argument never reaches a log, an event or an exception message.
SECRET_VERBS = frozenset({"PASS", "ACCT"})
_FORBIDDEN = ("\r", "\n", "\0")


def check_argument(argument: str) -> None:
    """Raise :class:`UsageError` when an argument holds CR, LF or NUL (they would split the command)."""
    for char in _FORBIDDEN:
        if char in argument:
            raise UsageError(f"refused: argument contains {char!r} (would inject a command)")


def command_line(verb: str, argument: str | None = None) -> str:
    """``VERB arg`` after checking both parts. The verb must be a bare word."""
    if not verb or not verb.replace("-", "").isalnum():
        raise UsageError(f"not an FTP command verb: {verb!r}")
    if argument is None:
        return verb
    check_argument(argument)
    return f"{verb} {argument}"


def raw_command_line(text: str) -> str:
    """A user-typed raw command (``quote``): checked the same way, never split in two."""
    check_argument(text)
    stripped = text.strip()
    if not stripped:
        raise UsageError("empty command")
    return stripped


def masked(line: str) -> str:
    """What the log shows for a command line: ``PASS ****`` for secrets."""
    verb = line.split(" ", 1)[0].upper()
    if verb in SECRET_VERBS:
        return f"{verb} ****"
    return line
