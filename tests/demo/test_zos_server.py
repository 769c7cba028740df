"""The z/OS-like server: replies and listing lines compared byte for byte with real z/OS output
(the lines quoted in the z/OS reference), contention, JES, TLS variants."""

from __future__ import annotations

import datetime as dt
import ftplib
import io
import itertools
import ssl
from collections.abc import Iterator

import pytest

from tests.demo.rawftp import RawFTP
from tui_ftp.demo.certs import CertificateSet
from tui_ftp.demo.zos_catalog import (
    Catalog,
    Dataset,
    IspfStats,
    Job,
    JobQueue,
    LoadModule,
    Member,
    SpoolFile,
)
from tui_ftp.demo.zos_server import DEMO_PASSWORD, DEMO_USER, ZosServer, start_zos_demo

pytestmark = pytest.mark.timeout(60)

DAY = dt.date(2026, 3, 25)

# Real rows (z/OS 3.1 capture and FileZilla's parser tests) with the data sets that print them.
DATASET_ROWS = {
    "WYOSPT 3420   2003/05/21  1  200  FB      80  8053  PS  60-MVS.FILE": Dataset(
        "60-MVS.FILE", "PS", "FB", 80, 8053, "WYOSPT", "3420", dt.date(2003, 5, 21), 1, 200
    ),
    "NRP004 3390   **NONE**    1   15  NONE     0     0  PO  62-MVS-NONEDATE.DATASET": Dataset(
        "62-MVS-NONEDATE.DATASET", "PO", "NONE", 0, 0, "NRP004", "3390", None, 1, 15
    ),
    "V43525 Tape                                             73-MSV-TAPE.FILE": Dataset(
        "73-MSV-TAPE.FILE", "PS", volume="V43525", location="tape"
    ),
    "GISBWI 3390   2011/08/25  2 ++++  FB     904 18080  PS  80-MVS.FILE": Dataset(
        "80-MVS.FILE", "PS", "FB", 904, 18080, "GISBWI", "3390", dt.date(2011, 8, 25), 2, None
    ),
    # A migrated row and a VSAM row exactly as real servers print them (name in column 57).
    "Migrated                                                BSCSYS.ISPUSER": Dataset(
        "BSCSYS.ISPUSER", location="migrated"
    ),
    "SYSPP5 3390                                        VSAM DDIR": Dataset("DDIR", "VSAM", volume="SYSPP5"),
}
BIGPDS_ROW = "TRA004 3390   2026/03/25  1 6299  FB      80 27920  PO  'TRASH.MIKEG1.FTPPROBE.BIGPDS'"
BIGPDS = Dataset("TRASH.MIKEG1.FTPPROBE.BIGPDS", "PO", "FB", 80, 27920, "TRA004", "3390", DAY, 1, 6299)

MEMBER_ROWS = [
    " Name     VV.MM   Created       Changed      Size  Init   Mod   Id",
    "MEMBER1   01.00 2026/03/25 2026/03/25 09:17    10    10     0 MIKEG1",
    "SAVE03    01.03 2002/09/12 2002/10/11 09:37    11    11     0 KIL001",
    "SAVE04",
]
PROBE_PDS = Dataset(
    "TRASH.MIKEG1.FTPPROBE.PDS",
    "PO",
    referred=DAY,
    members={
        "MEMBER1": Member(
            "MEMBER1",
            b"LINE\n" * 10,
            IspfStats(DAY, dt.datetime(2026, 3, 25, 9, 17), 10, 10, 0, "MIKEG1", 1, 0),
        ),
        "SAVE03": Member(
            "SAVE03",
            b"",
            IspfStats(dt.date(2002, 9, 12), dt.datetime(2002, 10, 11, 9, 37), 11, 11, 0, "KIL001", 1, 3),
        ),
        "SAVE04": Member("SAVE04", b""),
    },
)
LOAD_ROW = "67-MVSPDSMEMBER2 00B308 000411  00 FO                31    ANY"
LOAD_PDS = Dataset(
    "MIKEG1.LOAD",
    "PO",
    "U",
    0,
    6144,
    referred=DAY,
    members={"67-MVSPDSMEMBER2": Member("67-MVSPDSMEMBER2", b"\x00", load=LoadModule(0xB308, 0x411))},
)

