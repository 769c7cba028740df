"""The live protocol log: every command and reply, coloured by direction, searchable, exportable.

A virtual list on Textual's Line API (``ScrollView`` + ``render_line``): it keeps the newest
:data:`MAX_LINES` lines in a ring and renders only the visible ones, so a chatty folder copy costs a
deque append per line. Text is passed through :func:`~tui_ftp.display.safe_text` (server replies are
attacker-controlled); passwords arrive already masked by the engine.

| Key | Action |
| :- | :- |
| / or ctrl+f | Search (enter: next match, escape: close) |
| n / N | Next / previous match |
| end | Follow new lines again |
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...display import safe_text
from ...engine.errors import LocalFileError
from ...engine.events import Direction, LogLine
from .._css import css_beside

MAX_LINES = 10_000

_DIRECTION_CLASS = {
    Direction.SENT: "command-log--sent",
    Direction.RECEIVED: "command-log--received",
    Direction.INFO: "command-log--info",
    Direction.WARNING: "command-log--warning",
}


@dataclass(frozen=True, slots=True)
class LogRow:
    """One shown line: its parts already safe to print."""

    clock: str
    session: str
    direction: Direction
    text: str

    @classmethod
    def from_event(cls, line: LogLine) -> LogRow:
        clock = time.strftime("%H:%M:%S", time.localtime(line.time))
        return cls(clock, safe_text(_short_session(line.session)), line.direction, safe_text(line.text))

    @property
    def plain(self) -> str:
        """The line as exported: ``12:00:01 t1 > RETR a.txt``."""
        return f"{self.clock} {self.session} {self.direction.value} {self.text}"


def _direction_class(row: LogRow) -> str:
    """Replies 4xx/5xx stand out as errors; the rest is coloured by direction."""
    if row.direction is Direction.RECEIVED and row.text[:1] in ("4", "5"):
        return "command-log--error"
    return _DIRECTION_CLASS[row.direction]


def _short_session(name: str) -> str:
    """The app names sessions ``host#main``, ``host#xfer1``...: the log shows the tag only."""
    return name.rsplit("#", 1)[1] if "#" in name else name


