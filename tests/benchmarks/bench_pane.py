"""File pane speed: a headless app with one FileList fed 100,000 and 500,000 parsed ``ls -l`` entries.

Run: ``python -m tests.benchmarks.bench_pane`` (``--sizes 100000 500000``, ``--runs 3``).

Targets (issue 4/6): a listing shows within 100 ms of its arrival; the event loop never stalls more
than 50 ms while it loads or sorts; sorting 500,000 entries takes at most 300 ms; a 100,000-entry
folder costs at most 100 MB of RSS above an empty app.

Each listing comes in two orders: ``random`` (the ``bench_parse`` generator's order, as a local
folder or pyftpdlib gives it) and ``sorted`` (byte order by name, as vsftpd, proftpd and pure-ftpd
send it). For each, the median of the runs (a fresh app per run) of:

* ``shown``: from ``set_entries`` until the first screen refresh that shows the new listing (a big
  one first appears in the order given, labelled ``Sorting…``);
* ``ordered``: from ``set_entries`` until the rows are in display order (folders first, by name)
  and painted, and ``ordered CPU``: the process CPU time meanwhile;
* ``longest loop gap``: the longest time between two wake-ups of a 5 ms ticker on the event loop
  while loading (how long the UI was frozen, plus the 5 ms);
* ``sort size`` / ``sort time`` / ``reverse`` / ``name again`` (``sort_by`` until the new order is
  painted, worked out from scratch: no orders prepared in the background), ``… CPU`` (the process
  CPU time meanwhile: less disturbed by other busy processes) and ``… gap``: the longest loop gap;
* ``filter key`` / ``2nd filter key`` (typing ``a`` then ``b``, until painted) and their loop gap;
* ``End key``: the cursor jumping to the last row, until painted;
* ``warm sort size`` and its gap: sorting by size a while after the listing was loaded, once the
  widget has prepared that order in the background (its ``WARM_ORDERS``);
* ``RSS delta``: resident memory the widget adds for the listing (entries built beforehand);
* ``RSS with entries``: an app showing the listing (parsed in it, background work done) minus the
  same app empty, in a fresh process;
* ``longest GC pause``: the longest cyclic-GC collection during the run.

The widget calls ``gc.freeze()`` for big listings; between runs the benchmark unfreezes and collects
so that runs do not inherit each other's objects.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Self

from textual.app import App, ComposeResult

from tests.benchmarks.bench_parse import NOW, unix_lines
from tui_ftp.engine.listing import Entry, parse_listing
from tui_ftp.ui.widgets import FileList

_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
_TICK_SECONDS = 0.005
ORDERS = ("random", "sorted")
Figures = dict[str, float]


class PaneApp(App[None]):
    def compose(self) -> ComposeResult:
        yield FileList()

    def on_mount(self) -> None:
        self.query_one(FileList).focus()


class StallMeter:
    """Measures the longest gap between the wake-ups of a 5 ms ticker on the event loop."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(_TICK_SECONDS)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last)
            last = now

    @asynccontextmanager
    async def running(self) -> AsyncIterator[StallMeter]:
        self._task = asyncio.create_task(self._tick())
        await asyncio.sleep(0.02)
        self.longest = 0.0
        try:
            yield self
        finally:
            self._task.cancel()


