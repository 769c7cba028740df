"""Site passwords encrypted with a master password (``vault.toml`` in the config folder).

Design:
- master password (NFC) → scrypt (memory-hard; salt and cost stored in the file) → 64 bytes:
  32 for AES-256-GCM, 32 for HMAC-SHA256;
- each password: AES-GCM with a fresh 96-bit random nonce, the site's key as associated data, so
  a ciphertext moved to another site fails to decrypt;
- ``key_check`` (an HMAC of a constant) tells a wrong master password (:class:`WrongMasterPassword`)
  from a damaged file (:class:`VaultCorrupt`) without decrypting anything;
- ``mac`` (an HMAC over the KDF parameters and every entry) detects removed, added or altered
  entries as corruption;
- the file is versioned TOML with base64 values, mode 0600, replaced atomically; a wrong password or
  a damaged file never leads to a write.

Passwords never appear in ``repr``, ``str``, logs or exception messages. Unlocking costs one scrypt
run (about 0.2 s here): call it from a worker thread, not the UI thread.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from .. import locations
from ..engine.redaction import remember_secret
from .errors import VaultCorrupt, VaultError, VaultLocked, WrongMasterPassword
from .files import TomlBacked, TomlDocument

FORMAT_NAME = "tui-ftp-vault"
FORMAT_VERSION = 1
#: scrypt cost: n=2**16, r=8, p=1 takes ~0.23 s and 64 MiB here; 2**15 is the floor we accept.
DEFAULT_SCRYPT_N = 2**16
MIN_SCRYPT_N = 2**15
MAX_SCRYPT_N = 2**20
SCRYPT_R = 8
SCRYPT_P = 1
_SALT_BYTES = 16
_NONCE_BYTES = 12
_PAD_TO = 32  # plaintexts are NUL-padded to a multiple of this, so the file does not tell lengths
_KEY_CHECK_MESSAGE = b"tui-ftp vault key check v1"
_AAD_PREFIX = b"tui-ftp vault v1 site\0"
_HEADER = (
    "# tui-ftp password vault: site passwords encrypted with your master password\n"
    "# (scrypt + AES-256-GCM). Do not edit: any change makes the vault unreadable.\n\n"
)


@dataclass(frozen=True)
class KdfParameters:
    salt: bytes
    n: int = DEFAULT_SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    def derive(self, master: str) -> _Keys:
        remember_secret(master)  # kept out of any crash report
        material = Scrypt(salt=self.salt, length=64, n=self.n, r=self.r, p=self.p).derive(_master_bytes(master))
        return _Keys(encryption=material[:32], authentication=material[32:])

    def as_table(self) -> dict[str, Any]:
        return {"name": "scrypt", "salt": _b64(self.salt), "n": self.n, "r": self.r, "p": self.p}


@dataclass(frozen=True)
class _Keys:
    encryption: bytes
    authentication: bytes

    def __repr__(self) -> str:
        return "_Keys(<hidden>)"

    def key_check(self) -> bytes:
        return hmac.new(self.authentication, _KEY_CHECK_MESSAGE, hashlib.sha256).digest()

    def mac(self, kdf: KdfParameters, entries: dict[str, _Entry]) -> bytes:
        return hmac.new(self.authentication, _canonical(kdf, entries), hashlib.sha256).digest()

    def seal(self, site: str, password: str) -> _Entry:
        """Encrypt ``password`` for ``site`` with a fresh random nonce."""
        nonce = os.urandom(_NONCE_BYTES)
        ciphertext = AESGCM(self.encryption).encrypt(nonce, _padded(password), _aad(site))
        return _Entry(site=site.strip(), nonce=nonce, ciphertext=ciphertext)

    def open(self, entry: _Entry) -> str:
        """Decrypt; InvalidTag when the entry was altered or belongs to another site."""
        plaintext = AESGCM(self.encryption).decrypt(entry.nonce, entry.ciphertext, _aad(entry.site))
        return plaintext.rstrip(b"\0").decode("utf-8")


@dataclass(frozen=True)
class _Entry:
    site: str  # the site's name as typed; the associated data is its case-folded form
    nonce: bytes
    ciphertext: bytes


@dataclass
class _VaultState:
    kdf: KdfParameters
    key_check: bytes
    mac: bytes
    entries: dict[str, _Entry]


class Vault(TomlBacked):
    """The encrypted password store. Locked until :meth:`unlock` (or :meth:`create`)."""

    _header = _HEADER

    def __init__(self, path: Path | None = None) -> None:
        self._state: _VaultState | None = None
        self._keys: _Keys | None = None
        super().__init__(path or locations.vault_file())

    def __repr__(self) -> str:
        count = len(self._state.entries) if self._state else 0
        return f"Vault(path={str(self.path)!r}, exists={self.exists}, unlocked={self.is_unlocked}, secrets={count})"

    @property
    def exists(self) -> bool:
        """True once a vault was created (a master password is set)."""
        self._refresh()
        return self._state is not None

    @property
    def is_unlocked(self) -> bool:
        return self._keys is not None

    # --------------------------------------------------------------------------- master password
    def create(self, master: str, *, scrypt_n: int = DEFAULT_SCRYPT_N) -> None:
        """Start an empty vault protected by ``master``; refuses to replace an existing one."""
        _check_new_master(master)
        if not MIN_SCRYPT_N <= scrypt_n <= MAX_SCRYPT_N or scrypt_n & (scrypt_n - 1):
            raise VaultError(f"scrypt cost must be a power of two between {MIN_SCRYPT_N} and {MAX_SCRYPT_N}")
        if self.exists:
            raise VaultError(f"{self.path}: a vault already exists (change its master password instead)")
        kdf = KdfParameters(salt=os.urandom(_SALT_BYTES), n=scrypt_n)
        keys = kdf.derive(master)
        self._install(kdf, keys, {})

    def unlock(self, master: str) -> None:
        """Check ``master`` and every entry. WrongMasterPassword or VaultCorrupt; nothing is written."""
        state = self._existing_state()
        self._keys = _verified_keys(self.path, state, master)

    def lock(self) -> None:
        """Forget the keys; secrets need the master password again."""
        self._keys = None

    def change_master(self, old: str, new: str) -> None:
        """Re-encrypt every secret under ``new`` (new salt, new nonces) in one atomic write."""
        _check_new_master(new)
        state = self._existing_state()
        old_keys = _verified_keys(self.path, state, old)
        passwords = [(entry.site, old_keys.open(entry)) for entry in state.entries.values()]
        kdf = KdfParameters(salt=os.urandom(_SALT_BYTES), n=max(state.kdf.n, DEFAULT_SCRYPT_N))
        keys = kdf.derive(new)
        self._install(kdf, keys, _sealed_all(keys, passwords))

    # --------------------------------------------------------------------------- secrets
    def names(self) -> list[str]:
        """Sites that have a saved password (works while locked: names are not secret)."""
        self._refresh()
        return sorted((entry.site for entry in self._state.entries.values()), key=str.casefold) if self._state else []

    def __contains__(self, site: object) -> bool:
        if not isinstance(site, str):
            return False
        self._refresh()
        return self._state is not None and _key(site) in self._state.entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def get(self, site: str) -> str | None:
        """The saved password of ``site`` (any case), None when there is none. Needs the vault unlocked."""
        keys, state = self._unlocked()
        entry = state.entries.get(_key(site))
        if entry is None:
            return None
        try:
            return keys.open(entry)
        except InvalidTag:
            raise VaultCorrupt(self.path, f"the password of site {site!r} does not decrypt") from None

    def set(self, site: str, password: str) -> None:
        """Save (or replace) the password of ``site``."""
        if "\0" in password:
            raise VaultError("a password cannot contain a NUL character")
        keys, state = self._unlocked()
        entries = dict(state.entries)
        entries[_key(site)] = keys.seal(site, password)
        self._install(state.kdf, keys, entries)

    def delete(self, site: str) -> bool:
        """Forget the password of ``site``; False when there was none."""
        keys, state = self._unlocked()
        if _key(site) not in state.entries:
            return False
        entries = {key: entry for key, entry in state.entries.items() if key != _key(site)}
        self._install(state.kdf, keys, entries)
        return True

    def rename(self, old: str, new: str) -> bool:
        """Move a password to a renamed site (it is re-encrypted: the site name is bound to it)."""
        password = self.get(old)
        if password is None:
            return False
        keys, state = self._unlocked()
        entries = {key: entry for key, entry in state.entries.items() if key != _key(old)}
        entries[_key(new)] = keys.seal(new, password)
        self._install(state.kdf, keys, entries)
        return True

    # --------------------------------------------------------------------------- internals
    def _existing_state(self) -> _VaultState:
        self._refresh()
        if self._state is None:
            raise VaultError(f"{self.path}: no password vault yet (create one with a master password)")
        return self._state

    def _unlocked(self) -> tuple[_Keys, _VaultState]:
        """Keys and current state; a vault re-keyed by another tui-ftp meanwhile is locked again."""
        if self._keys is None:
            raise VaultLocked()
        state = self._existing_state()
        if self._keys is None:
            raise VaultLocked()
        return self._keys, state

    def _install(self, kdf: KdfParameters, keys: _Keys, entries: dict[str, _Entry]) -> None:
        """Write a new state (check value and MAC recomputed) and keep the keys."""
        new_state = _VaultState(kdf=kdf, key_check=keys.key_check(), mac=keys.mac(kdf, entries), entries=entries)
        previous, previous_keys = self._state, self._keys
        self._state, self._keys = new_state, keys
        try:
            self._write()
        except Exception:
            self._state, self._keys = previous, previous_keys
            raise

    def _apply_document(self, document: TomlDocument | None) -> None:
        state = _parse_vault(document) if document else None
        keys = self._keys
        if state is None or (keys is not None and not _master_matches(keys, state)):
            keys = None  # the vault is gone, or its master password was changed elsewhere
        elif keys is not None:
            _check_integrity(self.path, state, keys)
        self._state, self._keys = state, keys

    def _to_document(self) -> dict[str, Any]:
        assert self._state is not None
        state = self._state
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "kdf": state.kdf.as_table(),
            "integrity": {"key_check": _b64(state.key_check), "mac": _b64(state.mac)},
            "secret": [
                {"site": entry.site, "nonce": _b64(entry.nonce), "ciphertext": _b64(entry.ciphertext)}
                for _, entry in sorted(state.entries.items())
            ],
        }


def _verified_keys(path: Path, state: _VaultState, master: str) -> _Keys:
    keys = state.kdf.derive(master)
    if not _master_matches(keys, state):
        raise WrongMasterPassword()
    _check_integrity(path, state, keys)
    return keys


def _master_matches(keys: _Keys, state: _VaultState) -> bool:
    return hmac.compare_digest(keys.key_check(), state.key_check)


def _check_integrity(path: Path, state: _VaultState, keys: _Keys) -> None:
    """The MAC over all entries, then each entry's GCM tag (plaintexts are discarded)."""
    if not hmac.compare_digest(keys.mac(state.kdf, state.entries), state.mac):
        raise VaultCorrupt(path, "the vault's contents were altered (integrity check failed)")
    for entry in state.entries.values():
        try:
            keys.open(entry)
        except InvalidTag:
            raise VaultCorrupt(path, f"the password of site {entry.site!r} does not decrypt") from None


