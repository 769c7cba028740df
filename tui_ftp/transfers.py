"""The transfer queue: files and whole folders copied between this machine and a server.

Pure Python (no Textual): the TUI shows it, tests drive it directly. Each *runner* is a
:class:`~tui_ftp.engine.worker.SessionWorker` (one connection); a transfer takes a free runner in
queue order, so N runners give N parallel transfers. Everything here is thread-safe: runners finish
jobs on their own threads, the UI reads :meth:`TransferManager.snapshot` on a timer.

Remote places are (folder, name) pairs: a job changes into the folder (as the server named it in
``PWD``) and passes the bare name, which is right on Unix and z/OS alike. A folder copy first walks
the tree on a runner (``list_dir`` on the server, ``os.walk`` here), then queues its files; every
remote name becomes a local path only through :func:`~tui_ftp.engine.safepath.safe_local_path`.

A target that exists is a *conflict*: the manager's policy (or the user's answer, optionally for all
later conflicts) says overwrite, resume, skip or rename.
"""

from __future__ import annotations

import enum
import itertools
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol, TypeVar

from .engine.errors import Cancelled, FTPError, LocalFileError, ReplyError
from .engine.events import ContentionWait, Event, TransferProgress
from .engine.listing import Entry, EntryKind
from .engine.options import ServerType, TransferType
from .engine.safepath import safe_local_path
from .engine.session import FTPSession
from .engine.transfer import interrupt_socket, part_path
from .engine.worker import run_resilient

T = TypeVar("T")
CANCEL_GRACE = 2.0  # seconds a cancel may take before a waiting transfer's connection is cut
_PARENT_NAMES = frozenset((".", ".."))
RECONNECT_TRIES = 3  # automatic reconnect-and-resume of a queued file after a broken connection
RECONNECT_BACKOFF = 2.0


class Runner(Protocol):
    """What the manager needs from a session worker."""

    def submit(self, job: Callable[[FTPSession], T]) -> Future[T]: ...

    def cancel_current(self) -> None: ...


class TransferDirection(enum.Enum):
    DOWNLOAD = "download"
    UPLOAD = "upload"

    @property
    def arrow(self) -> str:
        return "↓" if self is TransferDirection.DOWNLOAD else "↑"


class TransferStatus(enum.Enum):
    QUEUED = "queued"
    LISTING = "listing"  # a folder is being walked
    RUNNING = "running"
    WAITING = "waiting"  # z/OS dataset contention
    CONFLICT = "exists"  # the target exists; waiting for the user's choice
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"

    @property
    def finished(self) -> bool:
        return self in _FINISHED

    @property
    def active(self) -> bool:
        return self in (TransferStatus.QUEUED, TransferStatus.LISTING, TransferStatus.RUNNING, TransferStatus.WAITING)


_FINISHED = frozenset((TransferStatus.DONE, TransferStatus.FAILED, TransferStatus.CANCELLED, TransferStatus.SKIPPED))
_RETRYABLE = frozenset((TransferStatus.FAILED, TransferStatus.CANCELLED, TransferStatus.SKIPPED))


class ConflictAction(enum.Enum):
    """What to do when the target of a transfer already exists."""

    ASK = "ask"
    OVERWRITE = "overwrite"
    RESUME = "resume"
    SKIP = "skip"
    RENAME = "rename"


@dataclass(frozen=True)
class Contention:
    """A z/OS dataset held by another job; the transfer waits and retries."""

    dataset: str
    holder: str
    attempts_remaining: int | None
    next_try: float | None  # time.monotonic() of the next attempt, None when unknown

    def describe(self, now: float | None = None, width: int | None = None) -> str:
        """``held by JOB1 — 3 attempts remaining, next in 42 s``, shortened to fit ``width``."""
        holder = self.holder or "another job"
        seconds = None if self.next_try is None else max(0, round(self.next_try - (time.monotonic() if now is None else now)))
        attempts = self.attempts_remaining
        forms = [
            f"held by {holder}"
            + (f" — {attempts} attempts remaining" if attempts is not None else "")
            + (f", next in {seconds} s" if seconds is not None else ""),
            f"held by {holder}"
            + (f": {attempts} left" if attempts is not None else "")
            + (f", next in {seconds} s" if seconds is not None else ""),
            f"{holder}:" + (f" {attempts} left" if attempts is not None else "") + (f", {seconds} s" if seconds is not None else ""),
        ]
        return next((form for form in forms if width is None or len(form) <= width), forms[-1])


