"""The two sides a pane can show: this machine's disk and the server. One interface, two backends.

Every action of the app (enter, up, mkdir, delete, rename, chmod, view, edit) is written once
against :class:`Side`; :class:`LocalSide` runs file-system calls in a thread, :class:`RemoteSide`
runs jobs on the connection's browsing session. Both raise engine errors (``FTPError``), which the
app turns into notifications.

Remote places are what the server says in ``PWD`` (``/pub`` or z/OS ``'USER1.'``); entries are
addressed by their listed name relative to that folder, which is right on Unix and z/OS alike.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import stat
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..engine.errors import ConnectionLost, LocalFileError, UsageError
from ..engine.listing import Entry, EntryKind
from ..engine.options import ServerType
from ..engine.safepath import safe_local_path
from ..engine.session import FTPSession
from ..engine.zos import MvsPath, MvsPathKind
from ..localfs import is_enterable, list_local
from .connection import RemoteConnection

VIEW_LIMIT = 8 << 20  # bytes a pager shows at most


@dataclass(frozen=True)
class Listing:
    """A folder and what it holds."""

    path: str
    entries: list[Entry]
    column_set: str = "files"


def _local_error(error: OSError, action: str, path: str | Path) -> LocalFileError:
    return LocalFileError(f"cannot {action} {path}: {error.strerror or error}")


class Side(ABC):
    """What a pane needs from where its files live."""

    remote: bool = False
    label: str = ""

    @abstractmethod
    async def list(self, path: str) -> Listing: ...

    @abstractmethod
    async def enter(self, path: str, name: str) -> Listing: ...

    @abstractmethod
    async def up(self, path: str) -> Listing: ...

    @abstractmethod
    async def mkdir(self, path: str, name: str) -> None: ...

    @abstractmethod
    async def delete(self, path: str, entries: Sequence[Entry]) -> None: ...

    @abstractmethod
    async def rename(self, path: str, old: str, new: str) -> None: ...

    @abstractmethod
    async def chmod(self, path: str, entry: Entry, mode: str) -> None: ...

    @abstractmethod
    async def fetch(self, path: str, entry: Entry, folder: Path) -> Path:
        """A local file with ``entry``'s content (the file itself on the local side)."""

    @abstractmethod
    async def store(self, path: str, name: str, local: Path) -> None:
        """Write ``local`` back as ``name`` (after an edit)."""

    def display(self, path: str) -> str:
        return path


class LocalSide(Side):
    """This machine's file system (blocking calls run in a thread)."""

    label = "Local"

    async def list(self, path: str) -> Listing:
        folder = str(Path(path or Path.home()).expanduser().resolve())
        entries = await asyncio.to_thread(list_local, folder)
        return Listing(folder, entries)

    async def enter(self, path: str, name: str) -> Listing:
        return await self.list(os.path.join(path, name))

    async def up(self, path: str) -> Listing:
        return await self.list(os.path.dirname(path.rstrip(os.sep)) or os.sep)

    async def mkdir(self, path: str, name: str) -> None:
        target = safe_local_path(path, name)
        await asyncio.to_thread(_call_local, os.mkdir, "create", target)

    async def delete(self, path: str, entries: Sequence[Entry]) -> None:
        for entry in entries:
            target = safe_local_path(path, entry.name)
            await asyncio.to_thread(_remove_local_entry, target)

    async def rename(self, path: str, old: str, new: str) -> None:
        source, target = safe_local_path(path, old), safe_local_path(path, new)
        if target.exists():
            raise LocalFileError(f"cannot rename to {new}: it already exists")
        await asyncio.to_thread(_call_local, lambda p: os.rename(p, target), "rename", source)

    async def chmod(self, path: str, entry: Entry, mode: str) -> None:
        number = _octal_mode(mode)
        target = safe_local_path(path, entry.name)
        await asyncio.to_thread(_call_local, lambda p: os.chmod(p, number), "change the mode of", target)

    async def fetch(self, path: str, entry: Entry, folder: Path) -> Path:
        return safe_local_path(path, entry.name)

    async def store(self, path: str, name: str, local: Path) -> None:
        """The editor wrote the file in place: nothing to copy."""

    def is_enterable(self, path: str, entry: Entry) -> bool:
        return is_enterable(entry, path)


def _call_local(function: object, action: str, path: Path) -> None:
    try:
        function(path)  # type: ignore[operator]
    except OSError as error:
        raise _local_error(error, action, path) from error


def _remove_local_entry(target: Path) -> None:
    """Delete a file, a link (never what it points to) or a whole folder."""
    try:
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink()
    except OSError as error:
        raise _local_error(error, "delete", target) from error


def _octal_mode(mode: str) -> int:
    text = mode.strip()
    if not text or len(text) > 4 or any(char not in "01234567" for char in text):
        raise UsageError(f"not an octal mode: {mode!r} (e.g. 644 or 0755)")
    return int(text, 8)


