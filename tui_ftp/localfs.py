"""Listing a local folder as the same :class:`Entry` records the remote parsers produce.

One ``os.scandir`` pass and one ``lstat`` per entry (the directory entry already knows whether it
is a symlink); owner and group names are looked up once per id. A symlink stays a ``LINK`` entry with
its target in ``link_target``; ``attrs["target_kind"]`` says what it points to (``"dir"``, ``"file"``,
``"other"`` or ``"broken"``) so a pane can sort links to folders with the folders and enter them.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from tui_ftp.engine.errors import LocalFileError
from tui_ftp.engine.listing.model import Entry, EntryKind
from tui_ftp.engine.transfer import local_error

__all__ = ["TARGET_KIND", "is_enterable", "list_local"]

#: The ``attrs`` key of a symlink entry naming what the link points to.
TARGET_KIND = "target_kind"

_new_entry = tuple.__new__  # Entry's own __new__ is a Python function; this skips it (as the parsers do)


def list_local(path: str | os.PathLike[str]) -> list[Entry]:
    """The entries of the folder ``path`` (without ``.`` and ``..``), in the order the OS returns them.

    Raises:
        LocalFileError: the folder cannot be read (permission denied, missing, not a folder).
    """
    folder = os.fspath(path)
    try:
        with os.scandir(folder) as scan:
            return [entry for item in scan if (entry := _entry_of(item)) is not None]
    except OSError as error:
        raise local_error(error, Path(folder), "list") from error


def is_enterable(entry: Entry, base: str | os.PathLike[str]) -> bool:
    """True for a folder, or a symlink that (still) points to a folder inside ``base``'s listing."""
    if entry.kind is EntryKind.DIR:
        return True
    if entry.kind is not EntryKind.LINK:
        return False
    return os.path.isdir(os.path.join(os.fspath(base), entry.name))


def _entry_of(item: os.DirEntry[str]) -> Entry | None:
    """One directory entry; ``None`` when it vanished between the scan and the ``lstat``."""
    try:
        info = item.stat(follow_symlinks=False)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise LocalFileError(f"cannot read {item.path}: {error.strerror or error}") from error
    mode = info.st_mode
    kind = _kind_of(mode)
    target, attrs = _link_details(item) if kind is EntryKind.LINK else (None, None)
    size = None if kind is EntryKind.DIR else info.st_size
    fields = (
        item.name,
        kind,
        size,
        datetime.fromtimestamp(info.st_mtime),
        stat.filemode(mode)[1:],
        _user_name(info.st_uid),
        _group_name(info.st_gid),
        target,
        attrs,
        "",
    )
    entry: Entry = _new_entry(Entry, fields)
    return entry


def _kind_of(mode: int) -> EntryKind:
    if stat.S_ISDIR(mode):
        return EntryKind.DIR
    if stat.S_ISLNK(mode):
        return EntryKind.LINK
    if stat.S_ISREG(mode):
        return EntryKind.FILE
    return EntryKind.OTHER


def _link_details(item: os.DirEntry[str]) -> tuple[str | None, dict[str, str]]:
    """The link's target text and what it points to (a broken link is still listed)."""
    try:
        target: str | None = os.readlink(item.path)
    except OSError:
        target = None
    try:
        pointed = os.stat(item.path).st_mode
    except OSError:
        return target, {TARGET_KIND: "broken"}
    if stat.S_ISDIR(pointed):
        return target, {TARGET_KIND: "dir"}
    return target, {TARGET_KIND: "file" if stat.S_ISREG(pointed) else "other"}


@lru_cache(maxsize=1024)
def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


@lru_cache(maxsize=1024)
def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)
