"""DOS/IIS style listings (Microsoft IIS in its default "MS-DOS" listing style, old Windows servers).

    11-27-26  12:00PM       <DIR>          name
    11-27-2026  09:05AM             1234 name with spaces
    2002-09-02  19:06                9,730 name

Dates are month-day-year as IIS writes them (day-month when the first number cannot be a month),
or year-month-day when the first number has four digits; two-digit years pivot at 70. The time is
12-hour with AM/PM or 24-hour. Names are the rest of the line after the size column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from ._common import DOT_NAMES, SKIP, expand_two_digit_year, run_parser
from .model import Entry, EntryKind

_DOS_RE = re.compile(
    r"""\s*(?P<a>\d{1,4})[-/.](?P<b>\d{1,2})[-/.](?P<c>\d{1,4})\s+
    (?P<hour>\d{1,2}):(?P<minute>\d\d)(?::\d\d)?\s*(?P<ampm>[AaPp][Mm])?\s+
    (?:(?P<dir><DIR>)|(?P<size>\d[\d,.]*))\s+
    (?P<name>.+)\Z""",
    re.VERBOSE | re.DOTALL,
)
_new_entry = tuple.__new__


def parse_dos(lines: Iterable[str]) -> list[Entry]:
    """Parse a DOS/IIS listing; lines no rule reads are kept as raw entries."""
    return run_parser(lines, parse_dos_line)


def parse_dos_line(line: str) -> Entry | None:
    """One DOS/IIS line → Entry, :data:`SKIP` for ``.``/``..``, None when it is not such a line."""
    match = _DOS_RE.match(line)
    if match is None:
        return None
    name = match["name"]
    if name in DOT_NAMES:
        return SKIP
    when = _dos_datetime(match)
    if when is None:
        return None
    if match["dir"] is not None:
        kind, size = EntryKind.DIR, None
    else:
        kind, size = EntryKind.FILE, int(match["size"].replace(",", "").replace(".", ""))
    return _new_entry(Entry, (name, kind, size, when, "", "", "", None, None, line))


def _dos_datetime(match: re.Match[str]) -> datetime | None:
    first, second, third = match["a"], match["b"], match["c"]
    if len(first) == 4:
        year, month, day = int(first), int(second), int(third)
    else:
        month, day, year = int(first), int(second), expand_two_digit_year(int(third))
        if month > 12:
            month, day = day, month
    hour = _hour_24(int(match["hour"]), match["ampm"])
    try:
        return datetime(year, month, day, hour, int(match["minute"]))
    except ValueError:
        return None


def _hour_24(hour: int, ampm: str | None) -> int:
    if ampm is None:
        return hour
    if ampm.upper() == "PM":
        return hour if hour == 12 else hour + 12
    return 0 if hour == 12 else hour
