"""Quick-connect history: the last URLs connected to (never with a password), newest first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .. import locations
from ..engine.errors import UsageError
from ..engine.options import parse_url
from .errors import SiteError
from .files import TomlBacked, TomlDocument

DEFAULT_LIMIT = 20
_TABLE = "connection"
_HEADER = "# Recent quick connections of tui-ftp (no passwords). Written by tui-ftp.\n\n"


@dataclass(frozen=True)
class RecentConnection:
    url: str  # ftp://user@host:port/path, password removed
    time: datetime  # last use, UTC


def without_password(url: str) -> str:
    """``ftps://bob:pw@host/x`` → ``ftps://bob@host/x`` (the user part stays as typed)."""
    split = urlsplit(url)
    userinfo, at, hostport = split.netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    user = userinfo.partition(":")[0]
    return urlunsplit(split._replace(netloc=f"{user}@{hostport}"))


class RecentConnections(TomlBacked):
    """``recent.toml`` in the data folder, capped to ``limit`` entries (oldest dropped)."""

    _header = _HEADER

    def __init__(self, path: Path | None = None, limit: int = DEFAULT_LIMIT) -> None:
        self._limit = max(1, limit)
        self._entries: list[RecentConnection] = []
        super().__init__(path or locations.recent_file())

    def entries(self) -> list[RecentConnection]:
        """Newest first."""
        self._refresh()
        return list(self._entries)

    def add(self, url: str, when: datetime | None = None) -> RecentConnection:
        """Remember a URL (moved to the top if already there). A bad URL raises SiteError."""
        try:
            parse_url(url)
        except UsageError:
            # The engine's message quotes the URL, which may hold a password.
            raise SiteError(f"not a usable ftp://, ftpes:// or ftps:// URL: {without_password(url)!r}") from None
        entry = RecentConnection(without_password(url.strip()), (when or datetime.now(timezone.utc)).replace(microsecond=0))

        def apply() -> None:
            others = [old for old in self._entries if old.url != entry.url]
            self._entries = [entry, *others][: self._limit]

        self._change(apply)
        return entry

    def remove(self, url: str) -> bool:
        target = without_password(url.strip())
        if all(entry.url != target for entry in self.entries()):
            return False
        self._change(lambda: self._keep(lambda entry: entry.url != target))
        return True

    def clear(self) -> None:
        self._change(lambda: self._keep(lambda entry: False))

    def _keep(self, wanted: Callable[[RecentConnection], bool]) -> None:
        self._entries = [entry for entry in self._entries if wanted(entry)]

    def _apply_document(self, document: TomlDocument | None) -> None:
        entries = []
        if document is not None:
            for index, table in enumerate(document.tables(_TABLE)):
                entries.append(_entry_from_table(document, index, table))
        entries.sort(key=lambda entry: entry.time, reverse=True)
        self._entries = entries[: self._limit]

    def _to_document(self) -> dict[str, Any]:
        return {"version": 1, _TABLE: [{"url": entry.url, "time": entry.time} for entry in self._entries]}


def _entry_from_table(document: TomlDocument, index: int, table: dict[str, Any]) -> RecentConnection:
    url, time = table.get("url"), table.get("time")
    if not isinstance(url, str) or not url:
        raise document.error("url: missing or not a string", _TABLE, index, "url")
    if not isinstance(time, datetime):
        raise document.error(f"time: expected a date and time, got {time!r}", _TABLE, index, "time")
    if time.tzinfo is None:
        time = time.replace(tzinfo=timezone.utc)
    return RecentConnection(without_password(url), time)
