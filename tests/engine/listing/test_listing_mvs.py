"""z/OS listings: every sample line of the z/OS reference, plus Commons Net and FileZilla rows."""

from __future__ import annotations

from datetime import datetime

import pytest

from tui_ftp.engine.listing import (
    EntryKind,
    parse_jes,
    parse_listing,
    parse_mvs_datasets,
    parse_mvs_members,
)

DATASET_HEADER = "Volume Unit    Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname"


def dataset_attrs(volume: str, unit: str, referred: str, ext: str, used: str, recfm: str, lrecl: str, blksize: str, dsorg: str) -> dict[str, str]:
    return {
        "volume": volume,
        "unit": unit,
        "referred": referred,
        "ext": ext,
        "used": used,
        "recfm": recfm,
        "lrecl": lrecl,
        "blksize": blksize,
        "dsorg": dsorg,
    }


DATASET_ROWS = [
    (
        "TRA004 3390   2026/03/25  1 6299  FB      80 27920  PO  'TRASH.MIKEG1.FTPPROBE.BIGPDS'",
        "'TRASH.MIKEG1.FTPPROBE.BIGPDS'",
        EntryKind.DIR,
        datetime(2026, 3, 25),
        dataset_attrs("TRA004", "3390", "2026/03/25", "1", "6299", "FB", "80", "27920", "PO"),
    ),
    (
        "WYOSPT 3420   2003/05/21  1  200  FB      80  8053  PS  60-MVS.FILE",
        "60-MVS.FILE",
        EntryKind.FILE,
        datetime(2003, 5, 21),
        dataset_attrs("WYOSPT", "3420", "2003/05/21", "1", "200", "FB", "80", "8053", "PS"),
    ),
    (
        "NRP004 3390   **NONE**    1   15  NONE     0     0  PO  62-MVS-NONEDATE.DATASET",
        "62-MVS-NONEDATE.DATASET",
        EntryKind.DIR,
        None,
        dataset_attrs("NRP004", "3390", "**NONE**", "1", "15", "NONE", "0", "0", "PO"),
    ),
    (
        "TSO005 3390   2005/06/06 213000 U 0 27998 PO 63-MVS.DATASET",
        "63-MVS.DATASET",
        EntryKind.DIR,
        datetime(2005, 6, 6),
        dataset_attrs("TSO005", "3390", "2005/06/06", "2", "13000", "U", "0", "27998", "PO"),
    ),
    ("TSO004 3390   VSAM 64-mvs-file", "64-mvs-file", EntryKind.OTHER, None, {"volume": "TSO004", "unit": "3390", "dsorg": "VSAM"}),
    (
        "GISBWI 3390   2011/08/25  2 ++++  FB     904 18080  PS  80-MVS.FILE",
        "80-MVS.FILE",
        EntryKind.FILE,
        datetime(2011, 8, 25),
        dataset_attrs("GISBWI", "3390", "2011/08/25", "2", "++++", "FB", "904", "18080", "PS"),
    ),
    (
        "WYOSPT 3420   2003/05/21  1 3 U 6447    6447  PO-E 81-MVS.DIR",
        "81-MVS.DIR",
        EntryKind.DIR,
        datetime(2003, 5, 21),
        dataset_attrs("WYOSPT", "3420", "2003/05/21", "1", "3", "U", "6447", "6447", "PO-E"),
    ),
    ("V43525 Tape                                             73-MSV-TAPE.FILE", "73-MSV-TAPE.FILE", EntryKind.FILE, None, {"volume": "V43525", "unit": "Tape"}),
    (
        "SAVE00 3390   2004/06/23  1    1  FB     128  6144  PS    INCOMING.RPTBM023.D061704",
        "INCOMING.RPTBM023.D061704",
        EntryKind.FILE,
        datetime(2004, 6, 23),
        dataset_attrs("SAVE00", "3390", "2004/06/23", "1", "1", "FB", "128", "6144", "PS"),
    ),
    (
        "PEX26F 3390   2017/07/03  115807  FB   29600 29600  PS    INCOMING.FIN.D170630.T160630",
        "INCOMING.FIN.D170630.T160630",
        EntryKind.FILE,
        datetime(2017, 7, 3),
        dataset_attrs("PEX26F", "3390", "2017/07/03", "1", "15807", "FB", "29600", "29600", "PS"),
    ),
    ("Migrated                                                  NAME", "NAME", EntryKind.FILE, None, {"volume": "Migrated"}),
    ("Migrated\t\t\t\t69-SOME.FILE", "69-SOME.FILE", EntryKind.FILE, None, {"volume": "Migrated"}),
    (
        "ARCIVE Not Direct Access Device                           NAME",
        "NAME",
        EntryKind.FILE,
        None,
        {"volume": "ARCIVE", "unit": "Not Direct Access Device"},
    ),
    (
        "WYOSPT 3420   2003/05/21  1 ????  FB      80  8053  PS  79-MVS.FILE",
        "79-MVS.FILE",
        EntryKind.FILE,
        datetime(2003, 5, 21),
        dataset_attrs("WYOSPT", "3420", "2003/05/21", "1", "????", "FB", "80", "8053", "PS"),
    ),
    (
        "PSMLC1 3390   2005/04/04  1    1  VB   27994 27998  PS    file3.I",
        "file3.I",
        EntryKind.FILE,
        datetime(2005, 4, 4),
        dataset_attrs("PSMLC1", "3390", "2005/04/04", "1", "1", "VB", "27994", "27998", "PS"),
    ),
    ("                                        Pseudo Directory  USER1.PROJECT", "USER1.PROJECT", EntryKind.DIR, None, {"dsorg": "Pseudo Directory"}),
]


