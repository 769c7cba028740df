"""FileList in a tiny app driven by Pilot: what the rows show, in which order, after which keys."""

from __future__ import annotations

import asyncio
import functools
import gc
from collections.abc import Callable, Coroutine, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pytest
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Input

from tui_ftp.engine.listing.model import Entry, EntryKind
from tui_ftp.engine.listing.mvs import parse_jes, parse_mvs_datasets, parse_mvs_members
from tui_ftp.engine.listing.unix import parse_unix
from tui_ftp.localfs import TARGET_KIND
from tui_ftp.ui.widgets import PARENT_ENTRY, FileList, PatternPrompt

FILE, DIR, LINK = EntryKind.FILE, EntryKind.DIR, EntryKind.LINK
BASE_TIME = datetime(2026, 1, 1, 12, 0)
MessageType = TypeVar("MessageType", bound=Message)


class FileListApp(App[None]):
    def __init__(self, entries: Sequence[Entry], **options: object) -> None:
        super().__init__()
        self.entries = entries
        self.options = options
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield FileList(id="files", **self.options)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        file_list = self.query_one(FileList)
        file_list.set_entries(self.entries)
        file_list.focus()

    def on_file_list_activated(self, message: FileList.Activated) -> None:
        self.messages.append(message)

    def on_file_list_cursor_moved(self, message: FileList.CursorMoved) -> None:
        self.messages.append(message)

    def on_file_list_summary_changed(self, message: FileList.SummaryChanged) -> None:
        self.messages.append(message)

    def on_file_list_filter_changed(self, message: FileList.FilterChanged) -> None:
        self.messages.append(message)

    def of_type(self, kind: type[MessageType]) -> list[MessageType]:
        return [message for message in self.messages if isinstance(message, kind)]


def screen_lines(file_list: FileList) -> list[str]:
    """The text of every painted line of the widget (header first)."""
    return [file_list.render_line(y).text for y in range(file_list.scrollable_content_region.height)]


def cursor_name(file_list: FileList) -> str:
    entry = file_list.cursor_entry
    assert entry is not None
    return entry.name


def names(file_list: FileList) -> list[str]:
    return [entry.name for entry in file_list.visible_entries()]


def sample() -> list[Entry]:
    return [
        Entry("beta.txt", FILE, 3000, BASE_TIME + timedelta(days=2)),
        Entry("Alpha.log", FILE, 10, BASE_TIME + timedelta(days=5)),
        Entry("zeta", DIR, 4096, BASE_TIME),
        Entry("gamma.bin", FILE, 2_000_000, BASE_TIME + timedelta(days=1)),
        Entry("docs", DIR, 4096, BASE_TIME + timedelta(days=9)),
        Entry(".profile", FILE, 500, BASE_TIME + timedelta(days=3)),
        Entry("to-docs", LINK, 4, BASE_TIME, link_target="docs", attrs={TARGET_KIND: "dir"}),
        Entry("to-beta", LINK, 8, BASE_TIME, link_target="beta.txt", attrs={TARGET_KIND: "file"}),
    ]


@pytest.fixture(autouse=True)
def collectable_afterwards() -> Iterator[None]:
    """Big listings make the widget call ``gc.freeze()``; unfreeze after each test so that this
    test's app can still be collected once the test is over."""
    yield
    gc.unfreeze()


def file_list_of(app: App[None]) -> FileList:
    return app.query_one(FileList)


def run_async(test: Callable[[], Coroutine[Any, Any, None]]) -> Callable[[], None]:
    """Run an async test in its own event loop (no pytest async plugin is installed)."""

    @functools.wraps(test)
    def run() -> None:
        asyncio.run(test())

    return run


# -- big listings ----------------------------------------------------------------------------------


