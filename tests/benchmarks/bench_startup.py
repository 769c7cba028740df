"""Start-up to the first full frame, in a real terminal (a pseudo-terminal of 120x40).

Run: ``python -m tests.benchmarks.bench_startup`` (``--runs 7``).

Each run spawns the installed ``tui-ftp`` (no arguments: the main view, not connected) on a fresh
pty with fresh config folders and reads what it writes until the end of the Footer (``^p palette``), the
bottom line of the first frame, has been written; then the process is killed. Printed: the median,
fastest and slowest time from spawn to that frame, against the 0.5 s target, and for scale the time
Python takes just to start and import Textual's App, and to start and import tui-ftp's app.

The package is byte-compiled first, as ``pip install .`` does: an editable install run with
``PYTHONDONTWRITEBYTECODE=1`` (this machine's default) would compile ~70 modules on every start
(+200 ms) and measure that instead.
"""

from __future__ import annotations

import argparse
import compileall
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

import tui_ftp
from tests.cli.conftest import executable

FRAME_END = b"palette"  # the end of the Footer, the bottom line of the first frame (120 columns)
TARGET_SECONDS = 0.5


def first_frame_seconds(argv: list[str], home: Path, timeout: float = 10.0) -> float:
    """Seconds from spawning ``argv`` on a 120x40 pty until ``FRAME_END`` has been written."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES", "NO_COLOR")}
    env.update(
        TERM="xterm-256color", HOME=str(home), TUI_FTP_CONFIG_DIR=str(home / "config"), TUI_FTP_DATA_DIR=str(home / "data")
    )
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=home, start_new_session=True)
    os.close(slave)
    written = b""
    try:
        while FRAME_END not in written:
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"no full frame after {timeout} s; last output: {written[-300:]!r}")
            ready, _, _ = select.select([master], [], [], 0.01)
            if ready:
                written += os.read(master, 1 << 16)
        return time.perf_counter() - started
    finally:
        process.kill()
        process.wait()
        os.close(master)


def import_seconds(module: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    compileall.compile_dir(Path(tui_ftp.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
        home = Path(folder)
        first_frame_seconds([executable()], home)  # warm-up: page cache, .pyc files
        frames = [first_frame_seconds([executable()], home) for _ in range(args.runs)]
    floors = {module: statistics.median(import_seconds(module) for _ in range(3)) for module in ("textual.app", "tui_ftp.ui.app")}
    verdict = "met" if statistics.median(frames) <= TARGET_SECONDS else "**missed**"
    print(f"start-up to first full frame (120x40 pty), {args.runs} runs")
    print(f"  median {statistics.median(frames) * 1000:.0f} ms, fastest {min(frames) * 1000:.0f} ms, slowest {max(frames) * 1000:.0f} ms "
          f"(target <= {TARGET_SECONDS * 1000:.0f} ms: {verdict})")
    for module, seconds in floors.items():
        print(f"  python -c 'import {module}': {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
