"""Snapshots of the main views at 80x24 and 120x40, with fixed data, clock, theme and focus.

No server here: listings, log lines, security facts and queue rows are fed in directly, so the
pictures depend only on the code. Update with ``pytest tests/ui/test_snapshots.py --snapshot-update``
after checking the new pictures.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tui_ftp.engine.events import Direction, LogLine
from tui_ftp.engine.listing import Entry, EntryKind
from tui_ftp.engine.options import ConnectOptions, Security
from tui_ftp.engine.tls import CertificateInfo, SecurityInfo
from tui_ftp.transfers import Contention, Transfer, TransferDirection, TransferStatus
from tui_ftp.ui.app import TuiFtpApp
from tui_ftp.ui.screens.dialogs import ConflictScreen
from tui_ftp.ui.screens.help import HelpScreen
from tui_ftp.ui.screens.trust import TrustRequest, TrustScreen

SIZES = [(80, 24), (120, 40)]
CLOCK = 1_767_261_600.0  # 2026-01-01 10:00:00 UTC
WHEN = datetime(2026, 1, 1, 9, 30)
CERTIFICATE = CertificateInfo(
    subject="CN=ftp.example.com,O=Example Corp",
    issuer="CN=ftp.example.com,O=Example Corp",
    not_before=datetime(2025, 6, 1, tzinfo=UTC),
    not_after=datetime(2027, 6, 1, tzinfo=UTC),
    sha256="3f" * 16 + "a0" * 16,
    serial=7,
    alt_names=("ftp.example.com",),
    self_signed=True,
)
SECURITY = SecurityInfo(Security.EXPLICIT_TLS, "TLSv1.3", "TLS_AES_256_GCM_SHA384", CERTIFICATE, "pinned", "P", "P", False, True)
OPTIONS = ConnectOptions("ftp.example.com", user="alice")


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Log timestamps are local time: pin the zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def local_entries() -> list[Entry]:
    return [
        Entry("reports", EntryKind.DIR, None, WHEN, "rwxr-xr-x", "alice", "staff"),
        Entry("scripts", EntryKind.DIR, None, WHEN, "rwxr-xr-x", "alice", "staff"),
        Entry("backup-2025.tar.gz", EntryKind.FILE, 734_003_200, WHEN, "rw-r--r--", "alice", "staff"),
        Entry("notes.txt", EntryKind.FILE, 4_312, WHEN, "rw-r--r--", "alice", "staff"),
        Entry("payroll.jcl", EntryKind.FILE, 1_840, WHEN, "rw-------", "alice", "staff"),
    ]


def remote_entries() -> list[Entry]:
    return [
        Entry("archive", EntryKind.DIR, None, WHEN, "rwxr-x---", "ftp", "ftp"),
        Entry("incoming", EntryKind.DIR, None, WHEN, "rwxrwx---", "ftp", "ftp"),
        Entry("data.bin", EntryKind.FILE, 200_000, WHEN, "rw-r--r--", "ftp", "ftp"),
        Entry("hello.txt", EntryKind.FILE, 37, WHEN, "rw-r--r--", "ftp", "ftp"),
        Entry("latest -> archive/2026", EntryKind.LINK, 12, WHEN, "rwxrwxrwx", "ftp", "ftp", "archive/2026"),
    ]


def zos_entries() -> list[Entry]:
    def dataset(name: str, volume: str, recfm: str, lrecl: str, blksize: str, dsorg: str, kind: EntryKind) -> Entry:
        attrs = {"volume": volume, "unit": "3390", "referred": "2026/03/25", "recfm": recfm, "lrecl": lrecl, "blksize": blksize, "dsorg": dsorg}
        return Entry(name, kind, None, None, attrs=attrs)

    return [
        dataset("ALFRED.PDSE", "TSO004", "FB", "80", "27920", "PO-E", EntryKind.DIR),
        dataset("JCL.CNTL", "TSO005", "FB", "80", "27920", "PO", EntryKind.DIR),
        dataset("PAYROLL.DATA", "WYOSPT", "VB", "1028", "27998", "PS", EntryKind.FILE),
        dataset("REPORT.D260325", "SAVE00", "FBA", "133", "27930", "PS", EntryKind.FILE),
        Entry("OLD.ARCHIVE", EntryKind.FILE, attrs={"volume": "Migrated"}),
    ]


def log_lines() -> list[LogLine]:
    script = [
        (Direction.INFO, "connected to 203.0.113.7 port 21"),
        (Direction.RECEIVED, "220 ftp.example.com ready"),
        (Direction.SENT, "AUTH TLS"),
        (Direction.RECEIVED, "234 AUTH TLS successful"),
        (Direction.INFO, "TLS established: TLSv1.3, TLS_AES_256_GCM_SHA384"),
        (Direction.SENT, "USER alice"),
        (Direction.RECEIVED, "331 Password required for alice"),
        (Direction.SENT, "PASS ****"),
        (Direction.RECEIVED, "230 User alice logged in"),
        (Direction.SENT, "PBSZ 0"),
        (Direction.RECEIVED, "200 PBSZ=0"),
        (Direction.SENT, "CWD /pub/nope"),
        (Direction.RECEIVED, "550 /pub/nope: No such file or directory"),
        (Direction.SENT, "MLSD"),
        (Direction.RECEIVED, "226 Transfer complete."),
    ]
    return [LogLine(direction, text, "ftp.example.com#main", CLOCK + index) for index, (direction, text) in enumerate(script)]


def transfers() -> list[Transfer]:
    def row(tid: str, direction: TransferDirection, name: str, size: int, done: int, status: TransferStatus, **extra: Any) -> Transfer:
        return Transfer(tid, direction, Path("/home/alice") / name, "/pub", name, size=size, done=done, status=status, **extra)

    waiting = row("t3", TransferDirection.DOWNLOAD, "PAYROLL.DATA", 52_000, 0, TransferStatus.WAITING)
    waiting.contention = Contention("USER1.PAYROLL.DATA", "PAYJOB7", 3, None)
    return [
        row("t1", TransferDirection.DOWNLOAD, "backup-2025.tar.gz", 734_003_200, 513_802_240, TransferStatus.RUNNING, rate=48_500_000.0, eta=4.5),
        row("t2", TransferDirection.UPLOAD, "notes.txt", 4_312, 4_312, TransferStatus.DONE),
        waiting,
        row("t4", TransferDirection.UPLOAD, "payroll.jcl", 1_840, 0, TransferStatus.FAILED, error="553 Permission denied"),
        row("t5", TransferDirection.DOWNLOAD, "hello.txt", 37, 0, TransferStatus.QUEUED),
    ]


def make_app() -> TuiFtpApp:
    return TuiFtpApp(local_path=None)


async def fill(pilot: Pilot[Any], *, zos: bool = False, tab: str = "log-tab") -> None:
    app: TuiFtpApp = pilot.app  # type: ignore[assignment]
    local, remote = app.pane("local"), app.pane("remote")
    local.show_listing("/home/alice", "/home/alice", local_entries(), "files")
    if zos:
        remote.show_listing("'USER1.'", "'USER1.'", zos_entries(), "mvs")
        remote.set_title("Remote: USER1@zos.example.com (z/OS)")
    else:
        remote.show_listing("/pub", "/pub", remote_entries(), "files")
        remote.set_title("Remote: alice@ftp.example.com")
    app.security_bar.show(SECURITY, "alice@ftp.example.com:21", "ready", OPTIONS)
    app.command_log.add_lines(log_lines())
    app.transfer_queue.apply(transfers())
    app.bottom.active = tab
    (remote if zos else local).file_list.focus()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_main_view(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=fill)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_transfer_queue(snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await fill(pilot, tab="transfers-tab")

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_zos_listing(snap_compare: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await fill(pilot, zos=True)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
@pytest.mark.parametrize("changed", [False, True], ids=["unknown", "changed"])
def test_trust_dialog(snap_compare: Any, size: tuple[int, int], changed: bool) -> None:
    request = TrustRequest(
        "ftp.example.com",
        21,
        CERTIFICATE,
        "self-signed certificate" if not changed else "certificate changed since it was pinned",
        changed=changed,
        pinned_fingerprint="9C:" * 31 + "9C" if changed else "",
        pinned_since=datetime(2025, 7, 1, tzinfo=UTC) if changed else None,
    )

    async def run_before(pilot: Pilot[Any]) -> None:
        await fill(pilot)
        await pilot.app.push_screen(TrustScreen(request))
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


def test_conflict_dialog(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await fill(pilot, tab="transfers-tab")
        transfer = Transfer("t9", TransferDirection.DOWNLOAD, Path("/home/alice/notes.txt"), "/pub", "notes.txt", size=4_312, status=TransferStatus.CONFLICT)
        await pilot.app.push_screen(ConflictScreen(transfer, 2))
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_help_screen(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await fill(pilot)
        await pilot.app.push_screen(HelpScreen())
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=run_before)


@pytest.mark.parametrize("theme", ["tui-ftp-light", "high-contrast", "green-screen-3270"])
def test_themes(snap_compare: Any, theme: str) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await fill(pilot, tab="transfers-tab")
        pilot.app.theme = theme
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)
