"""Choosing the parser per listing, the fallbacks for odd lines, and "empty listing" replies."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from tui_ftp.engine.errors import UsageError
from tui_ftp.engine.listing import (
    STYLES,
    EntryKind,
    detect_style,
    is_empty_listing_reply,
    parse_listing,
)

NOW = datetime(2026, 11, 27, 18, 0)


@pytest.mark.parametrize("server", ["vsftpd", "proftpd", "pure-ftpd", "pyftpdlib"])
def test_real_unix_listings_are_detected(server: str, captured: Callable[[str], list[str]]) -> None:
    assert detect_style(captured(f"{server}-list.txt")) == "unix"


@pytest.mark.parametrize("server", ["proftpd", "pure-ftpd", "pyftpdlib"])
def test_mlsd_lines_given_to_parse_listing_are_still_read(server: str, captured: Callable[[str], list[str]]) -> None:
    lines = captured(f"{server}-mlsd.txt")
    assert detect_style(lines) == "mlsd"
    entries = parse_listing(lines)
    assert "plain" in {entry.name for entry in entries} and not [entry for entry in entries if entry.unparsed]


@pytest.mark.parametrize(
    ("lines", "style"),
    [
        (["04-27-00  12:09PM       <DIR>          dir", "04-06-00  03:47PM                  589 file"], "dos"),
        (["Volume Unit    Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname", "Migrated    X"], "mvs-datasets"),
        ([" Name     VV.MM   Created       Changed      Size  Init   Mod   Id", "SAVE04"], "mvs-members"),
        (["JOBNAME  JOBID    OWNER    STATUS CLASS"], "jes"),
        (["IBMUSER1  JOB01906  OUTPUT    3 Spool Files"], "jes"),
        (["WYOSPT 3420   2003/05/21  1  200  FB      80  8053  PS  60-MVS.FILE"], "mvs-datasets"),
        ([], "unix"),
        (["???"], "unix"),
    ],
)
def test_detection_from_headers_and_rows(lines: list[str], style: str) -> None:
    assert detect_style(lines) == style


def test_mvs_hint_reads_bare_names_as_members() -> None:
    assert detect_style(["SAVE04", "APICLN"], mvs=True) == "mvs-members"
    assert detect_style(["SAVE04", "APICLN"]) == "unix"


def test_majority_of_sample_lines_wins() -> None:
    lines = [
        "11-27-26  12:00PM                 1234 a",
        "-rw-r--r-- 1 a b 1 Nov 27 12:00 b",
        "-rw-r--r-- 1 a b 1 Nov 27 12:00 c",
    ]
    assert detect_style(lines) == "unix"


def test_a_line_the_chosen_parser_cannot_read_goes_to_the_others() -> None:
    lines = [
        "-rw-r--r-- 1 a b 1 Nov 27 12:00 unix",
        "-rw-r--r-- 1 a b 1 Nov 27 12:00 unix2",
        "11-27-26  12:00PM                 1234 dos stray",
        "type=file;size=3; mlsd stray",
        "garbage",
    ]
    entries = parse_listing(lines, now=NOW)
    assert [(entry.name, entry.kind, entry.size) for entry in entries] == [
        ("unix", EntryKind.FILE, 1),
        ("unix2", EntryKind.FILE, 1),
        ("dos stray", EntryKind.FILE, 1234),
        ("mlsd stray", EntryKind.FILE, 3),
        ("garbage", EntryKind.OTHER, None),
    ]
    assert entries[-1].unparsed


@pytest.mark.parametrize("style", STYLES)
def test_every_style_keeps_unknown_lines(style: str) -> None:
    entries = parse_listing(["# not a listing line at all", "", "   "], style=style)
    assert [(entry.name, entry.unparsed) for entry in entries] == [("# not a listing line at all", True)]


def test_forced_style_and_unknown_style() -> None:
    [entry] = parse_listing(["04-27-00  12:09PM       <DIR>          dir"], style="dos")
    assert entry.is_dir
    with pytest.raises(UsageError, match="unknown listing style"):
        parse_listing([], style="vms")


def test_parse_listing_accepts_any_iterable() -> None:
    entries = parse_listing(iter(["-rw-r--r-- 1 a b 1 Nov 27 12:00 x"]), now=NOW)
    assert [entry.name for entry in entries] == ["x"]


@pytest.mark.parametrize(
    ("code", "text", "empty"),
    [
        (550, "550 No data sets found.", True),
        (550, "550 No members found.", True),
        (550, "No members found.", True),
        (550, "550 no  DATA SETS found", True),
        (550, "550 No files found", True),
        (450, "450 No files found", False),
        (550, "550 /x: No such file or directory", False),
        (550, "550 USER1.X(CS4) used exclusively by someone else.", False),
        (226, "226 No data sets found.", False),
    ],
)
def test_empty_listing_replies(code: int, text: str, empty: bool) -> None:
    assert is_empty_listing_reply(code, text) is empty
