"""Sample content for the z/OS demo server: a user's data sets (JCL and COBOL members, a load
library, sequential, binary, VSAM, migrated and tape data sets), some JES jobs, and an optional
large generated catalog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from .zos_catalog import (
    Catalog,
    Dataset,
    IspfStats,
    Job,
    JobQueue,
    LoadModule,
    Member,
    build_job,
    line_count,
)

SAMPLE_DAY = dt.date(2026, 3, 25)
SAMPLE_TIME = dt.datetime(2026, 3, 25, 9, 17)

ALLOC_JCL = """\
//{user}A  JOB (ACCT),'ALLOCATE',CLASS=A,MSGCLASS=X,NOTIFY=&SYSUID
//*------------------------------------------------------------------
//* ALLOCATE A NEW SEQUENTIAL DATA SET
//*------------------------------------------------------------------
//STEP1    EXEC PGM=IEFBR14
//NEWDS    DD DSN={user}.NEW.DATA,DISP=(NEW,CATLG,DELETE),
//            SPACE=(TRK,(15,5)),UNIT=SYSDA,
//            DCB=(RECFM=FB,LRECL=80,BLKSIZE=27920)
"""

COMPILE_JCL = """\
//{user}C  JOB (ACCT),'COMPILE',CLASS=A,MSGCLASS=X,NOTIFY=&SYSUID
//COMPILE  EXEC IGYWCL,PARM.COBOL='LIB,APOST,XREF'
//COBOL.SYSIN  DD DSN={user}.COBOL.SOURCE(PAYROLL),DISP=SHR
//LKED.SYSLMOD DD DSN={user}.LOADLIB(PAYROLL),DISP=SHR
"""

SORT_JCL = """\
//{user}S  JOB (ACCT),'SORT',CLASS=A,MSGCLASS=X
//SORT     EXEC PGM=SORT
//SYSOUT   DD SYSOUT=*
//SORTIN   DD DSN={user}.DATA.CSV,DISP=SHR
//SORTOUT  DD SYSOUT=*
//SYSIN    DD *
  SORT FIELDS=(1,8,CH,A)
