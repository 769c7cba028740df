"""Import FileZilla's site manager (``sitemanager.xml``): sites, folders, passwords.

Mapping (FileZilla 3 numbering):
- ``Protocol`` 0 FTP "use explicit TLS if available" → tls-if-available, 3 FTPS → implicit,
  4 FTPES → explicit-tls, 6 "plain FTP (insecure)" → plain; SFTP and the cloud protocols are
  skipped with a reason.
- ``Logontype`` 0 anonymous → user anonymous, no password; 1 normal → saved password; 2 ask and
  3 interactive → ask; 4 account → saved password + account; 5 key file (SFTP) → skipped.
- ``Type`` (server type) 0 default → auto, 1 Unix, 3/8/10 DOS variants → windows, 4 MVS → mvs,
  9 Cygwin → unix; VMS, VxWorks, z/VM and HP NonStop → auto, with a note.
- ``PasvMode`` MODE_ACTIVE → PORT, MODE_PASSIVE and MODE_DEFAULT → auto (EPSV, then PASV).

The XML is parsed with the standard library after refusing any DOCTYPE or ENTITY declaration, so
entity expansion ("billion laughs") and external entities cannot happen.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..engine.options import DataMode, Security, ServerType
from .errors import SiteImportError
from .profile import DEFAULT_PARALLEL_TRANSFERS, MAX_PARALLEL_TRANSFERS, PasswordMode, SiteProfile
from .store import unique_name
from .validation import errors_of

MAX_FILE_BYTES = 16 * 1024 * 1024
_DECLARATIONS = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)

_SECURITY_BY_PROTOCOL = {0: Security.TLS_IF_AVAILABLE, 3: Security.IMPLICIT, 4: Security.EXPLICIT_TLS, 6: Security.PLAIN}
_OTHER_PROTOCOLS = {
    1: "SFTP",
    2: "HTTP",
    5: "HTTPS",
    7: "Amazon S3",
    8: "Storj",
    9: "WebDAV",
    10: "Azure File",
    11: "Azure Blob",
    12: "OpenStack Swift",
    13: "Google Cloud Storage",
    14: "Google Drive",
    15: "Dropbox",
    16: "OneDrive",
    17: "Backblaze B2",
    18: "Box",
    19: "WebDAV (insecure)",
    20: "Rackspace",
    21: "Storj",
}
_SERVER_TYPES = {
    0: ServerType.AUTO,
    1: ServerType.UNIX,
    3: ServerType.WINDOWS,  # DOS, backslashes
    4: ServerType.MVS,
    8: ServerType.WINDOWS,  # DOS virtual paths
    9: ServerType.UNIX,  # Cygwin
    10: ServerType.WINDOWS,  # DOS, forward slashes
}
_UNMAPPED_SERVER_TYPES = {2: "VMS", 5: "VxWorks", 6: "z/VM", 7: "HP NonStop"}
_DATA_MODES = {"MODE_ACTIVE": DataMode.PORT, "MODE_PASSIVE": DataMode.AUTO, "MODE_DEFAULT": DataMode.AUTO}
_ANONYMOUS, _NORMAL, _ASK, _INTERACTIVE, _ACCOUNT, _KEY = range(6)


@dataclass(frozen=True)
class SkippedSite:
    site: str  # "Folder/Name" as in FileZilla
    reason: str


@dataclass(frozen=True)
class ImportNote:
    site: str  # the imported site's (possibly renamed) name
    message: str


@dataclass
class FileZillaImport:
    """What an import produced. Put ``profiles`` in the store and ``passwords`` in the vault."""

    profiles: list[SiteProfile] = field(default_factory=list)
    passwords: dict[str, str] = field(default_factory=dict, repr=False)  # site name → password
    skipped: list[SkippedSite] = field(default_factory=list)
    notes: list[ImportNote] = field(default_factory=list)


@dataclass
class _Server:
    """One <Server> element being converted; collects notes on the way."""

    element: ElementTree.Element
    folder: str
    name: str
    notes: list[str] = field(default_factory=list)

    def text(self, tag: str) -> str:
        child = self.element.find(tag)
        return (child.text or "").strip() if child is not None else ""

    def number(self, tag: str, default: int) -> int:
        value = self.text(tag)
        try:
            return int(value) if value else default
        except ValueError:
            self.notes.append(f"{tag} {value!r} is not a number; {default} used")
            return default

    @property
    def label(self) -> str:
        return f"{self.folder}/{self.name}" if self.folder else self.name


class _Skip(Exception):
    """The current <Server> cannot be imported; the message is the reason shown to the user."""


def import_filezilla(path: Path, existing_names: Iterable[str] = ()) -> FileZillaImport:
    """Read ``sitemanager.xml``; names are made unique against ``existing_names`` (the store's)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise SiteImportError(f"{path}: cannot read: {error.strerror or error}") from error
    return parse_filezilla(data, existing_names, source=str(path))


def parse_filezilla(data: bytes, existing_names: Iterable[str] = (), source: str = "sitemanager.xml") -> FileZillaImport:
    """Like :func:`import_filezilla`, from the file's bytes."""
    root = _parse_xml(data, source)
    servers = root.find("Servers")
    if root.tag != "FileZilla3" or servers is None:
        raise SiteImportError(f"{source}: not a FileZilla site manager file (no <FileZilla3><Servers>)")
    result = FileZillaImport()
    taken = list(existing_names)
    for server in _servers(servers, ""):
        _import_one(server, result, taken)
    return result


def _parse_xml(data: bytes, source: str) -> ElementTree.Element:
    if len(data) > MAX_FILE_BYTES:
        raise SiteImportError(f"{source}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB, not a site list")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SiteImportError(f"{source}: not UTF-8 text (FileZilla writes UTF-8)") from None
    if _DECLARATIONS.search(text):
        raise SiteImportError(f"{source}: refused: the file declares a DOCTYPE or entities (unsafe XML)")
    try:
        return ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        line, column = error.position
        raise SiteImportError(f"{source}:{line}: malformed XML (column {column})") from None


def _servers(element: ElementTree.Element, folder: str) -> Iterator[_Server]:
    for child in element:
        if child.tag == "Folder":
            yield from _servers(child, _join(folder, _clean_name(_own_text(child)) or "Unnamed folder"))
        elif child.tag == "Server":
            yield _Server(child, folder, _server_name(child))


def _import_one(server: _Server, result: FileZillaImport, taken: list[str]) -> None:
    try:
        profile, password = _convert(server)
    except _Skip as reason:
        result.skipped.append(SkippedSite(server.label, str(reason)))
        return
    name = unique_name(profile.name, taken)
    if name != profile.name:
        server.notes.append(f"renamed from {profile.name!r}: that name was taken")
        profile = replace(profile, name=name)
    taken.append(name)
    server.notes.extend(f"{problem.field}: {problem.message}" for problem in errors_of(profile))
    result.profiles.append(profile)
    if password is not None:
        result.passwords[name] = password
    result.notes.extend(ImportNote(name, note) for note in server.notes)


def _convert(server: _Server) -> tuple[SiteProfile, str | None]:
    host = server.text("Host")
    if not host:
        raise _Skip("no host")
    security = _security(server)
    user, mode, password, account = _login(server)
    port = server.number("Port", 0)
    profile = SiteProfile(
        name=server.name,
        folder=server.folder,
        host=host,
        port=0 if port == (990 if security.implicit else 21) else port,
        user=user,
        password_mode=mode,
        account=account,
        security=security,
        data_mode=_DATA_MODES.get(server.text("PasvMode"), DataMode.AUTO),
        server_type=_server_type(server),
        charset=_charset(server),
        parallel_transfers=_parallel(server),
        local_folder=server.text("LocalDir"),
        remote_folder=_remote_folder(server),
        site_commands=_post_login_commands(server),
        notes=server.text("Comments"),
    )
    return profile, password


def _security(server: _Server) -> Security:
    protocol = server.number("Protocol", 0)
    if protocol in _SECURITY_BY_PROTOCOL:
        if protocol == 0:
            server.notes.append("FileZilla 'explicit TLS if available' → tls-if-available; prefer explicit-tls")
        return _SECURITY_BY_PROTOCOL[protocol]
    other = _OTHER_PROTOCOLS.get(protocol, f"protocol number {protocol}")
    raise _Skip(f"{other} is not FTP or FTPS: tui-ftp does not speak it")


def _login(server: _Server) -> tuple[str, PasswordMode, str | None, str]:
    """(user, password mode, password to save or None, account)."""
    logon = server.number("Logontype", _NORMAL)
    if logon == _ANONYMOUS:
        return "anonymous", PasswordMode.NONE, None, ""
    if logon == _KEY:
        raise _Skip("key file login is for SFTP")
    if logon not in (_NORMAL, _ASK, _INTERACTIVE, _ACCOUNT):
        raise _Skip(f"unknown logon type {logon}")
    user = server.text("User")
    account = server.text("Account") if logon == _ACCOUNT else ""
    password = _password(server) if logon in (_NORMAL, _ACCOUNT) else None
    mode = PasswordMode.SAVED if password is not None else PasswordMode.ASK
    return user, mode, password, account


def _password(server: _Server) -> str | None:
    element = server.element.find("Pass")
    if element is None or not (element.text or ""):
        return None
    encoding = element.get("encoding", "")
    if encoding == "base64":
        try:
            return base64.b64decode(element.text or "", validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            server.notes.append("the saved password is not valid base64; you will be asked for it")
            return None
    if encoding == "crypt":
        server.notes.append("the password is protected by FileZilla's master password; you will be asked for it")
        return None
    return element.text


def _server_type(server: _Server) -> ServerType:
    number = server.number("Type", 0)
    if number in _SERVER_TYPES:
        return _SERVER_TYPES[number]
    server.notes.append(f"server type {_UNMAPPED_SERVER_TYPES.get(number, number)} has no equivalent; auto-detect")
    return ServerType.AUTO


def _charset(server: _Server) -> str:
    if server.text("EncodingType") != "Custom":
        return "utf-8"
    wanted = server.text("CustomEncoding")
    try:
        return codecs.lookup(wanted).name if wanted else "utf-8"
    except LookupError:
        server.notes.append(f"character set {wanted!r} is unknown here; utf-8 used")
        return "utf-8"


def _parallel(server: _Server) -> int:
    wanted = server.number("MaximumMultipleConnections", 0)
    if wanted <= 0:
        return DEFAULT_PARALLEL_TRANSFERS
    if wanted > MAX_PARALLEL_TRANSFERS:
        server.notes.append(f"{wanted} simultaneous connections lowered to {MAX_PARALLEL_TRANSFERS}")
    return min(wanted, MAX_PARALLEL_TRANSFERS)


def _remote_folder(server: _Server) -> str:
    encoded = server.text("RemoteDir")
    if not encoded:
        return ""
    decoded = decode_safe_path(encoded)
    if decoded is None:
        server.notes.append(f"remote folder {encoded!r} could not be read; left empty")
        return ""
    return decoded


def _post_login_commands(server: _Server) -> tuple[str, ...]:
    commands = server.element.findall("PostLoginCommands/Command")
    return tuple(text for command in commands if (text := (command.text or "").strip()))


def decode_safe_path(encoded: str) -> str | None:
    """FileZilla's ``CServerPath`` "safe path": ``<type> <prefix length> [<prefix>] (<length> <segment>)*``.

    ``1 0 4 home 3 bob`` → ``/home/bob``; ``4 1 . 5 USER1`` (MVS) → ``'USER1.'``; None if malformed.
    """
    head, _, rest = encoded.partition(" ")
    if not head.isdigit():
        return None
    parsed = _read_counted(rest)
    if parsed is None or not parsed:
        return None
    prefix, segments = parsed[0], parsed[1:]
    if int(head) == 4:  # MVS: 'HLQ.QUAL' with "." as prefix for a partial name
        return "'" + ".".join(segments) + prefix + "'"
    if int(head) in (3, 8, 10):  # DOS variants: C:\dir
        return "\\".join(segments) + ("\\" if len(segments) == 1 else "")
    return "/" + "/".join(segments)


def _read_counted(text: str) -> list[str] | None:
    """``0 4 home 3 bob`` → ``["", "home", "bob"]`` (the first item is the prefix)."""
    items: list[str] = []
    position = 0
    while position < len(text):
        length_text, space, _ = text[position:].partition(" ")
        if not length_text.isdigit():
            return None
        start = position + len(length_text) + len(space)
        length = int(length_text)
        if start + length > len(text):
            return None
        items.append(text[start : start + length])
        position = start + length + (1 if length else 0)  # an empty item has no separator after it
    return items


def _own_text(element: ElementTree.Element) -> str:
    """Text directly inside ``element`` (FileZilla writes folder and old site names this way)."""
    return "".join([element.text or ""] + [child.tail or "" for child in element]).strip()


def _server_name(element: ElementTree.Element) -> str:
    name = element.find("Name")
    text = (name.text or "").strip() if name is not None else ""
    return _clean_name(text or _own_text(element)) or element.findtext("Host", "").strip() or "Unnamed site"


def _clean_name(name: str) -> str:
    """Site and folder names in tui-ftp cannot hold '/' (the folder separator) or control characters."""
    return "".join("-" if char == "/" or ord(char) < 32 else char for char in name).strip()


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name

