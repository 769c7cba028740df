"""The batch commands: ls, get, put, rm, mkdir, mv, quote. One connection each, no TUI.

Each command gets a logged-in :class:`FTPSession` and the :class:`Target` its URL named, and
returns an :class:`ExitCode`; errors are raised and turned into exit codes by the caller.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..display import exact_size, safe_text, short_time
from ..engine.errors import PermanentReplyError, UsageError
from ..engine.listing import Entry
from ..engine.listing.model import EntryKind
from ..engine.options import ServerType, TransferType, parse_url
from ..engine.safepath import check_remote_name, safe_local_path
from ..engine.session import FTPSession
from ..engine.transfer import PART_SUFFIX
from .connect import Target
from .exitcodes import ExitCode
from .output import Reporter
from .tree import (
    TransferSettings,
    TreeReport,
    download_file,
    download_tree,
    is_remote_folder,
    remote_basename,
    remote_folder,
    upload_tree,
)

Command = Callable[[FTPSession, Target, argparse.Namespace, Reporter], ExitCode]
_KIND_LETTERS = {EntryKind.FILE: "-", EntryKind.DIR: "d", EntryKind.LINK: "l", EntryKind.OTHER: "?"}


# -- ls -----------------------------------------------------------------------------------------


def run_ls(session: FTPSession, target: Target, args: argparse.Namespace, out: Reporter) -> ExitCode:
    entries = remote_folder(session, target.path).entries(session)  # z/OS: CWD into a PDS lists its members
    if args.json:
        print(json.dumps([entry_json(entry) for entry in entries], indent=1))
    else:
        mvs = session.server_type is ServerType.MVS
        for entry in entries:
            print(entry_line(entry, mvs))
    return ExitCode.OK


def entry_json(entry: Entry) -> dict[str, Any]:
    """One entry for ``ls --json`` (ASCII-only JSON: undecodable bytes stay escaped, never raw)."""
    return {
        "name": entry.name,
        "type": entry.kind.value,
        "size": entry.size,
        "modified": entry.modified.isoformat() if entry.modified else None,
        "permissions": entry.permissions,
        "owner": entry.owner,
        "group": entry.group,
        "link_target": entry.link_target,
        "attrs": dict(entry.attrs or {}),
    }


def entry_line(entry: Entry, mvs: bool = False) -> str:
    """``d rwxr-xr-x        4,096  2024-01-02 10:00  name`` (z/OS: with the data set attributes)."""
    if entry.unparsed:
        return safe_text(entry.raw)
    name = safe_text(entry.name)
    if entry.link_target:
        name += f" -> {safe_text(entry.link_target)}"
    if mvs and entry.attrs:
        name += "  " + " ".join(f"{key}={safe_text(value)}" for key, value in entry.attrs.items() if value)
    permissions = safe_text(entry.permissions)[:10]
    return f"{_KIND_LETTERS[entry.kind]} {permissions:<10} {exact_size(entry.size):>15}  {short_time(entry.modified):16}  {name}"


# -- get ----------------------------------------------------------------------------------------


def run_get(session: FTPSession, target: Target, args: argparse.Namespace, out: Reporter) -> ExitCode:
    settings = TransferSettings(_transfer_type(args), args.resume)
    name = remote_basename(target.path) or target.options.host
    local = _local_destination(args.local, name)
    if args.recursive:
        report = TreeReport()
        download_tree(session, remote_folder(session, target.path), local, settings, report)
        return _finish_tree(report, out, "downloaded")
    if not target.path:
        raise UsageError("name the remote file in the URL (or use -r to download the whole folder)")
    received = download_file(session, target.path, local, settings, name)
    out.transfer_done()
    _summary(out, f"downloaded {local} ({exact_size(received)} bytes)")
    return ExitCode.OK


def _local_destination(given: str | None, remote_name: str) -> Path:
    """cp's rule: into an existing folder under the remote name, else exactly the path given."""
    if given is None:
        return safe_local_path(Path.cwd(), remote_name)
    path = Path(given).expanduser()
    return safe_local_path(path, remote_name) if path.is_dir() else path


# -- put ----------------------------------------------------------------------------------------


def run_put(session: FTPSession, target: Target, args: argparse.Namespace, out: Reporter) -> ExitCode:
    local = Path(args.local).expanduser()
    settings = TransferSettings(_transfer_type(args), args.resume)

    def upload(source: Path, remote: str) -> int:
        sent = atomic_upload(session, source, remote, settings, str(source))
        out.transfer_done()
        return sent

    if args.recursive:
        if not local.is_dir():
            raise UsageError(f"{local} is not a folder (-r uploads a folder)")
        report = TreeReport()
        upload_tree(session, local, _remote_destination(session, target.path, local.name), upload, report)
        return _finish_tree(report, out, "uploaded")
    if local.is_dir():
        raise UsageError(f"{local} is a folder: use -r to upload it with its contents")
    remote = _remote_destination(session, target.path, local.name)
    sent = upload(local, remote)
    _summary(out, f"uploaded {remote} ({exact_size(sent)} bytes)")
    return ExitCode.OK


def _remote_destination(session: FTPSession, path: str, local_name: str) -> str:
    """cp's rule on the server: into an existing folder under the local name, else ``path`` itself."""
    if session.server_type is ServerType.MVS and path and not path.startswith("/"):
        return path  # a data set or member, as z/OS users name it (CWD works for any prefix: no test)
    if not path or path.endswith("/") or is_remote_folder(session, path):
        return posixpath.join(path, local_name) if path else local_name
    return path


