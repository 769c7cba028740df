"""Hide a password given in a URL argument from ``ps`` and ``/proc/PID/cmdline``.

Any user on the machine can read another process's command line, so ``tui-ftp get
ftp://user:secret@host/f`` would show ``secret`` for as long as the transfer runs. Linux exposes
the command line straight from the process's own memory (the area between ``arg_start`` and
``arg_end`` in ``/proc/self/stat``), so overwriting the password there hides it from then on.
The password is replaced by ``*`` of the same length: the area cannot grow, and shrinking it would
split or shift the arguments. Python's ``sys.argv`` is a copy and keeps the real value.

It cannot help the few milliseconds before ``main`` runs; README still recommends
``--password-env`` for cron jobs.
"""

from __future__ import annotations

import re

# scheme://user:password@host — the password is everything after the user's first ':' up to the
# last '@' of the authority (a password may itself contain '@' or ':').
_AUTHORITY = re.compile(rb"^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)")


def scrub_url_password(argument: bytes) -> bytes:
    """``argument`` with the password of a URL in it replaced by ``*`` (same length)."""
    match = _AUTHORITY.match(argument)
    if match is None:
        return argument
    userinfo, at, _host = match.group(1).rpartition(b"@")
    user, colon, password = userinfo.partition(b":")
    if not at or not colon or not password:
        return argument
    start = match.start(1) + len(user) + 1
    return argument[:start] + b"*" * len(password) + argument[start + len(password) :]


def scrub_arguments(area: bytes) -> bytes:
    """The NUL-separated argument area with every URL password starred out."""
    return b"\0".join(scrub_url_password(argument) for argument in area.split(b"\0"))


def hide_passwords_from_process_list() -> bool:
    """Overwrite URL passwords in this process's own argument area; True if one was found.

    The command line as the kernel shows it decides first: without a password in it (the usual
    case) nothing else is read and ``ctypes`` is not even imported.
    """
    try:
        with open("/proc/self/cmdline", "rb") as cmdline:
            shown = cmdline.read()
    except OSError:
        return False
    if scrub_arguments(shown) == shown:
        return False
    import ctypes

    area = _argument_area(shown)
    if area is None:
        return False
    start, original = area
    scrubbed = scrub_arguments(original)
    ctypes.memmove(start, scrubbed, len(scrubbed))
    return True


def _argument_area(shown: bytes) -> tuple[int, bytes] | None:
    """The address and bytes of the command line ``shown`` in this process's memory (None if not Linux)."""
    import ctypes

    try:
        with open("/proc/self/stat", "rb") as stat:
            fields = stat.read().rpartition(b")")[2].split()
    except OSError:
        return None
    # After "pid (comm)", the first field is field 3 (state): arg_start is 48, arg_end is 49.
    if len(fields) < 47:
        return None
    start, end = int(fields[45]), int(fields[46])
    if not start or end <= start:
        return None
    original = ctypes.string_at(start, end - start)
    if original.rstrip(b"\0") != shown.rstrip(b"\0"):
        return None  # the area was moved (e.g. by a process-title library): leave it alone
    return start, original
