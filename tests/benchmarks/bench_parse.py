"""Listing parser speed: 100,000 lines of each format, median of 5 runs (target ≤ 150 ms each).

Wall-clock and CPU time are both shown: on a shared machine the CPU time is the parser's own cost
(the load average, printed before and after, says how shared the machine was). Each run starts
from a collected heap (``gc.collect()``, not timed). The ``gc`` column is the part of the time the
cyclic collector took inside the call: the parsers hold it while they parse, and the one young
collection they leave behind walks the 100,000 new entries. The last rows are floors: building
the same number of Entry tuples with no parsing at all, as ``Entry(...)`` calls and as the parsers
build them (``tuple.__new__`` from C, the collector held).

Run: ``python -m tests.benchmarks.bench_parse`` (add ``--lines N`` or ``--runs N`` to change them).
The lines are generated with a fixed seed and look like what the servers send: vsftpd/proftpd
``ls -l`` lines with recent and old dates, proftpd MLSD lines with all their UNIX facts, and z/OS
dataset rows. Parsing goes through the public entry points (``parse_listing`` with auto-detection,
``parse_mlsd``), exactly as the engine calls them. Dataset rows keep their columns in the line
until read (``Entry.attrs`` is a lazy mapping), so the time to read every row's ``attrs`` once
is shown below the table.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import time
from collections.abc import Callable, Sized
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import repeat

from tui_ftp.engine.listing import Entry, EntryKind, parse_listing, parse_mlsd
from tui_ftp.engine.listing._common import gc_paused

NOW = datetime(2026, 11, 27, 12, 0)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WORDS = ("report", "data", "backup", "photo", "notes", "build", "log", "final", "draft", "ünïcode")


def _name(rng: random.Random, index: int) -> str:
    words = rng.sample(_WORDS, rng.randint(1, 3))
    return f"{' '.join(words) if rng.random() < 0.2 else '_'.join(words)}-{index}.{rng.choice(('txt', 'bin', 'tar.gz'))}"


def _when(rng: random.Random) -> datetime:
    return NOW - timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))


def unix_lines(count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    lines = []
    for index in range(count):
        perm = rng.choice(("-rw-r--r--", "-rw-------", "drwxr-xr-x", "-rwxr-xr-x", "lrwxrwxrwx"))
        when = _when(rng)
        stamp = f"{when:%H:%M}" if NOW - when < timedelta(days=180) else f" {when.year}"
        name = _name(rng, index)
        if perm[0] == "l":
            name += f" -> target-{index}"
        size = rng.randint(0, 10**10)
        lines.append(f"{perm}    1 1000     1000     {size:>10} {_MONTHS[when.month - 1]} {when.day:>2} {stamp:>5} {name}")
    return lines


def mlsd_lines(count: int, seed: int = 2, *, short: bool = False) -> list[str]:
    """proftpd's ten facts per line, or (``short``) pure-ftpd's five."""
    rng = random.Random(seed)
    lines = []
    for index in range(count):
        kind = rng.choice(("file", "file", "file", "dir"))
        when = _when(rng)
        name = _name(rng, index)
        if short:
            size = f"size={rng.randint(0, 10**10)}" if kind == "file" else "sizd=4096"
            lines.append(f"type={kind};{size};modify={when:%Y%m%d%H%M%S};UNIX.mode=0644;unique=fe00g{index:x}; {name}")
            continue
        size = f"size={rng.randint(0, 10**10)};" if kind == "file" else ""
        lines.append(
            f"modify={when:%Y%m%d%H%M%S};perm=adfr;{size}type={kind};unique=FE00U{index:X};"
            f"UNIX.group=1000;UNIX.groupname=users;UNIX.mode=0644;UNIX.owner=1000;UNIX.ownername=alice; {name}"
        )
    return lines


def mvs_dataset_lines(count: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    lines = ["Volume Unit    Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname"]
    for index in range(count - 1):
        when = _when(rng)
        dsorg = rng.choice(("PS", "PS", "PO", "PO-E"))
        # Used (tracks) is mostly small; one row in twenty runs into Ext (``115807``).
        used = rng.randint(10_000, 99_999) if rng.random() < 0.05 else rng.randint(1, 3_000)
        lines.append(
            f"TSO{index % 1000:03d} 3390   {when:%Y/%m/%d} {rng.randint(1, 16):>2}{used:>5}  FB      80 27920  "
            f"{dsorg:<4} USER1.PROJ{index % 97}.DATA{index}"
        )
    return lines


@dataclass(frozen=True)
class Timing:
    """Medians over the runs, in milliseconds, and the number of entries the last run returned."""

    wall: float
    cpu: float
    gc: float
    entries: int


class _CollectorClock:
    """Adds up the wall-clock time the cyclic garbage collector runs (via ``gc.callbacks``)."""

    def __init__(self) -> None:
        self.total = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.total += time.perf_counter() - self._started


def measure(parse: Callable[[list[str]], Sized], lines: list[str], runs: int) -> Timing:
    """Median wall-clock, CPU and collector milliseconds of ``runs`` parses of ``lines``."""
    wall, cpu, collector = [], [], []
    count = 0
    clock = _CollectorClock()
    gc.callbacks.append(clock)
    try:
        for _ in range(runs):
            gc.collect()
            clock.total = 0.0
            start_wall, start_cpu = time.perf_counter(), time.process_time()
            count = len(parse(lines))
            wall.append((time.perf_counter() - start_wall) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            collector.append(clock.total * 1000)
    finally:
        gc.callbacks.remove(clock)
    return Timing(statistics.median(wall), statistics.median(cpu), statistics.median(collector), count)


def _entries_called(lines: list[str]) -> list[Entry]:
    """A floor: one ``Entry(...)`` call per line from ready-made fields, no parsing at all."""
    kind, when = EntryKind.FILE, NOW
    return [Entry(line, kind, 1234, when, "rw-r--r--", "alice", "users", None, None, line) for line in lines]


def _entries_built(lines: list[str]) -> list[Entry]:
    """A floor: the same entries built the way the parsers build them (in C, the collector held)."""
    fields = zip(lines, repeat(EntryKind.FILE), repeat(1234), repeat(NOW), repeat("rw-r--r--"), repeat("alice"), repeat("users"), repeat(None), repeat(None), lines)
    with gc_paused():
        return list(map(tuple.__new__, repeat(Entry), fields))


def _read_every_attrs(entries: list[Entry]) -> list[str]:
    return [entry.attrs["recfm"] for entry in entries if entry.attrs]


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    datasets = mvs_dataset_lines(args.lines)
    cases: list[tuple[str, Callable[[list[str]], Sized], list[str]]] = [
        ("LIST unix (auto-detected)", lambda lines: parse_listing(lines, now=NOW), unix_lines(args.lines)),
        ("MLSD (proftpd: 10 facts)", parse_mlsd, mlsd_lines(args.lines)),
        ("MLSD (pure-ftpd: 5 facts)", parse_mlsd, mlsd_lines(args.lines, short=True)),
        ("MVS datasets (auto-detected)", lambda lines: parse_listing(lines, style="mvs"), datasets),
        ("floor: Entry(...) calls, no parsing", _entries_called, unix_lines(args.lines)),
        ("floor: Entry tuples built in C", _entries_built, unix_lines(args.lines)),
    ]
    print(f"{args.lines:,} lines per format, median of {args.runs} runs (target <= 150 ms); {_load()}")
    print(f"  {'':<36} {'wall':>9} {'cpu':>9} {'gc':>9}")
    for label, parse, lines in cases:
        timing = measure(parse, lines, args.runs)
        print(f"  {label:<36} {timing.wall:6.1f} ms {timing.cpu:6.1f} ms {timing.gc:6.1f} ms  ({timing.entries:,} entries)")
    parsed = parse_listing(datasets, style="mvs")
    attrs = measure(lambda _: _read_every_attrs(parsed), datasets, 1)
    print(f"then reading every dataset row's attrs once (they are split on first read): {attrs.wall:.1f} ms wall, {attrs.cpu:.1f} ms cpu")
    print(f"after: {_load()}")


if __name__ == "__main__":
    main()
