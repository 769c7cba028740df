"""The file pane: a virtual list that renders only the rows on screen (Textual's Line API).

DataTable, OptionList and ListView cost time and memory per row; at 100,000 rows they freeze the UI
for seconds (``/work/shared/reference/textual-figures.md``). ``FileList`` keeps the entries in one list
and the display order as a list of indexes into it, so showing, sorting, filtering and hiding are a
few C-level passes over lists (``sorted``, ``itertools.compress``, ``map``), and a repaint renders
only the visible rows, cached as Strips.

Big listings never freeze the UI. Ordering 500,000 entries takes 0.3–0.6 s of CPU, and any one C
call holds the GIL throughout, so the passes are cut into steps of a few ms (``stepwise``) and run
on the event loop: a listing of more than ``SYNC_ENTRIES`` entries that is not ordered within a
first 10 ms slice is shown at once in the order given (the summary says ``Sorting…``), and its
rows are replaced, with the cursor kept, when the order is ready. Sorting and filtering a big
listing work the same way; a new request cancels the one in progress (``wait_ordered`` waits for
the result). Once shown, a big listing's size and time orders are prepared in the background, so
that ctrl+s / ctrl+t are instant. While the background work runs the cyclic GC is held, and then
everything alive is frozen (``gc.freeze``): otherwise each collection would walk the hundreds of
thousands of new objects again. A replaced listing is freed a chunk at a time.

Bindings (type-to-filter takes the other printable keys):

| Key | Action |
| :- | :- |
| up/down, pageup/pagedown, home/end | Move the cursor |
| enter | Open the entry under the cursor (posts `FileList.Activated`) |
| space, insert | Select/unselect the cursor entry and move down |
| + / - | Select / unselect the names matching a glob (asks for the pattern) |
| * | Invert the selection |
| . | Show/hide hidden (dot) files |
| ctrl+n / ctrl+s / ctrl+t | Sort by name / size / time (again: reverse) |
| printable keys | Type to filter (case-insensitive substring); backspace edits, escape clears |

While a filter is being typed every printable key (space, ``+``, ``-``, ``*``, ``.`` too) extends it;
those command keys work when the filter is empty. ``insert`` selects in either case.
"""

from __future__ import annotations

import asyncio
import fnmatch
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from itertools import chain, compress, repeat
from operator import itemgetter
from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.screen import ModalScreen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input, Label

from tui_ftp.display import exact_size, human_size, plural, safe_text, short_time
from tui_ftp.engine.listing.model import Entry, EntryKind
from tui_ftp.localfs import TARGET_KIND
from tui_ftp.ui.widgets.stepwise import (
    CHUNK,
    Steps,
    drained,
    emptied,
    holding_collector,
    run_for,
    run_now,
    run_stepwise,
    sorted_stepwise,
    summed,
)

__all__ = ["COLUMN_SETS", "PARENT_ENTRY", "Column", "FileList", "PatternPrompt"]

#: The ``..`` row at the top of a listing; ``FileList.Activated`` carries exactly this object.
PARENT_ENTRY = Entry("..", EntryKind.DIR)
_PARENT = -1  # the row index of PARENT_ENTRY in the display order

NAME_MIN_WIDTH = 16  # columns drop before the Name column gets narrower than this
_GAP = " "
_ELLIPSIS = "…"
_EPOCH = datetime(1970, 1, 1)
_EPOCH_UTC = datetime(1970, 1, 1, tzinfo=UTC)
_UNKNOWN = float("-inf")  # the sort key of a missing size or time: first in ascending order
_DIR, _LINK = EntryKind.DIR, EntryKind.LINK


# -- columns -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a column set."""

    key: str  # what sort_by() takes
    title: str
    width: int  # cells; 0 for the Name column, which takes what the others leave
    text: Callable[[Entry], str]  # the cell text, already safe to show
    sort_key: Callable[[Entry], str | float] | None = None  # None: the cell text, case-folded
    right: bool = False
    drop_rank: int = 0  # as the pane narrows the highest rank drops first; 0 never drops


def _is_folder(entry: Entry) -> bool:
    """Folders, and local symlinks to folders, are listed (and sorted) with the folders."""
    if entry.kind is _DIR:
        return True
    attrs = entry.attrs
    return entry.kind is _LINK and attrs is not None and attrs.get(TARGET_KIND) == "dir"


def _name_text(entry: Entry) -> str:
    """The name, with ``ls -F`` marks so kinds read without colour: ``dir/``, ``link@``."""
    name = safe_text(entry.name)
    if entry is PARENT_ENTRY:
        return name
    if entry.kind is _DIR:
        return name + "/"
    if entry.kind is _LINK:
        return name + "@"
    return name


def _folder_size_text(entry: Entry, size_text: Callable[[int | None], str]) -> str:
    if entry is PARENT_ENTRY:
        return "<UP>"
    if entry.kind is _DIR:
        return "<DIR>"
    return size_text(entry.size)


def _size_text(entry: Entry) -> str:
    return _folder_size_text(entry, human_size)


def _exact_size_text(entry: Entry) -> str:
    return _folder_size_text(entry, exact_size)


def _size_key(entry: Entry) -> float:
    return _UNKNOWN if entry.size is None else float(entry.size)


def _time_key(entry: Entry) -> float:
    moment = entry.modified
    if moment is None:
        return _UNKNOWN
    return (moment - (_EPOCH if moment.tzinfo is None else _EPOCH_UTC)).total_seconds()


def _fast_size_keys(entries: Sequence[Entry]) -> list[float]:
    """``_size_key`` of each entry at C speed; TypeError when a size is unknown."""
    return list(map(float, map(itemgetter(2), entries)))


def _fast_time_keys(entries: Sequence[Entry]) -> list[float]:
    """``_time_key`` of each entry at C speed; TypeError when a time is missing or naive and aware mix."""
    moments = list(map(itemgetter(3), entries))
    for epoch in (_EPOCH, _EPOCH_UTC):
        try:
            return list(map(timedelta.total_seconds, map(operator.sub, moments, repeat(epoch))))
        except TypeError:
            continue
    raise TypeError("times not all of one kind")


# Per-entry sort keys that have a faster version for many entries at once.
_FAST_SORT_KEYS: dict[Callable[[Entry], str | float], Callable[[Sequence[Entry]], list[float]]] = {
    _size_key: _fast_size_keys,
    _time_key: _fast_time_keys,
}


