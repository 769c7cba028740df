"""``ls -l`` style listings (vsftpd, proftpd, pure-ftpd, pyftpdlib, most Unix servers).

    -rw-r--r--    1 1000     1000         1234 Nov 27 12:00 name with spaces
    drwxr-xr-x+   2 user     group        4096 Nov 27  2025 dir
    lrwxrwxrwx    1 user     group           7 Jan 25 00:17 link -> target
    crw-rw-rw-    1 root     root       1,   3 Nov 27 12:00 null

A date with a time has no year: it is the most recent such date that is not more than a day in the
future of ``now`` (``ls`` prints the time for files of the last six months; a day of slack covers
time zones). The name starts exactly one character after the date, so leading spaces are kept.
``Entry.permissions`` is the permission string without the type letter (``rwxr-xr-x+``).

Speed: a plain file or folder line is read with one ``str.split(None, 8)`` and two dictionary
look-ups (dates and permission strings repeat, so both are cached per listing); everything else
(links, devices, no group column, ISO dates, first sight of a date) goes through
:meth:`UnixListingParser.parse_line`, which fills those caches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from ._common import (
    DOT_NAMES,
    SKIP,
    LineParser,
    gc_paused,
    month_number,
    read_elsewhere,
)
from .model import Entry, EntryKind

_KINDS: dict[str, EntryKind] = {
    "-": EntryKind.FILE,
    "d": EntryKind.DIR,
    "l": EntryKind.LINK,
}
_PERM_RE = re.compile(r"[-bcdlpsDn][-rwxsStTlL?]{9}[+.@]?\Z")

_SLOW_RE = re.compile(
    r"""(?P<perm>[-bcdlpsDn][-rwxsStTlL?]{9}[+.@]?)\s+
    (?:(?P<links>\d+)\s+)?
    (?P<owner>\S+)\s+
    (?:(?P<group>\S+)\s+)?
    (?:(?P<major>\d+),\s*(?P<minor>\d+)|(?P<size>\d+))\s+
    (?:(?P<mon>[^\W\d_]{3})\s+(?P<day>\d{1,2})\s+(?P<ty>\d{1,2}:\d\d|\d{4})
      |(?P<iy>\d{4})-(?P<im>\d\d)-(?P<id>\d\d)\s+(?P<ih>\d\d):(?P<iM>\d\d)(?::\d\d(?:\.\d+)?)?)
    \s(?P<name>.+)\Z""",
    re.VERBOSE | re.DOTALL,
)
_TOTAL_RE = re.compile(r"total\s+\d+\s*\Z", re.IGNORECASE)

_ONE_DAY = timedelta(days=1)
_LINK_ARROW = " -> "
_new_entry = tuple.__new__

PermissionInfo = tuple[EntryKind, str]


def parse_unix(lines: Iterable[str], *, now: datetime | None = None) -> list[Entry]:
    """Parse an ``ls -l`` listing; lines no rule reads are kept as raw entries."""
    return UnixListingParser(now).parse(lines)


def make_unix_line_parser(now: datetime | None = None) -> LineParser:
    """A line parser with its own caches, inferring missing years relative to ``now`` (local time)."""
    return UnixListingParser(now).parse_line


class UnixListingParser:
    """One listing's parser: the year reference and the date/permission caches it fills."""

    def __init__(self, now: datetime | None = None) -> None:
        self.reference = _naive_local(now)
        self._dates: dict[tuple[str, str, str], datetime] = {}  # valid dates only
        self._perms: dict[str, PermissionInfo | None] = {}
        self._plain_perms: dict[str, PermissionInfo] = {}  # files, folders, links: the fast path's
        self._days: dict[tuple[str, str], tuple[int, int, int] | tuple[()]] = {}
        self._clock: dict[str, tuple[int, int] | tuple[()]] = {}

    def parse(self, lines: Iterable[str], fallbacks: tuple[LineParser, ...] = ()) -> list[Entry]:
        """Parse a whole listing; lines this parser cannot read go to ``fallbacks``, else stay raw."""
        entries: list[Entry] = []
        append = entries.append
        plain_perms = self._plain_perms.get
        dates = self._dates.get
        parse_line, date_of = self.parse_line, self._date
        dot_names, skip, new_entry, link, arrow = DOT_NAMES, SKIP, _new_entry, EntryKind.LINK, _LINK_ARROW
        with gc_paused():
            for line in lines:
                parts = line.split(None, 8)
                if len(parts) == 9:
                    perm, _links, owner, group, size, mon, day, time_or_year, name = parts
                    info = plain_perms(perm)
                    if info is not None and size.isdecimal():
                        when = dates((mon, day, time_or_year)) or date_of(mon, day, time_or_year)
                        if when is not None and name not in dot_names and not line[-len(name) - 2].isspace():
                            kind = info[0]
                            target = None
                            if kind is link and arrow in name:
                                name, _, target = name.partition(arrow)
                            append(new_entry(Entry, (name, kind, int(size), when, info[1], owner, group, target, None, line)))
                            continue
                entry = parse_line(line)
                if entry is None:
                    entry = read_elsewhere(line, fallbacks)
                if entry is not skip:
                    append(entry)
        return entries

    def parse_line(self, line: str) -> Entry | None:
        """One line → Entry; SKIP for ``total``/``.``/``..``; None when it is not an ``ls -l`` line."""
        parts = line.split(None, 8)
        if len(parts) == 9:
            perm, _links, owner, group, size, mon, day, time_or_year, name = parts
            info = self._permission_info(perm)
            if info is not None and size.isdecimal() and not line[-len(name) - 2].isspace():
                when = self._date(mon, day, time_or_year)
                if when is not None:
                    return _entry(info, name, int(size), when, owner, group, line)
        return self._parse_irregular(line)

    def _parse_irregular(self, line: str) -> Entry | None:
        """The regular-expression path: no group column, device numbers, ISO dates, odd spacing."""
        match = _SLOW_RE.match(line)
        if match is None:
            return SKIP if _TOTAL_RE.match(line) else None
        info = self._permission_info(match["perm"])
        if info is None:
            return None
        if match["mon"] is not None:
            when = self._date(match["mon"], match["day"], match["ty"])
        else:
            when = _valid_datetime(int(match["iy"]), int(match["im"]), int(match["id"]), int(match["ih"]), int(match["iM"]))
        if when is None:
            return None
        attrs = None
        size: int | None = None
        if match["size"] is not None:
            size = int(match["size"])
        else:
            attrs = {"device": f"{int(match['major'])},{int(match['minor'])}"}
        return _entry(info, match["name"], size, when, match["owner"], match["group"] or "", line, attrs)

    def _permission_info(self, text: str) -> PermissionInfo | None:
        """``drwxr-xr-x+`` → (DIR, ``rwxr-xr-x+``); not a permission string → None (cached)."""
        if text in self._perms:
            return self._perms[text]
        info = None
        if _PERM_RE.match(text) is not None:
            info = (_KINDS.get(text[0], EntryKind.OTHER), text[1:])
            if info[0] is not EntryKind.OTHER:
                self._plain_perms[text] = info
        self._perms[text] = info
        return info

    def _date(self, mon: str, day: str, time_or_year: str) -> datetime | None:
        """The date of ``Nov 27 12:00`` / ``Nov 27  2025`` (cached); None when it is not one."""
        key = (mon, day, time_or_year)
        when = self._dates.get(key)
        if when is None:
            when = self._recent_by_parts(mon, day, time_or_year)
            if when is None:
                when = _month_day_date(mon, day, time_or_year, self.reference)
            if when is not None:
                self._dates[key] = when
        return when

    def _recent_by_parts(self, mon: str, day: str, clock: str) -> datetime | None:
        """``Nov 27 12:00`` from a cached day (year already inferred) and a cached clock time.

        Recent files rarely share a minute, so whole dates repeat little; days and clock times
        do. A day whose year depends on the time (tomorrow, seen from ``reference``) is not cached.
        """
        ymd = self._days.get((mon, day))
        if ymd is None:
            ymd = self._days[(mon, day)] = self._inferred_day(mon, day)
        hm = self._clock.get(clock)
        if hm is None:
            hm = self._clock[clock] = _clock_time(clock)
        if not ymd or not hm:
            return None
        return datetime(ymd[0], ymd[1], ymd[2], hm[0], hm[1])

    def _inferred_day(self, mon: str, day: str) -> tuple[int, int, int] | tuple[()]:
        """(year, month, day) of a yearless date, or () when the time decides the year."""
        month = month_number(mon)
        if month is None or not day.isdecimal():
            return ()
        start = _recent_date(month, int(day), 0, 0, self.reference)
        end = _recent_date(month, int(day), 23, 59, self.reference)
        if start is None or end is None or start.year != end.year:
            return ()
        return start.year, start.month, start.day


