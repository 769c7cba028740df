"""The pure z/OS helpers: SYST, the dataset path model, contention replies, JES replies."""

from __future__ import annotations

import pytest

from tui_ftp.engine import zos
from tui_ftp.engine.errors import UsageError
from tui_ftp.engine.replies import Reply, ReplyReader
from tui_ftp.engine.zos import ContentionNotice, ContentionTracker, MvsPath, MvsPathKind

# -- SYST ----------------------------------------------------------------------------------------


def test_syst_mvs_and_zos_unix() -> None:
    mvs = "215 MVS is the operating system of this server. FTP Server is running on z/OS."
    unix = "215 UNIX is the operating system of this server. FTP Server is running on z/OS."
    assert zos.is_mvs_syst(mvs) and not zos.is_zos_unix(mvs)
    assert not zos.is_mvs_syst(unix) and zos.is_zos_unix(unix)
    assert zos.is_mvs_syst("MVS is the operating system of this server.")
    assert not zos.is_mvs_syst("215 UNIX Type: L8")
    assert not zos.is_zos_unix("215 UNIX Type: L8")
    assert not zos.is_mvs_syst("215 Windows_NT; MVS compatible")


# -- the path model ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "kind", "name", "shown"),
    [
        ("257 \"'MIKEG1.'\" is working directory.", MvsPathKind.PREFIX, "MIKEG1.", "'MIKEG1.'"),
        ("257 \"'TRASH.MIKEG1.FTPPROBE.PDS'\" partitioned data set is working directory.", MvsPathKind.PDS, "TRASH.MIKEG1.FTPPROBE.PDS", "'TRASH.MIKEG1.FTPPROBE.PDS'"),
        ("257 \"''\" is working directory.", MvsPathKind.PREFIX, "", "''"),
        ('257 "/tmp/ftpprobe" is the HFS working directory.', MvsPathKind.HFS, "/tmp/ftpprobe", "/tmp/ftpprobe"),
    ],
)
def test_pwd_replies(reply: str, kind: MvsPathKind, name: str, shown: str) -> None:
    path = MvsPath.from_pwd_reply(reply)
    assert (path.kind, path.name, path.display(), path.cwd_argument()) == (kind, name, shown, shown)


def test_cwd_replies() -> None:
    assert MvsPath.from_cwd_reply('250 "MIKEG1.TEST." is the working directory name prefix.') == MvsPath(MvsPathKind.PREFIX, "MIKEG1.TEST.")
    pds = MvsPath.from_cwd_reply('250 The working directory "USER1.ALFRED.PDSE" is a partitioned data set')
    assert pds == MvsPath(MvsPathKind.PDS, "USER1.ALFRED.PDSE")
    assert MvsPath.from_cwd_reply("250 HFS directory /u/user1 is the current working directory") == MvsPath(MvsPathKind.HFS, "/u/user1")
    assert MvsPath.from_cwd_reply("250 OK") is None
    assert MvsPath.from_cwd_reply('250 "bad name(" is the working directory') is None


def test_entering_datasets_relative_absolute_and_qualifier_levels() -> None:
    user = MvsPath.parse("'USER1.'")
    pdse = user.enter("ALFRED.PDSE")
    assert (pdse.kind, pdse.display()) == (MvsPathKind.PDS, "'USER1.ALFRED.PDSE'")
    level = user.enter("ALFRED", partitioned=False)
    assert (level.kind, level.display()) == (MvsPathKind.PREFIX, "'USER1.ALFRED.'")
    absolute = user.enter("'TRASH.MIKEG1.FTPPROBE.BIGPDS'")
    assert absolute.display() == "'TRASH.MIKEG1.FTPPROBE.BIGPDS'"
    assert user.enter("'SYS1.'").display() == "'SYS1.'"
    assert MvsPath.parse("''").enter("USER1", partitioned=False).display() == "'USER1.'"
    assert user.enter("/u/user1").display() == "/u/user1"


