"""The bulk fast paths read every line exactly as the per-line reference parsers do.

``parse_unix`` and ``parse_mlsd`` read the common lines of a listing a chunk at a time (one
regular-expression call per chunk, the columns converted in C), ``parse_mvs_datasets`` reads the
common row inline; a line they cannot take goes to the per-line parser, in its place. These tests
hold the bulk result to the per-line one on the captured server listings, on the benchmark's
generated listings and on hypothesis-generated lines that mix the common shapes with their near
misses, with chunks small enough that the chunk boundaries fall everywhere.
"""

from __future__ import annotations

import copy
import pickle
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.benchmarks.bench_parse import NOW as BENCH_NOW
from tests.benchmarks.bench_parse import mlsd_lines, mvs_dataset_lines, unix_lines
from tui_ftp.engine.listing import (
    Entry,
    EntryKind,
    _common,
    parse_mlsd,
    parse_mlsd_line,
    parse_mvs_datasets,
    parse_unix,
)
from tui_ftp.engine.listing.mvs import DatasetAttributes, parse_dataset_line
from tui_ftp.engine.listing.unix import UnixListingParser

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOW = datetime(2026, 11, 27, 13, 0)
CHUNK_SIZES = (1, 2, 7, _common.CHUNK_LINES)
SERVERS = ("vsftpd", "proftpd", "pure-ftpd", "pyftpdlib")
MLSD_SERVERS = ("proftpd", "pure-ftpd", "pyftpdlib")


@contextmanager
def chunks_of(size: int) -> Iterator[None]:
    saved = _common.CHUNK_LINES
    _common.CHUNK_LINES = size
    try:
        yield
    finally:
        _common.CHUNK_LINES = saved


def unix_reference(lines: list[str], now: datetime = NOW) -> list[Entry]:
    return _common.run_parser(lines, UnixListingParser(now).parse_line)


def mlsd_reference(lines: list[str]) -> list[Entry]:
    return _common.run_parser(lines, parse_mlsd_line)


def mvs_reference(lines: list[str]) -> list[Entry]:
    return _common.run_parser(lines, parse_dataset_line)


def assert_same_at_every_chunk_size(parse: Callable[[list[str]], list[Entry]], reference: list[Entry], lines: list[str]) -> None:
    for size in CHUNK_SIZES:
        with chunks_of(size):
            assert parse(lines) == reference, f"chunks of {size}"


class CountingUnixParser(UnixListingParser):
    """Counts the lines that reach the per-line parser (what the fast path left over)."""

    calls = 0

    def parse_line(self, line: str) -> Entry | None:
        CountingUnixParser.calls += 1
        return super().parse_line(line)


# -- captured and benchmark listings -------------------------------------------------------------


@pytest.mark.parametrize("server", SERVERS)
def test_captured_ls_listing_reads_as_line_by_line(server: str, captured: Callable[[str], list[str]]) -> None:
    lines = captured(f"{server}-list.txt") * 300  # spans several chunks
    reference = unix_reference(lines)
    assert_same_at_every_chunk_size(lambda chunk: parse_unix(chunk, now=NOW), reference, lines)
    assert len(reference) == len([line for line in lines if not line.startswith("total")])


@pytest.mark.parametrize("server", MLSD_SERVERS)
def test_captured_mlsd_listing_reads_as_line_by_line(server: str, captured: Callable[[str], list[str]]) -> None:
    lines = captured(f"{server}-mlsd.txt") * 300
    reference = mlsd_reference(lines)
    assert_same_at_every_chunk_size(parse_mlsd, reference, lines)
    assert {entry.kind for entry in reference} >= {EntryKind.FILE, EntryKind.DIR}


def test_benchmark_listings_read_as_line_by_line() -> None:
    unix, mlsd, mlsd_short, datasets = unix_lines(3000), mlsd_lines(3000), mlsd_lines(3000, short=True), mvs_dataset_lines(3000)
    assert parse_unix(unix, now=BENCH_NOW) == unix_reference(unix, BENCH_NOW)
    assert parse_mlsd(mlsd) == mlsd_reference(mlsd)
    assert parse_mlsd(mlsd_short) == mlsd_reference(mlsd_short)
    assert parse_mvs_datasets(datasets) == mvs_reference(datasets)