JES_LIST_STARTED = "125 List started OK for JESJOBNAME=*, JESSTATUS=ALL and JESOWNER=*"
JES_ROWS = [
    "JOBNAME  JOBID    OWNER    STATUS CLASS",
    "MIKEG1T  J0887691 MIKEG1   OUTPUT A        (JCL error) 3 spool files",
    "IBMUSER2 JOB01906 IBMUSER  OUTPUT A        RC=0000 3 spool files",
]
JES_LEVEL1_ROW = "IBMUSER1  JOB01906  OUTPUT    3 Spool Files"

HELD_APICLN = [
    "125-FTP Server unable to obtain SHARED use of USER1.ALFRED.PDSE (APICLN) which",
    "is held by: 003D USER1      EXCL on SPFEDIT",
    "125-Data set access will be retried in 1 minute intervals - 2 attempts remaining",
    "125-FTP Server unable to obtain SHARED use of USER1.ALFRED.PDSE (APICLN) which",
    "is held by: 003D USER1      EXCL on SPFEDIT",
    "125-Data set access will be retried in 1 minute intervals - 1 attempts remaining",
]
SENDING_APICLN = "125 Sending data set USER1.ALFRED.PDSE (APICLN) FIXrecfm 80"


def spool(count: int) -> list[SpoolFile]:
    return [SpoolFile(f"DD{index}", "STEP1", f"SPOOL FILE {index}") for index in range(count)]


@pytest.fixture
def zos() -> Iterator[ZosServer]:
    with ZosServer() as server:
        yield server


@pytest.fixture
def probe() -> Iterator[ZosServer]:
    """A server holding exactly the data sets and jobs of the real captures."""
    catalog = Catalog([*DATASET_ROWS.values(), BIGPDS, PROBE_PDS, LOAD_PDS])
    jobs = JobQueue(
        [
            Job("J0887691", "MIKEG1T", "MIKEG1", completion="(JCL error)", spool=spool(3)),
            Job("JOB01906", "IBMUSER2", "IBMUSER", spool=spool(3)),
        ]
    )
    with ZosServer(catalog, users={"MIKEG1": "x"}, jobs=jobs) as server:
        yield server


def login(server: ZosServer, user: str = DEMO_USER, password: str = DEMO_PASSWORD) -> ftplib.FTP:
    ftp = ftplib.FTP(timeout=5)
    ftp.connect("127.0.0.1", server.port)
    ftp.login(user, password)
    return ftp


def listing(ftp: ftplib.FTP, command: str = "LIST") -> list[str]:
    lines: list[str] = []
    ftp.retrlines(command, lines.append)
    return lines


def raw_login(server: ZosServer) -> RawFTP:
    client = RawFTP(server.port)
    client.read_reply()
    client.login(DEMO_USER, DEMO_PASSWORD)
    return client


def raw_retr(client: RawFTP, name: str) -> tuple[list[tuple[float, str]], bytes, list[str]]:
    """RETR through EPSV: the timed preliminary reply, the data, the final reply."""
    data = client.open_passive()
    client.send(f"RETR {name}\r\n".encode())
    first = client.read_reply_timed()
    if not first[-1][1].startswith("125 "):
        data.close()
        return first, b"", []
    return first, client.read_all(data), client.read_reply()


# --- session ---------------------------------------------------------------------------------


def test_login_system_and_the_replies_zos_gives(zos: ZosServer) -> None:
    ftp = ftplib.FTP(timeout=5)
    welcome = ftp.connect("127.0.0.1", zos.port)
    assert welcome.startswith("220-TCPFTP1 IBM FTP CS 3.1 at ZOS.DEMO.LOCAL, ")
    assert welcome.endswith("220 Connection will close if idle for more than 5 minutes.")
    assert ftp.sendcmd("USER user1") == "331 Send password please."
    assert ftp.sendcmd("PASS demo") == '230 USER1 is logged on.  Working directory is "USER1.".'
    assert (
        ftp.sendcmd("SYST")
        == "215 MVS is the operating system of this server. FTP Server is running on z/OS."
    )
    assert ftp.sendcmd("PWD") == "257 \"'USER1.'\" is working directory."
    assert ftp.sendcmd("FEAT") == "211 no Extensions supported"
    for command in ("SIZE ALFRED.PDSE", "MDTM DATA.CSV"):
        with pytest.raises(
            ftplib.error_perm, match="^501 command aborted -- FTP server not configured for SIZE/MDTM$"
        ):
            ftp.sendcmd(command)
    with pytest.raises(ftplib.error_perm, match="^504 Restart requires Block or Compressed transfer mode.$"):
        ftp.sendcmd("REST 100")
    assert ftp.sendcmd("TYPE I") == "200 Representation type is Image"
    with pytest.raises(ftplib.error_perm, match="^501-unknown type  X\n501 Type remains Image$"):
        ftp.sendcmd("TYPE X")
    assert ftp.sendcmd("NOOP") == "200 OK"
    assert ftp.quit() == "221 Quit command received. Goodbye."


