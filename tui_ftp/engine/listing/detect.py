"""Pick the parser for a whole listing, and recognise replies that mean "empty listing".

``parse_listing`` reads the lines once to choose one parser for the listing (headers decide when
present, otherwise the format most of the first lines match), then parses every line with it. A
line the chosen parser cannot read is offered to the other strict parsers, and kept as a raw
entry when none reads it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from ..errors import UsageError
from ._common import BatchParser, LineParser, run_parser
from .dos import parse_dos_line
from .mlsd import parse_mlsd, parse_mlsd_line
from .model import Entry
from .mvs import (
    is_dataset_header,
    is_member_header,
    make_jes_line_parser,
    parse_dataset_line,
    parse_job_line,
    parse_member_line,
    parse_mvs_datasets,
)
from .unix import UnixListingParser

UNIX = "unix"
DOS = "dos"
MLSD = "mlsd"
MVS = "mvs"  # a z/OS server: one of the three below, chosen from the lines
MVS_DATASETS = "mvs-datasets"
MVS_MEMBERS = "mvs-members"
JES = "jes"
AUTO = "auto"
STYLES = (AUTO, UNIX, DOS, MLSD, MVS, MVS_DATASETS, MVS_MEMBERS, JES)

_SAMPLE_LINES = 50
_UNIX_START_RE = re.compile(r"[-bcdlpsDn][-rwxsStTlL?]{9}[+.@]?\s")
_DOS_START_RE = re.compile(r"\s*(?:\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{4}-\d\d-\d\d)\s+\d{1,2}:\d\d")
_MLSD_START_RE = re.compile(r"[A-Za-z][\w.]*=[^; ]*;")
_EMPTY_REPLY_RE = re.compile(r"\bno\s+(?:data\s*sets|members|files|jobs)\s+found\b", re.IGNORECASE)

_Classifier = Callable[[str], bool]


def parse_listing(lines: Iterable[str], *, style: str = AUTO, now: datetime | None = None) -> list[Entry]:
    """Parse a LIST reply's lines into entries, choosing the parser per listing.

    ``style`` is one of :data:`STYLES`: ``auto`` detects everything; ``mvs`` (what a client that
    saw an MVS SYST reply passes) chooses among datasets, members and JES, and reads a listing of
    bare names as members; the others force one parser. ``now`` anchors the year of ``ls`` dates
    that show a time instead of a year (default: the local time now).
    """
    if style not in STYLES:
        raise UsageError(f"unknown listing style {style!r}; expected one of {', '.join(STYLES)}")
    lines = list(lines)
    if style in (AUTO, MVS):
        style = detect_style(lines, mvs=style == MVS)
    unix = UnixListingParser(now)
    line_parsers = _line_parsers(unix)
    fallbacks = tuple(parser for name, parser in line_parsers.items() if name not in (style, MVS_MEMBERS))
    batch_parsers: dict[str, BatchParser] = {UNIX: unix.parse, MLSD: parse_mlsd, MVS_DATASETS: parse_mvs_datasets}
    batch = batch_parsers.get(style)
    if batch is not None:
        return batch(lines, fallbacks)
    return run_parser(lines, line_parsers[style], fallbacks)


def detect_style(lines: Sequence[str], *, mvs: bool = False) -> str:
    """The style of a listing: a header decides; otherwise the format most sample lines match."""
    sample = [line for line in lines[: _SAMPLE_LINES * 2] if line.strip()][:_SAMPLE_LINES]
    header_style = _style_from_headers(sample)
    if header_style is not None:
        return header_style
    votes = {name: sum(1 for line in sample if matches(line)) for name, matches in _classifiers(mvs).items()}
    best = max(votes, key=lambda name: votes[name])  # ties: the first in classifier order
    if votes[best]:
        return best
    return MVS_MEMBERS if mvs else UNIX


def is_empty_listing_reply(code: int, text: str) -> bool:
    """True for replies that mean "nothing to list" rather than an error.

    z/OS answers a LIST that matches nothing with ``550 No data sets found.`` or ``550 No members
    found.``; some servers say ``550 No files found``. Matched loosely (case, spacing).
    """
    return code == 550 and _EMPTY_REPLY_RE.search(text) is not None


def _style_from_headers(sample: Sequence[str]) -> str | None:
    for line in sample:
        if is_dataset_header(line):
            return MVS_DATASETS
        if is_member_header(line):
            return MVS_MEMBERS
        if line.startswith("JOBNAME") and "JOBID" in line:
            return JES
    return None


def _classifiers(mvs: bool) -> dict[str, _Classifier]:
    """Line tests in priority order; under ``mvs`` only the z/OS formats compete."""
    zos: dict[str, _Classifier] = {
        MVS_DATASETS: lambda line: parse_dataset_line(line) is not None,
        JES: lambda line: parse_job_line(line) is not None,
        MVS_MEMBERS: lambda line: len(line.split()) > 1 and parse_member_line(line) is not None,
    }
    if mvs:
        return zos
    return {
        UNIX: lambda line: _UNIX_START_RE.match(line) is not None,
        MLSD: lambda line: _MLSD_START_RE.match(line) is not None,
        DOS: lambda line: _DOS_START_RE.match(line) is not None,
        **zos,
    }


def _line_parsers(unix: UnixListingParser) -> dict[str, LineParser]:
    return {
        UNIX: unix.parse_line,
        DOS: parse_dos_line,
        MLSD: parse_mlsd_line,
        MVS_DATASETS: parse_dataset_line,
        JES: make_jes_line_parser(),
        MVS_MEMBERS: parse_member_line,
    }