@run_async
async def test_hundred_thousand_entries_home_and_end_show_first_and_last() -> None:
    entries = [Entry(f"f{i:06d}.dat", FILE, i, BASE_TIME) for i in range(100_000)]
    entries.reverse()  # the widget sorts, whatever order the listing came in
    app = FileListApp(entries)
    async with app.run_test(size=(80, 24)) as pilot:
        file_list = file_list_of(app)
        await pilot.press("end")
        await pilot.pause()
        lines = screen_lines(file_list)
        assert lines[-1].startswith(" f099999.dat")
        assert file_list.cursor_entry == Entry("f099999.dat", FILE, 99_999, BASE_TIME)
        assert not any("f000000.dat" in line for line in lines)
        await pilot.press("home")
        await pilot.pause()
        lines = screen_lines(file_list)
        assert lines[1].startswith(" ..")
        assert lines[2].startswith(" f000000.dat")
        assert file_list.cursor_entry is PARENT_ENTRY
        await pilot.press("pagedown", "down")
        await pilot.pause()
        page = file_list.scrollable_content_region.height - 1
        assert file_list.cursor_row == page + 1
        assert cursor_name(file_list) == f"f{page:06d}.dat"


def numbered(count: int, prefix: str = "f") -> list[Entry]:
    """``count`` files named ``<prefix>000000.dat``…, sizes descending, in a scrambled order."""
    entries = [Entry(f"{prefix}{i:06d}.dat", FILE, count - i, BASE_TIME + timedelta(seconds=i)) for i in range(count)]
    step = 7919  # a prime: visits every index once, far from any sorted order
    return [entries[(i * step) % count] for i in range(count)]


@run_async
async def test_big_listing_shows_at_once_in_the_order_given_then_in_order() -> None:
    entries = numbered(100_000)
    app = FileListApp([])
    async with app.run_test(size=(80, 24)) as pilot:
        file_list = file_list_of(app)
        file_list.set_entries(entries)
        assert file_list.ordering
        assert file_list.row_count == 100_001 and file_list.entry_at(1) is entries[0]
        assert file_list.summary == "Sorting 100,000 entries…"
        assert file_list.entries == entries
        await file_list.wait_ordered()
        assert not file_list.ordering
        assert [file_list.entry_at(row).name for row in (1, 2, 100_000)] == ["f000000.dat", "f000001.dat", "f099999.dat"]
        assert file_list.cursor_entry is PARENT_ENTRY
        await pilot.pause(0.3)  # the summary is worked out in steps after the rows are shown
        assert app.of_type(FileList.SummaryChanged)[-1].summary == "0 folders, 100,000 files, 5.0 GB"


@run_async
async def test_a_timer_keeps_ticking_while_500k_entries_are_ordered() -> None:
    entries = numbered(500_000)
    app = FileListApp([])
    async with app.run_test(size=(80, 24)):
        file_list = file_list_of(app)
        ticks_while_ordering: list[bool] = []
        app.set_interval(0.005, lambda: ticks_while_ordering.append(file_list.ordering))
        await file_list.load_entries(entries)
        assert ticks_while_ordering.count(True) >= 2
        assert file_list.entry_at(1).name == "f000000.dat"


@run_async
async def test_the_last_of_two_quick_set_entries_wins() -> None:
    first, second = numbered(80_000, "a"), numbered(60_000, "b")
    app = FileListApp([])
    async with app.run_test(size=(80, 24)) as pilot:
        file_list = file_list_of(app)
        file_list.set_entries(first)
        file_list.set_entries(second, cursor_name="b000100.dat")
        await file_list.wait_ordered()
        assert file_list.row_count == 60_001 and cursor_name(file_list) == "b000100.dat"
        file_list.set_entries(first)
        file_list.set_entries(sample())  # a small listing is ordered at once; the big one is dropped
        assert not file_list.ordering and len(names(file_list)) == 8
        await pilot.pause(0.5)
        assert len(names(file_list)) == 8 and file_list.entries == sample()


