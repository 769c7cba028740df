"""Widgets keep their TCSS in a file beside their module (screens and the app use ``CSS_PATH``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def css_beside(module_file: str) -> str:
    """The text of ``<module>.tcss`` next to ``module_file`` (a widget's ``DEFAULT_CSS``)."""
    return Path(module_file).with_suffix(".tcss").read_text(encoding="utf-8")
