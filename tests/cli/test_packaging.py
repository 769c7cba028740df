"""The wheel: the ``tui-ftp`` script, the stylesheets and the themes ship, and it runs when installed.

The wheel is built from the checkout with pip (build isolation, as ``pip install .`` does) and
installed without dependencies into a fresh virtual environment that sees the test machine's
packages, so no download beyond the build backend is needed.
"""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(PROJECT)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    (found,) = out.glob("tui_ftp-*.whl")
    return found


def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_script_entry_point_is_tui_ftp_cli_main(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        entry_points = next(name for name in archive.namelist() if name.endswith("entry_points.txt"))
        text = archive.read(entry_points).decode()
    assert "tui-ftp = tui_ftp.cli:main" in text


def test_stylesheets_and_themes_are_in_the_wheel(wheel: Path) -> None:
    names = wheel_names(wheel)
    stylesheets = {path.relative_to(PROJECT).as_posix() for path in (PROJECT / "tui_ftp").rglob("*.tcss")}
    assert stylesheets <= names
    themes = {path.name for path in (PROJECT / "themes").glob("*.toml")}
    shipped = {Path(name).name for name in names if "/themes/" in name and name.endswith(".toml")}
    assert themes and themes <= shipped, f"themes/ is not packaged: {sorted(themes - shipped)}"


def test_the_installed_wheel_runs(wheel: Path, tmp_path: Path) -> None:
    environment = tmp_path / "venv"
    venv.create(environment, system_site_packages=True, with_pip=True)
    python = environment / "bin" / "python"
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    commands: list[list[str | Path]] = [[environment / "bin" / "tui-ftp", "--version"], [python, "-m", "tui_ftp", "--version"]]
    for command in commands:
        run = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=tmp_path, check=False)
        assert (run.returncode, run.stdout.strip()) == (0, "tui-ftp 0.1.0"), run.stderr
    location = subprocess.run(
        [python, "-c", "import tui_ftp.cli; print(tui_ftp.cli.__file__)"],
        capture_output=True, text=True, timeout=60, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert location.stdout.startswith(str(environment)), location.stdout  # the wheel, not the checkout