@run_async
async def test_cursor_moved_while_a_big_listing_is_ordered_stays_on_its_entry_or_at_the_end() -> None:
    entries = numbered(100_000)
    app = FileListApp([])
    async with app.run_test(size=(80, 24)):
        file_list = file_list_of(app)
        file_list.set_entries(entries, cursor_name="f000005.dat")
        file_list.action_cursor_to(-1)  # while the rows are still in the order given
        await file_list.wait_ordered()
        assert cursor_name(file_list) == "f099999.dat"  # the user's End wins over cursor_name
        file_list.set_entries(entries)
        file_list.action_cursor_by(2)
        chosen = cursor_name(file_list)
        assert chosen == entries[1].name
        await file_list.wait_ordered()
        assert cursor_name(file_list) == chosen
        assert file_list.cursor_row == 1 + int(chosen[1:7])


@run_async
async def test_sort_and_filter_of_a_big_listing_happen_in_the_background() -> None:
    entries = numbered(100_000)
    app = FileListApp([])
    async with app.run_test(size=(80, 24)) as pilot:
        file_list = file_list_of(app)
        await file_list.load_entries(entries)
        file_list.move_cursor_to_name("f000042.dat")
        file_list.WARM_ORDERS = ()  # type: ignore[misc]  # so that the sort below is worked out now
        file_list.sort_by("modified", reverse=True)
        assert file_list.sort_column == "modified" and file_list.ordering
        await file_list.wait_ordered()
        assert file_list.entry_at(1).name == "f099999.dat" and cursor_name(file_list) == "f000042.dat"
        await pilot.press("9", "9", "9", "9")  # f009999 … f089999 and f099990 … f099999
        await file_list.wait_ordered()
        assert names(file_list)[:3] == ["f099999.dat", "f099998.dat", "f099997.dat"]
        assert names(file_list)[-1] == "f009999.dat"
        assert file_list.summary == "19 of 100,000 names match"
        await pilot.press("escape")
        await file_list.wait_ordered()
        assert file_list.row_count == 100_001


@run_async
async def test_entries_handed_out_survive_the_next_listing_and_gc_is_restored() -> None:
    app = FileListApp([])
    async with app.run_test(size=(80, 24)) as pilot:
        file_list = file_list_of(app)
        await file_list.load_entries(numbered(100_000))
        kept = file_list.entries
        await file_list.load_entries(numbered(60_000, "g"))
        await pilot.pause(0.5)  # the replaced listing is let go of in steps
        assert len(kept) == 100_000 and kept[0].name == "f000000.dat"
        assert gc.isenabled() and gc.get_freeze_count() > 0


# -- order ---------------------------------------------------------------------------------------


@run_async
async def test_folders_first_then_names_case_insensitive() -> None:
    app = FileListApp(sample())
    async with app.run_test(size=(80, 20)):
        file_list = file_list_of(app)
        assert names(file_list) == ["docs", "to-docs", "zeta", ".profile", "Alpha.log", "beta.txt", "gamma.bin", "to-beta"]
        assert file_list.entry_at(0) is PARENT_ENTRY


@run_async
async def test_sort_keys_and_reverse_by_pressing_again() -> None:
    app = FileListApp(sample())
    async with app.run_test(size=(80, 20)) as pilot:
        file_list = file_list_of(app)
        await pilot.press("ctrl+s")
        assert file_list.sort_column == "size" and not file_list.sort_reverse
        assert names(file_list)[3:] == ["to-beta", "Alpha.log", ".profile", "beta.txt", "gamma.bin"]
        assert names(file_list)[:3] == ["to-docs", "docs", "zeta"]  # folders first, by size
        await pilot.press("ctrl+s")
        assert file_list.sort_reverse
        assert names(file_list)[3:] == ["gamma.bin", "beta.txt", ".profile", "Alpha.log", "to-beta"]
        await pilot.press("ctrl+t")
        assert names(file_list) == ["to-docs", "zeta", "docs", "to-beta", "gamma.bin", "beta.txt", ".profile", "Alpha.log"]
        await pilot.press("ctrl+n", "ctrl+n")
        assert names(file_list) == ["zeta", "to-docs", "docs", "to-beta", "gamma.bin", "beta.txt", "Alpha.log", ".profile"]
        assert file_list.entry_at(0) is PARENT_ENTRY  # .. stays on top in every order
        assert "Name▼" in screen_lines(file_list)[0]


