"""The saved sites: one human-readable TOML file (``sites.toml`` in the config folder).

Each change is written at once, atomically, mode 0600. A damaged file raises
:class:`~tui_ftp.sites.errors.SiteFileError` with the file and line and is never overwritten.
Keys this version does not know (hand edits, newer versions) are kept as they are.

Site names are unique regardless of case (``tui-ftp connect prod`` finds "Prod"); folders are
``/``-separated paths such as ``Prod/Mainframes``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import locations
from .codec import FieldValueError, profile_from_table, profile_to_table
from .errors import DuplicateSite, FolderNotEmpty, InvalidSite, SiteFileError, SiteNotFound
from .files import TomlBacked, TomlDocument, read_toml, write_toml
from .profile import PasswordMode, SiteProfile

FORMAT_VERSION = 1
_TABLE = "site"
_HEADER = (
    "# tui-ftp sites. Passwords are never stored here: see vault.toml (encrypted) or ~/.netrc.\n"
    "# Written by tui-ftp; hand edits are kept as long as the file stays valid TOML.\n\n"
)
_EXPORT_HEADER = "# Sites exported from tui-ftp (no passwords). Import with the site manager.\n\n"
_FORBIDDEN_IN_NAMES = frozenset("/\r\n\t\0")


@dataclass(frozen=True)
class FolderNode:
    """One folder of the site tree. The root has ``name == path == ""``."""

    name: str
    path: str
    folders: tuple[FolderNode, ...]
    sites: tuple[SiteProfile, ...]

    def walk(self) -> Iterator[FolderNode]:
        """This folder and every folder below it, depth first."""
        yield self
        for folder in self.folders:
            yield from folder.walk()


def normalize_folder(folder: str) -> str:
    """``" /Prod//Mainframes/ "`` → ``"Prod/Mainframes"``; control characters are refused."""
    if any(char in folder for char in "\r\n\t\0"):
        raise InvalidSite(f"a folder name cannot hold control characters: {folder!r}")
    return "/".join(part.strip() for part in folder.split("/") if part.strip())


def check_site_name(name: str) -> str:
    """The name stripped; InvalidSite when empty or holding '/' or control characters."""
    stripped = name.strip()
    if not stripped:
        raise InvalidSite("a site needs a name")
    if any(char in _FORBIDDEN_IN_NAMES for char in stripped):
        raise InvalidSite(f"a site name cannot hold '/' or control characters: {stripped!r}")
    return stripped


def folder_ancestors(folder: str) -> list[str]:
    """``"A/B/C"`` → ``["A", "A/B", "A/B/C"]``."""
    parts = folder.split("/") if folder else []
    return ["/".join(parts[: count + 1]) for count in range(len(parts))]


def is_in_folder(folder: str, parent: str) -> bool:
    """True when ``folder`` is ``parent`` or below it."""
    return folder == parent or folder.startswith(parent + "/")


class SiteStore(TomlBacked):
    """All saved sites. Every mutating method saves the file before it returns."""

    _header = _HEADER

    def __init__(self, path: Path | None = None) -> None:
        self._sites: dict[str, SiteProfile] = {}
        self._unknown_keys: dict[str, dict[str, Any]] = {}
        self._top_level_extra: dict[str, Any] = {}
        self._empty_folders: set[str] = set()
        super().__init__(path or locations.sites_file())

    # ----------------------------------------------------------------------------------- reading
    def profiles(self) -> list[SiteProfile]:
        """Every site, sorted by folder then name (case-insensitive)."""
        self._refresh()
        return sorted(self._sites.values(), key=_sort_key)

    def names(self) -> list[str]:
        return [profile.name for profile in self.profiles()]

    def find(self, name: str) -> SiteProfile | None:
        """The site called ``name`` (any case), or None."""
        self._refresh()
        return self._sites.get(_key(name))

    def get(self, name: str) -> SiteProfile:
        """The site called ``name`` (any case); :class:`SiteNotFound` otherwise."""
        profile = self.find(name)
        if profile is None:
            raise SiteNotFound(name)
        return profile

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.find(name) is not None

    def __len__(self) -> int:
        self._refresh()
        return len(self._sites)

    def __iter__(self) -> Iterator[SiteProfile]:
        return iter(self.profiles())

    def folders(self) -> list[str]:
        """Every folder path (also the parents of nested ones and empty folders), sorted."""
        self._refresh()
        return sorted(self._all_folders(), key=str.casefold)

    def tree(self) -> FolderNode:
        """The folder tree with the sites in each folder, for the site manager's tree view."""
        profiles = self.profiles()
        return _build_node("", "", sorted(self._all_folders(), key=str.casefold), profiles)

    def unique_name(self, wanted: str) -> str:
        """``wanted`` if free, else ``"wanted (2)"``, ``"wanted (3)"``..."""
        self._refresh()
        return unique_name(check_site_name(wanted), self._sites)

    # ----------------------------------------------------------------------------------- sites
    def add(self, profile: SiteProfile) -> SiteProfile:
        """Save a new site; :class:`DuplicateSite` if the name is taken."""
        return self.add_many([profile])[0]

    def add_many(self, profiles: Iterable[SiteProfile]) -> list[SiteProfile]:
        """Save several new sites in one write (imports); nothing is saved if one name is taken."""
        wanted = [_cleaned(profile) for profile in profiles]

        def apply() -> list[SiteProfile]:
            _check_names_free([profile.name for profile in wanted], self._sites)
            for profile in wanted:
                self._sites[_key(profile.name)] = profile
            return wanted

        return self._change(apply)

    def update(self, profile: SiteProfile, *, old_name: str | None = None) -> SiteProfile:
        """Replace the site called ``old_name`` (default: ``profile.name``) with ``profile``.

        Giving ``old_name`` renames and edits in one step, as the site manager's editor does.
        """
        cleaned = _cleaned(profile)
        previous = old_name if old_name is not None else cleaned.name

        def apply() -> SiteProfile:
            self._require(previous)
            if _key(previous) != _key(cleaned.name):
                _check_names_free([cleaned.name], self._sites)
            self._replace(previous, cleaned)
            return cleaned

        return self._change(apply)

    def rename(self, old_name: str, new_name: str) -> SiteProfile:
        """Rename a site (the caller also renames its vault entry: ``Vault.rename``)."""
        return self.update(dataclasses.replace(self.get(old_name), name=new_name), old_name=old_name)

    def move(self, name: str, folder: str) -> SiteProfile:
        """Put a site into ``folder`` (``""`` = top level)."""
        return self.update(dataclasses.replace(self.get(name), folder=folder))

    def duplicate(self, name: str, new_name: str | None = None) -> SiteProfile:
        """A copy of a site under ``new_name`` (default: ``"name (copy)"``, numbered if taken)."""
        original = self.get(name)
        target = new_name if new_name is not None else self.unique_name(f"{original.name} (copy)")
        return self.add(dataclasses.replace(original, name=target))

    def delete(self, name: str) -> SiteProfile:
        """Remove a site and return it (the caller also deletes its vault entry)."""

        def apply() -> SiteProfile:
            removed = self._require(name)
            del self._sites[_key(name)]
            self._unknown_keys.pop(_key(name), None)
            return removed

        return self._change(apply)

    # ----------------------------------------------------------------------------------- folders
    def add_folder(self, folder: str) -> str:
        """Create an (empty) folder; returns its normalized path."""
        path = normalize_folder(folder)
        if not path:
            raise InvalidSite("a folder needs a name")
        self._change(lambda: self._empty_folders.add(path))
        return path

    def rename_folder(self, old: str, new: str) -> None:
        """Rename or move a folder with everything below it (``Prod`` → ``Archive/Prod``)."""
        source, target = normalize_folder(old), normalize_folder(new)
        if not source:
            raise InvalidSite("the top level cannot be renamed")
        if is_in_folder(target, source) and target != source:
            raise InvalidSite(f"cannot move folder {source!r} into itself")

        def apply() -> None:
            if source not in self._all_folders():
                raise InvalidSite(f"no folder named {source!r}")
            for profile in list(self._sites.values()):
                if is_in_folder(profile.folder, source):
                    moved = target + profile.folder[len(source) :]
                    self._sites[_key(profile.name)] = dataclasses.replace(profile, folder=moved.strip("/"))
            self._empty_folders = {
                (target + folder[len(source) :]).strip("/") if is_in_folder(folder, source) else folder
                for folder in self._empty_folders
            } - {""}

        self._change(apply)

    def delete_folder(self, folder: str) -> None:
        """Remove an empty folder (and empty folders below it); :class:`FolderNotEmpty` otherwise."""
        path = normalize_folder(folder)

        def apply() -> None:
            if any(is_in_folder(profile.folder, path) for profile in self._sites.values()):
                raise FolderNotEmpty(path)
            self._empty_folders = {name for name in self._empty_folders if not is_in_folder(name, path)}

        self._change(apply)

    # ----------------------------------------------------------------------------------- export
    def export(self, path: Path, names: Iterable[str] | None = None) -> int:
        """Write the sites (all, or ``names``) to ``path`` for another machine; returns how many.

        No password is exported; "saved" passwords become "ask" since the vault stays here.
        """
        chosen = self.profiles() if names is None else [self.get(name) for name in names]
        tables = [profile_to_table(_for_export(profile)) for profile in chosen]
        write_toml(path, {"version": FORMAT_VERSION, _TABLE: tables}, _EXPORT_HEADER)
        return len(chosen)

    # ----------------------------------------------------------------------------------- internals
    def _require(self, name: str) -> SiteProfile:
        profile = self._sites.get(_key(name))
        if profile is None:
            raise SiteNotFound(name)
        return profile

    def _replace(self, old_name: str, profile: SiteProfile) -> None:
        unknown = self._unknown_keys.pop(_key(old_name), None)
        del self._sites[_key(old_name)]
        self._sites[_key(profile.name)] = profile
        if unknown:
            self._unknown_keys[_key(profile.name)] = unknown

    def _all_folders(self) -> set[str]:
        folders: set[str] = set()
        for folder in [profile.folder for profile in self._sites.values()] + list(self._empty_folders):
            folders.update(folder_ancestors(folder))
        return folders

    def _apply_document(self, document: TomlDocument | None) -> None:
        parsed = parse_sites_document(document) if document else _ParsedSites()
        self._sites = {_key(profile.name): profile for profile in parsed.profiles}
        self._unknown_keys = parsed.unknown_keys
        self._top_level_extra = parsed.top_level_extra
        self._empty_folders = parsed.folders

    def _to_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {"version": FORMAT_VERSION}
        document.update(self._top_level_extra)
        if self._empty_folders:
            document["folders"] = sorted(self._empty_folders, key=str.casefold)
        document[_TABLE] = [self._table_of(profile) for profile in sorted(self._sites.values(), key=_sort_key)]
        return document

    def _table_of(self, profile: SiteProfile) -> dict[str, Any]:
        table = profile_to_table(profile)
        table.update(self._unknown_keys.get(_key(profile.name), {}))
        return table


