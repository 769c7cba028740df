"""The engine never imports Textual (checked in a fresh interpreter, as harlequin does)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import tui_ftp.engine


def engine_modules() -> list[str]:
    return [info.name for info in pkgutil.walk_packages(tui_ftp.engine.__path__, "tui_ftp.engine.")]


def test_engine_imports_no_textual() -> None:
    modules = engine_modules()
    assert "tui_ftp.engine.session" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.') or m == 'rich')\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
