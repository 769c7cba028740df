"""The one record every listing parser produces.

``Entry`` is a NamedTuple rather than a dataclass: 100,000-line listings must parse in well under
150 ms, and a tuple is the cheapest immutable record Python builds.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from typing import NamedTuple


class EntryKind(enum.Enum):
    FILE = "file"
    DIR = "dir"  # anything you can enter: folders, partitioned datasets, JES jobs
    LINK = "link"
    OTHER = "other"  # special files, and raw lines no parser could read


class Entry(NamedTuple):
    name: str
    kind: EntryKind
    size: int | None = None
    modified: datetime | None = None  # aware (UTC) when the source says so, naive local otherwise
    permissions: str = ""  # "rwxr-xr-x"-style, or the server's own text
    owner: str = ""
    group: str = ""
    link_target: str | None = None
    # MVS/JES/Unix extras: volume, recfm, lrecl, jobid... A dict, or for the common z/OS dataset row
    # a read-only mapping that splits the row when first read (``mvs.DatasetAttributes``).
    attrs: Mapping[str, str] | None = None
    raw: str = ""  # the original line, for entries no parser could read and for display

    @property
    def is_dir(self) -> bool:
        return self.kind is EntryKind.DIR

    @property
    def unparsed(self) -> bool:
        """True for a raw line kept because no parser could read it (never silently dropped)."""
        return self.kind is EntryKind.OTHER and bool(self.attrs and self.attrs.get("unparsed"))