def test_before_login(zos: ZosServer) -> None:
    ftp = ftplib.FTP(timeout=5)
    ftp.connect("127.0.0.1", zos.port)
    with pytest.raises(ftplib.error_perm, match="^530 You must first login with USER and PASS.$"):
        ftp.sendcmd("PWD")
    with pytest.raises(ftplib.error_perm, match="^530 Not logged in.$"):
        ftp.sendcmd("CWD 'SYS1.PROCLIB'")
    assert ftp.sendcmd("SITE FILETYPE=SEQ") == "200 SITE command was accepted"
    with pytest.raises(ftplib.error_perm, match="^530 PASS command failed$"):
        ftp.login(DEMO_USER, "wrong")
    ftp.close()


def test_cwd_prefixes_pds_and_up(probe: ZosServer) -> None:
    ftp = login(probe, "MIKEG1", "x")
    assert ftp.pwd() == "'MIKEG1.'"
    assert ftp.sendcmd("CWD TEST") == '250 "MIKEG1.TEST." is the working directory name prefix.'
    assert ftp.sendcmd("CWD 'NONEXISTENT'") == '250 "NONEXISTENT." is the working directory name prefix.'
    assert ftp.sendcmd("CWD 'TRASH.MIKEG1.FTPPROBE.PDS'") == (
        '250 The working directory "TRASH.MIKEG1.FTPPROBE.PDS" is a partitioned data set'
    )
    assert (
        ftp.sendcmd("PWD") == "257 \"'TRASH.MIKEG1.FTPPROBE.PDS'\" partitioned data set is working directory."
    )
    assert ftp.sendcmd("CWD ..") == '250 "TRASH.MIKEG1.FTPPROBE." is the working directory name prefix.'
    assert ftp.sendcmd("CDUP") == '250 "TRASH.MIKEG1." is the working directory name prefix.'
    assert ftp.sendcmd("CWD FTPPROBE.PDS").startswith('250 The working directory "TRASH.MIKEG1.FTPPROBE.PDS"')
    ftp.sendcmd("CWD ''")
    assert ftp.sendcmd("PWD") == "257 \"''\" is working directory."
    ftp.quit()


# --- listings --------------------------------------------------------------------------------


def test_dataset_listing_matches_real_rows(probe: ZosServer) -> None:
    ftp = login(probe, "MIKEG1", "x")
    ftp.sendcmd("CWD ''")
    lines = listing(ftp)
    assert lines[0] == "Volume Unit    Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname"
    for row in DATASET_ROWS:
        assert row in lines
    assert listing(ftp, "LIST 'TRASH.MIKEG1.FTPPROBE.*'")[1:] == [
        BIGPDS_ROW,
        "USR001 3390   2026/03/25  1    1  FB      80 27920  PO  'TRASH.MIKEG1.FTPPROBE.PDS'",
    ]
    assert listing(ftp, "NLST 'TRASH.MIKEG1.FTPPROBE.*'") == [
        "'TRASH.MIKEG1.FTPPROBE.BIGPDS'",
        "'TRASH.MIKEG1.FTPPROBE.PDS'",
    ]
    ftp.sendcmd("CWD 'TRASH.MIKEG1.'")
    assert listing(ftp, "NLST") == ["FTPPROBE.BIGPDS", "FTPPROBE.PDS"]
    with pytest.raises(ftplib.error_perm, match="^550 No data sets found.$"):
        listing(ftp, "LIST NOTHING.HERE.*")
    ftp.quit()


