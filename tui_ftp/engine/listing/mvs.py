"""IBM z/OS (MVS) listings: datasets, PDS/PDSE members, JES jobs and spool files.

Dataset rows (``Volume Unit Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname``) are read from both
ends: the name is the last token and the Dsorg, BlkSz, Lrecl and Recfm come before it, so a row where
Ext and Used run together (``115807`` = Ext 1, Used 15807: Used is five columns wide) still reads.

Kinds (``Entry.kind``):

* ``PO`` / ``PO-E`` datasets and ``Pseudo Directory`` rows: DIR (you can enter them);
* ``PS`` and every other DASD dataset organisation: FILE;
* VSAM clusters: OTHER (the FTP server cannot transfer them), ``attrs["dsorg"] = "VSAM"``;
* migrated (HSM), tape and not-direct-access (``ARCIVE``) datasets: FILE, since retrieving them
  recalls or mounts them; ``attrs["volume"]``/``attrs["unit"]`` say which (``Migrated``, ``Tape``,
  ``Not Direct Access Device``);
* members: FILE; JES jobs: DIR (listing a job shows its spool files); spool files: FILE.

Dataset names are kept as the server wrote them, including the quotes of an absolute name
(``'TRASH.MIKEG1.FTPPROBE.BIGPDS'``): :class:`tui_ftp.engine.zos.MvsPath` resolves both forms.
The Referred date is ``Entry.modified`` (a naive date at midnight). A member's ISPF Size/Init/Mod
are record counts and stay in ``attrs``; ``Entry.size`` is set only for real byte counts (load
modules, spool files). A JES job's name is its job id (what RETR/DELE take); the job name is in
``attrs["jobname"]``.
"""

from __future__ import annotations

import re
from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from datetime import datetime
from typing import Any

from ._common import SKIP, LineParser, gc_paused, read_elsewhere, run_parser
from .model import Entry, EntryKind

_new_entry = tuple.__new__
_FILE, _DIR, _OTHER = EntryKind.FILE, EntryKind.DIR, EntryKind.OTHER

# -- datasets ------------------------------------------------------------------------------------

_PARTITIONED = frozenset(("PO", "PO-E"))
_NOT_DASD = ("Not", "Direct", "Access", "Device")
_USED_WIDTH = 5  # the Used column is five wide; Ext runs into it when Used has five digits
_OVERFLOW = ("++++", "????")  # Used too large to show
_NEVER_REFERRED = "**NONE**"
_DATASET_COLUMNS = ("volume", "unit", "referred", "ext", "used", "recfm", "lrecl", "blksize", "dsorg")
_COLUMN_INDEX = {name: index for index, name in enumerate(_DATASET_COLUMNS)}
_DATE_RE = re.compile(r"([0-9]{4})/([0-9]{2})/([0-9]{2})\Z")
_MISSING = datetime.min  # "not in the cache" marker
_dates: dict[str, datetime | None] = {_NEVER_REFERRED: None}


def parse_mvs_datasets(lines: Iterable[str], fallbacks: tuple[LineParser, ...] = ()) -> list[Entry]:
    """Parse a z/OS dataset listing (the header line is skipped).

    The common row (ten columns, a date seen before) is read inline, its columns left in the line
    until read (:class:`DatasetAttributes`); every other line goes through :func:`parse_dataset_line`.
    """
    entries: list[Entry] = []
    append = entries.append
    dates = _dates.get
    partitioned, new_entry, skip, missing, attributes = _PARTITIONED, _new_entry, SKIP, _MISSING, DatasetAttributes
    with gc_paused():
        for line in lines:
            tokens = line.split()
            if len(tokens) == 10:
                when = dates(tokens[2], missing)
                if when is not missing:
                    kind = _DIR if tokens[8] in partitioned else _FILE
                    append(new_entry(Entry, (tokens[9], kind, None, when, "", "", "", None, attributes(line), line)))
                    continue
            entry = parse_dataset_line(line)
            if entry is None:
                entry = read_elsewhere(line, fallbacks)
            if entry is not skip:
                append(entry)
    return entries


