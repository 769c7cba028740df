"""The download loop on real loopback sockets: the zero-copy splice path and its fallbacks.

Plain binary downloads go socket → pipe → file with ``os.splice``; files that refuse splice (opened
for append), handles without a file descriptor, TLS, ASCII and files known to be small take the
copying loop. Each case checks the bytes on disk, the byte count and progress; stalls and cancels
raise the engine's errors.
"""

from __future__ import annotations

import io
import os
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tui_ftp.demo.certs import CertificateSet
from tui_ftp.demo.scripted import server_tls_context
from tui_ftp.engine.errors import Cancelled, FTPTimeout
from tui_ftp.engine.events import Event, TransferProgress
from tui_ftp.engine.options import TLSOptions
from tui_ftp.engine.tls import build_context
from tui_ftp.engine.transfer import CancelToken, ProgressMeter, receive_into_file

DATA = os.urandom(3 << 20) + b"tail"  # not a multiple of any pipe or buffer size


@contextmanager
def data_connection(
    payload: bytes, *, keep_open: float = 0.0, server_tls: ssl.SSLContext | None = None
) -> Iterator[socket.socket]:
    """A connected loopback socket whose peer sends ``payload``, then waits ``keep_open`` s and closes.

    With ``server_tls`` the peer first does a TLS handshake (the caller wraps its own end)."""
    listener = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(listener.getsockname(), timeout=5)
    server, _ = listener.accept()
    listener.close()

    def send() -> None:
        with server_tls.wrap_socket(server, server_side=True) if server_tls else server as end:
            end.sendall(payload)
            time.sleep(keep_open)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        yield client
    finally:
        client.close()
        sender.join(timeout=10)


def meter(events: list[Event]) -> ProgressMeter:
    return ProgressMeter("t", len(DATA), events.append, interval=0.0)


def test_download_is_spliced_into_the_file_exactly(tmp_path: Path) -> None:
    events: list[Event] = []
    target = tmp_path / "out.bin"
    with data_connection(DATA) as sock, open(target, "wb") as handle:
        received = receive_into_file(sock, handle, meter(events), CancelToken(), 1 << 20)
    assert received == len(DATA)
    assert target.read_bytes() == DATA
    assert events and isinstance(events[-1], TransferProgress) and events[-1].done == len(DATA)


def test_resumed_download_continues_at_the_file_position(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"already here|")
    with data_connection(DATA) as sock, open(target, "r+b") as handle:
        handle.seek(0, os.SEEK_END)
        receive_into_file(sock, handle, meter([]), CancelToken(), 1 << 20)
    assert target.read_bytes() == b"already here|" + DATA


def test_file_that_refuses_splice_falls_back_to_copying(tmp_path: Path) -> None:
    """splice into an O_APPEND file fails with EINVAL: the bytes already in the pipe must not be lost."""
    target = tmp_path / "out.bin"
    target.write_bytes(b"head|")
    with data_connection(DATA) as sock, open(target, "ab") as handle:
        received = receive_into_file(sock, handle, meter([]), CancelToken(), 1 << 20)
    assert received == len(DATA)
    assert target.read_bytes() == b"head|" + DATA


@pytest.mark.parametrize("announced", [0, 4096, len(DATA)])
def test_small_announced_size_still_reads_everything_sent(tmp_path: Path, announced: int) -> None:
    """A file announced small gets a small buffer; if the server sends more, none of it is lost."""
    target = tmp_path / "out.bin"
    small_meter = ProgressMeter("t", announced, lambda event: None)
    with data_connection(DATA) as sock, open(target, "wb") as handle:
        received = receive_into_file(sock, handle, small_meter, CancelToken(), 1 << 20)
    assert received == len(DATA) == small_meter.done
    assert target.read_bytes() == DATA


def test_handle_without_descriptor_is_copied() -> None:
    sink = io.BytesIO()
    with data_connection(DATA) as sock:
        received = receive_into_file(sock, sink, meter([]), CancelToken(), 1 << 20)
    assert received == len(DATA)
    assert sink.getvalue() == DATA


def test_ascii_download_is_converted_not_spliced(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with data_connection(b"one\r\ntwo\r\n" * 1000) as sock, open(target, "wb") as handle:
        receive_into_file(sock, handle, meter([]), CancelToken(), 1 << 16, ascii_mode=True)
    assert target.read_bytes() == b"one\ntwo\n" * 1000


def test_stalled_download_times_out(tmp_path: Path) -> None:
    with data_connection(b"x" * 1000, keep_open=2.0) as sock, open(tmp_path / "out", "wb") as handle:
        sock.settimeout(0.3)
        started = time.monotonic()
        with pytest.raises(FTPTimeout):
            receive_into_file(sock, handle, meter([]), CancelToken(), 1 << 20)
        assert time.monotonic() - started < 1.5  # the sender holds the connection open for 2 s


def test_cancel_from_another_thread_stops_a_stalled_download(tmp_path: Path) -> None:
    cancel = CancelToken()
    with data_connection(b"x" * 1000, keep_open=2.0) as sock, open(tmp_path / "out", "wb") as handle:
        cancel.attach(sock)
        threading.Timer(0.2, cancel.cancel).start()
        started = time.monotonic()
        with pytest.raises(Cancelled):
            receive_into_file(sock, handle, meter([]), cancel, 1 << 20)
        assert time.monotonic() - started < 1.5
    assert (tmp_path / "out").read_bytes() == b"x" * 1000


def test_cancel_of_a_tls_download_never_writes_ciphertext(tmp_path: Path, test_certs: CertificateSet) -> None:
    """A cancel shuts the TCP connection down under TLS. ``SSLSocket.shutdown`` would drop the TLS
    object, and the loop's next read would return raw records still buffered in the kernel: the part
    file (kept for resume) must only ever hold a prefix of the real data."""
    payload = os.urandom(48 * 1024)
    server_context = server_tls_context(str(test_certs.server.cert), str(test_certs.server.key))
    client_context = build_context(TLSOptions(ca_file=str(test_certs.ca.cert)))
    with data_connection(payload, keep_open=2.0, server_tls=server_context) as raw:
        sock = client_context.wrap_socket(raw, server_hostname="localhost")
        time.sleep(0.3)  # the whole payload waits, encrypted, in the kernel's receive buffer
        cancel = CancelToken()
        cancel.attach(sock)
        cancel.cancel()
        with open(tmp_path / "out.part", "wb") as handle, pytest.raises(Cancelled):
            receive_into_file(sock, handle, meter([]), cancel, 1 << 20)
    written = (tmp_path / "out.part").read_bytes()
    assert written == payload[: len(written)]
