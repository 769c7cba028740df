"""The benchmark runner keeps working: ``python -m tests.benchmarks --quick`` prints every row.

The only test collected from ``tests/benchmarks`` (the ``bench_*`` modules are not test files): it
runs the real runner in smoke mode (small sizes, one round: real servers, real curl, lftp, engine
and CLI processes, every result checked by the runner) and checks the table it prints. No speed is
asserted here; the figures are the benchmark's business.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers.pool import skip_or_fail

from .runner import EXIT_NO_SERVERS

ROOT = Path(__file__).resolve().parents[2]
CASE_ROWS = (
    r"download 32 MiB, plain \(vsftpd\)",
    r"download 32 MiB, explicit TLS, PROT P \(vsftpd, session reuse required\)",
    r"upload 32 MiB, plain \(vsftpd\)",
    r"upload 32 MiB, explicit TLS, PROT P \(vsftpd\)",
    r"list \+ parse 2,000 entries, MLSD on pyftpdlib, explicit TLS, PROT P",
    r"list \+ parse 2,000 entries, LIST on vsftpd, plain",
    r"list \+ parse 2,000 entries, LIST on vsftpd, explicit TLS, PROT P",
    r"20 files of 4 KiB, one connection, plain",
    r"20 files of 4 KiB, one connection, explicit TLS, PROT P",
)
FIGURE_ROWS = (
    r"parse: LIST unix",
    r"parse: MLSD",
    r"parse: MVS datasets",
    r"pane 10,000[^:|]*: [^|]+",
    r"app: key → painted, while transfers run \(p95\)",
    r"start-up to first full frame \(median\)",
)
_NUMBER = r"\d[\d,]*(?:\.\d+)?"


@pytest.fixture(scope="module")
def quick_report() -> str:
    result = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=150,
        check=False,
    )
    if result.returncode == EXIT_NO_SERVERS:
        skip_or_fail(result.stderr)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_quick_run_prints_machine_facts(quick_report: str) -> None:
    for fact in ("- date: ", "- CPU: ", "cores", "- clients: curl", "LFTP", "- servers: vsftpd", "load average"):
        assert fact in quick_report


@pytest.mark.parametrize("row", CASE_ROWS)
def test_every_case_has_a_row_with_figures_and_verdicts(quick_report: str, row: str) -> None:
    lines = [line for line in quick_report.splitlines() if re.match(rf"\| {row}", line)]
    assert len(lines) == 1, f"no single row for {row!r} in:\n{quick_report}"
    row_cells = dict(zip(header_cells(quick_report), cells_of(lines[0])))
    for column in ("engine in-session", "engine"):
        assert re.fullmatch(_NUMBER, row_cells[column]), (column, row_cells)
    compared = [name for name in ("curl", "lftp") if re.fullmatch(_NUMBER, row_cells[name])]
    assert compared, row_cells
    for name in compared:
        assert re.fullmatch(rf"{_NUMBER}×", row_cells[f"engine ÷ {name}"]), (name, row_cells)
    assert re.search(r"(\bmet\b|\*\*missed\*\*)", row_cells["targets"])


def cells_of(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def header_cells(report: str) -> list[str]:
    header = next(line for line in report.splitlines() if line.startswith("| case |"))
    return cells_of(header)


def test_in_process_figures_are_included(quick_report: str) -> None:
    for label in FIGURE_ROWS:
        assert re.search(rf"\| {label}[^|]* \| {_NUMBER} (ms|MB) \| ≤ {_NUMBER} (ms|MB): (met|\*\*missed\*\*) \|", quick_report), label
