"""The report: machine facts, the table of medians with ratios and targets, the sub-benchmarks.

Written as Markdown (it reads fine in a terminal too), so the same text goes into README.
"""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from .cases import Case
from .contenders import CLI, CURL, ENGINE, LFTP
from .external import ExternalResult, Figure
from .measure import Medians

_CONTENDER_COLUMNS = (ENGINE, CLI, CURL, LFTP)
_RATIO_COLUMNS = ((ENGINE, CURL), (ENGINE, LFTP), (CLI, ENGINE))


@dataclass
class CaseResult:
    case: Case
    medians: dict[str, Medians]


def machine_facts() -> list[str]:
    return [
        f"date: {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        f"CPU: {_cpu_model()}, {os.cpu_count()} cores; RAM {_memory_gib():.0f} GiB",
        f"system: {platform.system()} {platform.release()}, Python {platform.python_version()}",
        f"clients: {_first_line(['curl', '--version'])}; {_first_line(['lftp', '--version'])}",
        f"servers: vsftpd {_vsftpd_version()}, pyftpdlib {_pyftpdlib_version()}",
        f"load average at the start: {load_average()}",
    ]


def load_average() -> str:
    """1, 5 and 15 minute load averages: above the core count, other work competed for the CPU."""
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gib() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        return 0.0


def _first_line(argv: list[str]) -> str:
    try:
        output = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return f"{argv[0]} (not found)"
    first = output.splitlines()[0] if output else argv[0]
    return " ".join(first.replace("|", " ").split()[:3])


def _vsftpd_version() -> str:
    """From dpkg: ``vsftpd -v`` writes its version to standard input, of all places."""
    try:
        result = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "vsftpd"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    return result.stdout.strip() or "?"


def _pyftpdlib_version() -> str:
    import pyftpdlib  # type: ignore[import-untyped]

    return str(pyftpdlib.__ver__)


# -- the main table ---------------------------------------------------------------------------------


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _value_cell(result: CaseResult, name: str, in_session: bool = False) -> str:
    medians = result.medians.get(name)
    if medians is None or (in_session and medians.session_seconds is None):
        return "–"
    return _number(result.case.metric(medians, in_session))


def _cpu_cell(result: CaseResult) -> str:
    parts = [f"{name} {result.medians[name].cpu_seconds:.2f}" for name in _CONTENDER_COLUMNS if name in result.medians]
    return " · ".join(parts)


def _ratio_cell(result: CaseResult, numerator: str, denominator: str) -> str:
    if numerator not in result.medians or denominator not in result.medians:
        return "–"
    return f"{result.case.ratio(result.medians, numerator, denominator):.2f}×"


def _targets_cell(result: CaseResult) -> str:
    parts = []
    for target in result.case.targets:
        ratio = target.ratio(result.case, result.medians)
        text = f"{target.text}: {ratio:.2f}× {'met' if target.met(ratio) else '**missed**'}"
        in_session = target.ratio(result.case, result.medians, in_session=True)
        if ENGINE in (target.numerator, target.denominator) and not target.cpu and in_session != ratio:
            text += f" (engine in-session: {in_session:.2f}× {'met' if target.met(in_session) else 'missed'})"
        parts.append(text)
    return "; ".join(parts)


def main_table(results: Sequence[CaseResult]) -> list[str]:
    header = ["case", "unit", "engine in-session", *_CONTENDER_COLUMNS, "engine ÷ curl", "engine ÷ lftp", "CLI ÷ engine"]
    header += ["client CPU s", "targets"]
    lines = [_row(header), _row(["---"] * len(header))]
    for result in results:
        cells = [result.case.label, result.case.unit, _value_cell(result, ENGINE, in_session=True)]
        cells += [_value_cell(result, name) for name in _CONTENDER_COLUMNS]
        cells += [_ratio_cell(result, *pair) for pair in _RATIO_COLUMNS]
        cells += [_cpu_cell(result), _targets_cell(result)]
        lines.append(_row(cells))
    return lines


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def figures_table(results: Sequence[ExternalResult]) -> list[str]:
    """The figures the issue sets targets for (the full outputs follow the table)."""
    lines = [_row(["figure", "measured", "target"]), _row(["---"] * 3)]
    for result in results:
        for figure in result.figures:
            if figure.limit is not None:
                lines.append(_row([figure.label, f"{figure.value:g} {figure.unit}", _limit_cell(figure)]))
    return lines


def _limit_cell(figure: Figure) -> str:
    if figure.limit is None:
        return ""
    return f"≤ {figure.limit:g} {figure.unit}: {'met' if figure.met else '**missed**'}"


def render(
    facts: Sequence[str],
    settings: str,
    results: Sequence[CaseResult],
    external: Sequence[ExternalResult],
    notes: Sequence[str] = (),
) -> str:
    parts = ["## Benchmarks", "", *(f"- {fact}" for fact in facts), f"- {settings}", ""]
    parts += main_table(results)
    parts += ["", *notes] if notes else []
    if external:
        parts += ["", "### In-process figures", "", *figures_table(external)]
        for result in external:
            parts += ["", f"`{result.command}`", "", "```", result.output.rstrip(), "```"]
    return "\n".join(parts) + "\n"