@dataclass
class Transfer:
    """One row of the queue: a file, or a folder whose files become rows of their own."""

    id: str
    direction: TransferDirection
    local_path: Path
    remote_dir: str
    remote_name: str
    is_folder: bool = False
    size: int | None = None
    move: bool = False  # delete the source once the copy is complete
    parent_id: str | None = None
    target_exists: bool = False  # uploads: the name is taken on the server (downloads check the disk)
    taken_names: frozenset[str] = frozenset()  # uploads: names in the remote folder, for "rename"
    status: TransferStatus = TransferStatus.QUEUED
    done: int = 0
    rate: float = 0.0
    eta: float | None = None
    error: str = ""
    contention: Contention | None = None
    action: ConflictAction | None = None  # the user's answer to a conflict
    resume_partial: bool = False  # a retry continues a kept ``.part`` file
    children: int = 0  # folders: files queued from the walk
    failed_children: int = 0
    finished_children: int = 0
    folders: tuple[str, ...] = ()  # folders: what the walk visited (for a move's clean-up)

    @property
    def remote_path(self) -> str:
        """The remote place for display (the server resolves ``remote_name`` in ``remote_dir``)."""
        return join_remote_for_display(self.remote_dir, self.remote_name)

    @property
    def source(self) -> str:
        return self.remote_path if self.direction is TransferDirection.DOWNLOAD else str(self.local_path)

    @property
    def destination(self) -> str:
        return str(self.local_path) if self.direction is TransferDirection.DOWNLOAD else self.remote_path

    @property
    def fraction(self) -> float | None:
        if not self.size:
            return 1.0 if self.status is TransferStatus.DONE else None
        return min(1.0, self.done / self.size)


def join_remote_for_display(folder: str, name: str) -> str:
    """``/pub`` + ``a.txt`` → ``/pub/a.txt``; z/OS ``'USER1.'`` + ``DATA`` → ``'USER1.DATA'``."""
    if folder.startswith("'") and folder.endswith("'") and len(folder) >= 2:
        inner = folder[1:-1]
        return f"'{inner}{name}'" if inner.endswith(".") or not inner else f"'{inner}({name})'"
    return f"{folder.rstrip('/')}/{name}" if folder else name


def free_name(name: str, taken: Callable[[str], bool]) -> str:
    """``report.txt`` → ``report (1).txt`` (or ``(2)``...), the first that ``taken`` rejects."""
    stem, dot, suffix = name.rpartition(".")
    if not stem:
        stem, dot, suffix = name, "", ""
    for number in itertools.count(1):
        candidate = f"{stem} ({number}){dot}{suffix}"
        if not taken(candidate):
            return candidate
    raise AssertionError("unreachable")


@dataclass
class _Slot:
    """A runner and what it runs. ``cwd`` is touched only by jobs, on the runner's thread."""

    runner: Runner
    transfer_id: str | None = None
    cwd: str | None = None
    control: object = None  # the control connection ``cwd`` belongs to


@dataclass(frozen=True)
class _FilePlan:
    local_path: Path
    remote_dir: str
    remote_name: str
    size: int | None
    target_exists: bool = False
    taken_names: frozenset[str] = frozenset()


@dataclass
class _FolderPlan:
    files: list[_FilePlan] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)  # visited, parents first
    skipped: list[str] = field(default_factory=list)  # names refused by the safe-path check


Listener = Callable[[list[Transfer]], None]
TypeRule = Callable[[str, ServerType], TransferType | None]  # (name, detected server type) → TYPE


def _ignore(changed: list[Transfer]) -> None:
    """The default listener."""


