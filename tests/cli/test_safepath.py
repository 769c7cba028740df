"""engine.safepath: the one check between a remote name and a local path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_ftp.engine.errors import UnsafePathError
from tui_ftp.engine.safepath import check_remote_name, safe_local_path, unsafe_reason

UNSAFE = [
    "",
    ".",
    "..",
    "../x",
    "a/../../b",
    "/etc/passwd",
    "sub/file",
    "..\\x",
    "C:\\Windows\\x",
    "c:relative",
    "nul\x00byte",
    "esc\x1b[2J",
    "line\nbreak",
    "del\x7f",
]
SAFE = ["file.txt", "naïve café.txt", "名前", ".hidden", "...", "a..b", "USER1.PDS(MEM)", "trailing space "]


@pytest.mark.parametrize("name", UNSAFE)
def test_unsafe_names_are_refused_with_a_reason(name: str, tmp_path: Path) -> None:
    assert unsafe_reason(name)
    with pytest.raises(UnsafePathError):
        check_remote_name(name)
    with pytest.raises(UnsafePathError):
        safe_local_path(tmp_path, name)


@pytest.mark.parametrize("name", SAFE)
def test_ordinary_names_pass_unchanged(name: str, tmp_path: Path) -> None:
    assert check_remote_name(name) == name
    assert safe_local_path(tmp_path, name) == tmp_path.resolve() / name


def test_a_local_symlink_in_the_way_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "link.txt").symlink_to(outside)
    (folder / "inside-link").symlink_to(folder / "real")
    for name in ("link.txt", "inside-link"):
        with pytest.raises(UnsafePathError, match="symbolic link"):
            safe_local_path(folder, name)


def test_the_folder_itself_may_be_reached_through_a_symlink(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    assert safe_local_path(tmp_path / "alias", "x.bin") == tmp_path / "real" / "x.bin"


@settings(max_examples=300, deadline=None)
@given(name=st.text(min_size=0, max_size=30))
def test_any_accepted_name_stays_inside_the_folder(name: str) -> None:
    folder = Path(os.sep, "nonexistent-tui-ftp-test", "downloads")
    try:
        path = safe_local_path(folder, name)
    except UnsafePathError:
        return
    assert path.parent == folder
    assert os.path.normpath(path) == str(path)