class CommandLog(ScrollView, can_focus=True):
    """A ring of :class:`LogRow` rendered line by line; follows the tail unless scrolled up."""

    DEFAULT_CSS = css_beside(__file__)

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "command-log--time",
        "command-log--session",
        "command-log--sent",
        "command-log--received",
        "command-log--info",
        "command-log--warning",
        "command-log--error",
        "command-log--match",
        "command-log--current",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash,ctrl+f", "search", "Search", key_display="/"),
        Binding("n", "find(False)", "Next match", show=False),
        Binding("N", "find(True)", "Previous match", show=False),
        Binding("end", "follow", "Follow", show=False),
        Binding("home", "scroll_home", "Top", show=False),
    ]

    class SearchRequested(Message):
        """The user asked to search: the container shows its search bar."""

    def __init__(self, *, max_lines: int = MAX_LINES, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self._rows: deque[LogRow] = deque(maxlen=max_lines)
        self._width = 0
        self._follow = True
        self._query = ""
        self._match: int | None = None
        self._styles: dict[str, Style] = {}

    # -- feeding ---------------------------------------------------------------------------------
    def add_lines(self, lines: Iterable[LogLine]) -> None:
        """Append engine log lines (one repaint per batch, however many)."""
        rows = [LogRow.from_event(line) for line in lines]
        if not rows:
            return
        dropped = max(0, len(self._rows) + len(rows) - (self._rows.maxlen or 0))
        self._rows.extend(rows)
        self._width = max(self._width, *(self._row_width(row) for row in rows))
        if self._match is not None:
            self._match = self._match - dropped if self._match >= dropped else None
        self._resize_virtual()
        if self._follow:
            self.call_after_refresh(self._to_tail)
        self.refresh()

    def _to_tail(self) -> None:
        if self._follow:
            self.scroll_to(y=self.max_scroll_y, animate=False)

    def clear(self) -> None:
        self._rows.clear()
        self._match = None
        self._width = 0
        self._resize_virtual()
        self.refresh()

    @property
    def rows(self) -> list[LogRow]:
        return list(self._rows)

    @property
    def line_count(self) -> int:
        return len(self._rows)

    def _row_width(self, row: LogRow) -> int:
        text = row.plain
        return len(text) if text.isascii() else cell_len(text)

    def _resize_virtual(self) -> None:
        self.virtual_size = Size(self._width, len(self._rows))

    # -- export ----------------------------------------------------------------------------------
    def export(self, path: str | Path) -> int:
        """Write every line in the ring to ``path`` (UTF-8); returns how many lines."""
        target = Path(path).expanduser()
        try:
            with open(target, "w", encoding="utf-8") as handle:
                handle.writelines(row.plain + "\n" for row in self._rows)
        except OSError as error:
            raise LocalFileError(f"cannot write {target}: {error.strerror or error}") from error
        return len(self._rows)

    # -- search ----------------------------------------------------------------------------------
    @property
    def search_text(self) -> str:
        """The current search (``query`` would shadow Textual's DOM query)."""
        return self._query

    @property
    def match_line(self) -> int | None:
        """The index of the current match in :attr:`rows`, or None."""
        return self._match

    def search(self, query: str, backwards: bool = False) -> bool:
        """Move to the next (or previous) line containing ``query`` (case-insensitive), wrapping."""
        self._query = query
        if not query:
            self._match = None
            self.refresh()
            return False
        found = self._find(query.casefold(), backwards)
        self._match = found
        if found is not None:
            self._follow = False
            self.scroll_to(y=max(0, found - self.scrollable_content_region.height // 2), animate=False)
        self.refresh()
        return found is not None

    def _find(self, needle: str, backwards: bool) -> int | None:
        count = len(self._rows)
        if not count:
            return None
        start = self._match if self._match is not None else (count if not backwards else -1)
        step = -1 if backwards else 1
        for offset in range(1, count + 1):
            index = (start + step * offset) % count
            if needle in self._rows[index].text.casefold():
                return index
        return None

    def action_search(self) -> None:
        self.post_message(self.SearchRequested())

    def action_find(self, backwards: bool) -> None:
        if self._query:
            self.search(self._query, backwards)

    def action_follow(self) -> None:
        self._follow = True
        self.scroll_end(animate=False)

    def action_scroll_home(self) -> None:
        self._follow = False
        self.scroll_home(animate=False)

    # -- rendering -------------------------------------------------------------------------------
    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._follow = False
        super()._on_mouse_scroll_up(event)

    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        super()._on_mouse_scroll_down(event)
        self.call_after_refresh(self._follow_if_at_end)

    def action_scroll_up(self) -> None:
        self._follow = False
        super().action_scroll_up()

    def action_page_up(self) -> None:
        self._follow = False
        super().action_page_up()

    def action_scroll_down(self) -> None:
        super().action_scroll_down()
        self.call_after_refresh(self._follow_if_at_end)

    def action_page_down(self) -> None:
        super().action_page_down()
        self.call_after_refresh(self._follow_if_at_end)

    def _follow_if_at_end(self) -> None:
        self._follow = self.scroll_y >= self.max_scroll_y

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        if index >= len(self._rows):
            return Strip.blank(width, self._style())
        row = self._rows[index]
        strip = Strip(self._segments(row, index == self._match))
        return strip.crop(round(self.scroll_x), round(self.scroll_x) + width).extend_cell_length(width, self._style())

    def _segments(self, row: LogRow, current: bool) -> list[Segment]:
        text_style = self._style(_direction_class(row))
        if current:
            text_style += self._style("command-log--current")
        segments = [
            Segment(row.clock + " ", self._style("command-log--time")),
            Segment(f"{row.session} " if row.session else "", self._style("command-log--session")),
            Segment(row.direction.value + " ", text_style),
        ]
        segments += self._highlighted(row.text, text_style)
        return segments

    def _highlighted(self, text: str, style: Style) -> list[Segment]:
        """``text`` with every occurrence of the search query highlighted."""
        if not self._query:
            return [Segment(text, style)]
        needle, folded = self._query.casefold(), text.casefold()
        if len(folded) != len(text):  # case folding changed lengths: highlight nothing, stay correct
            return [Segment(text, style)]
        segments, start = [], 0
        match_style = style + self._style("command-log--match")
        while (found := folded.find(needle, start)) >= 0:
            segments += [Segment(text[start:found], style), Segment(text[found : found + len(needle)], match_style)]
            start = found + len(needle)
        segments.append(Segment(text[start:], style))
        return segments

    def _style(self, component: str = "") -> Style:
        style = self._styles.get(component)
        if style is None:
            style = self.rich_style
            if component:
                style += self.get_component_rich_style(component, partial=True)
            self._styles[component] = style
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self.refresh()
