from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tui_ftp.sites.credentials import password_for
from tui_ftp.sites.errors import NetrcError
from tui_ftp.sites.netrc import netrc_credentials
from tui_ftp.sites.profile import PasswordMode, SiteProfile
from tui_ftp.sites.secrets import MIN_SCRYPT_N, Vault

NETRC = """\
machine mvs1.example.com
  login USER1
  password Zos!pass1
  account DEPT42

machine web.example.com login deploy password w3b

default login anonymous password guest@example.com
"""


def write_netrc(path: Path, text: str = NETRC, mode: int = 0o600) -> Path:
    path.write_text(text)
    path.chmod(mode)
    return path


def test_lookup_by_host(tmp_path: Path) -> None:
    path = write_netrc(tmp_path / "netrc")
    found = netrc_credentials("mvs1.example.com", path=path)
    assert found is not None
    assert (found.login, found.password, found.account) == ("USER1", "Zos!pass1", "DEPT42")
    assert "Zos!pass1" not in repr(found) and "DEPT42" not in repr(found)
    upper = netrc_credentials("MVS1.Example.COM", path=path)
    assert upper is not None and upper.login == "USER1"  # host names are case-insensitive


def test_user_must_match_and_default_entry(tmp_path: Path) -> None:
    path = write_netrc(tmp_path / "netrc")
    assert netrc_credentials("mvs1.example.com", user="USER2", path=path) is None
    fallback = netrc_credentials("other.example.org", path=path)
    assert fallback is not None and (fallback.login, fallback.password) == ("anonymous", "guest@example.com")


def test_missing_file_is_no_entry(tmp_path: Path) -> None:
    assert netrc_credentials("h", path=tmp_path / "none") is None


def test_home_netrc_and_netrc_env(isolated_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_netrc(isolated_dirs / "home" / ".netrc")
    assert netrc_credentials("web.example.com").password == "w3b"  # type: ignore[union-attr]
    other = write_netrc(isolated_dirs / "other-netrc", "machine web.example.com login x password from-env\n")
    monkeypatch.setenv("NETRC", str(other))
    assert netrc_credentials("web.example.com").password == "from-env"  # type: ignore[union-attr]


def test_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = write_netrc(tmp_path / "netrc", mode=0o644)
    with pytest.raises(NetrcError, match="chmod 600"):
        netrc_credentials("mvs1.example.com", path=path)


def test_syntax_error_names_the_line_but_not_the_token(tmp_path: Path) -> None:
    path = write_netrc(tmp_path / "netrc", "machine a login u password p\nmachine b login u passwd s3cr3t\n")
    with pytest.raises(NetrcError) as caught:
        netrc_credentials("a", path=path)
    assert caught.value.line == 2
    assert "s3cr3t" not in str(caught.value) and "passwd" not in str(caught.value)


def test_password_for_each_mode(tmp_path: Path) -> None:
    netrc = write_netrc(tmp_path / "netrc")
    site = SiteProfile(name="LPAR", host="mvs1.example.com", user="USER1")
    assert password_for(site).needs_prompt
    assert password_for(SiteProfile(name="m", host="h", password_mode=PasswordMode.NONE)).password == ""
    from_netrc = password_for(replace(site, password_mode=PasswordMode.NETRC), netrc_path=netrc)
    assert (from_netrc.password, from_netrc.source, from_netrc.user) == ("Zos!pass1", "netrc", "")
    anonymous = SiteProfile(name="w", host="web.example.com", password_mode=PasswordMode.NETRC)
    assert password_for(anonymous, netrc_path=netrc).user == "deploy"
    missing = password_for(replace(site, password_mode=PasswordMode.NETRC), netrc_path=tmp_path / "none")
    assert missing.needs_prompt and "no .netrc entry" in missing.reason


def test_password_for_saved_falls_back_to_asking(tmp_path: Path) -> None:
    site = SiteProfile(name="LPAR", host="mvs1.example.com", password_mode=PasswordMode.SAVED)
    assert password_for(site, None).reason == "no password vault yet"
    vault = Vault(tmp_path / "vault.toml")
    vault.create("master", scrypt_n=MIN_SCRYPT_N)
    assert password_for(site, vault).reason == "no saved password for 'LPAR'"
    vault.set("LPAR", "Zos!pass1")
    found = password_for(site, vault)
    assert (found.password, found.source) == ("Zos!pass1", "vault")
    assert "Zos!pass1" not in repr(found)
    vault.lock()
    assert password_for(site, vault).reason == "the password vault is locked"
