"""Listing parser speed: 100,000 lines of each format, median of 5 runs (target ≤ 150 ms each).

Wall-clock and CPU time are both shown: on a shared machine the CPU time is the parser's own cost.
The last row is the floor: building the same number of Entry tuples with no parsing at all.

Run: ``python -m tests.benchmarks.bench_parse`` (add ``--lines N`` or ``--runs N`` to change them).
The lines are generated with a fixed seed and look like what the servers send: vsftpd/proftpd
``ls -l`` lines with recent and old dates, proftpd MLSD lines with all their UNIX facts, and z/OS
dataset rows. Parsing goes through the public entry points (``parse_listing`` with auto-detection,
``parse_mlsd``), exactly as the engine calls them.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from tui_ftp.engine.listing import Entry, EntryKind, parse_listing, parse_mlsd

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


def _medians_ms(parse: Callable[[list[str]], list[Entry]], lines: list[str], runs: int) -> tuple[float, float, int]:
    """Median wall-clock and CPU milliseconds of ``runs`` parses, and the entry count."""
    wall, cpu = [], []
    count = 0
    for _ in range(runs):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        count = len(parse(lines))
        wall.append((time.perf_counter() - start_wall) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu), count


def _entries_only(lines: list[str]) -> list[Entry]:
    """The floor: build one Entry per line from ready-made fields, no parsing at all."""
    kind, when = EntryKind.FILE, NOW
    return [Entry(line, kind, 1234, when, "rw-r--r--", "alice", "users", None, None, line) for line in lines]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cases: list[tuple[str, Callable[[list[str]], list[Entry]], list[str]]] = [
        ("LIST unix (auto-detected)", lambda lines: parse_listing(lines, now=NOW), unix_lines(args.lines)),
        ("MLSD (proftpd: 10 facts)", parse_mlsd, mlsd_lines(args.lines)),
        ("MLSD (pure-ftpd: 5 facts)", parse_mlsd, mlsd_lines(args.lines, short=True)),
        ("MVS datasets (auto-detected)", lambda lines: parse_listing(lines, style="mvs"), mvs_dataset_lines(args.lines)),
        ("floor: Entry tuples, no parsing", _entries_only, unix_lines(args.lines)),
    ]
    print(f"{args.lines:,} lines per format, median of {args.runs} runs (target <= 150 ms)")
    print(f"  {'':<34} {'wall':>9} {'cpu':>9}")
    for label, parse, lines in cases:
        wall, cpu, entries = _medians_ms(parse, lines, args.runs)
        print(f"  {label:<34} {wall:6.1f} ms {cpu:6.1f} ms  ({entries:,} entries)")


if __name__ == "__main__":
    main()
