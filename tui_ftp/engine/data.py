"""Opening data connections: EPSV / PASV / EPRT / PORT, IPv4 and IPv6, and data-channel TLS.

The client is always the TLS client on the data connection, resuming the control connection's TLS
session (RFC 4217 §10.2: vsftpd and proftpd require it) with the same SSLContext and host name, and
the data certificate must be the control one.
"""

from __future__ import annotations

import ipaddress
import random
import socket
import ssl
from dataclasses import dataclass

from .control import ControlConnection, set_keepalive
from .errors import CertificateError, ConnectionLost, FTPTimeout, PermanentReplyError, ProtocolError, TLSError, UsageError
from .events import Direction
from .options import ConnectOptions, DataMode
from .replies import parse_227, parse_229
from .tls import certificate_of, sha256_fingerprint

_EPSV_REFUSED = (500, 501, 502, 504, 522)


@dataclass
class PendingData:
    """A data connection in the making: connected (passive) or listening (active)."""

    sock: socket.socket | None = None  # passive: connected socket
    listener: socket.socket | None = None  # active: listening socket

    def close(self) -> None:
        for sock in (self.sock, self.listener):
            if sock is not None:
                try:
                    sock.close()
                except OSError:
                    pass


class DataConnector:
    """Chooses and opens data connections for one session; remembers a refused EPSV."""

    def __init__(self, control: ControlConnection, options: ConnectOptions, *, resume_tls_session: bool = True) -> None:
        self.control = control
        self.options = options
        self.epsv_refused = False
        # False only for the probe: a fresh data handshake shows whether the server REQUIRES reuse.
        self.resume_tls_session = resume_tls_session

    # -- before the transfer command ----------------------------------------------------------
    def prepare(self) -> PendingData:
        mode = self.options.data_mode
        if mode.passive:
            return PendingData(sock=self._passive(mode))
        return PendingData(listener=self._active(mode))

    def _passive(self, mode: DataMode) -> socket.socket:
        ipv6 = ":" in self.control.peer_address
        if mode is DataMode.EPSV or (mode is DataMode.AUTO and not self.epsv_refused) or ipv6:
            try:
                reply = self.control.command("EPSV")
                return self._connect(self.control.peer_address, parse_229(reply.text))
            except PermanentReplyError as error:
                if mode is not DataMode.AUTO or ipv6 or error.code not in _EPSV_REFUSED:
                    raise
                self.epsv_refused = True
                self.control.log(Direction.INFO, "EPSV refused: falling back to PASV")
        reply = self.control.command("PASV")
        host, port = parse_227(reply.text)
        return self._connect(self._pasv_host(host), port)

    def _pasv_host(self, announced: str) -> str:
        """The 227 address is ignored unless trusted (curl CVE-2020-8284, Python CVE-2021-4189)."""
        peer = self.control.peer_address
        if self.options.trust_pasv_address:
            return announced
        if announced != peer:
            self.control.log(Direction.INFO, f"PASV address {announced} ignored; using the control peer {peer}")
        return peer

    def _connect(self, host: str, port: int) -> socket.socket:
        source = (self.options.source_ip, 0) if self.options.source_ip else None
        try:
            sock = socket.create_connection((host, port), timeout=self.options.connect_timeout, source_address=source)
        except (socket.timeout, TimeoutError) as error:
            raise FTPTimeout(f"data connection to {host} port {port} timed out") from error
        except OSError as error:
            raise ConnectionLost(f"cannot open the data connection to {host} port {port}: {error}") from error
        set_keepalive(sock, self.options.keepalive_seconds)
        return sock

    def _active(self, mode: DataMode) -> socket.socket:
        address = self.options.source_ip or self.control.local_address
        listener = self._listen(address)
        port = listener.getsockname()[1]
        try:
            if mode is DataMode.PORT:
                if ":" in address:
                    raise UsageError("PORT cannot carry an IPv6 address; use EPRT")
                self.control.command(f"PORT {address.replace('.', ',')},{port >> 8},{port & 255}")
            else:
                family = 2 if ":" in address else 1
                self.control.command(f"EPRT |{family}|{address}|{port}|")
        except BaseException:
            listener.close()
            raise
        return listener

    def _listen(self, address: str) -> socket.socket:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        ports = self._candidate_ports()
        last_error: OSError | None = None
        for port in ports:
            listener = socket.socket(family, socket.SOCK_STREAM)
            try:
                listener.bind((address, port))
                listener.listen(1)
                return listener
            except OSError as error:
                listener.close()
                last_error = error
        raise ConnectionLost(f"no free local port for an active data connection: {last_error}")

    def _candidate_ports(self) -> list[int]:
        if not self.options.active_port_range:
            return [0]
        low, high = self.options.active_port_range
        ports = list(range(low, high + 1))
        random.shuffle(ports)
        return ports[:200]

    # -- after the transfer command's preliminary reply ----------------------------------------
    def establish(self, pending: PendingData, protect: bool) -> socket.socket:
        """The connected data socket, TLS-wrapped when PROT P."""
        sock = pending.sock if pending.sock is not None else self._accept(pending)
        pending.sock = sock
        if not protect:
            return sock
        return self._wrap(sock)

    def _accept(self, pending: PendingData) -> socket.socket:
        listener = pending.listener
        assert listener is not None
        listener.settimeout(self.options.connect_timeout)
        try:
            sock, (peer, *_rest) = listener.accept()
        except (socket.timeout, TimeoutError) as error:
            raise FTPTimeout("the server did not open the active data connection") from error
        finally:
            listener.close()
            pending.listener = None
        if _normalize_ip(peer) != _normalize_ip(self.control.peer_address):
            sock.close()
            raise ProtocolError(f"active data connection came from {peer}, not the server {self.control.peer_address}")
        set_keepalive(sock, self.options.keepalive_seconds)
        return sock

    def _wrap(self, sock: socket.socket) -> ssl.SSLSocket:
        control_tls = self.control.tls
        if control_tls is None:
            raise TLSError("PROT P needs TLS, but the session never negotiated it")
        self.control.save_tls_session()
        sock.settimeout(self.options.reply_timeout)
        try:
            tls_sock = control_tls.context.wrap_socket(
                sock,
                server_hostname=control_tls.hostname,
                session=control_tls.session if self.resume_tls_session else None,
            )
        except ssl.SSLCertVerificationError as error:
            raise CertificateError("data connection certificate not trusted", None, str(error)) from error
        except (OSError, ssl.SSLError) as error:
            raise TLSError(f"TLS handshake on the data connection failed: {error}") from error
        presented = tls_sock.getpeercert(binary_form=True)
        if presented is None or sha256_fingerprint(presented) != control_tls.certificate_sha256:
            shown = certificate_of(tls_sock) if presented else None
            tls_sock.close()
            raise CertificateError(
                "the data connection presented a different certificate than the control connection", shown
            )
        self.control.data_resumed = tls_sock.session_reused
        return tls_sock


def _normalize_ip(address: str) -> str:
    try:
        parsed = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    return str(parsed)
