"""A scripted FTP server that answers like IBM z/OS: MVS data sets, PDS members, JES, contention.

The replies and listing layouts follow captures from real z/OS FTP servers. It backs
``tui-ftp --demo --zos`` and the tests of the engine's z/OS support.

Contention (z/OS DSWAITTIME) is scripted per data set or member::

    server.hold("USER1.ALFRED.PDSE(APICLN)", waits=2, interval=0.1)   # 125- wait blocks, then data
    server.hold("USER1.DATA.CSV", waits=1, then="fail")                # 125- block, then 550
    server.hold_exclusive("USER1.ALFRED.PDSE(CS4)", failures=1)       # 550 at once, then success

Each hold is used up by the next RETR/STOR/APPE of that name.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .scripted import CCCModeName, CommandFailed, ScriptedServer, Session, TLSMode, server_tls_context
from .zos_catalog import (
    DATASET_HEADER,
    JES_HEADER,
    Catalog,
    Dataset,
    DatasetRef,
    Job,
    JobQueue,
    dataset_row,
    job_detail,
    job_row,
    member_header,
    member_row,
    name_pattern,
    parse_ref,
    recfm_word,
    stored_member,
    tracks_for,
    valid_ref,
)
from .zos_samples import sample_catalog, sample_jobs

DEMO_USER = "USER1"
DEMO_PASSWORD = "demo"
DEFAULT_HOLDER = "003D USER1      EXCL on SPFEDIT"
JES_ENTRY_LIMIT = 200

# --- contention ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hold:
    """Another job holds the data set: ``waits`` 125- blocks ``interval`` s apart, then ``then``."""

    waits: int
    interval: float
    then: Literal["succeed", "fail"]
    holder: str


class Contention:
    """Scripted data set contention, shared by all sessions; each hold is used up once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holds: dict[str, Hold] = {}
        self._exclusive: dict[str, int] = {}

    def hold(self, name: str, hold: Hold) -> None:
        with self._lock:
            self._holds[_key(name)] = hold

    def hold_exclusive(self, name: str, failures: int) -> None:
        with self._lock:
            self._exclusive[_key(name)] = failures

    def release(self, name: str) -> None:
        with self._lock:
            self._holds.pop(_key(name), None)
            self._exclusive.pop(_key(name), None)

    def take(self, name: str) -> Hold | Literal["busy"] | None:
        """What the next access to ``name`` meets: a hold, an instant "busy", or nothing."""
        key = _key(name)
        with self._lock:
            failures = self._exclusive.get(key, 0)
            if failures > 0:
                self._exclusive[key] = failures - 1
                return "busy"
            return self._holds.pop(key, None)


def _key(name: str) -> str:
    ref = parse_ref(name)
    return ref.key if ref is not None else name.upper()


# --- session settings ------------------------------------------------------------------------


@dataclass
class SiteSettings:
    """What SITE sets for the session (allocation attributes, FILETYPE, JES filters)."""

    recfm: str = "FB"
    lrecl: int = 80
    blksize: int = 27920
    directory: int = 10
    filetype: str = "SEQ"
    jes_jobname: str = "*"
    jes_owner: str = "*"
    jes_status: str = "ALL"
    jes_entry_limit: int = JES_ENTRY_LIMIT


_ALLOCATION_WORDS = frozenset(
    {
        "PRIMARY",
        "SECONDARY",
        "TRACKS",
        "CYLINDERS",
        "BLOCKS",
        "DATACLAS",
        "STORCLAS",
        "MGMTCLAS",
        "UNIT",
        "VOLUME",
        "DIRECTORY",
        "TRAILING",
        "TRUNCATE",
        "RDW",
        "ISPFSTATS",
        "SBSENDEOL",
        "ENCODING",
        "SBDATACONN",
        "RETPD",
        "DSWAITTIME",
        "LISTLEVEL",
        "QUOTESOVERRIDE",
    }
)