def test_member_listings_with_and_without_statistics_and_load_modules(probe: ZosServer) -> None:
    ftp = login(probe, "MIKEG1", "x")
    ftp.cwd("'TRASH.MIKEG1.FTPPROBE.PDS'")
    assert listing(ftp) == MEMBER_ROWS
    assert listing(ftp, "NLST") == ["MEMBER1", "SAVE03", "SAVE04"]
    assert listing(ftp, "LIST SAVE*") == [MEMBER_ROWS[0], *MEMBER_ROWS[2:]]
    ftp.cwd("'MIKEG1.LOAD'")
    assert listing(ftp)[1:] == [LOAD_ROW]
    assert listing(ftp, "LIST 'TRASH.MIKEG1.FTPPROBE.PDS(MEM*)'") == MEMBER_ROWS[:2]
    ftp.quit()


def test_empty_pds_says_no_members(zos: ZosServer) -> None:
    ftp = login(zos)
    ftp.cwd("EMPTY.PDS")
    with pytest.raises(ftplib.error_perm, match="^550 No members found.$"):
        listing(ftp)
    ftp.quit()


def test_large_generated_catalog() -> None:
    with ZosServer(large_catalog=3000) as server:
        ftp = login(server)
        lines = listing(ftp, "LIST BULK.*")
        assert len(lines) == 1 + 3000
        assert lines[1].endswith("  PS  BULK.G0000.D000000")
        assert lines[10].startswith("Migrated ")
        ftp.quit()


# --- transfers -------------------------------------------------------------------------------


def test_retr_member_in_type_a_and_type_i(zos: ZosServer) -> None:
    ftp = login(zos)
    ftp.sendcmd("TYPE A")
    with ftp.transfercmd("RETR 'USER1.JCL.CNTL(ALLOC)'") as connection:
        text = b"".join(iter(lambda: connection.recv(65536), b""))
    assert ftp.voidresp() == "250 Transfer completed successfully."
    assert text.startswith(b"//USER1A  JOB (ACCT),'ALLOCATE',CLASS=A,MSGCLASS=X,NOTIFY=&SYSUID\r\n")
    assert text.count(b"\r\n") == text.count(b"\n") == 8
    binary = bytearray()
    assert ftp.retrbinary("RETR BINARY.DUMP", binary.extend) == "250 Transfer completed successfully."
    assert len(binary) == 8192 and set(binary) == set(range(256))
    ftp.quit()


def test_retr_replies_and_errors(zos: ZosServer) -> None:
    client = raw_login(zos)
    first, data, final = raw_retr(client, "ALFRED.PDSE(APICLN)")
    assert [line for _, line in first] == [SENDING_APICLN]
    assert final == ["250 Transfer completed successfully."] and data.startswith(b"//USER1P  JOB")
    expected = {
        "NOPE.DATA": "550 Data set USER1.NOPE.DATA not found",
        "ALFRED.PDSE(NOPE)": "550 Request nonexistent member USER1.ALFRED.PDSE(NOPE) to be sent.",
        "VSAM.KSDS": "550 Transfer aborted: unsupported data set format (VSAM).",
        "'BAD..NAME'": "501 Invalid data set name \"'BAD..NAME'\".  Use MVS Dsname conventions.",
    }
    for name, reply in expected.items():
        assert [line for _, line in raw_retr(client, name)[0]] == [reply]
    client.close()


def test_stor_then_retr_round_trip_and_new_member_statistics(zos: ZosServer) -> None:
    ftp = login(zos)
    payload = bytes(range(256)) * 40
    assert ftp.storbinary("STOR NEW.BINARY", io.BytesIO(payload)) == "250 Transfer completed successfully."
    received = bytearray()
    ftp.retrbinary("RETR 'USER1.NEW.BINARY'", received.extend)
    assert bytes(received) == payload
    ftp.storlines("STOR JCL.CNTL(NEWJOB)", io.BytesIO(b"//NEWJOB JOB\n//S1 EXEC PGM=IEFBR14\n"))
    assert listing(ftp, "RETR JCL.CNTL(NEWJOB)") == ["//NEWJOB JOB", "//S1 EXEC PGM=IEFBR14"]
    ftp.cwd("JCL.CNTL")
    row = next(line for line in listing(ftp) if line.startswith("NEWJOB"))
    today = dt.date.today().strftime("%Y/%m/%d")
    assert row.startswith(f"NEWJOB    01.00 {today} {today} ") and row.endswith("     2     2     0 USER1")
    ftp.storlines("APPE NEWJOB", io.BytesIO(b"//S2 EXEC PGM=IEFBR14\n"))
    assert listing(ftp, "RETR NEWJOB")[-1] == "//S2 EXEC PGM=IEFBR14"
    with pytest.raises(
        ftplib.error_perm, match="^550 USER1.NOPDS.CNTL\\(X\\) requests a nonexistent partitioned data set"
    ):
        ftp.storlines("STOR 'USER1.NOPDS.CNTL(X)'", io.BytesIO(b"x\n"))
    ftp.quit()