@run_async
async def test_sort_keeps_the_cursor_on_its_entry() -> None:
    app = FileListApp(sample())
    async with app.run_test(size=(80, 20)) as pilot:
        file_list = file_list_of(app)
        assert file_list.move_cursor_to_name("gamma.bin")
        await pilot.press("ctrl+s")
        assert cursor_name(file_list) == "gamma.bin"
        assert file_list.cursor_row == 1 + names(file_list).index("gamma.bin")


@run_async
async def test_sort_by_unknown_column_is_a_clear_error() -> None:
    app = FileListApp(sample())
    async with app.run_test(size=(80, 20)):
        with pytest.raises(ValueError, match="no column 'colour'"):
            file_list_of(app).sort_by("colour")


@run_async
async def test_sort_handles_missing_sizes_and_mixed_naive_and_aware_times() -> None:
    entries = [
        Entry("none", FILE),
        Entry("aware", FILE, 5, datetime(2026, 1, 3, tzinfo=UTC)),
        Entry("naive", FILE, 7, datetime(2026, 1, 2)),
    ]
    app = FileListApp(entries)
    async with app.run_test(size=(80, 20)):
        file_list = file_list_of(app)
        file_list.sort_by("size")
        assert names(file_list) == ["none", "aware", "naive"]
        file_list.sort_by("modified")
        assert names(file_list) == ["none", "naive", "aware"]


# -- filter and hidden -----------------------------------------------------------------------------


@run_async
async def test_typing_filters_by_substring_and_escape_clears() -> None:
    app = FileListApp(sample())
    async with app.run_test(size=(80, 20)) as pilot:
        file_list = file_list_of(app)
        await pilot.press("t", "A")
        assert file_list.filter_text == "tA"
        assert names(file_list) == ["zeta", "beta.txt", "to-beta"]
        assert cursor_name(file_list) == "zeta"  # the .. row is not shown while filtering
        assert "filter: tA" in screen_lines(file_list)[0]
        await pilot.press("full_stop", "t")  # command keys extend a filter being typed
        assert names(file_list) == ["beta.txt"]
        await pilot.press("backspace", "backspace")
        assert file_list.filter_text == "tA"
        await pilot.press("x", "x", "x")
        assert names(file_list) == []
        assert "no names contain 'tAxxx'" in screen_lines(file_list)[1]
        await pilot.press("escape")
        assert file_list.filter_text == ""
        assert len(names(file_list)) == 8 and file_list.entry_at(0) is PARENT_ENTRY
        await pilot.pause()
        assert [m.text for m in app.of_type(FileList.FilterChanged)][-1] == ""


@run_async
async def test_hidden_files_toggle_with_dot() -> None:
    app = FileListApp(sample())
    async with app.run_test(size=(80, 20)) as pilot:
        file_list = file_list_of(app)
        assert ".profile" in names(file_list)
        await pilot.press("full_stop")
        assert not file_list.show_hidden
        assert ".profile" not in names(file_list) and len(names(file_list)) == 7
        file_list.set_entries(sample())  # the setting survives a new listing
        assert ".profile" not in names(file_list)
        await pilot.press("full_stop")
        assert ".profile" in names(file_list)


# -- selection -------------------------------------------------------------------------------------


@run_async
async def test_space_and_insert_select_and_move_down() -> None:
    app = FileListApp(sample())
    async with app.run_test(size=(80, 20)) as pilot:
        file_list = file_list_of(app)
        await pilot.press("space")  # on .. : nothing selected, cursor moves on
        assert file_list.selected_count == 0 and file_list.cursor_row == 1
        file_list.move_cursor_to_name("beta.txt")
        await pilot.press("space", "insert")
        assert [e.name for e in file_list.selected_entries()] == ["beta.txt", "gamma.bin"]
        assert file_list.summary == "2 selected, 2.0 MB"
        lines = screen_lines(file_list)
        assert any(line.startswith("*beta.txt") for line in lines)
        await pilot.press("up", "space")
        assert [e.name for e in file_list.selected_entries()] == ["beta.txt"]
        await pilot.pause()
        assert app.of_type(FileList.SummaryChanged)[-1].summary == "1 selected, 3.0 kB"


