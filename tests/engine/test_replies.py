"""The reply reader fed bytes, no sockets (h11 style)."""

from __future__ import annotations

import pytest

from tui_ftp.engine.errors import ProtocolError
from tui_ftp.engine.replies import (
    Reply,
    ReplyLine,
    ReplyReader,
    parse_213_mdtm,
    parse_213_size,
    parse_227,
    parse_229,
    parse_257,
    parse_feat,
)


def replies_from(*chunks: bytes, reader: ReplyReader | None = None) -> list[Reply]:
    reader = reader or ReplyReader()
    replies: list[Reply] = []
    for chunk in chunks:
        reader.feed(chunk)
        while (event := reader.next_event()) is not None:
            if isinstance(event, Reply):
                replies.append(event)
    return replies


def test_single_line_reply() -> None:
    assert replies_from(b"220 Welcome\r\n") == [Reply(220, ("220 Welcome",))]


def test_reply_split_across_chunks_and_bare_lf() -> None:
    assert replies_from(b"22", b"0 hel", b"lo\n", b"331 pass\r", b"\n") == [
        Reply(220, ("220 hello",)),
        Reply(331, ("331 pass",)),
    ]


def test_multiline_with_inner_lines_starting_with_digits() -> None:
    data = b"123-First line\r\nSecond line\r\n  234 A line beginning with numbers\r\n123 The last line\r\n"
    (reply,) = replies_from(data)
    assert reply.code == 123
    assert len(reply.lines) == 4
    assert reply.lines[2] == "  234 A line beginning with numbers"


def test_multiline_where_every_line_is_prefixed() -> None:
    data = b"211-Features:\r\n211-MDTM\r\n211-SIZE\r\n211 End\r\n"
    (reply,) = replies_from(data)
    assert reply.lines == ("211-Features:", "211-MDTM", "211-SIZE", "211 End")


def test_inner_line_with_other_code_and_space_does_not_end_a_2xx_block() -> None:
    (reply,) = replies_from(b"230-Hello\r\n550 not the end\r\n230 Logged in\r\n")
    assert reply.code == 230 and len(reply.lines) == 3


def test_several_preliminary_replies_each_delivered_before_the_final_one() -> None:
    reader = ReplyReader()
    reader.feed(b"125-FTP Server unable to obtain SHARED use of USER1.ALFRED.PDSE (APICLN) which\r\n")
    first = reader.next_event()
    assert isinstance(first, ReplyLine) and first.code == 125
    assert reader.next_event() is None  # the block is still open, the line is already delivered
    reader.feed(b"is held by: 003D USER1      EXCL on SPFEDIT\r\n")
    continuation = reader.next_event()
    assert isinstance(continuation, ReplyLine) and continuation.code is None
    reader.feed(b"125 Sending data set USER1.ALFRED.PDSE (APICLN) FIXrecfm 80\r\n250 Transfer completed successfully.\r\n")
    events = []
    while (event := reader.next_event()) is not None:
        events.append(event)
    replies = [event for event in events if isinstance(event, Reply)]
    assert [reply.code for reply in replies] == [125, 250]
    assert len(replies[0].lines) == 3


def test_preliminary_block_closed_by_a_different_final_code() -> None:
    replies = replies_from(
        b"125-FTP Server unable to obtain SHARED use of X\r\n"
        b"125-Data set access will be retried in 1 minute intervals - 0 attempts remaining\r\n"
        b"550 X used exclusively by someone else.\r\n"
    )
    assert [reply.code for reply in replies] == [125, 550]
    assert replies[1].lines == ("550 X used exclusively by someone else.",)


def test_421_is_a_normal_reply_for_the_reader() -> None:
    assert replies_from(b"421 Service not available\r\n")[0].code == 421


@pytest.mark.parametrize("line", [b"hello\r\n", b"99 x\r\n", b"600 x\r\n", b"2200 x\r\n", b"\r\n"])
def test_malformed_first_line_is_a_protocol_error(line: bytes) -> None:
    with pytest.raises(ProtocolError):
        replies_from(line)


def test_code_alone_is_accepted() -> None:
    assert replies_from(b"200\r\n") == [Reply(200, ("200",))]


def test_line_length_cap_fires_without_a_newline() -> None:
    reader = ReplyReader(max_line_bytes=1000)
    with pytest.raises(ProtocolError, match="longer than 1000"):
        reader.feed(b"220 " + b"x" * 2000)


def test_line_count_cap_on_endless_multiline_reply() -> None:
    reader = ReplyReader(max_reply_lines=50)
    with pytest.raises(ProtocolError, match="50 lines"):
        reader.feed(b"220-start\r\n" + b"220-more\r\n" * 100)


