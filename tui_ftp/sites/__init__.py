"""Saved sites, their passwords, pinned certificates, history and imports (no UI here).

The site manager screen and the CLI use these names; the modules hold the details.
"""

from __future__ import annotations

import importlib
from typing import Any

# Names are loaded on first use (PEP 562): the TUI starts without the vault's cryptography, the
# FileZilla importer or the netrc reader, which it needs only when a site is opened (~50 ms).
_MODULE_OF = {
    "PasswordLookup": "credentials",
    "password_for": "credentials",
    "DuplicateSite": "errors",
    "FolderNotEmpty": "errors",
    "InvalidSite": "errors",
    "NetrcError": "errors",
    "SiteError": "errors",
    "SiteFileError": "errors",
    "SiteImportError": "errors",
    "SiteNotFound": "errors",
    "VaultCorrupt": "errors",
    "VaultError": "errors",
    "VaultLocked": "errors",
    "WrongMasterPassword": "errors",
    "FileZillaImport": "filezilla",
    "ImportNote": "filezilla",
    "SkippedSite": "filezilla",
    "import_filezilla": "filezilla",
    "parse_filezilla": "filezilla",
    "CertStatus": "known_certs",
    "KnownCertificates": "known_certs",
    "PinnedCertificate": "known_certs",
    "normalize_fingerprint": "known_certs",
    "NetrcCredentials": "netrc",
    "netrc_credentials": "netrc",
    "FIELD_HELP": "profile",
    "FIELD_LABELS": "profile",
    "FieldInfo": "profile",
    "PROFILE_FIELDS": "profile",
    "PasswordMode": "profile",
    "Section": "profile",
    "SiteProfile": "profile",
    "TransferRule": "profile",
    "RecentConnection": "recent",
    "RecentConnections": "recent",
    "without_password": "recent",
    "Vault": "secrets",
    "FolderNode": "store",
    "SiteStore": "store",
    "normalize_folder": "store",
    "read_sites_file": "store",
    "ValidationProblem": "validation",
    "errors_of": "validation",
    "validate": "validation",
}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_MODULE_OF])
