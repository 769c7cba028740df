"""The one check every remote name passes before it becomes a local path.

A server chooses the names in its listings. A recursive download that trusts them writes wherever
the server likes: ``../../.bashrc``, ``/etc/cron.d/x``, ``C:\\Windows\\...``, or through a local
symlink (wget CVE-2002-1344 and CVE-2014-4877, Total Commander CVE-2007-4756, basic-ftp
CVE-2026-27699). A remote name is therefore accepted only as ONE plain path component, and the
joined path must still lie inside the folder the user chose once resolved.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import UnsafePathError

_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SEPARATORS = ("/", "\\")
# Device names Windows opens instead of a file, whatever the extension (CON.txt is the console).
_WINDOWS_DEVICES = frozenset(
    ["CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))]
)


def unsafe_reason(name: str) -> str | None:
    """Why ``name`` cannot be used as one local path component, or None when it can."""
    if name in ("", ".", ".."):
        return "not a file name" if not name else f"{name!r} is a relative folder reference"
    if "\x00" in name:
        return "contains a NUL character"
    if _CONTROL.search(name):
        return "contains a control character"
    if any(separator in name for separator in _SEPARATORS):
        return "contains a path separator"
    if _DRIVE.match(name):
        return "starts with a drive letter"
    if os.name == "nt" and _is_windows_special(name):
        return "is a reserved name on Windows"
    return None


def check_remote_name(name: str) -> str:
    """Return ``name`` unchanged when it is one safe path component; raise :class:`UnsafePathError`."""
    reason = unsafe_reason(name)
    if reason is not None:
        raise UnsafePathError(f"unsafe remote name {name!r}: {reason}")
    return name


def safe_local_path(folder: str | Path, name: str) -> Path:
    """``folder / name`` after checking ``name``; the result never leaves ``folder``.

    A local symlink already sitting at that place and pointing elsewhere is refused too: the
    resolved path must stay inside the resolved folder.
    """
    check_remote_name(name)
    base = Path(folder).resolve()
    candidate = base / name
    if candidate.is_symlink():
        raise UnsafePathError(f"refusing to write through the local symbolic link {candidate}")
    if not candidate.resolve().is_relative_to(base):
        raise UnsafePathError(f"unsafe remote name {name!r}: {candidate} leads outside {base}")
    return candidate


def _is_windows_special(name: str) -> bool:
    stem = name.split(".", 1)[0].rstrip(" ").upper()
    return stem in _WINDOWS_DEVICES or name.endswith((" ", ".")) or any(char in name for char in '<>:"|?*')
