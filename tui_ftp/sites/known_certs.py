"""Certificates the user chose to trust, pinned by SHA-256 per ``host:port`` (like SSH known_hosts).

The engine reports the server certificate; the UI asks :meth:`KnownCertificates.check` and, on
"unknown" or "changed", shows the fingerprint and lets the user :meth:`~KnownCertificates.pin` it.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import locations
from .errors import SiteFileError
from .files import TomlBacked, TomlDocument

FORMAT_VERSION = 1
_TABLE = "certificate"
_HEADER = "# Server certificates trusted in tui-ftp, by SHA-256 fingerprint. Written by tui-ftp.\n\n"
_FINGERPRINT_PREFIX = re.compile(r"^\s*(?:sha-?256\s*(?:fingerprint)?\s*[=:]?\s*)", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s:]")
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def normalize_fingerprint(text: str) -> str:
    """``ab:cd...`` / ``abcd...`` / ``SHA256 Fingerprint=AB:CD...`` → ``AB:CD:...`` (32 pairs).

    Raises ValueError with a message fit for the user when it is not a SHA-256 fingerprint.
    """
    digits = _SEPARATORS.sub("", _FINGERPRINT_PREFIX.sub("", text))
    if not digits or not set(digits) <= _HEX_DIGITS:
        raise ValueError("a SHA-256 fingerprint holds only hex digits 0-9 and A-F (colons optional)")
    if len(digits) != 64:
        raise ValueError(f"a SHA-256 fingerprint has 64 hex digits, this one has {len(digits)}")
    upper = digits.upper()
    return ":".join(upper[index : index + 2] for index in range(0, 64, 2))


def endpoint_key(host: str, port: int) -> str:
    """``host:port`` with the host lower-cased; IPv6 in brackets (``[::1]:990``)."""
    name = normalize_host(host)
    return f"[{name}]:{port}" if ":" in name else f"{name}:{port}"


def normalize_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


class CertStatus(enum.StrEnum):
    UNKNOWN = "unknown"  # nothing pinned for this host:port
    TRUSTED = "trusted"  # the pinned fingerprint
    CHANGED = "changed"  # a different certificate than the pinned one: warn loudly


@dataclass(frozen=True)
class PinnedCertificate:
    host: str
    port: int
    sha256: str  # normalized: AB:CD:...
    subject: str = ""
    first_seen: datetime | None = None  # when this fingerprint was pinned (UTC)
    note: str = ""

    @property
    def key(self) -> str:
        return endpoint_key(self.host, self.port)


class KnownCertificates(TomlBacked):
    """The pin file (``known_certificates.toml`` in the data folder), mode 0600, written atomically.

    ``check`` raises ValueError for a malformed fingerprint (the engine always gives a valid one).
    """

    _header = _HEADER

    def __init__(self, path: Path | None = None) -> None:
        self._pins: dict[str, PinnedCertificate] = {}
        super().__init__(path or locations.known_certificates_file())

    def check(self, host: str, port: int, fingerprint: str) -> CertStatus:
        """Compare a presented certificate's fingerprint with the pin for ``host:port``."""
        pinned = self.get(host, port)
        if pinned is None:
            return CertStatus.UNKNOWN
        return CertStatus.TRUSTED if pinned.sha256 == normalize_fingerprint(fingerprint) else CertStatus.CHANGED

    def get(self, host: str, port: int) -> PinnedCertificate | None:
        self._refresh()
        return self._pins.get(endpoint_key(host, port))

    def entries(self) -> list[PinnedCertificate]:
        self._refresh()
        return self._sorted()

    def pin(
        self, host: str, port: int, fingerprint: str, subject: str = "", note: str = "", now: datetime | None = None
    ) -> PinnedCertificate:
        """Trust ``fingerprint`` for ``host:port``, replacing an older pin. ValueError if malformed."""
        pinned = PinnedCertificate(
            host=normalize_host(host),
            port=port,
            sha256=normalize_fingerprint(fingerprint),
            subject=subject,
            first_seen=(now or datetime.now(timezone.utc)).replace(microsecond=0),
            note=note,
        )
        self._change(lambda: self._pins.__setitem__(pinned.key, pinned))
        return pinned

    def forget(self, host: str, port: int) -> bool:
        """Remove the pin; False when there was none."""
        if self.get(host, port) is None:
            return False
        key = endpoint_key(host, port)
        self._change(lambda: self._pins.pop(key, None))
        return True

    def _sorted(self) -> list[PinnedCertificate]:
        return sorted(self._pins.values(), key=lambda pin: pin.key)

    def _apply_document(self, document: TomlDocument | None) -> None:
        pins: dict[str, PinnedCertificate] = {}
        if document is not None:
            for index, table in enumerate(document.tables(_TABLE)):
                pinned = _pin_from_table(document, index, table)
                pins[pinned.key] = pinned
        self._pins = pins

    def _to_document(self) -> dict[str, Any]:
        return {"version": FORMAT_VERSION, _TABLE: [_pin_to_table(pin) for pin in self._sorted()]}


def _pin_from_table(document: TomlDocument, index: int, table: dict[str, Any]) -> PinnedCertificate:
    def fail(key: str, message: str) -> SiteFileError:
        return document.error(f"{key}: {message}", _TABLE, index, key)

    host, port, sha256 = table.get("host"), table.get("port"), table.get("sha256")
    if not isinstance(host, str) or not host.strip():
        raise fail("host", "missing or not a string")
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port <= 65535:
        raise fail("port", f"expected a port number, got {port!r}")
    try:
        fingerprint = normalize_fingerprint(sha256 if isinstance(sha256, str) else "")
    except ValueError as error:
        raise fail("sha256", str(error)) from None
    first_seen = table.get("first_seen")
    if first_seen is not None and not isinstance(first_seen, datetime):
        raise fail("first_seen", f"expected a date and time, got {first_seen!r}")
    return PinnedCertificate(
        host=normalize_host(host),
        port=port,
        sha256=fingerprint,
        subject=str(table.get("subject", "")),
        first_seen=first_seen,
        note=str(table.get("note", "")),
    )


def _pin_to_table(pin: PinnedCertificate) -> dict[str, Any]:
    table: dict[str, Any] = {"host": pin.host, "port": pin.port, "sha256": pin.sha256, "subject": pin.subject}
    if pin.first_seen is not None:
        table["first_seen"] = pin.first_seen
    table["note"] = pin.note
    return table