@run_async
async def test_cursor_entry_is_the_selection_when_nothing_is_selected() -> None:
    app = FileListApp(sample())
    async with app.run_test(size=(80, 20)):
        file_list = file_list_of(app)
        assert file_list.selected_entries() == []  # the cursor is on ..
        file_list.move_cursor_to_name("docs")
        assert [e.name for e in file_list.selected_entries()] == ["docs"]


@run_async
async def test_select_by_pattern_unselect_and_invert() -> None:
    app = FileListApp(sample())
    async with app.run_test(size=(80, 20)):
        file_list = file_list_of(app)
        assert file_list.select_pattern("*.TXT") == 1
        assert file_list.select_pattern("*a*") == 5
        assert {e.name for e in file_list.selected_entries()} == {"zeta", "Alpha.log", "beta.txt", "gamma.bin", "to-beta"}
        assert file_list.unselect_pattern("to-*") == 2
        file_list.invert_selection()
        assert [e.name for e in file_list.selected_entries()] == ["docs", "to-docs", ".profile", "to-beta"]
        file_list.clear_selection()
        assert file_list.selected_count == 0


@run_async
async def test_plus_key_asks_for_a_pattern() -> None:
    app = FileListApp(sample())
    async with app.run_test(size=(80, 20)) as pilot:
        file_list = file_list_of(app)
        await pilot.press("plus")
        await pilot.pause()
        assert isinstance(app.screen, PatternPrompt)
        app.screen.query_one(Input).value = "*.bin"
        await pilot.press("enter")
        await pilot.pause()
        assert [e.name for e in file_list.selected_entries()] == ["gamma.bin"]
        await pilot.press("asterisk")
        assert "gamma.bin" not in [e.name for e in file_list.selected_entries()]
        await pilot.press("minus")
        await pilot.pause()
        app.screen.query_one(Input).value = "*"
        await pilot.press("enter")
        await pilot.pause()
        assert file_list.selected_count == 0


# -- columns and rendering -------------------------------------------------------------------------


@run_async
async def test_columns_drop_as_the_pane_narrows_and_name_is_cut_with_an_ellipsis() -> None:
    long_name = "a-rather-long-file-name-that-will-not-fit.tar.gz"
    app = FileListApp([Entry(long_name, FILE, 1234, BASE_TIME, "rw-r--r--")])
    async with app.run_test(size=(100, 10)) as pilot:
        file_list = file_list_of(app)
        assert file_list.visible_columns() == ["name", "size", "modified", "permissions"]
        file_list.styles.width = 40
        await pilot.pause()
        assert file_list.visible_columns() == ["name", "size"]
        header, _parent, row = screen_lines(file_list)[:3]
        assert "Name" in header and "Modified" not in header and "Permissions" not in header
        assert row.rstrip().endswith("1.2 kB")
        assert "…" in row and row.startswith(" a-rather-long")
        file_list.styles.width = 12
        await pilot.pause()
        assert file_list.visible_columns() == ["name"]


@run_async
async def test_exact_sizes() -> None:
    app = FileListApp([Entry("big.iso", FILE, 4_600_000_000, BASE_TIME)])
    async with app.run_test(size=(100, 10)):
        file_list = file_list_of(app)
        assert "4.6 GB" in screen_lines(file_list)[2]
        file_list.exact_sizes = True
        assert "4,600,000,000" in screen_lines(file_list)[2]
        assert file_list.summary == "0 folders, 1 file, 4.6 GB"


