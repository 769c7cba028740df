"""Engine events into the Textual app, from any thread, without ever blocking the engine.

The engine calls a sink from its session threads. :class:`EngineBridge` is that sink:

- protocol log lines are appended to a buffer and the app is woken by ONE :class:`LogReady`
  message until it drains the buffer, so a burst of lines costs one message and one repaint;
- transfer progress and z/OS contention waits go straight into the transfer manager (a lock and a
  few counters); the transfer queue reads them on a ~10 Hz timer;
- everything else (state, security) is rare and becomes an :class:`EngineMessage`.

``post_message`` is thread-safe in Textual (``call_soon_threadsafe``); ``call_from_thread`` is never
used because it blocks the engine until the UI has run it and raises once the app has exited.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from textual.message import Message
from textual.message_pump import MessagePump

from ..engine.events import (
    ContentionWait,
    Event,
    LogLine,
    PreliminaryReply,
    TransferProgress,
)

TransferRoute = Callable[[Event], bool]


class EngineMessage(Message):
    """A rare engine event (state or security changed, a progress event no queue row owns)."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event


class LogReady(Message):
    """Protocol log lines are waiting in the bridge: call :meth:`EngineBridge.take_log`."""


class EngineBridge:
    """The sink handed to every session the app starts. Thread-safe; never blocks."""

    def __init__(self, target: MessagePump) -> None:
        self._target = target
        self._lock = threading.Lock()
        self._log: list[LogLine] = []
        self._wake_pending = False
        self._routes: list[TransferRoute] = []

    def route_transfers(self, route: TransferRoute) -> None:
        """Send progress and contention events to ``route`` (a manager's ``handle_event``) first."""
        with self._lock:
            self._routes.append(route)

    def unroute_transfers(self, route: TransferRoute) -> None:
        with self._lock:
            if route in self._routes:
                self._routes.remove(route)

    def __call__(self, event: Event) -> None:
        if isinstance(event, LogLine):
            self._add_log(event)
        elif isinstance(event, (TransferProgress, ContentionWait)):
            if not self._routed(event):
                self._target.post_message(EngineMessage(event))
        elif not isinstance(event, PreliminaryReply):  # its lines are already in the log
            self._target.post_message(EngineMessage(event))

    def log(self, line: LogLine) -> None:
        """Add a line of the app's own (errors, notes) to the same log, in order."""
        self._add_log(line)

    def take_log(self) -> list[LogLine]:
        """Every buffered line, oldest first; the next line will wake the app again."""
        with self._lock:
            lines, self._log = self._log, []
            self._wake_pending = False
        return lines

    def _add_log(self, line: LogLine) -> None:
        with self._lock:
            self._log.append(line)
            wake = not self._wake_pending
            self._wake_pending = True
        if wake:
            self._target.post_message(LogReady())

    def _routed(self, event: Event) -> bool:
        with self._lock:
            routes = tuple(self._routes)
        return any(route(event) for route in routes)
