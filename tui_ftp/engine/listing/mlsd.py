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

Speed: servers write the same facts in the same order on every line, so the first line of each
shape compiles one regular expression for it (a *skeleton*) that reads the next lines of that
shape in a single match; other lines take the general path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from ._common import DOT_NAMES, SKIP, LineParser, gc_paused, read_elsewhere
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
    return _MlsdReader().parse(lines, fallbacks)


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

# Fields a skeleton captures, in the order its ``group(*order)`` returns them.
_FIELDS = ("type", "size", "modify", "perm", "owner", "group", "name")


_Matcher = Callable[[str], "re.Match[str] | None"]


class _Skeleton:
    """A compiled reader for lines whose facts come in one exact order and spelling."""

    __slots__ = ("match", "octal_mode", "order")

    def __init__(self, pattern: re.Pattern[str], order: tuple[int, ...], octal_mode: bool) -> None:
        self.match: _Matcher = pattern.match
        self.order = order
        self.octal_mode = octal_mode


def _skeleton_for(line: str) -> _Skeleton | None:
    """Build the skeleton of ``line``'s fact layout, or None if the layout is not a plain one."""
    space = line.find(" ")
    if space <= 1 or line[space - 1] != ";":
        return None
    names = [fact.partition("=")[0] for fact in line[: space - 1].split(";")]
    if not names or any(_FACT_NAME_RE.match(name) is None for name in names):
        return None
    lowered = [name.lower() for name in names]
    if len(set(lowered)) != len(lowered) or "type" not in lowered:
        return None
    wanted = {
        "type": "type",
        "size": "size" if "size" in lowered else "sizd",
        "modify": "modify",
        "perm": "unix.mode" if "unix.mode" in lowered else "perm",
        "owner": next((fact for fact in _OWNER_FACTS if fact in lowered), ""),
        "group": next((fact for fact in _GROUP_FACTS if fact in lowered), ""),
    }
    captured = {fact: field for field, fact in wanted.items() if fact in lowered}
    parts = []
    for name, low in zip(names, lowered):
        field = captured.get(low)
        value = _FIELD_VALUES.get(field or "", r"[^; \t]*")
        parts.append(f"{re.escape(name)}=({value})" if field else f"{re.escape(name)}={value}")
    group_of = {captured[low]: index for index, low in enumerate((low for low in lowered if low in captured), start=1)}
    group_of["name"] = len(group_of) + 1
    # A fact this layout lacks reads an empty group at the end, so it arrives as "".
    absent = [field for field in _FIELDS if field not in group_of]
    group_of.update({field: group_of["name"] + offset for offset, field in enumerate(absent, start=1)})
    pattern = re.compile(";".join(parts) + r"; (.*)\Z" + "()" * len(absent), re.DOTALL)
    return _Skeleton(pattern, tuple(group_of[field] for field in _FIELDS), "unix.mode" in lowered)


_FIELD_VALUES = {
    "type": r"[^; \t]*",
    "size": r"[0-9]+",
    "modify": r"[0-9]{14}(?:\.[0-9]+)?",
}


class _MlsdReader:
    """One listing's skeletons: the one that read the last line first, then the others."""

    def __init__(self) -> None:
        self.skeletons: list[_Skeleton] = []

    def parse(self, lines: Iterable[str], fallbacks: tuple[LineParser, ...]) -> list[Entry]:
        entries: list[Entry] = []
        append = entries.append
        skip, dot_names, new_entry, fromisoformat = SKIP, DOT_NAMES, _new_entry, _fromisoformat
        fast_types, fast_parents, modes = _FAST_TYPES.get, _FAST_PARENTS, _modes.get
        skeleton: _Skeleton | None = None
        match_skeleton: _Matcher = _no_match
        order, octal_mode = _FIELD_ORDER_NONE, False
        with gc_paused():
            for line in lines:
                match = match_skeleton(line)
                if match is None:
                    skeleton, match = self._skeleton_matching(line, skeleton)
                    if skeleton is not None:
                        match_skeleton, order, octal_mode = skeleton.match, skeleton.order, skeleton.octal_mode
                if match is not None:
                    type_value, size, modify, perm, owner, group, name = match.group(*order)
                    kind = fast_types(type_value)
                    if kind is not None and name not in dot_names:
                        try:
                            modified = fromisoformat(f"{modify[:8]}T{modify[8:14]}{modify[14:21]}+00:00") if modify else None
                        except ValueError:
                            modified = None
                        if octal_mode:
                            perm = modes(perm) or _mode_text(perm)
                        size_value = int(size) if size else None
                        append(new_entry(Entry, (name, kind, size_value, modified, perm, owner, group, None, None, line)))
                        continue
                    if type_value in fast_parents:
                        continue
                entry = parse_mlsd_line(line)
                if entry is None:
                    entry = read_elsewhere(line, fallbacks)
                if entry is not skip:
                    append(entry)
        return entries

    def _skeleton_matching(self, line: str, tried: _Skeleton | None) -> tuple[_Skeleton | None, re.Match[str] | None]:
        """A known skeleton (other than ``tried``) that reads ``line``, else one learnt from it."""
        for skeleton in self.skeletons:
            if skeleton is not tried:
                match = skeleton.match(line)
                if match is not None:
                    return skeleton, match
        if len(self.skeletons) >= _MAX_SKELETONS:
            return tried, None
        learnt = _skeleton_for(line)
        if learnt is None:
            return tried, None
        self.skeletons.append(learnt)
        return learnt, learnt.match(line)


def _no_match(line: str) -> re.Match[str] | None:
    """The matcher used before any skeleton is known."""
    return None


_FIELD_ORDER_NONE = (0,) * len(_FIELDS)


_FAST_TYPES: dict[str, EntryKind] = {
    spelling: kind
    for name, kind in (("file", EntryKind.FILE), ("dir", EntryKind.DIR))
    for spelling in (name, name.upper(), name.capitalize())
}
_FAST_PARENTS = frozenset(spelling for name in _PARENT_TYPES for spelling in (name, name.upper(), name.capitalize()))
