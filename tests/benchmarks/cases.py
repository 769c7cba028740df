"""The measured cases: what each contender runs, how its result is checked, and the issue's targets.

A case is one row of the table. Its metric is a rate (MB/s, files/s: higher is better) or a time
(seconds: lower is better); ratios compare the engine's metric with curl's and lftp's, and the
CLI's with the engine's. Every run's result is checked (file sizes, entry counts): a contender
that moved the wrong bytes fails the benchmark instead of posting a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import contenders as c
from .contenders import CLI, CURL, ENGINE, LFTP, Command, Endpoint
from .environment import Environment
from .measure import Contender, Medians, RunFailed, Sample

MB = 10**6
CURL_MANY_NOTE = (
    "curl is left out of the many-small-files cases: given many URLs on one command line it pauses "
    "0.2–1 s between SIZE and RETR of most files (measured 14–84 s for 1,000 plain files, 2.8 files/s "
    "over TLS), so it is no contender there and would make the run last an hour."
)


@dataclass(frozen=True)
class Target:
    """One of the issue's targets: ``limit`` bounds the ratio ``numerator ÷ denominator`` of the row's metric."""

    text: str
    numerator: str
    denominator: str
    limit: float
    at_least: bool  # True: ratio ≥ limit; False: ratio ≤ limit
    cpu: bool = False  # compare client CPU seconds instead of the metric

    def ratio(self, case: Case, medians: dict[str, Medians], in_session: bool = False) -> float:
        """The ratio the target limits; ``in_session`` uses the engine's connect-to-close time."""
        if self.cpu:
            return medians[self.numerator].cpu_seconds / medians[self.denominator].cpu_seconds
        return case.ratio(medians, self.numerator, self.denominator, in_session)

    def met(self, ratio: float) -> bool:
        return ratio >= self.limit if self.at_least else ratio <= self.limit


@dataclass
class Case:
    key: str
    label: str
    unit: str  # "MB/s", "files/s" or "s"
    amount: float  # bytes (MB/s), files (files/s) or 1 (s)
    contenders: list[Contender]
    targets: list[Target]
    tidy: Callable[[], None] = lambda: None
    notes: list[str] = field(default_factory=list)

    def metric(self, medians: Medians, in_session: bool = False) -> float:
        """Rate or time from the process's wall time (or the engine's in-session time, when asked)."""
        seconds = medians.session_seconds if in_session and medians.session_seconds is not None else medians.seconds
        if self.unit == "MB/s":
            return self.amount / MB / seconds
        if self.unit == "files/s":
            return self.amount / seconds
        return seconds

    def ratio(self, medians: dict[str, Medians], numerator: str, denominator: str, in_session: bool = False) -> float:
        return self.metric(medians[numerator], in_session) / self.metric(medians[denominator], in_session)


# -- checks ----------------------------------------------------------------------------------------


def file_size_is(path: Path, size: int) -> Callable[[Sample], None]:
    def check(sample: Sample) -> None:
        actual = path.stat().st_size if path.exists() else None
        if actual != size:
            raise RunFailed(f"{path} has {actual} bytes after the run, expected {size}")

    return check


def folder_holds(folder: Path, count: int, each: int) -> Callable[[Sample], None]:
    def check(sample: Sample) -> None:
        sizes = [path.stat().st_size for path in folder.iterdir()] if folder.exists() else []
        if len(sizes) != count or any(size != each for size in sizes):
            raise RunFailed(f"{folder} holds {len(sizes)} files after the run, expected {count} of {each} bytes")

    return check


def reported_count_is(count: int) -> Callable[[Sample], None]:
    def check(sample: Sample) -> None:
        listed = sample.report.get("result")
        if listed != str(count):
            raise RunFailed(f"the engine listed {listed!r} entries, expected {count}")

    return check


def lines_at_least(path: Path, count: int) -> Callable[[Sample], None]:
    def check(sample: Sample) -> None:
        lines = path.read_bytes().count(b"\n") if path.exists() else 0
        if lines < count:
            raise RunFailed(f"the listing saved in {path} has {lines} lines, expected at least {count}")

    return check


def contender(name: str, command: Command, check: Callable[[Sample], None]) -> Contender:
    return Contender(name, command.argv, command.env, check)


# -- the cases -------------------------------------------------------------------------------------


def all_cases(environment: Environment) -> list[Case]:
    vsftpd = environment.vsftpd
    endpoints = {tls: Endpoint(vsftpd, tls, environment.ca_file) for tls in (False, True)}
    cases = []
    for tls in (False, True):
        cases.append(download_case(environment, endpoints[tls]))
    for tls in (False, True):
        cases.append(upload_case(environment, endpoints[tls]))
    cases.append(listing_case(environment, Endpoint(environment.pyftpdlib, True, environment.ca_file), "MLSD"))
    for tls in (False, True):
        cases.append(listing_case(environment, endpoints[tls], "LIST"))
    for tls in (False, True):
        cases.append(small_files_case(environment, endpoints[tls]))
    return cases


