"""File pane speed: a headless app with one FileList fed 100,000 and 500,000 parsed ``ls -l`` entries.

Run: ``python -m tests.benchmarks.bench_pane`` (``--sizes 100000 500000``, ``--runs 3``).

For each size it reports (median of the runs):

* ``set_entries → painted``: from the call until the screen has been refreshed with the new rows;
* ``longest stall``: the longest time the event loop did not run while doing that (a 1 ms ticker
  measures it; this is how long the UI is frozen);
* ``set_entries CPU (again)``: the process CPU time of a second ``set_entries`` call alone, a figure
  that other busy processes on the machine disturb less than wall-clock times;
* ``sort size`` / ``sort time`` / ``reverse``: ``sort_by`` calls (first sort by a key, then a toggle);
* ``filter key → painted``: typing one filter character, until painted;
* ``End key → painted``: the cursor jumping to the last row;
* ``RSS delta``: resident memory the widget adds for the listing once shown (the entries were built
  beforehand); each further sort key caches two lists of 8 bytes per entry.

The entries come from the ``bench_parse`` line generator through the real Unix parser, so names,
sizes and dates are in listing order (not sorted), as a server sends them.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Self

from textual.app import App, ComposeResult

from tests.benchmarks.bench_parse import NOW, unix_lines
from tui_ftp.engine.listing import Entry, parse_listing
from tui_ftp.ui.widgets import FileList

_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


class PaneApp(App[None]):
    def compose(self) -> ComposeResult:
        yield FileList()

    def on_mount(self) -> None:
        self.query_one(FileList).focus()


class StallMeter:
    """Measures the longest gap between the wake-ups of a 1 ms ticker on the event loop."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last)
            last = now

    @asynccontextmanager
    async def running(self) -> AsyncIterator[StallMeter]:
        self._task = asyncio.create_task(self._tick())
        await asyncio.sleep(0.01)
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


async def timed(action: Callable[[], object], file_list: FileList) -> tuple[float, float]:
    """(seconds until painted, longest event-loop stall) for one UI action."""
    async with StallMeter().running() as meter:
        start = time.perf_counter()
        action()
        await until_painted(file_list)
        elapsed = time.perf_counter() - start
        await asyncio.sleep(0.005)
    return elapsed, meter.longest


def sort_seconds(file_list: FileList, column: str, reverse: bool | None = None) -> float:
    start = time.perf_counter()
    file_list.sort_by(column, reverse)
    return time.perf_counter() - start


async def measure(entries: list[Entry]) -> dict[str, float]:
    """One run: every figure for one listing, in a fresh app."""
    app = PaneApp()
    figures: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        file_list = app.query_one(FileList)
        await pilot.pause()
        gc.collect()
        before = rss_bytes()
        with GCMeter() as gc_meter:
            await _measure_pane(file_list, entries, figures, before)
        figures["longest GC pause"] = gc_meter.longest
    return figures


async def _measure_pane(file_list: FileList, entries: list[Entry], figures: dict[str, float], rss_before: int) -> None:
    figures["set_entries → painted"], figures["longest stall"] = await timed(lambda: file_list.set_entries(entries), file_list)
    figures["RSS delta"] = rss_bytes() - rss_before
    started = time.process_time()
    file_list.set_entries(entries)
    figures["set_entries CPU (again)"] = time.process_time() - started
    await until_painted(file_list)
    figures["sort size"] = sort_seconds(file_list, "size")
    figures["sort time"] = sort_seconds(file_list, "modified")
    figures["reverse"] = sort_seconds(file_list, "modified")
    figures["sort name (cached)"] = sort_seconds(file_list, "name", reverse=False)
    figures["filter key → painted"], _ = await timed(lambda: setattr(file_list, "filter_text", "a"), file_list)
    figures["2nd filter key → painted"], _ = await timed(lambda: setattr(file_list, "filter_text", "ab"), file_list)
    file_list.filter_text = ""
    await until_painted(file_list)
    figures["End key → painted"], _ = await timed(lambda: file_list.action_cursor_to(-1), file_list)


def listing(size: int) -> list[Entry]:
    return parse_listing(unix_lines(size), now=NOW)


def _cell(name: str, seconds_or_bytes: float) -> str:
    if name == "RSS delta":
        return f"{seconds_or_bytes / 2**20:+.1f} MB"
    return f"{seconds_or_bytes * 1000:.1f} ms"


async def run(sizes: list[int], runs: int) -> None:
    results: dict[int, dict[str, float]] = {}
    for size in sizes:
        entries = listing(size)
        samples = [await measure(entries) for _ in range(runs)]
        results[size] = {name: statistics.median(sample[name] for sample in samples) for name in samples[0]}
    _print_table(results)


def _print_table(results: dict[int, dict[str, float]]) -> None:
    sizes = list(results)
    names = list(results[sizes[0]])
    print(f"{'FileList':<24}" + "".join(f"{size:>14,}" for size in sizes))
    for name in names:
        print(f"{name:<24}" + "".join(f"{_cell(name, results[size][name]):>14}" for size in sizes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 500_000])
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    asyncio.run(run(arguments.sizes, arguments.runs))


if __name__ == "__main__":
    main()
