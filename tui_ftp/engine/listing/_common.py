"""Pieces shared by the listing parsers: the raw-line entry, the skip marker, month names, the drivers.

A *line parser* is a callable ``(line) -> Entry | None``: it returns an :class:`Entry`, the
:data:`SKIP` marker for lines that carry no entry (headers, ``total 12``, ``.`` and ``..``), or
``None`` when it cannot read the line. The drivers offer such a line to the fallback parsers and
finally keep it as a raw entry, so no line is ever silently lost.

Lines come without their line ends (as ``str.splitlines`` or the engine gives them): everything
in a line, trailing spaces and control characters included, belongs to it. Blank lines carry no
entry and are skipped.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from .model import Entry, EntryKind

LineParser = Callable[[str], "Entry | None"]
#: A whole-listing parser with a per-line fast path: ``(lines, fallbacks) -> entries``.
BatchParser = Callable[[Iterable[str], "tuple[LineParser, ...]"], "list[Entry]"]

#: Returned by a line parser for a line that is not an entry (header, total, ``.``/``..``).
SKIP: Entry = Entry(name="", kind=EntryKind.OTHER, raw="<skip>")

#: Names the parsers drop: the UI adds its own ``..``.
DOT_NAMES = frozenset((".", ".."))

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
    return Entry(name=line, kind=EntryKind.OTHER, attrs={"unparsed": "1"}, raw=line)


def expand_two_digit_year(year: int) -> int:
    """``99`` → 1999, ``26`` → 2026 (the POSIX ``%y`` pivot); larger numbers are kept.

    Three-digit years (``103`` from servers that print ``tm_year``) mean 1900 + year.
    """
    if year < 70:
        return 2000 + year
    if year < 1000:
        return 1900 + year
    return year


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector while a listing is parsed.

    Every entry is a new tracked tuple; with 100,000 of them the collector would run hundreds of
    times and walk the whole heap several times (a quarter of the parse time). Entries hold no
    cycles, so nothing is lost by collecting afterwards. The previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_parser(lines: Iterable[str], parse_line: LineParser, fallbacks: tuple[LineParser, ...] = ()) -> list[Entry]:
    """Feed every line to ``parse_line``; offer the ones it cannot read to ``fallbacks``, else keep them raw."""
    entries: list[Entry] = []
    append = entries.append
    skip = SKIP
    with gc_paused():
        for line in lines:
            entry = parse_line(line)
            if entry is None:
                entry = read_elsewhere(line, fallbacks)
            if entry is not skip:
                append(entry)
    return entries


def read_elsewhere(line: str, fallbacks: tuple[LineParser, ...]) -> Entry:
    """A line the chosen parser could not read: the first fallback that reads it, else a raw entry."""
    if not line or line.isspace():
        return SKIP
    for parse_line in fallbacks:
        entry = parse_line(line)
        if entry is not None:
            return entry
    return raw_entry(line)
