"""The in-memory z/OS world behind the demo server: data sets, PDS members, JES jobs, and the
listing lines exactly as a z/OS FTP server prints them (column layout from real captures).

Text is stored as ASCII bytes with LF line ends; the server adds CRLF in TYPE A. There is no
EBCDIC here: TYPE I moves the stored bytes unchanged.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

Dsorg = Literal["PS", "PO", "PO-E", "VSAM"]
Location = Literal["disk", "migrated", "tape"]

DATASET_HEADER = "Volume Unit    Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname"
MEMBER_HEADER = " Name     VV.MM   Created       Changed      Size  Init   Mod   Id"
LOAD_MEMBER_HEADER = " Name      Size     TTR   Alias-of AC --------- Attributes --------- Amode Rmode"
JES_HEADER = "JOBNAME  JOBID    OWNER    STATUS CLASS"
SPOOL_SEPARATOR = " !! END OF JES SPOOL FILE !!"
TRACK_BYTES = 56_664  # one 3390 track


# --- data sets -------------------------------------------------------------------------------


@dataclass
class IspfStats:
    """ISPF statistics of a PDS member (the ``VV.MM ... Id`` columns)."""

    created: dt.date
    changed: dt.datetime
    size: int
    init: int
    modified: int = 0
    userid: str = "USER1"
    version: int = 1
    level: int = 0


@dataclass
class LoadModule:
    """Directory data of a load module (the hex columns of a load library listing)."""

    size: int
    ttr: int
    ac: int = 0
    attributes: str = "FO"
    amode: str = "31"
    rmode: str = "ANY"


@dataclass
class Member:
    name: str
    content: bytes = b""
    stats: IspfStats | None = None
    load: LoadModule | None = None


@dataclass
class Dataset:
    name: str
    dsorg: Dsorg = "PS"
    recfm: str = "FB"
    lrecl: int = 80
    blksize: int = 27920
    volume: str = "USR001"
    unit: str = "3390"
    referred: dt.date | None = None  # None prints **NONE**
    extents: int = 1
    used: int | None = 1  # tracks; None prints ++++
    location: Location = "disk"
    content: bytes = b""
    members: dict[str, Member] = field(default_factory=dict)

    @property
    def partitioned(self) -> bool:
        return self.dsorg in ("PO", "PO-E")

    @property
    def load_library(self) -> bool:
        return any(member.load is not None for member in self.members.values())


@dataclass(frozen=True)
class DatasetRef:
    """A data set name with an optional member: ``USER1.JCL.CNTL(ALLOC)``."""

    dataset: str
    member: str | None = None

    @property
    def key(self) -> str:
        """``DSN(MEMBER)``: the form of ``550 ... used exclusively`` and of contention holds."""
        return f"{self.dataset}({self.member})" if self.member else self.dataset

    @property
    def spaced(self) -> str:
        """``DSN (MEMBER)``: the form of ``125 Sending data set ...``."""
        return f"{self.dataset} ({self.member})" if self.member else self.dataset

    def __str__(self) -> str:
        return self.key


_REF = re.compile(r"^(?P<dataset>[^()\s]+?)(?:\((?P<member>[^()\s]+)\))?$")


def parse_ref(text: str) -> DatasetRef | None:
    """``'USER1.A(B)'``, ``USER1.A(B)``, ``USER1.A (B)`` → DatasetRef; None if malformed."""
    cleaned = text.strip().strip("'").replace(" ", "").upper()
    match = _REF.match(cleaned)
    if match is None:
        return None
    return DatasetRef(match["dataset"].rstrip("."), match["member"])


_QUALIFIER = re.compile(r"^[A-Z#@$][A-Z0-9#@$-]{0,7}$")
_MEMBER = re.compile(r"^[A-Z#@$][A-Z0-9#@$]{0,7}$")


def valid_ref(ref: DatasetRef) -> bool:
    """MVS naming rules: qualifiers of 1-8 characters, 44 at most in all, members of 1-8."""
    qualifiers = ref.dataset.split(".")
    names_ok = len(ref.dataset) <= 44 and all(_QUALIFIER.match(q) for q in qualifiers)
    return names_ok and (ref.member is None or bool(_MEMBER.match(ref.member)))


def name_pattern(pattern: str) -> re.Pattern[str]:
    """A z/OS-style wildcard (``*`` any run of characters, ``%`` one character) as a regex."""
    parts = ("." if c == "%" else ".*" if c == "*" else re.escape(c) for c in pattern.upper())
    return re.compile("".join(parts) + r"\Z")


# --- listing lines ---------------------------------------------------------------------------


def dataset_row(dataset: Dataset, shown_name: str) -> str:
    """One row under :data:`DATASET_HEADER`; ``shown_name`` is relative or ``'QUOTED'``."""
    if dataset.location == "migrated":
        return f"{'Migrated':<56}{shown_name}"
    if dataset.location == "tape":
        return f"{f'{dataset.volume:<6} Tape':<56}{shown_name}"
    if dataset.dsorg == "VSAM":
        return f"{f'{dataset.volume:<6} {dataset.unit:<4}':<51}VSAM {shown_name}"
    referred = dataset.referred.strftime("%Y/%m/%d") if dataset.referred else "**NONE**"
    used = "++++" if dataset.used is None else str(dataset.used)
    return (
        f"{dataset.volume:<6} {dataset.unit:<4}   {referred:<10}{dataset.extents:>3}{used:>5}  "
        f"{dataset.recfm:<5}{dataset.lrecl:>5} {dataset.blksize:>5}  {dataset.dsorg:<3} {shown_name}"
    )


def member_row(member: Member) -> str:
    """One row under :data:`MEMBER_HEADER` (or the load library header for load modules)."""
    if member.load is not None:
        load = member.load
        return (
            f"{member.name:<8} {load.size:06X} {load.ttr:06X}  {load.ac:02X} "
            f"{load.attributes:<18}{load.amode:<6}{load.rmode}"
        )
    stats = member.stats
    if stats is None:
        return member.name
    return (
        f"{member.name:<8}  {stats.version:02d}.{stats.level:02d} {stats.created:%Y/%m/%d} "
        f"{stats.changed:%Y/%m/%d %H:%M} {stats.size:>5} {stats.init:>5} {stats.modified:>5} "
        f"{stats.userid}"
    )


def member_header(dataset: Dataset) -> str:
    return LOAD_MEMBER_HEADER if dataset.load_library else MEMBER_HEADER


def recfm_word(dataset: Dataset) -> str:
    """``FIXrecfm`` / ``VARrecfm`` / ``UNDEFINEDrecfm`` as in ``125 Sending data set ...``."""
    first = dataset.recfm[:1]
    return {"F": "FIXrecfm", "V": "VARrecfm"}.get(first, "UNDEFINEDrecfm")


# --- the catalog -----------------------------------------------------------------------------


class Catalog:
    """Data sets by name, kept sorted so prefix queries stay fast with 100,000 entries.

    Thread-safe; hold :attr:`lock` to read-modify-write a data set or its members.
    """

    def __init__(self, datasets: Iterable[Dataset] = ()) -> None:
        self.lock = threading.RLock()
        self._datasets: dict[str, Dataset] = {}
        self._names: list[str] = []
        self.add_many(datasets)

    def add(self, dataset: Dataset) -> None:
        with self.lock:
            if dataset.name not in self._datasets:
                bisect.insort(self._names, dataset.name)
            self._datasets[dataset.name] = dataset

    def add_many(self, datasets: Iterable[Dataset]) -> None:
        with self.lock:
            for dataset in datasets:
                self._datasets[dataset.name] = dataset
            self._names = sorted(self._datasets)

    def get(self, name: str) -> Dataset | None:
        with self.lock:
            return self._datasets.get(name.upper())

    def remove(self, name: str) -> Dataset | None:
        with self.lock:
            dataset = self._datasets.pop(name, None)
            if dataset is not None:
                self._names.pop(bisect.bisect_left(self._names, name))
            return dataset

    def rename(self, old: str, new: str) -> None:
        with self.lock:
            dataset = self.remove(old)
            if dataset is not None:
                self.add(replace(dataset, name=new))

    def matching(self, pattern: str) -> list[Dataset]:
        """Data sets whose names match ``pattern``; a pattern without wildcards also matches
        the data sets below it (``USER1.JCL`` → ``USER1.JCL`` and ``USER1.JCL.*``)."""
        pattern = pattern.upper()
        if not re.search(r"[*%]", pattern):
            pattern = pattern.rstrip(".")
            exact = name_pattern(pattern)
            below = name_pattern(f"{pattern}.*")
            return [d for d in self._from(pattern) if exact.match(d.name) or below.match(d.name)]
        literal = re.split(r"[*%]", pattern, maxsplit=1)[0]
        regex = name_pattern(pattern)
        return [d for d in self._from(literal) if regex.match(d.name)]

    def _from(self, literal: str) -> Iterator[Dataset]:
        """The data sets whose names start with ``literal``, in name order."""
        with self.lock:
            start = bisect.bisect_left(self._names, literal)
            names = []
            for name in self._names[start:]:
                if not name.startswith(literal):
                    break
                names.append(name)
            found = [self._datasets[name] for name in names]
        return iter(found)

    def __len__(self) -> int:
        with self.lock:
            return len(self._datasets)

    def __contains__(self, name: object) -> bool:
        with self.lock:
            return isinstance(name, str) and name.upper() in self._datasets


def tracks_for(size: int) -> int:
    return max(1, -(-size // TRACK_BYTES))


def line_count(content: bytes) -> int:
    return content.count(b"\n") + (0 if content.endswith(b"\n") or not content else 1)


def stored_member(old: Member | None, name: str, content: bytes, userid: str, now: dt.datetime) -> Member:
    """The member after a STOR: ISPF statistics created or bumped (level + 1)."""
    lines = line_count(content)
    if old is None or old.stats is None:
        stats = IspfStats(now.date(), now, lines, lines, 0, userid)
    else:
        stats = replace(
            old.stats,
            changed=now,
            size=lines,
            modified=old.stats.modified + 1,
            userid=userid,
            level=min(old.stats.level + 1, 99),
        )
    return Member(name, content, stats)


# --- JES -------------------------------------------------------------------------------------


@dataclass
class SpoolFile:
    ddname: str
    stepname: str
    text: str
    procstep: str = ""
    dsid: int = 2
    output_class: str = "A"


@dataclass
class Job:
    jobid: str
    jobname: str
    owner: str
    status: str = "OUTPUT"  # OUTPUT, ACTIVE, INPUT
    job_class: str = "A"
    completion: str = "RC=0000"  # or "(JCL error)", "ABEND=S0C7"
    spool: list[SpoolFile] = field(default_factory=list)

    def spool_dataset_name(self, spool: SpoolFile) -> str:
        return f"{self.owner}.{self.jobname}.{self.jobid}.D{spool.dsid:07d}.{spool.ddname}"

    def all_spool(self) -> str:
        """Every spool file, each followed by the `` !! END OF JES SPOOL FILE !!`` line."""
        return "".join(f"{s.text.rstrip(chr(10))}\n{SPOOL_SEPARATOR}\n" for s in self.spool)


def job_row(job: Job, level: int) -> str:
    """One row of a JES listing at JESINTERFACELEVEL 1 or 2."""
    if level == 1:
        tail = f"    {len(job.spool)} Spool Files" if job.status == "OUTPUT" else ""
        return f"{job.jobname:<8}  {job.jobid:<8}  {job.status:<6}{tail}".rstrip()
    if job.status != "OUTPUT":
        return _job_columns(job).rstrip()
    return f"{_job_columns(job)} {job.completion} {len(job.spool)} spool files"


def _job_columns(job: Job) -> str:
    return f"{job.jobname:<8} {job.jobid:<8} {job.owner:<8} {job.status:<6} {job.job_class:<8}"


def job_detail(job: Job) -> list[str]:
    """``LIST jobid`` at level 2: the job row, then one row per spool file."""
    rows = [JES_HEADER, f"{_job_columns(job)} {job.completion}".rstrip(), "--------"]
    rows.append("         ID  STEPNAME PROCSTEP C DDNAME   BYTE-COUNT")
    for index, spool in enumerate(job.spool, start=1):
        size = len(spool.text.encode())
        rows.append(
            f"         {index:03d} {spool.stepname:<8} {spool.procstep:<8} {spool.output_class} "
            f"{spool.ddname:<8} {size:>9}"
        )
    rows.append(f"{len(job.spool)} spool files")
    return rows


_JOB_CARD = re.compile(r"^//([A-Z#@$][A-Z0-9#@$]{0,7})\s+JOB\b(.*)$", re.IGNORECASE)
_CLASS = re.compile(r"\bCLASS=([A-Z0-9])", re.IGNORECASE)


class JobQueue:
    """The JES spool: jobs by id, new ids counting up (``J0887745``, ``J0887746``, ...)."""

    def __init__(self, jobs: Iterable[Job] = (), first_number: int = 887745) -> None:
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {job.jobid: job for job in jobs}
        self._next = first_number

    def get(self, jobid: str) -> Job | None:
        with self._lock:
            return self._jobs.get(jobid.upper())

    def cancel(self, jobid: str) -> Job | None:
        with self._lock:
            return self._jobs.pop(jobid.upper(), None)

    def matching(self, jobname: str, owner: str, status: str) -> list[Job]:
        names, owners = name_pattern(jobname), name_pattern(owner)
        with self._lock:
            jobs = list(self._jobs.values())
        return [
            job
            for job in jobs
            if names.match(job.jobname) and owners.match(job.owner) and status in ("ALL", job.status)
        ]

    def submit(self, jcl: str, owner: str, now: dt.datetime) -> Job:
        """Run the job at once: it lands on the output queue with a small, plausible spool."""
        with self._lock:
            jobid = f"J{self._next:07d}"
            self._next += 1
            job = build_job(jobid, jcl, owner, now)
            self._jobs[jobid] = job
            return job


def build_job(jobid: str, jcl: str, owner: str, now: dt.datetime) -> Job:
    lines = jcl.splitlines() or [""]
    card = _JOB_CARD.match(lines[0])
    jobname = card[1].upper() if card else "UNKNOWN"
    job_class = _job_class(card[2]) if card else "A"
    completion = "RC=0000" if card else "(JCL error)"
    spool = [
        SpoolFile("JESMSGLG", "JES2", _job_log(jobid, jobname, completion, now), dsid=2),
        SpoolFile("JESJCL", "JES2", _numbered_jcl(lines, jobid), dsid=3),
        SpoolFile("JESYSMSG", "JES2", _system_messages(jobname, completion, now), dsid=4),
    ]
    if card:
        spool.append(SpoolFile("SYSPRINT", "STEP1", _sysprint(jobname), dsid=102))
    return Job(jobid, jobname, owner, "OUTPUT", job_class, completion, spool)


def _job_class(parameters: str) -> str:
    found = _CLASS.search(parameters)
    return found[1].upper() if found else "A"


def _job_log(jobid: str, jobname: str, completion: str, now: dt.datetime) -> str:
    clock = now.strftime("%H.%M.%S")
    ended = f"{jobname} ENDED - {completion}" if completion.startswith("RC") else f"{jobname} {completion}"
    return "\n".join(
        [
            "1                    J E S 2  J O B  L O G  --  S Y S T E M  D E M O  --  N O D E  Z O S D E M O",
            "0",
            f" {clock} {jobid} ---- {now:%A, %d %b %Y}".upper(),
            f" {clock} {jobid}  $HASP373 {jobname:<8} STARTED - INIT 1    - CLASS A        - SYS DEMO",
            f" {clock} {jobid}  $HASP395 {ended}",
            "------ JES2 JOB STATISTICS ------",
            f"  {now:%d %b %Y} JOB EXECUTION DATE".upper(),
            "            4 CARDS READ",
            "           42 SYSOUT PRINT RECORDS",
            "         0.00 MINUTES EXECUTION TIME",
        ]
    )


def _numbered_jcl(lines: list[str], jobid: str) -> str:
    numbered = [f"{index:>9} {line}" for index, line in enumerate(lines, start=1)]
    if numbered:
        numbered[0] = f"{numbered[0]:<80}{jobid}"
    return "\n".join(numbered)


def _system_messages(jobname: str, completion: str, now: dt.datetime) -> str:
    if not completion.startswith("RC"):
        return f" IEFC605I UNIDENTIFIED OPERATION FIELD\n {jobname} - JOB FAILED - JCL ERROR"
    stamp = now.strftime("%Y%j.%H%M")
    return "\n".join(
        [
            f" IEF142I {jobname} STEP1 - STEP WAS EXECUTED - COND CODE 0000",
            f" IEF373I STEP/STEP1    /START {stamp}",
            f" IEF374I STEP/STEP1    /STOP  {stamp} CPU    0MIN 00.01SEC SRB    0MIN 00.00SEC",
            f" IEF375I  JOB/{jobname:<8}/START {stamp}",
            f" IEF376I  JOB/{jobname:<8}/STOP  {stamp} CPU    0MIN 00.01SEC SRB    0MIN 00.00SEC",
        ]
    )


def _sysprint(jobname: str) -> str:
    return f"1DEMO UTILITY - {jobname}\n0PROCESSING COMPLETE. RECORDS READ: 4, WRITTEN: 4"
