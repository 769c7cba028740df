"""Credentials from ``~/.netrc`` (or ``$NETRC``), for sites whose password mode is "netrc".

Like ftp(1), a netrc holding passwords must not be readable by other users; such a file is refused
with a clear error instead of being used. Parse errors name the line but never the token (it
could be part of a password).
"""

from __future__ import annotations

import netrc as stdlib_netrc
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .. import locations
from .errors import NetrcError


@dataclass(frozen=True)
class NetrcCredentials:
    login: str
    password: str = field(repr=False)
    account: str = field(default="", repr=False)


def netrc_credentials(host: str, user: str | None = None, path: Path | None = None) -> NetrcCredentials | None:
    """The ``machine host`` entry (or ``default``) of the netrc file, None when there is none.

    With ``user``, an entry for another login does not count (the site's user wins).
    """
    netrc_path = path or locations.default_netrc_file()
    parsed = _parse(netrc_path)
    if parsed is None:
        return None
    found = parsed.hosts.get(host) or parsed.hosts.get(host.lower()) or parsed.hosts.get("default")
    if found is None:
        return None
    login, account, password = found
    if user and login and login != user:
        return None
    return NetrcCredentials(login=login or (user or ""), password=password or "", account=account or "")


def _parse(path: Path) -> stdlib_netrc.netrc | None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise NetrcError(path, f"cannot read: {error.strerror or error}") from error
    _check_private(path, info)
    try:
        return stdlib_netrc.netrc(str(path))
    except stdlib_netrc.NetrcParseError as error:
        raise NetrcError(path, "syntax error (expected machine/login/password/account)", error.lineno) from None
    except OSError as error:
        raise NetrcError(path, f"cannot read: {error.strerror or error}") from error


def _check_private(path: Path, info: os.stat_result) -> None:
    if stat.S_IMODE(info.st_mode) & 0o077:
        raise NetrcError(path, "readable by other users: run chmod 600 on it before it is used")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise NetrcError(path, "owned by another user: it is not used")
