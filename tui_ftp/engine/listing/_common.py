"""Pieces shared by the listing parsers: the raw-line entry, the skip marker, month names, the driver.

A *line parser* is a callable ``(line) -> Entry | None``: it returns an :class:`Entry`, the
:data:`SKIP` marker for lines that carry no entry (headers, ``total 12``, ``.`` and ``..``), or
``None`` when it cannot read the line. The driver turns ``None`` into a raw entry, so no line is
ever silently lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .model import Entry, EntryKind

LineParser = Callable[[str], "Entry | None"]

#: Returned by a line parser for a line that is not an entry (header, total, ``.``/``..``).
SKIP: Entry = Entry(name="", kind=EntryKind.OTHER, raw="<skip>")

#: Names the parsers drop: the UI adds its own ``..``.
DOT_NAMES = frozenset((".", ".."))

_UNPARSED_KIND = EntryKind.OTHER

MONTHS: dict[str, int] = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}


def month_number(text: str) -> int | None:
    """``Nov``/``nov``/``NOV`` → 11; anything else → None."""
    return MONTHS.get(text.lower()) if len(text) == 3 else None


def raw_entry(line: str) -> Entry:
    """The entry kept for a line no parser could read: its name is the whole line."""
    return Entry(name=line, kind=_UNPARSED_KIND, attrs={"unparsed": "1"}, raw=line)


def strip_line_end(line: str) -> str:
    """Drop a trailing CR/LF left by the transport; everything else (spaces, tabs) is kept."""
    if line[-1:] in ("\n", "\r"):
        return line.rstrip("\r\n")
    return line


def expand_two_digit_year(year: int) -> int:
    """``99`` → 1999, ``26`` → 2026 (the POSIX ``%y`` pivot); larger numbers are kept.

    Three-digit years (``103`` from servers that print ``tm_year``) mean 1900 + year.
    """
    if year < 70:
        return 2000 + year
    if year < 1000:
        return 1900 + year
    return year


def run_parser(lines: Iterable[str], parse_line: LineParser, fallbacks: tuple[LineParser, ...] = ()) -> list[Entry]:
    """Feed every line to ``parse_line``; try ``fallbacks`` for lines it cannot read; keep the rest raw."""
    entries: list[Entry] = []
    append = entries.append
    skip = SKIP
    for line in lines:
        if line[-1:] in ("\n", "\r"):
            line = line.rstrip("\r\n")
        if not line or line.isspace():
            continue
        entry = parse_line(line)
        if entry is None:
            entry = _first_reading(line, fallbacks)
        if entry is not skip:
            append(entry)
    return entries


def _first_reading(line: str, fallbacks: tuple[LineParser, ...]) -> Entry:
    for parse_line in fallbacks:
        entry = parse_line(line)
        if entry is not None:
            return entry
    return raw_entry(line)