def _sort_keys(entries: list[Entry], sort_key: Callable[[Entry], str | float]) -> Steps[list[str | float]]:
    """``sort_key`` of every entry, a chunk at a time, at C speed for chunks the fast version takes."""
    fast = _FAST_SORT_KEYS.get(sort_key)
    if fast is None:
        return (yield from drained(map(sort_key, entries)))
    keys: list[str | float] = []
    for start in range(0, len(entries), CHUNK):
        chunk = entries[start : start + CHUNK]
        try:
            keys += fast(chunk)
        except TypeError:  # a missing value, or naive and aware times mixed: key by key
            keys += map(sort_key, chunk)
        yield
    return keys


def _modified_text(entry: Entry) -> str:
    return short_time(entry.modified)


def _permissions_text(entry: Entry) -> str:
    return safe_text(entry.permissions)


def _owner_text(entry: Entry) -> str:
    return safe_text(entry.owner)


def _attr_text(key: str) -> Callable[[Entry], str]:
    """The cell text of an ``Entry.attrs`` value (MVS and JES columns)."""

    def text(entry: Entry) -> str:
        return safe_text(entry.attrs.get(key, "")) if entry.attrs else ""

    return text


def _attr_number(key: str) -> Callable[[Entry], float]:
    """Sort numeric ``attrs`` values (LRECL, BLKSIZE, record counts) as numbers."""

    def number(entry: Entry) -> float:
        value = entry.attrs.get(key, "") if entry.attrs else ""
        return float(value) if value.isdecimal() else _UNKNOWN

    return number


def _member_size_text(entry: Entry) -> str:
    """A PDS member's ISPF record count, or the byte size of a load module."""
    records = entry.attrs.get("size", "") if entry.attrs else ""
    return safe_text(records) if records else human_size(entry.size)


def _member_size_key(entry: Entry) -> float:
    records = _attr_number("size")(entry)
    return records if records != _UNKNOWN else _size_key(entry)


def _job_name_text(entry: Entry) -> str:
    """A job's name, or a spool file's DD name when listing inside a job."""
    attrs = entry.attrs or {}
    return safe_text(attrs.get("jobname") or attrs.get("ddname", ""))


NAME = Column("name", "Name", 0, _name_text)
SIZE = Column("size", "Size", 8, _size_text, _size_key, right=True, drop_rank=1)
MODIFIED = Column("modified", "Modified", 16, _modified_text, _time_key, drop_rank=2)
PERMISSIONS = Column("permissions", "Permissions", 11, _permissions_text, drop_rank=3)
EXACT_SIZE_WIDTH = 15

COLUMN_SETS: dict[str, tuple[Column, ...]] = {
    "files": (NAME, SIZE, MODIFIED, PERMISSIONS),
    "mvs": (
        replace(NAME, title="Dataset"),
        Column("volume", "Volume", 6, _attr_text("volume"), drop_rank=6),
        Column("recfm", "Recfm", 5, _attr_text("recfm"), drop_rank=3),
        Column("lrecl", "Lrecl", 5, _attr_text("lrecl"), _attr_number("lrecl"), right=True, drop_rank=4),
        Column("blksize", "BlkSz", 5, _attr_text("blksize"), _attr_number("blksize"), right=True, drop_rank=5),
        Column("dsorg", "Dsorg", 5, _attr_text("dsorg"), drop_rank=1),
        replace(MODIFIED, title="Referred", width=10, text=_attr_text("referred"), drop_rank=2),
    ),
    "mvs-members": (
        replace(NAME, title="Member"),
        Column("size", "Size", 7, _member_size_text, _member_size_key, right=True, drop_rank=1),
        replace(MODIFIED, title="Changed"),
        Column("id", "Id", 8, _owner_text, drop_rank=3),
    ),
    "jes": (
        replace(NAME, title="Job ID"),
        Column("jobname", "Job name", 8, _job_name_text, drop_rank=1),
        Column("owner", "Owner", 8, _owner_text, drop_rank=4),
        Column("status", "Status", 8, _attr_text("status"), drop_rank=3),
        Column("rc", "RC", 11, _attr_text("rc"), drop_rank=2),
    ),
}
"""Column sets by name: ``files`` (Unix, DOS, local), ``mvs`` (z/OS datasets), ``mvs-members``
(PDS members), ``jes`` (JES jobs and spool files). The attrs keys are those of
``tui_ftp.engine.listing.mvs``."""

# Sort keys that work in every column set (the ctrl+s / ctrl+t bindings use them).
_GENERIC_COLUMNS = {column.key: column for column in (NAME, SIZE, MODIFIED)}


@dataclass(frozen=True, slots=True)
class _Layout:
    """The columns that fit a width, with the width each gets (the mark cell comes first)."""

    cells: tuple[tuple[Column, int], ...]


def _fit_columns(columns: Sequence[Column], width: int) -> _Layout:
    """Drop columns (highest drop_rank first) until the Name column gets NAME_MIN_WIDTH."""
    kept = list(columns)
    available = width - 1  # the selection mark
    while True:
        fixed = sum(column.width + len(_GAP) for column in kept if column.width)
        droppable = [column for column in kept if column.drop_rank]
        if available - fixed >= NAME_MIN_WIDTH or not droppable:
            break
        kept.remove(max(droppable, key=lambda column: column.drop_rank))
    name_width = max(1, available - fixed)
    return _Layout(tuple((column, column.width or name_width) for column in kept))


def _fit(text: str, width: int, right: bool = False) -> str:
    """``text`` padded or cut (with an ellipsis) to exactly ``width`` cells."""
    cells = len(text) if text.isascii() else cell_len(text)
    if cells <= width:
        padding = " " * (width - cells)
        return padding + text if right else text + padding
    if width <= 1:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + _ELLIPSIS


# -- one listing and what is derived from it -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _View:
    """The settings a list of rows is built for."""

    sort: Column
    reverse: bool
    hide_hidden: bool
    filter: str

    def narrows(self, built: _View | None) -> bool:
        """Whether rows built for ``built`` hold all the rows of this view (only the filter grew)."""
        return (
            built is not None
            and bool(built.filter)
            and built.filter.casefold() in self.filter.casefold()
            and (built.sort, built.reverse, built.hide_hidden) == (self.sort, self.reverse, self.hide_hidden)
        )


