"""``ls -l`` style listings (vsftpd, proftpd, pure-ftpd, pyftpdlib, most Unix servers).

    -rw-r--r--    1 1000     1000         1234 Nov 27 12:00 name with spaces
    drwxr-xr-x+   2 user     group        4096 Nov 27  2025 dir
    lrwxrwxrwx    1 user     group           7 Jan 25 00:17 link -> target
    crw-rw-rw-    1 root     root       1,   3 Nov 27 12:00 null

A date with a time has no year: it is the most recent such date that is not more than a day in the
future of ``now`` (``ls`` prints the time for files of the last six months; a day of slack covers
time zones). The name starts exactly one character after the date, so leading spaces are kept.

Speed: the common line is read with one ``str.split(None, 8)`` and a few dictionary look-ups (dates
and permission strings repeat, so both are cached per listing); odd layouts (no group, device
numbers, ISO dates) go through one regular expression.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from ._common import DOT_NAMES, SKIP, LineParser, month_number, run_parser
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
    re.X | re.S,
)
_TOTAL_RE = re.compile(r"total\s+\d+\s*\Z", re.I)

_ONE_DAY = timedelta(days=1)
_NOT_A_DATE = datetime.min  # cache marker: the text is not a date this parser reads
_LINK_ARROW = " -> "
_new_entry = tuple.__new__

_PermLookup = Callable[[str], "tuple[EntryKind, str] | None"]
_DateLookup = Callable[[str, str, str], "datetime | None"]


def parse_unix(lines: Iterable[str], *, now: datetime | None = None) -> list[Entry]:
    """Parse an ``ls -l`` listing; lines no rule reads are kept as raw entries."""
    return run_parser(lines, make_unix_line_parser(now))


def make_unix_line_parser(now: datetime | None = None) -> LineParser:
    """A line parser with its own caches, inferring missing years relative to ``now`` (local time)."""
    reference = _naive_local(now)
    dates: dict[tuple[str, str, str], datetime] = {}
    perms: dict[str, tuple[EntryKind, str] | None] = {}

    def date_of(mon: str, day: str, time_or_year: str) -> datetime | None:
        key = (mon, day, time_or_year)
        when = dates.get(key)
        if when is None:
            when = dates[key] = _month_day_date(mon, day, time_or_year, reference) or _NOT_A_DATE
        return None if when is _NOT_A_DATE else when

    def perm_of(text: str) -> tuple[EntryKind, str] | None:
        if text in perms:
            return perms[text]
        info = perms[text] = _permission_info(text)
        return info

    def parse_line(line: str) -> Entry | None:
        parts = line.split(None, 8)
        if len(parts) == 9:
            perm, _links, owner, group, size, mon, day, time_or_year, name = parts
            info = perm_of(perm)
            if info is not None and size.isdecimal() and day.isdecimal():
                when = date_of(mon, day, time_or_year)
                if when is not None and not line[-len(name) - 2].isspace():
                    return _entry(info, name, int(size), when, owner, group, line)
        return _parse_slow(line, perm_of, date_of)

    return parse_line


def _entry(
    info: tuple[EntryKind, str],
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


def _parse_slow(line: str, perm_of: _PermLookup, date_of: _DateLookup) -> Entry | None:
    """The regular-expression path for layouts the split fast path does not read."""
    match = _SLOW_RE.match(line)
    if match is None:
        return SKIP if _TOTAL_RE.match(line) else None
    info = perm_of(match["perm"])
    if info is None:
        return None
    if match["mon"] is not None:
        when = date_of(match["mon"], match["day"], match["ty"])
    else:
        when = _iso_date(match["iy"], match["im"], match["id"], match["ih"], match["iM"])
    if when is None:
        return None
    attrs = None
    size: int | None = None
    if match["size"] is not None:
        size = int(match["size"])
    else:
        attrs = {"device": f"{int(match['major'])},{int(match['minor'])}"}
    return _entry(info, match["name"], size, when, match["owner"], match["group"] or "", line, attrs)


def _permission_info(text: str) -> tuple[EntryKind, str] | None:
    """``drwxr-xr-x+`` → (DIR, ``rwxr-xr-x+``); not a permission string → None."""
    if _PERM_RE.match(text) is None:
        return None
    return _KINDS.get(text[0], EntryKind.OTHER), text[1:]


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


def _iso_date(year: str, month: str, day: str, hour: str, minute: str) -> datetime | None:
    return _valid_datetime(int(year), int(month), int(day), int(hour), int(minute))


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
