"""Timing client processes: wall time and the client's own CPU time (user + system), from ``wait4``.

Every contender runs as a fresh process, so the figures include process start for all of them
(curl's few milliseconds, Python's import of the engine) and the CPU time is the client's alone:
the servers run in other processes (vsftpd) or in this one (pyftpdlib), never in the measured one.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field


class RunFailed(RuntimeError):
    """A contender exited with an error, or its result was wrong (the message says which and why)."""


@dataclass(frozen=True)
class Sample:
    seconds: float  # wall time from spawn to exit
    cpu_seconds: float  # user + system time of the process (and any children it waited for)
    output: str  # its standard output

    @property
    def report(self) -> dict[str, object]:
        """The engine driver's JSON line (``result``, ``session_seconds``); empty for other clients."""
        try:
            parsed = json.loads(self.output)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {}

    @property
    def session_seconds(self) -> float | None:
        value = self.report.get("session_seconds")
        return float(value) if isinstance(value, (int, float)) else None


def run_timed(argv: Sequence[str], env: Mapping[str, str] | None = None, timeout: float = 600.0) -> Sample:
    """Run ``argv`` to completion; a non-zero exit raises :class:`RunFailed` with its stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(list(argv), stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=_environment(env))
        status, usage = _wait(process, timeout, " ".join(argv)[:200])
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        output, errors = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if status != 0:
        raise RunFailed(f"{' '.join(argv[:3])} ... exited with {status}: {errors.strip()[-2000:]}")
    return Sample(seconds, usage.ru_utime + usage.ru_stime, output)


def _environment(extra: Mapping[str, str] | None) -> dict[str, str] | None:
    return {**os.environ, **extra} if extra else None


def _wait(process: subprocess.Popen[bytes], timeout: float, shown: str) -> tuple[int, resource.struct_rusage]:
    """Block in ``wait4`` (for the child's rusage); a child past ``timeout`` is killed and reported."""
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        timer.cancel()
    code = os.waitstatus_to_exitcode(status)
    process.returncode = code  # Popen must not wait for it again
    if code == -signal.SIGKILL:
        raise RunFailed(f"{shown} took longer than {timeout:g} s")
    return code, usage


@dataclass
class Contender:
    """One way of doing a case: its command line, environment, and the check of each run's result."""

    name: str
    argv: Sequence[str]
    env: Mapping[str, str] = field(default_factory=dict)
    check: Callable[[Sample], None] = lambda sample: None


@dataclass
class Medians:
    seconds: float
    cpu_seconds: float
    all_seconds: tuple[float, ...]  # every measured run, in order (to judge the spread)
    session_seconds: float | None = None  # the engine driver's connect-to-close time


def alternate(
    contenders: Sequence[Contender],
    runs: int,
    warmup: int,
    tidy: Callable[[], None],
) -> dict[str, Medians]:
    """Run every contender ``warmup + runs`` times, in a rotating order, so drift hits all alike.

    Round *r* starts with contender *r mod n*. ``tidy`` runs before every run (outside the timing),
    ``check`` after it (a wrong result fails the benchmark: fast and wrong is not a result).
    """
    samples: dict[str, list[Sample]] = {contender.name: [] for contender in contenders}
    for round_number in range(warmup + runs):
        shift = round_number % len(contenders)
        for contender in (*contenders[shift:], *contenders[:shift]):
            tidy()
            sample = run_timed(contender.argv, contender.env)
            contender.check(sample)
            if round_number >= warmup:
                samples[contender.name].append(sample)
    tidy()
    return {name: _medians(taken) for name, taken in samples.items()}


def _medians(samples: list[Sample]) -> Medians:
    sessions = [sample.session_seconds for sample in samples]
    known = [value for value in sessions if value is not None]
    return Medians(
        statistics.median(sample.seconds for sample in samples),
        statistics.median(sample.cpu_seconds for sample in samples),
        tuple(sample.seconds for sample in samples),
        statistics.median(known) if known and len(known) == len(sessions) else None,
    )
