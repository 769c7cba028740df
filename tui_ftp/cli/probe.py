"""``tui-ftp probe URL``: the connection doctor's report, as text or JSON.

The probe itself (:mod:`tui_ftp.engine.probe`) opens its own short connections; this only builds
the options, runs it and prints. It exits 0 whenever a report was made: what failed is in it.
"""

from __future__ import annotations

import argparse
import json

from ..engine.probe import probe
from .connect import target_from_args
from .exitcodes import ExitCode
from .output import Reporter

DEFAULT_TIMEOUT = 10.0


def run_probe(args: argparse.Namespace, out: Reporter) -> ExitCode:
    target = target_from_args(args, args.url, out.warn)
    report = probe(target.options, out, implicit_port=args.implicit_port, timeout=args.timeout or DEFAULT_TIMEOUT)
    if args.json:
        print(json.dumps(report.as_dict(), indent=1))
    else:
        print("\n".join(report.lines()))
    return ExitCode.OK
