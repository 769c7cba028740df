"""README's quick start, followed literally: exactly two commands; the first installs and opens the demo.

The second command (``./.ci/run``) is what CI itself runs, so it is checked by being CI; here we check
that it is the command README gives and that ``.ci/run`` ends in the same ``.ci/test`` README names.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    text = (PROJECT / "README.md").read_text()
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_second() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2 and all("\n" not in command for command in commands)
    assert commands[0].endswith("tui-ftp --demo")
    assert commands[1].endswith("./.ci/run")
    assert (PROJECT / ".ci" / "run").read_text().rstrip().endswith("exec ./.ci/test </dev/null")
    assert "./.ci/test" in (PROJECT / "README.md").read_text()


@pytest.mark.slow
def test_the_first_command_installs_and_opens_the_demo_in_a_fresh_copy(tmp_path: Path) -> None:
    """In a fresh copy of the checkout with no venv: the command as written, the TUI run headless."""
    copy = tmp_path / "checkout"
    shutil.copytree(PROJECT, copy, ignore=shutil.ignore_patterns(".venv", ".git", "*.egg-info", "build", "__pycache__", ".*_cache"))
    shot = tmp_path / "screen.svg"
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("TUI_FTP_", "VIRTUAL_ENV"))},
        "TUI_FTP_HEADLESS_EXIT_AFTER": "3",
        "TUI_FTP_HEADLESS_SCREENSHOT": str(shot),
        "TUI_FTP_CONFIG_DIR": str(tmp_path / "config"),
        "TUI_FTP_DATA_DIR": str(tmp_path / "data"),
    }
    run = subprocess.run(
        ["bash", "-c", quick_start_commands()[0]], cwd=copy, env=environment, capture_output=True, text=True, timeout=900, check=False
    )
    assert run.returncode == 0, run.stderr[-3000:]
    screen = html.unescape(shot.read_text()).replace("\xa0", " ")
    assert "README.txt" in screen and "Remote" in screen
