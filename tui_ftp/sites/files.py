"""Private files: atomic writes with mode 0600 in 0700 folders, TOML reads that report the line.

Every file of :mod:`tui_ftp.sites` goes through here, so a crash or a full disk never leaves a
half-written file, and a damaged file is reported as ``file:line: message`` instead of a traceback.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import tomli_w

from .errors import SiteFileError

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")
_TOML_HEADER = re.compile(r"^\s*\[\[?[^\[\],]*\]\]?\s*(#.*)?$")
_T = TypeVar("_T")


@dataclass(frozen=True)
class TomlDocument:
    """A parsed TOML file with the text it came from (to find lines) and a digest of its bytes."""

    path: Path
    data: dict[str, Any]
    text: str
    digest: str

    def line_of(self, table: str | None, index: int | None, key: str | None) -> int | None:
        """The line of ``key`` in the ``index``-th ``[[table]]`` (or the root when table is None)."""
        return locate_key(self.text, table, index, key)

    def error(self, message: str, table: str | None = None, index: int | None = None, key: str | None = None) -> SiteFileError:
        """A :class:`SiteFileError` pointing at ``key`` of the ``index``-th ``[[table]]``."""
        return SiteFileError(self.path, message, self.line_of(table, index, key))

    def tables(self, name: str) -> list[dict[str, Any]]:
        """The ``[[name]]`` array of tables (empty when absent); anything else is an error."""
        tables = self.data.get(name, [])
        if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
            raise self.error(f"'{name}' must be a list of [[{name}]] tables", key=name)
        return tables


def ensure_private_dir(folder: Path) -> None:
    """Create ``folder`` (and its parents) and make it 0700 when it is ours and looser than that."""
    try:
        folder.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        info = folder.stat()
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
            folder.chmod(PRIVATE_DIR_MODE)
    except OSError as error:
        raise SiteFileError(folder, f"cannot create the folder: {error.strerror or error}") from error


def write_private(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically: temp file in the same folder, fsync, rename.

    The temp file is created 0600 (mkstemp), so the secret never exists with a looser mode.
    """
    ensure_private_dir(path.parent)
    try:
        descriptor, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise SiteFileError(path, f"cannot write: {error.strerror or error}") from error
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except OSError as error:
        _remove_quietly(Path(temp_name))
        raise SiteFileError(path, f"cannot write: {error.strerror or error}") from error
    _fsync_folder(path.parent)


def write_toml(path: Path, data: Mapping[str, Any], header: str = "") -> str:
    """Write ``data`` as TOML (after an optional comment header); returns the digest written."""
    raw = (header + tomli_w.dumps(dict(data))).encode("utf-8")
    write_private(path, raw)
    return digest_of(raw)


class TomlBacked:
    """Base of the objects mirrored in one private TOML file (site store, pins, history, vault).

    Before each change the file is re-read when another program (or a second tui-ftp) changed it,
    so changes are merged instead of lost. A file that cannot be read or understood raises
    :class:`SiteFileError` and is never overwritten: the digest of what was last understood is
    kept, so every later change re-reads it and fails again.
    """

    _header: str = ""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._digest: str | None = None
        self._load()

    @property
    def path(self) -> Path:
        return self._path

    def reload(self) -> None:
        """Read the file again (after the user edited it by hand, say)."""
        self._load()

    def _apply_document(self, document: TomlDocument | None) -> None:
        """Replace the in-memory state from ``document`` (None: no file yet); raise before changing anything."""
        raise NotImplementedError

    def _to_document(self) -> dict[str, Any]:
        raise NotImplementedError

    def _load(self) -> None:
        document = read_toml(self._path)
        self._apply_document(document)
        self._digest = document.digest if document else None

    def _refresh(self) -> None:
        if file_digest(self._path) != self._digest:
            self._load()

    def _change(self, apply: Callable[[], _T]) -> _T:
        """Refresh, apply the change in memory, write; a failed write goes back to the disk's state."""
        self._refresh()
        result = apply()
        self._write()
        return result

    def _write(self) -> None:
        try:
            self._digest = write_toml(self._path, self._to_document(), self._header)
        except SiteFileError:
            self._load()
            raise


def read_toml(path: Path) -> TomlDocument | None:
    """Parse a TOML file; None when it does not exist. Damage raises :class:`SiteFileError`."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise SiteFileError(path, f"cannot read: {error.strerror or error}") from error
    text = _decode(path, raw)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message, line = split_toml_error(str(error))
        raise SiteFileError(path, f"not valid TOML: {message}", line) from None
    return TomlDocument(path=path, data=data, text=text, digest=digest_of(raw))


def file_digest(path: Path) -> str | None:
    """SHA-256 of the file's bytes, None when it does not exist (to notice changes on disk)."""
    try:
        return digest_of(path.read_bytes())
    except FileNotFoundError:
        return None
    except OSError as error:
        raise SiteFileError(path, f"cannot read: {error.strerror or error}") from error


def digest_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def split_toml_error(message: str) -> tuple[str, int | None]:
    """``"Invalid value (at line 3, column 7)"`` → ``("Invalid value", 3)``."""
    match = _TOML_POSITION.search(message)
    if not match:
        return message, None
    return message[: match.start()], int(match.group(1))


def locate_key(text: str, table: str | None, index: int | None, key: str | None) -> int | None:
    """Best-effort line number of ``key`` in the ``index``-th ``[[table]]`` (or the ``[table]``).

    tomllib does not report where values are, so a value that parses but is wrong (an unknown
    enum name, a string where a number belongs) is located by scanning the text. Falls back to the
    table's header line, or None when even that is not found.
    """
    lines = text.splitlines()
    start, header_line = _section_start(lines, table, index)
    if start is None:
        # Written as an inline array (``table = [ {...}, ... ]``): point at the array's key.
        return locate_key(text, None, None, table) if table is not None else None
    if key is not None:
        key_pattern = re.compile(rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=""")
        for number in range(start, len(lines)):
            if _TOML_HEADER.match(lines[number]):
                break
            if key_pattern.match(lines[number]):
                return number + 1
    return header_line


def _section_start(lines: list[str], table: str | None, index: int | None) -> tuple[int | None, int | None]:
    """(first line index after the header, 1-based header line) of the wanted section."""
    if table is None:
        return 0, None
    header = re.compile(rf"^\s*\[\[?\s*{re.escape(table)}\s*\]\]?\s*(#.*)?$")  # [[array]] or [table]
    seen = -1
    for number, line in enumerate(lines):
        if header.match(line):
            seen += 1
            if seen == (index or 0):
                return number + 1, number + 1
    return None, None


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SiteFileError(path, "not UTF-8 text", line) from None


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every platform can open a folder, which is harmless."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
