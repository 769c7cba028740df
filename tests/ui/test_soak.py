"""Soak: the app runs 8 parallel TLS downloads from vsftpd for minutes, with random cancels and retries.

Round after round, eight files are queued at once; some are cancelled at random moments, half of
those are retried (they resume from their part file with REST). After each round every file is
checked byte for byte, every cancelled one must have left only an exact prefix of the real data,
and the process's threads and sockets must not have grown. All along, the benchmarks' stall meter
(a 5 ms ticker on the app's event loop) records the longest stall: a deadlock or a starved UI
shows up there.

``TUI_FTP_SOAK_SECONDS`` sets the duration (default 180 s).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
import time
from collections import Counter
from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.benchmarks.bench_pane import StallMeter
from tests.hostile.servers import CountingThreads
from tests.servers import RunningServer
from tests.ui.conftest import wait_for
from tui_ftp.engine.listing import Entry, EntryKind
from tui_ftp.engine.transfer import part_path
from tui_ftp.transfers import Transfer, TransferManager, TransferStatus
from tui_ftp.ui.app import TuiFtpApp

SOAK_SECONDS = float(os.environ.get("TUI_FTP_SOAK_SECONDS", "180"))
PARALLEL = 8
FILE_BYTES = 24 << 20
CANCEL_SHARE = 0.4
# Liveness, not speed (benchmarks measure speed): an event loop that cannot run a callback
# for this long is stuck.
STUCK_SECONDS = 5.0

pytestmark = [pytest.mark.slow, pytest.mark.servers, pytest.mark.timeout(SOAK_SECONDS + 300)]


def check_outcome(transfer: Transfer, folder: Path, data: bytes) -> str:
    """The bytes on disk agree with the transfer's final state; returns that state's name."""
    target = folder / transfer.remote_name
    if transfer.status is TransferStatus.DONE:
        assert hashlib.sha256(target.read_bytes()).digest() == hashlib.sha256(data).digest(), target
        return "done"
    assert transfer.status is TransferStatus.CANCELLED, f"{target}: {transfer.status} {transfer.error}"
    assert not target.exists(), f"{target}: a cancelled download has its final name"
    part = part_path(target)
    if part.exists():
        kept = part.read_bytes()
        assert kept == data[: len(kept)], f"{part}: not a prefix of the real file"
    return "cancelled"


async def idle(manager: TransferManager) -> None:
    """Wait with the app's loop running (no helper thread: it would count as a leaked one)."""
    await wait_for(lambda: manager.wait_idle(0), timeout=120, step=0.05)


async def run_round(
    manager: TransferManager, files: dict[str, bytes], folder: Path, rng: random.Random, checker: Executor
) -> Counter[str]:
    folder.mkdir()
    queued = [manager.download("/soak", Entry(name, EntryKind.FILE, len(data)), folder) for name, data in files.items()]
    loop = asyncio.get_running_loop()
    for transfer in queued:
        if rng.random() < CANCEL_SHARE:
            loop.call_later(rng.uniform(0.0, 0.6), manager.cancel, transfer.id)
    await idle(manager)
    retried = []
    for transfer in queued:
        current = manager.get(transfer.id)
        if current is not None and current.status is TransferStatus.CANCELLED and rng.random() < 0.5:
            manager.retry(transfer.id)
            retried.append(transfer.id)
    await idle(manager)
    outcomes: Counter[str] = Counter()
    for transfer in queued:
        final = manager.get(transfer.id)
        assert final is not None
        # off the event loop: hashing 8 × 24 MiB there would be a stall of the test's own making
        outcome = await asyncio.get_running_loop().run_in_executor(checker, check_outcome, final, folder, files[final.remote_name])
        outcomes[outcome] += 1
        if transfer.id in retried:
            assert final.status is TransferStatus.DONE, f"retry of {final.remote_name}: {final.status} {final.error}"
            outcomes["resumed"] += 1
    manager.clear_finished()
    return outcomes


async def soak(
    manager: TransferManager, files: dict[str, bytes], folder: Path, rng: random.Random, most_sockets: int, checker: Executor
) -> Counter[str]:
    """Rounds until SOAK_SECONDS have passed; the outcomes, with ``rounds`` counted too.

    At rest every session holds at most its control connection (``most_sockets`` in all): a data
    connection or a socket of a dropped session still open would show after any round.
    """
    totals: Counter[str] = Counter()
    started = time.monotonic()
    first_round_threads: int | None = None
    while time.monotonic() - started < SOAK_SECONDS:
        round_folder = folder / f"round-{totals['rounds']}"
        totals += await run_round(manager, files, round_folder, rng, checker)
        totals["rounds"] += 1
        counts = CountingThreads()
        assert counts.sockets <= most_sockets, f"round {totals['rounds']}: {counts.sockets} sockets open, at most {most_sockets}"
        if first_round_threads is None:
            first_round_threads = counts.threads
        # Session threads live as long as the connection; a thread left per round would add up.
        assert counts.threads <= first_round_threads + 2, f"round {totals['rounds']}: threads {first_round_threads} → {counts.threads}"
        for leftover in round_folder.iterdir():
            leftover.unlink()  # keep the disk use to one round
    return totals


async def test_eight_parallel_downloads_with_random_cancels_for_minutes(vsftpd_explicit: RunningServer, tmp_path: Path) -> None:
    rng = random.Random(20261127)
    files = {f"soak-{index}.bin": rng.randbytes(FILE_BYTES) for index in range(PARALLEL)}
    for name, data in files.items():
        vsftpd_explicit.write_file(f"soak/{name}", data)
    await asyncio.to_thread(int)  # the loop's executor thread (the app closes sessions on it) is no leak
    before_app = CountingThreads()
    app = TuiFtpApp(vsftpd_explicit.connect_options(), local_path=None, parallel=PARALLEL)
    with ThreadPoolExecutor(1, thread_name_prefix="soak-check") as checker:  # shut down before the count
        async with app.run_test(size=(120, 40)):
            await wait_for(lambda: app.connection is not None and app.connection.connected)
            assert app.connection is not None
            started = time.monotonic()
            async with StallMeter().running() as stalls:
                most_sockets = before_app.sockets + PARALLEL + 1
                totals = await soak(app.connection.transfers, files, tmp_path, rng, most_sockets, checker)
    extra_threads, extra_sockets = before_app.settled(timeout=15)
    print(
        f"\nsoak: {totals['rounds']} rounds in {time.monotonic() - started:.0f} s, {dict(totals)}; "
        f"longest event-loop stall {stalls.longest * 1000:.1f} ms"
    )
    assert totals["rounds"] >= 3 and totals["done"] > 0 and totals["cancelled"] > 0 and totals["resumed"] > 0, totals
    assert stalls.longest < STUCK_SECONDS, f"the event loop was stuck for {stalls.longest:.1f} s"
    assert extra_threads <= 0 and extra_sockets <= 0, (extra_threads, extra_sockets)
