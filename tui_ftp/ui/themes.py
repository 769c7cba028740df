"""Colour themes from TOML files: the app's own (``themes/`` in the project) and the user's.

A theme file holds the fields of :class:`textual.theme.Theme` (``name``, ``primary``, ``dark``...)
and an optional ``[variables]`` table. Users drop ``*.toml`` files into ``<config>/themes``; a
file with a mistake is reported and skipped, never fatal.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

from .. import locations

DEFAULT_THEME = "tui-ftp-dark"
_COLOUR_FIELDS = ("primary", "secondary", "warning", "error", "success", "accent", "foreground", "background", "surface", "panel", "boost")
_ALLOWED = {field.name for field in fields(Theme)}


class ThemeFileError(ValueError):
    """A theme file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class LoadedThemes:
    themes: list[Theme]
    problems: list[str]


def packaged_theme_dirs() -> list[Path]:
    """Where the app's own themes are: the source tree, or the wheel's shared data."""
    package_root = Path(__file__).resolve().parent.parent
    candidates = [
        package_root.parent / "themes",  # a checkout or an editable install
        package_root / "themes",  # packaged inside tui_ftp/
        Path(sys.prefix) / "share" / "tui-ftp" / "themes",  # data files of a wheel
    ]
    return [folder for folder in candidates if folder.is_dir()]


def user_theme_dir() -> Path:
    return locations.config_dir() / "themes"


def theme_from_file(path: Path) -> Theme:
    """Read one theme file. Raises ThemeFileError."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ThemeFileError(f"{path}: cannot read: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ThemeFileError(f"{path}: not valid TOML: {error}") from error
    return theme_from_mapping(data, str(path))


def theme_from_mapping(data: dict[str, Any], source: str = "theme") -> Theme:
    unknown = sorted(set(data) - _ALLOWED)
    if unknown:
        raise ThemeFileError(f"{source}: unknown keys {', '.join(unknown)}")
    if not isinstance(data.get("name"), str) or not data["name"].strip():
        raise ThemeFileError(f"{source}: 'name' is missing")
    if not isinstance(data.get("primary"), str):
        raise ThemeFileError(f"{source}: 'primary' (a colour) is missing")
    for key in _COLOUR_FIELDS:
        if key in data:
            _check_colour(data[key], f"{source}: {key}")
    variables = data.get("variables", {})
    if not isinstance(variables, dict) or not all(isinstance(value, str) for value in variables.values()):
        raise ThemeFileError(f"{source}: [variables] must map names to strings")
    try:
        return Theme(**data)
    except (TypeError, ValueError) as error:
        raise ThemeFileError(f"{source}: {error}") from error


def _check_colour(value: object, where: str) -> None:
    if not isinstance(value, str):
        raise ThemeFileError(f"{where}: expected a colour string, got {value!r}")
    if value.startswith("ansi_"):
        return
    try:
        Color.parse(value)
    except ColorParseError as error:
        raise ThemeFileError(f"{where}: {error}") from error


def load_themes(folders: Iterable[Path]) -> LoadedThemes:
    """Every ``*.toml`` theme in ``folders`` (later folders override earlier ones by name)."""
    themes: dict[str, Theme] = {}
    problems: list[str] = []
    for folder in folders:
        for path in sorted(folder.glob("*.toml")):
            try:
                theme = theme_from_file(path)
            except ThemeFileError as error:
                problems.append(str(error))
                continue
            themes[theme.name] = theme
    return LoadedThemes(list(themes.values()), problems)


def all_theme_dirs() -> list[Path]:
    user = user_theme_dir()
    return [*packaged_theme_dirs(), *([user] if user.is_dir() else [])]