def test_the_fast_path_reads_the_common_lines_itself() -> None:
    lines = ["total 12"] + unix_lines(3000) + ["crw-rw-rw- 1 root root 1, 3 Nov 27 12:00 null"]
    CountingUnixParser.calls = 0
    entries = CountingUnixParser(BENCH_NOW).parse(lines)
    assert len(entries) == 3001
    assert CountingUnixParser.calls == 2  # "total 12" and the device


NEAR_MISS_LS = [
    "-rw-r--r-- 1 a b 1 Nov 27 12:00  lead",
    "-rw-r--r-- 1 a b 1 Nov 27 12:00\tx",
    "-rw-r--r-- 1 a b 1 Nov 27 12:00 .",
    "drwxr-xr-x 1 a b 1 Nov 27 12:00 ..",
    "-rw-r--r--\t1 a b 1 Nov 27 12:00 x",
    " -rw-r--r-- 1 a b 1 Nov 27 12:00 x",
    "-rw-r--r-- 1 a b \u0661\u0662 Nov 27 12:00 x",
    "-rw-r--r-- 1 a b 1 Nov 27 24:00 x",
    "-rw-r--r-- 1 a b 1 Nov 28 23:00 tomorrow late",
    "-rw-r--r-- 1 a b 1 Feb 30 12:00 x",
    "-rw-r--r-- 1 a b 1 Foo 27 12:00 x",
    "-rw-r--r-- 1 a\xa0b c 1 Nov 27 12:00 x",
    "-rw-r--r-- 1 a b 1 Nov\u200927 12:00 x",
    "lrwxrwxrwx 1 a b 1 Nov 27 12:00 x -> ",
    "lrwxrwxrwx 1 a b 1 Nov 27 12:00 x",
    "lrwxrwxrwx 1 a b 1 Nov 27 12:00 a -> b -> c",
    "-rw-r--r-- 1 a b 1 Nov 27 12:00 x\x85y",
    "-rw-r--r-- 1 a 1 Nov 27 12:00 x",
    "-rw-r--r-- 1 a b 1 2026-11-27 12:00 iso",
    "crw-rw-rw- 1 root root 1, 3 Nov 27 12:00 null",
    "prw-r--r-- 1 a b 0 Nov 27 12:00 fifo",
    "total 12",
    "",
]


@pytest.mark.parametrize("line", NEAR_MISS_LS)
def test_near_miss_ls_lines_read_as_line_by_line(line: str) -> None:
    lines = ["-rw-r--r-- 1 a b 1 Nov 27 12:00 first", line, "drwxr-xr-x 2 a b 4096 Jan  5  2024 last"]
    assert_same_at_every_chunk_size(lambda chunk: parse_unix(chunk, now=NOW), unix_reference(lines), lines)


# -- generated ls -l lines -----------------------------------------------------------------------

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "NOV", "Foo")
spaces = st.sampled_from([" ", "  ", "    ", "\t", " \t"])
ls_token = st.text(alphabet=string.ascii_letters + string.digits + "_-.ü", min_size=1, max_size=8)
ls_name = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", blacklist_characters="\n"), min_size=0, max_size=20),
    st.sampled_from([".", "..", " lead", "trail ", "a -> b", "a -> ", " -> x", "x ->  -> y", "\tx", "-rw-r--r--", "a\rb"]),
)
ls_date = st.one_of(
    st.builds(
        "{} {} {}".format,
        st.sampled_from(MONTHS),
        st.sampled_from(["1", " 1", "01", "27", "29", "30", "31", "32", "١"]),
        st.sampled_from(["12:00", "00:17", "23:59", "24:00", "12:77", "1:05", " 2025", "1999", "2024", "999"]),
    ),
    st.sampled_from(["2026-11-27 12:00", "Nov 27 12:00:00"]),
)


