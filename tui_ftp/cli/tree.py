"""Recursive download and upload: walking a remote (or local) tree safely.

Every remote name is checked by :mod:`tui_ftp.engine.safepath` before it becomes a local path;
names that fail, server-side symbolic links and special entries are skipped and reported, never
followed. Depth is capped, so a server that invents folders forever cannot keep a job running.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..engine import zos
from ..engine.errors import PermanentReplyError, UnsafePathError, UsageError
from ..engine.listing import Entry
from ..engine.listing.model import EntryKind
from ..engine.options import ServerType, TransferType
from ..engine.safepath import safe_local_path, unsafe_reason
from ..engine.session import FTPSession
from ..engine.transfer import local_error, part_path

MAX_DEPTH = 64
_DATASET_LIKE = re.compile(r"/[^/']*[.(][^/']*")
_PARENT_REFERENCES = frozenset((".", ".."))


@dataclass
class TreeReport:
    """What a recursive transfer did: counts, and every entry it left out with the reason."""

    files: int = 0
    folders: int = 0
    bytes: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def skip(self, path: str, reason: str) -> None:
        self.skipped.append((path, reason))


@dataclass(frozen=True)
class TransferSettings:
    transfer_type: TransferType | None = None
    resume: bool = False


# -- remote folders -----------------------------------------------------------------------------


class RemoteFolder(Protocol):
    """A remote folder as a walk needs it: its entries and the paths of its children."""

    @property
    def display(self) -> str: ...

    def entries(self, session: FTPSession) -> list[Entry]: ...

    def child_file(self, name: str) -> str: ...

    def child_folder(self, name: str) -> RemoteFolder: ...


@dataclass(frozen=True)
class UnixFolder:
    path: str  # "" = the login folder

    @property
    def display(self) -> str:
        return self.path or "."

    def entries(self, session: FTPSession) -> list[Entry]:
        return session.list_dir(self.path or None)

    def child_file(self, name: str) -> str:
        return posixpath.join(self.path, name) if self.path else name

    def child_folder(self, name: str) -> UnixFolder:
        return UnixFolder(self.child_file(name))


@dataclass(frozen=True)
class MvsFolder:
    """A z/OS data set prefix or partitioned data set; listed after CWD, like z/OS users do."""

    path: zos.MvsPath

    @property
    def display(self) -> str:
        return self.path.display()

    def entries(self, session: FTPSession) -> list[Entry]:
        session.cwd(self.path.cwd_argument())
        return session.list_dir()

    def child_file(self, name: str) -> str:
        return self.path.target(name)

    def child_folder(self, name: str) -> MvsFolder:
        return MvsFolder(self.path.enter(name))


def remote_folder(session: FTPSession, path: str) -> RemoteFolder:
    """The folder ``path`` names; on z/OS unquoted names are relative to the login prefix."""
    if session.server_type is ServerType.MVS and not path.startswith("/"):
        here = zos.MvsPath.from_pwd_reply(_pwd_reply(session))
        return MvsFolder(here.enter(path) if path else here)
    return UnixFolder(path.rstrip("/") if path not in ("", "/") else path)


def session_path(session: FTPSession, path: str) -> str:
    """The URL's path as this server reads it.

    A URL path starts with ``/``; on z/OS ``ftp://host/ALFRED.PDSE(MEM)`` means the data set
    relative to the login prefix, as z/OS users write it, so one segment that looks like a data
    set name (a dot or a member) loses the slash. ``/u/user1/x`` stays a z/OS UNIX path.
    """
    if session.server_type is ServerType.MVS and _DATASET_LIKE.fullmatch(path):
        return path[1:]
    return path


def _pwd_reply(session: FTPSession) -> str:
    return session.quote("PWD").text


def remote_basename(path: str) -> str:
    """The last part of a remote path: ``/a/b.txt`` → ``b.txt``; ``'USER1.PDS(MEM)'`` → ``USER1.PDS(MEM)``."""
    stripped = path.strip()
    if stripped.startswith("'") and stripped.endswith("'") and len(stripped) >= 2:
        return stripped[1:-1]
    return posixpath.basename(stripped.rstrip("/"))


# -- download -----------------------------------------------------------------------------------


def download_tree(
    session: FTPSession, folder: RemoteFolder, local: Path, settings: TransferSettings, report: TreeReport, depth: int = 0
) -> None:
    """Copy ``folder`` into the local folder ``local`` (created), depth first."""
    _make_local_folder(local)
    report.folders += 1
    for entry in folder.entries(session):
        if entry.name in _PARENT_REFERENCES:
            continue
        shown = f"{folder.display.rstrip('/')}/{entry.name}"
        target = _checked_local_target(local, entry, shown, report)
        if target is None:
            continue
        if entry.kind is EntryKind.DIR:
            if depth + 1 >= MAX_DEPTH:
                report.skip(shown, f"deeper than {MAX_DEPTH} folders")
                continue
            download_tree(session, folder.child_folder(entry.name), target, settings, report, depth + 1)
        else:
            report.bytes += download_file(session, folder.child_file(entry.name), target, settings, shown)
            report.files += 1


def download_file(session: FTPSession, remote: str, local: Path, settings: TransferSettings, transfer_id: str) -> int:
    """``session.download``, minus the empty ``.part`` file a refused RETR (550) would leave behind.

    A part file that holds bytes is kept: ``--resume`` continues it.
    """
    part = part_path(local)
    existed = part.exists()
    try:
        return session.download(
            remote, local, transfer_type=settings.transfer_type, resume=settings.resume, transfer_id=transfer_id
        )
    except BaseException:
        if not existed and _is_empty_file(part):
            part.unlink(missing_ok=True)
        raise


def _is_empty_file(path: Path) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_size == 0
    except OSError:
        return False


def _checked_local_target(local: Path, entry: Entry, shown: str, report: TreeReport) -> Path | None:
    """Where ``entry`` goes on disk, or None (and a note in ``report``) when it must be skipped."""
    reason = unsafe_reason(entry.name)
    if reason is not None:
        report.skip(shown, f"unsafe name: {reason}")
        return None
    if entry.kind is EntryKind.LINK:
        report.skip(shown, "symbolic link on the server (never followed)")
        return None
    if entry.kind is EntryKind.OTHER:
        report.skip(shown, "not a regular file or folder")
        return None
    try:
        return safe_local_path(local, entry.name)
    except UnsafePathError as error:
        report.skip(shown, str(error))
        return None


def _make_local_folder(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise local_error(error, path, "create the folder") from error
    if not path.is_dir():
        raise local_error(FileExistsError(20, "not a folder"), path, "create the folder")


# -- upload -------------------------------------------------------------------------------------

Uploader = Callable[[Path, str], int]


def upload_tree(
    session: FTPSession, local: Path, remote: str, upload: Uploader, report: TreeReport, depth: int = 0
) -> None:
    """Copy the local folder ``local`` to ``remote`` (created when missing). Symlinked folders are skipped."""
    if session.server_type is ServerType.MVS and not remote.startswith("/"):
        raise UsageError("a recursive upload needs a z/OS UNIX path (/u/...); send data sets one by one")
    make_remote_folder(session, remote)
    report.folders += 1
    for child in _sorted_children(local):
        remote_child = posixpath.join(remote, child.name) if remote else child.name
        if child.is_symlink() and child.is_dir():
            report.skip(str(child), "symbolic link to a folder (not followed)")
        elif child.is_dir():
            if depth + 1 >= MAX_DEPTH:
                report.skip(str(child), f"deeper than {MAX_DEPTH} folders")
                continue
            upload_tree(session, child, remote_child, upload, report, depth + 1)
        elif child.is_file():
            report.bytes += upload(child, remote_child)
            report.files += 1
        else:
            report.skip(str(child), "not a regular file or folder")


def _sorted_children(folder: Path) -> list[Path]:
    try:
        return sorted((Path(entry.path) for entry in os.scandir(folder)), key=lambda path: path.name)
    except OSError as error:
        raise local_error(error, folder, "read the folder") from error


def make_remote_folder(session: FTPSession, path: str) -> None:
    """MKD ``path`` unless it already is a folder (then nothing happens)."""
    if not path or is_remote_folder(session, path):
        return
    session.mkdir(path)


def is_remote_folder(session: FTPSession, path: str) -> bool:
    """True when CWD into ``path`` works; the working folder is restored afterwards."""
    if not path:
        return True
    here = session.pwd()
    try:
        session.cwd(path)
    except PermanentReplyError:
        return False
    session.cwd(here)
    return True