def test_inside_a_pds_members_are_not_directories_but_absolute_names_work() -> None:
    pds = MvsPath.parse("'USER1.ALFRED.PDSE'")
    with pytest.raises(UsageError, match="not directories"):
        pds.enter("APICLN")
    assert pds.enter("'USER1.OTHER.PDS'").display() == "'USER1.OTHER.PDS'"


def test_going_up() -> None:
    assert MvsPath.parse("'USER1.ALFRED.'").up().display() == "'USER1.'"
    assert MvsPath.parse("'USER1.'").up().display() == "''"
    assert MvsPath.parse("''").up().display() == "''"
    assert MvsPath.parse("''").is_root
    assert MvsPath.parse("'USER1.ALFRED.PDSE'").up().display() == "'USER1.ALFRED.'"
    assert MvsPath.parse("'PDS'").up().display() == "''"
    assert MvsPath.parse("'USER1.ALFRED.'").enter("..").display() == "'USER1.'"
    assert MvsPath.parse("/u/user1/dir").up().display() == "/u/user1"
    assert MvsPath.parse("/").up().display() == "/"
    assert MvsPath.parse("/u").enter("..").display() == "/"


def test_hfs_paths() -> None:
    home = MvsPath.parse("/u//user1/./a/")
    assert home.name == "/u/user1/a"
    assert home.enter("b c").display() == "/u/user1/a/b c"
    assert home.enter("'USER1.'").kind is MvsPathKind.PREFIX
    assert MvsPath.parse("//x").name == "/x"


def test_targets_and_member_paths() -> None:
    assert MvsPath.parse("'USER1.ALFRED.'").target("DATA") == "'USER1.ALFRED.DATA'"
    assert MvsPath.parse("'USER1.'").target("'SYS1.PARMLIB'") == "'SYS1.PARMLIB'"
    pds = MvsPath.parse("'USER1.ALFRED.PDSE'")
    assert pds.target("APICLN") == "'USER1.ALFRED.PDSE(APICLN)'"
    assert pds.member_path("CS4") == "'USER1.ALFRED.PDSE(CS4)'"
    assert zos.member_path("HLQ.PDS", "MEM") == "'HLQ.PDS(MEM)'"
    assert zos.member_path("'HLQ.PDS'", "MEM") == "'HLQ.PDS(MEM)'"
    assert MvsPath.parse("/u/user1").target("f.txt") == "/u/user1/f.txt"
    with pytest.raises(UsageError):
        MvsPath.parse("'USER1.'").member_path("X")


@pytest.mark.parametrize("bad", ["A..B", ".A", "A B", "A'B", "A(B)", "A\r\nDELE X", "A/B", "'A.B", "A\x00"])
def test_unsafe_dataset_names_are_refused(bad: str) -> None:
    with pytest.raises(UsageError):
        MvsPath.parse("'USER1.'").target(bad)


@pytest.mark.parametrize("bad", ["", "A.B", "A B", "A)", "A'", "A\n"])
def test_unsafe_member_names_are_refused(bad: str) -> None:
    with pytest.raises(UsageError):
        zos.member_path("HLQ.PDS", bad)


def test_parse_refuses_unbalanced_quotes() -> None:
    with pytest.raises(UsageError):
        MvsPath.parse("'USER1.")


# -- contention ----------------------------------------------------------------------------------

SEED_SESSION = """125-FTP Server unable to obtain SHARED use of USER1.ALFRED.PDSE (APICLN) which
is held by: 003D USER1      EXCL on SPFEDIT
125-Data set access will be retried in 1 minute intervals - 2 attempts remaining
125-FTP Server unable to obtain SHARED use of USER1.ALFRED.PDSE (APICLN) which
is held by: 003D USER1      EXCL on SPFEDIT
125-Data set access will be retried in 1 minute intervals - 1 attempts remaining
125 Sending data set USER1.ALFRED.PDSE (APICLN) FIXrecfm 80
250 Transfer completed successfully.
"""