def _parse_vault(document: TomlDocument) -> _VaultState:
    data = document.data
    if data.get("format") != FORMAT_NAME:
        raise _corrupt(document, f"not a tui-ftp vault (format = {data.get('format')!r})", key="format")
    if data.get("version") != FORMAT_VERSION:
        raise _corrupt(document, f"unsupported vault version {data.get('version')!r}", key="version")
    kdf = _parse_kdf(document, _table(document, "kdf"))
    integrity = _table(document, "integrity")
    entries: dict[str, _Entry] = {}
    for index, table in enumerate(document.tables("secret")):
        entry = _parse_entry(document, index, table)
        entries[_key(entry.site)] = entry
    return _VaultState(
        kdf=kdf,
        key_check=_bytes_field(document, integrity, "key_check", "integrity"),
        mac=_bytes_field(document, integrity, "mac", "integrity"),
        entries=entries,
    )


def _parse_kdf(document: TomlDocument, table: dict[str, Any]) -> KdfParameters:
    if table.get("name") != "scrypt":
        raise _corrupt(document, f"unknown key derivation {table.get('name')!r}", "kdf", None, "name")
    n, r, p = (_positive_int(document, table, name) for name in ("n", "r", "p"))
    if not MIN_SCRYPT_N <= n <= MAX_SCRYPT_N or r > 64 or p > 16:
        raise _corrupt(document, f"scrypt parameters out of range (n={n}, r={r}, p={p})", "kdf", None, "n")
    return KdfParameters(salt=_bytes_field(document, table, "salt", "kdf"), n=n, r=r, p=p)