@dataclass
class _ParsedSites:
    profiles: list[SiteProfile] = dataclasses.field(default_factory=list)
    unknown_keys: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    top_level_extra: dict[str, Any] = dataclasses.field(default_factory=dict)
    folders: set[str] = dataclasses.field(default_factory=set)


def read_sites_file(path: Path) -> list[SiteProfile]:
    """The profiles of a sites file or an export (for "import from tui-ftp export")."""
    document = read_toml(path)
    if document is None:
        raise SiteFileError(path, "file not found")
    return parse_sites_document(document).profiles


def parse_sites_document(document: TomlDocument) -> _ParsedSites:
    """Check and convert a whole sites file; the first problem raises with its line."""
    _check_version(document)
    parsed = _ParsedSites(folders=_folders_of(document))
    seen: dict[str, int] = {}
    for index, table in enumerate(document.tables(_TABLE)):
        profile, unknown = _profile_at(document, index, table)
        if _key(profile.name) in seen:
            raise document.error(f"second site named {profile.name!r} (names must be unique)", _TABLE, index, "name")
        seen[_key(profile.name)] = index
        parsed.profiles.append(profile)
        if unknown:
            parsed.unknown_keys[_key(profile.name)] = unknown
    parsed.top_level_extra = {
        key: value for key, value in document.data.items() if key not in ("version", "folders", _TABLE)
    }
    return parsed


