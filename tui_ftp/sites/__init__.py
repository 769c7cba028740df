"""Saved sites, their passwords, pinned certificates, history and imports (no UI here).

The site manager screen and the CLI use these names; the modules hold the details.
"""

from __future__ import annotations

from .credentials import PasswordLookup, password_for
from .errors import (
    DuplicateSite,
    FolderNotEmpty,
    InvalidSite,
    NetrcError,
    SiteError,
    SiteFileError,
    SiteImportError,
    SiteNotFound,
    VaultCorrupt,
    VaultError,
    VaultLocked,
    WrongMasterPassword,
)
from .filezilla import FileZillaImport, ImportNote, SkippedSite, import_filezilla, parse_filezilla
from .known_certs import CertStatus, KnownCertificates, PinnedCertificate, normalize_fingerprint
from .netrc import NetrcCredentials, netrc_credentials
from .profile import (
    FIELD_HELP,
    FIELD_LABELS,
    PROFILE_FIELDS,
    FieldInfo,
    PasswordMode,
    Section,
    SiteProfile,
    TransferRule,
)
from .recent import RecentConnection, RecentConnections, without_password
from .secrets import Vault
from .store import FolderNode, SiteStore, normalize_folder, read_sites_file
from .validation import ValidationProblem, errors_of, validate

__all__ = [
    "FIELD_HELP",
    "FIELD_LABELS",
    "PROFILE_FIELDS",
    "CertStatus",
    "DuplicateSite",
    "FieldInfo",
    "FileZillaImport",
    "FolderNode",
    "FolderNotEmpty",
    "ImportNote",
    "InvalidSite",
    "KnownCertificates",
    "NetrcCredentials",
    "NetrcError",
    "PasswordLookup",
    "PasswordMode",
    "PinnedCertificate",
    "RecentConnection",
    "RecentConnections",
    "Section",
    "SiteError",
    "SiteFileError",
    "SiteImportError",
    "SiteNotFound",
    "SiteProfile",
    "SiteStore",
    "SkippedSite",
    "TransferRule",
    "ValidationProblem",
    "Vault",
    "VaultCorrupt",
    "VaultError",
    "VaultLocked",
    "WrongMasterPassword",
    "errors_of",
    "import_filezilla",
    "netrc_credentials",
    "normalize_fingerprint",
    "normalize_folder",
    "parse_filezilla",
    "password_for",
    "read_sites_file",
    "validate",
    "without_password",
]