def test_a_second_session_sees_what_the_first_stored(zos: ZosServer) -> None:
    first, second = login(zos), login(zos)
    first.storlines("STOR SHARED.TEXT", io.BytesIO(b"ONE\n"))
    assert listing(second, "RETR SHARED.TEXT") == ["ONE"]
    first.quit()
    second.quit()


def test_migrated_data_set_is_recalled_on_use(zos: ZosServer) -> None:
    ftp = login(zos)
    assert listing(ftp, "LIST OLD.ARCHIVE")[1].startswith("Migrated")
    assert listing(ftp, "RETR OLD.ARCHIVE")[0] == "ARCHIVED RECORDS"
    assert listing(ftp, "LIST OLD.ARCHIVE")[1].startswith("Z4USR9 3390   ")
    ftp.quit()


def test_data_set_management(zos: ZosServer) -> None:
    ftp = login(zos)
    assert ftp.sendcmd("MKD NEW.PDS") == "257 \"'USER1.NEW.PDS'\" created."
    assert ftp.sendcmd("RNFR DATA.CSV") == "350 RNFR accepted. Please supply new name for RNTO."
    assert ftp.sendcmd("RNTO DATA.OLDCSV") == "250 USER1.DATA.CSV renamed to USER1.DATA.OLDCSV"
    assert ftp.sendcmd("DELE 'USER1.JCL.CNTL(SORTJOB)'") == "250 USER1.JCL.CNTL(SORTJOB) deleted."
    assert ftp.sendcmd("DELE DATA.OLDCSV") == "250 USER1.DATA.OLDCSV deleted."
    with pytest.raises(ftplib.error_perm, match="^550 DELE fails: USER1.DATA.OLDCSV does not exist.$"):
        ftp.sendcmd("DELE DATA.OLDCSV")
    assert ftp.sendcmd("RMD NEW.PDS") == "250 USER1.NEW.PDS deleted."
    names = listing(ftp, "NLST")
    assert "JCL.CNTL" in names and not {"DATA.CSV", "DATA.OLDCSV", "NEW.PDS"} & set(names)
    ftp.quit()


# --- contention ------------------------------------------------------------------------------


def test_contention_waits_then_sends(zos: ZosServer) -> None:
    zos.hold("USER1.ALFRED.PDSE(APICLN)", waits=2, interval=0.1)
    client = raw_login(zos)
    client.command("CWD ALFRED.PDSE")
    first, data, final = raw_retr(client, "APICLN")
    assert [line for _, line in first] == [*HELD_APICLN, SENDING_APICLN]
    times = [at for at, line in first if line.startswith(("125-FTP", "125 "))]
    assert all(later - earlier >= 0.09 for earlier, later in itertools.pairwise(times))
    assert data.startswith(b"//USER1P  JOB") and final == ["250 Transfer completed successfully."]
    # the hold is used up: the next access goes straight through
    assert [line for _, line in raw_retr(client, "APICLN")[0]] == [SENDING_APICLN]
    client.close()


def test_contention_waits_then_fails(zos: ZosServer) -> None:
    zos.hold("'USER1.ALFRED.PDSE(APICLN)'", waits=1, interval=0.05, then="fail")
    client = raw_login(zos)
    first, _, _ = raw_retr(client, "'USER1.ALFRED.PDSE(APICLN)'")
    assert [line for _, line in first] == [
        *HELD_APICLN[:2],
        HELD_APICLN[5],
        "550 USER1.ALFRED.PDSE(APICLN) used exclusively by someone else.",
    ]
    client.close()


