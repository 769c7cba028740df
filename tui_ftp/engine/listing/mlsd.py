"""RFC 3659 machine listings: MLSD lines and the fact line of an MLST reply.

    type=file;size=1234;modify=20261127120000;perm=adfr;UNIX.mode=0644; name with spaces

The facts end at the first space; exactly ONE space separates them from the name, and everything
after it is the name (leading and trailing spaces, tabs and all). Old drafts (before mlst-07) have
no ``;`` after the last fact, and a few servers put a TAB where the space belongs. Fact names are
case-insensitive. ``modify`` is UTC, so ``Entry.modified`` is an aware datetime. ``cdir``/``pdir``
(and the names ``.``/``..``) are dropped from MLSD; MLST keeps them, since there they describe the
path asked about.

What lands in the entry: kind from ``type`` (``OS.unix=slink:target`` / ``symlink`` → LINK),
size from ``size`` (or ``sizd``), ``modify``, permissions rendered from ``UNIX.mode`` (else the
``perm`` fact as sent), owner/group from ``UNIX.ownername``/``owner``/``uid`` and the group
equivalents. ``Entry.attrs`` stays None: building a dictionary of every fact for every line would
double the parse time, so :func:`mlsd_facts` gives them all (``unique``, ``perm``...) on demand
from ``Entry.raw``.

Speed: servers write the same facts in the same order on every line, so a chunk of lines is read
by one regular expression compiled for that layout (a *skeleton*, learnt from a file or folder
line): one ``findall`` over the chunk's text, then its columns are converted with ``map`` (the day
and the time of ``modify`` through caches, ``UNIX.mode`` through a cache), all in C. A line of
another layout or type (``cdir``, links, ``unknown``) takes the general path,
:func:`parse_mlsd_line`, which the skeletons are tested against.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from itertools import compress, repeat
from operator import add, is_not
from typing import Any

from ._common import (
    DOT_NAMES,
    SKIP,
    KeyedCache,
    LineParser,
    chunk_text,
    line_reader,
    read_by_line,
    read_in_chunks,
    same,
    splice,
    split_columns,
)
from .model import Entry, EntryKind

_TYPES: dict[str, EntryKind] = {
    "file": EntryKind.FILE,
    "dir": EntryKind.DIR,
    "cdir": EntryKind.DIR,
    "pdir": EntryKind.DIR,
}
_PARENT_TYPES = frozenset(("cdir", "pdir"))
_OWNER_FACTS = ("unix.ownername", "unix.owner", "unix.uid")
_GROUP_FACTS = ("unix.groupname", "unix.group", "unix.gid")
_RWX = ("---", "--x", "-w-", "-wx", "r--", "r-x", "rw-", "rwx")
_FACT_NAME_RE = re.compile(r"[A-Za-z0-9._-]+\Z")
_MAX_SKELETONS = 16
_new_entry = tuple.__new__
_utc = UTC
_fromisoformat = datetime.fromisoformat

_modes: dict[str, str] = {}


def parse_mlsd(lines: Iterable[str], fallbacks: tuple[LineParser, ...] = ()) -> list[Entry]:
    """Parse MLSD output; ``cdir``/``pdir`` entries are dropped, unreadable lines kept raw."""
    return read_in_chunks(lines, _MlsdReader(fallbacks).read_chunk)


def parse_mlsd_line(line: str) -> Entry | None:
    """One MLSD line → Entry; :data:`SKIP` for ``cdir``/``pdir``/``.``/``..``; None if not MLSD."""
    split = _split_facts(line)
    if split is None:
        return None
    facts, name = split
    if name in DOT_NAMES or facts.get("type", "").lower() in _PARENT_TYPES:
        return SKIP
    return _entry_from_facts(name, facts, line)


def parse_mlst_facts(line: str) -> Entry | None:
    """The fact line of an MLST reply (`` type=file;size=1;modify=...; /path``) → Entry, or None.

    The line starts with one space inside the ``250-`` reply; the name is the path as the server
    wrote it. A ``cdir`` (MLST of the current folder) is kept as a DIR.
    """
    if line[:1] == " ":
        line = line[1:]
    split = _split_facts(line)
    return _entry_from_facts(split[1], split[0], line) if split is not None else None


def mlsd_facts(line: str) -> dict[str, str]:
    """Every fact of an MLSD/MLST line (``Entry.raw``), names lower-cased; {} if it has none."""
    split = _split_facts(line[1:] if line[:1] == " " else line)
    return split[0] if split is not None else {}


# -- the general path ----------------------------------------------------------------------------


def _split_facts(line: str) -> tuple[dict[str, str], str] | None:
    """``facts; name`` → (facts with lower-cased names, name); None when it is not such a line."""
    space = line.find(" ")
    facts_text = line[:space] if space >= 0 else line
    if "\t" in facts_text:  # a TAB where the single space belongs
        space = line.find("\t")
        facts_text = line[:space]
    if space <= 0 or "=" not in facts_text:
        return None
    facts: dict[str, str] = {}
    for fact in facts_text.split(";"):
        if not fact:
            continue
        name, equals, value = fact.partition("=")
        if not equals or not name:
            return None
        facts[name.lower()] = value
    return facts, line[space + 1 :]


def _entry_from_facts(name: str, facts: dict[str, str], line: str) -> Entry:
    kind, target = _kind(facts.get("type", ""))
    size_text = facts.get("size", facts.get("sizd"))
    size = int(size_text) if size_text is not None and size_text.isdecimal() else None
    modify = facts.get("modify")
    modified = _utc_time(modify) if modify is not None else None
    mode = facts.get("unix.mode")
    permissions = _mode_text(mode) if mode is not None else facts.get("perm", "")
    owner = _first_present(facts, _OWNER_FACTS)
    group = _first_present(facts, _GROUP_FACTS)
    return _new_entry(Entry, (name, kind, size, modified, permissions, owner, group, target, None, line))


def _kind(type_value: str) -> tuple[EntryKind, str | None]:
    """``file``/``dir``/``cdir``/``pdir`` and ``OS.unix=slink:/target`` / ``OS.unix=symlink``."""
    lowered = type_value.lower()
    kind = _TYPES.get(lowered)
    if kind is not None:
        return kind, None
    if lowered.startswith(("os.unix=slink", "os.unix=symlink")):
        _, colon, target = type_value.partition(":")
        return EntryKind.LINK, (target if colon and target else None)
    return EntryKind.OTHER, None


def _utc_time(value: str) -> datetime | None:
    """``YYYYMMDDHHMMSS[.sss]`` (UTC) → aware datetime; malformed → None."""
    if len(value) < 14 or not value[:14].isdecimal() or not value[:14].isascii():
        return None
    fraction = value[14:]
    if fraction and not (len(fraction) > 1 and fraction[0] == "." and fraction[1:].isdecimal() and fraction.isascii()):
        return None
    try:
        return _fromisoformat(f"{value[:8]}T{value[8:14]}{fraction[:7]}+00:00")
    except ValueError:
        return None


def _mode_text(mode: str) -> str:
    """``0644`` → ``rw-r--r--`` (special bits shown as s/S/t/T); not octal → the text as given."""
    text = _modes.get(mode)
    if text is None:
        text = _render_mode(mode)
        if len(_modes) < 4096:
            _modes[mode] = text
    return text


def _render_mode(mode: str) -> str:
    if not mode or not mode.isascii() or not mode.isdigit() or "8" in mode or "9" in mode:
        return mode
    value = int(mode, 8)
    chars = list("".join(_RWX[(value >> shift) & 7] for shift in (6, 3, 0)))
    for bit, index, letter in ((0o4000, 2, "s"), (0o2000, 5, "s"), (0o1000, 8, "t")):
        if value & bit:
            chars[index] = letter if chars[index] == "x" else letter.upper()
    return "".join(chars)


def _first_present(facts: dict[str, str], names: tuple[str, ...]) -> str:
    for name in names:
        if name in facts:
            return facts[name]
    return ""


# -- the fast path: one compiled skeleton per fact layout ----------------------------------------

# Fields a skeleton captures, in the order its ``order`` lists their groups. ``modify`` arrives
# in two parts, the day and the time of day, each converted once through a cache.
_FIELDS = ("type", "size", "day", "clock", "perm", "owner", "group", "name")
_VALUE = r"[^; \t\n]*+"  # what a fact's value can hold (the general path splits on ';' and ' ')
_FIELD_VALUES = {"size": r"([0-9]++)", "modify": r"([0-9]{8})([0-9]{6}(?:\.[0-9]++)?+)"}
_SIZE_FACTS = ("size", "sizd")
#: Lines of a chunk searched for the layout its skeleton is built from.
_LAYOUT_SAMPLE = 16
_EPOCH = datetime(2000, 1, 1, tzinfo=_utc)


class _Skeleton:
    """The compiled reader of lines whose facts come in one order and spelling.

    ``pattern`` reads every line of a chunk's text (:func:`split_columns`); its groups, in
    ``order``, are the :data:`_FIELDS` of a line of this layout.
    """

    __slots__ = ("octal_mode", "order", "pattern")

    def __init__(self, pattern: re.Pattern[str], order: tuple[int, ...], octal_mode: bool) -> None:
        self.pattern = pattern
        self.order = order
        self.octal_mode = octal_mode


def _layout(line: str) -> tuple[str, ...] | None:
    """The fact names of a plain ``facts; name`` line, in order; None if the layout is not plain."""
    space = line.find(" ")
    if space <= 1 or line[space - 1] != ";":
        return None
    names = tuple(fact.partition("=")[0] for fact in line[: space - 1].split(";"))
    lowered = {name.lower() for name in names}
    if len(lowered) != len(names) or "type" not in lowered or any(_FACT_NAME_RE.match(name) is None for name in names):
        return None
    return names


def _skeleton_for(names: tuple[str, ...]) -> _Skeleton:
    """Compile the skeleton of a layout.

    A layout with one size fact (``size`` or ``sizd``) reads lines with either one, or neither,
    in its place: servers leave it out for folders, or write ``sizd`` for them.
    """
    lowered = [name.lower() for name in names]
    wanted = {
        "type": "type",
        "size": "size" if "size" in lowered else "sizd",
        "modify": "modify",
        "perm": "unix.mode" if "unix.mode" in lowered else "perm",
        "owner": next((fact for fact in _OWNER_FACTS if fact in lowered), ""),
        "group": next((fact for fact in _GROUP_FACTS if fact in lowered), ""),
    }
    captured = {fact: field for field, fact in wanted.items() if fact in lowered}
    either_size = len(set(_SIZE_FACTS).intersection(lowered)) == 1
    parts: list[str] = []
    fields: list[str] = []  # the field of each group, in order
    for name, low in zip(names, lowered):
        field = captured.get(low)
        if field is None:
            parts.append(f"{re.escape(name)}={_VALUE};")
        elif field == "size" and either_size:
            parts.append(r"(?:(?i:size|sizd)=([0-9]++);)?+")
        else:
            parts.append(f"{re.escape(name)}={_FIELD_VALUES.get(field, f'({_VALUE})')};")
        fields += ["day", "clock"] if field == "modify" else [field] if field else []
    fields.append("name")
    # A field this layout lacks reads an empty group at the end, so it arrives as "".
    absent = [field for field in _FIELDS if field not in fields]
    pattern = re.compile(f"(?:{''.join(parts)} (?![.][.]?\\n)([^\\n]*+){'()' * len(absent)}|[^\\n]*+)\\n")
    fields += absent
    return _Skeleton(pattern, tuple(fields.index(field) for field in _FIELDS), "unix.mode" in lowered)


class _MlsdReader:
    """One listing's skeletons, caches and line reader (for the lines no skeleton reads)."""

    def __init__(self, fallbacks: tuple[LineParser, ...]) -> None:
        self.read_line = line_reader(parse_mlsd_line, fallbacks)
        self.skeletons: dict[tuple[str, ...], _Skeleton] = {}
        self.kinds: KeyedCache[str, EntryKind | None] = KeyedCache(_FAST_TYPES.get)
        self.days: KeyedCache[str, datetime | None] = KeyedCache(_day_start)
        self.clocks: KeyedCache[str, timedelta | None] = KeyedCache(_clock_offset)
        self.modes: KeyedCache[str, str] = KeyedCache(_mode_text)
        self.names: KeyedCache[str, str] = KeyedCache(same)

    def read_chunk(self, chunk: list[str]) -> list[Entry]:
        """One chunk: the file and folder lines of its layout in C, the others one by one."""
        skeleton = self._skeleton(chunk)
        text = chunk_text(chunk) if skeleton is not None else None
        if skeleton is None or text is None:
            return read_by_line(chunk, self.read_line)
        columns = split_columns(skeleton.pattern, text)
        fields = [columns[index] for index in skeleton.order]
        kinds = list(map(self.kinds.__getitem__, fields[0]))  # None: not a file or folder, or not read
        if None not in kinds:
            return self._entries(skeleton, chunk, kinds, fields)
        read = list(map(is_not, kinds, repeat(None)))
        picked = [list(compress(field, read)) for field in fields]
        fast = self._entries(skeleton, list(compress(chunk, read)), list(compress(kinds, read)), picked)
        return splice(chunk, read, fast, self.read_line)

    def _entries(self, skeleton: _Skeleton, lines: list[str], kinds: list[EntryKind | None], fields: list[list[Any]]) -> list[Entry]:
        """Entries of the file and folder lines a skeleton read: their ``kinds`` and :data:`_FIELDS` columns."""
        _, sizes, days, clocks, perms, owners, groups, names = fields
        starts = list(map(self.days.__getitem__, days))
        offsets = list(map(self.clocks.__getitem__, clocks))
        whens: Iterable[datetime | None]
        if None in starts or None in offsets:
            whens = [_moment(start, offset) for start, offset in zip(starts, offsets)]
        else:
            whens = map(add, starts, offsets)
        size_values = map(int, sizes) if all(sizes) else [int(size) if size else None for size in sizes]  # "", None: no size
        permissions = map(self.modes.__getitem__, perms) if skeleton.octal_mode else perms
        shared = self.names.__getitem__  # one string per distinct owner or group: less memory
        entry_fields = zip(names, kinds, size_values, whens, permissions, map(shared, owners), map(shared, groups), repeat(None), repeat(None), lines)
        return list(map(_new_entry, repeat(Entry), entry_fields))

    def _skeleton(self, chunk: list[str]) -> _Skeleton | None:
        """A chunk's skeleton: of its first file or folder line with a size, else of its first one."""
        first: tuple[str, ...] | None = None
        for line in chunk[:_LAYOUT_SAMPLE]:
            facts = mlsd_facts(line)
            if facts.get("type", "").lower() not in ("file", "dir") or (names := _layout(line)) is None:
                continue
            if not set(_SIZE_FACTS).isdisjoint(facts):
                return self._compiled(names)
            first = first or names
        return self._compiled(first) if first is not None else None

    def _compiled(self, names: tuple[str, ...]) -> _Skeleton:
        skeleton = self.skeletons.get(names)
        if skeleton is None:
            skeleton = self.skeletons[names] = _skeleton_for(names)
        return skeleton


def _moment(start: datetime | None, offset: timedelta | None) -> datetime | None:
    return start + offset if start is not None and offset is not None else None


def _day_start(day: str) -> datetime | None:
    """``20261127`` → midnight UTC of that day; None if it is not a date (or is empty)."""
    return _utc_time(f"{day}000000") if day else None


def _clock_offset(clock: str) -> timedelta | None:
    """``173428[.25]`` → the time since midnight; None if it is not a time of day (or is empty)."""
    start = _utc_time(f"20000101{clock}") if clock else None
    return start - _EPOCH if start is not None else None


_FAST_TYPES: dict[str, EntryKind] = {
    spelling: kind
    for name, kind in (("file", EntryKind.FILE), ("dir", EntryKind.DIR))
    for spelling in (name, name.upper(), name.capitalize())
}