@st.composite
def ls_line(draw: st.DrawFn) -> str:
    perm = draw(st.sampled_from("-dlcpbs")) + draw(st.text(alphabet="rwx-sStT", min_size=9, max_size=9)) + draw(st.sampled_from(["", "+", "@"]))
    size = draw(st.one_of(st.integers(0, 10**12).map(str), st.sampled_from(["1,   3", "١٢", "12a", "+5"])))
    parts = [perm, draw(st.sampled_from(["1", "12", "?"])), draw(ls_token)]
    if draw(st.booleans()):
        parts.append(draw(ls_token))  # the group column
    parts += [size, draw(ls_date)]
    line = "".join(part + draw(spaces) for part in parts)
    return line[: -1 if draw(st.booleans()) else len(line)] + draw(ls_name)


ls_listing = st.lists(
    st.one_of(ls_line(), ls_line(), st.sampled_from(["", "total 8", "ls: cannot open", "a\nb"]), st.text(max_size=30)),
    max_size=12,
)


@SETTINGS
@given(ls_listing)
def test_generated_ls_lines_read_as_line_by_line(lines: list[str]) -> None:
    assert_same_at_every_chunk_size(lambda chunk: parse_unix(chunk, now=NOW), unix_reference(lines), lines)


# -- generated MLSD lines ------------------------------------------------------------------------

mlsd_type = st.sampled_from(["file", "dir", "File", "DIR", "cdir", "pdir", "OS.unix=slink:/x", "OS.unix=symlink", "unknown", ""])
mlsd_modify = st.sampled_from(["20261127173428", "20261127173428.25", "20261127173428.1234567", "20261327173428", "20261127246000", "2026", ""])
mlsd_value = st.text(alphabet=string.ascii_letters + string.digits + ".-/ \t=", max_size=6)
MLSD_FACTS = ("type", "size", "sizd", "Size", "modify", "UNIX.mode", "perm", "UNIX.ownername", "UNIX.uid", "UNIX.groupname", "UNIX.gid", "unique")
mlsd_layout = st.lists(st.sampled_from(MLSD_FACTS), unique=True, min_size=1, max_size=8)


@st.composite
def mlsd_line(draw: st.DrawFn, layout: list[str]) -> str:
    """A line of ``layout`` (facts sometimes left out or renamed, as servers do for folders)."""
    values = {
        "type": mlsd_type,
        "modify": mlsd_modify,
        "UNIX.mode": st.sampled_from(["0644", "4755", "0999", "x"]),
        "perm": st.sampled_from(["adfr", "", "el"]),
    }
    facts = []
    for name in layout:
        if name.lower() in ("size", "sizd") and draw(st.integers(0, 3)) == 0:
            name = draw(st.sampled_from(["", "sizd", "size", "SIZD"]))  # left out or renamed
        if name:
            facts.append(f"{name}={draw(values.get(name, st.one_of(st.integers(0, 10**12).map(str), mlsd_value)))}")
    ending = draw(st.sampled_from(["; ", "; ", "; ", "; ", ";\t", " ", ";  "]))
    return ";".join(facts) + ending + draw(st.one_of(ls_name, st.text(max_size=10)))


@st.composite
def mlsd_listing(draw: st.DrawFn) -> list[str]:
    """Lines of one layout, with lines of other layouts and junk among them."""
    layout = draw(mlsd_layout)
    if "type" not in layout:
        layout.insert(draw(st.integers(0, len(layout))), "type")
    lines = st.one_of(mlsd_line(layout), mlsd_line(layout), mlsd_line(layout), mlsd_layout.flatmap(mlsd_line), st.sampled_from(["", "junk", "a\nb"]))
    return draw(st.lists(lines, max_size=14))


@SETTINGS
@given(mlsd_listing())
def test_generated_mlsd_lines_read_as_line_by_line(lines: list[str]) -> None:
    assert_same_at_every_chunk_size(parse_mlsd, mlsd_reference(lines), lines)