def _column_keys(entries: list[Entry], column: Column) -> Steps[Sequence[str | float]]:
    """A column's sort key for every entry: its ``sort_key``, else its case-folded cell text."""
    if column.sort_key is None:
        return (yield from drained(map(str.casefold, map(column.text, entries))))
    return (yield from _sort_keys(entries, column.sort_key))


class _Listing:
    """The entries of one listing and the per-entry lists derived from them, each built once.

    Every derived list is built by a generator of bounded steps (see ``stepwise``), so a big
    listing is prepared on the event loop without freezing it; ``run_now`` builds one at once.
    """

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries: list[Entry] = list(entries)
        # What ``FileList.entries`` hands out: the caller's own list if it gave one, else ours
        # (which ``own_lists`` must then leave alone).
        self.given: Sequence[Entry] = entries if isinstance(entries, list) else self.entries
        self.groups: dict[object, tuple[list[int], list[int]]] = {}  # sort identity -> (folders, files)
        self._folded: list[str] | None = None
        self._folder_flags: list[bool] | None = None
        self._hidden_flags: list[bool] | None = None
        self._totals: tuple[int, int] | None = None

    def __len__(self) -> int:
        return len(self.entries)

    def own_lists(self) -> list[list[Any]]:
        """The lists only this listing holds (to free them gradually once it is replaced)."""
        lists: list[list[Any]] = [self._folded or [], self._folder_flags or [], self._hidden_flags or []]
        lists += chain.from_iterable(self.groups.values())
        if self.given is not self.entries:
            lists.append(self.entries)
        return lists

    def folded(self) -> Steps[list[str]]:
        """The case-folded names (the name sort key and what the filter matches)."""
        if self._folded is None:
            self._folded = yield from drained(map(str.casefold, map(itemgetter(0), self.entries)))
        return self._folded

    def folder_flags(self) -> Steps[list[bool]]:
        """Per entry: listed with the folders? Only links need a closer look."""
        if self._folder_flags is None:
            entries = self.entries
            kinds = yield from drained(map(itemgetter(1), entries))
            flags = yield from drained(map(operator.is_, kinds, repeat(_DIR)))
            links = yield from drained(compress(range(len(kinds)), map(operator.is_, kinds, repeat(_LINK))))
            with_attrs = yield from drained(map(itemgetter(8), map(entries.__getitem__, links)))
            links = yield from drained(compress(links, with_attrs))
            yield from drained(map(flags.__setitem__, links, map(_is_folder, map(entries.__getitem__, links))))
            self._folder_flags = flags
        return self._folder_flags

    def is_folder(self, index: int) -> bool:
        """One entry's folder flag, without building them all."""
        flags = self._folder_flags
        return flags[index] if flags is not None else _is_folder(self.entries[index])

    def hidden_flags(self) -> Steps[list[bool]]:
        if self._hidden_flags is None:
            folded = yield from self.folded()
            self._hidden_flags = yield from drained(map(str.startswith, folded, repeat(".")))
        return self._hidden_flags

    def name_groups(self) -> Steps[tuple[list[int], list[int]]]:
        """Folders and files in name order. Partition first (sequential passes), then sort each."""
        groups = self.groups.get(_NAME_ORDER)
        if groups is None:
            flags = yield from self.folder_flags()
            key = (yield from self.folded()).__getitem__
            indexes = range(len(flags))
            folders = yield from drained(compress(indexes, flags))
            files = yield from drained(compress(indexes, map(operator.not_, flags)))
            groups = self.groups[_NAME_ORDER] = (
                (yield from sorted_stepwise(folders, key)),
                (yield from sorted_stepwise(files, key)),
            )
        return groups

    def groups_by(self, column: Column) -> Steps[tuple[list[int], list[int]]]:
        """Folders and files in ascending ``column`` order, ties in name order."""
        if column.key == _NAME_ORDER:
            return (yield from self.name_groups())
        identity = column.sort_key or column.text  # columns that sort alike share an order
        groups = self.groups.get(identity)
        if groups is None:
            folders, files = yield from self.name_groups()
            key = (yield from _column_keys(self.entries, column)).__getitem__
            groups = self.groups[identity] = (
                (yield from sorted_stepwise(folders, key)),
                (yield from sorted_stepwise(files, key)),
            )
        return groups

    def rows(self, view: _View, narrowed: Sequence[int] | None = None) -> Steps[list[int]]:
        """The rows ``view`` shows; ``narrowed``: rows for a view this one narrows (saves the sort)."""
        if narrowed is None:
            folders, files = yield from self.groups_by(view.sort)
            both = chain(reversed(folders), reversed(files)) if view.reverse else chain(folders, files)
            order = yield from drained(both)
            if view.hide_hidden:
                hidden = yield from self.hidden_flags()
                shown = yield from drained(map(operator.not_, map(hidden.__getitem__, order)))
                order = yield from drained(compress(order, shown))
        else:
            order = list(narrowed)
        if view.filter:
            order = yield from self.matching(order, view.filter)
        return order

    def rows_summary(self, rows: Sequence[int]) -> Steps[str]:
        """``34 folders, 25 files, 4.6 GB`` for ``rows``."""
        if len(rows) == len(self.entries):  # every entry: read them in listing order
            folders, total = yield from self.totals()
        else:
            flags = yield from self.folder_flags()
            folders = yield from summed(map(flags.__getitem__, rows))
            total = yield from self.bytes_of(rows)
        files = len(rows) - folders
        return f"{plural(folders, 'folder')}, {plural(files, 'file')}, {human_size(total)}"

    def totals(self) -> Steps[tuple[int, int]]:
        """(folders, bytes of the files) over the whole listing, read in listing order."""
        if self._totals is None:
            flags = yield from self.folder_flags()
            folders = yield from summed(iter(flags))
            files = compress(self.entries, map(operator.not_, flags))
            self._totals = (folders, (yield from summed(filter(None, map(itemgetter(2), files)))))
        return self._totals

    def bytes_of(self, indexes: Iterable[int]) -> Steps[int]:
        """Total size of the files among ``indexes`` (folders and unknown sizes count 0)."""
        flags = yield from self.folder_flags()
        indexes = list(indexes)
        files = compress(indexes, map(operator.not_, map(flags.__getitem__, indexes)))
        return (yield from summed(filter(None, map(itemgetter(2), map(self.entries.__getitem__, files)))))

    def matching(self, order: list[int], text: str) -> Steps[list[int]]:
        """The indexes in ``order`` whose name contains ``text`` (case-insensitive).

        For a long ``order`` the match is computed in listing order (a sequential pass over the
        names), then picked in display order from a list of booleans: far fewer cache misses than
        visiting names in display order.
        """
        needle = text.casefold()
        folded = yield from self.folded()
        if len(order) < len(folded) // 4:
            hits = yield from drained(map(operator.contains, map(folded.__getitem__, order), repeat(needle)))
        else:
            matches = yield from drained(map(operator.contains, folded, repeat(needle)))
            hits = yield from drained(map(matches.__getitem__, order))
        return (yield from drained(compress(order, hits)))