@run_async
async def test_hostile_names_are_shown_escaped() -> None:
    entries = [
        Entry("clear\x1b[2Jscreen", FILE, 1),
        Entry("clip\x1b]52;c;ZXZpbA==\x07", FILE, 1),
        Entry("invoice\u202etxt.exe", FILE, 1),
        Entry("ret\rurn", FILE, 1, permissions="\x1b[31m"),
    ]
    app = FileListApp(entries)
    async with app.run_test(size=(100, 10)):
        text = "\n".join(screen_lines(file_list_of(app)))
        for raw in ("\x1b", "\x07", "\r", "\u202e"):
            assert raw not in text
        for shown in ("clear\\x1b[2Jscreen", "clip\\x1b]52;c;ZXZpbA==\\x07", "invoice\\u202etxt.exe", "ret\\rurn", "\\x1b[31m"):
            assert shown in text
        assert "\x1b" not in app.export_screenshot()


@run_async
async def test_kind_marks_and_unparsed_lines() -> None:
    raw = "?????? this line is not a listing line"
    entries = parse_unix(["drwxr-xr-x 2 u g 4096 Jan 01 2025 sub", "lrwxrwxrwx 1 u g 4 Jan 01 2025 ln -> sub", raw])
    app = FileListApp(entries)
    async with app.run_test(size=(100, 10)):
        lines = screen_lines(file_list_of(app))
        assert lines[2].startswith(" sub/ ") and "<DIR>" in lines[2]
        assert lines[3].startswith(" " + raw)  # raw lines are kept, sorted among the files
        assert lines[4].startswith(" ln@ ")


@run_async
async def test_mvs_column_sets_show_parser_attributes() -> None:
    datasets = parse_mvs_datasets(
        [
            "Volume Unit    Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname",
            "TRA004 3390   2026/03/25  1 6299  FB      80 27920  PO  'TRASH.BIGPDS'",
            "WYOSPT 3420   2003/05/21  1  200  FB     133  8053  PS  MVS.FILE",
        ]
    )
    app = FileListApp(datasets, column_set="mvs")
    async with app.run_test(size=(100, 10)) as pilot:
        file_list = file_list_of(app)
        header, _parent, pds, sequential = screen_lines(file_list)[:4]
        for title in ("Dataset", "Volume", "Recfm", "Lrecl", "BlkSz", "Dsorg", "Referred"):
            assert title in header
        assert pds.split() == ["'TRASH.BIGPDS'/", "TRA004", "FB", "80", "27920", "PO", "2026/03/25"]
        assert sequential.split()[1:] == ["WYOSPT", "FB", "133", "8053", "PS", "2003/05/21"]
        await pilot.press("ctrl+t")  # time sorts by Referred in this column set
        file_list.sort_by("lrecl", reverse=True)
        assert names(file_list) == ["'TRASH.BIGPDS'", "MVS.FILE"]

        file_list.column_set = "mvs-members"
        file_list.set_entries(parse_mvs_members([" Name     VV.MM   Created       Changed      Size  Init   Mod   Id", "MEMBER1   01.00 2026/03/25 2026/03/25 09:17    10    10     0 MIKEG1"]))
        assert screen_lines(file_list)[2].split() == ["MEMBER1", "10", "2026-03-25", "09:17", "MIKEG1"]

        file_list.column_set = "jes"
        file_list.set_entries(parse_jes(["JOBNAME  JOBID    OWNER    STATUS CLASS", "IBMUSER2 JOB01906 IBMUSER  OUTPUT A        RC=0000 3 spool files"]))
        header, _parent, job = screen_lines(file_list)[:3]
        assert header.split() == ["Job", "ID▲", "Job", "name", "Owner", "Status", "RC"]
        assert job.split() == ["JOB01906/", "IBMUSER2", "IBMUSER", "OUTPUT", "RC=0000"]
        with pytest.raises(ValueError, match="unknown column set"):
            file_list.column_set = "vms"


# -- messages, cursor, mouse -----------------------------------------------------------------------


@run_async
async def test_enter_posts_activated_and_moves_post_cursor_moved() -> None:
    app = FileListApp(sample())
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        activated = app.of_type(FileList.Activated)
        assert activated[0].entry is PARENT_ENTRY and activated[0].is_parent
        assert activated[1].entry.name == "docs" and not activated[1].is_parent
        assert activated[1].control is file_list_of(app)
        moved = [m.entry.name for m in app.of_type(FileList.CursorMoved) if m.entry is not None]
        assert moved[-1] == "docs"


