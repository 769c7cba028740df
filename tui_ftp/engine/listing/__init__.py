"""Listing parsers: pure functions from text lines to :class:`Entry` tuples (no sockets).

* :func:`parse_listing` — a LIST reply, any format, parser chosen per listing;
* :func:`parse_mlsd` / :func:`parse_mlst_facts` — RFC 3659 machine listings (every fact of an
  entry, ``unique``/``perm``..., on demand with :func:`mlsd_facts` from ``Entry.raw``);
* :func:`is_empty_listing_reply` — ``550 No data sets found.`` and friends mean "empty".

Every parser is total: a line it cannot read becomes a raw entry (``Entry.unparsed``), never an
exception and never a silently dropped line. Names are kept exactly as sent (sanitising them for
display or for local paths is the caller's job).
"""

from .detect import STYLES, detect_style, is_empty_listing_reply, parse_listing
from .dos import parse_dos
from .mlsd import mlsd_facts, parse_mlsd, parse_mlsd_line, parse_mlst_facts
from .model import Entry, EntryKind
from .mvs import parse_jes, parse_mvs_datasets, parse_mvs_members
from .unix import parse_unix

__all__ = [
    "STYLES",
    "Entry",
    "EntryKind",
    "detect_style",
    "is_empty_listing_reply",
    "mlsd_facts",
    "parse_dos",
    "parse_jes",
    "parse_listing",
    "parse_mlsd",
    "parse_mlsd_line",
    "parse_mlst_facts",
    "parse_mvs_datasets",
    "parse_mvs_members",
    "parse_unix",
]
