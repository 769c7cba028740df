"""Events the engine reports through a sink: frozen dataclasses, safe to hand to any thread.

A sink is any callable taking one event. The UI's sink posts a Textual message; the CLI's prints;
tests append to a list. Sinks are called from the session's thread and must not block.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class Direction(enum.Enum):
    """Which way a protocol log line went."""

    SENT = ">"
    RECEIVED = "<"
    INFO = "*"
    WARNING = "!"


class SessionState(enum.Enum):
    DISCONNECTED = "disconnected"
    CONNECTING = "connecting"
    SECURING = "securing"
    LOGGING_IN = "logging in"
    READY = "ready"
    BUSY = "busy"
    CLOSED = "closed"


def _now() -> float:
    return time.time()


@dataclass(frozen=True, slots=True)
class LogLine:
    """One line of the live protocol log. Passwords are already masked (``PASS ****``)."""

    direction: Direction
    text: str
    session: str = ""
    time: float = field(default_factory=_now)


@dataclass(frozen=True, slots=True)
class PreliminaryReply:
    """A complete 1xx reply, delivered as it arrives (z/OS may send many before the final one)."""

    code: int
    lines: tuple[str, ...]
    session: str = ""


@dataclass(frozen=True, slots=True)
class StateChanged:
    state: SessionState
    detail: str = ""
    session: str = ""


@dataclass(frozen=True, slots=True)
class SecurityChanged:
    """The connection's security changed (TLS up, PROT set, CCC done, data session resumed...)."""

    security: Any  # tui_ftp.engine.tls.SecurityInfo (kept loose to avoid an import cycle)
    session: str = ""


@dataclass(frozen=True, slots=True)
class TransferProgress:
    """Progress of one transfer; emitted at most ~10 times a second per transfer."""

    transfer_id: str
    done: int
    total: int | None
    rate: float  # bytes per second, smoothed
    eta: float | None  # seconds, None when unknown
    session: str = ""


@dataclass(frozen=True, slots=True)
class TransferFinished:
    transfer_id: str
    ok: bool
    transferred: int
    error: str = ""
    session: str = ""


@dataclass(frozen=True, slots=True)
class ContentionWait:
    """z/OS is waiting for a dataset another job holds (DSWAITTIME), or the client is retrying."""

    dataset: str
    holder: str
    attempts_remaining: int | None
    interval_seconds: float | None
    client_retry: bool = False  # True when the client (not the server) schedules the retry
    transfer_id: str = ""
    session: str = ""


Event = LogLine | PreliminaryReply | StateChanged | SecurityChanged | TransferProgress | TransferFinished | ContentionWait
EventSink = Callable[[Event], None]


def discard(event: Event) -> None:
    """A sink that drops everything."""