class GCMeter:
    """The longest cyclic-GC pause while it runs (big listings make full collections slow)."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._started = 0.0

    def __enter__(self) -> Self:
        gc.callbacks.append(self._on_gc)
        return self

    def __exit__(self, *exc_info: object) -> None:
        gc.callbacks.remove(self._on_gc)

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.longest = max(self.longest, time.perf_counter() - self._started)


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * _PAGE_BYTES


async def until_painted(file_list: FileList) -> None:
    """Wait for the screen refresh that follows the changes made so far."""
    painted: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def mark_painted() -> None:
        if not painted.done():
            painted.set_result(None)

    file_list.call_after_refresh(mark_painted)
    await painted


async def until_ordered_and_painted(file_list: FileList) -> None:
    await file_list.wait_ordered()
    await until_painted(file_list)


async def timed(action: Callable[[], object], file_list: FileList) -> tuple[float, float, float]:
    """(seconds until the new order is painted, process CPU seconds meanwhile, longest event-loop
    gap) for one UI action. The CPU time is less disturbed by other busy processes."""
    async with StallMeter().running() as meter:
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        await until_ordered_and_painted(file_list)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        await asyncio.sleep(2 * _TICK_SECONDS)
    return elapsed, cpu, meter.longest


async def timed_load(file_list: FileList, entries: list[Entry]) -> tuple[float, float, float, float]:
    """(seconds until shown, seconds until ordered and painted, CPU seconds until then, longest
    loop gap) for set_entries."""
    async with StallMeter().running() as meter:
        start, start_cpu = time.perf_counter(), time.process_time()
        file_list.set_entries(entries)
        await until_painted(file_list)
        shown = time.perf_counter() - start
        await until_ordered_and_painted(file_list)
        ordered, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        await asyncio.sleep(2 * _TICK_SECONDS)
    return shown, ordered, cpu, meter.longest


async def measure(entries: list[Entry]) -> Figures:
    """One run: every figure for one listing, in a fresh app."""
    app = PaneApp()
    figures: Figures = {}
    async with app.run_test(size=(120, 40)) as pilot:
        file_list = app.query_one(FileList)
        await pilot.pause()
        gc.collect()
        before = rss_bytes()
        with GCMeter() as gc_meter:
            await _measure_pane(file_list, entries, figures, before)
        figures["longest GC pause"] = gc_meter.longest
    return figures


async def _measure_pane(file_list: FileList, entries: list[Entry], figures: Figures, rss_before: int) -> None:
    file_list.WARM_ORDERS = ()  # type: ignore[misc]  # sorts from scratch below: the worst case
    figures["shown"], figures["ordered"], figures["ordered CPU"], figures["longest loop gap"] = await timed_load(
        file_list, entries
    )
    figures["RSS delta"] = rss_bytes() - rss_before
    steps: list[tuple[str, Callable[[], object]]] = [
        ("sort size", lambda: file_list.sort_by("size")),
        ("sort time", lambda: file_list.sort_by("modified")),
        ("reverse", lambda: file_list.sort_by("modified")),
        ("name again", lambda: file_list.sort_by("name", reverse=False)),
        ("filter key", lambda: setattr(file_list, "filter_text", "a")),
        ("2nd filter key", lambda: setattr(file_list, "filter_text", "ab")),
    ]
    for name, action in steps:
        figures[name], figures[f"{name} CPU"], figures[f"{name} gap"] = await timed(action, file_list)
    file_list.filter_text = ""
    await until_ordered_and_painted(file_list)
    figures["End key"], _, _ = await timed(lambda: file_list.action_cursor_to(-1), file_list)
    await _measure_warm_sort(file_list, entries, figures)


async def _measure_warm_sort(file_list: FileList, entries: list[Entry], figures: Figures) -> None:
    """A sort by size a second after loading: the order was worked out in the background meanwhile."""
    del file_list.WARM_ORDERS  # back to the class default
    await file_list.load_entries(entries)
    await asyncio.sleep(1.0 + len(entries) / 250_000)
    figures["warm sort size"], _, figures["warm sort size gap"] = await timed(lambda: file_list.sort_by("size"), file_list)


async def rss_with_entries(size: int, order: str) -> int:
    """RSS of an app showing the parsed listing minus that of the same app empty."""
    lines = listing_lines(size, order)
    app = PaneApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        gc.collect()
        before = rss_bytes()
        file_list = app.query_one(FileList)
        await file_list.load_entries(parse_listing(lines, now=NOW))
        await until_painted(file_list)
        await asyncio.sleep(1.0)  # background work (summary, warm orders) adds its lists too
        return rss_bytes() - before


def rss_in_fresh_process(size: int, order: str) -> float:
    """``rss_with_entries`` in a new interpreter: in this one freed memory is reused, hiding growth."""
    command = [sys.executable, "-m", "tests.benchmarks.bench_pane", "--rss-of", str(size), order]
    return float(subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()[-1])


def listing_lines(size: int, order: str) -> list[str]:
    lines = unix_lines(size)
    if order == "sorted":
        lines.sort(key=lambda line: line.split(None, 8)[8].encode())
    return lines


def _fresh_collector() -> None:
    gc.unfreeze()
    gc.collect()


def _cell(name: str, seconds_or_bytes: float) -> str:
    if name.startswith("RSS"):
        return f"{seconds_or_bytes / 2**20:+.1f} MB"
    return f"{seconds_or_bytes * 1000:.1f} ms"


async def run(sizes: list[int], runs: int) -> None:
    results: dict[str, Figures] = {}
    for size in sizes:
        for order in ORDERS:
            lines = listing_lines(size, order)
            entries = parse_listing(lines, now=NOW)
            samples = []
            for _ in range(runs):
                _fresh_collector()
                samples.append(await measure(entries))
            figures = {name: statistics.median(sample[name] for sample in samples) for name in samples[0]}
            del entries
            _fresh_collector()
            figures["RSS with entries"] = rss_in_fresh_process(size, order)
            results[f"{size:,} {order}"] = figures
            _fresh_collector()
    _print_table(results)


def _print_table(results: dict[str, Figures]) -> None:
    columns = list(results)
    names = list(results[columns[0]])
    print(f"{'FileList':<22}" + "".join(f"{column:>17}" for column in columns))
    for name in names:
        print(f"{name:<22}" + "".join(f"{_cell(name, results[column][name]):>17}" for column in columns))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 500_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rss-of", nargs=2, metavar=("SIZE", "ORDER"), help="print one RSS figure (internal)")
    arguments = parser.parse_args()
    if arguments.rss_of:
        print(asyncio.run(rss_with_entries(int(arguments.rss_of[0]), arguments.rss_of[1])))
        return
    asyncio.run(run(arguments.sizes, arguments.runs))


if __name__ == "__main__":
    main()