def _profile_at(document: TomlDocument, index: int, table: dict[str, Any]) -> tuple[SiteProfile, dict[str, Any]]:
    label = repr(table["name"]) if isinstance(table.get("name"), str) else f"#{index + 1}"
    try:
        profile, unknown = profile_from_table(table)
        return _cleaned(profile), unknown
    except FieldValueError as error:
        raise document.error(f"site {label}: {error}", _TABLE, index, error.field) from None
    except InvalidSite as error:
        raise document.error(f"site {label}: {error}", _TABLE, index, "name") from None


def _check_version(document: TomlDocument) -> None:
    version = document.data.get("version", FORMAT_VERSION)
    if isinstance(version, bool) or not isinstance(version, int):
        raise document.error(f"version must be a whole number, got {version!r}", key="version")
    if version > FORMAT_VERSION:
        raise document.error(
            f"written by a newer tui-ftp (format {version}, this one reads {FORMAT_VERSION}); not changed",
            key="version",
        )


def _folders_of(document: TomlDocument) -> set[str]:
    folders = document.data.get("folders", [])
    if not isinstance(folders, list) or not all(isinstance(folder, str) for folder in folders):
        raise document.error("folders must be a list of strings", key="folders")
    try:
        return {normalize_folder(folder) for folder in folders} - {""}
    except InvalidSite as error:
        raise document.error(str(error), key="folders") from None


