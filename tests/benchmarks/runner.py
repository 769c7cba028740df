"""``python -m tests.benchmarks``: every speed figure of issue 6 in one run, one table.

Starts its own servers on loopback, makes its data, runs every case with the engine, the
``tui-ftp`` command, curl and lftp alternated round by round (a warm-up round first, then the
medians of ``--runs`` rounds), adds the in-process parser and pane benchmarks, and prints the table
(Markdown). Everything it wrote is deleted at the end. ``--quick`` is the smoke mode: small sizes,
one round, well under a minute.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tests.servers import ServerUnavailable

from .cases import Case, all_cases
from .environment import Sizes, bench_environment
from .external import ExternalResult, app_benchmark, pane_benchmark, parse_benchmark, startup_benchmark
from .measure import RunFailed, alternate
from .report import CaseResult, load_average, machine_facts, render

EXIT_RUN_FAILED = 1
EXIT_NO_SERVERS = 3


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke mode: small sizes, one round, no warm-up")
    parser.add_argument("--runs", type=int, help="measured rounds per case (default 5; 1 with --quick)")
    parser.add_argument("--warmup", type=int, help="unmeasured rounds first (default 1; 0 with --quick)")
    parser.add_argument("--only", help="comma-separated case keys or key prefixes (download, list-vsftpd...)")
    parser.add_argument("--no-external", action="store_true", help="skip bench_parse, bench_pane, bench_app and bench_startup")
    parser.add_argument("--output", type=Path, help="also write the report (Markdown) to this file")
    args = parser.parse_args(argv)
    args.runs = args.runs if args.runs is not None else (1 if args.quick else 5)
    args.warmup = args.warmup if args.warmup is not None else (0 if args.quick else 1)
    return args


def selected(cases: list[Case], only: str | None) -> list[Case]:
    if not only:
        return cases
    prefixes = [part.strip() for part in only.split(",") if part.strip()]
    return [case for case in cases if any(case.key.startswith(prefix) for prefix in prefixes)]


def measure_cases(sizes: Sizes, args: argparse.Namespace) -> tuple[list[CaseResult], Sizes]:
    results = []
    with bench_environment(sizes) as environment:
        for case in selected(all_cases(environment), args.only):
            progress(f"{case.label}: {args.warmup} + {args.runs} rounds of {', '.join(c.name for c in case.contenders)}")
            medians = alternate(case.contenders, args.runs, args.warmup, case.tidy)
            for name, figures in medians.items():
                runs = ", ".join(f"{seconds:.2f}" for seconds in figures.all_seconds)
                session = "" if figures.session_seconds is None else f"; in-session {figures.session_seconds:.2f} s"
                progress(f"  {name}: runs {runs} s; CPU {figures.cpu_seconds:.2f} s{session}")
            results.append(CaseResult(case, medians))
        return results, environment.sizes


def measure_external(quick: bool, runs: int) -> list[ExternalResult]:
    progress("bench_parse, bench_pane, bench_app and bench_startup (in-process figures)")
    if quick:
        return [parse_benchmark(10_000, 1), pane_benchmark([10_000], 1), app_benchmark(20, 64), startup_benchmark(2)]
    return [
        parse_benchmark(100_000, max(runs, 5)),
        pane_benchmark([100_000, 500_000], 3),
        app_benchmark(100, 512),
        startup_benchmark(max(runs, 7)),
    ]


def progress(text: str) -> None:
    print(f"… {text}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    facts = machine_facts()
    for fact in facts:
        progress(fact)
    sizes = Sizes.quick() if args.quick else Sizes()
    try:
        results, sizes = measure_cases(sizes, args)
        external = [] if args.no_external else measure_external(args.quick, args.runs)
    except ServerUnavailable as error:
        print(f"cannot start the benchmark servers: {error}", file=sys.stderr)
        return EXIT_NO_SERVERS
    except RunFailed as error:
        print(f"a benchmark run failed: {error}", file=sys.stderr)
        return EXIT_RUN_FAILED
    settings = (
        f"medians of {args.runs} runs after {args.warmup} warm-up round(s), contenders alternated; "
        f"big file {sizes.big_bytes / 2**20:,.0f} MiB, {sizes.small_files:,} small files, {sizes.folder_entries:,}-entry folder"
    )
    facts.append(f"load average at the end: {load_average()} (other work on the machine skews the figures)")
    notes = [*NOTES, *dict.fromkeys(note for result in results for note in result.case.notes)]
    text = render(facts, settings, results, external, notes)
    print(text)
    if args.output:
        write_report(args.output, text)
    return 0


NOTES_MARKER = "<!-- hand-written notes: everything from here on is kept when the runner rewrites this file -->"


def write_report(path: Path, text: str) -> None:
    """Write the report; the hand-written part of an existing file (after the marker) is kept."""
    kept = ""
    if path.exists():
        old = path.read_text()
        if NOTES_MARKER in old:
            kept = "\n" + old[old.index(NOTES_MARKER) :]
    path.write_text(text + kept)


METHOD_NOTE = (
    "Every figure is a client process from start to exit, process start included for all: the engine runs as "
    "`python tests/benchmarks/engine_driver.py` (one FTPSession per process), the CLI is the installed "
    "`tui-ftp get/put`. MB/s = 10^6 bytes of the file per second; files/s for the whole batch. Every client "
    "writes downloads to a file on disk. Client CPU = user + system seconds of the client process (wait4), "
    "median. Ratios compare the row's metric: for rates higher is better, for times (unit s) lower is better."
)
NOTES = [METHOD_NOTE]
