"""The engine's exceptions: one base class, split by who is at fault.

Like h11's LocalProtocolError / RemoteProtocolError, :class:`UsageError` means the caller misused the
API (nothing was sent), :class:`ProtocolError` means the server broke the protocol. Replies that
refuse a command are :class:`ReplyError` and carry the code and every line of the reply.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class FTPError(Exception):
    """Base class of every error the engine raises."""

    #: A short title for notifications (``"Login refused"``).
    title: str = "FTP error"


class UsageError(FTPError, ValueError):
    """The caller misused the API (bad argument, wrong state); nothing was sent to the server."""

    title = "Invalid request"


class ProtocolError(FTPError):
    """The server broke the protocol: malformed, oversized or unexpected replies."""

    title = "Protocol violation by the server"


class ReplyError(FTPError):
    """The server answered with an error reply (4xx/5xx) or an unexpected code."""

    title = "Server error"

    def __init__(self, code: int, lines: Sequence[str], command: str = "") -> None:
        self.code = code
        self.lines = tuple(lines)
        self.command = command
        super().__init__(self.text)

    @property
    def text(self) -> str:
        """The reply as the server sent it, lines joined by newlines."""
        return "\n".join(self.lines)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.code, self.lines, self.command))


class TransientReplyError(ReplyError):
    """A 4xx reply: the command may succeed if tried again later."""


class PermanentReplyError(ReplyError):
    """A 5xx reply: the command failed and will fail again as it is."""


class ServiceClosing(TransientReplyError):
    """``421``: the server is closing the control connection. Fatal at any point in a session."""

    title = "Server closed the session"


class LoginError(PermanentReplyError):
    """The server refused the user name, password or account."""

    title = "Login refused"


class ConnectionLost(FTPError):
    """The control or data connection was closed or reset unexpectedly."""

    title = "Connection lost"


class FTPTimeout(FTPError):
    """A connect or reply timeout expired."""

    title = "Timed out"


class TLSError(FTPError):
    """TLS could not be negotiated, or TLS was required and the server does not offer it."""

    title = "TLS failure"


class CertificateError(TLSError):
    """The server's certificate is not trusted.

    ``reason`` says which check failed (expired, not yet valid, host name mismatch, self-signed,
    unknown CA, changed since pinned, different data-channel certificate). ``certificate`` is the
    parsed :class:`~tui_ftp.engine.tls.CertificateInfo` when the server presented one, so the UI
    can offer to trust it by fingerprint.
    """

    title = "Certificate not trusted"

    def __init__(self, reason: str, certificate: Any = None, detail: str = "") -> None:
        self.reason = reason
        self.certificate = certificate
        self.detail = detail
        message = reason if not detail else f"{reason}: {detail}"
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.reason, self.certificate, self.detail))


class TransferIncomplete(FTPError):
    """A transfer ended with fewer (or more) bytes than the server announced; nothing was marked done."""

    title = "Transfer incomplete"


class LocalFileError(FTPError):
    """Reading or writing a local file failed (disk full, permission denied, not a folder...)."""

    title = "Local file error"


class UnsafePathError(LocalFileError):
    """A remote name would write outside the folder the user chose (``../``, absolute, ``\\``...)."""

    title = "Unsafe remote name"


class Cancelled(FTPError):
    """The operation was cancelled by the user."""

    title = "Cancelled"


def reply_error_for(code: int, lines: Sequence[str], command: str = "") -> ReplyError:
    """The :class:`ReplyError` subclass that fits a reply code (first digit picks, like ftplib)."""
    if code == 421:
        return ServiceClosing(code, lines, command)
    if 400 <= code < 500:
        return TransientReplyError(code, lines, command)
    if 500 <= code < 600:
        return PermanentReplyError(code, lines, command)
    return ReplyError(code, lines, command)
