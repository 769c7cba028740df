"""``ls -l`` listings: the four servers' real output, odd layouts, year inference, hostile names."""

from __future__ import annotations

import ftplib
import os
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui_ftp.engine.listing import (
    Entry,
    EntryKind,
    parse_listing,
    parse_mlsd,
    parse_unix,
)
from tui_ftp.engine.listing.unix import UnixListingParser

# The fixtures were captured on 2026-11-27 at about 17:35 (UTC).
CAPTURE_TIME = datetime(2026, 11, 27, 18, 0)
SERVERS = ("vsftpd", "proftpd", "pure-ftpd", "pyftpdlib")


def by_name(entries: list[Entry]) -> dict[str, Entry]:
    return {entry.name: entry for entry in entries}


@pytest.mark.parametrize("server", SERVERS)
def test_real_server_listing_reads_every_entry_exactly(server: str, captured: Callable[[str], list[str]]) -> None:
    entries = by_name(parse_unix(captured(f"{server}-list.txt"), now=CAPTURE_TIME))
    expected = {" lead", "trail ", "sp ace", "ünï", "plain", "old", "link", "a dir"}
    assert expected <= set(entries)
    assert not [entry for entry in entries.values() if entry.unparsed]
    assert entries["a dir"].kind is EntryKind.DIR and entries["a dir"].size == 4096
    assert entries["plain"].kind is EntryKind.FILE and entries["plain"].size == 0
    assert entries["plain"].modified == datetime(2026, 11, 27, 17, 34)
    assert entries["old"].modified == datetime(2024, 1, 5)
    assert entries["link"].kind is EntryKind.LINK and entries["link"].link_target == "plain"
    assert entries["link"].size == 5
    assert entries["plain"].permissions == "rw-r--r--"
    assert entries["a dir"].permissions == "rwxr-xr-x"
    assert entries["plain"].raw.endswith(" plain")


def test_vsftpd_shows_numeric_owner_and_group(captured: Callable[[str], list[str]]) -> None:
    plain = by_name(parse_unix(captured("vsftpd-list.txt"), now=CAPTURE_TIME))["plain"]
    assert (plain.owner, plain.group) == ("0", "0")


def test_proftpd_lists_a_fifo_as_other_with_its_type(captured: Callable[[str], list[str]]) -> None:
    fifo = by_name(parse_unix(captured("proftpd-list.txt"), now=CAPTURE_TIME))["fifo"]
    assert fifo.kind is EntryKind.OTHER and fifo.attrs == {"type": "p"}
    assert not fifo.unparsed


# -- layouts -------------------------------------------------------------------------------------

NOW = datetime(2026, 11, 27, 13, 0)


def one(line: str, now: datetime = NOW) -> Entry:
    entries = parse_unix([line], now=now)
    assert len(entries) == 1, entries
    return entries[0]


def test_year_inference_keeps_recent_dates_in_this_year_and_moves_future_ones_back() -> None:
    assert one("-rw-r--r-- 1 a b 1 Nov 27 12:00 x").modified == datetime(2026, 11, 27, 12, 0)
    assert one("-rw-r--r-- 1 a b 1 Nov 28 12:00 x").modified == datetime(2026, 11, 28, 12, 0)  # clock skew
    assert one("-rw-r--r-- 1 a b 1 Nov 28 14:00 x").modified == datetime(2025, 11, 28, 14, 0)
    assert one("-rw-r--r-- 1 a b 1 Dec 24 10:00 x").modified == datetime(2025, 12, 24, 10, 0)
    assert one("-rw-r--r-- 1 a b 1 Jan  2 10:00 x", now=datetime(2027, 1, 1)).modified == datetime(2026, 1, 2, 10, 0)


def test_february_29_goes_back_to_the_last_leap_year() -> None:
    assert one("-rw-r--r-- 1 a b 1 Feb 29 10:00 x", now=datetime(2027, 3, 1)).modified == datetime(2024, 2, 29, 10, 0)


def test_midnight_written_as_24_00_is_the_next_day() -> None:
    entry = one("-rw-------      1  99999999 0              3 Apr   4 24:00 alternate_midnight")
    assert entry.modified == datetime(2026, 4, 5, 0, 0)
    assert (entry.owner, entry.group, entry.size) == ("99999999", "0", 3)


def test_aware_now_is_taken_as_local_time() -> None:
    aware = datetime(2026, 11, 27, 13, 0, tzinfo=UTC)
    local = aware.astimezone().replace(tzinfo=None)
    entry = one("-rw-r--r-- 1 a b 1 Nov 27 12:00 x", now=aware)
    assert entry.modified is not None and entry.modified.year == (local + timedelta(days=1)).year


