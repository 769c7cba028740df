"""One server connection as the UI sees it: a browsing session, N transfer sessions, one queue.

The browsing session (``host#main``) serves the remote pane: listings, mkdir, delete, rename,
view and edit. Transfers run on their own sessions (``host#xfer1``...), each connecting on its
first job, so a long download never blocks browsing. UI code awaits the engine's futures with
:func:`asyncio.wrap_future`; nothing here blocks the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from ..engine.options import ConnectOptions
from ..engine.session import FTPSession
from ..engine.tls import SecurityInfo
from ..engine.worker import SessionWorker
from ..transfers import Listener, Transfer, TransferManager, TypeRule
from .bridge import EngineBridge

T = TypeVar("T")


def _ignore(changed: list[Transfer]) -> None:
    """No listener."""
DEFAULT_PARALLEL = 2


class RemoteConnection:
    """The sessions of one connection. Create, :meth:`connect`, :meth:`call` jobs, :meth:`close`."""

    def __init__(
        self,
        options: ConnectOptions,
        bridge: EngineBridge,
        *,
        parallel: int = DEFAULT_PARALLEL,
        on_transfer_change: Listener | None = None,
        transfer_type_for: TypeRule | None = None,
    ) -> None:
        self.options = options
        self._bridge = bridge
        host = options.host
        self.browser = SessionWorker(options, bridge, name=f"{host}#main")
        self.transfer_workers = [
            SessionWorker(options, bridge, name=f"{host}#xfer{n}", background=True) for n in range(1, max(1, parallel) + 1)
        ]
        self.transfers = TransferManager(
            self.transfer_workers, on_change=on_transfer_change or _ignore, transfer_type_for=transfer_type_for
        )
        bridge.route_transfers(self.transfers.handle_event)
        self.closed = False

    @property
    def endpoint(self) -> str:
        """``alice@host:21`` for the status bar."""
        host = f"[{self.options.host}]" if ":" in self.options.host else self.options.host
        return f"{self.options.user}@{host}:{self.options.effective_port}"

    @property
    def session_names(self) -> frozenset[str]:
        return frozenset(worker.name for worker in (self.browser, *self.transfer_workers))

    @property
    def security(self) -> SecurityInfo:
        """The browsing session's security (read-only attribute access is safe across threads)."""
        return self.browser.session.security

    @property
    def session(self) -> FTPSession:
        """The browsing session, for reading attributes only (server_type, features, system)."""
        return self.browser.session

    @property
    def connected(self) -> bool:
        return not self.closed and self.browser.session.connected

    async def connect(self) -> None:
        """Connect and log in the browsing session (transfer sessions connect on first use)."""
        await asyncio.wrap_future(self.browser.connect())

    async def call(self, job: Callable[[FTPSession], T]) -> T:
        """Run ``job`` on the browsing session's thread and await its result."""
        return await asyncio.wrap_future(self.browser.submit(job))

    def close(self) -> None:
        """Cancel transfers, QUIT every session and end their threads (blocking: run it in a thread)."""
        self.closed = True
        self._bridge.unroute_transfers(self.transfers.handle_event)
        self.transfers.cancel_all()
        for worker in (*self.transfer_workers, self.browser):
            worker.session.cancel()
        for worker in (*self.transfer_workers, self.browser):
            worker.stop(timeout=5.0)

    async def aclose(self) -> None:
        await asyncio.to_thread(self.close)
