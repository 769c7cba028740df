"""list_local on real temporary folders: files, folders, symlinks, odd names, unreadable folders."""

from __future__ import annotations

import grp
import os
import pwd
import tempfile
from datetime import datetime
from pathlib import Path

import pytest

from tui_ftp.engine.errors import LocalFileError
from tui_ftp.engine.listing.model import Entry, EntryKind
from tui_ftp.localfs import TARGET_KIND, is_enterable, list_local

NOBODY = 65534


def _by_name(entries: list[Entry]) -> dict[str, Entry]:
    return {entry.name: entry for entry in entries}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "data.bin").write_bytes(b"x" * 1234)
    (tmp_path / "data.bin").chmod(0o644)
    (tmp_path / "script.sh").write_text("#!/bin/sh\n")
    (tmp_path / "script.sh").chmod(0o750)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "inner.txt").write_text("inner")
    (tmp_path / ".hidden").write_text("h")
    (tmp_path / "to-sub").symlink_to("sub")
    (tmp_path / "to-data").symlink_to("data.bin")
    (tmp_path / "dangling").symlink_to("does-not-exist")
    os.utime(tmp_path / "data.bin", (1_700_000_000, 1_700_000_000))
    return tmp_path


def test_lists_every_entry_without_dot_names(folder: Path) -> None:
    names = {entry.name for entry in list_local(folder)}
    assert names == {"data.bin", "script.sh", "sub", ".hidden", "to-sub", "to-data", "dangling"}


def test_file_fields(folder: Path) -> None:
    data = _by_name(list_local(folder))["data.bin"]
    assert data.kind is EntryKind.FILE
    assert data.size == 1234
    assert data.modified == datetime.fromtimestamp(1_700_000_000)
    assert data.modified.tzinfo is None
    assert data.permissions == "rw-r--r--"
    script = _by_name(list_local(folder))["script.sh"]
    assert script.permissions == "rwxr-x---"


def test_owner_and_group_are_names(folder: Path) -> None:
    data = _by_name(list_local(folder))["data.bin"]
    info = (folder / "data.bin").stat()
    assert data.owner == pwd.getpwuid(info.st_uid).pw_name
    assert data.group == grp.getgrgid(info.st_gid).gr_name


def test_folder_has_no_size(folder: Path) -> None:
    sub = _by_name(list_local(folder))["sub"]
    assert sub.kind is EntryKind.DIR
    assert sub.size is None
    assert is_enterable(sub, folder)


def test_symlinks_keep_their_kind_and_target(folder: Path) -> None:
    entries = _by_name(list_local(folder))
    to_sub, to_data, dangling = entries["to-sub"], entries["to-data"], entries["dangling"]
    assert (to_sub.kind, to_sub.link_target, to_sub.attrs) == (EntryKind.LINK, "sub", {TARGET_KIND: "dir"})
    assert (to_data.kind, to_data.link_target, to_data.attrs) == (EntryKind.LINK, "data.bin", {TARGET_KIND: "file"})
    assert dangling.attrs == {TARGET_KIND: "broken"}
    assert dangling.link_target == "does-not-exist"


def test_only_folders_and_links_to_folders_are_enterable(folder: Path) -> None:
    entries = _by_name(list_local(folder))
    assert is_enterable(entries["to-sub"], folder)
    assert not is_enterable(entries["to-data"], folder)
    assert not is_enterable(entries["dangling"], folder)
    assert not is_enterable(entries["data.bin"], folder)


def test_undecodable_names_survive_as_surrogate_escapes(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/bad-\xff-name"
    with open(raw, "wb") as handle:
        handle.write(b"1")
    (entry,) = list_local(tmp_path)
    assert entry.name == "bad-\udcff-name"
    assert os.fsencode(entry.name) == b"bad-\xff-name"


def test_special_files_are_other(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (entry,) = list_local(tmp_path)
    assert entry.kind is EntryKind.OTHER


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LocalFileError, match="does not exist"):
        list_local(tmp_path / "nope")


def test_a_file_is_not_a_folder(folder: Path) -> None:
    with pytest.raises(LocalFileError, match="data.bin"):
        list_local(folder / "data.bin")


def _list_error_as_nobody(path: Path) -> str:
    """Run list_local in a forked child that dropped root, and return its error message."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        message = "listed without error"
        try:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            list_local(path)
        except LocalFileError as error:
            message = f"LocalFileError: {error}"
        except BaseException as error:  # noqa: BLE001 - reported to the parent
            message = f"{type(error).__name__}: {error}"
        os.write(write_end, message.encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        message = reader.read().decode()
    os.waitpid(pid, 0)
    return message


def test_unreadable_folder_is_permission_denied() -> None:
    base = Path(tempfile.mkdtemp())
    try:
        base.chmod(0o755)
        locked = base / "locked"
        locked.mkdir()
        (locked / "secret").write_text("s")
        locked.chmod(0)
        if os.geteuid() == 0:
            message = _list_error_as_nobody(locked)
        else:
            with pytest.raises(LocalFileError) as caught:
                list_local(locked)
            message = f"LocalFileError: {caught.value}"
        assert message == f"LocalFileError: cannot list {locked}: permission denied"
    finally:
        (base / "locked").chmod(0o700)
        (base / "locked" / "secret").unlink()
        (base / "locked").rmdir()
        base.rmdir()
