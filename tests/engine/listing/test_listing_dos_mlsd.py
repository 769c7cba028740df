"""DOS/IIS listings and RFC 3659 MLSD/MLST lines (three servers' real MLSD output included)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from tui_ftp.engine.listing import (
    EntryKind,
    parse_dos,
    parse_mlsd,
    parse_mlsd_line,
    parse_mlst_facts,
)
from tui_ftp.engine.listing.mlsd import mlsd_facts

# -- DOS / IIS -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "name", "kind", "size", "modified"),
    [
        ("11-27-26  12:00PM       <DIR>          name", "name", EntryKind.DIR, None, datetime(2026, 11, 27, 12, 0)),
        ("04-27-00  12:09AM       <DIR>          16-dos dir", "16-dos dir", EntryKind.DIR, None, datetime(2000, 4, 27, 0, 9)),
        ("04-06-00  03:47PM                  589 17-dos file", "17-dos file", EntryKind.FILE, 589, datetime(2000, 4, 6, 15, 47)),
        ("11-27-1999  09:05AM             1234 four digit", "four digit", EntryKind.FILE, 1234, datetime(1999, 11, 27, 9, 5)),
        ("2002-09-02  18:48       <DIR>          18-dos-longyear dir", "18-dos-longyear dir", EntryKind.DIR, None, datetime(2002, 9, 2, 18, 48)),
        ("2002-09-02  19:06                9,730 19-dos-longyear file", "19-dos-longyear file", EntryKind.FILE, 9730, datetime(2002, 9, 2, 19, 6)),
        ("27-11-26  12:00PM                    1 day first", "day first", EntryKind.FILE, 1, datetime(2026, 11, 27, 12, 0)),
        ("11-27-26  12:00PM                    1 trailing  ", "trailing  ", EntryKind.FILE, 1, datetime(2026, 11, 27, 12, 0)),
    ],
)
def test_dos_lines(line: str, name: str, kind: EntryKind, size: int | None, modified: datetime) -> None:
    [entry] = parse_dos([line])
    assert (entry.name, entry.kind, entry.size, entry.modified) == (name, kind, size, modified)
    assert entry.raw == line


def test_dos_drops_dot_entries_and_keeps_junk() -> None:
    entries = parse_dos(["11-27-26  12:00PM       <DIR>          .", "11-27-26  12:00PM       <DIR>          ..", "13-45-26  99:00PM  1 x", "Total: 3"])
    assert [(entry.name, entry.unparsed) for entry in entries] == [("13-45-26  99:00PM  1 x", True), ("Total: 3", True)]


# -- MLSD: real servers --------------------------------------------------------------------------


@pytest.mark.parametrize("server", ["proftpd", "pure-ftpd", "pyftpdlib"])
def test_real_server_mlsd(server: str, captured: Callable[[str], list[str]]) -> None:
    entries = {entry.name: entry for entry in parse_mlsd(captured(f"{server}-mlsd.txt"))}
    assert {" lead", "trail ", "sp ace", "ünï", "plain", "old", "a dir"} <= set(entries)
    assert "." not in entries and ".." not in entries
    assert not [entry for entry in entries.values() if entry.unparsed]
    assert entries["plain"].modified == datetime(2026, 11, 27, 17, 34, 28, tzinfo=UTC)
    assert entries["old"].modified == datetime(2024, 1, 5, 10, 0, tzinfo=UTC)
    assert entries["a dir"].kind is EntryKind.DIR
    assert entries["plain"].kind is EntryKind.FILE and entries["plain"].size == 0


def test_proftpd_mlsd_details(captured: Callable[[str], list[str]]) -> None:
    entries = {entry.name: entry for entry in parse_mlsd(captured("proftpd-mlsd.txt"))}
    plain = entries["plain"]
    assert (plain.permissions, plain.owner, plain.group) == ("rw-r--r--", "ftp", "ftp")
    assert entries["link"].kind is EntryKind.LINK and entries["link"].link_target is None  # OS.unix=symlink
    assert mlsd_facts(plain.raw)["unique"] == "FE00U162002"
    assert mlsd_facts(plain.raw)["perm"] == "adfr"


def test_pure_ftpd_mlsd_details(captured: Callable[[str], list[str]]) -> None:
    entries = {entry.name: entry for entry in parse_mlsd(captured("pure-ftpd-mlsd.txt"))}
    assert entries["link"].kind is EntryKind.LINK and entries["link"].link_target == "plain"
    assert entries["fifo"].kind is EntryKind.OTHER  # type=unknown
    assert entries["a dir"].size == 4096  # sizd


def test_pyftpdlib_mlsd_uses_the_perm_fact_when_there_is_no_mode(captured: Callable[[str], list[str]]) -> None:
    entries = {entry.name: entry for entry in parse_mlsd(captured("pyftpdlib-mlsd.txt"))}
    assert entries["plain"].permissions == "radfw"
    assert entries["a dir"].permissions == "eldfmcp"


# -- MLSD: the corner cases (many from FileZilla's parser tests) ---------------------------------


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Type=file;mOdIfY=20081105165215;size=1234; 72-MLSD-file", "72-MLSD-file"),
        ("Type=file; 74-MLSD-whitespace trailing\t ", "74-MLSD-whitespace trailing\t "),
        ("Type=file; \t 75-MLSD-whitespace leading", "\t 75-MLSD-whitespace leading"),
        ("type=file 77 MLSD file no trailing semicolon after facts < mlst-07", "77 MLSD file no trailing semicolon after facts < mlst-07"),
        ("size=1365694195;type=file;modify=20090722092510;\tadsl TV 2009-07-22 08-25-10 78 mlsd", "adsl TV 2009-07-22 08-25-10 78 mlsd"),
        ("type=file;size=1;  two spaces", " two spaces"),
        ("type=file; ../../etc/passwd", "../../etc/passwd"),
        ("type=file; a\\b\x00c\x1b[2J", "a\\b\x00c\x1b[2J"),
    ],
)
def test_mlsd_name_is_everything_after_the_single_separator(line: str, name: str) -> None:
    [entry] = parse_mlsd([line])
    assert entry.name == name and entry.kind is EntryKind.FILE and not entry.unparsed


def test_mlsd_facts_are_case_insensitive_and_modify_is_utc() -> None:
    [entry] = parse_mlsd(["Type=file;mOdIfY=20081105165215;SIZE=1234; x"])
    assert entry.size == 1234 and entry.modified == datetime(2008, 11, 5, 16, 52, 15, tzinfo=UTC)
    [fraction] = parse_mlsd(["type=file;modify=20081105165215.5; x"])
    assert fraction.modified == datetime(2008, 11, 5, 16, 52, 15, 500000, tzinfo=UTC)
    [pre_epoch] = parse_mlsd(["Type=file;mOdIfY=19681105165215;size=1234; MLSD pre-epoch"])
    assert pre_epoch.modified == datetime(1968, 11, 5, 16, 52, 15, tzinfo=UTC)


def test_mlsd_bad_facts_values_leave_fields_empty() -> None:
    [entry] = parse_mlsd(["type=file;modify=20081305165215;size=12x; x"])
    assert (entry.modified, entry.size, entry.unparsed) == (None, None, False)


def test_mlsd_mode_and_owner_facts() -> None:
    line = "modify=20080426135501;perm=;size=65718921;type=file;unique=802U1066013B;UNIX.group=1179;UNIX.mode=00;UNIX.owner=1179; 75 MLSD file with empty permissions"
    [entry] = parse_mlsd([line])
    assert (entry.permissions, entry.owner, entry.group, entry.size) == ("---------", "1179", "1179", 65718921)
    [special] = parse_mlsd(["type=file;UNIX.mode=4755; suid"])
    assert special.permissions == "rwsr-xr-x"
    [sticky] = parse_mlsd(["type=dir;UNIX.mode=1777; tmp"])
    assert sticky.permissions == "rwxrwxrwt"


def test_mlsd_symlinks() -> None:
    [target] = parse_mlsd(["type=OS.unix=slink:/foo; 76 MLSD symlink"])
    assert (target.kind, target.link_target) == (EntryKind.LINK, "/foo")
    [bare] = parse_mlsd(["type=OS.UNIX=symlink; 76b MLSD symlink"])
    assert (bare.kind, bare.link_target) == (EntryKind.LINK, None)
    [empty] = parse_mlsd(["type=OS.unix=slink; 77 MLSD symlink notarget"])
    assert (empty.kind, empty.link_target) == (EntryKind.LINK, None)


def test_mlsd_drops_cdir_pdir_and_dot_names_keeps_junk() -> None:
    entries = parse_mlsd(["type=cdir;modify=20081105165215; /home", "type=pdir; ..", "type=dir; .", "not an mlsd line", "type=dir; sub"])
    assert [(entry.name, entry.unparsed) for entry in entries] == [("not an mlsd line", True), ("sub", False)]


def test_mlsd_line_without_name_or_facts_is_not_read() -> None:
    assert parse_mlsd_line("type=file;") is None
    assert parse_mlsd_line("name only") is None
    assert parse_mlsd_line("=x; name") is None


def test_mlst_reply_line() -> None:
    entry = parse_mlst_facts(" type=cdir;modify=20081105165215;perm=flcdmpe; /home/user")
    assert entry is not None and entry.kind is EntryKind.DIR and entry.name == "/home/user"
    assert entry.modified == datetime(2008, 11, 5, 16, 52, 15, tzinfo=UTC)
    assert parse_mlst_facts("250 End") is None
    assert mlsd_facts(" type=file;Size=3; /x") == {"type": "file", "size": "3"}


def test_fast_skeleton_path_matches_the_general_path() -> None:
    lines = [
        "modify=20261127173428;perm=adfr;size=0;type=file;unique=FE00U162003;UNIX.group=0;UNIX.groupname=ftp;UNIX.mode=0644;UNIX.owner=0;UNIX.ownername=ftp;  lead",
        "modify=20261127173428;perm=fle;type=dir;unique=FE00U162007;UNIX.group=0;UNIX.groupname=ftp;UNIX.mode=0755;UNIX.owner=0;UNIX.ownername=ftp; a dir",
        "modify=20261327173428;perm=adfr;size=0;type=file;unique=FE00U162003;UNIX.group=0;UNIX.groupname=ftp;UNIX.mode=0644;UNIX.owner=0;UNIX.ownername=ftp; bad month",
        "modify=20261127173428.25;perm=adfr;size=7;type=File;unique=X;UNIX.group=0;UNIX.groupname=ftp;UNIX.mode=4755;UNIX.owner=0;UNIX.ownername=ftp; fraction",
        "modify=20261127173428;perm=adfr;size=5;type=OS.unix=symlink;unique=X;UNIX.group=0;UNIX.groupname=ftp;UNIX.mode=0777;UNIX.owner=0;UNIX.ownername=ftp; link",
        "modify=20261127173428;perm=fle;type=pdir;unique=X;UNIX.group=0;UNIX.groupname=ftp;UNIX.mode=0755;UNIX.owner=0;UNIX.ownername=ftp; ..",
        "type=file;size=1;modify=20261127173428;UNIX.mode=0644;unique=1; short",
        "type=file;size=1;modify=20261127173428;UNIX.mode=0644;unique=1; .",
    ] * 3
    batch = parse_mlsd(lines)
    single = [entry for entry in map(parse_mlsd_line, lines) if entry is not None and entry.name]
    assert batch == single
    assert [entry.name for entry in batch[:5]] == [" lead", "a dir", "bad month", "fraction", "link"]
