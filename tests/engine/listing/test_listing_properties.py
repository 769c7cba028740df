"""Property tests: the parsers are total, never lose a line, and read back what they are given."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_ftp.engine import zos
from tui_ftp.engine.errors import UsageError
from tui_ftp.engine.listing import (
    STYLES,
    Entry,
    EntryKind,
    parse_dos,
    parse_jes,
    parse_listing,
    parse_mlsd,
    parse_mlsd_line,
    parse_mlst_facts,
    parse_mvs_datasets,
    parse_mvs_members,
    parse_unix,
)
from tui_ftp.engine.listing.unix import UnixListingParser

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOW = datetime(2026, 11, 27, 12, 0)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

any_line = st.text(max_size=120)
listing_like = st.lists(
    st.one_of(
        any_line,
        st.sampled_from(
            [
                "total 8",
                "-rw-r--r-- 1 a b 1 Nov 27 12:00 x",
                "type=file;size=1; y",
                "Volume Unit    Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname",
                " Name     VV.MM   Created       Changed      Size  Init   Mod   Id",
                "JOBNAME  JOBID    OWNER    STATUS CLASS",
                "         001 JES2              A JESMSGLG      1219",
            ]
        ),
        st.builds(lambda a, b: a + b, st.sampled_from(["-rw-r--r-- 1 a b ", "type=", "TSO005 3390   2005/06/06 ", "04-27-00  "]), any_line),
    ),
    max_size=12,
)


def _all_parsers(lines: list[str]) -> list[list[Entry]]:
    results = [parse_listing(lines, style=style, now=NOW) for style in STYLES]
    results += [parse_unix(lines, now=NOW), parse_dos(lines), parse_mlsd(lines)]
    results += [parse_mvs_datasets(lines), parse_mvs_members(lines), parse_jes(lines)]
    return results


@PROPERTY_SETTINGS
@given(listing_like)
def test_every_parser_is_total(lines: list[str]) -> None:
    for entries in _all_parsers(lines):
        assert isinstance(entries, list)
        for entry in entries:
            assert isinstance(entry, Entry) and isinstance(entry.name, str) and isinstance(entry.kind, EntryKind)
            assert entry.raw in lines
    for line in lines:
        parse_mlsd_line(line)
        parse_mlst_facts(line)


@PROPERTY_SETTINGS
@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="="), max_size=80).map(lambda text: "#" + text), max_size=10))
def test_lines_no_parser_reads_are_each_kept_once_in_order(lines: list[str]) -> None:
    for style in STYLES:
        entries = parse_listing(lines, style=style, now=NOW)
        assert [entry.raw for entry in entries] == lines, style
        assert all(entry.name == entry.raw for entry in entries if entry.unparsed)


# -- ls -l round trip ----------------------------------------------------------------------------

token = st.text(alphabet=string.ascii_letters + string.digits + "_-.", min_size=1, max_size=12)
file_name = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), min_size=1, max_size=40
).filter(lambda name: name not in (".", "..") and " -> " not in name)
permission = st.tuples(st.sampled_from("-d"), st.text(alphabet="rwx-sStT", min_size=9, max_size=9), st.sampled_from(["", "+", ".", "@"]))


@st.composite
def ls_entry(draw: st.DrawFn) -> tuple[str, str, int, datetime, str, str, str, str, bool]:
    kind, bits, suffix = draw(permission)
    recent = draw(st.booleans())
    if recent:
        when = NOW - timedelta(minutes=draw(st.integers(0, 170 * 24 * 60)))
        when = when.replace(second=0, microsecond=0)
    else:
        when = datetime.combine(draw(st.dates(datetime(1970, 1, 1).date(), datetime(2025, 1, 1).date())), datetime.min.time())
    size = draw(st.integers(0, 10**15))
    return kind, bits + suffix, size, when, draw(token), draw(token), draw(file_name), draw(st.sampled_from(["vsftpd", "pyftpdlib"])), recent


def format_ls(kind: str, perms: str, size: int, when: datetime, owner: str, group: str, name: str, style: str, recent: bool) -> str:
    stamp = f"{when:%H:%M}" if recent else f" {when.year}"
    day = f"{when.day:>2}" if style == "vsftpd" else f"{when.day:02d}"
    return f"{kind}{perms}    1 {owner:<8} {group:<8} {size:>12} {MONTHS[when.month - 1]} {day} {stamp:>5} {name}"


@PROPERTY_SETTINGS
@given(st.lists(ls_entry(), min_size=1, max_size=8))
def test_ls_lines_round_trip(generated: list[tuple[str, str, int, datetime, str, str, str, str, bool]]) -> None:
    lines = [format_ls(*item) for item in generated]
    entries = parse_unix(lines, now=NOW)
    assert len(entries) == len(generated)
    for entry, (kind, perms, size, when, owner, group, name, _style, _recent) in zip(entries, generated):
        assert (entry.name, entry.size, entry.modified, entry.owner, entry.group, entry.permissions) == (name, size, when, owner, group, perms)
        assert entry.kind is (EntryKind.DIR if kind == "d" else EntryKind.FILE)
    assert entries == [UnixListingParser(NOW).parse_line(line) for line in lines]


def format_dos(is_dir: bool, size: int, when: datetime, name: str, iis: bool) -> str:
    """IIS's ``MM-DD-YY  HH:MMAM`` form, or the ISO ``YYYY-MM-DD  HH:MM`` form with grouped sizes."""
    stamp = f"{when:%m-%d-%y  %I:%M%p}" if iis else f"{when:%Y-%m-%d  %H:%M}"
    middle = "<DIR>         " if is_dir else (f"{size:>14}" if iis else f"{size:>14,}")
    return f"{stamp}       {middle} {name}"


