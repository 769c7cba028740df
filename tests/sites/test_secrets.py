from __future__ import annotations

import base64
from collections.abc import Callable
import stat
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from tui_ftp.sites.errors import SiteFileError, VaultCorrupt, VaultError, VaultLocked, WrongMasterPassword
from tui_ftp.sites.secrets import DEFAULT_SCRYPT_N, MIN_SCRYPT_N, Vault

MASTER = "correct horse battery staple"
PASSWORDS = {"MVS1 LPAR": "Zos!pass1", "web": "pässwörd-ünicode", "empty": ""}


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    """A vault holding PASSWORDS, created at the cheapest accepted scrypt cost (tests run faster)."""
    path = tmp_path / "config" / "vault.toml"
    vault = Vault(path)
    vault.create(MASTER, scrypt_n=MIN_SCRYPT_N)
    for site, password in PASSWORDS.items():
        vault.set(site, password)
    return path


def rewrite(path: Path, change: Callable[[dict[str, Any]], object]) -> None:
    """Apply ``change(data)`` to the vault's TOML and write it back (an attacker editing the file)."""
    data = tomllib.loads(path.read_text())
    change(data)
    path.write_text(tomli_w.dumps(data))


def entry(data: dict[str, Any], site: str) -> dict[str, Any]:
    return next(item for item in data["secret"] if item["site"] == site)


def test_file_holds_no_password_bytes(vault_path: Path) -> None:
    raw = vault_path.read_bytes()
    for password in [*PASSWORDS.values(), MASTER]:
        if password:
            assert password.encode() not in raw
            assert base64.b64encode(password.encode()) not in raw
    assert b"MVS1 LPAR" in raw  # site names are not secret