# --- the session -----------------------------------------------------------------------------


class ZosSession(Session):
    """One client of :class:`ZosServer`: MVS name prefixes, data sets, members and JES."""

    server: ZosServer
    system = "MVS is the operating system of this server. FTP Server is running on z/OS."
    pre_login_commands = Session.pre_login_commands | {"SITE", "STAT"}

    def __init__(
        self, server: ScriptedServer, sock: socket.socket, address: tuple[str, int], number: int
    ) -> None:
        if not isinstance(server, ZosServer):
            raise TypeError("ZosSession runs inside a ZosServer")
        super().__init__(server, sock, address, number)
        self.prefix = ""  # "USER1." style; "" at the top
        self.pds: str | None = None  # the working directory when it is a partitioned data set
        self.site = SiteSettings()
        self._rename_from: DatasetRef | None = None

    # -- session texts --
    def greet(self) -> None:
        now = dt.datetime.now()
        self.reply(
            220,
            f"TCPFTP1 IBM FTP CS 3.1 at {self.server.hostname}, {now:%H:%M:%S} on {now:%Y-%m-%d}.\n"
            "Connection will close if idle for more than 5 minutes.",
        )

    def password_prompt(self) -> str:
        return "Send password please."

    def login_message(self) -> str:
        return f'{self.login_name} is logged on.  Working directory is "{self.login_name}.".'

    def login_failed_message(self) -> str:
        return "PASS command failed"

    @property
    def login_name(self) -> str:
        return (self.user or "").upper()

    def on_login(self) -> None:
        self.prefix = f"{self.login_name}."
        self.pds = None
        self.site.jes_jobname = f"{self.login_name}*"
        self.site.jes_owner = self.login_name

    def check_login(self, verb: str) -> bool:
        if self.logged_in or verb in self.pre_login_commands:
            return True
        text = "You must first login with USER and PASS." if verb == "PWD" else "Not logged in."
        self.reply(530, text)
        return False

    def unknown_command(self, verb: str, argument: str) -> None:
        self.reply(500, f"unknown command {verb}")

    def auth_reply(self, mechanism: str) -> str:
        return "Security environment established - ready for negotiation"

    def port_reply(self) -> str:
        return "Port request OK."

    def type_reply(self, kind: str) -> str:
        return f"Representation type is {self.type_name(kind)}"

    @staticmethod
    def type_name(kind: str) -> str:
        return "Ascii NonPrint" if kind == "A" else "Image"

    def reject_type(self, argument: str) -> None:
        self.reply(501, f"unknown type  {argument}\nType remains {self.type_name(self.type)}")

    # -- simple commands --
    def cmd_QUIT(self, argument: str) -> None:
        self.reply(221, "Quit command received. Goodbye.")
        self.closing = True

    def cmd_NOOP(self, argument: str) -> None:
        self.reply(200, "OK")

    def cmd_FEAT(self, argument: str) -> None:
        self.reply(211, "no Extensions supported")

    def cmd_SIZE(self, argument: str) -> None:
        self.reply(501, "command aborted -- FTP server not configured for SIZE/MDTM")

    cmd_MDTM = cmd_SIZE

    def cmd_REST(self, argument: str) -> None:
        self.reply(504, "Restart requires Block or Compressed transfer mode.")

    def cmd_MODE(self, argument: str) -> None:
        names = {"S": "Stream", "B": "Block", "C": "Compressed"}
        mode = names.get(argument.strip().upper())
        if mode is None:
            self.reply(504, f"Data transfer mode {argument} not supported")
        else:
            self.reply(200, f"Data transfer mode is {mode}")

    def cmd_STRU(self, argument: str) -> None:
        names = {"F": "File", "R": "Record"}
        structure = names.get(argument.strip().upper())
        if structure is None:
            self.reply(504, "Page structure not implemented\nData structure remains File")
        else:
            self.reply(250, f"Data structure is {structure}")

    def cmd_ABOR(self, argument: str) -> None:
        self.reply(226, "Abort successful.")

    def cmd_HELP(self, argument: str) -> None:
        self.reply(
            214,
            "The following commands are recognized:\n"
            "  USER  PASS  ABOR  APPE  CDUP  CWD   DELE  FEAT  HELP  LIST\n"
            "  MKD   MODE  NLST  NOOP  PASV  PORT  PWD   QUIT  REST  RETR\n"
            "  RMD   RNFR  RNTO  SITE  SIZE  SYST  STAT  STOR  STRU  TYPE\n"
            "  AUTH  CCC   PBSZ  PROT  EPSV  EPRT\n"
            "HELP command successful.",
            style="bare",
        )

    def cmd_STAT(self, argument: str) -> None:
        if argument.strip():
            self.reply(504, "STAT file-identifier: not implemented")
            return
        site = self.site
        self.reply(
            211,
            "FTP server status:\n"
            f" Data set mode.  (Do not treat each qualifier as a directory.)\n"
            f" Record format {site.recfm}, Lrecl: {site.lrecl}, Blocksize: {site.blksize}\n"
            f" FileType {site.filetype}\n"
            f" JESJOBNAME={site.jes_jobname}, JESOWNER={site.jes_owner}, JESSTATUS={site.jes_status}\n"
            f" JESINTERFACELEVEL is {self.server.jes_interface_level}\n"
            "End of status.",
            style="bare",
        )

    # -- names and the working directory --
    def resolve(self, argument: str) -> DatasetRef:
        """A command argument as a data set (and member): quoted names are absolute, others are
        relative to the prefix, or members of the working PDS."""
        text = argument.strip()
        if self.pds is not None and not text.startswith("'") and "(" not in text:
            ref = parse_ref(f"{self.pds}({text})")
        else:
            ref = parse_ref(text if text.startswith("'") else f"{self.prefix}{text}")
        if ref is None or not valid_ref(ref):
            raise CommandFailed(501, f'Invalid data set name "{text}".  Use MVS Dsname conventions.')
        return ref

    def cmd_PWD(self, argument: str) -> None:
        if self.pds is not None:
            self.reply(257, f"\"'{self.pds}'\" partitioned data set is working directory.")
        else:
            self.reply(257, f"\"'{self.prefix}'\" is working directory.")

    def cmd_CWD(self, argument: str) -> None:
        text = argument.strip()
        if text == "..":
            self.cmd_CDUP("")
            return
        if text.startswith("/"):
            self.reply(550, f"HFS directory {text} is not available in this demo server.")
            return
        base = f"{self.pds}." if self.pds is not None else self.prefix
        name = (text.strip("'") if text.startswith("'") else base + text).upper().rstrip(".")
        self.change_to(name)

    def cmd_CDUP(self, argument: str) -> None:
        current = self.pds if self.pds is not None else self.prefix.rstrip(".")
        self.change_to(current.rpartition(".")[0])

    def change_to(self, name: str) -> None:
        """CWD does not check that anything exists, except that a PDS becomes the directory."""
        dataset = self.server.catalog.get(name) if name else None
        if dataset is not None and dataset.partitioned:
            self.pds = name
            self.reply(250, f'The working directory "{name}" is a partitioned data set')
            return
        self.pds = None
        self.prefix = f"{name}." if name else ""
        self.reply(250, f'"{self.prefix}" is the working directory name prefix.')

    # -- listings --
    def cmd_LIST(self, argument: str) -> None:
        if self.jes_mode:
            self.send_listing(*self.job_listing(argument))
        else:
            self.send_listing(self.catalog_listing(argument, names_only=False))

    def cmd_NLST(self, argument: str) -> None:
        if self.jes_mode:
            self.send_listing(*self.limited([job.jobid for job in self.selected_jobs()]))
        else:
            self.send_listing(self.catalog_listing(argument, names_only=True))

    def send_listing(self, lines: list[str], warning: str = "") -> None:
        started = f"List started OK for {self.jes_filters()}" if self.jes_mode else "List started OK"
        self.reply(125, started)
        self.send_data("".join(f"{line}\r\n" for line in lines).encode("utf-8"))
        self.reply(250, f"{warning}List completed successfully.")

    def catalog_listing(self, argument: str, names_only: bool) -> list[str]:
        text = "" if argument.strip().startswith("-") else argument.strip()
        if (self.pds is not None and not text.startswith("'")) or "(" in text:
            return self.member_listing(text, names_only)
        return self.dataset_listing(text, names_only)

    def dataset_listing(self, text: str, names_only: bool) -> list[str]:
        quoted = text.startswith("'")
        pattern = text.strip("'").upper() if quoted else f"{self.prefix}{text.upper() or '*'}"
        datasets = self.server.catalog.matching(pattern)
        if not datasets:
            raise CommandFailed(550, "No data sets found.")
        shown = [f"'{d.name}'" if quoted else d.name[len(self.prefix) :] for d in datasets]
        if names_only:
            return shown
        return [DATASET_HEADER, *(dataset_row(d, name) for d, name in zip(datasets, shown))]

    def member_listing(self, text: str, names_only: bool) -> list[str]:
        if "(" in text:
            ref = parse_ref(text if text.startswith("'") else f"{self.prefix}{text}")
            name, pattern = (ref.dataset, ref.member or "*") if ref else ("", "*")
        else:
            name, pattern = self.pds or "", text.upper() or "*"
        dataset = self.server.catalog.get(name)
        regex = name_pattern(pattern)
        with self.server.catalog.lock:
            members = (
                []
                if dataset is None
                else [dataset.members[m] for m in sorted(dataset.members) if regex.match(m)]
            )
        if dataset is None or not members:
            raise CommandFailed(550, "No members found.")
        if names_only:
            return [member.name for member in members]
        return [member_header(dataset), *(member_row(member) for member in members)]

    # -- transfers --
    def cmd_RETR(self, argument: str) -> None:
        if self.jes_mode:
            self.retrieve_spool(argument)
            return
        ref = self.resolve(argument)
        dataset, content = self.readable(ref)
        if not self.await_dataset(ref, "SHARED"):
            return
        self.reply(125, f"Sending data set {ref.spaced} {recfm_word(dataset)} {dataset.lrecl}")
        self.send_data(self.to_wire(content))
        self.reply(250, "Transfer completed successfully.")

    def readable(self, ref: DatasetRef) -> tuple[Dataset, bytes]:
        """The data set and the bytes a RETR of ``ref`` sends, or the z/OS 550."""
        dataset = self.server.catalog.get(ref.dataset)
        if dataset is None:
            raise CommandFailed(550, f"Data set {ref.dataset} not found")
        if dataset.location == "tape":
            raise CommandFailed(
                550,
                f"Data set {ref.dataset} is on tape volume {dataset.volume}; tape mounts are not available.",
            )
        if dataset.dsorg == "VSAM":
            raise CommandFailed(550, "Transfer aborted: unsupported data set format (VSAM).")
        if dataset.location == "migrated":
            self.recall(dataset)
        if ref.member is None:
            if dataset.partitioned:
                raise CommandFailed(
                    550, f"Data set {ref.dataset} is a partitioned data set; specify a member name."
                )
            return dataset, dataset.content
        member = dataset.members.get(ref.member) if dataset.partitioned else None
        if member is None:
            raise CommandFailed(550, f"Request nonexistent member {ref.key} to be sent.")
        return dataset, member.content

    def recall(self, dataset: Dataset) -> None:
        """HSM recalls a migrated data set on first use; here it is back on disk at once."""
        with self.server.catalog.lock:
            dataset.location = "disk"
            dataset.volume = "Z4USR9"
            dataset.referred = dt.date.today()
            dataset.used = tracks_for(len(dataset.content))

    def await_dataset(self, ref: DatasetRef, usage: str) -> bool:
        """z/OS DSWAITTIME: send the 125- wait blocks while someone else holds ``ref``.

        False when the access finally failed (the 550 has been sent).
        """
        hold = self.server.contention.take(ref.key)
        if hold is None:
            return True
        if hold == "busy":
            self.reply(550, f"{ref.key} used exclusively by someone else.")
            return False
        for remaining in range(hold.waits, 0, -1):
            self.send_line(f"125-FTP Server unable to obtain {usage} use of {ref.spaced} which")
            self.send_line(f"is held by: {hold.holder}")
            self.send_line(
                f"125-Data set access will be retried in 1 minute intervals - {remaining} attempts remaining"
            )
            if self.server.stopping.wait(hold.interval):
                return False
        if hold.then == "fail":
            self.reply(550, f"{ref.key} used exclusively by someone else.")
            return False
        return True

    def cmd_STOR(self, argument: str) -> None:
        self.store(argument, append=False)

    def cmd_APPE(self, argument: str) -> None:
        self.store(argument, append=True)

    def store(self, argument: str, append: bool) -> None:
        if self.jes_mode:
            self.submit_job()
            return
        ref = self.resolve(argument)
        self.check_writable(ref)
        if not self.await_dataset(ref, "EXCLUSIVE"):
            return
        action = "Appending to" if append else "Storing"
        self.reply(125, f"{action} data set {ref.spaced}")
        data = self.from_wire(self.receive_data())
        self.write(ref, data, append)
        self.reply(250, "Transfer completed successfully.")

    def check_writable(self, ref: DatasetRef) -> None:
        dataset = self.server.catalog.get(ref.dataset)
        if ref.member is not None and (dataset is None or not dataset.partitioned):
            raise CommandFailed(
                550, f"{ref.key} requests a nonexistent partitioned data set.  Use MKD command to create it."
            )
        if ref.member is None and dataset is not None and (dataset.partitioned or dataset.dsorg == "VSAM"):
            raise CommandFailed(550, f"Data set {ref.dataset} is not a sequential data set.")

    def write(self, ref: DatasetRef, data: bytes, append: bool) -> None:
        catalog = self.server.catalog
        now = dt.datetime.now().replace(second=0, microsecond=0)
        with catalog.lock:
            dataset = catalog.get(ref.dataset) or self.new_dataset(ref.dataset, "PS")
            if ref.member is None:
                dataset.content = (dataset.content if append else b"") + data
                dataset.used = tracks_for(len(dataset.content))
            else:
                old = dataset.members.get(ref.member)
                content = (old.content if old and append else b"") + data
                dataset.members[ref.member] = stored_member(old, ref.member, content, self.login_name, now)
            dataset.referred = now.date()
            dataset.location = "disk"
            catalog.add(dataset)

    def new_dataset(self, name: str, dsorg: Literal["PS", "PO"]) -> Dataset:
        """A data set allocated with the session's SITE attributes."""
        site = self.site
        return Dataset(
            name, dsorg, site.recfm, site.lrecl, site.blksize, volume="Z4USR1", referred=dt.date.today()
        )

    # -- data set management --
    def cmd_DELE(self, argument: str) -> None:
        if self.jes_mode:
            self.cancel_job(argument)
            return
        ref = self.resolve(argument)
        catalog = self.server.catalog
        with catalog.lock:
            dataset = catalog.get(ref.dataset)
            if ref.member is None and dataset is not None:
                catalog.remove(ref.dataset)
            elif ref.member is not None and dataset is not None and ref.member in dataset.members:
                del dataset.members[ref.member]
            else:
                raise CommandFailed(550, f"DELE fails: {ref.key} does not exist.")
        self.reply(250, f"{ref.key} deleted.")

    def cmd_MKD(self, argument: str) -> None:
        ref = self.resolve(argument)
        catalog = self.server.catalog
        with catalog.lock:
            if ref.dataset in catalog:
                raise CommandFailed(550, "MKDIR failed: EDC5117I File exists.")
            catalog.add(self.new_dataset(ref.dataset, "PO"))
        self.reply(257, f"\"'{ref.dataset}'\" created.")

    def cmd_RMD(self, argument: str) -> None:
        ref = self.resolve(argument)
        if self.server.catalog.remove(ref.dataset) is None:
            raise CommandFailed(550, f'"{ref.dataset}" data set does not exist.')
        self.reply(250, f"{ref.dataset} deleted.")

    def cmd_RNFR(self, argument: str) -> None:
        ref = self.resolve(argument)
        dataset = self.server.catalog.get(ref.dataset)
        exists = dataset is not None and (ref.member is None or ref.member in dataset.members)
        if not exists:
            raise CommandFailed(550, f"RNFR fails: {ref.key} does not exist.")
        self._rename_from = ref
        self.reply(350, "RNFR accepted. Please supply new name for RNTO.")

    def cmd_RNTO(self, argument: str) -> None:
        source, self._rename_from = self._rename_from, None
        if source is None:
            raise CommandFailed(503, "RNTO must be preceded by RNFR.")
        target = self.resolve(argument)
        catalog = self.server.catalog
        with catalog.lock:
            self.rename(catalog, source, target)
        self.reply(250, f"{source.key} renamed to {target.key}")

    @staticmethod
    def rename(catalog: Catalog, source: DatasetRef, target: DatasetRef) -> None:
        if source.member is None and target.member is None:
            if target.dataset in catalog:
                raise CommandFailed(550, f"Rename fails: {target.dataset} already exists.")
            catalog.rename(source.dataset, target.dataset)
            return
        dataset = catalog.get(source.dataset)
        if dataset is None or target.dataset != source.dataset or not source.member or not target.member:
            raise CommandFailed(550, "Rename fails: members can only be renamed within their PDS.")
        if target.member in dataset.members:
            raise CommandFailed(550, f"Rename fails: {target.key} already exists.")
        member = dataset.members.pop(source.member)
        member.name = target.member
        dataset.members[target.member] = member

    # -- SITE --
    def cmd_SITE(self, argument: str) -> None:
        if not argument.strip():
            self.reply(202, "SITE not necessary; you may proceed")
            return
        warnings: list[str] = []
        for parameter in argument.split():
            warnings += self.site_parameter(parameter)
        warnings += self.adjust_blksize()
        self.reply(200, "\n".join([*warnings, "SITE command was accepted"]))

    def site_parameter(self, parameter: str) -> list[str]:
        """Apply one ``KEY[=VALUE]``; the warning lines it causes (unknown → Unrecognized)."""
        key, _, value = parameter.upper().partition("=")
        site = self.site
        numeric = {
            "LRECL": "lrecl",
            "BLKSIZE": "blksize",
            "BLOCKSIZE": "blksize",
            "DIRECTORY": "directory",
            "JESENTRYLIMIT": "jes_entry_limit",
        }
        textual = {"RECFM": "recfm", "JESJOBNAME": "jes_jobname", "JESOWNER": "jes_owner"}
        if key in numeric and value.isdigit():
            setattr(site, numeric[key], int(value))
        elif key in textual and value:
            setattr(site, textual[key], value)
        elif key == "FILETYPE" and value in ("SEQ", "JES", "SQL"):
            site.filetype = value
        elif key == "JESSTATUS" and value in ("ALL", "INPUT", "ACTIVE", "OUTPUT"):
            site.jes_status = value
        elif key not in _ALLOCATION_WORDS:
            return [f"Unrecognized parameter '{parameter}' on SITE command."]
        return []

    def adjust_blksize(self) -> list[str]:
        """For fixed records BLKSIZE must be a multiple of LRECL; round down and say so."""
        site = self.site
        if not site.recfm.startswith("F") or site.lrecl <= 0 or site.blksize % site.lrecl == 0:
            return []
        site.blksize = max(site.lrecl, site.blksize // site.lrecl * site.lrecl)
        return [
            f"BLOCKSIZE must be a multiple of LRECL for RECFM {site.recfm}",
            f"BLOCKSIZE being set to {site.blksize}",
        ]

    # -- JES --
    @property
    def jes_mode(self) -> bool:
        return self.site.filetype == "JES"

    def jes_filters(self) -> str:
        site = self.site
        return f"JESJOBNAME={site.jes_jobname}, JESSTATUS={site.jes_status} and JESOWNER={site.jes_owner}"

    def selected_jobs(self) -> list[Job]:
        site = self.site
        return self.server.jobs.matching(site.jes_jobname, site.jes_owner, site.jes_status)

    def job_listing(self, argument: str) -> tuple[list[str], str]:
        """Rows for LIST in JES mode (``LIST jobid``: that job's spool files) and the
        JESENTRYLIMIT warning, if any."""
        text = argument.strip().upper()
        if text and not text.startswith("-") and "*" not in text:
            return job_detail(self.find_job(text)), ""
        level = self.server.jes_interface_level
        rows, warning = self.limited([job_row(job, level) for job in self.selected_jobs()])
        return ([JES_HEADER, *rows] if level == 2 else rows), warning

    def limited(self, rows: list[str]) -> tuple[list[str], str]:
        """At most JESENTRYLIMIT rows; 550 when there are none."""
        if not rows:
            raise CommandFailed(550, f"No jobs found on Held queue for {self.jes_filters()}")
        limit = self.site.jes_entry_limit
        if len(rows) <= limit:
            return rows, ""
        return rows[:limit], f"JESENTRYLIMIT of {limit} reached.  Additional entries not displayed\n"

    def find_job(self, jobid: str) -> Job:
        job = self.server.jobs.get(jobid)
        if job is None:
            raise CommandFailed(550, f"Jobid {jobid} not found for {self.jes_filters().replace(' and', ',')}")
        return job

    def retrieve_spool(self, argument: str) -> None:
        jobid, _, which = argument.strip().upper().partition(".")
        job = self.find_job(jobid)
        if which in ("", "X"):
            self.reply(125, "Sending all spool files for requested Jobid")
            text = job.all_spool()
        else:
            spool = (
                job.spool[int(which) - 1] if which.isdigit() and 0 < int(which) <= len(job.spool) else None
            )
            if spool is None:
                raise CommandFailed(550, f"Spool file {which} not found for {jobid}")
            self.reply(125, f"Sending data set {job.spool_dataset_name(spool)}")
            text = f"{spool.text.rstrip(chr(10))}\n"
        self.send_data(self.to_wire(text.encode("utf-8")))
        self.reply(250, "Transfer completed successfully.")

    def submit_job(self) -> None:
        self.reply(125, "Sending Job to JES internal reader FIXrecfm 80")
        jcl = self.from_wire(self.receive_data()).decode("utf-8", "replace")
        job = self.server.jobs.submit(jcl, self.login_name, dt.datetime.now())
        self.reply(250, f"It is known to JES as {job.jobid}\nTransfer completed successfully.")

    def cancel_job(self, argument: str) -> None:
        jobid = argument.strip().upper()
        self.find_job(jobid)
        self.server.jobs.cancel(jobid)
        self.reply(250, "Cancel successful")


# --- the server ------------------------------------------------------------------------------


class ZosServer(ScriptedServer):
    """A z/OS-like FTP server with a shared catalog, JES spool and scripted contention.

    ``catalog``/``jobs``: None builds the sample ones for every user (``large_catalog`` adds that
    many generated data sets under ``<first user>.BULK``). ``users``: user → password (user
    names are case-insensitive, as on z/OS). ``jes_interface_level``: 1 or 2 (listing format).
    Other keyword arguments go to :class:`ScriptedServer`.
    """

    def __init__(
        self,
        catalog: Catalog | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: ssl.SSLContext | None = None,
        tls_mode: TLSMode = "none",
        *,
        users: Mapping[str, str | None] | None = None,
        ccc_mode: CCCModeName = "notify",
        jobs: JobQueue | None = None,
        jes_interface_level: int = 2,
        large_catalog: int = 0,
        hostname: str = "ZOS.DEMO.LOCAL",
        session_class: type[ZosSession] = ZosSession,
        **options: Any,
    ) -> None:
        table = {name.upper(): password for name, password in (users or {DEMO_USER: DEMO_PASSWORD}).items()}
        super().__init__(session_class, host, port, tls, tls_mode, users=table, ccc_mode=ccc_mode, **options)
        if jes_interface_level not in (1, 2):
            raise ValueError("jes_interface_level must be 1 or 2")
        first_user = next(iter(table))
        self.catalog = catalog if catalog is not None else sample_catalog(list(table), large_catalog)
        self.jobs = jobs if jobs is not None else sample_jobs(first_user)
        self.jes_interface_level = jes_interface_level
        self.hostname = hostname
        self.contention = Contention()

    def check_password(self, user: str, password: str) -> bool:
        return super().check_password(user.upper(), password)

    def hold(
        self,
        name: str,
        waits: int = 2,
        interval: float = 0.2,
        then: Literal["succeed", "fail"] = "succeed",
        holder: str = DEFAULT_HOLDER,
    ) -> None:
        """The next RETR/STOR of ``name`` (``DSN`` or ``DSN(MEMBER)``) waits like DSWAITTIME:
        ``waits`` blocks of 125- lines ``interval`` s apart, then data (``"succeed"``) or 550."""
        if then not in ("succeed", "fail") or waits < 0:
            raise ValueError("hold needs waits >= 0 and then='succeed' or 'fail'")
        self.contention.hold(name, Hold(waits, interval, then, holder))

    def hold_exclusive(self, name: str, failures: int = 1) -> None:
        """The next ``failures`` accesses of ``name`` fail at once with ``550 ... used
        exclusively by someone else.`` (no DSWAITTIME); later ones succeed."""
        self.contention.hold_exclusive(name, failures)

    def release(self, name: str) -> None:
        self.contention.release(name)


TLSFiles = tuple["str | os.PathLike[str]", "str | os.PathLike[str]"]


def start_zos_demo(
    tls_files: TLSFiles | Any | None = None,
    large_catalog: int = 0,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    tls_mode: TLSMode | None = None,
    ccc_mode: CCCModeName = "notify",
) -> ZosServer:
    """Start a z/OS demo server with the sample catalog (plus ``large_catalog`` data sets).

    ``tls_files``: ``(cert_file, key_file)`` or an object with ``cert``/``key`` paths (such as
    :class:`tui_ftp.demo.certs.CertFiles`); with it the server offers explicit TLS unless
    ``tls_mode`` says otherwise. Log in as :data:`DEMO_USER` / :data:`DEMO_PASSWORD`.
    """
    context = None
    if tls_files is not None:
        cert, key = _cert_and_key(tls_files)
        context = server_tls_context(cert, key)
    mode: TLSMode = tls_mode or ("explicit" if context is not None else "none")
    server = ZosServer(
        host=host, port=port, tls=context, tls_mode=mode, ccc_mode=ccc_mode, large_catalog=large_catalog
    )
    return server.start()


def _cert_and_key(tls_files: Any) -> tuple[str, str]:
    if hasattr(tls_files, "cert") and hasattr(tls_files, "key"):
        return os.fspath(tls_files.cert), os.fspath(tls_files.key)
    cert, key = tls_files
    return os.fspath(cert), os.fspath(key)
