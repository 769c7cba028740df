"""Misbehaving servers on the scripted base (tui_ftp.demo.scripted): one subclass per fault.

``FileSession`` serves an in-memory folder (LIST, SIZE, REST, RETR, STOR) so the faults below can
break one thing at a time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from tui_ftp.demo.scripted import CommandFailed, ScriptedServer, Session

USER, PASSWORD = "user", "pass"


class FileSession(Session):
    files: dict[str, bytes] = {}
    listing: list[str] | None = None  # raw LIST lines; None builds them from ``files``

    def features(self) -> list[str]:
        return ["SIZE", "REST STREAM", "EPSV", "PASV"]

    def cmd_PWD(self, argument: str) -> None:
        self.reply(257, '"/" is the current directory.')

    def cmd_SIZE(self, argument: str) -> None:
        if argument not in self.files:
            raise CommandFailed(550, "No such file.")
        self.reply(213, str(self.announced_size(argument)))

    def announced_size(self, name: str) -> int:
        return len(self.files[name])

    def cmd_REST(self, argument: str) -> None:
        self.rest = int(argument)
        self.reply(350, f"Restarting at {argument}.")

    def cmd_LIST(self, argument: str) -> None:
        lines = self.listing if self.listing is not None else [
            f"-rw-r--r--   1 ftp ftp {len(data):>8} Nov 27 12:00 {name}" for name, data in self.files.items()
        ]
        self.reply(150, "Here comes the listing.")
        self.send_data(("\r\n".join(lines) + "\r\n").encode(self.encoding, "surrogateescape"))
        self.reply(226, "Directory send OK.")

    def cmd_RETR(self, argument: str) -> None:
        if argument not in self.files:
            raise CommandFailed(550, "No such file.")
        start = getattr(self, "rest", 0)
        self.rest = 0
        self.reply(150, f"Opening BINARY mode data connection for {argument}.")
        self.send_file(argument, self.files[argument][start:])

    def send_file(self, name: str, payload: bytes) -> None:
        self.send_data(payload)
        self.reply(226, "Transfer complete.")

    def cmd_STOR(self, argument: str) -> None:
        self.reply(150, "Ok to send data.")
        self.files[argument] = self.receive_data()
        self.reply(226, "Transfer complete.")

    def cmd_ABOR(self, argument: str) -> None:
        self.reply(226, "ABOR successful.")


def file_session(files: dict[str, bytes], base: type[FileSession] = FileSession, **attributes: object) -> type[FileSession]:
    """A FileSession subclass serving ``files`` (shared, so STOR results can be checked)."""
    return type("Scripted", (base,), {"files": files, **attributes})


@contextmanager
def running(session_class: type[Session], **options: object) -> Iterator[ScriptedServer]:
    server = ScriptedServer(session_class, users={USER: PASSWORD}, **options).start()  # type: ignore[arg-type]
    try:
        yield server
    finally:
        server.stop()


class CountingThreads:
    """Threads and open sockets of this process, before and after (leak checks)."""

    def __init__(self) -> None:
        self.threads = threading.active_count()
        self.sockets = _open_sockets()

    def settled(self, timeout: float = 5.0) -> tuple[int, int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if threading.active_count() <= self.threads and _open_sockets() <= self.sockets:
                break
            time.sleep(0.05)
        return threading.active_count() - self.threads, _open_sockets() - self.sockets


def _open_sockets() -> int:
    import os

    count = 0
    for name in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{name}").startswith("socket:"):
                count += 1
        except OSError:
            continue
    return count