def test_old_dates_with_year_and_iso_dates() -> None:
    assert one("dr-xr-xr-x   2 root     other        512 Apr  8  1994 01-unix-std dir").modified == datetime(1994, 4, 8)
    entry = one("-rw-r--r--   1 root     other        531 2005-06-07 21:22 07-unix-date file")
    assert entry.modified == datetime(2005, 6, 7, 21, 22) and entry.name == "07-unix-date file"


def test_missing_group_column() -> None:
    entry = one("dr-xr-xr-x   2 root                  512 Apr  8  1994 03-unix-nogroup dir")
    assert (entry.name, entry.owner, entry.group, entry.size) == ("03-unix-nogroup dir", "root", "", 512)


def test_device_files_keep_major_minor_and_have_no_size() -> None:
    entry = one("crw-rw-rw-    1 root     root       1,   3 Nov 27 12:00 null")
    assert entry.kind is EntryKind.OTHER and entry.size is None
    assert entry.attrs == {"type": "c", "device": "1,3"}
    block = one("brw-rw----    1 root     disk       8,0 Nov 27 12:00 sda")
    assert block.attrs == {"type": "b", "device": "8,0"}


@pytest.mark.parametrize("suffix", ["+", ".", "@"])
def test_acl_and_security_context_suffixes(suffix: str) -> None:
    entry = one(f"drwxr-xr-x{suffix}  2 user group 4096 Nov 27 12:00 dir")
    assert entry.kind is EntryKind.DIR and entry.permissions == f"rwxr-xr-x{suffix}"


def test_special_permission_bits() -> None:
    assert one("-rwsr-sr-t 1 a b 1 Nov 27 12:00 x").permissions == "rwsr-sr-t"
    assert one("drwxrwxrwT 1 a b 1 Nov 27 12:00 x").kind is EntryKind.DIR


def test_symlink_without_arrow_and_arrow_in_a_file_name() -> None:
    link = one("lrwxrwxrwx 1 a b 7 Jan 25 00:17 04-unix-std link -> usr/bin")
    assert (link.name, link.link_target) == ("04-unix-std link", "usr/bin")
    bare = one("lrwxrwxrwx 1 a b 7 Jan 25 00:17 dangling")
    assert (bare.kind, bare.link_target) == (EntryKind.LINK, None)
    file = one("-rw-r--r-- 1 a b 7 Jan 25 00:17 not -> a link")
    assert (file.name, file.link_target) == ("not -> a link", None)


def test_names_keep_leading_trailing_and_inner_whitespace() -> None:
    assert one("-rw-r--r-- 1 a b 1 Nov 27 12:00  lead").name == " lead"
    assert one("-rw-r--r-- 1 a b 1 Nov 27  2025   three").name == "  three"
    assert one("-rw-r--r-- 1 a b 1 Nov 27 12:00 trail  ").name == "trail  "
    assert one("-rw-r--r-- 1 a b 1 Nov 27 12:00 tab\there").name == "tab\there"
    assert one("-rw-r--r-- 1 a b 1 Nov 27 12:00 \tlead tab").name == "\tlead tab"
    assert one("-rw-r--r-- 1 a b 1 Nov 27 12:00    ").name == "   "


@pytest.mark.parametrize("name", ["../x", "/etc/passwd", "a\\b", "nul\x00byte", "esc\x1b[31mred", "bidi\u202egnp.exe", "C:\\boot.ini"])
def test_hostile_names_are_kept_verbatim(name: str) -> None:
    entry = one(f"-rw-r--r-- 1 a b 9 Nov 27 12:00 {name}")
    assert entry.name == name and entry.kind is EntryKind.FILE and not entry.unparsed


def test_dot_entries_and_total_lines_are_dropped_other_junk_is_kept() -> None:
    entries = parse_unix(
        [
            "total 12",
            "drwxr-xr-x 2 a b 4096 Nov 27 12:00 .",
            "drwxr-xr-x 2 a b 4096 Nov 27 12:00 ..",
            "drwxr-xr-x 2 a b 4096 Nov 27 12:00 ...",
            "",
            "ls: cannot open directory: Permission denied",
        ],
        now=NOW,
    )
    assert [entry.name for entry in entries] == ["...", "ls: cannot open directory: Permission denied"]
    assert entries[1].unparsed and entries[1].kind is EntryKind.OTHER
    assert entries[1].raw == "ls: cannot open directory: Permission denied"