class RemoteSide(Side):
    """The server, through the connection's browsing session."""

    remote = True
    label = "Remote"

    def __init__(self, connection: RemoteConnection) -> None:
        self.connection = connection
        self._cwd: str | None = None  # where the browsing session is (updated on its thread)

    @property
    def mvs(self) -> bool:
        return self.connection.session.server_type is ServerType.MVS

    async def list(self, path: str) -> Listing:
        return await self.connection.call(lambda session: self._listing(session, path or None))

    async def enter(self, path: str, name: str) -> Listing:
        def job(session: FTPSession) -> Listing:
            self._at(session, path)
            self._cwd = None
            self._cwd = session.cwd(name)
            return self._listing(session, self._cwd)

        return await self.connection.call(job)

    async def up(self, path: str) -> Listing:
        def job(session: FTPSession) -> Listing:
            self._at(session, path)
            self._cwd = None
            self._cwd = session.cdup()
            return self._listing(session, self._cwd)

        return await self.connection.call(job)

    async def mkdir(self, path: str, name: str) -> None:
        await self._in(path, lambda session: session.mkdir(name))

    async def delete(self, path: str, entries: Sequence[Entry]) -> None:
        def job(session: FTPSession) -> None:
            for entry in entries:
                self._at(session, path)
                self._delete_entry(session, path, entry)

        await self.connection.call(job)

    async def rename(self, path: str, old: str, new: str) -> None:
        await self._in(path, lambda session: session.rename(old, new))

    async def chmod(self, path: str, entry: Entry, mode: str) -> None:
        _octal_mode(mode)
        await self._in(path, lambda session: session.chmod(mode.strip(), entry.name))

    async def fetch(self, path: str, entry: Entry, folder: Path) -> Path:
        target = safe_local_path(folder, entry.name)
        await self._in(path, lambda session: session.download(entry.name, target))
        return target

    async def store(self, path: str, name: str, local: Path) -> None:
        await self._in(path, lambda session: session.upload(local, name))

    async def _in(self, path: str, action: object) -> object:
        def job(session: FTPSession) -> object:
            self._at(session, path)
            return action(session)  # type: ignore[operator]

        return await self.connection.call(job)

    # -- on the session's thread ----------------------------------------------------------------
    def _at(self, session: FTPSession, path: str) -> None:
        """Make sure the session is in ``path``; a dropped connection is reported, not redialled."""
        if not session.connected:
            self._cwd = None
            raise ConnectionLost("the connection to the server was closed")
        if path and self._cwd != path:
            self._cwd = None
            self._cwd = session.cwd(path)

    def _listing(self, session: FTPSession, path: str | None) -> Listing:
        if path is None:
            self._at(session, "")
            self._cwd = session.pwd()
        else:
            self._at(session, path)
        entries = [entry for entry in session.list_dir() if entry.name not in (".", "..")]
        return Listing(self._cwd or "", entries, column_set_for(entries, session.server_type is ServerType.MVS, self._cwd or ""))

    def _delete_entry(self, session: FTPSession, path: str, entry: Entry) -> None:
        """Files with DELE; folders emptied first, then RMD. z/OS datasets (even a PDS) are DELEted."""
        if not entry.is_dir or session.server_type is ServerType.MVS:
            session.delete(entry.name)
            return
        self._cwd = None
        inside = session.cwd(entry.name)
        self._cwd = inside
        for child in session.list_dir():
            if child.name in (".", ".."):
                continue
            self._at(session, inside)
            self._delete_entry(session, inside, child)
        self._at(session, path)
        session.rmdir(entry.name)


def column_set_for(entries: Sequence[Entry], mvs: bool, path: str) -> str:
    """Which FileList column set fits a listing: ``files``, ``mvs``, ``mvs-members`` or ``jes``."""
    if not mvs:
        return "files"
    attrs = next((entry.attrs for entry in entries if entry.attrs and not entry.unparsed), None)
    if attrs:
        if "jobid" in attrs or "ddname" in attrs or "jobname" in attrs:
            return "jes"
        if "dsorg" in attrs or "volume" in attrs:
            return "mvs"
        return "mvs-members"
    try:
        kind = MvsPath.parse(path).kind
    except UsageError:
        return "files"
    return {MvsPathKind.PREFIX: "mvs", MvsPathKind.PDS: "mvs-members"}.get(kind, "files")


def temp_folder(prefix: str = "tui-ftp-") -> Path:
    """A private folder for view and edit copies (mode 0700)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(stat.S_IRWXU)
    return folder


def read_text_for_pager(path: Path, limit: int = VIEW_LIMIT) -> tuple[str, bool]:
    """The file's text (undecodable bytes shown as escapes), and whether it was cut at ``limit``."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise _local_error(error, "read", path) from error
    cut = len(data) > limit
    return data[:limit].decode("utf-8", "surrogateescape"), cut


def is_probably_binary(text: str) -> bool:
    return "\x00" in text[:8192]


def entry_is_file(entry: Entry) -> bool:
    return entry.kind in (EntryKind.FILE, EntryKind.LINK)
