"""The real Unix account the Debian servers log in (created on demand; the tests run as root)."""

from __future__ import annotations

import fcntl
import os
import pwd
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .base import PASSWORD, ServerUnavailable, fill_home, remove_tree, run_checked

USER = "tuiftp"
_LOCK = Path(tempfile.gettempdir()) / "tui-ftp-unix-user.lock"
_SERVED_NAME = re.compile(r"[a-z-]+-(?P<pid>\d+)-\w+")


@dataclass(frozen=True)
class UnixUser:
    name: str
    uid: int
    gid: int
    home: Path


def ensure_unix_user() -> UnixUser:
    """Create ``tuiftp`` (shell /bin/bash, as vsftpd's PAM wants a listed shell) and set its password.

    Several test sessions may run at once, so this is serialised by a lock file.
    """
    if os.geteuid() != 0:
        raise ServerUnavailable(f"creating the Unix user {USER!r} needs root")
    with _locked():
        if not _exists(USER):
            run_checked(["useradd", "--create-home", "--shell", "/bin/bash", USER])
        run_checked(["chpasswd"], stdin=f"{USER}:{PASSWORD}\n")
    entry = pwd.getpwnam(USER)
    return UnixUser(USER, entry.pw_uid, entry.pw_gid, Path(entry.pw_dir))


def make_served_folder(user: UnixUser, software: str) -> Path:
    """A fresh folder in the user's home, filled with the sample files and owned by the user.

    Its name carries this process's id, so folders left by killed test sessions can be removed.
    """
    user.home.mkdir(parents=True, exist_ok=True)
    os.chown(user.home, user.uid, user.gid)
    _remove_orphans(user.home)
    folder = Path(tempfile.mkdtemp(prefix=f"{software}-{os.getpid()}-", dir=user.home))
    folder.chmod(0o755)
    fill_home(folder, owner=(user.uid, user.gid))
    return folder


def _remove_orphans(home: Path) -> None:
    """Remove served folders whose test process is gone (it was killed before its teardown)."""
    for folder in home.iterdir():
        match = _SERVED_NAME.fullmatch(folder.name)
        if match and folder.is_dir() and not _alive(int(match["pid"])):
            remove_tree(folder)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@contextmanager
def _locked() -> Iterator[None]:
    with open(_LOCK, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
