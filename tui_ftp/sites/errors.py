"""Errors of the site store, the password vault, certificate pins and imports.

None of them ever carries a password: messages name sites, files and line numbers only.
"""

from __future__ import annotations

from pathlib import Path


class SiteError(Exception):
    """Base class of every error raised by :mod:`tui_ftp.sites`."""

    #: A short title for notifications.
    title: str = "Site error"


class SiteFileError(SiteError):
    """A file of the app cannot be read, is damaged, or cannot be written safely.

    ``line`` is the 1-based line of the problem when it is known. The message reads like a
    compiler's: ``/home/u/.config/tui-ftp/sites.toml:12: security: unknown value 'tls'``.
    """

    title = "Damaged file"

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.reason = message
        where = f"{self.path}:{line}" if line else str(self.path)
        super().__init__(f"{where}: {message}")


class SiteNotFound(SiteError, LookupError):
    title = "No such site"

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"no site named {name!r}")


class DuplicateSite(SiteError, ValueError):
    title = "Site already exists"

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"a site named {name!r} already exists")


class InvalidSite(SiteError, ValueError):
    """A store operation was given something it cannot keep (empty name, bad folder...)."""

    title = "Invalid site"


class FolderNotEmpty(SiteError):
    title = "Folder not empty"

    def __init__(self, folder: str) -> None:
        self.folder = folder
        super().__init__(f"folder {folder!r} still holds sites or folders")


class VaultError(SiteError):
    """Base class of the password vault's errors."""

    title = "Password vault"


class VaultLocked(VaultError):
    title = "Password vault locked"

    def __init__(self) -> None:
        super().__init__("the password vault is locked: enter the master password first")


class WrongMasterPassword(VaultError):
    title = "Wrong master password"

    def __init__(self) -> None:
        super().__init__("wrong master password (the vault was not changed)")


class VaultCorrupt(VaultError, SiteFileError):
    """The vault file was damaged or tampered with (an authentication tag did not match, a field
    is missing or malformed). The file is left as it is."""

    title = "Password vault damaged"

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        SiteFileError.__init__(self, path, message, line)


class NetrcError(SiteFileError):
    """``~/.netrc`` is unreadable, malformed, or readable by other users while holding passwords."""

    title = "Cannot use .netrc"


class SiteImportError(SiteError):
    """A file to import is not a site list this importer understands (or is unsafe to parse)."""

    title = "Import failed"
