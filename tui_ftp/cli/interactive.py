"""``tui-ftp`` without a batch command: the TUI, optionally connected, or the demo.

``TUI_FTP_HEADLESS_EXIT_AFTER=SECONDS`` runs the app headless and quits it after that many seconds:
a smoke test of start-up and shutdown for CI (the demo server must be gone afterwards). With
``TUI_FTP_HEADLESS_SCREENSHOT=FILE`` the last screen is saved there (SVG) just before quitting.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from ..engine.errors import UsageError
from ..engine.options import ConnectOptions
from .connect import target_from_args
from .exitcodes import ExitCode
from .output import Reporter

HEADLESS_EXIT_ENV = "TUI_FTP_HEADLESS_EXIT_AFTER"
HEADLESS_SCREENSHOT_ENV = "TUI_FTP_HEADLESS_SCREENSHOT"


def run_interactive(args: argparse.Namespace, out: Reporter) -> ExitCode:
    if args.zos and not args.demo:
        raise UsageError("--zos goes with --demo (the z/OS-like demo server)")
    if args.demo and (args.url or args.site):
        raise UsageError("--demo connects to its own server: leave out the URL and --site")
    if args.demo:
        return _run_demo(args.zos, out)
    connect: ConnectOptions | None = None
    path = ""
    if args.url:
        target = target_from_args(args, args.url, out.warn)
        connect, path = target.options, target.path
    return _run_app(out, connect=connect, path=path, site=args.site if connect is None else None)


def _run_demo(zos: bool, out: Reporter) -> ExitCode:
    from ..demo.server import start_demo_server

    server = start_demo_server(zos=zos)
    try:
        note = f"{server.describe()}; it stops when you quit"
        return _run_app(out, connect=server.connect_options, path="", site=None, demo_note=note)
    finally:
        server.stop()


def _run_app(out: Reporter, **app_arguments: Any) -> ExitCode:
    try:
        from ..ui.app import TuiFtpApp
    except ImportError as error:
        out.error(f"the TUI is not available in this installation ({error}); batch commands still work")
        return ExitCode.FAILURE
    app = TuiFtpApp(**app_arguments)
    exit_after = _headless_exit_after()
    if exit_after is None:
        app.run()
    else:
        app.run(headless=True, auto_pilot=_quit_after(exit_after, os.environ.get(HEADLESS_SCREENSHOT_ENV)))
    return ExitCode.OK if not app.return_code else ExitCode.FAILURE


def _headless_exit_after() -> float | None:
    text = os.environ.get(HEADLESS_EXIT_ENV, "").strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        raise UsageError(f"{HEADLESS_EXIT_ENV} must be a number of seconds (got {text!r})") from None


def _quit_after(seconds: float, screenshot: str | None) -> Any:
    async def pilot(driver: Any) -> None:
        await driver.pause(seconds)
        if screenshot:
            folder, name = os.path.split(os.path.abspath(screenshot))
            driver.app.save_screenshot(name, path=folder)
        driver.app.exit()

    return pilot