def _entry(
    info: PermissionInfo,
    name: str,
    size: int | None,
    when: datetime | None,
    owner: str,
    group: str,
    line: str,
    attrs: dict[str, str] | None = None,
) -> Entry:
    if name in DOT_NAMES:
        return SKIP
    kind, permissions = info
    target = None
    if kind is EntryKind.LINK and _LINK_ARROW in name:
        name, _, target = name.partition(_LINK_ARROW)
    if kind is EntryKind.OTHER:
        attrs = {"type": line[0], **(attrs or {})}
    return _new_entry(Entry, (name, kind, size, when, permissions, owner, group, target, attrs, line))


def _clock_time(text: str) -> tuple[int, int] | tuple[()]:
    """``12:00`` → (12, 0); ``24:00`` and anything that is not a time of day → ()."""
    hour, colon, minute = text.partition(":")
    if not (colon and hour.isdecimal() and minute.isdecimal() and len(minute) == 2 and len(hour) <= 2):
        return ()
    if int(hour) > 23 or int(minute) > 59:
        return ()
    return int(hour), int(minute)


def _month_day_date(mon: str, day: str, time_or_year: str, reference: datetime) -> datetime | None:
    """``Nov``, ``27``, ``12:00`` or ``2025`` → datetime; anything else → None."""
    month = month_number(mon)
    if month is None or not day.isdecimal():
        return None
    hour, colon, minute = time_or_year.partition(":")
    if colon:
        if not (hour.isdecimal() and minute.isdecimal() and len(minute) == 2):
            return None
        return _recent_date(month, int(day), int(hour), int(minute), reference)
    if len(time_or_year) == 4 and time_or_year.isdecimal():
        return _valid_datetime(int(time_or_year), month, int(day))
    return None


def _recent_date(month: int, day: int, hour: int, minute: int, reference: datetime) -> datetime | None:
    """The most recent year in which month/day hour:minute is at most a day after ``reference``."""
    carry = timedelta(0)
    if hour == 24 and minute == 0:  # some servers write midnight as 24:00 of the day before
        hour, carry = 0, _ONE_DAY
    latest = reference + _ONE_DAY
    for year in range(reference.year, reference.year - 8, -1):  # 8 years reach a Feb 29
        when = _valid_datetime(year, month, day, hour, minute)
        if when is not None and when + carry <= latest:
            return when + carry
    return None


def _valid_datetime(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:
        return None


def _naive_local(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now()
    if now.tzinfo is not None:
        return now.astimezone().replace(tzinfo=None)
    return now
