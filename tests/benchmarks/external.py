"""The in-process benchmarks other parts own, run as they are and folded into the one report.

``bench_parse`` (listing parsers), ``bench_pane`` (the file pane) and ``bench_app`` (key → paint
while transfers run) are run as their own processes (the pane's memory figure needs a fresh one)
with their command-line options; their output is kept verbatim and the figures the issue sets
targets for are read from it. One that fails is reported as failed; the others still run.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from .measure import RunFailed, run_timed

_PARSE_ROW = re.compile(r"^\s+(?P<label>\S.*?)\s+(?P<ms>\d+(?:\.\d+)?) ms\b.*\((?P<entries>[\d,]+) entries\)")
_CELL = re.compile(r"([+-]?\d+(?:\.\d+)?) (ms|MB)")


@dataclass(frozen=True)
class Figure:
    """One measured figure with its target (``limit``: the figure must not exceed it)."""

    label: str
    value: float
    unit: str
    limit: float | None

    @property
    def met(self) -> bool | None:
        return None if self.limit is None else self.value <= self.limit


@dataclass(frozen=True)
class ExternalResult:
    title: str
    command: str
    output: str
    figures: list[Figure]


def run_module(module: str, arguments: list[str]) -> tuple[str, str]:
    """The command as shown, and its output (or the failure, which then has no figures)."""
    command = [sys.executable, "-m", module, *arguments]
    shown = " ".join(["python", "-m", module, *arguments])
    try:
        return shown, run_timed(command, timeout=1800).output
    except RunFailed as error:
        return shown, f"FAILED: {error}"


def parse_benchmark(lines: int, runs: int) -> ExternalResult:
    command, output = run_module("tests.benchmarks.bench_parse", ["--lines", str(lines), "--runs", str(runs)])
    return ExternalResult(f"parse {lines:,} lines in-process (bench_parse)", command, output, parse_figures(output))


def parse_figures(output: str) -> list[Figure]:
    """Every ``label  N ms ... (N entries)`` row; the floor row (no parsing) has no target."""
    figures = []
    for line in output.splitlines():
        match = _PARSE_ROW.match(line)
        if match:
            label = match["label"]
            limit = None if label.startswith("floor") else 150.0
            figures.append(Figure(f"parse: {label}", float(match["ms"]), "ms", limit))
    return figures


def pane_benchmark(sizes: list[int], runs: int) -> ExternalResult:
    arguments = ["--sizes", *map(str, sizes), "--runs", str(runs)]
    command, output = run_module("tests.benchmarks.bench_pane", arguments)
    return ExternalResult(f"file pane with {' and '.join(f'{size:,}' for size in sizes)} entries (bench_pane)", command, output, pane_figures(output))


def pane_limit(name: str, entries: int | None) -> float | None:
    """The issue's limit for a bench_pane row: shown ≤ 100 ms, UI stalls ≤ 50 ms, sorts ≤ 300 ms,
    ≤ 100 MB more memory with 100,000 entries; None for rows without a target (CPU, filter...)."""
    if name in ("shown", "set_entries → painted"):
        return 100.0
    if name in ("longest stall", "longest loop gap") or name.endswith(" gap"):
        return 50.0
    if name in ("sort size", "sort time"):
        return 300.0
    if name == "RSS delta" and entries == 100_000:
        return 100.0
    return None


def pane_figures(output: str) -> list[Figure]:
    """The pane table: a header ``FileList  <column>  <column>...`` and rows with one cell per column."""
    lines = output.splitlines()
    header = next((index for index, line in enumerate(lines) if line.startswith("FileList")), None)
    if header is None:
        return []
    columns = re.split(r"\s{2,}", lines[header].strip())[1:]
    figures = []
    for line in lines[header + 1 :]:
        cells = list(_CELL.finditer(line))
        if not cells or len(cells) != len(columns):
            continue
        name = line[: cells[0].start()].strip()
        for column, cell in zip(columns, cells):
            entries = re.match(r"[\d,]+", column)
            limit = pane_limit(name, int(entries[0].replace(",", "")) if entries else None)
            figures.append(Figure(f"pane {column}: {name}", float(cell[1]), cell[2], limit))
    return figures


def app_benchmark(keys: int, size_mib: int) -> ExternalResult:
    arguments = ["--keys", str(keys), "--size-mib", str(size_mib)]
    command, output = run_module("tests.benchmarks.bench_app", arguments)
    return ExternalResult("key → painted while 4 TLS downloads run (bench_app)", command, output, app_figures(output))


def app_figures(output: str) -> list[Figure]:
    """The ``key → painted  median  p95  worst`` table; p95 while transfers run must be ≤ 50 ms."""
    lines = output.splitlines()
    header = next((index for index, line in enumerate(lines) if line.startswith("key → painted")), None)
    if header is None:
        return []
    columns = re.split(r"\s{2,}", lines[header].strip())[1:]
    figures = []
    for line in lines[header + 1 :]:
        cells = list(_CELL.finditer(line))
        if len(cells) != len(columns):
            break
        row = line[: cells[0].start()].strip()
        for column, cell in zip(columns, cells):
            limit = 50.0 if column == "p95" and "transfers" in row else None
            figures.append(Figure(f"app: key → painted, {row} ({column})", float(cell[1]), cell[2], limit))
    return figures


def startup_benchmark(runs: int) -> ExternalResult:
    command, output = run_module("tests.benchmarks.bench_startup", ["--runs", str(runs)])
    return ExternalResult("start-up to first full frame in a pty (bench_startup)", command, output, startup_figures(output))


def startup_figures(output: str) -> list[Figure]:
    """``median N ms, fastest N ms, slowest N ms``: the median must be ≤ 500 ms."""
    found = re.search(r"median (\d+) ms, fastest (\d+) ms, slowest (\d+) ms", output)
    if found is None:
        return []
    median, fastest, slowest = (float(value) for value in found.groups())
    return [
        Figure("start-up to first full frame (median)", median, "ms", 500.0),
        Figure("start-up to first full frame (fastest)", fastest, "ms", None),
        Figure("start-up to first full frame (slowest)", slowest, "ms", None),
    ]