_NAME_ORDER = "name"  # the key of the name order in _Listing.groups


class _CursorPlan:
    """Where the cursor goes when reordered rows are shown (see ``FileList._place_cursor``)."""


_KEEP = _CursorPlan()  # on the entry it is on, else on the first entry row
_FIRST = _CursorPlan()  # on the first entry row (the filter grew)


@dataclass(frozen=True, slots=True)
class _Request:
    """One call for new rows; only the latest (highest ``generation``) is shown."""

    generation: int
    view: _View
    cursor: _CursorPlan
    summary: bool


_ORDERING = "file-list-ordering"  # the worker group of background ordering
_RELEASING = "file-list-releasing"  # the worker group freeing replaced listings
_FIRST_SLICE_SECONDS = 0.010  # ordering done at once before the rest is left to the event loop


# -- the widget ----------------------------------------------------------------------------------


class FileList(ScrollView, can_focus=True):
    """A virtual, sortable, filterable file pane with multi-select. See the module docstring."""

    DEFAULT_CSS = """
    FileList {
        overflow-x: hidden;
        overflow-y: auto;
        background: $surface;
        color: $foreground;
        & > .file-list--header { text-style: bold; color: $text-muted; }
        & > .file-list--filter { text-style: bold reverse; color: $warning; }
        & > .file-list--dir { color: $primary; text-style: bold; }
        & > .file-list--link { color: $secondary; }
        & > .file-list--unparsed { color: $text-muted; text-style: italic; }
        & > .file-list--selected { color: $warning; text-style: bold; }
        & > .file-list--placeholder { color: $text-muted; text-style: italic; }
        & > .file-list--cursor { text-style: underline; background: $block-cursor-blurred-background; }
        &:focus > .file-list--cursor {
            color: $block-cursor-background;
            background: $surface;
            text-style: bold reverse;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "file-list--header",
        "file-list--filter",
        "file-list--dir",
        "file-list--link",
        "file-list--unparsed",
        "file-list--selected",
        "file-list--placeholder",
        "file-list--cursor",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "activate", "Open", show=True),
        Binding("insert", "toggle_selection", "Select", show=True),
        Binding("space", "toggle_selection", "Select", show=False),
        Binding("plus", "select_pattern(True)", "Select…", show=True),
        Binding("minus", "select_pattern(False)", "Unselect…", show=False),
        Binding("asterisk", "invert_selection", "Invert selection", show=False),
        Binding("full_stop", "toggle_hidden", "Hidden", show=True),
        Binding("ctrl+n", "sort('name')", "Sort by name", show=False),
        Binding("ctrl+s", "sort('size')", "Sort by size", show=False),
        Binding("ctrl+t", "sort('modified')", "Sort by time", show=False),
        Binding("up", "cursor_by(-1)", "Up", show=False),
        Binding("down", "cursor_by(1)", "Down", show=False),
        Binding("pageup", "cursor_page(-1)", "Page up", show=False),
        Binding("pagedown", "cursor_page(1)", "Page down", show=False),
        Binding("home", "cursor_to(0)", "First", show=False),
        Binding("end", "cursor_to(-1)", "Last", show=False),
    ]

    #: Listings up to this size are always ordered before ``set_entries``/``sort_by`` return.
    SYNC_ENTRIES: ClassVar[int] = 5_000
    #: Hold the cyclic GC while ordering in the background, then ``gc.freeze()`` (see
    #: ``stepwise.holding_collector``); without it, collections take 30–270 ms at 500,000 entries.
    MANAGE_GC: ClassVar[bool] = True
    #: Orders a big listing gets in the background once it is shown, so that sorting by them is
    #: instant (ctrl+s, ctrl+t). The work stops when anything else is asked of the list.
    WARM_ORDERS: ClassVar[tuple[str, ...]] = ("size", "modified")

    # Printable keys that are commands while no filter is being typed.
    _COMMAND_CHARACTERS = frozenset(" +-*.")

    class _Message(Message):
        """What every FileList message carries: the list it came from (``control`` for ``@on``)."""

        def __init__(self, file_list: FileList) -> None:
            self.file_list = file_list
            super().__init__()

        @property
        def control(self) -> FileList:
            return self.file_list

    class Activated(_Message):
        """Enter (or a double click) on an entry; ``entry is PARENT_ENTRY`` for ``..``."""

        def __init__(self, file_list: FileList, entry: Entry) -> None:
            self.entry = entry
            super().__init__(file_list)

        @property
        def is_parent(self) -> bool:
            return self.entry is PARENT_ENTRY

    class CursorMoved(_Message):
        """The cursor is on another entry (``None``: the list is empty)."""

        def __init__(self, file_list: FileList, entry: Entry | None) -> None:
            self.entry = entry
            super().__init__(file_list)

    class SummaryChanged(_Message):
        """The summary text changed (``34 folders, 25 files, 4.6 GB`` or ``3 selected, 12 MB``)."""

        def __init__(self, file_list: FileList, summary: str) -> None:
            self.summary = summary
            super().__init__(file_list)

    class FilterChanged(_Message):
        """The type-to-filter text changed (``""``: no filter)."""

        def __init__(self, file_list: FileList, text: str) -> None:
            self.text = text
            super().__init__(file_list)

    def __init__(
        self,
        *,
        column_set: str = "files",
        show_hidden: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._check_column_set(column_set)
        self._column_set = column_set
        self._exact_sizes = False
        self._show_hidden = show_hidden
        self._filter = ""
        self._sort_key = "name"
        self._sort_reverse = False
        self._parent_wanted = False
        self._parent_shown = False
        self._cursor = 0
        self._listing = _Listing([])
        self._rows: Sequence[int] = []
        self._rows_view: _View | None = None  # what the rows were built for; None: arrival order
        self._rows_summary: str | None = None
        self._listing_cursor: str | None = None  # the cursor_name of set_entries, until rows are ordered
        self._moved_while_provisional = False
        self._selected: set[int] = set()
        self._selected_bytes = 0
        self._generation = 0  # of the latest ordering request: older results are dropped
        self._ordered = asyncio.Event()
        self._ordered.set()
        self._strips: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(1024)
        self._styles: dict[tuple[str, ...], Style] = {}
        self._layouts: dict[int, _Layout] = {}

    # -- feeding ---------------------------------------------------------------------------------

    def set_entries(
        self, entries: Sequence[Entry], *, parent_entry: bool = True, cursor_name: str | None = None
    ) -> None:
        """Show a new listing: clears the filter and selection, keeps sort order and hidden setting.

        A listing of up to ``SYNC_ENTRIES`` entries is ordered before this returns. A bigger one
        that takes longer than a few ms is shown at once in the order given (``ordering`` is True,
        the summary says ``Sorting…``) and ordered in steps on the event loop; its rows replace
        these when ready (await :meth:`wait_ordered`). A later call cancels that work.

        Args:
            entries: the listing, in any order.
            parent_entry: show a ``..`` row at the top.
            cursor_name: put the cursor on the entry with this name (e.g. the folder just left).
        """
        had_filter = bool(self._filter)
        self._release(self._listing, self._rows)
        self._listing = _Listing(entries)
        self._filter = ""
        self._parent_wanted = parent_entry
        self._selected = set()
        self._selected_bytes = 0
        self._listing_cursor = cursor_name
        self._show_provisional()
        self.scroll_to(y=0, animate=False)
        self._reorder()
        if had_filter:
            self.post_message(self.FilterChanged(self, ""))

    async def load_entries(
        self, entries: Sequence[Entry], *, parent_entry: bool = True, cursor_name: str | None = None
    ) -> None:
        """``set_entries``, then wait until the listing is shown in order."""
        self.set_entries(entries, parent_entry=parent_entry, cursor_name=cursor_name)
        await self.wait_ordered()

    def _release(self, listing: _Listing, rows: Sequence[int]) -> None:
        """Let go of a replaced listing a chunk at a time on the event loop, if it is big."""
        if len(listing) > self.SYNC_ENTRIES and self.is_mounted:
            lists = listing.own_lists()
            if isinstance(rows, list):
                lists.append(rows)
            self.run_worker(partial(run_stepwise, emptied(lists)), group=_RELEASING)  # type: ignore[arg-type]

    def _show_provisional(self) -> None:
        """Show the new listing's entries in the order given until they are ordered."""
        self._set_rows(range(len(self._listing)), None)
        self._rows_summary = None
        self._moved_while_provisional = False
        self._cursor = 0

    @property
    def ordering(self) -> bool:
        """True while rows are being ordered in the background (a big listing, sort or filter)."""
        return not self._ordered.is_set()

    async def wait_ordered(self) -> None:
        """Wait until the rows shown are those of the current listing and settings."""
        await self._ordered.wait()

    # -- ordering, hiding, filtering -------------------------------------------------------------

    def _column(self, key: str) -> Column:
        for column in self._columns:
            if column.key == key:
                return column
        if key in _GENERIC_COLUMNS:
            return _GENERIC_COLUMNS[key]
        known = sorted({column.key for column in self._columns} | set(_GENERIC_COLUMNS))
        raise ValueError(f"no column {key!r} to sort by; known: {', '.join(known)}")

    def _view(self) -> _View:
        return _View(self._column(self._sort_key), self._sort_reverse, not self._show_hidden, self._filter)

    def _reorder(self, cursor: _CursorPlan = _KEEP, *, summary: bool = True) -> None:
        """Rebuild the rows for the current settings; the cursor goes where ``cursor`` says.

        Small listings are done at once. Otherwise a first slice runs now and, if that was not
        enough, the rest runs in steps on the event loop while the current rows stay shown; the
        latest request wins. ``summary=False``: the same rows in another order, the summary holds.
        """
        self._generation += 1
        self._cancel_ordering()
        view = self._view()
        narrowed = self._rows if view.narrows(self._rows_view) else None
        summary = summary or self._rows_view is None
        steps = self._listing.rows(view, narrowed)
        request = _Request(self._generation, view, cursor, summary)
        if len(self._listing) <= self.SYNC_ENTRIES or not self.is_mounted:
            self._show_rows(request, run_now(steps))
            return
        finished, rows = run_for(steps, _FIRST_SLICE_SECONDS)
        if finished:
            self._show_rows(request, rows)  # type: ignore[arg-type]
            return
        self._ordered.clear()
        if self._rows_view is None:
            self._post_summary()  # "Sorting…"
        # A partial, not a coroutine: a worker cancelled before it starts leaves no coroutine unawaited.
        self.run_worker(partial(self._order_later, request, steps), group=_ORDERING, exclusive=True)  # type: ignore[arg-type]

    async def _order_later(self, request: _Request, steps: Steps[list[int]]) -> None:
        """The rest of a reordering; then the summary, also in steps, once the rows are shown."""
        with holding_collector() if self.MANAGE_GC else nullcontext():
            rows = await run_stepwise(steps)
            if request.generation != self._generation:
                return
            summarize = request.summary and not request.view.filter
            self._show_rows(request, rows, post_summary=request.summary and not summarize)
            if summarize:
                self._rows_summary = await run_stepwise(self._listing.rows_summary(rows))
                self._post_summary()
            await run_stepwise(self._warm_orders())

    def _warm_orders(self) -> Steps[None]:
        """Compute the ``WARM_ORDERS`` of a big listing ahead of need (the next request stops it)."""
        for key in self.WARM_ORDERS:
            yield from self._listing.groups_by(self._column(key))

    def _cancel_ordering(self) -> None:
        if self.is_mounted:
            self.workers.cancel_group(self, _ORDERING)
        self._ordered.set()

    def _show_rows(self, request: _Request, rows: list[int], *, post_summary: bool = True) -> None:
        was_provisional = self._rows_view is None
        kept = self._cursor_index()
        at_end = 0 < self._cursor == self.row_count - 1
        self._set_rows(rows, request.view)
        if request.summary:
            self._rows_summary = None
            if post_summary:
                self.call_after_refresh(self._post_summary)
        if was_provisional:
            self._place_cursor_in_listing(kept, at_end)
        else:
            self._place_cursor(request.cursor, kept)
        self._cursor_changed()
        self._ordered.set()

    def _set_rows(self, rows: Sequence[int], view: _View | None) -> None:
        self._rows = rows
        self._rows_view = view
        self._parent_shown = self._parent_wanted and not (view and view.filter)
        self._strips.clear()
        self.virtual_size = Size(self._content_width(), self.row_count + 1)
        self.refresh()

    def _place_cursor(self, plan: _CursorPlan, kept: int | None) -> None:
        row = self._row_of(kept) if plan is _KEEP and kept is not None else None
        self._cursor = self._first_entry_row() if row is None else row

    def _place_cursor_in_listing(self, kept: int | None, at_end: bool) -> None:
        """The first order of a new listing: on ``cursor_name`` (or the top), unless the user
        moved the cursor meanwhile: then it stays on its entry, or at the end."""
        name, self._listing_cursor = self._listing_cursor, None
        if not self._moved_while_provisional:
            row = None if name is None else self._row_of_name(name)
            self._cursor = 0 if row is None else row
        elif at_end:
            self._cursor = self.row_count - 1
        else:
            self._place_cursor(_KEEP, kept)

    def _row_of(self, index: int | None) -> int | None:
        if index == _PARENT:
            return 0 if self._parent_shown else None
        try:
            return self._rows.index(index) + self._parent_shown
        except ValueError:
            return None

    def _first_entry_row(self) -> int:
        return int(self._parent_shown and bool(self._rows))

    # -- rows ------------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """Rows in the list, the ``..`` row included."""
        return len(self._rows) + self._parent_shown

    def _index_at(self, row: int) -> int:
        if self._parent_shown:
            return _PARENT if row == 0 else self._rows[row - 1]
        return self._rows[row]

    def entry_at(self, row: int) -> Entry:
        """The entry shown in ``row`` (0 is the first row below the header)."""
        index = self._index_at(row)
        return PARENT_ENTRY if index == _PARENT else self._listing.entries[index]

    def visible_entries(self) -> list[Entry]:
        """The entries shown, in display order, without ``..``."""
        return list(map(self._listing.entries.__getitem__, self._rows))

    @property
    def entries(self) -> Sequence[Entry]:
        """Every entry of the listing (hidden and filtered-out ones too), in the order given (the
        very list given to ``set_entries``, if it was a list: do not change it)."""
        return self._listing.given

    # -- cursor ----------------------------------------------------------------------------------

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @cursor_row.setter
    def cursor_row(self, row: int) -> None:
        self._move_cursor(row)

    @property
    def cursor_entry(self) -> Entry | None:
        """The entry under the cursor; ``None`` when the list is empty."""
        return self.entry_at(self._cursor) if self.row_count else None

    def _cursor_index(self) -> int | None:
        return self._index_at(self._cursor) if self.row_count else None

    def move_cursor_to_name(self, name: str) -> bool:
        """Put the cursor on the entry called ``name``; False when it is not shown."""
        row = self._row_of_name(name)
        if row is not None:
            self._move_cursor(row)
        return row is not None

    def _row_of_name(self, name: str) -> int | None:
        try:
            return self._row_of(list(map(itemgetter(0), self._listing.entries)).index(name))
        except ValueError:
            return None

    def _move_cursor(self, row: int) -> None:
        row = max(0, min(row, self.row_count - 1))
        if row != self._cursor:
            self.refresh_line(self._cursor + 1)
            self._cursor = row
            self.refresh_line(row + 1)
            self._moved_while_provisional = self._rows_view is None
            self._cursor_changed()

    def _cursor_changed(self) -> None:
        self._scroll_to_cursor()
        self.post_message(self.CursorMoved(self, self.cursor_entry))

    @property
    def _page_height(self) -> int:
        """Rows that fit below the header."""
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        top, page = self.scroll_offset.y, self._page_height
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False)
        elif self._cursor >= top + page:
            self.scroll_to(y=self._cursor - page + 1, animate=False)

    # -- sorting, hidden files, filter -----------------------------------------------------------

    @property
    def sort_column(self) -> str:
        return self._sort_key

    @property
    def sort_reverse(self) -> bool:
        return self._sort_reverse

    def sort_by(self, column: str, reverse: bool | None = None) -> None:
        """Sort by a column key (``name``, ``size``, ``modified``, or a key of the column set).

        ``reverse=None`` reverses the order when ``column`` is already the sort column.
        Folders stay first, ``..`` stays on top, and the cursor stays on its entry. A big listing
        may be sorted in the background (see ``set_entries``); the header shows the new order at once.
        """
        self._column(column)  # raises ValueError for an unknown column
        if reverse is None:
            reverse = not self._sort_reverse if column == self._sort_key else False
        self._sort_key, self._sort_reverse = column, reverse
        self.refresh_line(0)
        self._reorder(summary=False)

    @property
    def show_hidden(self) -> bool:
        """Whether names starting with a dot are shown."""
        return self._show_hidden

    @show_hidden.setter
    def show_hidden(self, show: bool) -> None:
        if show != self._show_hidden:
            self._show_hidden = show
            self._reorder()

    @property
    def filter_text(self) -> str:
        """The type-to-filter text; rows whose name contains it (case-insensitive) are shown."""
        return self._filter

    @filter_text.setter
    def filter_text(self, text: str) -> None:
        if text == self._filter:
            return
        growing = text.startswith(self._filter)
        self._filter = text
        self.refresh_line(0)
        self._reorder(_FIRST if growing else _KEEP)
        self.post_message(self.FilterChanged(self, text))

    # -- columns ---------------------------------------------------------------------------------

    @staticmethod
    def _check_column_set(name: str) -> None:
        if name not in COLUMN_SETS:
            raise ValueError(f"unknown column set {name!r}; known: {', '.join(COLUMN_SETS)}")

    @property
    def column_set(self) -> str:
        """``files``, ``mvs``, ``mvs-members`` or ``jes`` (see :data:`COLUMN_SETS`)."""
        return self._column_set

    @column_set.setter
    def column_set(self, name: str) -> None:
        self._check_column_set(name)
        self._column_set = name
        if self._sort_key not in {column.key for column in self._columns} | set(_GENERIC_COLUMNS):
            self._sort_key, self._sort_reverse = "name", False
        self._columns_changed()
        if self._sort_key != _NAME_ORDER:  # "size" may sort by something else in this column set
            self._reorder(summary=False)

    @property
    def exact_sizes(self) -> bool:
        """Show sizes as exact byte counts (``1,234,567``) instead of ``1.2 MB``."""
        return self._exact_sizes

    @exact_sizes.setter
    def exact_sizes(self, exact: bool) -> None:
        self._exact_sizes = exact
        self._columns_changed()

    @property
    def _columns(self) -> tuple[Column, ...]:
        columns = COLUMN_SETS[self._column_set]
        if not self._exact_sizes:
            return columns
        return tuple(
            replace(column, text=_exact_size_text, width=EXACT_SIZE_WIDTH) if column is SIZE else column
            for column in columns
        )

    def _columns_changed(self) -> None:
        self._layouts.clear()
        self._strips.clear()
        self.refresh()

    def _layout(self, width: int) -> _Layout:
        layout = self._layouts.get(width)
        if layout is None:
            layout = self._layouts[width] = _fit_columns(self._columns, width)
        return layout

    def visible_columns(self) -> list[str]:
        """The keys of the columns that fit the current width, left to right."""
        return [column.key for column, _ in self._layout(self._content_width()).cells]

    def _content_width(self) -> int:
        return self.scrollable_content_region.width

    # -- selection -------------------------------------------------------------------------------

    def selected_entries(self) -> list[Entry]:
        """The selected entries in display order, or the cursor entry when nothing is selected.

        ``..`` is never returned; selected entries hidden by the filter are included. While a new
        listing is still being ordered, selected entries come in listing order.
        """
        entries = self._listing.entries
        if self._selected:
            groups = self._ordered_groups()
            order = sorted(self._selected) if groups is None else [*groups[0], *groups[1]]
            return list(map(entries.__getitem__, compress(order, map(self._selected.__contains__, order))))
        index = self._cursor_index()
        return [] if index is None or index == _PARENT else [entries[index]]

    def _ordered_groups(self) -> tuple[Sequence[int], Sequence[int]] | None:
        """The folders and files in display order when that order is known already."""
        column = self._column(self._sort_key)
        identity = _NAME_ORDER if column.key == _NAME_ORDER else column.sort_key or column.text
        groups = self._listing.groups.get(identity)
        if groups is None or not self._sort_reverse:
            return groups
        return groups[0][::-1], groups[1][::-1]

    @property
    def selected_count(self) -> int:
        return len(self._selected)

    def toggle_selection(self) -> None:
        """Select or unselect the cursor entry (``..`` cannot be selected)."""
        index = self._cursor_index()
        if index is None or index == _PARENT:
            return
        size = self._bytes_of([index])
        if index in self._selected:
            self._selected.discard(index)
            self._selected_bytes -= size
        else:
            self._selected.add(index)
            self._selected_bytes += size
        self.refresh_line(self._cursor + 1)
        self._selection_changed()

    def select_pattern(self, pattern: str) -> int:
        """Select the shown entries whose name matches the glob (case-insensitive); returns how many."""
        matching = self._matching(pattern)
        self._selected.update(matching)
        self._selection_changed(recount=True)
        return len(matching)

    def unselect_pattern(self, pattern: str) -> int:
        """Unselect the shown entries whose name matches the glob; returns how many matched."""
        matching = self._matching(pattern)
        self._selected.difference_update(matching)
        self._selection_changed(recount=True)
        return len(matching)

    def invert_selection(self) -> None:
        """Select the shown entries that are not selected and unselect those that are."""
        self._selected.symmetric_difference_update(self._rows)
        self._selection_changed(recount=True)

    def clear_selection(self) -> None:
        self._selected.clear()
        self._selection_changed(recount=True)

    def _matching(self, pattern: str) -> list[int]:
        match = re.compile(fnmatch.translate(pattern), re.IGNORECASE | re.DOTALL).match
        names = map(itemgetter(0), map(self._listing.entries.__getitem__, self._rows))
        return list(compress(self._rows, map(match, names)))

    def _bytes_of(self, indexes: Iterable[int]) -> int:
        """Total size of the files among ``indexes`` (folders and unknown sizes count 0)."""
        return run_now(self._listing.bytes_of(indexes))

    def _selection_changed(self, recount: bool = False) -> None:
        if recount:
            self._selected_bytes = self._bytes_of(self._selected)
            self._strips.clear()
            self.refresh()
        self._post_summary()

    # -- summary ---------------------------------------------------------------------------------

    @property
    def summary(self) -> str:
        """``34 folders, 25 files, 4.6 GB`` for the shown rows, ``3 selected, 12 MB`` while selecting,
        ``75 of 1,200 names match`` while filtering, ``Sorting 500,000 entries…`` while a new
        listing is being ordered."""
        if self._selected:
            return f"{len(self._selected):,} selected, {human_size(self._selected_bytes)}"
        if self._rows_view is None:
            return f"Sorting {len(self._listing):,} entries…"
        if self._filter:
            return f"{len(self._rows):,} of {len(self._listing):,} names match"
        if self._rows_summary is None:
            self._rows_summary = run_now(self._listing.rows_summary(self._rows))
        return self._rows_summary

    def _post_summary(self) -> None:
        self.post_message(self.SummaryChanged(self, self.summary))

    # -- rendering -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self._content_width()
        if width < 2:  # no room for the mark and one cell of name
            return Strip.blank(width, self._style())
        if y == 0:
            return self._header_strip(width)
        row = self.scroll_offset.y + y - 1
        if row >= self.row_count:
            return self._placeholder_strip(width) if row == 0 else Strip.blank(width, self._style())
        index = self._index_at(row)
        key = (index, width, index in self._selected, row == self._cursor)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._strips[key] = self._row_strip(*key)
        return strip

    def _row_strip(self, index: int, width: int, selected: bool, cursor: bool) -> Strip:
        entry = PARENT_ENTRY if index == _PARENT else self._listing.entries[index]
        mark = "*" if selected else " "
        text = mark + self._row_text(entry, width)
        return Strip([Segment(text, self._row_style(entry, index, selected, cursor))], width)

    def _row_text(self, entry: Entry, width: int) -> str:
        """The row's cells, ``width - 1`` cells in all (a raw line no parser read fills the row)."""
        if entry.unparsed:
            return _fit(safe_text(entry.raw or entry.name), width - 1)
        cells = self._layout(width).cells
        return _GAP.join(_fit(column.text(entry), cell_width, column.right) for column, cell_width in cells)

    def _row_style(self, entry: Entry, index: int, selected: bool, cursor: bool) -> Style:
        names = [self._kind_class(entry, index)]
        if selected:
            names.append("file-list--selected")
        if cursor:
            names.append("file-list--cursor")
        return self._style(*filter(None, names))

    def _kind_class(self, entry: Entry, index: int) -> str:
        if entry.unparsed:
            return "file-list--unparsed"
        if index == _PARENT or self._listing.is_folder(index):
            return "file-list--dir"
        return "file-list--link" if entry.kind is _LINK else ""

    def _style(self, *component_classes: str) -> Style:
        """The widget style with the component classes merged on top, later ones winning.

        Full (not partial) component styles, so translucent colours such as
        ``$block-cursor-blurred-background`` are blended with the widget's background.
        """
        style = self._styles.get(component_classes)
        if style is None:
            if component_classes:
                style = self.get_component_rich_style(*component_classes)
            else:
                style = self.rich_style
            self._styles[component_classes] = style
        return style

    def _header_strip(self, width: int) -> Strip:
        header = self._style("file-list--header")
        segments = [Segment(" ", header)]
        for position, (column, cell_width) in enumerate(self._layout(width).cells):
            if position:
                segments.append(Segment(_GAP, header))
            title = column.title
            if column.key == self._sort_key:
                title += "▼" if self._sort_reverse else "▲"
            if column.width == 0 and self._filter:
                segments.extend(self._filter_title(title, cell_width, header))
            else:
                segments.append(Segment(_fit(title, cell_width, column.right), header))
        return Strip(segments).crop(0, width)

    def _filter_title(self, title: str, width: int, header: Style) -> list[Segment]:
        """The Name title with the filter text beside it (only the filter when space is short)."""
        label = f" filter: {safe_text(self._filter)} "
        style = self._style("file-list--filter")
        title += " "
        room = width - cell_len(title) - cell_len(label)
        if room < 0:
            return [Segment(_fit(label, width), style)]
        return [Segment(title, header), Segment(label, style), Segment(" " * room, header)]

    def _placeholder_strip(self, width: int) -> Strip:
        text = f" no names contain '{safe_text(self._filter)}'" if self._filter else " (empty)"
        return Strip([Segment(_fit(text, width), self._style("file-list--placeholder"))], width)

    def _forget_rendering(self) -> None:
        self._strips.clear()
        self._styles.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._forget_rendering()
        self.refresh()

    def _on_focus(self, event: events.Focus) -> None:
        self._forget_rendering()  # Widget._on_focus (dispatched after this one) refreshes

    def _on_blur(self, event: events.Blur) -> None:
        self._forget_rendering()

    def _on_unmount(self) -> None:
        """Drop the listing: a widget frozen by ``gc.freeze()`` may never be collected itself."""
        self._listing = _Listing([])
        self._rows = []
        self._selected = set()

    def _on_resize(self, event: events.Resize) -> None:
        self._layouts.clear()
        self.virtual_size = Size(self._content_width(), self.row_count + 1)
        self._scroll_to_cursor()

    # -- keys and mouse --------------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """Type-to-filter: printable keys extend the filter, backspace edits it, escape clears it."""
        if self._filter and event.key in ("escape", "backspace"):
            self.filter_text = "" if event.key == "escape" else self._filter[:-1]
        elif self._extends_filter(event):
            self.filter_text = self._filter + (event.character or "")
        else:
            return
        event.stop()
        event.prevent_default()

    def _extends_filter(self, event: events.Key) -> bool:
        """Printable keys filter; space, ``+ - * .`` only once a filter is being typed."""
        if not event.is_printable or not event.character:
            return False
        return bool(self._filter) or event.character not in self._COMMAND_CHARACTERS

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            self._click_header(offset.x)
            return
        row = self.scroll_offset.y + offset.y - 1
        if row < self.row_count:
            self._move_cursor(row)
            if event.chain >= 2:
                self.action_activate()

    def _click_header(self, x: int) -> None:
        left = 1
        for column, cell_width in self._layout(self._content_width()).cells:
            if x < left + cell_width:
                self.sort_by(column.key)
                return
            left += cell_width + len(_GAP)

    def action_activate(self) -> None:
        entry = self.cursor_entry
        if entry is not None:
            self.post_message(self.Activated(self, entry))

    def action_cursor_by(self, rows: int) -> None:
        self._move_cursor(self._cursor + rows)

    def action_cursor_page(self, pages: int) -> None:
        self._move_cursor(self._cursor + pages * self._page_height)

    def action_cursor_to(self, row: int) -> None:
        self._move_cursor(row if row >= 0 else self.row_count - 1)

    def action_toggle_selection(self) -> None:
        self.toggle_selection()
        self._move_cursor(self._cursor + 1)

    def action_invert_selection(self) -> None:
        self.invert_selection()

    def action_toggle_hidden(self) -> None:
        self.show_hidden = not self._show_hidden
        self.notify("Hidden files shown" if self._show_hidden else "Hidden files hidden", timeout=2)

    def action_sort(self, column: str) -> None:
        self.sort_by(column)

    def action_select_pattern(self, select: bool) -> None:
        """Ask for a glob in a small dialog, then select (or unselect) the matching names."""
        title = "Select names matching" if select else "Unselect names matching"

        def apply(pattern: str | None) -> None:
            if pattern:
                (self.select_pattern if select else self.unselect_pattern)(pattern)

        self.app.push_screen(PatternPrompt(title), apply)


class PatternPrompt(ModalScreen[str | None]):
    """A one-line dialog asking for a glob pattern; dismisses with the pattern, or None on escape."""

    DEFAULT_CSS = """
    PatternPrompt {
        align: center middle;
        & > Vertical {
            width: 50;
            height: auto;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, initial: str = "*") -> None:
        super().__init__()
        self._title = title
        self._initial = initial

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title)
            yield Input(value=self._initial, id="pattern")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