@pytest.mark.parametrize(("line", "name", "kind", "modified", "attrs"), DATASET_ROWS, ids=[row[1] for row in DATASET_ROWS])
def test_every_dataset_row(line: str, name: str, kind: EntryKind, modified: datetime | None, attrs: dict[str, str]) -> None:
    [entry] = parse_mvs_datasets([DATASET_HEADER, line])
    assert (entry.name, entry.kind, entry.modified, entry.attrs) == (name, kind, modified, attrs)
    assert entry.size is None and entry.raw == line and not entry.unparsed


def test_whole_dataset_listing_auto_detected_in_order() -> None:
    lines = [DATASET_HEADER] + [row[0] for row in DATASET_ROWS]
    for style in ("auto", "mvs", "mvs-datasets"):
        entries = parse_listing(lines, style=style)
        assert [entry.name for entry in entries] == [row[1] for row in DATASET_ROWS], style


def test_dataset_rows_without_header_are_recognised() -> None:
    entries = parse_listing([row[0] for row in DATASET_ROWS[:3]], style="mvs")
    assert [entry.kind for entry in entries] == [EntryKind.DIR, EntryKind.FILE, EntryKind.DIR]


def test_unreadable_dataset_rows_are_kept_raw() -> None:
    lines = [DATASET_HEADER, "MigratedP201.$FTXPBI1.$CF2ITB.$AAB0402.I", "PSMLC133902005/04/041VB2799427998PSfile1.I", "TSO005 3390 2005/13/06 1 2 FB 80 800 PS X.Y"]
    entries = parse_mvs_datasets(lines)
    assert [entry.name for entry in entries] == lines[1:] and all(entry.unparsed for entry in entries)


# -- members -------------------------------------------------------------------------------------

MEMBER_HEADER = " Name     VV.MM   Created       Changed      Size  Init   Mod   Id"


def ispf(vv_mm: str, created: str, changed: str, size: str, init: str, mod: str, user: str) -> dict[str, str]:
    return {"vv_mm": vv_mm, "created": created, "changed": changed, "size": size, "init": init, "mod": mod, "id": user}


MEMBER_ROWS = [
    (
        "MEMBER1   01.00 2026/03/25 2026/03/25 09:17    10    10     0 MIKEG1",
        "MEMBER1",
        None,
        datetime(2026, 3, 25, 9, 17),
        ispf("01.00", "2026/03/25", "2026/03/25 09:17", "10", "10", "0", "MIKEG1"),
    ),
    (
        "SAVE03    01.03 2002/09/12 2002/10/11 09:37    11    11     0 KIL001",
        "SAVE03",
        None,
        datetime(2002, 10, 11, 9, 37),
        ispf("01.03", "2002/09/12", "2002/10/11 09:37", "11", "11", "0", "KIL001"),
    ),
    ("SAVE04", "SAVE04", None, None, None),
    ("SAVE05                                                              ", "SAVE05", None, None, None),
    (
        "66-MVSPDSMEMBER 01.01 2004/06/22 2004/06/22 16:32   128   128    0 BOBY12",
        "66-MVSPDSMEMBER",
        None,
        datetime(2004, 6, 22, 16, 32),
        ispf("01.01", "2004/06/22", "2004/06/22 16:32", "128", "128", "0", "BOBY12"),
    ),
    (
        "67-MVSPDSMEMBER2 00B308 000411  00 FO                31    ANY",
        "67-MVSPDSMEMBER2",
        45832,
        None,
        {"size_hex": "00B308", "ttr": "000411", "alias_of": "", "ac": "00", "attributes": "FO", "amode": "31", "rmode": "ANY"},
    ),
    (
        "68-MVSPDSMEMBER3 00B308 000411  00 FO        RU      ANY    24",
        "68-MVSPDSMEMBER3",
        45832,
        None,
        {"size_hex": "00B308", "ttr": "000411", "alias_of": "", "ac": "00", "attributes": "FO RU", "amode": "ANY", "rmode": "24"},
    ),
    (
        "ALIAS1   000140 00000F MAINPGM  00 FO             31    ANY",
        "ALIAS1",
        320,
        None,
        {"size_hex": "000140", "ttr": "00000F", "alias_of": "MAINPGM", "ac": "00", "attributes": "FO", "amode": "31", "rmode": "ANY"},
    ),
]