def _cleaned(profile: SiteProfile) -> SiteProfile:
    """The profile with its name checked and its folder normalized (raises InvalidSite)."""
    name, folder = check_site_name(profile.name), normalize_folder(profile.folder)
    if (name, folder) == (profile.name, profile.folder):
        return profile
    return dataclasses.replace(profile, name=name, folder=folder)


def _for_export(profile: SiteProfile) -> SiteProfile:
    if profile.password_mode is PasswordMode.SAVED:
        return dataclasses.replace(profile, password_mode=PasswordMode.ASK)
    return profile


def _check_names_free(names: list[str], sites: dict[str, SiteProfile]) -> None:
    seen: set[str] = set()
    for name in names:
        if _key(name) in sites or _key(name) in seen:
            raise DuplicateSite(name)
        seen.add(_key(name))


def unique_name(wanted: str, taken: Iterable[str]) -> str:
    """``wanted`` if no name in ``taken`` equals it (ignoring case), else ``"wanted (2)"``..."""
    keys = {_key(name) for name in taken}
    candidate, number = wanted, 2
    while _key(candidate) in keys:
        candidate = f"{wanted} ({number})"
        number += 1
    return candidate


def _key(name: str) -> str:
    return name.strip().casefold()


def _sort_key(profile: SiteProfile) -> tuple[str, str]:
    return (profile.folder.casefold(), profile.name.casefold())


def _build_node(name: str, path: str, all_folders: list[str], profiles: list[SiteProfile]) -> FolderNode:
    children = [folder for folder in all_folders if folder.rpartition("/")[0] == path and folder]
    return FolderNode(
        name=name,
        path=path,
        folders=tuple(_build_node(child.rpartition("/")[2], child, all_folders, profiles) for child in children),
        sites=tuple(profile for profile in profiles if profile.folder == path),
    )
