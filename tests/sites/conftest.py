"""Fixtures of the site-store tests: every path of the app under tmp_path, never the real home."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_ftp import locations


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the config and data folders, HOME and NETRC into tmp_path."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv(locations.CONFIG_DIR_ENV, str(tmp_path / "config"))
    monkeypatch.setenv(locations.DATA_DIR_ENV, str(tmp_path / "data"))
    monkeypatch.delenv("NETRC", raising=False)
    return tmp_path


@pytest.fixture
def pem_files(tmp_path: Path) -> dict[str, str]:
    """Existing files to name as CA, client certificate and key (validate() checks they exist)."""
    folder = tmp_path / "pki"
    folder.mkdir()
    names = {"ca_file": "ca.pem", "client_cert": "client.pem", "client_key": "client.key"}
    paths = {}
    for field, name in names.items():
        path = folder / name
        path.write_text("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
        paths[field] = str(path)
    return paths
