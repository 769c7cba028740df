"""The command line grammar: one parser per subcommand, every connection option shared by all.

Options may come anywhere after the subcommand, mixed with its arguments, as users of git and curl
expect (``tui-ftp get URL LOCAL --ca-file CA``). Without a subcommand the TUI opens:
``tui-ftp``, ``tui-ftp URL``, ``tui-ftp --site NAME``, ``tui-ftp --demo [--zos]``.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from .. import __version__
from .exitcodes import exit_code_table

OPEN_COMMAND = "open"
BATCH_COMMANDS = ("ls", "get", "put", "rm", "mkdir", "mv", "quote", "jes", "probe")
COMMANDS = (OPEN_COMMAND, *BATCH_COMMANDS)
CCC_CHOICES = ("notify", "nonotify")
_CCC_MODE = "--ccc-mode"

_DESCRIPTION = """\
A keyboard-first dual-pane FTP/FTPS client, and batch commands for scripts and cron.

  tui-ftp                         open the TUI with the site manager
  tui-ftp URL | --site NAME       open the TUI connected
  tui-ftp --demo [--zos]          start a throwaway FTPS demo server on 127.0.0.1 and open it
  tui-ftp COMMAND ... [OPTIONS]   run one batch command (no TUI); see tui-ftp COMMAND --help

URLs: ftp://host plain FTP, ftpes://host explicit TLS (AUTH TLS, required), ftps://host implicit
TLS (port 990). User and password may be given: ftpes://user:password@host:port/path. A z/OS data
set is written as z/OS users do: ftp://host/'USER1.PDS(MEMBER)' (quoted = fully qualified).
Passwords come from the URL, --password-env VAR, ~/.netrc, the site's saved password, or a prompt
when a terminal is attached (never a prompt in batch jobs without one).
"""

_EPILOG = f"""\
exit codes:
{exit_code_table()}
"""

_COMMAND_HELP = {
    OPEN_COMMAND: "open the TUI (the default when no command is given)",
    "ls": "list a remote folder (--json for scripts)",
    "get": "download a file, or a folder with -r",
    "put": "upload a file, or a folder with -r",
    "rm": "delete a remote file (or an empty folder with --dir)",
    "mkdir": "create a remote folder (-p: with its parents)",
    "mv": "rename or move a remote file or folder",
    "quote": "send one raw command, e.g. 'SITE RECFM=FB LRECL=80'",
    "jes": "z/OS JES: submit a JCL file, list jobs, or fetch a job's spool output",
    "probe": "connection doctor: what the server supports and what works",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tui-ftp",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"tui-ftp {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    shared = _connection_options()
    for name in COMMANDS:
        sub = subparsers.add_parser(
            name,
            parents=[shared],
            help=_COMMAND_HELP[name],
            description=_COMMAND_HELP[name],
            epilog=_EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _COMMAND_ARGUMENTS[name](sub)
    return parser


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """Parse ``argv``; without a subcommand first, it is the TUI's ``open`` command."""
    arguments = _split_ccc_value(argv)
    if not arguments or (arguments[0] not in COMMANDS and arguments[0] not in ("-h", "--help", "--version")):
        arguments.insert(0, OPEN_COMMAND)
    return build_parser().parse_args(arguments)


def _split_ccc_value(argv: Sequence[str]) -> list[str]:
    """``--ccc=nonotify`` → ``--ccc-mode nonotify``: a bare ``--ccc`` then never eats the URL after it."""
    arguments: list[str] = []
    for token in argv:
        if token.startswith("--ccc="):
            arguments += [_CCC_MODE, token.removeprefix("--ccc=")]
        else:
            arguments.append(token)
    return arguments


# -- per command ----------------------------------------------------------------------------------


def _open_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", nargs="?", help="connect to this URL at start")
    parser.add_argument("--demo", action="store_true", help="start the embedded FTPS demo server and open it")
    parser.add_argument("--zos", action="store_true", help="with --demo: the z/OS-like demo server")


def _ls_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", nargs="?", help="URL of the folder (with --site: a path, default the site's folder)")
    parser.add_argument("--json", action="store_true", help="one JSON array of entries on stdout")


def _get_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", help="URL of the remote file or folder (with --site: a path)")
    parser.add_argument("local", nargs="?", help="local file or folder (default: the remote name, here)")
    _transfer_flags(parser)


def _put_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("local", help="local file or folder")
    parser.add_argument("url", help="URL of the remote file or folder (with --site: a path)")
    _transfer_flags(parser)


def _transfer_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-r", "--recursive", action="store_true", help="copy a whole folder")
    parser.add_argument("--resume", action="store_true", help="continue partial files instead of starting again")


def _rm_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", help="URL of the remote file")
    parser.add_argument("-d", "--dir", action="store_true", help="remove an empty folder (RMD) instead")


def _mkdir_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", help="URL of the folder to create")
    parser.add_argument("-p", "--parents", action="store_true", help="create missing parent folders too")


def _mv_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", help="URL of the remote file or folder")
    parser.add_argument("target", help="new path on the same server (absolute, or relative to the login folder)")


def _quote_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", help="URL of the server (a path in it is entered first with CWD)")
    parser.add_argument("raw", help="the command, exactly as sent: 'SITE RECFM=FB LRECL=80'")


def _jes_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("submit", "ls", "get"), help="submit JCL, list jobs, or get a job's output")
    parser.add_argument("url", help="URL of the z/OS server")
    parser.add_argument("item", nargs="?", help="submit: the local JCL file; get: the job id (J0nnnnnn)")
    parser.add_argument("local", nargs="?", help="get: where to write the spool output (default JOBID.txt)")
    parser.add_argument("--json", action="store_true", help="ls: the jobs as JSON")


