"""The transfer queue manager against a real pyftpdlib TLS server: bytes on disk, on both sides."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import RunningServer
from tests.ui.conftest import SLOW_BYTES_PER_SECOND, wait_sync
from tui_ftp.engine.events import ContentionWait, TransferProgress
from tui_ftp.engine.listing import Entry, EntryKind
from tui_ftp.engine.worker import SessionWorker
from tui_ftp.transfers import (
    ConflictAction,
    Contention,
    Transfer,
    TransferDirection,
    TransferManager,
    TransferStatus,
    describe_error,
    free_name,
    join_remote_for_display,
)

pytestmark = pytest.mark.timeout(60)


def _tree(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


class Harness:
    """A manager on N real sessions; engine progress goes straight into it (as the UI's bridge does)."""

    def __init__(self, server: RunningServer, parallel: int = 2, **kwargs: object) -> None:
        self.changes: list[list[Transfer]] = []
        self.workers = [
            SessionWorker(server.connect_options(), self._sink, name=f"test#xfer{n}") for n in range(parallel)
        ]
        self.manager = TransferManager(self.workers, on_change=self.changes.append, **kwargs)  # type: ignore[arg-type]
        self.progress_seen: list[TransferProgress] = []

    def _sink(self, event: object) -> None:
        if isinstance(event, TransferProgress):
            self.progress_seen.append(event)
        if hasattr(self, "manager"):
            self.manager.handle_event(event)  # type: ignore[arg-type]

    def statuses(self) -> dict[str, TransferStatus]:
        return {t.remote_name: t.status for t in self.manager.snapshot()}

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()


@pytest.fixture
def harness(pyftpd_tls: RunningServer) -> Iterator[Harness]:
    made = Harness(pyftpd_tls)
    yield made
    made.stop()


@pytest.fixture
def folder_name() -> str:
    return f"q-{uuid.uuid4().hex[:8]}"


def test_download_folder_recursively(harness: Harness, pyftpd_tls: RunningServer, folder_name: str, tmp_path: Path) -> None:
    files = {"a.txt": b"alpha\n", "sub/b.bin": bytes(range(256)) * 400, "sub/deeper/c.txt": b"c" * 70_000}
    for relative, data in files.items():
        pyftpd_tls.write_file(f"{folder_name}/{relative}", data)
    folder = harness.manager.download("/", Entry(folder_name, EntryKind.DIR), tmp_path)
    assert harness.manager.wait_idle(30)
    assert _tree(tmp_path / folder_name) == files
    done = harness.manager.get(folder.id)
    assert done is not None and done.status is TransferStatus.DONE
    assert done.children == 3 and done.done == sum(map(len, files.values())) == done.size


def test_upload_folder_creates_remote_tree(harness: Harness, pyftpd_tls: RunningServer, folder_name: str, tmp_path: Path) -> None:
    source = tmp_path / folder_name
    files = {"one.txt": b"1\n", "nested/two.bin": hashlib.sha256(b"x").digest() * 5000, "nested/empty/three.txt": b""}
    for relative, data in files.items():
        (source / relative).parent.mkdir(parents=True, exist_ok=True)
        (source / relative).write_bytes(data)
    harness.manager.upload(source, "/")
    assert harness.manager.wait_idle(30)
    assert _tree(pyftpd_tls.home / folder_name) == files
    assert all(t.status is TransferStatus.DONE for t in harness.manager.snapshot())


def test_existing_target_asks_and_apply_to_all_skips_the_rest(
    harness: Harness, pyftpd_tls: RunningServer, folder_name: str, tmp_path: Path
) -> None:
    for name in ("x.txt", "y.txt", "z.txt"):
        pyftpd_tls.write_file(f"{folder_name}/{name}", b"new " + name.encode())
        (tmp_path / folder_name).mkdir(exist_ok=True)
        (tmp_path / folder_name / name).write_bytes(b"old")
    harness.manager.download("/", Entry(folder_name, EntryKind.DIR), tmp_path)
    wait_sync(lambda: list(harness.statuses().values()).count(TransferStatus.CONFLICT) == 3)
    first = next(t for t in harness.manager.snapshot() if t.status is TransferStatus.CONFLICT)
    harness.manager.resolve(first.id, ConflictAction.OVERWRITE)
    wait_sync(lambda: harness.statuses()[first.remote_name] is TransferStatus.DONE)
    second = next(t for t in harness.manager.snapshot() if t.status is TransferStatus.CONFLICT)
    harness.manager.resolve(second.id, ConflictAction.SKIP, apply_to_all=True)
    assert harness.manager.wait_idle(30)
    contents = {name: (tmp_path / folder_name / name).read_bytes() for name in ("x.txt", "y.txt", "z.txt")}
    assert sorted(contents.values()) == sorted([b"new " + first.remote_name.encode(), b"old", b"old"])
    assert list(harness.statuses().values()).count(TransferStatus.SKIPPED) == 2


def test_rename_keeps_both_files(harness: Harness, pyftpd_tls: RunningServer, folder_name: str, tmp_path: Path) -> None:
    pyftpd_tls.write_file(f"{folder_name}/report.txt", b"server copy")
    (tmp_path / "report.txt").write_bytes(b"local copy")
    harness.manager.conflict_policy = ConflictAction.RENAME
    harness.manager.download(f"/{folder_name}", Entry("report.txt", EntryKind.FILE), tmp_path)
    assert harness.manager.wait_idle(30)
    assert (tmp_path / "report.txt").read_bytes() == b"local copy"
    assert (tmp_path / "report (1).txt").read_bytes() == b"server copy"


def test_upload_conflict_resume_appends_the_rest(
    harness: Harness, pyftpd_tls: RunningServer, folder_name: str, tmp_path: Path
) -> None:
    data = hashlib.shake_256(b"resume").digest(300_000)
    pyftpd_tls.write_file(f"{folder_name}/big.bin", data[:100_000])
    (tmp_path / "big.bin").write_bytes(data)
    transfer = harness.manager.upload(tmp_path / "big.bin", f"/{folder_name}", remote_names=["big.bin"])
    wait_sync(lambda: harness.statuses()["big.bin"] is TransferStatus.CONFLICT)
    harness.manager.resolve(transfer.id, ConflictAction.RESUME)
    assert harness.manager.wait_idle(30)
    assert (pyftpd_tls.home / folder_name / "big.bin").read_bytes() == data
    assert any(p.transfer_id == transfer.id and p.done >= 100_000 for p in harness.progress_seen)


def test_move_deletes_the_source_after_the_copy(
    harness: Harness, pyftpd_tls: RunningServer, folder_name: str, tmp_path: Path
) -> None:
    pyftpd_tls.write_file(f"{folder_name}/tree/a.txt", b"a")
    pyftpd_tls.write_file(f"{folder_name}/tree/b/c.txt", b"c")
    harness.manager.download(f"/{folder_name}", Entry("tree", EntryKind.DIR), tmp_path, move=True)
    assert harness.manager.wait_idle(30)
    wait_sync(lambda: not (pyftpd_tls.home / folder_name / "tree").exists())
    assert _tree(tmp_path / "tree") == {"a.txt": b"a", "b/c.txt": b"c"}


def test_unsafe_remote_names_are_skipped(harness: Harness, pyftpd_tls: RunningServer, folder_name: str, tmp_path: Path) -> None:
    pyftpd_tls.write_file(f"{folder_name}/good.txt", b"fine")
    pyftpd_tls.write_file(f"{folder_name}/evil\x1b[2Jname", b"bad")
    folder = harness.manager.download("/", Entry(folder_name, EntryKind.DIR), tmp_path)
    assert harness.manager.wait_idle(30)
    assert _tree(tmp_path / folder_name) == {"good.txt": b"fine"}
    result = harness.manager.get(folder.id)
    assert result is not None and "unsafe" in result.error and result.children == 1


def test_cancel_running_then_retry_resumes(slow_server: RunningServer, tmp_path: Path) -> None:
    data = hashlib.shake_256(b"slow").digest(SLOW_BYTES_PER_SECOND * 6)
    slow_server.write_file("slow.bin", data)
    harness = Harness(slow_server, parallel=1)
    try:
        transfer = harness.manager.download("/", Entry("slow.bin", EntryKind.FILE, len(data)), tmp_path)
        wait_sync(lambda: (harness.manager.get(transfer.id) or transfer).done > 100_000)
        harness.manager.cancel(transfer.id)
        wait_sync(lambda: harness.statuses()["slow.bin"] is TransferStatus.CANCELLED)
        assert not (tmp_path / "slow.bin").exists()
        partial = (tmp_path / "slow.bin.part").stat().st_size
        assert 0 < partial < len(data)
        # an exact prefix, never TLS records read raw after the cancel (the resume builds on it)
        assert (tmp_path / "slow.bin.part").read_bytes() == data[:partial]
        before = len(harness.progress_seen)
        harness.manager.retry(transfer.id)
        assert harness.manager.wait_idle(60)
        assert (tmp_path / "slow.bin").read_bytes() == data
        second_run = [p.done for p in harness.progress_seen[before:] if p.transfer_id == transfer.id]
        assert second_run[0] >= partial  # continued from the kept .part file, not from zero
    finally:
        harness.stop()


def test_pause_keeps_queued_transfers_waiting(harness: Harness, pyftpd_tls: RunningServer, folder_name: str, tmp_path: Path) -> None:
    pyftpd_tls.write_file(f"{folder_name}/p.txt", b"paused")
    harness.manager.set_paused(True)
    transfer = harness.manager.download(f"/{folder_name}", Entry("p.txt", EntryKind.FILE), tmp_path)
    assert harness.manager.get(transfer.id).status is TransferStatus.QUEUED  # type: ignore[union-attr]
    assert not harness.manager.wait_idle(0.3)
    harness.manager.set_paused(False)
    assert harness.manager.wait_idle(30)
    assert (tmp_path / "p.txt").read_bytes() == b"paused"


def test_cancel_queued_and_failed_transfer_is_reported(harness: Harness, pyftpd_tls: RunningServer, tmp_path: Path) -> None:
    harness.manager.set_paused(True)
    queued = harness.manager.download("/", Entry("hello.txt", EntryKind.FILE), tmp_path)
    harness.manager.cancel(queued.id)
    missing = harness.manager.download("/", Entry("no-such-file.txt", EntryKind.FILE), tmp_path / "x")
    harness.manager.set_paused(False)
    assert harness.manager.wait_idle(30)
    assert harness.manager.get(queued.id).status is TransferStatus.CANCELLED  # type: ignore[union-attr]
    failed = harness.manager.get(missing.id)
    assert failed is not None and failed.status is TransferStatus.FAILED and failed.error.startswith("550")
    assert not (tmp_path / "hello.txt").exists()


def test_contention_wait_shows_the_holder_and_countdown() -> None:
    manager = TransferManager([])
    transfer = manager.download("'USER1.'", Entry("DATA", EntryKind.FILE), Path("/tmp"))
    manager.handle_event(ContentionWait("USER1.DATA", "JOB42", 3, 60.0, False, transfer.id))
    waiting = manager.get(transfer.id)
    assert waiting is not None and waiting.status is TransferStatus.WAITING
    assert waiting.contention is not None
    text = waiting.contention.describe(now=waiting.contention.next_try - 42)  # type: ignore[operator]
    assert text == "held by JOB42 — 3 attempts remaining, next in 42 s"
    manager.handle_event(TransferProgress(transfer.id, 10, 100, 5.0, 18.0))
    assert manager.get(transfer.id).status is TransferStatus.RUNNING  # type: ignore[union-attr]


def test_drain_changes_reports_each_change_once() -> None:
    manager = TransferManager([])
    transfer = manager.download("/", Entry("f", EntryKind.FILE), Path("/tmp"))
    changed, removed = manager.drain_changes()
    assert [t.id for t in changed] == [transfer.id] and not removed
    assert manager.drain_changes() == ([], set())
    manager.handle_event(TransferProgress(transfer.id, 5, 10, 1.0, 5.0))
    assert [t.done for t in manager.drain_changes()[0]] == [5]


def test_small_helpers() -> None:
    assert free_name("report.txt", {"report (1).txt"}.__contains__) == "report (2).txt"
    assert free_name("README", lambda name: False) == "README (1)"
    assert join_remote_for_display("'USER1.'", "DATA") == "'USER1.DATA'"
    assert join_remote_for_display("'USER1.PDS'", "MEM") == "'USER1.PDS(MEM)'"
    assert join_remote_for_display("/pub/", "a") == "/pub/a"
    assert Contention("D", "", None, None).describe() == "held by another job"
    assert Contention("D", "J1", 2, 100.0).describe(now=90.0, width=16) == "J1: 2 left, 10 s"
    from tui_ftp.engine.errors import PermanentReplyError

    assert describe_error(PermanentReplyError(550, ["550 No such file."])) == "550 No such file."
    assert TransferDirection.UPLOAD.arrow == "↑"


def test_zos_contention_is_shown_and_cancel_gives_up(tmp_path: Path) -> None:
    """The scripted z/OS server holds a member (DSWAITTIME): the row waits, then cancel gives up."""
    import time

    from tui_ftp.demo.server import ZosDemoServer

    with ZosDemoServer(big=False) as demo:
        assert demo.server is not None
        demo.server.hold("USER1.ALFRED.PDSE(APICLN)", waits=3, interval=30.0, holder="PAYJOB7")
        manager: TransferManager | None = None

        def sink(event: object) -> None:
            if manager is not None:
                manager.handle_event(event)  # type: ignore[arg-type]

        worker = SessionWorker(demo.connect_options, sink, name="zos#xfer1")
        manager = TransferManager([worker])
        try:
            held = manager.download("'USER1.ALFRED.PDSE'", Entry("APICLN", EntryKind.FILE), tmp_path)
            wait_sync(lambda: (manager.get(held.id) or held).status is TransferStatus.WAITING)
            waiting = manager.get(held.id)
            assert waiting is not None and waiting.contention is not None
            assert waiting.contention.holder == "PAYJOB7" and waiting.contention.attempts_remaining == 3
            started = time.monotonic()
            manager.cancel(held.id)
            assert manager.wait_idle(15)
            assert time.monotonic() - started < 10  # not the server's 90 s of waits
            assert manager.get(held.id).status is TransferStatus.CANCELLED  # type: ignore[union-attr]
            free = manager.download("'USER1.ALFRED.PDSE'", Entry("CS4", EntryKind.FILE), tmp_path)
            assert manager.wait_idle(30)
            assert manager.get(free.id).status is TransferStatus.DONE  # type: ignore[union-attr]
            assert (tmp_path / "CS4").stat().st_size > 0
        finally:
            worker.stop()