/*
"""

API_JCL = """\
//{user}P  JOB (ACCT),'API CLEANUP',CLASS=A,MSGCLASS=X
//* REMOVE OLD API LOG DATA SETS
//CLEAN    EXEC PGM=IDCAMS
//SYSPRINT DD SYSOUT=*
//SYSIN    DD *
  DELETE {user}.API.LOG.* NONVSAM PURGE
  SET MAXCC = 0
/*
"""

IEFBR14_JCL = """\
//{user}B  JOB (ACCT),'DO NOTHING',CLASS=A,MSGCLASS=X
//STEP1    EXEC PGM=IEFBR14
"""

PAYROLL_COBOL = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. PAYROLL.
      * COMPUTE GROSS PAY FOR EVERY EMPLOYEE RECORD.
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT EMPLOYEE-FILE ASSIGN TO EMPFILE.
       DATA DIVISION.
       FILE SECTION.
       FD  EMPLOYEE-FILE.
       01  EMPLOYEE-RECORD.
           05  EMP-ID              PIC X(8).
           05  EMP-HOURS           PIC 9(3).
           05  EMP-RATE            PIC 9(3)V99.
       WORKING-STORAGE SECTION.
       01  WS-GROSS                PIC 9(7)V99 VALUE ZERO.
       01  WS-EOF                  PIC X VALUE 'N'.
       PROCEDURE DIVISION.
           OPEN INPUT EMPLOYEE-FILE
           PERFORM UNTIL WS-EOF = 'Y'
               READ EMPLOYEE-FILE
                   AT END MOVE 'Y' TO WS-EOF
                   NOT AT END
                       COMPUTE WS-GROSS = EMP-HOURS * EMP-RATE
                       DISPLAY EMP-ID ' ' WS-GROSS
               END-READ
           END-PERFORM
           CLOSE EMPLOYEE-FILE
           GOBACK.
"""

REPORT_COBOL = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. REPORT1.
       PROCEDURE DIVISION.
           DISPLAY 'MONTHLY REPORT'
           GOBACK.
"""

CS4_COBOL = """\
       IDENTIFICATION DIVISION.
       PROGRAM-ID. CS4.
      * CUSTOMER STATEMENT, VERSION 4
       PROCEDURE DIVISION.
           DISPLAY 'CUSTOMER STATEMENT V4'
           GOBACK.
"""

CSV_DATA = """\
EMPLOYEE,DEPARTMENT,HOURS,RATE
A0000001,PAYROLL,160,42.50
A0000002,TREASURY,152,51.00
A0000003,OPERATIONS,168,38.75
A0000004,SYSPROG,160,57.25
"""

REPORT_TEXT = """\
1MONTHLY PAYROLL REPORT                                      PAGE    1
0EMPLOYEE  DEPARTMENT        HOURS     GROSS
 A0000001  PAYROLL             160   6800.00
 A0000002  TREASURY            152   7752.00
 A0000003  OPERATIONS          168   6510.00
 A0000004  SYSPROG             160   9160.00
0TOTAL                         640  30222.00
"""

ISPF_PROFILE = "ISPF PROFILE VARIABLES\nZPFKEYS=24\nZCOLORS=7\n"
SPF_LOG = "1 ISPF TRANSACTION LOG\n0 TIME    ACTION\n  09:17   EDIT USER1.JCL.CNTL(ALLOC)\n"


def _text(template: str, user: str) -> bytes:
    return template.format(user=user).encode("ascii")


def _member(name: str, content: bytes, user: str, changed: dt.datetime | None = None) -> Member:
    """A member with ISPF statistics, as one saved from the ISPF editor."""
    changed = changed or SAMPLE_TIME
    lines = line_count(content)
    stats = IspfStats(changed.date() - dt.timedelta(days=30), changed, lines, lines, 0, user, 1, 2)
    return Member(name, content, stats)


def _load_module(name: str, size: int, ttr: int) -> Member:
    content = bytes((index * 7 + size) % 256 for index in range(min(size, 4096)))
    return Member(name, content, load=LoadModule(size, ttr))


def binary_content(size: int = 8192) -> bytes:
    """Bytes of every value, in a repeating but not trivially periodic order."""
    return bytes((index * 31 + (index >> 8)) % 256 for index in range(size))


def user_datasets(user: str) -> list[Dataset]:
    """The data sets of one user (``USER1.ALFRED.PDSE`` and friends)."""
    user = user.upper()
    jcl = {
        "ALLOC": _text(ALLOC_JCL, user),
        "COMPILE": _text(COMPILE_JCL, user),
        "SORTJOB": _text(SORT_JCL, user),
    }
    return [
        Dataset(
            f"{user}.ALFRED.PDSE",
            "PO-E",
            "FB",
            80,
            27920,
            "Z4USR1",
            referred=SAMPLE_DAY,
            used=15,
            members={
                "APICLN": _member("APICLN", _text(API_JCL, user), user),
                "CS4": _member("CS4", _text(CS4_COBOL, user), user),
                "NOTES": Member("NOTES", b"NOTES WITHOUT ISPF STATISTICS\n"),
            },
        ),
        Dataset(
            f"{user}.JCL.CNTL",
            "PO",
            "FB",
            80,
            3120,
            "Z4USR1",
            referred=SAMPLE_DAY,
            used=5,
            members={
                **{name: _member(name, content, user) for name, content in jcl.items()},
                "IEFBR14": Member("IEFBR14", _text(IEFBR14_JCL, user)),
            },
        ),
        Dataset(
            f"{user}.COBOL.SOURCE",
            "PO",
            "FB",
            80,
            27920,
            "Z4USR2",
            referred=SAMPLE_DAY,
            used=30,
            members={
                "PAYROLL": _member("PAYROLL", _text(PAYROLL_COBOL, user), user),
                "REPORT1": _member("REPORT1", _text(REPORT_COBOL, user), user),
            },
        ),
        Dataset(
            f"{user}.LOADLIB",
            "PO",
            "U",
            0,
            6144,
            "Z4USR2",
            referred=SAMPLE_DAY,
            used=10,
            members={
                "IEFBR14": _load_module("IEFBR14", 0x8, 0x00000F),
                "PAYROLL": _load_module("PAYROLL", 0xB308, 0x000411),
                "REPORT1": _load_module("REPORT1", 0x1A40, 0x000507),
            },
        ),
        Dataset(f"{user}.EMPTY.PDS", "PO", "FB", 80, 27920, "Z4USR1", referred=None, used=1),
        Dataset(
            f"{user}.ISPF.ISPPROF",
            "PO",
            "FB",
            80,
            3120,
            "Z4USR1",
            referred=None,
            used=2,
            members={"ISRPROF": Member("ISRPROF", ISPF_PROFILE.encode())},
        ),
        Dataset(
            f"{user}.DATA.CSV",
            "PS",
            "VB",
            255,
            27998,
            "Z4USR1",
            referred=SAMPLE_DAY,
            content=CSV_DATA.encode(),
        ),
        Dataset(
            f"{user}.REPORT.D260325",
            "PS",
            "FBA",
            133,
            27930,
            "Z4USR2",
            referred=SAMPLE_DAY,
            used=2,
            content=REPORT_TEXT.encode(),
        ),
        Dataset(
            f"{user}.BINARY.DUMP",
            "PS",
            "U",
            0,
            27998,
            "Z4USR2",
            referred=SAMPLE_DAY,
            content=binary_content(),
        ),
        Dataset(
            f"{user}.SPFLOG1.LIST",
            "PS",
            "VA",
            125,
            129,
            "Z4USR1",
            referred=SAMPLE_DAY,
            content=SPF_LOG.encode(),
        ),
        Dataset(f"{user}.VSAM.KSDS", "VSAM", volume="Z4VSM1"),
        Dataset(f"{user}.VSAM.KSDS.DATA", "VSAM", volume="Z4VSM1"),
        Dataset(f"{user}.VSAM.KSDS.INDEX", "VSAM", volume="Z4VSM1"),
        Dataset(f"{user}.OLD.ARCHIVE", "PS", location="migrated", content=b"ARCHIVED RECORDS\n" * 20),
        Dataset(f"{user}.TAPE.BACKUP", "PS", "FB", 80, 32720, "V43525", location="tape"),
    ]


def system_datasets() -> list[Dataset]:
    return [
        Dataset(
            "SYS1.PROCLIB",
            "PO",
            "FB",
            80,
            27920,
            "ZARES1",
            referred=SAMPLE_DAY,
            used=45,
            members={"IGYWCL": Member("IGYWCL", b"//IGYWCL PROC LNGPRFX='IGY.V6R4M0'\n")},
        ),
        Dataset(
            "SYS1.PARMLIB",
            "PO",
            "FB",
            80,
            27920,
            "ZARES1",
            referred=SAMPLE_DAY,
            used=30,
            members={"IEASYS00": Member("IEASYS00", b"CLOCK=00,\nCMD=00,\n")},
        ),
    ]


def generated_datasets(user: str, count: int) -> Iterator[Dataset]:
    """``count`` extra data sets under ``USER.BULK.*``: a large catalog for the demo."""
    user = user.upper()
    text = b"GENERATED DEMO RECORD\n" * 8
    members = {"MEMBER1": Member("MEMBER1", text), "MEMBER2": Member("MEMBER2", text)}
    for index in range(count):
        name = f"{user}.BULK.G{index // 1000:04d}.D{index:06d}"
        referred = SAMPLE_DAY - dt.timedelta(days=index % 400)
        volume = f"BLK{index % 16 + 1:03d}"
        kind = index % 10
        if kind == 9:
            yield Dataset(name, "PS", location="migrated", content=text)
        elif kind == 8:
            yield Dataset(
                name,
                "PO",
                "FB",
                80,
                27920,
                volume,
                referred=referred,
                used=1 + index % 300,
                members=dict(members),
            )
        elif kind == 7:
            yield Dataset(
                name, "PS", "VB", 255, 27998, volume, referred=referred, used=1 + index % 300, content=text
            )
        else:
            yield Dataset(
                name, "PS", "FB", 80, 27920, volume, referred=referred, used=1 + index % 300, content=text
            )


def sample_catalog(users: list[str], large_catalog: int = 0) -> Catalog:
    """Every user's sample data sets, the system ones, and ``large_catalog`` generated ones
    (under the first user)."""
    catalog = Catalog(system_datasets())
    for user in users:
        catalog.add_many(user_datasets(user))
    if large_catalog and users:
        catalog.add_many(generated_datasets(users[0], large_catalog))
    return catalog


def sample_jobs(user: str) -> JobQueue:
    """A TSO session, a job that failed with a JCL error, and one that ended with RC=0000."""
    user = user.upper()
    failed = build_job("J0887691", "// NOT A JOB CARD\n", user, SAMPLE_TIME)
    failed.jobname = f"{user}T"[:8]
    good = build_job("J0887692", _text(SORT_JCL, user).decode(), user, SAMPLE_TIME)
    tso = Job("T0886971", user, user, "ACTIVE", "TSU", "", [])
    return JobQueue([tso, failed, good])
