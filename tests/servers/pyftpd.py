"""pyftpdlib in a thread of the test process: plain FTP or explicit FTPS, on IPv4 or IPv6."""

from __future__ import annotations

import threading
from pathlib import Path

from OpenSSL import SSL
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler, TLS_FTPHandler
from pyftpdlib.ioloop import IOLoop
from pyftpdlib.servers import FTPServer

from tui_ftp.demo.certs import CertFiles

from .base import (
    PASSWORD,
    RunningServer,
    ServerOptions,
    fill_home,
    free_port_range,
    server_record,
    wait_until_ready,
)

USER = "alice"
ALL_PERMISSIONS = "elradfmwMT"
_PASSIVE_PORTS = 64


def start_pyftpdlib(options: ServerOptions, workdir: Path) -> RunningServer:
    """Serve ``workdir/home`` as user ``alice``; TLS when ``options.certs`` is given."""
    if options.implicit:
        raise ValueError("pyftpdlib has no implicit FTPS")
    home = workdir / "home"
    home.mkdir(parents=True, exist_ok=True)
    fill_home(home)
    handler = _handler_class(options, home)
    # An I/O loop of its own: the default is one shared instance, which two server threads corrupt.
    server = FTPServer((options.host, 0), handler, ioloop=IOLoop())
    thread = _ServerThread(server)
    thread.start()
    port = server.socket.getsockname()[1]
    wait_until_ready(options.host, port, implicit_context=None)
    return server_record(
        "pyftpdlib",
        options,
        port=port,
        user=USER,
        home=home,
        log_dir=workdir,
        stop=thread.stop,
        tls_required=options.tls_required,
        mlsd=True,
    )


def _handler_class(options: ServerOptions, home: Path) -> type[FTPHandler]:
    """A handler subclass of its own: pyftpdlib configures handlers through class attributes."""
    authorizer = DummyAuthorizer()
    authorizer.add_user(USER, PASSWORD, str(home), perm=ALL_PERMISSIONS)
    low, high = free_port_range(options.host, _PASSIVE_PORTS)
    attributes: dict[str, object] = {
        "authorizer": authorizer,
        "passive_ports": list(range(low, high + 1)),
        "banner": "tui-ftp test pyftpdlib ready.",
    }
    if options.certs is None:
        return type("PlainTestHandler", (FTPHandler,), attributes)
    attributes.update(
        ssl_context=_ssl_context(options.certs, options),
        tls_control_required=options.tls_required,
        tls_data_required=options.tls_required,
    )
    return type("TLSTestHandler", (TLS_FTPHandler,), attributes)


def _ssl_context(certs: CertFiles, options: ServerOptions) -> SSL.Context:
    context = SSL.Context(SSL.TLS_SERVER_METHOD)
    context.set_options(SSL.OP_NO_SSLv2 | SSL.OP_NO_SSLv3 | SSL.OP_NO_COMPRESSION)
    context.set_min_proto_version(SSL.TLS1_2_VERSION)
    if options.tls_max == "1.2":
        context.set_max_proto_version(SSL.TLS1_2_VERSION)
    context.use_certificate_chain_file(str(certs.cert))
    context.use_privatekey_file(str(certs.key))
    return context


class _ServerThread(threading.Thread):
    """Runs the server's I/O loop in short slices so :meth:`stop` can end it from another thread."""

    def __init__(self, server: FTPServer) -> None:
        super().__init__(name=f"pyftpdlib-{server.address[1]}", daemon=True)
        self.server = server
        self._stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self._stopping.is_set():
                self.server.serve_forever(timeout=0.05, blocking=False, handle_exit=False)
        finally:
            self.server.close_all()

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=10)