class TransferManager:
    """Runs queued transfers on ``runners`` (one at a time each) and keeps their state.

    ``on_change`` receives copies of transfers whose status changed; it is called from runner
    threads and the caller's thread and must not block. Progress does not call it: read
    :meth:`snapshot` (or watch :attr:`revision`) on a timer instead.
    """

    def __init__(
        self,
        runners: Sequence[Runner],
        *,
        on_change: Listener = _ignore,
        conflict_policy: ConflictAction = ConflictAction.ASK,
        transfer_type_for: TypeRule | None = None,
    ) -> None:
        self._slots = [_Slot(runner) for runner in runners]
        self._on_change = on_change
        self.conflict_policy = conflict_policy
        self.transfer_type_for = transfer_type_for
        self._transfers: dict[str, Transfer] = {}
        self._pending: deque[str] = deque()
        self._lock = threading.RLock()
        self._idle = threading.Condition(self._lock)
        self._ids = itertools.count(1)
        self._paused = False
        self._cancelling: set[str] = set()
        self._changed: dict[str, None] = {}  # ids changed since drain_changes(), in order
        self._removed: set[str] = set()
        self._counts = dict.fromkeys(TransferStatus, 0)  # files per status, kept as statuses change
        self._counted: dict[str, TransferStatus] = {}  # the status each file is counted under
        self.revision = 0

    # == queueing ==================================================================================
    def download(self, remote_dir: str, entry: Entry, local_dir: str | Path, *, move: bool = False) -> Transfer:
        """Queue ``entry`` (a file, or a folder copied recursively) from ``remote_dir`` into ``local_dir``."""
        local_path = safe_local_path(local_dir, entry.name)
        return self._add(
            TransferDirection.DOWNLOAD, local_path, remote_dir, entry.name, entry.is_dir, entry.size, move
        )

    def upload(
        self, local_path: str | Path, remote_dir: str, *, remote_names: Collection[str] = (), move: bool = False
    ) -> Transfer:
        """Queue a local file or folder for ``remote_dir``; ``remote_names`` is what that folder holds."""
        path = Path(local_path)
        is_folder = path.is_dir()
        size = None if is_folder else _local_size(path)
        taken = frozenset(remote_names)
        return self._add(
            TransferDirection.UPLOAD, path, remote_dir, path.name, is_folder, size, move, path.name in taken, taken
        )

    def _add(
        self,
        direction: TransferDirection,
        local_path: Path,
        remote_dir: str,
        remote_name: str,
        is_folder: bool,
        size: int | None,
        move: bool,
        target_exists: bool = False,
        taken: frozenset[str] = frozenset(),
    ) -> Transfer:
        with self._lock:
            transfer = Transfer(
                id=f"t{next(self._ids)}",
                direction=direction,
                local_path=local_path,
                remote_dir=remote_dir,
                remote_name=remote_name,
                is_folder=is_folder,
                size=size,
                move=move,
                target_exists=target_exists,
                taken_names=taken,
            )
            self._transfers[transfer.id] = transfer
            self._pending.append(transfer.id)
            changed = [transfer, *self._pump()]
            self._touch()
        self._notify(changed)
        return replace(transfer)

    # == control ===================================================================================
    def cancel(self, transfer_id: str) -> None:
        """Cancel a queued, waiting or running transfer (a folder: all its files too)."""
        with self._lock:
            changed = self._cancel_locked(transfer_id)
            self._touch()
        self._notify(changed)

    def cancel_all(self) -> None:
        with self._lock:
            changed = [item for tid in list(self._transfers) for item in self._cancel_locked(tid)]
            self._touch()
        self._notify(changed)

    def retry(self, transfer_id: str) -> None:
        """Queue a failed, cancelled or skipped transfer again (a folder: its unfinished files)."""
        with self._lock:
            transfer = self._transfers.get(transfer_id)
            if transfer is None or transfer.status not in _RETRYABLE:
                return
            changed = self._requeue(transfer)
            if transfer.is_folder and transfer.children:
                for child in self._children(transfer.id):
                    if child.status in _RETRYABLE:
                        changed += self._requeue(child)
            changed += self._pump()
            self._touch()
        self._notify(changed)

    def resolve(self, transfer_id: str, action: ConflictAction, apply_to_all: bool = False) -> None:
        """The user's answer to a conflict; ``apply_to_all`` answers every later one the same way."""
        if action is ConflictAction.ASK:
            raise ValueError("resolve needs an answer, not ASK")
        with self._lock:
            targets = [self._transfers[transfer_id]] if transfer_id in self._transfers else []
            if apply_to_all:
                self.conflict_policy = action
                targets += [t for t in self._transfers.values() if t.status is TransferStatus.CONFLICT]
            changed: list[Transfer] = []
            for transfer in targets:
                if transfer.status is TransferStatus.CONFLICT:
                    transfer.action = action
                    transfer.status = TransferStatus.QUEUED
                    self._pending.appendleft(transfer.id)
                    changed.append(transfer)
            changed += self._pump()
            self._touch()
        self._notify(changed)

    @property
    def paused(self) -> bool:
        return self._paused

    def set_paused(self, paused: bool) -> None:
        """While paused, running transfers finish but queued ones do not start."""
        with self._lock:
            self._paused = paused
            changed = self._pump()
            self._touch()
        self._notify(changed)

    def clear_finished(self) -> int:
        """Forget finished rows (folders only when all their files are finished); returns how many."""
        with self._lock:
            gone = [t.id for t in self._transfers.values() if t.status.finished and not self._has_unfinished_children(t)]
            for transfer_id in gone:
                del self._transfers[transfer_id]
                self._changed.pop(transfer_id, None)
                self._uncount(transfer_id)
            self._removed.update(gone)
            self._touch()
        return len(gone)

    # == engine events =============================================================================
    def handle_event(self, event: Event) -> bool:
        """Take a :class:`TransferProgress` or :class:`ContentionWait` for one of our transfers.

        Thread-safe and cheap: the engine's sink may call it directly. Returns True when used.
        """
        if isinstance(event, TransferProgress):
            return self._progress(event)
        if isinstance(event, ContentionWait) and event.transfer_id:
            return self._contention(event)
        return False

    def _progress(self, event: TransferProgress) -> bool:
        with self._lock:
            transfer = self._transfers.get(event.transfer_id)
            if transfer is None or transfer.status.finished:
                return transfer is not None
            self._add_done(transfer, event.done - transfer.done)
            transfer.rate, transfer.eta = event.rate, event.eta
            if event.total is not None:
                transfer.size = event.total
            changed = []
            if transfer.status is TransferStatus.WAITING:
                transfer.status, transfer.contention = TransferStatus.RUNNING, None
                changed.append(transfer)
            self._touch()
        self._notify(changed)
        return True

    def _contention(self, event: ContentionWait) -> bool:
        next_try = time.monotonic() + event.interval_seconds if event.interval_seconds else None
        with self._lock:
            transfer = self._transfers.get(event.transfer_id)
            if transfer is None or transfer.status.finished:
                return transfer is not None
            transfer.status = TransferStatus.WAITING
            transfer.contention = Contention(event.dataset, event.holder, event.attempts_remaining, next_try)
            self._touch()
        self._notify([transfer])
        return True

    # == reading ===================================================================================
    def snapshot(self) -> list[Transfer]:
        """Copies of every transfer, in queue order (files of a folder follow it)."""
        with self._lock:
            return [replace(transfer) for transfer in self._transfers.values()]

    def drain_changes(self) -> tuple[list[Transfer], set[str]]:
        """Copies of the transfers changed since the last call, and the ids cleared since then.

        For one consumer (the UI's timer): cheap however long the queue is.
        """
        with self._lock:
            changed = [replace(self._transfers[tid]) for tid in self._changed if tid in self._transfers]
            removed, self._removed = self._removed, set()
            self._changed = {}
            return changed, removed

    def get(self, transfer_id: str) -> Transfer | None:
        with self._lock:
            transfer = self._transfers.get(transfer_id)
            return replace(transfer) if transfer else None

    def counts(self) -> dict[TransferStatus, int]:
        """Files per status (folders not counted). Kept up to date as statuses change: reading it
        costs nothing however long the queue is (a 10 Hz label reads it)."""
        with self._lock:
            return dict(self._counts)

    def _count(self, transfer: Transfer) -> None:
        """Move ``transfer`` to the counter of its current status (lock held)."""
        if transfer.is_folder:
            return
        before = self._counted.get(transfer.id)
        if before is transfer.status:
            return
        if before is not None:
            self._counts[before] -= 1
        self._counts[transfer.status] += 1
        self._counted[transfer.id] = transfer.status

    def _uncount(self, transfer_id: str) -> None:
        before = self._counted.pop(transfer_id, None)
        if before is not None:
            self._counts[before] -= 1

    def conflicts(self) -> list[Transfer]:
        """Copies of the transfers waiting for the user's answer, in queue order."""
        with self._lock:
            return [replace(t) for t in self._transfers.values() if t.status is TransferStatus.CONFLICT]

    @property
    def active(self) -> bool:
        """Anything queued, listing, running or waiting (conflicts wait for the user: not active)."""
        with self._lock:
            return any(transfer.status.active for transfer in self._transfers.values())

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until nothing is active (True) or ``timeout`` passes (False). For tests and batch use."""
        with self._idle:
            return self._idle.wait_for(lambda: not self.active, timeout)

    # == dispatching (lock held) ===================================================================
    def _pump(self) -> list[Transfer]:
        """Start transfers on free runners; returns the transfers whose status changed."""
        changed: list[Transfer] = []
        if self._paused:
            return changed
        for slot in self._slots:
            if slot.transfer_id is not None:
                continue
            transfer = self._next_ready(changed)
            if transfer is None:
                break
            self._start(slot, transfer)
            changed.append(transfer)
        return changed

    def _next_ready(self, changed: list[Transfer]) -> Transfer | None:
        while self._pending:
            transfer = self._transfers.get(self._pending.popleft())
            if transfer is None or transfer.status is not TransferStatus.QUEUED:
                continue
            if transfer.is_folder or self._settle_conflict(transfer):
                return transfer
            changed.append(transfer)
        return None

    def _settle_conflict(self, transfer: Transfer) -> bool:
        """Apply the conflict answer; True when the transfer may start now."""
        if not self._target_exists(transfer):
            return True
        action = transfer.action or self.conflict_policy
        if action is ConflictAction.ASK:
            transfer.status = TransferStatus.CONFLICT
        elif action is ConflictAction.SKIP:
            transfer.status = TransferStatus.SKIPPED
            self._child_finished(transfer)
        elif action is ConflictAction.RENAME:
            self._rename_target(transfer)
            return True
        else:
            transfer.action = action
            return True
        return False

    def _target_exists(self, transfer: Transfer) -> bool:
        if transfer.direction is TransferDirection.UPLOAD:
            return transfer.target_exists
        return transfer.local_path.exists()

    def _rename_target(self, transfer: Transfer) -> None:
        if transfer.direction is TransferDirection.DOWNLOAD:
            folder = transfer.local_path.parent
            transfer.local_path = folder / free_name(transfer.local_path.name, lambda name: (folder / name).exists())
        else:
            transfer.remote_name = free_name(transfer.remote_name, transfer.taken_names.__contains__)
        transfer.target_exists = False
        transfer.action = ConflictAction.OVERWRITE

    def _start(self, slot: _Slot, transfer: Transfer) -> None:
        slot.transfer_id = transfer.id
        transfer.status = TransferStatus.LISTING if transfer.is_folder else TransferStatus.RUNNING
        transfer.error = ""
        job = self._folder_job(slot, replace(transfer)) if transfer.is_folder else self._file_job(slot, replace(transfer))
        future: Future[Any]
        try:
            future = slot.runner.submit(job)
        except RuntimeError as error:  # a stopped runner
            future = Future()
            future.set_exception(error)
        transfer_id = transfer.id
        future.add_done_callback(lambda done: self._job_done(slot, transfer_id, done))

    # == jobs (run on the runner's thread) =========================================================
    def _file_job(self, slot: _Slot, transfer: Transfer) -> Callable[[FTPSession], Any]:
        resume = transfer.action is ConflictAction.RESUME or (
            transfer.resume_partial and part_path(transfer.local_path).exists()
        )
        download = transfer.direction is TransferDirection.DOWNLOAD

        def job(session: FTPSession) -> int:
            self._fresh_start(session, transfer.id)
            # A dropped connection is reconnected and the file resumed (REST) a bounded number of times.
            return run_resilient(session, attempt, RECONNECT_TRIES, RECONNECT_BACKOFF)

        def attempt(session: FTPSession, retrying: bool) -> int:
            _enter(session, slot, transfer.remote_dir)
            kind = self.transfer_type_for(transfer.remote_name, session.server_type) if self.transfer_type_for else None
            resumable = part_path(transfer.local_path).exists() if download else kind is not TransferType.ASCII
            resume_now = resume or (retrying and resumable)
            if download:
                _make_local_folder(transfer.local_path.parent)
                count = session.download(
                    transfer.remote_name, transfer.local_path, resume=resume_now, transfer_id=transfer.id, transfer_type=kind
                )
                if transfer.move:
                    session.delete(transfer.remote_name)
                return count
            count = session.upload(
                transfer.local_path, transfer.remote_name, resume=resume_now, transfer_id=transfer.id, transfer_type=kind
            )
            if transfer.move:
                _remove_local(transfer.local_path)
            return count

        return job

    def _folder_job(self, slot: _Slot, transfer: Transfer) -> Callable[[FTPSession], _FolderPlan]:
        walk = _walk_remote if transfer.direction is TransferDirection.DOWNLOAD else _walk_local

        def job(session: FTPSession) -> _FolderPlan:
            self._fresh_start(session, transfer.id)
            return walk(session, slot, transfer, lambda: transfer.id in self._cancelling)

        return job

    def _fresh_start(self, session: FTPSession, transfer_id: str) -> None:
        """A cancel of the previous job must not leak into this one, and one of this job not get lost.

        The session's cancel token stays set after a cancelled job; it is cleared here, then this
        job's own cancel (requested while it was still waiting to run) is honoured.
        """
        session.cancel_token.reset()
        if transfer_id in self._cancelling:
            raise Cancelled("transfer cancelled before it started")

    # == completion ================================================================================
    def _job_done(self, slot: _Slot, transfer_id: str, future: Future[Any]) -> None:
        with self._lock:
            slot.transfer_id = None
            transfer = self._transfers.get(transfer_id)
            changed: list[Transfer] = []
            if transfer is not None:
                changed.append(transfer)
                changed += self._record_outcome(transfer, future)
            self._cancelling.discard(transfer_id)
            changed += self._pump()
            self._touch()
        self._notify(changed)

    def _record_outcome(self, transfer: Transfer, future: Future[Any]) -> list[Transfer]:
        error = future.exception()
        if error is None and transfer.is_folder:
            return self._expand(transfer, future.result())
        transfer.rate, transfer.eta, transfer.contention = 0.0, None, None
        if error is None:
            transfer.status = TransferStatus.DONE
            self._add_done(transfer, future.result() - transfer.done)
            transfer.size = transfer.done if transfer.size is None else transfer.size
        elif isinstance(error, Cancelled) or transfer.id in self._cancelling:
            transfer.status = TransferStatus.CANCELLED
        else:
            transfer.status, transfer.error = TransferStatus.FAILED, describe_error(error)
        transfer.resume_partial = transfer.direction is TransferDirection.DOWNLOAD and transfer.status is not TransferStatus.DONE
        return self._child_finished(transfer)

    def _expand(self, folder: Transfer, plan: _FolderPlan) -> list[Transfer]:
        """A walked folder: its files join the queue right after it (before later rows)."""
        if folder.id in self._cancelling:
            folder.status = TransferStatus.CANCELLED
            return []
        children = [self._child_of(folder, item) for item in plan.files]
        folder.children, folder.folders = len(children), tuple(plan.folders)
        folder.size = sum(child.size or 0 for child in children)
        folder.status = TransferStatus.RUNNING
        if plan.skipped:
            folder.error = f"skipped unsafe names: {', '.join(plan.skipped[:3])}"
        for child in children:
            self._transfers[child.id] = child
            self._count(child)
        self._pending.extendleft(reversed([child.id for child in children]))
        if not children:
            return self._folder_complete(folder)
        return []  # queued files need no attention (a walk may queue 100,000 of them)

    def _child_of(self, folder: Transfer, item: _FilePlan) -> Transfer:
        return Transfer(
            id=f"t{next(self._ids)}",
            direction=folder.direction,
            local_path=item.local_path,
            remote_dir=item.remote_dir,
            remote_name=item.remote_name,
            size=item.size,
            move=folder.move,
            parent_id=folder.id,
            target_exists=item.target_exists,
            taken_names=item.taken_names,
        )

    def _child_finished(self, transfer: Transfer) -> list[Transfer]:
        """Count a finished file against its folder; the folder ends when its last file does."""
        parent = self._transfers.get(transfer.parent_id) if transfer.parent_id else None
        if parent is None:
            return []
        parent.finished_children += 1
        if transfer.status is not TransferStatus.DONE:
            parent.failed_children += 1
        if parent.finished_children < parent.children:
            return []
        return [parent, *self._folder_complete(parent)]

    def _folder_complete(self, folder: Transfer) -> list[Transfer]:
        failed = folder.failed_children
        if folder.id in self._cancelling:
            self._cancelling.discard(folder.id)
            folder.status = TransferStatus.CANCELLED
        elif failed:
            folder.status = TransferStatus.FAILED
            folder.error = f"{failed} of {folder.children} files not copied"
        else:
            folder.status = TransferStatus.DONE
            if folder.move:
                self._remove_source_folders(folder)
        folder.rate, folder.eta = 0.0, None
        return [folder]

    def _remove_source_folders(self, folder: Transfer) -> None:
        """After a folder move: remove the (now empty) source folders, deepest first."""
        folders = list(reversed(folder.folders))
        slot = self._slots[0]
        if folder.direction is TransferDirection.UPLOAD:
            job: Callable[[FTPSession], None] = lambda session: _remove_local_folders(folders)
        else:
            job = lambda session: _remove_remote_folders(session, slot, folders)
        future = slot.runner.submit(job)
        future.add_done_callback(lambda done: self._cleanup_done(folder.id, done))

    def _cleanup_done(self, folder_id: str, future: Future[None]) -> None:
        error = future.exception()
        if error is None:
            return
        with self._lock:
            folder = self._transfers.get(folder_id)
            if folder is None:
                return
            folder.status, folder.error = TransferStatus.FAILED, f"copied, but the source folder stays: {describe_error(error)}"
            self._touch()
        self._notify([folder])

    # == helpers (lock held) =======================================================================
    def _cancel_locked(self, transfer_id: str) -> list[Transfer]:
        transfer = self._transfers.get(transfer_id)
        if transfer is None or transfer.status.finished:
            return []
        if transfer.is_folder and transfer.status is TransferStatus.RUNNING:
            self._cancelling.add(transfer_id)  # it ends (cancelled) with its last file
            return [item for child in self._children(transfer_id) for item in self._cancel_locked(child.id)]
        if any(slot.transfer_id == transfer_id for slot in self._slots):
            self._cancelling.add(transfer_id)
            for slot in self._slots:
                if slot.transfer_id == transfer_id:
                    slot.runner.cancel_current()
                    if transfer.status is TransferStatus.WAITING:
                        self._force_later(slot, transfer_id)
            return []
        transfer.status, transfer.contention = TransferStatus.CANCELLED, None
        return [transfer, *self._child_finished(transfer)]

    def _force_later(self, slot: _Slot, transfer_id: str) -> None:
        """A server-side z/OS wait keeps the session in a reply, where a cancel cannot reach it:
        if the job is still there after a grace period, its control connection is cut."""

        def force() -> None:
            with self._lock:
                still_running = slot.transfer_id == transfer_id and transfer_id in self._cancelling
            if still_running:
                _interrupt(slot.runner)

        timer = threading.Timer(CANCEL_GRACE, force)
        timer.daemon = True
        timer.start()

    def _requeue(self, transfer: Transfer) -> list[Transfer]:
        if transfer.parent_id and (parent := self._transfers.get(transfer.parent_id)) is not None:
            parent.finished_children -= 1
            parent.failed_children -= 1
            parent.status, parent.error = TransferStatus.RUNNING, ""
        if transfer.is_folder and transfer.children:
            transfer.status, transfer.error = TransferStatus.RUNNING, ""
            return [transfer]
        transfer.status, transfer.error, transfer.contention = TransferStatus.QUEUED, "", None
        self._add_done(transfer, -transfer.done)
        self._pending.append(transfer.id)
        return [transfer]

    def _children(self, folder_id: str) -> list[Transfer]:
        return [t for t in self._transfers.values() if t.parent_id == folder_id]

    def _has_unfinished_children(self, transfer: Transfer) -> bool:
        return transfer.is_folder and transfer.finished_children < transfer.children

    def _add_done(self, transfer: Transfer, delta: int) -> None:
        transfer.done += delta
        self._changed[transfer.id] = None
        parent = self._transfers.get(transfer.parent_id) if transfer.parent_id else None
        if parent is not None:
            parent.done += delta
            self._changed[parent.id] = None

    def _touch(self) -> None:
        self.revision += 1
        self._idle.notify_all()

    def _notify(self, changed: list[Transfer]) -> None:
        if not changed:
            return
        copies: dict[str, Transfer] = {}
        with self._lock:
            for transfer in changed:
                copies[transfer.id] = replace(transfer)
                self._changed[transfer.id] = None
                self._count(transfer)
        self._on_change(list(copies.values()))


# == jobs' building blocks (runner thread) ==========================================================
def describe_error(error: BaseException) -> str:
    """One line for the queue's status column: ``Server error: 550 No such file``."""
    if isinstance(error, ReplyError):
        return f"{error.code} {error.lines[-1][4:] if error.lines else ''}".strip()
    if isinstance(error, FTPError):
        return f"{error.title}: {error}" if str(error) else error.title
    return f"{type(error).__name__}: {error}"


