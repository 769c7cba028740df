"""The whole app under load: key → painted latency while N downloads run over TLS.

Run: ``python -m tests.benchmarks.bench_app`` (``--transfers 4``, ``--keys 100``, ``--size-mib 512``).

An FTPS server on loopback (vsftpd in its own process, or ``--server pyftpdlib`` in this one)
serves N sparse files; the app (headless, 120x40) downloads them
in parallel on N sessions, so the engine threads decrypt as fast as the machine allows while the
transfer queue, the progress bars and the command log update. Meanwhile the benchmark sends arrow
keys to the local pane, one at a time, and measures for each:

* ``key → painted``: from the key event entering the app's queue until the screen refresh that shows
  the cursor on its new row (median, 95th percentile, worst);
* ``longest stall``: the longest time the event loop did not run while the transfers ran (a 1 ms
  ticker measures it);
* the same key latency with nothing running, as a baseline, and the transfer throughput;
* the share of a core the UI thread spends on progress, the queue and the log (2 s, no keys).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual import events

from tests.benchmarks.bench_pane import StallMeter
from tests.servers import ServerOptions, start_server
from tui_ftp.demo.certs import make_certificate_set
from tui_ftp.engine.listing import Entry, EntryKind
from tui_ftp.ui.app import TuiFtpApp
from tui_ftp.ui.widgets.file_list import FileList


async def until_painted(widget: FileList) -> None:
    painted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    widget.call_after_refresh(lambda: painted.done() or painted.set_result(None))
    await painted


async def key_latencies(app: TuiFtpApp, file_list: FileList, count: int) -> list[float]:
    """Send ``count`` up/down keys; the seconds from each key event to the paint showing it."""
    driver = app._driver
    assert driver is not None
    samples = []
    for index in range(count):
        before = file_list.cursor_row
        key = "down" if index % 2 == 0 else "up"
        start = time.perf_counter()
        event = events.Key(key, None)
        event.set_sender(app)
        driver.send_message(event)
        deadline = start + 5.0
        while file_list.cursor_row == before and time.perf_counter() < deadline:
            await asyncio.sleep(0)
        await until_painted(file_list)
        samples.append(time.perf_counter() - start)  # 5 s = the key was lost (never seen here)
        await asyncio.sleep(0.02)  # keys typed by a person, not a flood
    return samples


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def make_sparse(path: Path, size: int, owner: tuple[int, int] | None) -> None:
    """A file of ``size`` bytes that uses no disk (the server reads zeros)."""
    with open(path, "wb") as handle:
        handle.truncate(size)
    if owner is not None:
        os.chown(path, *owner)


async def run(transfers: int, keys: int, size_mib: int, software: str) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-app-"))
    certs = make_certificate_set(work / "certs")
    (work / "server").mkdir()
    server = start_server(software, ServerOptions(certs=certs.server), work / "server")
    names = [f"big{n}.bin" for n in range(transfers)]
    for name in names:
        make_sparse(server.home / name, size_mib << 20, server.home_owner)
    local = work / "local"
    local.mkdir()
    for n in range(20):
        (local / f"file{n:02d}.txt").write_text("x")
    os.environ.setdefault("TUI_FTP_CONFIG_DIR", str(work / "config"))
    os.environ.setdefault("TUI_FTP_DATA_DIR", str(work / "data"))
    app = TuiFtpApp(server.connect_options(), local_path=str(local), parallel=transfers)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            while app.connection is None or not app.pane("remote").path or not app.pane("local").file_list.entries:
                await pilot.pause(0.05)
            file_list = app.pane("local").file_list
            file_list.focus()
            await pilot.pause(0.2)
            idle = await key_latencies(app, file_list, min(keys, 40))
            manager = app.connection.transfers
            started = time.perf_counter()
            for name in names:
                manager.download("/", Entry(name, EntryKind.FILE, size_mib << 20), local)
            while not any(t.done for t in manager.snapshot()):
                await asyncio.sleep(0.01)
            ui_cpu = await ui_thread_cpu_share(QUIET_SECONDS)
            async with StallMeter().running() as meter:
                busy = await key_latencies(app, file_list, keys)
                running_at_end = manager.active
            while manager.active:
                await asyncio.sleep(0.05)
            elapsed = time.perf_counter() - started
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    report(idle, busy, meter.longest, running_at_end, transfers * size_mib, elapsed)
    print(f"{'UI thread CPU, transfers only':<34}{ui_cpu * 100:8.1f} %  of a core (progress, queue and log; no keys)")


QUIET_SECONDS = 2.0


async def ui_thread_cpu_share(seconds: float) -> float:
    """The share of one core the event-loop thread used over ``seconds`` with no input (``thread_time``)."""
    before_cpu, before_wall = time.thread_time(), time.perf_counter()
    await asyncio.sleep(seconds)
    return (time.thread_time() - before_cpu) / (time.perf_counter() - before_wall)


def report(idle: list[float], busy: list[float], stall: float, still_running: bool, mib: int, seconds: float) -> None:
    def ms(value: float) -> str:
        return f"{value * 1000:7.1f} ms"

    print(f"{'key → painted':<34}{'median':>11}{'p95':>11}{'worst':>11}")
    for label, samples in (("idle", idle), ("while transfers run", busy)):
        print(f"{label:<34}{ms(statistics.median(samples))}{ms(percentile(samples, 0.95))}{ms(max(samples))}")
    print(f"{'longest event-loop stall (busy)':<34}{ms(stall)}")
    print(f"{'transfers still running at the end':<34}{'yes' if still_running else 'NO (use a bigger --size-mib)':>11}")
    print(f"{'throughput':<34}{mib / seconds:8.0f} MiB/s ({mib} MiB in {seconds:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transfers", type=int, default=4)
    parser.add_argument("--keys", type=int, default=100)
    parser.add_argument("--size-mib", type=int, default=512)
    parser.add_argument(
        "--server", default="vsftpd", choices=["vsftpd", "pyftpdlib"],
        help="vsftpd runs in its own process like a real server; pyftpdlib shares this process (and its GIL)",
    )
    parser.add_argument("--switch-interval", type=float, default=None, help="sys.setswitchinterval (seconds) to try")
    arguments = parser.parse_args()
    if arguments.switch_interval:
        sys.setswitchinterval(arguments.switch_interval)
    asyncio.run(run(arguments.transfers, arguments.keys, arguments.size_mib, arguments.server))


if __name__ == "__main__":
    main()
