"""Small helpers shared by the live engine tests (real servers on loopback)."""

from __future__ import annotations

from tests.servers import RunningServer
from tui_ftp.engine.events import Event, LogLine, SecurityChanged
from tui_ftp.engine.options import ConnectOptions, Security
from tui_ftp.engine.session import FTPSession


class Recorder:
    """An event sink that keeps everything (tests read it after the fact)."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def __call__(self, event: Event) -> None:
        self.events.append(event)

    def sent(self) -> list[str]:
        return [event.text for event in self.events if isinstance(event, LogLine) and event.direction.value == ">"]

    def received(self) -> list[str]:
        return [event.text for event in self.events if isinstance(event, LogLine) and event.direction.value == "<"]

    def log_text(self) -> str:
        return "\n".join(event.text for event in self.events if isinstance(event, LogLine))

    def securities(self) -> list[object]:
        return [event.security for event in self.events if isinstance(event, SecurityChanged)]


def open_session(server: RunningServer, security: Security | None = None, **changes: object) -> tuple[FTPSession, Recorder]:
    recorder = Recorder()
    options: ConnectOptions = server.connect_options(security, reply_timeout=20, connect_timeout=10, **changes)
    session = FTPSession(options, recorder, server.software)
    session.connect()
    return session, recorder