def test_reply_size_cap() -> None:
    reader = ReplyReader(max_reply_bytes=10_000, max_reply_lines=10**6)
    with pytest.raises(ProtocolError, match="10000 bytes"):
        reader.feed(b"220-start\r\n" + (b"x" * 500 + b"\r\n") * 100)


def test_discard_buffered_drops_injected_replies() -> None:
    reader = ReplyReader()
    reader.feed(b"234 go ahead\r\n")
    assert isinstance(reader.next_event(), ReplyLine)
    assert isinstance(reader.next_event(), Reply)
    reader.feed(b"230 injected before TLS\r\n331 partial")
    assert reader.discard_buffered() > 0
    assert reader.next_event() is None
    assert not reader.in_reply


def test_non_utf8_bytes_survive_as_surrogates() -> None:
    (reply,) = replies_from(b"257 \"/caf\xe9\" is cwd\r\n")
    assert parse_257(reply.text).encode("utf-8", "surrogateescape") == b"/caf\xe9"


def test_parse_227_and_its_malformed_forms() -> None:
    assert parse_227("227 Entering Passive Mode (127,0,0,1,200,10)") == ("127.0.0.1", 200 * 256 + 10)
    assert parse_227("227 =10,1,2,3,4,5") == ("10.1.2.3", 4 * 256 + 5)
    for bad in ("227 Entering Passive Mode", "227 (300,0,0,1,1,1)", "227 (1,2,3,4,0,0)"):
        with pytest.raises(ProtocolError):
            parse_227(bad)


def test_parse_229() -> None:
    assert parse_229("229 Entering Extended Passive Mode (|||6446|)") == 6446
    assert parse_229("229 ok (!!!21!)") == 21
    for bad in ("229 (|||0|)", "229 (||6446|)", "229 (|||99999|)", "229 nothing"):
        with pytest.raises(ProtocolError):
            parse_229(bad)


def test_parse_257_quotes() -> None:
    assert parse_257('257 "/a ""b"" c" created') == '/a "b" c'
    assert parse_257("257 \"'MIKEG1.'\" is working directory.") == "'MIKEG1.'"
    assert parse_257('257 "" is cwd') == ""
    for bad in ("257 no quotes", '257 "unterminated'):
        with pytest.raises(ProtocolError):
            parse_257(bad)


def test_parse_213() -> None:
    assert parse_213_size(Reply(213, ("213 12345",))) == 12345
    stamp = parse_213_mdtm(Reply(213, ("213 20261127120304.5",)))
    assert (stamp.year, stamp.hour, stamp.second, stamp.microsecond) == (2026, 12, 4, 500000)
    assert stamp.utcoffset() is not None
    for bad in ("213 abc", "213 -5"):
        with pytest.raises(ProtocolError):
            parse_213_size(Reply(213, (bad,)))
    for bad in ("213 2026", "213 20261399999999"):
        with pytest.raises(ProtocolError):
            parse_213_mdtm(Reply(213, (bad,)))


def test_parse_feat() -> None:
    reply = Reply(211, ("211-Features:", " MLST type*;size*;", " UTF8", " REST STREAM", "211 End"))
    assert parse_feat(reply) == {"MLST": "type*;size*;", "UTF8": "", "REST": "STREAM"}
    assert parse_feat(Reply(211, ("211 no Extensions supported",))) == {}
    assert parse_feat(Reply(500, ("500 unknown",))) == {}


# -- property tests --------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=300), max_size=20))
def test_arbitrary_bytes_raise_nothing_but_protocol_errors(chunks: list[bytes]) -> None:
    reader = ReplyReader(max_line_bytes=512, max_reply_lines=50, max_reply_bytes=4096)
    try:
        for chunk in chunks:
            reader.feed(chunk)
            while reader.next_event() is not None:
                pass
    except ProtocolError:
        pass


reply_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.integers(100, 599), st.lists(reply_text, min_size=1, max_size=8), st.integers(1, 7))
def test_well_formed_replies_round_trip_whatever_the_chunking(code: int, texts: list[str], step: int) -> None:
    lines = [f"{code}-{text}" for text in texts[:-1]] + [f"{code} {texts[-1]}"]
    if len(lines) > 1:
        lines[1:-1] = [f" {text}" for text in texts[1:-1]]  # inner lines must not close the reply early
    wire = "".join(line + "\r\n" for line in lines).encode("utf-8")
    chunks = [wire[index : index + step] for index in range(0, len(wire), step)]
    assert replies_from(*chunks) == [Reply(code, tuple(lines))]
