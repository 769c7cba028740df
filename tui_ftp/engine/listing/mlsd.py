"""RFC 3659 machine listings: MLSD lines and the fact line of an MLST reply.

    type=file;size=1234;modify=20261127120000;perm=adfr;UNIX.mode=0644; name with spaces

The facts end at the first space; exactly ONE space separates them from the name, and everything
after it is the name (leading and trailing spaces, tabs and all). Old drafts (before mlst-07) have
no ``;`` after the last fact, and a few servers put a TAB where the space belongs. Fact names are
case-insensitive: they are lower-cased into ``Entry.attrs``, which keeps every fact. ``modify`` is
UTC, so ``Entry.modified`` is an aware datetime. ``cdir``/``pdir`` (and the names ``.``/``..``)
are dropped from MLSD; MLST keeps them, since there they describe the path asked about.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from ._common import DOT_NAMES, SKIP, run_parser
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
_new_entry = tuple.__new__
_utc = timezone.utc

# Fact names arrive in a handful of spellings; lower-casing each one every line is measurable.
_fact_names: dict[str, str] = {}
_modes: dict[str, str] = {}


def parse_mlsd(lines: Iterable[str]) -> list[Entry]:
    """Parse MLSD output; ``cdir``/``pdir`` entries are dropped, unreadable lines kept raw."""
    return run_parser(lines, parse_mlsd_line)


def parse_mlsd_line(line: str) -> Entry | None:
    """One MLSD line → Entry; :data:`SKIP` for ``cdir``/``pdir``/``.``/``..``; None if not MLSD."""
    entry = _parse_facts_line(line)
    if entry is None:
        return None
    if entry.name in DOT_NAMES or (entry.attrs is not None and entry.attrs.get("type", "").lower() in _PARENT_TYPES):
        return SKIP
    return entry


def parse_mlst_facts(line: str) -> Entry | None:
    """The fact line of an MLST reply (`` type=file;size=1;modify=...; /path``) → Entry, or None.

    The line starts with one space inside the ``250-`` reply; the name is the path as the server
    wrote it. A ``cdir`` (MLST of the current folder) is kept as a DIR.
    """
    if line[:1] == " ":
        line = line[1:]
    return _parse_facts_line(line.rstrip("\r\n"))


def _parse_facts_line(line: str) -> Entry | None:
    space = line.find(" ")
    facts_text = line[:space] if space >= 0 else line
    if "\t" in facts_text:  # a TAB where the single space belongs
        space = line.find("\t")
        facts_text = line[:space]
    if space <= 0 or "=" not in facts_text:
        return None
    facts = _facts(facts_text)
    if facts is None:
        return None
    return _entry_from_facts(line[space + 1 :], facts, line)


def _facts(text: str) -> dict[str, str] | None:
    facts: dict[str, str] = {}
    names = _fact_names
    for fact in text.split(";"):
        if not fact:
            continue
        name, equals, value = fact.partition("=")
        if not equals or not name:
            return None
        key = names.get(name)
        if key is None:
            key = names[name] = name.lower()
        facts[key] = value
    return facts


def _entry_from_facts(name: str, facts: dict[str, str], line: str) -> Entry:
    kind, target = _kind(facts.get("type", ""))
    size_text = facts.get("size") or facts.get("sizd")
    size = int(size_text) if size_text is not None and size_text.isdecimal() else None
    modify = facts.get("modify")
    modified = _utc_time(modify) if modify is not None else None
    mode = facts.get("unix.mode")
    permissions = _mode_text(mode) if mode is not None else facts.get("perm", "")
    owner = _first_fact(facts, _OWNER_FACTS)
    group = _first_fact(facts, _GROUP_FACTS)
    return _new_entry(Entry, (name, kind, size, modified, permissions, owner, group, target, facts, line))


def _kind(type_value: str) -> tuple[EntryKind, str | None]:
    """``file``/``dir``/``cdir``/``pdir`` and ``OS.unix=slink:/target`` / ``OS.unix=symlink``."""
    kind = _TYPES.get(type_value)
    if kind is not None:
        return kind, None
    lowered = type_value.lower()
    kind = _TYPES.get(lowered)
    if kind is not None:
        return kind, None
    if lowered.startswith("os.unix=slink") or lowered.startswith("os.unix=symlink"):
        _, colon, target = type_value.partition(":")
        return EntryKind.LINK, (target if colon and target else None)
    return EntryKind.OTHER, None


def _utc_time(value: str) -> datetime | None:
    """``YYYYMMDDHHMMSS[.sss]`` (UTC) → aware datetime; malformed → None."""
    if len(value) < 14 or not value[:14].isdecimal():
        return None
    fraction = value[14:]
    if fraction and not (fraction[0] == "." and fraction[1:].isdecimal() and len(fraction) > 1):
        return None
    try:
        return datetime.fromisoformat(f"{value[:8]}T{value[8:14]}{fraction[:7]}").replace(tzinfo=_utc)
    except ValueError:
        return None


def _mode_text(mode: str) -> str:
    """``0644`` → ``rw-r--r--`` (special bits shown as s/S/t/T); not octal → the text as given."""
    text = _modes.get(mode)
    if text is None:
        text = _modes[mode] = _render_mode(mode)
    return text


def _render_mode(mode: str) -> str:
    try:
        value = int(mode, 8)
    except ValueError:
        return mode
    chars = list("".join(_RWX[(value >> shift) & 7] for shift in (6, 3, 0)))
    for bit, index, letter in ((0o4000, 2, "s"), (0o2000, 5, "s"), (0o1000, 8, "t")):
        if value & bit:
            chars[index] = letter if chars[index] == "x" else letter.upper()
    return "".join(chars)


def _first_fact(facts: dict[str, str], names: tuple[str, ...]) -> str:
    for name in names:
        value = facts.get(name)
        if value:
            return value
    return ""