class DatasetAttributes(Mapping[str, str]):
    """``Entry.attrs`` of a common dataset row: a read-only mapping of its nine columns.

    It reads like (and compares equal to) the dictionary ``{"volume": ..., "unit": ...,
    "referred": ..., "ext": ..., "used": ..., "recfm": ..., "lrecl": ..., "blksize": ...,
    "dsorg": ...}``, but keeps only the row: a column is split out of it when read. A dictionary
    and nine strings per row, built at parse time, were about 40% of the time to parse a large
    listing (mostly the memory they take), while a pane only ever shows the rows on screen and a
    sort by a column reads that one column of each row (about 0.6 µs a row).
    """

    __slots__ = ("_line",)

    def __init__(self, line: str) -> None:
        self._line = line

    def columns(self) -> dict[str, str]:
        """The columns as a new plain dictionary."""
        return dict(zip(_DATASET_COLUMNS, self._line.split()))

    def __getitem__(self, key: str) -> str:
        return self._line.split()[_COLUMN_INDEX[key]]

    def get(self, key: str, default: Any = None) -> Any:
        index = _COLUMN_INDEX.get(key)
        return default if index is None else self._line.split()[index]

    def __contains__(self, key: object) -> bool:
        return key in _COLUMN_INDEX

    def __iter__(self) -> Iterator[str]:
        return iter(_DATASET_COLUMNS)

    def __len__(self) -> int:
        return len(_DATASET_COLUMNS)

    def keys(self) -> KeysView[str]:
        return self.columns().keys()

    def items(self) -> ItemsView[str, str]:
        return self.columns().items()

    def values(self) -> ValuesView[str]:
        return self.columns().values()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self.columns() == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return repr(self.columns())


def parse_dataset_line(line: str) -> Entry | None:
    """One dataset row → Entry; SKIP for the header; None for lines of another shape."""
    tokens = line.split()
    count = len(tokens)
    if count >= 9:
        return _full_dataset_row(tokens, line)
    if count >= 2:
        return _short_dataset_row(tokens, line)
    return None


def is_dataset_header(line: str) -> bool:
    return line.startswith("Volume Unit") and "Dsname" in line


def _full_dataset_row(tokens: list[str], line: str) -> Entry | None:
    referred = tokens[2]
    when = _referred_date(referred)
    if when is None and referred != _NEVER_REFERRED:
        return SKIP if is_dataset_header(line) else _short_dataset_row(tokens, line)
    ext_used = _ext_used(tokens[3:-5])
    if ext_used is None:
        return None
    columns = (tokens[0], tokens[1], referred, *ext_used, *tokens[-5:-1])
    attrs = dict(zip(_DATASET_COLUMNS, columns))
    kind = _DIR if tokens[-2] in _PARTITIONED else _FILE
    return _new_entry(Entry, (tokens[-1], kind, None, when, "", "", "", None, attrs, line))


def _ext_used(middle: list[str]) -> tuple[str, str] | None:
    """The Ext and Used columns: two tokens, or one where they ran together (``115807``)."""
    if len(middle) == 2:
        return middle[0], middle[1]
    if len(middle) == 1:
        joined = middle[0]
        width = 4 if joined.endswith(_OVERFLOW) else _USED_WIDTH
        if len(joined) > width and joined[:-width].isdecimal():
            return joined[:-width], joined[-width:]
    return None


def _short_dataset_row(tokens: list[str], line: str) -> Entry | None:
    """Rows with few columns: VSAM, tape, migrated, not-DASD and pseudo-directory datasets."""
    count = len(tokens)
    name = tokens[-1]
    if count == 2 and tokens[0] == "Migrated":
        return _bare_dataset(name, _FILE, {"volume": "Migrated"}, line)
    if count == 3 and tokens[1] == "Tape":
        return _bare_dataset(name, _FILE, {"volume": tokens[0], "unit": "Tape"}, line)
    if count == 4 and tokens[2] == "VSAM":
        return _bare_dataset(name, _OTHER, {"volume": tokens[0], "unit": tokens[1], "dsorg": "VSAM"}, line)
    if count == 6 and tuple(tokens[1:5]) == _NOT_DASD:
        return _bare_dataset(name, _FILE, {"volume": tokens[0], "unit": " ".join(_NOT_DASD)}, line)
    if count >= 3 and tokens[-3:-1] == ["Pseudo", "Directory"]:
        return _bare_dataset(name, _DIR, {"dsorg": "Pseudo Directory"}, line)
    return None


