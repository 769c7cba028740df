from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from tui_ftp import locations


def test_env_overrides_put_every_file_under_tmp(isolated_dirs: Path) -> None:
    config, data = isolated_dirs / "config", isolated_dirs / "data"
    assert (locations.config_dir(), locations.data_dir()) == (config, data)
    assert {locations.sites_file(), locations.vault_file(), locations.settings_file()} == {
        config / "sites.toml",
        config / "vault.toml",
        config / "settings.toml",
    }
    assert locations.recent_file().parent == locations.known_certificates_file().parent == data
    assert locations.log_dir() == data / "logs"
    assert locations.default_netrc_file() == isolated_dirs / "home" / ".netrc"


def test_without_overrides_platformdirs_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(locations.CONFIG_DIR_ENV)
    monkeypatch.setenv(locations.DATA_DIR_ENV, "  ")
    assert locations.config_dir() == platformdirs.user_config_path("tui-ftp")
    assert locations.data_dir() == platformdirs.user_data_path("tui-ftp")


def test_site_store_needs_no_ui() -> None:
    code = "import sys, tui_ftp.sites; print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "[]"