def test_contention_notices_from_the_seed_session_lines_as_the_reply_reader_delivers_them() -> None:
    reader = ReplyReader()
    reader.feed(SEED_SESSION.replace("\n", "\r\n").encode())
    tracker = ContentionTracker()
    notices = []
    replies = []
    while (event := reader.next_event()) is not None:
        if isinstance(event, Reply):
            replies.append(event.code)
        elif (notice := tracker.feed(event.text)) is not None:
            notices.append(notice)
    assert replies == [125, 250]
    held = "003D USER1 EXCL on SPFEDIT"
    assert notices == [
        ContentionNotice("USER1.ALFRED.PDSE", "APICLN", "SHARED", held, 2, 60),
        ContentionNotice("USER1.ALFRED.PDSE", "APICLN", "SHARED", held, 1, 60),
    ]
    assert notices[1].describe() == (
        "USER1.ALFRED.PDSE(APICLN) is held by 003D USER1 EXCL on SPFEDIT; the server retries every 60 s, 1 attempts left"
    )


def test_contention_ibm_template_on_one_line_and_joined_member() -> None:
    tracker = ContentionTracker()
    assert tracker.feed("125- FTP Server unable to obtain EXCLUSIVE use of HLQ.DATA(MEM) which is held by 0042 BATCHJOB SHR on SYSDSN") is None
    notice = tracker.feed("125- Data set access will be retried in 30 second intervals - 5 attempts remaining")
    assert notice == ContentionNotice("HLQ.DATA", "MEM", "EXCLUSIVE", "0042 BATCHJOB SHR on SYSDSN", 5, 30)


def test_contention_without_holder_line_and_without_retry_line() -> None:
    tracker = ContentionTracker()
    tracker.feed("125-FTP Server unable to obtain SHARED use of HLQ.SEQ")  # REPLYSECURITYLEVEL hides the holder
    notice = tracker.feed("125-Data set access will be retried in 1 minute intervals - 3 attempts remaining")
    assert notice == ContentionNotice("HLQ.SEQ", "", "SHARED", "", 3, 60)
    tracker.feed("125-FTP Server unable to obtain shared use of HLQ.SEQ which")
    tracker.feed("is held by: 003D USER1 EXCL on SPFEDIT")
    flushed = tracker.feed("550 Transfer aborted: data set is in use")
    assert flushed == ContentionNotice("HLQ.SEQ", "", "SHARED", "003D USER1 EXCL on SPFEDIT", None, None)
    assert tracker.feed("250 done") is None


def test_contention_tracker_ignores_ordinary_replies() -> None:
    tracker = ContentionTracker()
    for line in ("150 Opening data connection", "some text without code", "226 Transfer complete"):
        assert tracker.feed(line) is None


def test_exclusive_use_failure() -> None:
    assert zos.is_exclusive_use_failure("550 USER1.ALFRED.PDSE(CS4) used exclusively by someone else.") == "USER1.ALFRED.PDSE(CS4)"
    assert zos.is_exclusive_use_failure("550 'HLQ.X' is used exclusively by another job") == "HLQ.X"
    assert zos.is_exclusive_use_failure("550 No data sets found.") is None


# -- JES -----------------------------------------------------------------------------------------


def test_job_id_from_submit_reply() -> None:
    assert zos.job_id_from_reply("250-It is known to JES as J0887745\n250 Transfer completed successfully.") == "J0887745"
    assert zos.job_id_from_reply("250-It is known to JES as JOB00123") == "JOB00123"
    assert zos.job_id_from_reply("250 Transfer completed successfully.") is None


def test_spool_files_split_at_the_separator() -> None:
    text = f"J1 line\r\n{zos.JES_SPOOL_SEPARATOR}\r\nJCL line\n{zos.JES_SPOOL_SEPARATOR}\nSYSOUT\n"
    assert zos.split_spool_files(text) == ["J1 line\r\n", "JCL line\n", "SYSOUT\n"]
    assert zos.JES_SPOOL_SEPARATOR == " !! END OF JES SPOOL FILE !!"


def test_empty_listing_rule_is_shared_with_the_listing_package() -> None:
    assert zos.is_empty_listing_reply(550, "550 No data sets found.")
    assert not zos.is_empty_listing_reply(550, "550 Permission denied")