def _interrupt(runner: Runner) -> None:
    """Shut the runner's control socket down (from any thread, like a cancel shuts a data socket).

    The blocked job ends with ConnectionLost; the runner's next job connects again.
    """
    control = getattr(getattr(runner, "session", None), "control", None)
    sock = getattr(control, "sock", None)
    if sock is not None:
        interrupt_socket(sock)


def _enter(session: FTPSession, slot: _Slot, folder: str) -> None:
    """Connect when needed and change into ``folder`` unless the session is already there.

    The folder is remembered per control connection: after any reconnect (here or in the
    engine's resume loop) the session starts in the login folder again.
    """
    if not session.connected:
        session.connect()
    if slot.control is not session.control:
        slot.control, slot.cwd = session.control, None
    if folder and slot.cwd != folder:
        slot.cwd = None
        session.cwd(folder)
        slot.cwd = folder


def _make_local_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise LocalFileError(f"cannot create {folder}: {error.strerror or error}") from error


def _remove_local(path: Path) -> None:
    try:
        path.unlink()
    except OSError as error:
        raise LocalFileError(f"copied, but cannot remove {path}: {error.strerror or error}") from error


def _remove_local_folders(folders: Sequence[str]) -> None:
    for folder in folders:
        try:
            os.rmdir(folder)
        except OSError as error:
            raise LocalFileError(f"cannot remove {folder}: {error.strerror or error}") from error