def test_unknown_month_or_bad_date_is_kept_raw_not_guessed() -> None:
    for line in ("-rw-r--r-- 1 a b 1 Foo 27 12:00 x", "-rw-r--r-- 1 a b 1 Feb 30 12:00 x", "-rw-r--r-- 1 a b 1 Nov 27 12:77 x"):
        assert one(line).unparsed


def test_fast_path_and_line_parser_agree_on_every_layout() -> None:
    lines = [
        "-rw-r--r--    1 1000     1000         1234 Nov 27 12:00 name with spaces",
        "drwxr-xr-x+   2 user     group        4096 Nov 27  2025 dir",
        "lrwxrwxrwx    1 user     group           7 Jan 25 00:17 link -> target",
        "-rw-r--r--    1 a        b               1 Nov 27 12:00  lead",
        "-rw-r--r--    1 a        b               1 Nov 28 23:00 tomorrow late",
        "crw-rw-rw-    1 root     root       1,   3 Nov 27 12:00 null",
    ] * 3
    batch = UnixListingParser(NOW).parse(lines)
    single = [UnixListingParser(NOW).parse_line(line) for line in lines]
    assert batch == single


# -- a live pyftpdlib server: what it lists is what is on disk -----------------------------------


@pytest.fixture
def served_folder(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.handlers import FTPHandler
    from pyftpdlib.servers import FTPServer

    authorizer = DummyAuthorizer()
    authorizer.add_user("user", "secret", str(tmp_path), perm="elr")
    handler = type("Handler", (FTPHandler,), {"authorizer": authorizer})
    server = FTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"timeout": 0.05}, daemon=True)
    thread.start()
    try:
        yield tmp_path, server.socket.getsockname()[1]
    finally:
        server.close_all()
        thread.join(5)


def _fetch(port: int, command: str) -> list[str]:
    client = ftplib.FTP()
    client.connect("127.0.0.1", port, timeout=10)
    try:
        client.login("user", "secret")
        lines: list[str] = []
        client.retrlines(command, lines.append)
        return lines
    finally:
        client.close()


NAMES = [" lead", "trail ", "sp ace", "ünï — ✓", "a\\b", "esc\x1bx", "semi;colon=x", "-rw-r--r--"]


def _populate(folder: Path) -> dict[str, os.stat_result]:
    recent = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)
    for index, name in enumerate(NAMES):
        (folder / name).write_bytes(b"x" * (index * 100 + 7))
        os.utime(folder / name, (recent.timestamp(), recent.timestamp() - index * 61))
    (folder / "old dir").mkdir()
    old = datetime(2019, 6, 1, 8, 30, tzinfo=UTC).timestamp()
    os.utime(folder / "old dir", (old, old))
    os.symlink(NAMES[0], folder / "link")
    return {path.name: path.lstat() for path in folder.iterdir()}


def test_pyftpdlib_list_matches_the_files_on_disk(served_folder: tuple[Path, int]) -> None:
    folder, port = served_folder
    stats = _populate(folder)
    entries = by_name(parse_listing(_fetch(port, "LIST"), now=datetime.now(UTC).replace(tzinfo=None)))
    assert set(entries) == set(stats)
    for name, stat in stats.items():
        entry = entries[name]
        assert entry.size == stat.st_size, name
        shown = datetime.fromtimestamp(stat.st_mtime, UTC).replace(tzinfo=None)  # pyftpdlib lists GMT
        if name == "old dir":
            assert entry.kind is EntryKind.DIR and entry.modified == shown.replace(hour=0, minute=0, second=0, microsecond=0)
        else:
            assert entry.modified == shown.replace(second=0, microsecond=0), name
    assert entries["link"].kind is EntryKind.LINK and entries["link"].link_target == " lead"


def test_pyftpdlib_mlsd_matches_the_files_on_disk(served_folder: tuple[Path, int]) -> None:
    folder, port = served_folder
    stats = _populate(folder)
    entries = by_name(parse_mlsd(_fetch(port, "MLSD")))
    assert set(entries) == set(stats)
    for name in stats:
        entry = entries[name]
        assert entry.modified == datetime.fromtimestamp(int(os.stat(folder / name).st_mtime), UTC), name
        if name != "old dir":
            assert entry.kind is EntryKind.FILE and entry.size == os.stat(folder / name).st_size, name
    assert entries["old dir"].kind is EntryKind.DIR