@run_async
async def test_set_entries_with_cursor_name_and_summary() -> None:
    app = FileListApp(sample())
    async with app.run_test(size=(80, 20)) as pilot:
        file_list = file_list_of(app)
        file_list.set_entries(sample(), cursor_name="gamma.bin")
        assert cursor_name(file_list) == "gamma.bin"
        assert file_list.summary == "3 folders, 5 files, 2.0 MB"
        file_list.set_entries([], parent_entry=False)
        assert file_list.cursor_entry is None and file_list.row_count == 0
        assert screen_lines(file_list)[1].strip() == "(empty)"
        await pilot.pause()
        assert app.of_type(FileList.SummaryChanged)[-1].summary == "0 folders, 0 files, 0 B"


@run_async
async def test_mouse_click_moves_double_click_activates_header_click_sorts() -> None:
    app = FileListApp(sample())
    async with app.run_test(size=(80, 20)) as pilot:
        file_list = file_list_of(app)
        await pilot.click(FileList, offset=(3, 3))
        assert cursor_name(file_list) == "to-docs"
        await pilot.double_click(FileList, offset=(3, 4))
        await pilot.pause()
        assert app.of_type(FileList.Activated)[-1].entry.name == "zeta"
        size_title_x = screen_lines(file_list)[0].index("Size")
        await pilot.click(FileList, offset=(size_title_x, 0))
        assert file_list.sort_column == "size"


class TwoWidgetApp(FileListApp):
    def compose(self) -> ComposeResult:
        yield FileList(id="files")
        yield Input(id="other")


@run_async
async def test_cursor_is_reverse_when_focused_and_underlined_when_not() -> None:
    """Attributes, not only colours, so the cursor shows under NO_COLOR and in 16 colours."""
    app = TwoWidgetApp(sample())
    async with app.run_test(size=(80, 20)) as pilot:
        file_list = file_list_of(app)
        file_list.move_cursor_to_name("beta.txt")
        cursor_line = file_list.cursor_row + 1
        await pilot.pause()
        focused = next(iter(file_list.render_line(cursor_line))).style
        assert focused is not None and focused.reverse and focused.bold
        app.query_one(Input).focus()
        await pilot.pause()
        blurred = next(iter(file_list.render_line(cursor_line))).style
        assert blurred is not None and blurred.underline and not blurred.reverse
        other = next(iter(file_list.render_line(cursor_line + 1))).style
        assert other is not None and not other.underline and not other.reverse


@run_async
async def test_summary_while_filtering_counts_matches() -> None:
    app = FileListApp(sample())
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.press("t", "o", "-")
        await pilot.pause()
        assert file_list_of(app).summary == "2 of 8 names match"
        assert app.of_type(FileList.SummaryChanged)[-1].summary == "2 of 8 names match"


@run_async
async def test_switching_column_set_resorts_by_that_sets_meaning_of_size() -> None:
    header = " Name     VV.MM   Created       Changed      Size  Init   Mod   Id"
    members = parse_mvs_members(
        [
            header,
            "MEMBER1   01.00 2026/03/25 2026/03/25 09:17    10    10     0 MIKEG1",
            "MEMBER2   01.00 2026/03/25 2026/03/26 09:17     5     5     0 MIKEG1",
        ]
    )
    app = FileListApp(members)
    async with app.run_test(size=(80, 10)):
        file_list = file_list_of(app)
        file_list.sort_by("size")
        assert names(file_list) == ["MEMBER1", "MEMBER2"]  # no byte sizes: name order
        file_list.column_set = "mvs-members"
        assert file_list.sort_column == "size"
        assert names(file_list) == ["MEMBER2", "MEMBER1"]  # by record count


@run_async
async def test_a_one_cell_wide_pane_renders_blank_lines() -> None:
    app = FileListApp(sample())
    async with app.run_test(size=(80, 10)) as pilot:
        file_list = file_list_of(app)
        file_list.styles.width = 1
        await pilot.pause()
        assert all(line.strip() == "" for line in screen_lines(file_list))
