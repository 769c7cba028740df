"""The exit codes of ``tui-ftp``: one table, used by the code and printed in ``--help``.

Scheduled jobs branch on them, so each kind of failure has its own number and they never change.
"""

from __future__ import annotations

import enum

from ..engine.errors import (
    CertificateError,
    ConnectionLost,
    FTPError,
    FTPTimeout,
    LocalFileError,
    LoginError,
    ReplyError,
    ServiceClosing,
    TLSError,
    TransferIncomplete,
    UsageError,
)


class ExitCode(enum.IntEnum):
    OK = 0
    FAILURE = 1
    USAGE = 2
    CONNECTION = 3
    CERTIFICATE = 4
    LOGIN = 5
    REMOTE = 6
    LOCAL = 7
    INCOMPLETE = 8
    SKIPPED = 9
    INTERNAL = 70  # EX_SOFTWARE from sysexits.h
    INTERRUPTED = 130


EXIT_CODE_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "success",
    ExitCode.FAILURE: "other failure (the server broke the protocol, a cancelled transfer...)",
    ExitCode.USAGE: "usage error (bad option, URL or argument; no password available)",
    ExitCode.CONNECTION: "connection or TLS failure (refused, timed out, lost, TLS handshake, 421)",
    ExitCode.CERTIFICATE: "server certificate not trusted (the fingerprint is printed)",
    ExitCode.LOGIN: "login refused (user, password or account)",
    ExitCode.REMOTE: "the server refused a command (4xx/5xx reply: no such file, permission...)",
    ExitCode.LOCAL: "local file error (permission denied, disk full, folder in the way)",
    ExitCode.INCOMPLETE: "transfer incomplete (fewer or more bytes than the server announced)",
    ExitCode.SKIPPED: "finished, but some remote entries were skipped (unsafe names, links)",
    ExitCode.INTERNAL: "internal error (a bug): a crash report without passwords was written",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C)",
}

# Most specific first: CertificateError is a TLSError, LoginError and ServiceClosing are ReplyErrors.
_BY_ERROR: tuple[tuple[type[BaseException], ExitCode], ...] = (
    (UsageError, ExitCode.USAGE),
    (CertificateError, ExitCode.CERTIFICATE),
    (TLSError, ExitCode.CONNECTION),
    (LoginError, ExitCode.LOGIN),
    (ServiceClosing, ExitCode.CONNECTION),
    (ReplyError, ExitCode.REMOTE),
    (ConnectionLost, ExitCode.CONNECTION),
    (FTPTimeout, ExitCode.CONNECTION),
    (TransferIncomplete, ExitCode.INCOMPLETE),
    (LocalFileError, ExitCode.LOCAL),
    (FTPError, ExitCode.FAILURE),
)


def exit_code_for(error: BaseException) -> ExitCode:
    """The exit code of the first row of the table whose error class ``error`` is."""
    for error_type, code in _BY_ERROR:
        if isinstance(error, error_type):
            return code
    return ExitCode.FAILURE


def exit_code_table() -> str:
    """The table as ``--help`` shows it."""
    return "\n".join(f"  {int(code):>3}  {meaning}" for code, meaning in EXIT_CODE_MEANINGS.items())