def _bare_dataset(name: str, kind: EntryKind, attrs: dict[str, str], line: str) -> Entry:
    return _new_entry(Entry, (name, kind, None, None, "", "", "", None, attrs, line))


def _referred_date(text: str) -> datetime | None:
    """``2026/03/25`` → datetime(2026, 3, 25); anything else → None.

    Valid dates are cached (they repeat; the fast path reads the cache); ``**NONE**`` is cached
    as None, meaning "never referenced".
    """
    when = _dates.get(text, _MISSING)
    if when is not _MISSING:
        return when
    match = _DATE_RE.match(text)
    if match is None:
        return None
    try:
        when = datetime(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    if len(_dates) < 100_000:
        _dates[text] = when
    return when


# -- PDS / PDSE members --------------------------------------------------------------------------

_VV_MM_RE = re.compile(r"\d\d\.\d\d\Z")
_TIME_RE = re.compile(r"(\d\d):(\d\d)(?::(\d\d))?\Z")
_HEX6_RE = re.compile(r"[0-9A-Fa-f]{6}\Z")
_HEX2_RE = re.compile(r"[0-9A-Fa-f]{2}\Z")
_MODES = frozenset(("24", "31", "64", "ANY"))


def parse_mvs_members(lines: Iterable[str]) -> list[Entry]:
    """Parse a PDS/PDSE member listing: ISPF statistics, bare names, or the load-module form."""
    return run_parser(lines, parse_member_line)


def parse_member_line(line: str) -> Entry | None:
    """One member row → Entry; SKIP for the header; None for lines of another shape."""
    tokens = line.split()
    if is_member_header(line):
        return SKIP
    count = len(tokens)
    if count == 1:
        return _new_entry(Entry, (tokens[0], _FILE, None, None, "", "", "", None, None, line))
    if count in (8, 9) and _VV_MM_RE.match(tokens[1]):
        return _ispf_member(tokens, line)
    if count >= 4 and _HEX6_RE.match(tokens[1]) and _HEX6_RE.match(tokens[2]):
        return _load_module(tokens, line)
    return None


def is_member_header(line: str) -> bool:
    stripped = line.lstrip()
    return stripped.startswith("Name") and ("VV.MM" in stripped or "TTR" in stripped)


def _ispf_member(tokens: list[str], line: str) -> Entry | None:
    """``NAME 01.00 2026/03/25 2026/03/25 09:17 10 10 0 MIKEG1`` (Size, Init, Mod are records)."""
    name, vv_mm, created, changed_day, changed_time = tokens[:5]
    changed = _changed_datetime(changed_day, changed_time)
    if changed is None or _referred_date(created) is None:
        return None
    attrs = {
        "vv_mm": vv_mm,
        "created": created,
        "changed": f"{changed_day} {changed_time}",
        "size": tokens[5],
        "init": tokens[6],
        "mod": tokens[7],
        "id": tokens[8] if len(tokens) == 9 else "",
    }
    return _new_entry(Entry, (name, _FILE, None, changed, "", attrs["id"], "", None, attrs, line))


def _changed_datetime(day: str, time: str) -> datetime | None:
    date = _referred_date(day)
    match = _TIME_RE.match(time)
    if date is None or match is None:
        return None
    try:
        return date.replace(hour=int(match[1]), minute=int(match[2]), second=int(match[3] or 0))
    except ValueError:
        return None


def _load_module(tokens: list[str], line: str) -> Entry:
    """``NAME 00B308 000411 [ALIAS-OF] 00 FO ... 31 ANY``: Size is the module's bytes in hex."""
    name, size_hex, ttr = tokens[:3]
    rest = tokens[3:]
    alias_of = ""
    if rest and not _HEX2_RE.match(rest[0]):
        alias_of, rest = rest[0], rest[1:]
    ac = rest[0] if rest else ""
    rest = rest[1:]
    modes: list[str] = []
    while rest and len(modes) < 2 and rest[-1].upper() in _MODES:
        modes.insert(0, rest.pop())
    attrs = {
        "size_hex": size_hex,
        "ttr": ttr,
        "alias_of": alias_of,
        "ac": ac,
        "attributes": " ".join(rest),
        "amode": modes[0] if modes else "",
        "rmode": modes[1] if len(modes) > 1 else "",
    }
    return _new_entry(Entry, (name, _FILE, int(size_hex, 16), None, "", "", "", None, attrs, line))


# -- JES -----------------------------------------------------------------------------------------

_JOB_ID_RE = re.compile(r"[A-Z]{1,3}\d{4,7}\Z")
_SPOOL_COUNT_RE = re.compile(r"(?:^|\s)(\d+) spool files?\s*\Z", re.IGNORECASE)
_SPOOL_ROW_RE = re.compile(r"\s+(\d{1,5})\s+(\S+)\s+(?:(\S+)\s+)?(\S)\s+(\S+)\s+(\d+)\s*\Z")
_JOB_STATUSES = frozenset(("OUTPUT", "ACTIVE", "INPUT", "HELD", "EXECUTING", "CONV", "SETUP", "HARDCPY", "PRINT"))


def parse_jes(lines: Iterable[str]) -> list[Entry]:
    """Parse a JES job listing (interface level 1 or 2) or one job's spool-file listing."""
    return run_parser(lines, make_jes_line_parser())


def make_jes_line_parser() -> LineParser:
    """A JES line parser; it remembers the last job id so spool files get ``JOBID.n`` names."""
    current_job = [""]

    def parse_line(line: str) -> Entry | None:
        if _is_jes_furniture(line):
            return SKIP
        spool = _SPOOL_ROW_RE.match(line)
        if spool is not None:
            return _spool_file(spool, current_job[0], line)
        entry = parse_job_line(line)
        if entry is not None and entry is not SKIP:
            current_job[0] = entry.name
        return entry

    return parse_line


def parse_job_line(line: str) -> Entry | None:
    """``JOBNAME JOBID OWNER STATUS CLASS [RC=0000|ABEND=522|(JCL error)] [n spool files]``.

    Level 1 rows (``IBMUSER1  JOB01906  OUTPUT    3 Spool Files``) have no owner and class.
    """
    if line.startswith("JOBNAME") and "JOBID" in line:
        return SKIP
    tokens = line.split()
    if len(tokens) < 3 or not _JOB_ID_RE.match(tokens[1]):
        return None
    level_2 = len(tokens) >= 5 and (tokens[3].upper() in _JOB_STATUSES or tokens[2].upper() not in _JOB_STATUSES)
    if level_2:
        fields = dict(zip(("jobname", "jobid", "owner", "status", "class"), tokens[:5]))
        rest = tokens[5:]
    elif tokens[2].upper() in _JOB_STATUSES:
        fields = {"jobname": tokens[0], "jobid": tokens[1], "owner": "", "status": tokens[2], "class": ""}
        rest = tokens[3:]
    else:
        return None
    fields.update(_job_outcome(" ".join(rest)))
    return _new_entry(Entry, (tokens[1], _DIR, None, None, "", fields["owner"], "", None, fields, line))


def _job_outcome(text: str) -> dict[str, str]:
    """``RC=0000 3 spool files`` → {"rc": "RC=0000", "spool_files": "3"}."""
    count = _SPOOL_COUNT_RE.search(text)
    spool_files = ""
    if count is not None:
        spool_files = count[1]
        text = text[: count.start()]
    return {"rc": text.strip(), "spool_files": spool_files}


def _is_jes_furniture(line: str) -> bool:
    """The separator, the spool-file header and the ``n spool files`` trailer of a job listing."""
    stripped = line.strip()
    if stripped and set(stripped) == {"-"}:
        return True
    if stripped.startswith("ID") and "STEPNAME" in stripped:
        return True
    return _SPOOL_COUNT_RE.match(stripped) is not None and stripped[0].isdigit()


def _spool_file(match: re.Match[str], job_id: str, line: str) -> Entry:
    """`` 001 JES2   A JESMSGLG  1200`` → a FILE named ``JOBID.1`` (what RETR takes)."""
    number = str(int(match[1]))
    attrs = {
        "jobid": job_id,
        "id": match[1],
        "stepname": match[2],
        "procstep": match[3] or "",
        "class": match[4],
        "ddname": match[5],
    }
    name = f"{job_id}.{number}" if job_id else number
    return _new_entry(Entry, (name, _FILE, int(match[6]), None, "", "", "", None, attrs, line))