@PROPERTY_SETTINGS
@given(
    st.lists(
        st.tuples(
            st.booleans(),
            st.integers(0, 10**13),
            st.datetimes(datetime(2000, 1, 1), datetime(2068, 12, 31)).map(lambda when: when.replace(second=0, microsecond=0)),
            file_name.filter(lambda name: not name[0].isspace()),
            st.booleans(),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_dos_lines_round_trip(generated: list[tuple[bool, int, datetime, str, bool]]) -> None:
    entries = parse_dos([format_dos(*item) for item in generated])
    assert len(entries) == len(generated)
    for entry, (is_dir, size, when, name, _iis) in zip(entries, generated):
        assert (entry.name, entry.modified) == (name, when)
        assert (entry.kind, entry.size) == ((EntryKind.DIR, None) if is_dir else (EntryKind.FILE, size))


@PROPERTY_SETTINGS
@given(file_name, st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), min_size=1, max_size=30))
def test_symlink_round_trip(name: str, target: str) -> None:
    [entry] = parse_unix([f"lrwxrwxrwx 1 a b 3 Nov 27 12:00 {name} -> {target}"], now=NOW)
    assert (entry.kind, entry.name, entry.link_target) == (EntryKind.LINK, name, target)


# -- MLSD round trip -----------------------------------------------------------------------------

mlsd_name = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(lambda name: name not in (".", ".."))


@st.composite
def mlsd_entry(draw: st.DrawFn) -> tuple[str, EntryKind, int | None, datetime, str, str]:
    kind = draw(st.sampled_from([EntryKind.FILE, EntryKind.DIR]))
    size = draw(st.integers(0, 10**15)) if kind is EntryKind.FILE else None
    when = draw(st.datetimes(datetime(1900, 1, 1), datetime(2100, 1, 1))).replace(microsecond=0, tzinfo=UTC)
    mode = draw(st.integers(0, 0o7777))
    spelling = draw(st.sampled_from([str.lower, str.upper, str.title]))
    facts = [f"{spelling('type')}={kind.value}", f"{spelling('modify')}={when:%Y%m%d%H%M%S}", f"UNIX.mode={mode:04o}", "perm=adfr"]
    if size is not None:
        facts.append(f"{spelling('size')}={size}")
    order = draw(st.permutations(facts))
    return ";".join(order) + "; " + draw(mlsd_name), kind, size, when, f"{mode:04o}", ""


@PROPERTY_SETTINGS
@given(st.lists(mlsd_entry(), min_size=1, max_size=8))
def test_mlsd_lines_round_trip_and_fast_path_agrees(generated: list[tuple[str, EntryKind, int | None, datetime, str, str]]) -> None:
    lines = [item[0] for item in generated] * 2  # the second round goes through the learnt skeletons
    entries = parse_mlsd(lines)
    assert entries == [parse_mlsd_line(line) for line in lines]
    for entry, (line, kind, size, when, mode, _) in zip(entries, generated * 2):
        assert (entry.kind, entry.size, entry.modified) == (kind, size, when)
        assert entry.name == line.split("; ", 1)[1]
        assert len(entry.permissions) == 9 and int(mode, 8) & 0o777 == _mode_bits(entry.permissions)


def _mode_bits(text: str) -> int:
    return sum(1 << (8 - index) for index, char in enumerate(text) if char not in "-ST")


# -- z/OS round trips ----------------------------------------------------------------------------

qualifier = st.text(alphabet=string.ascii_uppercase + string.digits + "#@$", min_size=1, max_size=8)
dsname = st.lists(qualifier, min_size=1, max_size=5).map(".".join)


@st.composite
def dataset_row(draw: st.DrawFn) -> tuple[str, dict[str, str], str, datetime | None]:
    referred = draw(st.one_of(st.none(), st.dates(datetime(1980, 1, 1).date(), datetime(2099, 1, 1).date())))
    ext = draw(st.integers(1, 123))
    used = draw(st.one_of(st.integers(1, 99999).map(str), st.just("++++")))
    attrs = {
        "volume": draw(st.text(alphabet=string.ascii_uppercase + string.digits, min_size=6, max_size=6)),
        "unit": draw(st.sampled_from(["3390", "3380", "3420"])),
        "referred": referred.strftime("%Y/%m/%d") if referred else "**NONE**",
        "ext": str(ext),
        "used": used,
        "recfm": draw(st.sampled_from(["FB", "VB", "U", "F", "VBA", "NONE"])),
        "lrecl": str(draw(st.integers(0, 32760))),
        "blksize": str(draw(st.integers(0, 32760))),
        "dsorg": draw(st.sampled_from(["PS", "PO", "PO-E", "DA"])),
    }
    name = draw(dsname)
    quoted = draw(st.booleans())
    shown = f"'{name}'" if quoted else name
    line = (
        f"{attrs['volume']} {attrs['unit']}   {attrs['referred']:<10} {attrs['ext']:>2}{attrs['used']:>5}  {attrs['recfm']:<5}"
        f"{attrs['lrecl']:>5} {attrs['blksize']:>5}  {attrs['dsorg']:<4}  {shown}"
    )
    when = datetime.combine(referred, datetime.min.time()) if referred else None
    return line, attrs, shown, when


@PROPERTY_SETTINGS
@given(st.lists(dataset_row(), min_size=1, max_size=8))
def test_dataset_rows_round_trip(rows: list[tuple[str, dict[str, str], str, datetime | None]]) -> None:
    lines = ["Volume Unit    Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname"] + [row[0] for row in rows]
    entries = parse_listing(lines, style="mvs")
    assert len(entries) == len(rows)
    for entry, (_line, attrs, shown, when) in zip(entries, rows):
        assert (entry.name, entry.attrs, entry.modified) == (shown, attrs, when)
        assert entry.kind is (EntryKind.DIR if attrs["dsorg"] in ("PO", "PO-E") else EntryKind.FILE)
        assert zos.MvsPath.parse("'USER1.'").enter(entry.name).display() == (shown if shown.startswith("'") else f"'USER1.{shown}'")


@PROPERTY_SETTINGS
@given(
    st.lists(
        st.tuples(
            qualifier,
            st.datetimes(datetime(1980, 1, 1), datetime(2099, 1, 1)).map(lambda when: when.replace(second=0, microsecond=0)),
            st.integers(0, 99999),
            qualifier,
        ),
        min_size=1,
        max_size=6,
    )
)
def test_member_rows_round_trip(rows: list[tuple[str, datetime, int, str]]) -> None:
    lines = [f"{name:<8}  01.00 2001/01/01 {changed:%Y/%m/%d %H:%M} {size:>5} {size:>5}     0 {user}" for name, changed, size, user in rows]
    entries = parse_listing(lines, style="mvs")
    assert [(entry.name, entry.modified, entry.attrs and entry.attrs["size"], entry.owner) for entry in entries] == [
        (name, changed, str(size), user) for name, changed, size, user in rows
    ]


@PROPERTY_SETTINGS
@given(st.lists(st.tuples(qualifier, st.integers(1, 99999), qualifier, st.sampled_from(["OUTPUT", "ACTIVE", "INPUT"]), st.integers(0, 99)), min_size=1, max_size=6))
def test_job_rows_round_trip(rows: list[tuple[str, int, str, str, int]]) -> None:
    lines = ["JOBNAME  JOBID    OWNER    STATUS CLASS"]
    lines += [f"{name:<8} JOB{number:05d} {owner:<8} {status:<6} A        RC={rc:04d} {rc} spool files" for name, number, owner, status, rc in rows]
    entries = parse_jes(lines)
    assert [(entry.name, entry.attrs) for entry in entries] == [
        (f"JOB{number:05d}", {"jobname": name, "jobid": f"JOB{number:05d}", "owner": owner, "status": status, "class": "A", "rc": f"RC={rc:04d}", "spool_files": str(rc)})
        for name, number, owner, status, rc in rows
    ]


# -- the z/OS helpers are total too --------------------------------------------------------------


@PROPERTY_SETTINGS
@given(st.lists(any_line, max_size=10))
def test_zos_helpers_are_total(lines: list[str]) -> None:
    tracker = zos.ContentionTracker()
    for line in lines:
        notice = tracker.feed(line)
        assert notice is None or isinstance(notice, zos.ContentionNotice)
        zos.is_mvs_syst(line)
        zos.is_zos_unix(line)
        zos.is_exclusive_use_failure(line)
        zos.job_id_from_reply(line)
        zos.MvsPath.from_cwd_reply(line)
        try:
            path = zos.MvsPath.parse(line)
            path.up()
            path.display()
        except UsageError:
            pass
