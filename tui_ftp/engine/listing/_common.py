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
import re
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from .model import Entry, EntryKind

_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")

LineParser = Callable[[str], "Entry | None"]
#: A whole-listing parser with a per-line fast path: ``(lines, fallbacks) -> entries``.
BatchParser = Callable[[Iterable[str], "tuple[LineParser, ...]"], "list[Entry]"]
#: Reads one slice of a listing's lines into entries, in order (see :func:`read_in_chunks`).
ChunkReader = Callable[[list[str]], "list[Entry]"]
#: Reads one line the chunk readers left over: an Entry, or :data:`SKIP`.
LineReader = Callable[[str], "Entry"]

#: Lines per chunk for the chunked fast paths: enough to spread each chunk's fixed steps thin,
#: few enough that its temporary strings and tuples stay in the CPU cache.
CHUNK_LINES = 1024

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


class KeyedCache(dict[_K, _V]):
    """A dictionary that computes a missing value with ``compute(key)`` and keeps it.

    The fast paths look up dates, permission strings and names that repeat from line to line:
    ``cache[key]`` is one C-level subscript when the key was seen before (``dict.get`` plus a
    fallback call would cost a method call on every line).
    """

    __slots__ = ("compute",)

    def __init__(self, compute: Callable[[_K], _V]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key: _K) -> _V:
        value = self[key] = self.compute(key)
        return value


def same(value: str) -> str:
    """The identity: ``KeyedCache(same)`` hands out one shared object per distinct owner/group name."""
    return value


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


def line_reader(parse_line: LineParser, fallbacks: tuple[LineParser, ...]) -> LineReader:
    """``parse_line``, then ``fallbacks``, then a raw entry: what :func:`run_parser` does to each line."""

    def read_line(line: str) -> Entry:
        entry = parse_line(line)
        return entry if entry is not None else read_elsewhere(line, fallbacks)

    return read_line


# -- the chunked fast paths ----------------------------------------------------------------------
#
# Python pays for every bytecode it runs per line, so the fast paths work on a chunk of lines at a
# time: one regular expression over the chunk's text gives its fields as columns (``split``, in
# C; see :func:`split_columns`), and ``map`` converts each column (dates and permission strings
# through caches, sizes through ``int``) and builds the entries, all in C. A line the expression
# does not read, or whose fields do not convert, is marked and handed to the format's line
# parser, in its place.


def read_in_chunks(lines: Iterable[str], read_chunk: ChunkReader) -> list[Entry]:
    """Run ``read_chunk`` over ``lines`` in slices of :data:`CHUNK_LINES`, the collector paused."""
    if not isinstance(lines, list):
        lines = list(lines)
    entries: list[Entry] = []
    with gc_paused():
        for start in range(0, len(lines), CHUNK_LINES):
            entries += read_chunk(lines[start : start + CHUNK_LINES])
    return entries


def chunk_text(chunk: list[str]) -> str | None:
    """The chunk's lines, each ended by ``\\n``; None if a line holds a ``\\n`` (rows would shift)."""
    text = "\n".join([*chunk, ""])
    return text if text.count("\n") == len(chunk) else None


def split_columns(pattern: re.Pattern[str], text: str) -> list[list[Any]]:
    """The groups of ``pattern`` over ``text`` as columns: one list per group, one item per line.

    ``pattern`` must match every line of ``text`` in turn, its ``\\n`` included (a fast
    alternative with the groups, then ``[^\\n]*+`` for any other line), so ``split`` returns
    ``['', g1, ..., gN, '', g1, ...]`` and each column is one slice of it. An item is the group's
    text, or None where the group took no part (a line the fast alternative did not read).
    """
    fields = pattern.split(text)
    stride = pattern.groups + 1
    return [fields[group::stride] for group in range(1, stride)]


def splice(chunk: list[str], read: list[bool], fast_entries: list[Entry], read_line: LineReader) -> list[Entry]:
    """The chunk's entries in line order: ``fast_entries`` for the ``read`` lines, ``read_line``'s for the rest."""
    entries: list[Entry] = []
    append = entries.append
    fast = iter(fast_entries)
    for line, was_read in zip(chunk, read):
        if was_read:
            append(next(fast))
        else:
            entry = read_line(line)
            if entry is not SKIP:
                append(entry)
    return entries


def read_by_line(chunk: list[str], read_line: LineReader) -> list[Entry]:
    """A chunk the fast path cannot take at all (a line holds a ``\\n``), one line at a time."""
    return splice(chunk, [False] * len(chunk), [], read_line)


def read_elsewhere(line: str, fallbacks: tuple[LineParser, ...]) -> Entry:
    """A line the chosen parser could not read: the first fallback that reads it, else a raw entry."""
    if not line or line.isspace():
        return SKIP
    for parse_line in fallbacks:
        entry = parse_line(line)
        if entry is not None:
            return entry
    return raw_entry(line)
