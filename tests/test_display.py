"""safe_text against hostile names, and the small display formatters."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_ftp.display import exact_size, human_size, plural, safe_text, short_time

_UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def _has_unsafe_char(text: str) -> bool:
    return any(unicodedata.category(char) in _UNSAFE_CATEGORIES for char in text)


@pytest.mark.parametrize(
    ("hostile", "shown"),
    [
        ("a\x1b[2Jb", "a\\x1b[2Jb"),  # clear screen
        ("\x1b]52;c;ZXZpbA==\x07x", "\\x1b]52;c;ZXZpbA==\\x07x"),  # OSC 52 clipboard write
        ("good\rEVIL", "good\\rEVIL"),  # carriage return overwrites the row
        ("line\nbreak", "line\\nbreak"),
        ("a\tb", "a\\tb"),
        ("nul\x00", "nul\\x00"),
        ("del\x7f", "del\\x7f"),
        ("\x9b31mcsi", "\\x9b31mcsi"),  # C1 CSI
        ("\x85next", "\\x85next"),  # C1 NEL
        ("invoice\u202etxt.exe", "invoice\\u202etxt.exe"),  # right-to-left override
        ("\u2066iso\u2069", "\\u2066iso\\u2069"),
        ("\u200emark\u200f", "\\u200emark\\u200f"),
        ("arabic\u061cmark", "arabic\\u061cmark"),
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("\ufeffbom", "\\ufeffbom"),
        ("soft\u00adhyphen", "soft\\xadhyphen"),
        ("line\u2028sep", "line\\u2028sep"),
        ("tag\U000e0041", "tag\\U000e0041"),
        ("\u3164", "\\u3164"),  # Hangul filler: a "blank" name
        ("byte\udcffname", "byte\\xffname"),  # surrogateescape of b"\xff"
        ("\udc80", "\\x80"),
        ("lone\ud800", "lone\\ud800"),
    ],
)
def test_hostile_characters_become_visible_escapes(hostile: str, shown: str) -> None:
    assert safe_text(hostile) == shown
    assert not _has_unsafe_char(safe_text(hostile))


@pytest.mark.parametrize(
    "name",
    ["README.md", "café", "naïve résumé", "日本語のファイル.txt", "файл", "emoji 😀🎉", "a b", "100%", "[bold]x[/]"],
)
def test_ordinary_unicode_is_kept(name: str) -> None:
    assert safe_text(name) == name


def test_no_break_and_ideographic_spaces_are_kept() -> None:
    assert safe_text("a\u00a0b\u3000c") == "a\u00a0b\u3000c"


def test_bytes_decoded_with_surrogateescape_show_their_byte_values() -> None:
    name = b"caf\xe9-\xff".decode("utf-8", "surrogateescape")
    assert safe_text(name) == "caf\\xe9-\\xff"


@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=40))
def test_output_never_holds_an_unsafe_character(text: str) -> None:
    shown = safe_text(text)
    assert not _has_unsafe_char(shown)
    if text.isprintable() and "\u3164" not in text and "\u115f" not in text:
        assert shown == text


def test_every_c0_c1_and_del_is_escaped() -> None:
    for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]:
        assert safe_text(chr(code)).startswith("\\")


@pytest.mark.parametrize(
    ("size", "text"), [(None, ""), (0, "0 B"), (1, "1 B"), (999, "999 B"), (1000, "1.0 kB"), (4_600_000_000, "4.6 GB")]
)
def test_human_size(size: int | None, text: str) -> None:
    assert human_size(size) == text


def test_exact_size_and_plural() -> None:
    assert exact_size(1234567) == "1,234,567"
    assert exact_size(None) == ""
    assert plural(1, "file") == "1 file"
    assert plural(2, "folder") == "2 folders"
    assert plural(1024, "file") == "1,024 files"


def test_short_time_shows_local_time() -> None:
    assert short_time(datetime(2026, 3, 25, 9, 17, 42)) == "2026-03-25 09:17"
    assert short_time(None) == ""
    aware = datetime(2026, 3, 25, 9, 17, tzinfo=UTC)
    local = aware.astimezone()
    assert short_time(aware) == local.strftime("%Y-%m-%d %H:%M")
    assert short_time(aware + timedelta(minutes=1)) != short_time(aware)