def _positive_int(document: TomlDocument, table: dict[str, Any], key: str) -> int:
    value = table.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise _corrupt(document, f"kdf.{key}: expected a positive whole number, got {value!r}", "kdf", None, key)
    return value


def _parse_entry(document: TomlDocument, index: int, table: dict[str, Any]) -> _Entry:
    site = table.get("site")
    if not isinstance(site, str) or not site.strip():
        raise _corrupt(document, "a secret without a site name", "secret", index, "site")
    nonce = _bytes_field(document, table, "nonce", "secret", index)
    if len(nonce) != _NONCE_BYTES:
        raise _corrupt(document, f"site {site!r}: bad nonce length", "secret", index, "nonce")
    ciphertext = _bytes_field(document, table, "ciphertext", "secret", index)
    return _Entry(nonce=nonce, ciphertext=ciphertext, site=site)


def _table(document: TomlDocument, name: str) -> dict[str, Any]:
    table = document.data.get(name)
    if not isinstance(table, dict):
        raise _corrupt(document, f"missing [{name}] table")
    return table


def _bytes_field(
    document: TomlDocument, table: dict[str, Any], key: str, section: str, index: int | None = None
) -> bytes:
    value = table.get(key)
    try:
        if not isinstance(value, str):
            raise ValueError
        return base64.b64decode(value, validate=True)
    except (ValueError, binascii.Error):
        raise _corrupt(document, f"{section}.{key}: missing or not base64", section, index, key) from None


