"""Regenerate ``screenshots/*.svg`` from the real app connected to the demo servers.

Run: ``python -m tui_ftp.ui.screenshots`` (``--out screenshots``). Nothing leaves the machine: the
demo servers run on loopback, and the settings, pins and sites the app writes meanwhile go to a
temporary folder (``TUI_FTP_CONFIG_DIR`` / ``TUI_FTP_DATA_DIR``), never the user's own.

Pictures: the main view (120x40 and 80x24), transfers in flight, the certificate trust dialog, the
site manager, and a z/OS catalog with a data set contention wait in the queue. For the transfers
picture the demo server's data connections are throttled, so the shot catches them running.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from pyftpdlib.handlers import ThrottledDTPHandler, TLS_DTPHandler, TLS_FTPHandler

from ..demo.certs import CertFiles
from ..demo.server import DemoServer, ZosDemoServer
from ..engine.listing import Entry, EntryKind
from ..engine.options import TLSOptions
from .app import TuiFtpApp

WIDE = (120, 40)
NARROW = (80, 24)
_TIMEOUT = 30.0


class _SlowData(ThrottledDTPHandler, TLS_DTPHandler):
    read_limit = write_limit = 3 << 20  # 3 MiB/s per data connection


class SlowDemoServer(DemoServer):
    """The demo server with throttled data connections (for the transfers picture only)."""

    def _handler_class(self, certificate: CertFiles) -> type[TLS_FTPHandler]:
        return type("SlowDemoHandler", (super()._handler_class(certificate),), {"dtp_handler": _SlowData})


async def until(condition: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + _TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"screenshots: timed out waiting for {what}")
        await asyncio.sleep(0.05)


def sample_local_folder(root: Path) -> Path:
    """A small local folder with a fixed path, so the pictures do not show random names."""
    folder = root / "local"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "reports").mkdir(parents=True)
    (folder / "scripts").mkdir()
    (folder / "notes.txt").write_text("Things to copy to the mainframe.\n")
    (folder / "payroll.jcl").write_text("//PAYROLL JOB (ACCT),'PAY',CLASS=A\n")
    (folder / "backup.tar.gz").write_bytes(b"\0" * 180_000)
    return folder


async def ready(app: TuiFtpApp) -> None:
    await until(lambda: app.connection is not None and app.pane("remote").path != "", "the remote listing")
    await until(lambda: bool(app.pane("local").path), "the local listing")


async def settle(pilot: Any) -> None:
    """Let pending refreshes and layout finish (workers may be waiting on a dialog: not awaited)."""
    await pilot.pause(0.5)
    await pilot.wait_for_scheduled_animations()


async def shot(app: TuiFtpApp, out: Path, name: str) -> Path:
    app.clear_notifications()
    await asyncio.sleep(0.1)
    path = Path(app.save_screenshot(f"{name}.svg", str(out)))
    print(f"wrote {path}")
    return path


async def main_view(out: Path, local: Path, size: tuple[int, int], name: str) -> None:
    with DemoServer(big=True) as demo:
        app = TuiFtpApp(demo.connect_options, local_path=str(local))
        async with app.run_test(size=size) as pilot:
            await ready(app)
            remote = app.pane("remote").file_list
            remote.focus()
            remote.move_cursor_to_name("docs")
            await settle(pilot)
            await shot(app, out, name)


async def transfers(out: Path, local: Path) -> None:
    target = local / "downloads"
    target.mkdir(exist_ok=True)
    with SlowDemoServer(big=False) as demo:
        app = TuiFtpApp(demo.connect_options, "/binary", local_path=str(target), parallel=2)
        async with app.run_test(size=WIDE) as pilot:
            await ready(app)
            manager = app.connection.transfers  # type: ignore[union-attr]
            for entry in app.pane("remote").file_list.entries:
                manager.download("/binary", entry, target)
            manager.download("/", Entry("docs", EntryKind.DIR), target)
            app.action_show_transfers()
            await until(lambda: sum(1 for t in manager.snapshot() if t.done and not t.status.finished) >= 2, "two transfers running")
            await pilot.pause(1.5)
            await shot(app, out, "transfers")
            manager.cancel_all()


async def certificate_dialog(out: Path, local: Path) -> None:
    from .screens.trust import TrustScreen

    with DemoServer(big=False) as demo:
        options = demo.connect_options.with_changes(tls=TLSOptions())  # without the demo CA: unknown issuer
        app = TuiFtpApp(options, local_path=str(local))
        async with app.run_test(size=WIDE) as pilot:
            await until(lambda: isinstance(app.screen, TrustScreen), "the trust dialog")
            await settle(pilot)
            await shot(app, out, "certificate-dialog")


async def site_manager(out: Path, local: Path, config: Path) -> None:
    from ..engine.options import CCCMode, Security, ServerType
    from ..sites.profile import PasswordMode, SiteProfile
    from ..sites.store import SiteStore
    from .screens.site_manager import SiteManagerScreen

    store = SiteStore(config / "sites.toml")
    examples = [
        SiteProfile(name="Production LPAR", folder="Mainframe", host="zos1.example.com", user="USER1", security=Security.EXPLICIT_TLS,
                    ccc=CCCMode.NO_NOTIFY, server_type=ServerType.MVS, password_mode=PasswordMode.ASK),
        SiteProfile(name="Test LPAR", folder="Mainframe", host="zos2.example.com", port=990, user="USER1",
                    security=Security.IMPLICIT_CLEAR_GREETING, server_type=ServerType.MVS, password_mode=PasswordMode.ASK),
        SiteProfile(name="Web uploads", folder="Unix", host="files.example.com", user="deploy", password_mode=PasswordMode.ASK),
        SiteProfile(name="Legacy partner", folder="Unix", host="ftp.partner.example", user="acme", security=Security.TLS_IF_AVAILABLE,
                    password_mode=PasswordMode.ASK),
    ]
    for profile in examples:
        store.add(profile)
    app = TuiFtpApp(local_path=str(local))
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        app.push_screen(SiteManagerScreen(store, select="Production LPAR"))
        await until(lambda: isinstance(app.screen, SiteManagerScreen), "the site manager")
        await settle(pilot)
        await shot(app, out, "site-manager")


async def zos_listing(out: Path, local: Path) -> None:
    with ZosDemoServer(big=False) as demo:
        assert demo.server is not None
        demo.server.hold("USER1.ALFRED.PDSE(APICLN)", waits=3, interval=60.0, holder="PAYJOB7 (J0887691)")
        options = replace(demo.connect_options, contention_retries=0)
        app = TuiFtpApp(options, local_path=str(local))
        async with app.run_test(size=WIDE) as pilot:
            await ready(app)
            remote = app.pane("remote")
            manager = app.connection.transfers  # type: ignore[union-attr]
            pds = "'USER1.ALFRED.PDSE'"
            manager.download(pds, Entry("APICLN", EntryKind.FILE), local)
            await until(lambda: any(t.contention for t in manager.snapshot()), "the contention wait")
            remote.file_list.focus()
            remote.file_list.move_cursor_to_name("ALFRED.PDSE")
            app.action_show_transfers()
            remote.file_list.focus()
            await settle(pilot)
            await shot(app, out, "zos-listing")
            manager.cancel_all()


async def run(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.gettempdir()) / "tui-ftp-screenshots"
    work.mkdir(exist_ok=True)
    config, data = work / "config", work / "data"
    for folder in (config, data):
        shutil.rmtree(folder, ignore_errors=True)
    os.environ["TUI_FTP_CONFIG_DIR"], os.environ["TUI_FTP_DATA_DIR"] = str(config), str(data)
    local = sample_local_folder(work)
    steps: list[Callable[[], Awaitable[None]]] = [
        lambda: main_view(out, local, WIDE, "main-view"),
        lambda: main_view(out, local, NARROW, "main-view-80x24"),
        lambda: transfers(out, local),
        lambda: certificate_dialog(out, local),
        lambda: site_manager(out, local, config),
        lambda: zos_listing(out, local),
    ]
    for step in steps:
        await step()
    shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    arguments = parser.parse_args()
    asyncio.run(run(arguments.out))


if __name__ == "__main__":
    main()