def atomic_upload(session: FTPSession, source: Path, remote: str, settings: TransferSettings, transfer_id: str) -> int:
    """Upload to ``remote.part``, then rename: the real name only ever holds a complete file.

    z/OS data sets have no temporary form (a qualifier cannot be appended freely): they are
    written directly. With resume, a complete file already on the server is left alone and a
    partial ``.part`` is continued.
    """
    if session.server_type is ServerType.MVS and not remote.startswith("/"):
        return session.upload(
            source, remote, transfer_type=settings.transfer_type, resume=settings.resume, transfer_id=transfer_id
        )
    if settings.resume and _remote_complete(session, source, remote):
        return 0
    part = remote + PART_SUFFIX
    sent = session.upload(source, part, transfer_type=settings.transfer_type, resume=settings.resume, transfer_id=transfer_id)
    _replace_remote(session, part, remote)
    return sent


def _remote_complete(session: FTPSession, source: Path, remote: str) -> bool:
    try:
        size = source.stat().st_size
    except OSError:
        return False  # the upload itself reports the local error
    return session.size(remote) == size


def _replace_remote(session: FTPSession, part: str, remote: str) -> None:
    """RNFR/RNTO; servers that refuse to rename over an existing file get it deleted first."""
    try:
        session.rename(part, remote)
    except PermanentReplyError:
        with contextlib.suppress(PermanentReplyError):
            session.delete(remote)
        session.rename(part, remote)


# -- rm, mkdir, mv, quote -----------------------------------------------------------------------


def run_rm(session: FTPSession, target: Target, args: argparse.Namespace, out: Reporter) -> ExitCode:
    _require_path(target, "rm")
    if args.dir:
        session.rmdir(target.path)
    else:
        session.delete(target.path)
    return ExitCode.OK


def run_mkdir(session: FTPSession, target: Target, args: argparse.Namespace, out: Reporter) -> ExitCode:
    _require_path(target, "mkdir")
    if not args.parents:
        session.mkdir(target.path)
        return ExitCode.OK
    for prefix in _path_prefixes(target.path):
        if not is_remote_folder(session, prefix):
            session.mkdir(prefix)
    return ExitCode.OK


def _path_prefixes(path: str) -> list[str]:
    """``/a/b/c`` → ``/a``, ``/a/b``, ``/a/b/c``."""
    parts = [part for part in path.split("/") if part]
    lead = "/" if path.startswith("/") else ""
    return [lead + "/".join(parts[: index + 1]) for index in range(len(parts))]


def run_mv(session: FTPSession, target: Target, args: argparse.Namespace, out: Reporter) -> ExitCode:
    _require_path(target, "mv")
    destination = args.target
    if "://" in destination:
        parsed = parse_url(destination)
        if parsed.options.host.lower() != target.options.host.lower():
            raise UsageError("mv renames on one server: the target URL names another host")
        destination = parsed.path
    session.rename(target.path, destination)
    return ExitCode.OK


def run_quote(session: FTPSession, target: Target, args: argparse.Namespace, out: Reporter) -> ExitCode:
    if target.path:
        session.cwd(target.path)
    reply = session.quote(args.raw)
    for line in reply.lines:
        print(safe_text(line))
    return ExitCode.OK if reply.code < 400 else ExitCode.REMOTE


def run_jes(session: FTPSession, target: Target, args: argparse.Namespace, out: Reporter) -> ExitCode:
    """``jes submit URL FILE`` prints the job id; ``jes ls URL``; ``jes get URL JOBID [LOCAL]``."""
    if args.action == "ls":
        jobs = session.list_jobs()
        if args.json:
            print(json.dumps([entry_json(entry) for entry in jobs], indent=1))
        else:
            for entry in jobs:
                print(entry_line(entry, mvs=True))
        return ExitCode.OK
    if not args.item:
        raise UsageError(f"jes {args.action}: name the {'JCL file' if args.action == 'submit' else 'job id'}")
    if args.action == "submit":
        print(session.submit_job(Path(args.item).expanduser()))
        return ExitCode.OK
    local = Path(args.local or f"{check_remote_name(args.item)}.txt").expanduser()
    session.job_output(args.item, local)
    _summary(out, f"spool output of {safe_text(args.item)} written to {local}")
    return ExitCode.OK


def _require_path(target: Target, command: str) -> None:
    if not target.path:
        raise UsageError(f"{command}: name the remote file or folder in the URL")


# -- shared -------------------------------------------------------------------------------------


def _transfer_type(args: argparse.Namespace) -> TransferType | None:
    return {"ascii": TransferType.ASCII, "binary": TransferType.BINARY}.get(args.transfer_type or "")


def _finish_tree(report: TreeReport, out: Reporter, verb: str) -> ExitCode:
    out.transfer_done()
    for path, reason in report.skipped:
        out.warn(f"skipped {safe_text(path)}: {safe_text(reason)}")
    _summary(out, f"{verb} {report.files:,} files in {report.folders:,} folders ({exact_size(report.bytes)} bytes)")
    return ExitCode.SKIPPED if report.skipped else ExitCode.OK


def _summary(out: Reporter, text: str) -> None:
    """A closing line for people watching; batch jobs (no terminal) stay silent on success."""
    if out.stderr.isatty() or out.verbose:
        out.say(text)


BATCH_RUNNERS: dict[str, Command] = {
    "ls": run_ls,
    "get": run_get,
    "put": run_put,
    "rm": run_rm,
    "mkdir": run_mkdir,
    "mv": run_mv,
    "quote": run_quote,
    "jes": run_jes,
}

