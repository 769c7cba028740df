"""Sans-IO FTP reply reading and reply-text parsers.

:class:`ReplyReader` is fed bytes (``feed``) and hands out events (``next_event``): a
:class:`ReplyLine` for every line as it completes, then a :class:`Reply` when a reply is whole. It
does no I/O, so it is tested by feeding bytes. It enforces the caps a hostile server must not get
past: line length, lines per reply and bytes per reply.

Multi-line rule (RFC 959 §4.2 plus what real servers do): a reply that opens with ``DDD-`` ends at a
line ``DDD<SP>`` with the same code; inner lines may start with digits. Inside a ``1xx-`` block any
``DDD<SP>`` line ends the block (z/OS contention waits end with ``550 ...`` when the wait runs out);
when its code differs, the 1xx block is delivered as one reply and the line starts the next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from .errors import ProtocolError

MAX_LINE_BYTES = 8192
MAX_REPLY_LINES = 10_000
MAX_REPLY_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class Reply:
    """A complete reply: its code and all its lines as received (without line ends)."""

    code: int
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def message(self) -> str:
        """The text after the code on each line, joined: what a person wants to read."""
        return "\n".join(_strip_code(line) for line in self.lines)

    @property
    def is_preliminary(self) -> bool:
        return 100 <= self.code < 200

    @property
    def is_success(self) -> bool:
        return 200 <= self.code < 400


@dataclass(frozen=True, slots=True)
class ReplyLine:
    """One received line, delivered as soon as it is complete (for the log and live parsing)."""

    text: str
    code: int | None  # the line's code when it starts with ``DDD-`` / ``DDD ``; else None


ReaderEvent = ReplyLine | Reply

_CODE_RE = re.compile(r"([1-5]\d\d)([ -]|$)")


def _strip_code(line: str) -> str:
    match = _CODE_RE.match(line)
    return line[4:] if match else line


class ReplyReader:
    """Turns bytes from the control connection into :class:`ReplyLine` and :class:`Reply` events."""

    def __init__(
        self,
        encoding: str = "utf-8",
        max_line_bytes: int = MAX_LINE_BYTES,
        max_reply_lines: int = MAX_REPLY_LINES,
        max_reply_bytes: int = MAX_REPLY_BYTES,
    ) -> None:
        self.encoding = encoding
        self.max_line_bytes = max_line_bytes
        self.max_reply_lines = max_reply_lines
        self.max_reply_bytes = max_reply_bytes
        self._buffer = bytearray()
        self._events: list[ReaderEvent] = []
        self._open_code: int | None = None  # code of the multi-line reply being read
        self._lines: list[str] = []
        self._reply_bytes = 0

    # -- input ---------------------------------------------------------------------------------
    def feed(self, data: bytes) -> None:
        """Add received bytes; complete lines become events. Raises ProtocolError past a cap."""
        self._buffer += data
        start = 0
        while True:
            end = self._buffer.find(b"\n", start)
            if end < 0:
                break
            raw = bytes(self._buffer[start:end])
            start = end + 1
            if raw.endswith(b"\r"):
                raw = raw[:-1]
            self._take_line(raw)
        del self._buffer[:start]
        if len(self._buffer) > self.max_line_bytes:
            raise ProtocolError(f"reply line longer than {self.max_line_bytes} bytes")

    def discard_buffered(self) -> int:
        """Drop everything received but not yet handed out; returns how many bytes and lines.

        Used right after ``234``: bytes that arrive before the TLS handshake must not be trusted
        (curl CVE-2021-22947).
        """
        dropped = len(self._buffer) + sum(len(line) for line in self._lines)
        dropped += sum(len(event.text) for event in self._events if isinstance(event, ReplyLine))
        self._buffer.clear()
        self._events.clear()
        self._lines.clear()
        self._open_code = None
        self._reply_bytes = 0
        return dropped

    @property
    def in_reply(self) -> bool:
        """True while a multi-line reply is open or bytes of a line are buffered."""
        return self._open_code is not None or bool(self._buffer)

    # -- output --------------------------------------------------------------------------------
    def next_event(self) -> ReaderEvent | None:
        """The next event, or None when more bytes are needed."""
        return self._events.pop(0) if self._events else None

    # -- internals -----------------------------------------------------------------------------
    def _take_line(self, raw: bytes) -> None:
        if len(raw) > self.max_line_bytes:
            raise ProtocolError(f"reply line longer than {self.max_line_bytes} bytes")
        text = raw.decode(self.encoding, "surrogateescape")
        match = _CODE_RE.match(text)
        code = int(match.group(1)) if match else None
        self._events.append(ReplyLine(text, code))
        if self._open_code is None:
            self._start_reply(text, code, match)
        else:
            self._continue_reply(text, code, match, len(raw))

    def _start_reply(self, text: str, code: int | None, match: re.Match[str] | None) -> None:
        if code is None or match is None:
            raise ProtocolError(f"malformed reply line: {text[:80]!r}")
        if match.group(2) == "-":
            self._open_code = code
            self._lines = [text]
            self._reply_bytes = len(text)
        else:
            self._events.append(Reply(code, (text,)))

    def _continue_reply(self, text: str, code: int | None, match: re.Match[str] | None, size: int) -> None:
        open_code = self._open_code
        assert open_code is not None
        final = match is not None and match.group(2) != "-"
        if final and code != open_code and open_code < 200:
            self._close_reply()
            self._start_reply(text, code, match)
            return
        self._lines.append(text)
        self._reply_bytes += size
        if len(self._lines) > self.max_reply_lines:
            raise ProtocolError(f"reply longer than {self.max_reply_lines} lines")
        if self._reply_bytes > self.max_reply_bytes:
            raise ProtocolError(f"reply larger than {self.max_reply_bytes} bytes")
        if final and code == open_code:
            self._close_reply()

    def _close_reply(self) -> None:
        assert self._open_code is not None
        self._events.append(Reply(self._open_code, tuple(self._lines)))
        self._open_code = None
        self._lines = []
        self._reply_bytes = 0


# -- parsers of reply text ---------------------------------------------------------------------

_227_RE = re.compile(r"(\d{1,3}),\s*(\d{1,3}),\s*(\d{1,3}),\s*(\d{1,3}),\s*(\d{1,3}),\s*(\d{1,3})")


def parse_227(text: str) -> tuple[str, int]:
    """``227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)`` → (address, port)."""
    match = _227_RE.search(text)
    if not match:
        raise ProtocolError(f"malformed 227 reply: {text[:120]!r}")
    numbers = [int(group) for group in match.groups()]
    if any(number > 255 for number in numbers):
        raise ProtocolError(f"malformed 227 reply (number above 255): {text[:120]!r}")
    port = numbers[4] * 256 + numbers[5]
    if port == 0:
        raise ProtocolError("227 reply with port 0")
    return ".".join(str(number) for number in numbers[:4]), port


_229_RE = re.compile(r"\(([!-~])\1\1(\d{1,5})\1\)")


def parse_229(text: str) -> int:
    """``229 Entering Extended Passive Mode (|||port|)`` → port (RFC 2428; any delimiter 33..126)."""
    match = _229_RE.search(text)
    if not match:
        raise ProtocolError(f"malformed 229 reply: {text[:120]!r}")
    port = int(match.group(2))
    if not 0 < port < 65536:
        raise ProtocolError(f"229 reply with port out of range: {port}")
    return port


def parse_257(text: str) -> str:
    """The quoted path of a 257 reply; an embedded double quote is sent doubled (RFC 959)."""
    start = text.find('"')
    if start < 0:
        raise ProtocolError(f"malformed 257 reply (no quoted path): {text[:120]!r}")
    chars: list[str] = []
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == '"':
            if index + 1 < len(text) and text[index + 1] == '"':
                chars.append('"')
                index += 2
                continue
            return "".join(chars)
        chars.append(char)
        index += 1
    raise ProtocolError(f"malformed 257 reply (unterminated quote): {text[:120]!r}")


def parse_213_size(reply: Reply) -> int:
    """``213 12345`` → 12345."""
    value = reply.lines[-1][4:].strip()
    if not value.isdigit():
        raise ProtocolError(f"malformed SIZE reply: {reply.lines[-1][:120]!r}")
    return int(value)


_MDTM_RE = re.compile(r"(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.(\d{1,6}))?$")


def parse_213_mdtm(reply: Reply) -> datetime:
    """``213 YYYYMMDDHHMMSS[.sss]`` (UTC, RFC 3659) → aware datetime."""
    value = reply.lines[-1][4:].strip()
    match = _MDTM_RE.match(value)
    if not match:
        raise ProtocolError(f"malformed MDTM reply: {reply.lines[-1][:120]!r}")
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction = match.group(7) or "0"
    try:
        return datetime(year, month, day, hour, minute, second, int(fraction.ljust(6, "0")), tzinfo=timezone.utc)
    except ValueError as error:
        raise ProtocolError(f"malformed MDTM reply: {value!r}") from error


def parse_feat(reply: Reply) -> dict[str, str]:
    """FEAT lines → {FEATURE: parameters}; names upper-cased. Non-211 or single-line → {}."""
    features: dict[str, str] = {}
    if reply.code != 211:
        return features
    for line in reply.lines[1:-1]:
        if not line.startswith(" "):
            continue
        name, _, params = line.strip().partition(" ")
        if name:
            features[name.upper()] = params.strip()
    return features
