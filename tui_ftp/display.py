"""Turning server-supplied text into text that is safe and readable in a terminal.

A remote file name is attacker-controlled. Written raw, ``ESC[2J`` clears the screen, ``ESC]52;...``
writes the user's clipboard, ``\\r`` overwrites the row, and a bidi override makes
``invoice\\u202etxt.exe`` look like ``invoiceexe.txt``. :func:`safe_text` shows every such character
as a visible escape instead, and keeps ordinary Unicode (accents, CJK, emoji) as it is.

It runs on every visible row, so the common case (a printable name) costs one ``str.isprintable``
call; only names that need escaping take the slow path, which is cached.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from functools import lru_cache

import humanize

__all__ = ["exact_size", "human_size", "plural", "safe_text", "short_time"]

# Categories that are never shown raw: controls (C0, DEL, C1), format characters (bidi controls,
# zero-width characters, tags...), lone surrogates, and the line/paragraph separators.
_ESCAPED_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))
# Letters that print as nothing at all (Hangul fillers): the usual invisible-name trick. They are
# printable to ``str.isprintable``, so the fast path checks for them separately.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
_NAMED_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# ``surrogateescape`` decodes an undecodable byte 0xNN as the lone surrogate U+DCNN.
_ESCAPED_BYTE_LOW, _ESCAPED_BYTE_HIGH = 0xDC80, 0xDCFF


def safe_text(text: str) -> str:
    """``text`` with every control, format, bidi and invisible character shown as an escape.

    ``"a\\x1b[2Jb"`` → ``"a\\\\x1b[2Jb"``; a surrogate-escaped byte shows as that byte (``\\xff``);
    tabs, newlines and carriage returns show as ``\\t``, ``\\n``, ``\\r``.
    """
    if text.isprintable() and _INVISIBLE_LETTERS.isdisjoint(text):
        return text
    return _escaped(text)


@lru_cache(maxsize=4096)
def _escaped(text: str) -> str:
    return "".join(map(_char_text, text))


@lru_cache(maxsize=4096)
def _char_text(char: str) -> str:
    """One character as shown: itself when it is safe, else a Python-style escape."""
    if char in _INVISIBLE_LETTERS or unicodedata.category(char) in _ESCAPED_CATEGORIES:
        return _escape(char)
    return char


def _escape(char: str) -> str:
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return named
    code = ord(char)
    if _ESCAPED_BYTE_LOW <= code <= _ESCAPED_BYTE_HIGH:
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def human_size(size: int | None) -> str:
    """A short size for a column: ``4.6 GB``, ``999 B``; empty when unknown."""
    if size is None:
        return ""
    text: str = humanize.naturalsize(size)
    return text.replace(" Bytes", " B").replace(" Byte", " B")


def exact_size(size: int | None) -> str:
    """The exact byte count with thousands separators: ``1,234,567``; empty when unknown."""
    return "" if size is None else f"{size:,}"


def short_time(moment: datetime | None) -> str:
    """``2026-03-25 09:17`` in local time (aware times are converted); empty when unknown."""
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def plural(count: int, noun: str) -> str:
    """``1 folder``, ``2 folders``, ``1,024 files``."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"
