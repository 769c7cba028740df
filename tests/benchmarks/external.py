"""The in-process benchmarks other parts own, run as they are and folded into the one report.

``bench_parse`` (listing parsers) and ``bench_pane`` (the file pane) are run as their own
processes (the pane's memory figure needs a fresh one) with their command-line options; their
output is kept verbatim and the figures the issue sets targets for are read from it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from .measure import run_timed

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
    command = [sys.executable, "-m", module, *arguments]
    return " ".join(["python", "-m", module, *arguments]), run_timed(command, timeout=1800).output


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


_PANE_LIMITS: dict[str, tuple[float, int | None]] = {
    # row name → (limit, only at this size or None for every size)
    "set_entries → painted": (100.0, None),
    "longest stall": (50.0, None),
    "sort size": (300.0, None),
    "sort time": (300.0, None),
    "RSS delta": (100.0, 100_000),
}


def pane_figures(output: str) -> list[Figure]:
    """The pane table: a header ``FileList  size size ...`` and rows of one cell per size."""
    lines = output.splitlines()
    header = next((index for index, line in enumerate(lines) if line.startswith("FileList")), None)
    if header is None:
        return []
    sizes = [int(text.replace(",", "")) for text in re.findall(r"[\d,]+", lines[header][len("FileList") :])]
    figures = []
    for line in lines[header + 1 :]:
        cells = list(_CELL.finditer(line))
        if not cells or len(cells) != len(sizes):
            continue
        name = line[: cells[0].start()].strip()
        limit, only_at = _PANE_LIMITS.get(name, (None, None))
        for size, (value, unit) in zip(sizes, (cell.groups() for cell in cells)):
            applies = limit is not None and (only_at is None or only_at == size)
            figures.append(Figure(f"pane {size:,}: {name}", float(value), unit, limit if applies else None))
    return figures
