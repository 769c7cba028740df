"""The transfer queue reconnects and resumes a file after the connection breaks (bounded, with backoff)."""

from __future__ import annotations

from pathlib import Path

import pytest

import tui_ftp.transfers as transfers
from tui_ftp.engine.listing import Entry, EntryKind
from tui_ftp.engine.worker import SessionWorker
from tui_ftp.transfers import TransferManager, TransferStatus

from .servers import file_session, running
from .test_hostile_server import PAYLOAD, FileSession, ResetMidTransferSession, options_for


class ResetAtOnceSession(FileSession):
    """Resets every data connection before a byte is sent: no try can make progress."""

    resets_left = 10**6

    def send_file(self, name: str, payload: bytes) -> None:
        with self.open_data() as data:
            data.reset()
        self.reply(426, "Connection closed; transfer aborted.")


@pytest.mark.parametrize(("session_class", "status"), [(ResetMidTransferSession, TransferStatus.DONE), (ResetAtOnceSession, TransferStatus.FAILED)])
def test_queued_download_survives_a_reset(
    session_class: type[FileSession], status: TransferStatus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transfers, "RECONNECT_BACKOFF", 0.05)
    with running(file_session({"f.bin": PAYLOAD}, session_class, resets_left=getattr(session_class, "resets_left", 0))) as server:
        worker = SessionWorker(options_for(server))
        manager = TransferManager([worker])  # type: ignore[list-item]
        try:
            queued = manager.download("/", Entry("f.bin", EntryKind.FILE, size=len(PAYLOAD)), tmp_path)
            assert manager.wait_idle(30)
            final = manager.get(queued.id)
        finally:
            worker.stop()
        logins = server.commands.verbs().count("USER")
    assert final is not None and final.status is status
    if status is TransferStatus.DONE:
        assert (tmp_path / "f.bin").read_bytes() == PAYLOAD
        assert logins == 2  # the first connection, one reconnect
    else:
        assert not (tmp_path / "f.bin").exists()
        assert logins == 1 + transfers.RECONNECT_TRIES
