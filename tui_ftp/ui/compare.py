"""Compare two folders by name: which files are missing, newer or of another size on each side.

Pure (no Textual). Folders are compared by presence only. Times from different clocks and
listing formats (a Unix ``LIST`` shows minutes, MLSD seconds) are compared with a tolerance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ..engine.listing import Entry

TIME_TOLERANCE = timedelta(minutes=1)


@dataclass
class SideDifferences:
    """What one side has that the other lacks or has older: names to select on that side."""

    missing_there: list[str] = field(default_factory=list)
    newer: list[str] = field(default_factory=list)
    different_size: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [*self.missing_there, *self.newer, *self.different_size]

    def describe(self, there: str) -> str:
        parts = []
        if self.missing_there:
            parts.append(f"{len(self.missing_there)} missing {there}")
        if self.newer:
            parts.append(f"{len(self.newer)} newer")
        if self.different_size:
            parts.append(f"{len(self.different_size)} of another size")
        return ", ".join(parts) or "nothing to copy"


@dataclass
class Comparison:
    left: SideDifferences
    right: SideDifferences

    @property
    def identical(self) -> bool:
        return not self.left.names and not self.right.names


def compare_listings(left: Sequence[Entry], right: Sequence[Entry]) -> Comparison:
    """Compare by name. A pair of files differs by time (the newer side is marked) else by size."""
    result = Comparison(SideDifferences(), SideDifferences())
    right_by_name = {entry.name: entry for entry in right}
    left_names = {entry.name for entry in left}
    for entry in left:
        other = right_by_name.get(entry.name)
        if other is None:
            result.left.missing_there.append(entry.name)
        elif not entry.is_dir and not other.is_dir:
            _compare_pair(entry, other, result)
    result.right.missing_there.extend(entry.name for entry in right if entry.name not in left_names)
    return result


def _compare_pair(left: Entry, right: Entry, result: Comparison) -> None:
    newer = _newer(left.modified, right.modified)
    if newer == "left":
        result.left.newer.append(left.name)
    elif newer == "right":
        result.right.newer.append(right.name)
    elif left.size is not None and right.size is not None and left.size != right.size:
        result.left.different_size.append(left.name)
        result.right.different_size.append(right.name)


def _newer(left: datetime | None, right: datetime | None) -> str | None:
    if left is None or right is None:
        return None
    difference = _as_utc(left) - _as_utc(right)
    if difference > TIME_TOLERANCE:
        return "left"
    if difference < -TIME_TOLERANCE:
        return "right"
    return None


def _as_utc(moment: datetime) -> datetime:
    """Naive times are local (local files, LIST output); aware ones (MLSD) are converted."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.astimezone().astimezone(UTC)