def _probe_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", help="URL of the server")
    parser.add_argument("--json", action="store_true", help="the report as JSON on stdout")
    parser.add_argument(
        "--implicit-port", type=int, default=990, metavar="PORT", help="where to try implicit TLS (default 990)"
    )


_COMMAND_ARGUMENTS = {
    OPEN_COMMAND: _open_arguments,
    "ls": _ls_arguments,
    "get": _get_arguments,
    "put": _put_arguments,
    "rm": _rm_arguments,
    "mkdir": _mkdir_arguments,
    "mv": _mv_arguments,
    "quote": _quote_arguments,
    "jes": _jes_arguments,
    "probe": _probe_arguments,
}


# -- the shared connection options ---------------------------------------------------------------


def _connection_options() -> argparse.ArgumentParser:
    """Every option that shapes a connection; the same names and meanings as the site manager."""
    parent = argparse.ArgumentParser(add_help=False)
    _login_options(parent.add_argument_group("login"))
    _security_options(parent.add_argument_group("security"))
    _certificate_options(parent.add_argument_group("certificates"))
    _network_options(parent.add_argument_group("data connection and firewall"))
    _timing_options(parent.add_argument_group("timeouts and retries"))
    _transfer_options(parent.add_argument_group("transfers"))
    _output_options(parent.add_argument_group("output"))
    return parent


def _login_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument("--site", metavar="NAME", help="take every setting from this saved site")
    group.add_argument("-u", "--user", help="login user (instead of the one in the URL)")
    group.add_argument("--password-env", metavar="VAR", help="read the password from this environment variable")


def _security_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument("--auth", choices=("tls", "ssl"), help="explicit TLS with AUTH TLS (default) or AUTH SSL")
    group.add_argument(
        "--ccc",
        action="store_const",
        const="notify",
        help="clear the control channel after login (--ccc=nonotify for z/OS TLSRFCLEVEL CCCNONOTIFY)",
    )
    group.add_argument(_CCC_MODE, dest="ccc", choices=CCC_CHOICES, help=argparse.SUPPRESS)
    group.add_argument("--clear-listings", action="store_true", help="PROT C for listings (unencrypted)")
    group.add_argument("--clear-data", action="store_true", help="PROT C for file transfers (unencrypted)")
    group.add_argument("--zos-implicit", action="store_true", help="implicit TLS, z/OS style: 220 greeting in clear first")


def _certificate_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument("--ca-file", metavar="FILE", help="PEM file of the CA(s) that signed the server certificate")
    group.add_argument("--fingerprint", metavar="SHA256", help="trust exactly this server certificate")
    group.add_argument("--no-verify-hostname", action="store_true", help="check the chain but not the host name")
    group.add_argument("--cert", metavar="FILE", help="client certificate (PEM)")
    group.add_argument("--key", metavar="FILE", help="private key of the client certificate (PEM)")
    group.add_argument("--tls-min", choices=("1.2", "1.3"), help="lowest TLS version")
    group.add_argument("--tls-max", choices=("1.2", "1.3"), help="highest TLS version")


def _network_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument("--active", action="store_true", help="active mode: the server connects back (EPRT/PORT)")
    group.add_argument("--no-epsv", action="store_true", help="classic PASV (or PORT with --active) instead of EPSV/EPRT")
    group.add_argument("--trust-pasv-ip", action="store_true", help="connect to the address in the 227 reply")
    group.add_argument("--port-range", metavar="LO-HI", help="local ports for active data connections")
    group.add_argument("--source-ip", metavar="ADDR", help="local address to connect from")


def _timing_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument("--keepalive", type=int, metavar="SECONDS", help="TCP keepalive idle time (0 = off)")
    group.add_argument("--noop", type=int, metavar="SECONDS", help="NOOP after this many idle seconds")
    group.add_argument("--timeout", type=float, metavar="SECONDS", help="connect and reply timeout")
    group.add_argument("--retries", type=int, metavar="N", help="connect retries, with a growing pause")
    group.add_argument("--contention-retries", type=int, metavar="N", help="z/OS: retries while a data set is held")
    group.add_argument("--contention-wait", type=float, metavar="SECONDS", help="z/OS: pause between those retries")


def _transfer_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument(
        "--site-cmd",
        action="append",
        default=[],
        metavar="'RECFM=FB ...'",
        help="sent after login: SITE parameters or a full command (repeatable)",
    )
    kind = group.add_mutually_exclusive_group()
    kind.add_argument("--ascii", action="store_const", const="ascii", dest="transfer_type", help="TYPE A transfers")
    kind.add_argument("--binary", action="store_const", const="binary", dest="transfer_type", help="TYPE I transfers")


def _output_options(group: argparse._ArgumentGroup) -> None:
    group.add_argument("-v", "--verbose", action="store_true", help="print the protocol log on stderr")
    group.add_argument("--log", metavar="FILE", help="append the protocol transcript to FILE (password masked)")
