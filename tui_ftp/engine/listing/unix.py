"""``ls -l`` style listings (vsftpd, proftpd, pure-ftpd, pyftpdlib, most Unix servers).

    -rw-r--r--    1 1000     1000         1234 Nov 27 12:00 name with spaces
    drwxr-xr-x+   2 user     group        4096 Nov 27  2025 dir
    lrwxrwxrwx    1 user     group           7 Jan 25 00:17 link -> target
    crw-rw-rw-    1 root     root       1,   3 Nov 27 12:00 null

A date with a time has no year: it is the most recent such date that is not more than a day in the
future of ``now`` (``ls`` prints the time for files of the last six months; a day of slack covers
time zones). The name starts exactly one character after the date, so leading spaces are kept.
``Entry.permissions`` is the permission string without the type letter (``rwxr-xr-x+``).

Speed: plain file, folder and link lines are read a chunk at a time (see ``_common``): one
regular expression over the chunk's text gives the columns, dates and permission strings go
through caches by their text (they repeat; new recent dates are added up from cached day starts
and clock offsets), sizes through ``int``, all in C. Everything else (devices, no group column,
ISO dates, tabs, odd spacing, bad dates) goes through :meth:`UnixListingParser.parse_line`, in
its place: the reference the fast path is tested against.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from itertools import compress, count, repeat
from operator import is_, is_not

from ._common import (
    DOT_NAMES,
    SKIP,
    KeyedCache,
    LineParser,
    LineReader,
    chunk_text,
    line_reader,
    month_number,
    read_by_line,
    read_in_chunks,
    same,
    splice,
    split_columns,
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

# The common line, one row per line of a chunk's text: a file, folder or link, fields split by
# spaces, a numeric size, a ``Mon dd hh:mm``/``Mon dd yyyy`` date and the name one space after it
# (not ``.``/``..``). Groups: permissions, owner, group, size, date, name; all empty for any other
# line. ``\S`` is exactly what ``str.split`` keeps, so every line it reads comes out the same as
# through :meth:`UnixListingParser.parse_line`.
_FAST_RE = re.compile(
    r"(?:([-dl][-rwxsStTlL?]{9}[+.@]?+) ++\S++ ++(\S++) ++(\S++) ++([0-9]++) ++"
    r"([A-Za-z]{3} ++[0-9]{1,2}+ ++[0-9:]{4,5}+) (?![.][.]?\n)(\S[^\n]*+)|[^\n]*+)\n"
)

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
        # The fast path's caches: dates by their text (None: not a date), the kind and
        # permissions of permission strings of files, folders and links, owner and group names.
        self._text_dates: KeyedCache[str | None, datetime | None] = KeyedCache(self._date_of_text)
        self._plain_kinds: KeyedCache[str, EntryKind] = KeyedCache(_plain_kind)
        self._plain_permissions: KeyedCache[str, str] = KeyedCache(_plain_permissions)
        self._names: KeyedCache[str, str] = KeyedCache(same)
        self._day_starts: KeyedCache[str, datetime | None] = KeyedCache(self._day_start)
        self._clock_offsets: KeyedCache[str, timedelta | None] = KeyedCache(_clock_offset)

    def parse(self, lines: Iterable[str], fallbacks: tuple[LineParser, ...] = ()) -> list[Entry]:
        """Parse a whole listing; lines this parser cannot read go to ``fallbacks``, else stay raw."""
        read_line = line_reader(self.parse_line, fallbacks)
        return read_in_chunks(lines, lambda chunk: self._read_chunk(chunk, read_line))

    def _read_chunk(self, chunk: list[str], read_line: LineReader) -> list[Entry]:
        """One chunk: the lines :data:`_FAST_RE` reads with a valid date in C, the others one by one."""
        text = chunk_text(chunk)
        if text is None:
            return read_by_line(chunk, read_line)
        perms, owners, groups, sizes, dates, names = split_columns(_FAST_RE, text)
        whens = list(map(self._text_dates.__getitem__, dates))
        if None not in whens:
            return self._entries(chunk, perms, owners, groups, sizes, whens, names)
        read = list(map(is_not, whens, repeat(None)))
        columns = (chunk, perms, owners, groups, sizes, whens, names)
        fast = self._entries(*[list(compress(column, read)) for column in columns])
        return splice(chunk, read, fast, read_line)

    def _entries(
        self,
        lines: Sequence[str],
        perms: Sequence[str],
        owners: Sequence[str],
        groups: Sequence[str],
        sizes: Sequence[str],
        whens: Sequence[datetime | None],
        names: Sequence[str],
    ) -> list[Entry]:
        """Entries from the columns of lines :data:`_FAST_RE` read (dates already converted)."""
        kinds = list(map(self._plain_kinds.__getitem__, perms))
        targets: Iterable[str | None] = repeat(None)
        if EntryKind.LINK in kinds:
            names, targets = _split_links(names, kinds)
        permissions = map(self._plain_permissions.__getitem__, perms)
        shared = self._names.__getitem__  # one string per distinct owner or group: less memory
        fields = zip(names, kinds, map(int, sizes), whens, permissions, map(shared, owners), map(shared, groups), targets, repeat(None), lines)
        return list(map(_new_entry, repeat(Entry), fields))

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
        self._perms[text] = info
        return info

    def _date(self, mon: str, day: str, time_or_year: str) -> datetime | None:
        """The date of ``Nov 27 12:00`` / ``Nov 27  2025`` (cached); None when it is not one."""
        key = (mon, day, time_or_year)
        when = self._dates.get(key)
        if when is None:
            when = self._new_date(mon, day, time_or_year)
            if when is not None:
                self._dates[key] = when
        return when

    def _date_of_text(self, text: str | None) -> datetime | None:
        """The date of a ``Nov 27 12:00``-style text :data:`_FAST_RE` captured; None if it is not one
        (None for a line it did not read).

        Recent dates (a clock time, no year) rarely repeat, so there are many: each is the cached
        start of its day plus the cached offset of its clock time. The rest (a year instead of a
        time, a day whose year the time decides, junk) go through :meth:`_new_date`.
        """
        if text is None:
            return None
        day_text, _, clock = text.rpartition(" ")
        offset = self._clock_offsets[clock]
        if offset is not None:
            start = self._day_starts[day_text]
            if start is not None:
                return start + offset
        return self._date_of_words(text)

    def _date_of_words(self, text: str) -> datetime | None:
        mon, day, time_or_year = text.split()
        return self._new_date(mon, day, time_or_year)

    def _new_date(self, mon: str, day: str, time_or_year: str) -> datetime | None:
        return self._recent_by_parts(mon, day, time_or_year) or _month_day_date(mon, day, time_or_year, self.reference)

    def _recent_by_parts(self, mon: str, day: str, clock: str) -> datetime | None:
        """``Nov 27 12:00`` from a cached day (year already inferred) and a cached clock time.

        Recent files rarely share a minute, so whole dates repeat little; days and clock times
        do. A day whose year depends on the time (tomorrow, seen from ``reference``) has no start.
        """
        start = self._day_starts[f"{mon} {day}"]
        offset = self._clock_offsets[clock]
        if start is None or offset is None:
            return None
        return start + offset

    def _day_start(self, text: str) -> datetime | None:
        """Midnight of a yearless ``Nov 27`` in its inferred year; None when the time decides the year."""
        mon, day = text.split()
        month = month_number(mon)
        if month is None or not day.isdecimal():
            return None
        start = _recent_date(month, int(day), 0, 0, self.reference)
        end = _recent_date(month, int(day), 23, 59, self.reference)
        if start is None or end is None or start.year != end.year:
            return None
        return start


def _plain_kind(text: str) -> EntryKind:
    """The kind of a permission string :data:`_FAST_RE` read: it starts with ``-``, ``d`` or ``l``."""
    return _KINDS[text[0]]


def _plain_permissions(text: str) -> str:
    return text[1:]


def _split_links(names: Sequence[str], kinds: list[EntryKind]) -> tuple[list[str], list[str | None]]:
    """Names of links split at the first `` -> `` into name and target (no arrow: no target)."""
    names = list(names)
    targets: list[str | None] = [None] * len(names)
    for index in compress(count(), map(is_, kinds, repeat(EntryKind.LINK))):
        if _LINK_ARROW in names[index]:
            names[index], _, targets[index] = names[index].partition(_LINK_ARROW)
    return names, targets


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


def _clock_offset(text: str) -> timedelta | None:
    """``12:00`` → 12 hours; ``24:00`` and anything that is not a time of day → None."""
    hour, colon, minute = text.partition(":")
    if not (colon and hour.isdecimal() and minute.isdecimal() and len(minute) == 2 and len(hour) <= 2):
        return None
    if int(hour) > 23 or int(minute) > 59:
        return None
    return timedelta(hours=int(hour), minutes=int(minute))


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