def test_exclusive_use_fails_at_once_then_succeeds(zos: ZosServer) -> None:
    zos.hold_exclusive("USER1.ALFRED.PDSE(CS4)", failures=1)
    client = raw_login(zos)
    first, _, _ = raw_retr(client, "ALFRED.PDSE(CS4)")
    assert [line for _, line in first] == ["550 USER1.ALFRED.PDSE(CS4) used exclusively by someone else."]
    first, data, final = raw_retr(client, "ALFRED.PDSE(CS4)")
    assert first[-1][1] == "125 Sending data set USER1.ALFRED.PDSE (CS4) FIXrecfm 80"
    assert b"PROGRAM-ID. CS4." in data and final == ["250 Transfer completed successfully."]
    client.close()


def test_stor_waits_for_exclusive_use(zos: ZosServer) -> None:
    zos.hold("USER1.DATA.CSV", waits=1, interval=0.05)
    client = raw_login(zos)
    data = client.open_passive()
    client.send(b"STOR DATA.CSV\r\n")
    lines = client.read_reply()
    assert lines[0] == "125-FTP Server unable to obtain EXCLUSIVE use of USER1.DATA.CSV which"
    assert lines[-1] == "125 Storing data set USER1.DATA.CSV"
    data.sendall(b"NEW,CONTENT\r\n")
    data.close()
    assert client.read_reply() == ["250 Transfer completed successfully."]
    client.close()
    assert zos.catalog.get("USER1.DATA.CSV").content == b"NEW,CONTENT\n"  # type: ignore[union-attr]


# --- SITE ------------------------------------------------------------------------------------


def test_site_replies(zos: ZosServer) -> None:
    ftp = login(zos)
    assert (
        ftp.sendcmd("SITE RECFM=FB LRECL=80 BLKSIZE=27920 TRACKS PRIMARY=5")
        == "200 SITE command was accepted"
    )
    assert ftp.sendcmd("SITE FOOBAR=123") == (
        "200-Unrecognized parameter 'FOOBAR=123' on SITE command.\n200 SITE command was accepted"
    )
    assert ftp.sendcmd("SITE BLKSIZE=6150") == (
        "200-BLOCKSIZE must be a multiple of LRECL for RECFM FB\n"
        "200-BLOCKSIZE being set to 6080\n"
        "200 SITE command was accepted"
    )
    assert ftp.sendcmd("SITE") == "202 SITE not necessary; you may proceed"
    ftp.storlines("STOR SITE.TEST", io.BytesIO(b"X\n"))
    assert "  FB      80  6080  PS  SITE.TEST" in listing(ftp, "LIST SITE.TEST")[1]
    ftp.quit()


# --- JES -------------------------------------------------------------------------------------


def test_jes_listing_matches_real_rows(probe: ZosServer) -> None:
    client = RawFTP(probe.port)
    client.read_reply()
    client.login("MIKEG1", "x")
    client.command("SITE FILETYPE=JES JESOWNER=* JESJOBNAME=*")
    data = client.open_passive()
    assert client.command("LIST") == [JES_LIST_STARTED]
    assert client.read_all(data).decode().splitlines() == JES_ROWS
    assert client.read_reply() == ["250 List completed successfully."]
    client.close()


def test_jes_interface_level_1_rows() -> None:
    jobs = JobQueue([Job("JOB01906", "IBMUSER1", "IBMUSER", spool=spool(3))])
    with ZosServer(users={"IBMUSER": "x"}, jobs=jobs, jes_interface_level=1) as server:
        ftp = login(server, "IBMUSER", "x")
        ftp.sendcmd("SITE FILETYPE=JES")
        assert listing(ftp) == [JES_LEVEL1_ROW]
        ftp.quit()