def test_file_format_and_mode(vault_path: Path) -> None:
    data = tomllib.loads(vault_path.read_text())
    assert (data["format"], data["version"]) == ("tui-ftp-vault", 1)
    assert data["kdf"]["name"] == "scrypt" and data["kdf"]["n"] >= 2**15
    assert (data["kdf"]["r"], data["kdf"]["p"]) == (8, 1)
    assert stat.S_IMODE(vault_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(vault_path.parent.stat().st_mode) == 0o700


def test_ciphertexts_do_not_reveal_password_length(vault_path: Path) -> None:
    data = tomllib.loads(vault_path.read_text())
    lengths = {len(base64.b64decode(item["ciphertext"])) for item in data["secret"]}
    assert lengths == {32 + 16}  # padded plaintext + GCM tag


def test_unlock_and_read_back(vault_path: Path) -> None:
    vault = Vault(vault_path)
    assert vault.exists and not vault.is_unlocked
    assert vault.names() == ["empty", "MVS1 LPAR", "web"]
    with pytest.raises(VaultLocked):
        vault.get("web")
    vault.unlock(MASTER)
    assert {site: vault.get(site) for site in PASSWORDS} == PASSWORDS
    assert vault.get("mvs1 lpar") == "Zos!pass1"
    assert vault.get("unknown") is None
    vault.lock()
    with pytest.raises(VaultLocked):
        vault.get("web")


def test_default_cost_is_memory_hard(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault.toml")
    vault.create(MASTER)
    assert tomllib.loads(vault.path.read_text())["kdf"]["n"] == DEFAULT_SCRYPT_N >= 2**15
    again = Vault(vault.path)
    again.unlock(MASTER)


def test_wrong_master_password_changes_nothing(vault_path: Path) -> None:
    before = vault_path.read_bytes()
    vault = Vault(vault_path)
    with pytest.raises(WrongMasterPassword) as caught:
        vault.unlock("correct horse battery stapler")
    assert "stapler" not in str(caught.value)
    assert not vault.is_unlocked
    with pytest.raises(WrongMasterPassword):
        vault.change_master("nope", "new master")
    assert vault_path.read_bytes() == before


def test_tampered_ciphertext_is_reported_corrupt(vault_path: Path) -> None:
    def flip(data: dict[str, Any]) -> None:
        raw = bytearray(base64.b64decode(entry(data, "web")["ciphertext"]))
        raw[0] ^= 1
        entry(data, "web")["ciphertext"] = base64.b64encode(bytes(raw)).decode()

    rewrite(vault_path, flip)
    before = vault_path.read_bytes()
    vault = Vault(vault_path)
    with pytest.raises(VaultCorrupt) as caught:
        vault.unlock(MASTER)
    assert isinstance(caught.value, SiteFileError) and caught.value.path == vault_path
    assert not vault.is_unlocked
    assert vault_path.read_bytes() == before


def test_removed_entry_is_reported_corrupt(vault_path: Path) -> None:
    rewrite(vault_path, lambda data: data["secret"].pop())
    with pytest.raises(VaultCorrupt, match="altered"):
        Vault(vault_path).unlock(MASTER)


def test_ciphertext_moved_to_another_site_does_not_decrypt(vault_path: Path) -> None:
    def swap(data: dict[str, Any]) -> None:
        web, lpar = entry(data, "web"), entry(data, "MVS1 LPAR")
        web["site"], lpar["site"] = "MVS1 LPAR", "web"

    rewrite(vault_path, swap)
    with pytest.raises(VaultCorrupt):
        Vault(vault_path).unlock(MASTER)


def test_malformed_entry_is_reported_with_its_line(vault_path: Path) -> None:
    rewrite(vault_path, lambda data: entry(data, "web").update(nonce="***"))
    with pytest.raises(VaultCorrupt, match="secret.nonce: missing or not base64") as caught:
        Vault(vault_path)
    lines = vault_path.read_text().splitlines()
    assert caught.value.line is not None
    assert lines[caught.value.line - 1].startswith("nonce = ")


def test_weakened_kdf_is_reported_with_its_line(vault_path: Path) -> None:
    rewrite(vault_path, lambda data: data["kdf"].update(n=2))
    with pytest.raises(VaultCorrupt, match="scrypt parameters out of range") as caught:
        Vault(vault_path)
    assert caught.value.line is not None
    assert vault_path.read_text().splitlines()[caught.value.line - 1] == "n = 2"


def test_not_a_vault_file(tmp_path: Path) -> None:
    path = tmp_path / "vault.toml"
    path.write_text('format = "something-else"\n')
    with pytest.raises(VaultCorrupt, match="not a tui-ftp vault"):
        Vault(path)


def test_change_master_reencrypts_everything(vault_path: Path) -> None:
    old_data = tomllib.loads(vault_path.read_text())
    vault = Vault(vault_path)
    vault.change_master(MASTER, "new master pw")
    new_data = tomllib.loads(vault_path.read_text())
    assert new_data["kdf"]["salt"] != old_data["kdf"]["salt"]
    assert {item["ciphertext"] for item in new_data["secret"]}.isdisjoint(
        item["ciphertext"] for item in old_data["secret"]
    )
    fresh = Vault(vault_path)
    with pytest.raises(WrongMasterPassword):
        fresh.unlock(MASTER)
    fresh.unlock("new master pw")
    assert {site: fresh.get(site) for site in PASSWORDS} == PASSWORDS


def test_other_instance_is_locked_after_a_master_change(vault_path: Path) -> None:
    first, second = Vault(vault_path), Vault(vault_path)
    first.unlock(MASTER)
    second.change_master(MASTER, "another")
    with pytest.raises(VaultLocked):
        first.get("web")


def test_set_delete_rename(vault_path: Path) -> None:
    vault = Vault(vault_path)
    vault.unlock(MASTER)
    vault.set("web", "changed")
    assert vault.rename("web", "Web Server")
    assert not vault.rename("nothing", "x")
    assert vault.delete("empty") and not vault.delete("empty")
    again = Vault(vault_path)
    again.unlock(MASTER)
    assert again.names() == ["MVS1 LPAR", "Web Server"]
    assert again.get("web server") == "changed" and again.get("web") is None


def test_create_refuses_to_replace_and_empty_master(vault_path: Path, tmp_path: Path) -> None:
    before = vault_path.read_bytes()
    with pytest.raises(VaultError, match="already exists"):
        Vault(vault_path).create("other")
    assert vault_path.read_bytes() == before
    with pytest.raises(VaultError, match="must not be empty"):
        Vault(tmp_path / "new.toml").create("")
    with pytest.raises(VaultError, match="scrypt cost"):
        Vault(tmp_path / "new.toml").create("x", scrypt_n=2**10)


def test_no_vault_yet(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "vault.toml")
    assert not vault.exists and vault.names() == [] and "web" not in vault
    with pytest.raises(VaultError, match="no password vault yet"):
        vault.unlock(MASTER)
    with pytest.raises(VaultLocked):
        vault.set("web", "x")


def test_passwords_never_in_repr_or_errors(vault_path: Path) -> None:
    vault = Vault(vault_path)
    vault.unlock(MASTER)
    text = repr(vault) + str(vault)
    assert "unlocked=True" in text and "secrets=3" in text
    for password in [p for p in PASSWORDS.values() if p] + [MASTER]:
        assert password not in text
    with pytest.raises(VaultError) as caught:
        vault.set("web", "bad\0password")
    assert "bad" not in str(caught.value)
