"""SessionWorker: one thread owns one FTPSession; callers submit jobs and get futures.

The UI (or the CLI) never touches the session's sockets. ``submit(job)`` queues a callable that
receives the session and returns a :class:`concurrent.futures.Future`. While the queue is empty the
worker sends NOOP every ``noop_seconds`` (never while a command is in flight, since only this thread
sends). ``cancel_current()`` is safe from any thread.
"""

from __future__ import annotations

import itertools
import os
import queue
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from .errors import Cancelled, ConnectionLost, FTPError, FTPTimeout, TransferIncomplete, TransientReplyError
from .events import Direction, EventSink, LogLine, discard
from .options import ConnectOptions
from .session import FTPSession

T = TypeVar("T")
Job = Callable[[FTPSession], T]
ResumableJob = Callable[[FTPSession, bool], T]  # (session, resume) -> result
#: Failures that a new connection and a resumed transfer can cure (not: refused, local, cancelled).
RETRYABLE = (ConnectionLost, FTPTimeout, TransientReplyError, TransferIncomplete)
_STOP = object()
_ids = itertools.count(1)


class SessionWorker:
    """A thread that owns an :class:`FTPSession` and runs submitted jobs in order."""

    def __init__(
        self, options: ConnectOptions, sink: EventSink = discard, name: str = "", *, background: bool = False
    ) -> None:
        """``background``: a bulk-transfer thread, scheduled after the UI (see :func:`yield_cpu_to_ui`)."""
        self.name = name or f"{options.host}#{next(_ids)}"
        self.background = background
        self.session = FTPSession(options, sink, self.name)
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=f"ftp-{self.name}", daemon=True)
        self._busy = threading.Event()
        self._started = False

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> "SessionWorker":
        if not self._started:
            self._started = True
            self._thread.start()
        return self

    def connect(self) -> Future[None]:
        return self.submit(lambda session: session.connect())

    def stop(self, timeout: float | None = 10.0) -> None:
        """Cancel what runs, QUIT, and end the thread (jobs still queued fail with ConnectionLost)."""
        self.session.cancel()
        self._queue.put(_STOP)
        if self._started and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    @property
    def busy(self) -> bool:
        return self._busy.is_set()

    # -- jobs -----------------------------------------------------------------------------------
    def submit(self, job: Job[T]) -> Future[T]:
        future: Future[T] = Future()
        if not self._started:
            self.start()
        self._queue.put((job, future))
        return future

    def submit_resilient(self, job: ResumableJob[T], *, tries: int = 3, backoff: float = 2.0) -> Future[T]:
        """Run ``job(session, resume)``; after a broken connection, reconnect and run it again with
        ``resume=True`` (the transfer continues its ``.part`` file via REST), at most ``tries`` more
        times, waiting ``backoff`` × 2^n seconds between tries (cancellable)."""
        return self.submit(lambda session: run_resilient(session, job, tries, backoff))

    def cancel_current(self) -> None:
        """Cancel the running transfer (thread-safe)."""
        self.session.cancel()

    # -- the thread -----------------------------------------------------------------------------
    def _run(self) -> None:
        if self.background:
            yield_cpu_to_ui()
        while True:
            item = self._next_item()
            if item is _STOP:
                break
            if item is None:
                self._keep_alive()
                continue
            job, future = item
            if not future.set_running_or_notify_cancel():
                continue
            self._busy.set()
            try:
                future.set_result(job(self.session))
            except BaseException as error:  # noqa: BLE001 - handed to the caller through the future
                future.set_exception(error)
            finally:
                self._busy.clear()
        self._shutdown()

    def _next_item(self) -> Any:
        noop = self.session.options.noop_seconds
        if not noop or not self.session.connected:
            return self._queue.get()
        idle = time.monotonic() - self.session.last_activity
        try:
            return self._queue.get(timeout=max(0.05, noop - idle))
        except queue.Empty:
            return None

    def _keep_alive(self) -> None:
        noop = self.session.options.noop_seconds or 0
        if time.monotonic() - self.session.last_activity < noop:
            return
        try:
            self.session.noop()
        except FTPError:
            pass  # the session reports the loss through its events; the next job will see it

    def _shutdown(self) -> None:
        try:
            self.session.close()
        except FTPError:
            pass
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item is not _STOP and item is not None:
                item[1].set_exception(ConnectionLost("the session was closed"))


BACKGROUND_NICENESS = 10


def yield_cpu_to_ui() -> None:
    """Make the calling thread "nicer" (Linux schedules each thread on its own).

    Transfer threads that decrypt TLS at full speed otherwise compete as equals with the UI thread
    for the CPU (and then for the interpreter lock). ``bench_app``, 4 TLS downloads on 2 cores with
    the server on the same cores, key → paint p95 per run: nice 0: 42–54 ms; +5: 32–63 ms; +10:
    23–42 ms, with the same throughput. The price of +10 is a rarer but longer worst case (up to
    ~190 ms when the disk is flushing), and transfers yield to other busy programs, as under
    ``nice``. Other systems: nothing (a thread id there is no process id to give ``setpriority``).
    """
    if not sys.platform.startswith("linux"):
        return
    thread_id = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, thread_id, os.getpriority(os.PRIO_PROCESS, thread_id) + BACKGROUND_NICENESS)
    except OSError:
        pass


def run_resilient(session: FTPSession, job: ResumableJob[T], tries: int, backoff: float) -> T:
    """The retry loop of :meth:`SessionWorker.submit_resilient`, in the session's thread."""
    resume = False
    for attempt in range(tries + 1):
        try:
            if not session.connected:
                session.connect()
                if session.cancel_token.cancelled:
                    raise Cancelled("cancelled while reconnecting")
            return job(session, resume)
        except RETRYABLE as error:
            if attempt >= tries or session.cancel_token.cancelled:
                raise
            delay = backoff * (2**attempt)
            session.sink(
                LogLine(Direction.WARNING, f"{error} — reconnecting in {delay:g} s to resume (try {attempt + 1} of {tries})", session.name)
            )
            session.close_quietly()
            _sleep_unless_cancelled(session, delay)
            resume = True
    raise AssertionError("unreachable")


def _sleep_unless_cancelled(session: FTPSession, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if session.cancel_token.cancelled:
            raise Cancelled("cancelled while waiting to reconnect")
        time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))
