"""Every file and folder tui-ftp reads or writes, in one place.

The folders come from platformdirs (``~/.config/tui-ftp`` and ``~/.local/share/tui-ftp`` on Linux).
Tests and portable setups point them elsewhere with ``TUI_FTP_CONFIG_DIR`` and ``TUI_FTP_DATA_DIR``;
the log folder follows the data folder so one override keeps everything out of the real home.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "tui-ftp"
CONFIG_DIR_ENV = "TUI_FTP_CONFIG_DIR"
DATA_DIR_ENV = "TUI_FTP_DATA_DIR"


def _from_env(variable: str) -> Path | None:
    value = os.environ.get(variable, "").strip()
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    """Settings the user edits or backs up: sites, the password vault, preferences."""
    return _from_env(CONFIG_DIR_ENV) or platformdirs.user_config_path(APP_NAME)


def data_dir() -> Path:
    """State the app keeps for itself: recent connections, pinned certificates, logs."""
    return _from_env(DATA_DIR_ENV) or platformdirs.user_data_path(APP_NAME)


def sites_file() -> Path:
    return config_dir() / "sites.toml"


def vault_file() -> Path:
    """Saved site passwords, encrypted with the master password."""
    return config_dir() / "vault.toml"


def settings_file() -> Path:
    return config_dir() / "settings.toml"


def recent_file() -> Path:
    return data_dir() / "recent.toml"


def known_certificates_file() -> Path:
    return data_dir() / "known_certificates.toml"


def log_dir() -> Path:
    return data_dir() / "logs"


def crash_dir() -> Path:
    """Crash reports (a bug's traceback, passwords removed): see :mod:`tui_ftp.crash`."""
    return data_dir() / "crash"


def default_netrc_file() -> Path:
    """``$NETRC`` when set (as curl honours it), else ``~/.netrc``."""
    return _from_env("NETRC") or Path.home() / ".netrc"
