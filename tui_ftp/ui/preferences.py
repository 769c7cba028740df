"""The UI's remembered choices (the theme), in the ``[ui]`` table of ``settings.toml``.

Other tables of the file are kept as they are. A damaged file is reported, never overwritten.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import locations
from ..sites.errors import SiteFileError
from ..sites.files import read_toml, write_toml

_TABLE = "ui"
_HEADER = "# tui-ftp settings. Written by tui-ftp; comments are not kept.\n\n"


def _settings_path() -> Path:
    return locations.settings_file()


def read_ui_settings(path: Path | None = None) -> dict[str, Any]:
    """The ``[ui]`` table ({} when the file or table is missing). Raises SiteFileError when damaged."""
    document = read_toml(path or _settings_path())
    if document is None:
        return {}
    table = document.data.get(_TABLE, {})
    if not isinstance(table, dict):
        raise document.error("'ui' must be a table", key=_TABLE)
    return table


def remembered_theme(path: Path | None = None) -> str | None:
    value = read_ui_settings(path).get("theme")
    return value if isinstance(value, str) and value else None


def remember_theme(name: str, path: Path | None = None) -> None:
    """Store the theme name, keeping every other setting. Raises SiteFileError."""
    target = path or _settings_path()
    document = read_toml(target)
    data = dict(document.data) if document else {}
    table = dict(data.get(_TABLE, {})) if isinstance(data.get(_TABLE, {}), dict) else {}
    table["theme"] = name
    data[_TABLE] = table
    write_toml(target, data, _HEADER)


__all__ = ["SiteFileError", "read_ui_settings", "remember_theme", "remembered_theme"]