def _corrupt(
    document: TomlDocument, message: str, table: str | None = None, index: int | None = None, key: str | None = None
) -> VaultCorrupt:
    return VaultCorrupt(document.path, message, document.line_of(table, index, key))


def _canonical(kdf: KdfParameters, entries: dict[str, _Entry]) -> bytes:
    """A byte string that changes when any parameter or entry changes (input of the MAC)."""
    content = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "kdf": kdf.as_table(),
        "secrets": [[entry.site, _b64(entry.nonce), _b64(entry.ciphertext)] for _, entry in sorted(entries.items())],
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=True).encode("ascii")


def _sealed_all(keys: _Keys, passwords: list[tuple[str, str]]) -> dict[str, _Entry]:
    return {_key(site): keys.seal(site, password) for site, password in passwords}


def _check_new_master(master: str) -> None:
    if not master:
        raise VaultError("the master password must not be empty")


def _master_bytes(master: str) -> bytes:
    """NFC, so the same password typed on another keyboard or OS derives the same key."""
    return unicodedata.normalize("NFC", master).encode("utf-8")


def _padded(password: str) -> bytes:
    raw = password.encode("utf-8")
    return raw.ljust(max(_PAD_TO, -(-len(raw) // _PAD_TO) * _PAD_TO), b"\0")


def _aad(site: str) -> bytes:
    return _AAD_PREFIX + _key(site).encode("utf-8")


def _key(site: str) -> str:
    return site.strip().casefold()


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
