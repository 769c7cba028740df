"""The engine as a contender: one process per run, like curl and lftp, so wall time and CPU compare.

Run as a script (``python tests/benchmarks/engine_driver.py ...``): it imports only the engine, opens
one :class:`FTPSession`, does one operation, closes. The password comes from ``BENCH_FTP_PASSWORD``.

Operations: ``get REMOTE LOCAL``, ``put LOCAL REMOTE``, ``list FOLDER`` (list + parse; the result
is the entry count), ``mget FOLDER LOCAL_FOLDER`` (list, then every file on the same connection).

It prints one JSON object: ``result`` (what the runner checks) and ``session_seconds``, the time from
connecting to closing: the operation as the app does it, without the interpreter's start and imports.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from tui_ftp.engine.listing import EntryKind
from tui_ftp.engine.options import ConnectOptions, Security, TLSOptions
from tui_ftp.engine.session import FTPSession

PASSWORD_VARIABLE = "BENCH_FTP_PASSWORD"


def options_from(args: argparse.Namespace) -> ConnectOptions:
    return ConnectOptions(
        host=args.host,
        port=args.port,
        user=args.user,
        password=os.environ.get(PASSWORD_VARIABLE, ""),
        security=Security.EXPLICIT_TLS if args.tls else Security.PLAIN,
        tls=TLSOptions(ca_file=args.ca_file),
    )


def run(session: FTPSession, operation: str, first: str, second: str | None) -> str:
    """Do one operation; the returned text is printed (what the runner checks)."""
    if operation == "get":
        return str(session.download(first, Path(second or Path(first).name)))
    if operation == "put":
        return str(session.upload(Path(first), second or Path(first).name))
    if operation == "list":
        return str(len(session.list_dir(first)))
    if operation == "mget":
        return str(download_folder(session, first, Path(second or ".")))
    raise SystemExit(f"unknown operation {operation!r}")


def download_folder(session: FTPSession, folder: str, local: Path) -> int:
    """Every plain file of ``folder`` into ``local``, one after the other on this session."""
    local.mkdir(parents=True, exist_ok=True)
    count = 0
    for entry in session.list_dir(folder):
        if entry.kind is EntryKind.FILE:
            session.download(f"{folder}/{entry.name}", local / entry.name)
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="one engine operation, for the benchmark runner")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--tls", action="store_true", help="explicit TLS, PROT P")
    parser.add_argument("--ca-file")
    parser.add_argument("operation", choices=("get", "put", "list", "mget"))
    parser.add_argument("first")
    parser.add_argument("second", nargs="?")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with FTPSession(options_from(args)) as session:
        result = run(session, args.operation, args.first, args.second)
    print(json.dumps({"result": result, "session_seconds": time.perf_counter() - started}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