NEAR_MISS_MLSD = [
    "type=file;unique=a b; name",
    "type=file;unique=a\tb; name",
    "type=file;unique=u;\tname",
    "type=file;unique=u;  two spaces",
    "type=file;unique=u;; empty fact",
    "type=file;unique=u; .",
    "type=dir;unique=u; ..",
    "type=cdir;unique=u; x",
    "type=pdir;unique=u; x",
    "Type=file;unique=u; x",
    "type=file;unique=u x",
    "type=OS.unix=slink:/t;unique=u; link",
    "type=file;size=1x;unique=u; x",
    "type=file;sizd=12;unique=u; x",
    "type=file;size=;unique=u; x",
    "type=file;modify=20261127173428.1234567;unique=u; x",
    "type=file;modify=20261327173428;unique=u; x",
    "type=file;modify=20261127240000;unique=u; x",
    "type=file;UNIX.mode=0999;unique=u; x",
    "",
]


@pytest.mark.parametrize("line", NEAR_MISS_MLSD)
@pytest.mark.parametrize("layout", ["type=file;unique=u; first", "type=file;size=1;modify=20261127173428;UNIX.mode=0644;unique=u; first"])
def test_near_miss_mlsd_lines_read_as_line_by_line(layout: str, line: str) -> None:
    lines = [layout, line, layout.replace("first", "last")]
    assert_same_at_every_chunk_size(parse_mlsd, mlsd_reference(lines), lines)


# -- z/OS dataset rows ---------------------------------------------------------------------------

qualifier = st.text(alphabet=string.ascii_uppercase + string.digits + "#@$", min_size=1, max_size=8)


@st.composite
def dataset_line(draw: st.DrawFn) -> str:
    referred = draw(st.sampled_from(["2026/03/25", "2003/05/21", "**NONE**", "2026/13/01", "26/03/25"]))
    ext_used = draw(st.sampled_from(["  1 6299", " 12   15", "115807", "1 ????", "1++++", "   1"]))
    columns = [draw(qualifier), draw(st.sampled_from(["3390", "3420", "Tape"])), referred, ext_used]
    columns += [draw(st.sampled_from(["FB", "VB", "U"])), "80", "27920", draw(st.sampled_from(["PS", "PO", "PO-E", "VSAM"])), ".".join(draw(st.lists(qualifier, min_size=1, max_size=3)))]
    return draw(st.sampled_from([" ", "  ", "\t"])).join(columns)


@SETTINGS
@given(st.lists(st.one_of(dataset_line(), st.sampled_from(["Volume Unit    Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname", "Migrated    X.Y", ""])), max_size=10))
def test_generated_dataset_rows_read_as_line_by_line(lines: list[str]) -> None:
    assert parse_mvs_datasets(lines) == mvs_reference(lines)


def test_dataset_attributes_read_like_the_dictionary() -> None:
    line = "TRA004 3390   2026/03/25  1 6299  FB      80 27920  PO  'TRASH.MIKEG1.FTPPROBE.BIGPDS'"
    [entry] = parse_mvs_datasets([line, line])[:1]
    attrs = entry.attrs
    assert isinstance(attrs, DatasetAttributes)
    expected = {"volume": "TRA004", "unit": "3390", "referred": "2026/03/25", "ext": "1", "used": "6299", "recfm": "FB", "lrecl": "80", "blksize": "27920", "dsorg": "PO"}
    assert attrs == expected and expected == attrs and dict(attrs) == expected
    assert list(attrs) == list(expected) and list(attrs.items()) == list(expected.items()) and len(attrs) == 9
    assert attrs["recfm"] == "FB" and attrs.get("dsorg") == "PO" and attrs.get("jobid", "") == "" and "volume" in attrs
    assert attrs != {**expected, "dsorg": "PS"} and attrs != "TRA004"
    with pytest.raises(KeyError):
        attrs["jobid"]
    assert pickle.loads(pickle.dumps(attrs)) == expected and copy.deepcopy(attrs) == expected
    assert repr(attrs) == repr(expected)
    with pytest.raises(TypeError):
        hash(attrs)


def test_fast_paths_share_one_string_per_owner_and_group() -> None:
    unix = parse_unix(unix_lines(2000), now=BENCH_NOW)
    mlsd = parse_mlsd(mlsd_lines(2000))
    for entries in (unix, mlsd):
        assert len({id(entry.owner) for entry in entries}) == len({entry.owner for entry in entries})
        assert len({id(entry.group) for entry in entries}) == len({entry.group for entry in entries})