def _remove_remote_folders(session: FTPSession, slot: _Slot, folders: Sequence[str]) -> None:
    slot.cwd = None
    for folder in folders:
        session.rmdir(folder)


def _local_size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _walk_remote(session: FTPSession, slot: _Slot, folder: Transfer, cancelled: Callable[[], bool]) -> _FolderPlan:
    """List the remote tree below ``folder`` breadth-first; every name passes the safe-path check."""
    plan = _FolderPlan()
    _enter(session, slot, folder.remote_dir)
    slot.cwd = None
    top = session.cwd(folder.remote_name)
    queue: deque[tuple[str, Path]] = deque([(top, folder.local_path)])
    while queue:
        if cancelled():
            raise Cancelled("folder copy cancelled")
        remote, local = queue.popleft()
        plan.folders.append(remote)
        _walk_remote_folder(session, slot, remote, local, plan, queue)
    return plan


def _walk_remote_folder(
    session: FTPSession, slot: _Slot, remote: str, local: Path, plan: _FolderPlan, queue: deque[tuple[str, Path]]
) -> None:
    _enter(session, slot, remote)
    for entry in session.list_dir():
        if entry.name in _PARENT_NAMES or entry.kind is EntryKind.OTHER:
            continue
        try:
            local_path = safe_local_path(local, entry.name)
        except LocalFileError:
            plan.skipped.append(entry.name)
            continue
        if entry.is_dir:
            slot.cwd = None
            queue.append((session.cwd(entry.name), local_path))
            session.cwd(remote)
            slot.cwd = remote
        else:
            plan.files.append(_FilePlan(local_path, remote, entry.name, entry.size))