@pytest.mark.parametrize(("line", "name", "size", "modified", "attrs"), MEMBER_ROWS, ids=[row[1] for row in MEMBER_ROWS])
def test_every_member_row(line: str, name: str, size: int | None, modified: datetime | None, attrs: dict[str, str] | None) -> None:
    [entry] = parse_mvs_members([MEMBER_HEADER, line])
    assert (entry.name, entry.kind, entry.size, entry.modified, entry.attrs) == (name, EntryKind.FILE, size, modified, attrs)
    assert not entry.unparsed


def test_member_ispf_id_is_also_the_owner() -> None:
    [entry] = parse_mvs_members([MEMBER_ROWS[0][0]])
    assert entry.owner == "MIKEG1"


def test_member_listing_detected_by_header_and_under_mvs_without_it() -> None:
    lines = [MEMBER_HEADER] + [row[0] for row in MEMBER_ROWS]
    assert [entry.name for entry in parse_listing(lines)] == [row[1] for row in MEMBER_ROWS]
    bare = ["SAVE04", "SAVE05", "APICLN"]
    assert [(entry.name, entry.kind) for entry in parse_listing(bare, style="mvs")] == [(name, EntryKind.FILE) for name in bare]
    load_header = " Name     Size   TTR   Alias-of AC --------- Attributes --------- Amode Rmode"
    assert [entry.size for entry in parse_listing([load_header, MEMBER_ROWS[5][0]])] == [45832]


def test_bare_names_without_mvs_are_not_guessed_to_be_members() -> None:
    [entry] = parse_listing(["SAVE04"])
    assert entry.unparsed and entry.name == "SAVE04"


# -- JES -----------------------------------------------------------------------------------------

JES_HEADER = "JOBNAME  JOBID    OWNER    STATUS CLASS"


def job(jobname: str, jobid: str, owner: str, status: str, job_class: str, rc: str, spool_files: str) -> dict[str, str]:
    return {"jobname": jobname, "jobid": jobid, "owner": owner, "status": status, "class": job_class, "rc": rc, "spool_files": spool_files}


JOB_ROWS = [
    ("MIKEG1T  J0887691 MIKEG1   OUTPUT A        (JCL error) 3 spool files", job("MIKEG1T", "J0887691", "MIKEG1", "OUTPUT", "A", "(JCL error)", "3")),
    ("IBMUSER2 JOB01906 IBMUSER  OUTPUT A        RC=0000 3 spool files", job("IBMUSER2", "JOB01906", "IBMUSER", "OUTPUT", "A", "RC=0000", "3")),
    ("IBMUSER1  JOB01906  OUTPUT    3 Spool Files", job("IBMUSER1", "JOB01906", "", "OUTPUT", "", "", "3")),
    ("IBMUSER  TSU01830 IBMUSER  OUTPUT TSU      ABEND=522 3 spool files", job("IBMUSER", "TSU01830", "IBMUSER", "OUTPUT", "TSU", "ABEND=522", "3")),
    ("USER1    T0000353 USER1    ACTIVE TSU", job("USER1", "T0000353", "USER1", "ACTIVE", "TSU", "", "")),
    ("NIGHTLY  JOB00001 SETUP    OUTPUT A        RC=0004 2 spool files", job("NIGHTLY", "JOB00001", "SETUP", "OUTPUT", "A", "RC=0004", "2")),
]


@pytest.mark.parametrize(("line", "attrs"), JOB_ROWS, ids=[row[0][:17] for row in JOB_ROWS])
def test_every_job_row(line: str, attrs: dict[str, str]) -> None:
    [entry] = parse_jes([JES_HEADER, line])
    assert (entry.name, entry.kind, entry.attrs, entry.owner) == (attrs["jobid"], EntryKind.DIR, attrs, attrs["owner"])


def test_jes_listing_auto_detected() -> None:
    lines = [JES_HEADER] + [row[0] for row in JOB_ROWS]
    assert [entry.name for entry in parse_listing(lines)] == [row[1]["jobid"] for row in JOB_ROWS]
    assert [entry.name for entry in parse_listing([row[0] for row in JOB_ROWS], style="mvs")] == [row[1]["jobid"] for row in JOB_ROWS]


def test_one_jobs_spool_files() -> None:
    lines = [
        JES_HEADER,
        "USER1A   JOB00077 USER1    OUTPUT A        RC=0000",
        "--------",
        "         ID  STEPNAME PROCSTEP C DDNAME   BYTE-COUNT",
        "         001 JES2              A JESMSGLG      1219",
        "         002 JES2              A JESJCL         394",
        "         004 STEP1    RUN      A SYSPRINT       170",
        "3 spool files",
    ]
    entries = parse_listing(lines)
    assert [(entry.name, entry.kind, entry.size) for entry in entries] == [
        ("JOB00077", EntryKind.DIR, None),
        ("JOB00077.1", EntryKind.FILE, 1219),
        ("JOB00077.2", EntryKind.FILE, 394),
        ("JOB00077.4", EntryKind.FILE, 170),
    ]
    assert entries[3].attrs == {"jobid": "JOB00077", "id": "004", "stepname": "STEP1", "procstep": "RUN", "class": "A", "ddname": "SYSPRINT"}
