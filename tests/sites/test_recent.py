from __future__ import annotations

import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tui_ftp import locations
from tui_ftp.sites.errors import SiteError, SiteFileError
from tui_ftp.sites.recent import RecentConnections, without_password

START = datetime(2026, 11, 27, 8, 0, tzinfo=timezone.utc)


def test_passwords_are_never_kept(tmp_path: Path) -> None:
    recent = RecentConnections(tmp_path / "recent.toml")
    entry = recent.add("ftpes://USER1:Zos!pass1@mvs1.example.com:2121/'USER1.JCL'", START)
    assert entry.url == "ftpes://USER1@mvs1.example.com:2121/'USER1.JCL'"
    assert b"Zos!pass1" not in recent.path.read_bytes()
    assert stat.S_IMODE(recent.path.stat().st_mode) == 0o600


def test_newest_first_deduplicated_and_capped(tmp_path: Path) -> None:
    recent = RecentConnections(tmp_path / "recent.toml", limit=3)
    for number in range(5):
        recent.add(f"ftp://host{number}.example.com/", START + timedelta(minutes=number))
    recent.add("ftp://user:pw@host2.example.com/", START + timedelta(minutes=9))
    recent.add("ftp://user@host2.example.com/", START + timedelta(minutes=10))
    urls = [entry.url for entry in RecentConnections(recent.path, limit=3).entries()]
    assert urls == ["ftp://user@host2.example.com/", "ftp://host4.example.com/", "ftp://host3.example.com/"]


def test_remove_and_clear(tmp_path: Path) -> None:
    recent = RecentConnections(tmp_path / "recent.toml")
    recent.add("ftp://a.example.com/", START)
    recent.add("ftp://b.example.com/", START)
    assert recent.remove("ftp://a.example.com/") and not recent.remove("ftp://a.example.com/")
    assert [entry.url for entry in recent.entries()] == ["ftp://b.example.com/"]
    recent.clear()
    assert RecentConnections(recent.path).entries() == []


def test_bad_url_error_does_not_show_the_password(tmp_path: Path) -> None:
    recent = RecentConnections(tmp_path / "recent.toml")
    with pytest.raises(SiteError) as caught:
        recent.add("ftp://bob:hunter2@:99999/")
    assert "hunter2" not in str(caught.value)
    with pytest.raises(SiteError):
        recent.add("sftp://host/")


def test_default_location_and_damage(isolated_dirs: Path) -> None:
    RecentConnections().add("ftp://a.example.com/", START)
    assert locations.recent_file() == isolated_dirs / "data" / "recent.toml"
    locations.recent_file().write_text('version = 1\nconnection = [\n  { url = "ftp://a/", time = "yesterday" },\n]\n')
    with pytest.raises(SiteFileError) as caught:
        RecentConnections()
    assert caught.value.line == 2 and "expected a date and time" in str(caught.value)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("ftp://u:p@h/", "ftp://u@h/"),
        ("ftps://u%40corp:p%3Aw@h:990/x", "ftps://u%40corp@h:990/x"),
        ("ftp://h/", "ftp://h/"),
        ("ftp://u@h/", "ftp://u@h/"),
    ],
)
def test_without_password(url: str, expected: str) -> None:
    assert without_password(url) == expected
