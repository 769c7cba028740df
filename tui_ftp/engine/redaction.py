"""The passwords this process was given, so that text leaving it (a crash report) can be cleaned.

Logs and events never carry a password in the first place (``PASS ****``, ``repr=False``). A bug's
traceback is different: its messages can hold anything. Every password the program is handed
(connection options, the master password) is remembered here, and :func:`redact` replaces each one,
any ``scheme://user:password@`` and any ``PASS`` argument with ``****``.
"""

from __future__ import annotations

import re
import threading

MASK = "****"

_secrets: set[str] = set()
_lock = threading.Lock()

# The password ends at the authority's last '@' (it may contain '@' or ':' itself).
_URL_PASSWORD = re.compile(r"(?P<head>\b[A-Za-z][A-Za-z0-9+.-]*://[^:/?#@\s]*:)[^/?#\s]*@")
_PASS_ARGUMENT = re.compile(r"(?im)\b(PASS\s+)\S.*$")


def remember_secret(value: str) -> None:
    """Add ``value`` to the strings :func:`redact` removes (thread-safe; empty values ignored)."""
    if value:
        with _lock:
            _secrets.add(value)


def redact(text: str) -> str:
    """``text`` without any remembered password, URL password or ``PASS`` argument."""
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)  # a longer secret may contain a shorter one
    for secret in secrets:
        for form in {secret, repr(secret)[1:-1]}:  # as written, and as it appears inside a repr()
            text = text.replace(form, MASK)
    text = _URL_PASSWORD.sub(rf"\g<head>{MASK}@", text)
    return _PASS_ARGUMENT.sub(rf"\g<1>{MASK}", text)
