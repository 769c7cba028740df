"""The ``tui-ftp`` command: the TUI, the demo, and batch commands for scripts and cron.

``main`` parses the arguments, runs one command and turns every error into a clear message on
stderr and a documented exit code (see :mod:`tui_ftp.cli.exitcodes`); no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace

from ..crash import crash_message, write_crash_report
from ..display import safe_text
from ..engine.errors import CertificateError, FTPError, ReplyError, UsageError
from ..sites import SiteError
from .argv_scrub import hide_passwords_from_process_list
from .batch import BATCH_RUNNERS
from .connect import open_session, target_from_args
from .exitcodes import ExitCode, exit_code_for
from .interactive import run_interactive
from .output import Reporter
from .parser import OPEN_COMMAND, parse_arguments
from .tree import session_path

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tui-ftp`` with ``argv`` (default: the process's arguments); return the exit code."""
    if argv is None:
        hide_passwords_from_process_list()
    try:
        args = parse_arguments(sys.argv[1:] if argv is None else argv)
    except SystemExit as stop:  # argparse: --help (0) or a usage error (2), already printed
        return stop.code if isinstance(stop.code, int) else ExitCode.USAGE
    reporter: Reporter | None = None
    try:
        reporter = Reporter(verbose=args.verbose, log_path=args.log)
        return int(_dispatch(args, reporter))
    except KeyboardInterrupt:
        _say(reporter, "interrupted")
        return ExitCode.INTERRUPTED
    except FTPError as error:
        _say(reporter, error_message(error))
        return int(exit_code_for(error))
    except SiteError as error:  # sites file, vault or .netrc unreadable
        _say(reporter, safe_text(str(error)))
        return ExitCode.LOCAL
    except Exception as error:  # a bug: a redacted report file, never a traceback on the terminal
        _say(reporter, crash_message(write_crash_report(error, f"tui-ftp {args.command}")))
        return ExitCode.INTERNAL
    finally:
        if reporter is not None:
            reporter.close()


def _dispatch(args: argparse.Namespace, reporter: Reporter) -> ExitCode:
    if args.command == OPEN_COMMAND:
        return run_interactive(args, reporter)
    if args.command == "probe":
        return _run_probe(args, reporter)
    runner = BATCH_RUNNERS[args.command]
    target = target_from_args(args, args.url, reporter.warn)
    session = open_session(target.options, reporter, reporter.warn)
    try:
        return runner(session, replace(target, path=session_path(session, target.path)), args, reporter)
    finally:
        session.close()


def _run_probe(args: argparse.Namespace, reporter: Reporter) -> ExitCode:
    try:
        from .probe import run_probe
    except ImportError:
        reporter.error("probe: the connection doctor is not part of this build yet")
        return ExitCode.FAILURE
    return ExitCode(run_probe(args, reporter))


def error_message(error: FTPError) -> str:
    """``Title: what happened`` with every piece of server text made safe for the terminal."""
    if isinstance(error, CertificateError):
        return certificate_message(error)
    if isinstance(error, UsageError):
        return safe_text(str(error))
    if isinstance(error, ReplyError):
        lines = [safe_text(line) for line in error.lines] or [str(error.code)]
        command = f" (after {safe_text(error.command)})" if error.command else ""
        return f"{error.title}{command}: " + "\n  ".join(lines)
    return f"{error.title}: {safe_text(str(error))}"


def certificate_message(error: CertificateError) -> str:
    """The refusal, the certificate's facts and fingerprint, and exactly how to trust it."""
    detail = f" ({safe_text(error.detail)})" if error.detail and error.detail != error.reason else ""
    lines = [f"{error.title}: {safe_text(error.reason)}{detail}"]
    certificate = error.certificate
    if certificate is None:
        lines.append("  (the server's certificate could not be fetched to show its fingerprint)")
        return "\n".join(lines)
    lines += [
        f"  subject:     {safe_text(certificate.subject)}",
        f"  issuer:      {safe_text(certificate.issuer)}",
        f"  valid:       {certificate.not_before:%Y-%m-%d} to {certificate.not_after:%Y-%m-%d}",
        f"  names:       {safe_text(', '.join(certificate.alt_names)) or '(none)'}",
        f"  SHA-256:     {certificate.fingerprint}",
        "To trust it, compare the fingerprint with the one the server's administrator gives you, then run",
        f"again with --fingerprint {certificate.fingerprint}",
        "or with --ca-file FILE (the PEM file of the CA that signed it).",
    ]
    if "host name" in error.reason or "IP address" in error.reason:
        lines.append("If only the name differs, --no-verify-hostname keeps the chain check and skips the name.")
    return "\n".join(lines)


def _say(reporter: Reporter | None, text: str) -> None:
    if reporter is not None:
        reporter.error(text)
    else:
        print(f"tui-ftp: {text}", file=sys.stderr)