def test_jes_submit_list_get_and_cancel(zos: ZosServer) -> None:
    client = raw_login(zos)
    assert client.command("SITE FILETYPE=JES") == ["200 SITE command was accepted"]
    data = client.open_passive()
    assert client.command("STOR SUBMIT.JCL") == ["125 Sending Job to JES internal reader FIXrecfm 80"]
    data.sendall(b"//USER1X  JOB (ACCT),'TEST',CLASS=B\r\n//STEP1 EXEC PGM=IEFBR14\r\n")
    data.close()
    assert client.read_reply() == [
        "250-It is known to JES as J0887745",
        "250 Transfer completed successfully.",
    ]
    client.close()

    ftp = login(zos)
    ftp.sendcmd("SITE FILETYPE=JES")
    assert "USER1X   J0887745 USER1    OUTPUT B        RC=0000 4 spool files" in listing(ftp)
    spool_text = listing(ftp, "RETR J0887745")
    assert spool_text.count(" !! END OF JES SPOOL FILE !!") == 4
    assert spool_text[-1] == " !! END OF JES SPOOL FILE !!"
    jcl = listing(ftp, "RETR J0887745.2")
    assert jcl[0].startswith("        1 //USER1X  JOB (ACCT),'TEST',CLASS=B") and jcl[0].endswith("J0887745")
    detail = listing(ftp, "LIST J0887745")
    assert detail[1] == "USER1X   J0887745 USER1    OUTPUT B        RC=0000" and detail[-1] == "4 spool files"
    assert ftp.sendcmd("DELE J0887745") == "250 Cancel successful"
    with pytest.raises(ftplib.error_perm, match="^550 Jobid J0887745 not found for JESJOBNAME=USER1\\*, "):
        ftp.sendcmd("DELE J0887745")
    assert not any("J0887745" in row for row in listing(ftp))
    ftp.sendcmd("SITE FILETYPE=SEQ")
    assert listing(ftp)[0].startswith("Volume Unit")
    ftp.quit()


# --- TLS -------------------------------------------------------------------------------------


def test_explicit_tls_login_and_protected_listing(
    server_context: ssl.SSLContext, client_context: ssl.SSLContext
) -> None:
    with ZosServer(tls=server_context, tls_mode="explicit") as server:
        ftp = ftplib.FTP_TLS(context=client_context, timeout=5)
        ftp.connect("localhost", server.port)
        assert ftp.auth() == "234 Security environment established - ready for negotiation"
        ftp.login(DEMO_USER, DEMO_PASSWORD)
        ftp.prot_p()
        assert listing(ftp)[0].startswith("Volume Unit")
        ftp.quit()
        assert all(c.secure for c in server.commands if c.verb in ("USER", "PASS"))


def test_implicit_port_with_clear_greeting(
    server_context: ssl.SSLContext, client_context: ssl.SSLContext
) -> None:
    with ZosServer(tls=server_context, tls_mode="implicit-clear-greeting") as server:
        client = RawFTP(server.port)
        greeting = client.read_reply()  # in clear
        assert greeting[0].startswith("220-TCPFTP1 IBM FTP CS")
        client.start_tls(client_context)
        assert client.login(DEMO_USER, DEMO_PASSWORD) == [
            '230 USER1 is logged on.  Working directory is "USER1.".'
        ]
        client.close()


@pytest.mark.parametrize("mode", ["notify", "no-notify"])
def test_ccc_modes(server_context: ssl.SSLContext, client_context: ssl.SSLContext, mode: str) -> None:
    with ZosServer(tls=server_context, tls_mode="explicit", ccc_mode=mode) as server:  # type: ignore[arg-type]
        client = RawFTP(server.port)
        client.read_reply()
        client.command("AUTH TLS")
        client.start_tls(client_context)
        client.login(DEMO_USER, DEMO_PASSWORD)
        assert client.command("CCC")[0].startswith("200 ")
        client.end_tls(notify=mode == "notify")
        if mode == "no-notify":
            assert client.raw_recv(0.3) == b""
        client.send(b"PWD\r\n")
        assert client.raw_recv(2.0) == b"257 \"'USER1.'\" is working directory.\r\n"
        client.close()


def test_start_zos_demo_with_certificate_files(
    test_certs: CertificateSet, client_context: ssl.SSLContext
) -> None:
    server = start_zos_demo(test_certs.server, large_catalog=10)
    try:
        ftp = ftplib.FTP_TLS(context=client_context, timeout=5)
        ftp.connect("localhost", server.port)
        ftp.auth()
        ftp.login(DEMO_USER, DEMO_PASSWORD)
        ftp.prot_p()
        assert len(listing(ftp, "NLST BULK.*")) == 10
        ftp.quit()
    finally:
        server.stop()
    plain = start_zos_demo()
    try:
        assert plain.tls_mode == "none"
        login(plain).quit()
    finally:
        plain.stop()