def _mode(endpoint: Endpoint) -> str:
    return "explicit TLS, PROT P" if endpoint.tls else "plain"


def _size_text(size: int) -> str:
    return f"{size >> 30} GiB" if size >= 1 << 30 else f"{size >> 20} MiB"


def download_case(environment: Environment, endpoint: Endpoint) -> Case:
    size = environment.sizes.big_bytes
    local = environment.scratch / "download.bin"
    check = file_size_is(local, size)
    remote = Environment.BIG
    runners = [
        contender(ENGINE, c.engine(endpoint, "get", remote, str(local)), check),
        contender(CLI, c.cli(endpoint, "get", str(local), remote), check),
        contender(CURL, c.curl_get(endpoint, remote, str(local)), check),
        contender(LFTP, c.lftp_get(endpoint, remote, str(local)), check),
    ]
    return Case(
        key=f"download-{'tls' if endpoint.tls else 'plain'}",
        label=f"download {_size_text(size)}, {_mode(endpoint)} (vsftpd{', session reuse required' if endpoint.tls else ''})",
        unit="MB/s",
        amount=size,
        contenders=runners,
        targets=_transfer_targets(1.0, cpu_limit=endpoint.tls),
        tidy=environment.clear_scratch_downloads,
    )


def upload_case(environment: Environment, endpoint: Endpoint) -> Case:
    size = environment.sizes.big_bytes
    source = str(environment.upload_source)
    remote = Environment.UPLOADED
    check = file_size_is(endpoint.server.home / remote, size)
    runners = [
        contender(ENGINE, c.engine(endpoint, "put", source, remote), check),
        contender(CLI, c.cli(endpoint, "put", source, remote), check),
        contender(CURL, c.curl_put(endpoint, source, remote), check),
        contender(LFTP, c.lftp_put(endpoint, source, remote), check),
    ]
    return Case(
        key=f"upload-{'tls' if endpoint.tls else 'plain'}",
        label=f"upload {_size_text(size)}, {_mode(endpoint)} (vsftpd)",
        unit="MB/s",
        amount=size,
        contenders=runners,
        targets=_transfer_targets(0.95),
        tidy=environment.remove_uploads,
    )


def _transfer_targets(versus_curl: float, cpu_limit: bool = False) -> list[Target]:
    """The issue's targets for a 1 GiB transfer (the CPU limit is set for the TLS download only)."""
    targets = [
        Target(f"engine ≥ {versus_curl:.2f}× curl", ENGINE, CURL, versus_curl, at_least=True),
        Target("CLI within 5% of engine", CLI, ENGINE, 0.95, at_least=True),
    ]
    if cpu_limit:
        targets.append(Target("engine CPU ≤ 1.5× curl's", ENGINE, CURL, 1.5, at_least=False, cpu=True))
    return targets


def listing_case(environment: Environment, endpoint: Endpoint, verb: str) -> Case:
    """The engine lists and parses (``list_dir``); curl only fetches the LIST bytes."""
    count = environment.sizes.folder_entries
    saved = environment.scratch / "listing.txt"
    folder = Environment.FOLDER
    runners = [
        contender(ENGINE, c.engine(endpoint, "list", folder), reported_count_is(count)),
        contender(CURL, c.curl_list(endpoint, folder, str(saved)), lines_at_least(saved, count)),
    ]
    server = endpoint.server.software
    return Case(
        key=f"list-{server}-{'tls' if endpoint.tls else 'plain'}",
        label=f"list + parse {count:,} entries, {verb} on {server}, {_mode(endpoint)} (curl: LIST bytes only)",
        unit="s",
        amount=1,
        contenders=runners,
        targets=[Target("engine ≤ 1.5× curl's time", ENGINE, CURL, 1.5, at_least=False)],
        tidy=environment.clear_scratch_downloads,
    )


def small_files_case(environment: Environment, endpoint: Endpoint) -> Case:
    count = environment.sizes.small_files
    local = environment.scratch / "small"
    check = folder_holds(local, count, 4096)
    runners = [
        contender(ENGINE, c.engine(endpoint, "mget", Environment.SMALL, str(local)), check),
        contender(LFTP, c.lftp_mget(endpoint, Environment.SMALL, local), check),
    ]
    return Case(
        key=f"small-{'tls' if endpoint.tls else 'plain'}",
        label=f"{count:,} files of 4 KiB, one connection, {_mode(endpoint)} (vsftpd; both list the folder first)",
        unit="files/s",
        amount=count,
        contenders=runners,
        targets=[Target("engine ≥ 1.0× lftp", ENGINE, LFTP, 1.0, at_least=True)],
        tidy=lambda: _empty_folder(environment, local),
        notes=[CURL_MANY_NOTE],
    )


def _empty_folder(environment: Environment, folder: Path) -> None:
    """Clear the scratch folder and make ``folder`` in it (lftp's ``mget -O`` needs it to exist)."""
    environment.clear_scratch_downloads()
    folder.mkdir()