def _walk_local(session: FTPSession, slot: _Slot, folder: Transfer, cancelled: Callable[[], bool]) -> _FolderPlan:
    """Create the remote folders for a local tree and plan its files (names taken are noted)."""
    plan = _FolderPlan()
    remote_of: dict[str, str] = {str(folder.local_path.parent): folder.remote_dir}
    for current, folder_names, file_names in os.walk(folder.local_path, onerror=_raise_local):
        if cancelled():
            raise Cancelled("folder copy cancelled")
        folder_names.sort()
        path = Path(current)
        remote, taken = _remote_folder(session, slot, remote_of[str(path.parent)], path.name)
        remote_of[current] = remote
        plan.folders.append(current)
        for name in sorted(file_names):
            if (path / name).is_file():
                plan.files.append(_FilePlan(path / name, remote, name, _local_size(path / name), name in taken, taken))
    return plan


def _raise_local(error: OSError) -> None:
    raise LocalFileError(f"cannot read {error.filename}: {error.strerror or error}")


def _remote_folder(session: FTPSession, slot: _Slot, parent: str, name: str) -> tuple[str, frozenset[str]]:
    """Enter ``parent/name`` on the server, creating it when missing; returns its path and its names."""
    _enter(session, slot, parent)
    existing = {entry.name: entry for entry in session.list_dir()}
    if name in existing and not existing[name].is_dir:
        raise LocalFileError(f"cannot upload the folder {name}: a file of that name is on the server")
    if name not in existing:
        session.mkdir(name)
    slot.cwd = None
    remote = session.cwd(name)
    slot.cwd = remote
    taken = frozenset(entry.name for entry in session.list_dir()) if name in existing else frozenset()
    return remote, taken
