"""FTPSession: one blocking FTP/FTPS session, owned by one thread.

Connect and log in with every security mode; run commands; list; download and upload. The UI never
calls this directly: :class:`~tui_ftp.engine.worker.SessionWorker` owns a session in its thread and
hands out futures. Only :meth:`FTPSession.cancel` may be called from another thread.
"""

from __future__ import annotations

import re
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from . import zos
from .commands import command_line, raw_command_line
from .control import ControlConnection, ControlTLS, check_reply, set_keepalive
from .data import DataConnector
from .errors import (
    reply_error_for,
    Cancelled,
    CertificateError,
    ConnectionLost,
    FTPError,
    FTPTimeout,
    LoginError,
    PermanentReplyError,
    ProtocolError,
    ReplyError,
    TLSError,
    TransferIncomplete,
    UsageError,
)
from .events import ContentionWait, Direction, EventSink, LogLine, SecurityChanged, SessionState, StateChanged, discard
from .listing import Entry, is_empty_listing_reply, parse_listing, parse_mlsd
from .options import CCCMode, ConnectOptions, Security, ServerType, TransferType
from .replies import Reply, ReplyLine, parse_213_mdtm, parse_213_size, parse_257, parse_feat
from .tls import SecurityInfo, build_context, certificate_error_from, certificate_of, check_pin, probe_context, trust_level
from .transfer import (
    CancelToken,
    ProgressMeter,
    close_data,
    data_errors,
    finish_download,
    discard_empty_part,
    open_download_target,
    part_path,
    open_upload_source,
    receive_into_file,
    reset_connection,
    send_from_file,
)

T = TypeVar("T")
MAX_LISTING_BYTES = 512 << 20
_SIZE_IN_150 = re.compile(r"\((\d+) bytes\)")
_CLEANUP_TIMEOUT = 5.0
FTP_VERBS = frozenset(
    "ABOR ACCT ALLO APPE CDUP CWD DELE EPRT EPSV FEAT HELP LIST MDTM MKD MLSD MLST MODE NLST NOOP OPTS "
    "PASV PORT PWD QUIT REIN REST RETR RMD RNFR RNTO SITE SIZE SMNT STAT STOR STOU STRU SYST TYPE".split()
)


class FTPSession:
    """A blocking FTP/FTPS client session. Not thread-safe except :meth:`cancel`."""

    def __init__(self, options: ConnectOptions, sink: EventSink = discard, name: str = "") -> None:
        self.options = options
        self.sink = sink
        self.name = name or options.host
        self.control: ControlConnection | None = None
        self.connector: DataConnector | None = None
        self.welcome: Reply | None = None
        self.features: dict[str, str] = {}
        self.system = ""
        self.server_type = options.server_type
        self.security = SecurityInfo(options.security)
        self.cancel_token = CancelToken()
        self._type: TransferType | None = None
        self._prot: str | None = None
        self._context: ssl.SSLContext | None = None
        self.last_activity = time.monotonic()
        self.last_reply: Reply | None = None  # the final reply of the last data command

    # == lifecycle ================================================================================
    @property
    def connected(self) -> bool:
        return self.control is not None and not self.control.closed

    def connect(self) -> None:
        """Open the control connection, secure it as the options say, and log in."""
        attempts = self.options.connect_retries + 1
        for attempt in range(attempts):
            try:
                self._connect_once()
                return
            except (ConnectionLost, FTPTimeout) as error:
                self._drop()
                if attempt + 1 >= attempts:
                    raise
                delay = self.options.retry_backoff * (2**attempt)
                self._log(Direction.WARNING, f"connect failed ({error}); retrying in {delay:g} s")
                time.sleep(delay)
            except BaseException:
                self._drop()
                raise

    def close(self) -> None:
        """QUIT politely (bounded), then close."""
        control = self.control
        if control is not None and not control.closed:
            try:
                control.command("QUIT", expect=(2, 4, 5), timeout=_CLEANUP_TIMEOUT)
            except FTPError:
                pass
        self._drop()
        self._state(SessionState.CLOSED)

    def close_quietly(self) -> None:
        """Drop the connection without QUIT (it is broken or out of step); connect() starts anew."""
        self._drop()

    def __enter__(self) -> "FTPSession":
        self.connect()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def cancel(self) -> None:
        """Cancel the running transfer. Thread-safe: shuts the data socket down; ABOR follows."""
        self.cancel_token.cancel()

    def _drop(self) -> None:
        if self.control is not None:
            self.control.close()

    # == connecting and logging in =================================================================
    def _connect_once(self) -> None:
        self._state(SessionState.CONNECTING, f"{self.options.host}:{self.options.effective_port}")
        sock = self._open_socket()
        self.control = ControlConnection(
            sock,
            sink=self.sink,
            session_name=self.name,
            encoding=self.options.encoding,
            reply_timeout=self.options.reply_timeout,
        )
        self.connector = DataConnector(self.control, self.options)
        self._type = None
        self._prot = None
        self.security = SecurityInfo(self.options.security)
        self._greet_and_secure()
        self._login()
        self._after_login()
        self._state(SessionState.READY)

    def _open_socket(self) -> socket.socket:
        host, port = self.options.host, self.options.effective_port
        source = (self.options.source_ip, 0) if self.options.source_ip else None
        try:
            sock = socket.create_connection((host, port), timeout=self.options.connect_timeout, source_address=source)
        except socket.gaierror as error:
            raise ConnectionLost(f"cannot resolve host {host!r}: {error.strerror}") from error
        except (socket.timeout, TimeoutError) as error:
            raise FTPTimeout(f"connecting to {host} port {port} timed out") from error
        except OSError as error:
            raise ConnectionLost(f"cannot connect to {host} port {port}: {error.strerror or error}") from error
        set_keepalive(sock, self.options.keepalive_seconds)
        self._log(Direction.INFO, f"connected to {sock.getpeername()[0]} port {port}")
        return sock

    def _greet_and_secure(self) -> None:
        control = self._control()
        security = self.options.security
        if security is Security.IMPLICIT:
            self._handshake()
        self.welcome = check_reply(control.read_final(), "(greeting)", (2,))
        if security is Security.IMPLICIT_CLEAR_GREETING:
            self._handshake()
        elif security in (Security.EXPLICIT_TLS, Security.EXPLICIT_SSL, Security.TLS_IF_AVAILABLE):
            self._auth()

    def _auth(self) -> None:
        """AUTH TLS / AUTH SSL. With TLS required, a refusal ends the session before USER/PASS."""
        mechanism = "SSL" if self.options.security is Security.EXPLICIT_SSL else "TLS"
        control = self._control()
        control.send_line(f"AUTH {mechanism}")
        reply = control.read_final()
        if reply.code in (234, 334):
            self._handshake()
            return
        if self.options.security is Security.TLS_IF_AVAILABLE:
            warning = f"the server refused AUTH {mechanism} ({reply.code}): continuing WITHOUT encryption"
            self._log(Direction.WARNING, warning)
            self._set_security(warnings=(warning,))
            return
        self._drop()
        raise TLSError(f"TLS is required but the server refused AUTH {mechanism}: {reply.text}")

    def _handshake(self) -> None:
        control = self._control()
        self._state(SessionState.SECURING)
        context = self._context or build_context(self.options.tls)
        self._context = context
        try:
            control.start_tls(context, self.options.host, self.options.connect_timeout)
        except ssl.SSLCertVerificationError as error:
            rejected = certificate_error_from(error)
            self._drop()
            raise CertificateError(rejected.reason, self._fetch_rejected_certificate(), rejected.detail) from error
        except (OSError, ssl.SSLError) as error:
            self._drop()
            raise TLSError(f"TLS handshake failed: {error}") from error
        tls_sock = control.tls_socket
        assert tls_sock is not None
        certificate = certificate_of(tls_sock)
        try:
            check_pin(certificate, self.options.tls)
        except CertificateError:
            self._drop()
            raise
        control.tls = ControlTLS(context, self.options.host, certificate.sha256 if certificate else "")
        cipher = tls_sock.cipher()
        self._set_security(
            tls_version=tls_sock.version(),
            cipher=cipher[0] if cipher else None,
            certificate=certificate,
            trust=trust_level(self.options.tls),
        )
        self._log(Direction.INFO, f"TLS established: {tls_sock.version()}, {cipher[0] if cipher else '?'}")

    def _fetch_rejected_certificate(self) -> object:
        """Connect again, accepting anything, only to show the user the certificate that was refused."""
        probe = FTPSession(self.options.with_changes(connect_retries=0), discard, self.name)
        probe._context = probe_context()
        try:
            probe._connect_for_certificate()
            return probe.security.certificate
        except (FTPError, OSError):
            return None
        finally:
            probe._drop()

    def _connect_for_certificate(self) -> None:
        sock = self._open_socket()
        self.control = ControlConnection(
            sock, sink=discard, session_name=self.name, encoding=self.options.encoding, reply_timeout=self.options.connect_timeout
        )
        self._greet_and_secure()

    def _login(self) -> None:
        """USER / PASS / ACCT. Never reached in clear when TLS is required (checked here again)."""
        if self.options.security.tls_required and self._control().tls_socket is None:
            raise TLSError("refusing to send the user name and password without TLS")
        self._state(SessionState.LOGGING_IN)
        reply = self._login_step(command_line("USER", self.options.user))
        if reply.code == 331:
            reply = self._login_step(command_line("PASS", self.options.password))
        if reply.code == 332:
            reply = self._login_step(command_line("ACCT", self.options.account))
        if reply.code // 100 != 2:
            raise LoginError(reply.code, reply.lines, "login")

    def _login_step(self, line: str) -> Reply:
        control = self._control()
        control.send_line(line)
        reply = control.read_final()
        if reply.code // 100 in (4, 5) and reply.code != 421:
            raise LoginError(reply.code, reply.lines, line.split(" ", 1)[0])
        return reply

    def _after_login(self) -> None:
        if self._control().tls_socket is not None:
            self._control().command("PBSZ 0")
        self._read_features()
        self._detect_system()
        if self.options.ccc is not CCCMode.OFF:
            self._clear_control_channel()
        for post_login in self.options.site_commands:
            self.post_login_command(post_login)

    def _read_features(self) -> None:
        control = self._control()
        control.send_line("FEAT")
        self.features = parse_feat(control.read_final())
        if "UTF8" in self.features:
            try:
                control.command("OPTS UTF8 ON", expect=(2, 5))
            except ReplyError:
                pass

    def _detect_system(self) -> None:
        control = self._control()
        control.send_line("SYST")
        reply = control.read_final()
        self.system = reply.message if reply.code == 215 else ""
        if self.options.server_type is not ServerType.AUTO:
            return
        text = reply.lines[0] if reply.code == 215 else ""
        if zos.is_mvs_syst(text):
            self.server_type = ServerType.MVS
        elif "windows" in text.lower():
            self.server_type = ServerType.WINDOWS
        else:
            self.server_type = ServerType.UNIX
        if self.server_type is ServerType.MVS:
            self._log(Direction.INFO, "z/OS (MVS) server detected: dataset listings and navigation")

    def _clear_control_channel(self) -> None:
        """CCC: PROT is fixed first (no PROT is accepted after CCC), the TLS session saved for data."""
        control = self._control()
        if control.tls_socket is None:
            raise UsageError("CCC needs a TLS control connection")
        wanted = "P" if (self.options.protect_transfers or self.options.protect_listings) else "C"
        if self.options.protect_transfers != self.options.protect_listings:
            self._log(Direction.WARNING, f"CCC fixes one protection level for all data: PROT {wanted}")
        self._set_prot(wanted)
        control.save_tls_session()
        control.command("CCC")
        control.clear_tls(self.options.ccc is CCCMode.NOTIFY, min(self.options.reply_timeout, 10.0))
        self._set_security(ccc=True)
        self._log(Direction.INFO, "control channel cleared (CCC); data connections stay as protected")

    # == simple commands ===========================================================================
    def quote(self, text: str) -> Reply:
        """Send a raw command as typed; any reply is returned (only 421 and I/O errors raise)."""
        line = raw_command_line(text)
        reply = self._control().command(line, expect=(1, 2, 3, 4, 5))
        self._warn_continuation_lines(reply)
        return reply

    def site(self, parameters: str) -> Reply:
        """SITE ...; ``200-`` warning lines (unrecognised parameter, adjusted BLKSIZE) are logged as warnings."""
        reply = self._command("SITE", parameters)
        self._warn_continuation_lines(reply)
        return reply

    def post_login_command(self, text: str) -> Reply:
        """A site's post-login command: a full command (``SITE RECFM=FB``, ``OPTS ...``) as FileZilla
        stores them, or bare SITE parameters (``RECFM=FB LRECL=80``) as z/OS users write them."""
        first = text.strip().split(" ", 1)[0].upper()
        if first in FTP_VERBS:
            reply = self.quote(text)
            if reply.code // 100 not in (1, 2, 3):
                raise reply_error_for(reply.code, reply.lines, first)
            return reply
        return self.site(text)

    def _warn_continuation_lines(self, reply: Reply) -> None:
        for line in reply.lines[:-1]:
            self._log(Direction.WARNING, f"server says: {line[4:] if line[:3].isdigit() else line}")

    def noop(self) -> None:
        self._command("NOOP")

    def pwd(self) -> str:
        return parse_257(self._command("PWD").text)

    def cwd(self, path: str) -> str:
        self._command("CWD", path)
        return self.pwd()

    def cdup(self) -> str:
        self._command("CDUP")
        return self.pwd()

    def mkdir(self, path: str) -> str:
        reply = self._command("MKD", path)
        try:
            return parse_257(reply.text)
        except FTPError:
            return path

    def rmdir(self, path: str) -> None:
        self._command("RMD", path)

    def delete(self, path: str) -> None:
        self._command("DELE", path)

    def rename(self, source: str, target: str) -> None:
        rename_to = command_line("RNTO", target)  # checked before RNFR goes out
        self._command("RNFR", source, expect=(3,))
        self._control().command(rename_to)

    def chmod(self, mode: str, path: str) -> None:
        if not re.fullmatch(r"[0-7]{3,4}", mode):
            raise UsageError(f"not an octal mode: {mode!r}")
        self._command("SITE", f"CHMOD {mode} {path}")

    def size(self, path: str) -> int | None:
        """SIZE in the current TYPE, or None when the server does not say."""
        self._set_type(TransferType.BINARY)
        try:
            return parse_213_size(self._command("SIZE", path))
        except PermanentReplyError:
            return None

    def mdtm(self, path: str) -> datetime | None:
        try:
            return parse_213_mdtm(self._command("MDTM", path))
        except PermanentReplyError:
            return None

    def _command(self, verb: str, argument: str | None = None, expect: tuple[int, ...] = (2,)) -> Reply:
        self.last_activity = time.monotonic()
        return self._control().command(command_line(verb, argument), expect=expect)

    # == listings =================================================================================
    def list_dir(self, path: str | None = None) -> list[Entry]:
        """The folder's entries: MLSD where offered (not on z/OS), else LIST with the parsers."""
        use_mlsd = "MLST" in self.features and self.server_type is not ServerType.MVS
        verb = "MLSD" if use_mlsd else "LIST"
        try:
            lines = self.list_lines(verb, path)
        except PermanentReplyError as error:
            if is_empty_listing_reply(error.code, error.text):
                return []
            raise
        if use_mlsd:
            return parse_mlsd(lines)
        return parse_listing(lines, style="mvs" if self.server_type is ServerType.MVS else "auto")

    def list_lines(self, verb: str = "LIST", path: str | None = None) -> list[str]:
        """The raw lines of LIST / NLST / MLSD (decoded as the site's charset, nothing dropped)."""
        if verb not in ("LIST", "NLST", "MLSD"):
            raise UsageError(f"not a listing command: {verb}")
        line = command_line(verb, path) if path else verb
        self._protect_data(listing=True)
        data = self._run_data_command(line, lambda sock: _read_listing(sock, self.cancel_token))
        text = data.decode(self.options.encoding, "surrogateescape")
        return [item[:-1] if item.endswith("\r") else item for item in text.split("\n") if item not in ("", "\r")]

    # == transfers ================================================================================
    def default_type(self) -> TransferType:
        """z/OS datasets are text by default (TYPE A converts EBCDIC); everything else binary."""
        return TransferType.ASCII if self.server_type is ServerType.MVS else TransferType.BINARY

    def download(
        self,
        remote: str,
        local: str | Path,
        *,
        transfer_type: TransferType | None = None,
        resume: bool = False,
        transfer_id: str = "",
    ) -> int:
        """RETR into ``local`` via ``local.part``; returns the bytes received. Short = error, never done."""
        target = Path(local)
        kind = transfer_type or self.default_type()
        expected = self.size(remote) if kind is TransferType.BINARY and "SIZE" in self.features else None
        part_existed = part_path(target).exists()
        handle, offset = open_download_target(target, resume)
        try:
            if expected is not None and offset > expected:
                handle.seek(0)
                handle.truncate()
                offset = 0
            if expected is not None and offset == expected and offset > 0:
                self._log(Direction.INFO, f"{target.name} is already complete")
            else:
                offset = self._download_into(remote, handle, kind, offset, expected, transfer_id)
        except BaseException:
            handle.close()
            discard_empty_part(target, part_existed)
            raise
        finish_download(handle, target)
        return offset

    def _download_into(
        self, remote: str, handle: object, kind: TransferType, offset: int, expected: int | None, transfer_id: str
    ) -> int:
        offset = self._negotiate_restart(offset, handle)
        meter = ProgressMeter(transfer_id or remote, expected, self.sink, self.name, done=offset)
        announced: list[int] = []

        def receive(sock: socket.socket) -> int:
            return receive_into_file(sock, handle, meter, self.cancel_token, self.options.buffer_size, kind is TransferType.ASCII)  # type: ignore[arg-type]

        self._set_type(kind)
        self._protect_data(listing=False)
        received = self._with_contention_retries(
            lambda: self._run_data_command(
                command_line("RETR", remote), receive, offset, announced, transfer_id
            ),
            transfer_id or remote,
        )
        meter.finish()
        total = offset + received
        self._check_length(remote, total, expected if expected is not None else _announced_total(announced, offset), kind)
        return total

    def _negotiate_restart(self, offset: int, handle: object) -> int:
        """Keep ``offset`` only if the server can restart; else start the file again."""
        if offset and "REST" not in self.features:
            self._log(Direction.INFO, "the server does not offer REST STREAM: downloading from the start")
            handle.seek(0)  # type: ignore[attr-defined]
            handle.truncate()  # type: ignore[attr-defined]
            return 0
        return offset

    def upload(
        self,
        local: str | Path,
        remote: str,
        *,
        transfer_type: TransferType | None = None,
        resume: bool = False,
        transfer_id: str = "",
    ) -> int:
        """STOR (or REST+STOR / APPE when resuming); the remote size is checked where SIZE exists."""
        source = Path(local)
        kind = transfer_type or self.default_type()
        handle, total = open_upload_source(source)
        with handle:
            offset = self._upload_offset(remote, total, kind) if resume else 0
            if offset == total and resume:
                self._log(Direction.INFO, f"{remote} is already complete on the server")
                return total
            handle.seek(offset)
            verb = "APPE" if offset and "REST" not in self.features else "STOR"
            rest = offset if verb == "STOR" else 0
            meter = ProgressMeter(transfer_id or str(source), total, self.sink, self.name, done=offset)

            def send(sock: socket.socket) -> int:
                return send_from_file(sock, handle, meter, self.cancel_token, self.options.buffer_size, kind is TransferType.ASCII)

            self._set_type(kind)
            self._protect_data(listing=False)
            sent = self._with_contention_retries(
                lambda: self._run_data_command(
                    command_line(verb, remote), send, rest, None, transfer_id, sending=True
                ),
                transfer_id or remote,
            )
            meter.finish()
        if kind is TransferType.BINARY and "SIZE" in self.features:
            self._check_length(remote, self.size(remote) or 0, total, kind)
        return offset + sent

    def _upload_offset(self, remote: str, total: int, kind: TransferType) -> int:
        if kind is not TransferType.BINARY:
            raise UsageError("resuming an ASCII upload is not reliable; upload again in full")
        remote_size = self.size(remote)
        if remote_size is None or remote_size > total:
            return 0
        return remote_size

    def _check_length(self, remote: str, actual: int, expected: int | None, kind: TransferType) -> None:
        if expected is None or kind is not TransferType.BINARY or actual == expected:
            return
        raise TransferIncomplete(f"{remote}: {actual} bytes transferred, the server announced {expected}")

    # == z/OS JES (SITE FILETYPE=JES) =============================================================
    def submit_job(self, jcl: str | Path) -> str:
        """Submit a local JCL file to JES (``SITE FILETYPE=JES`` + STOR); returns the job id."""
        with self._jes_mode():
            self.upload(jcl, "JCL", transfer_type=TransferType.ASCII)
        job_id = zos.job_id_from_reply(self.last_reply.text if self.last_reply else "")
        if job_id is None:
            raise ProtocolError("JES accepted the job but the reply names no job id")
        self._log(Direction.INFO, f"submitted as {job_id}")
        return job_id

    def list_jobs(self) -> list[Entry]:
        """The JES jobs the server's JESJOBNAME/JESOWNER/JESSTATUS filters select."""
        with self._jes_mode():
            return self.list_dir()

    def job_output(self, job_id: str, local: str | Path) -> int:
        """Download all spool files of a job (separated by `` !! END OF JES SPOOL FILE !!``)."""
        with self._jes_mode():
            return self.download(job_id, local, transfer_type=TransferType.ASCII)

    @contextmanager
    def _jes_mode(self) -> Iterator[None]:
        self.site("FILETYPE=JES")
        try:
            yield
        finally:
            if self.connected:
                self.site("FILETYPE=SEQ")

    # == the data-command machinery ================================================================
    def _run_data_command(
        self,
        line: str,
        handle_data: Callable[[socket.socket], T],
        rest: int = 0,
        announced: list[int] | None = None,
        transfer_id: str = "",
        sending: bool = False,
    ) -> T:
        """Open the data connection, send ``line``, move the data, read the final reply.

        Any failure after the command was sent is cleaned up with ABOR so the control connection
        stays usable; a cancel raises :class:`Cancelled`.
        """
        control = self._control()
        connector = self.connector
        assert connector is not None
        self.cancel_token.reset()
        self.last_activity = time.monotonic()
        pending = connector.prepare()
        listener = zos.ContentionTracker()
        control.line_listeners.append(lambda reply_line: self._on_contention_line(listener, reply_line, transfer_id))
        data_sock: socket.socket | None = None
        try:
            if rest:
                control.command(f"REST {rest}", expect=(3,))
            control.send_line(line)
            first = control.read_reply()
            if not first.is_preliminary:
                check_reply(first, line, (1,))
            if announced is not None:
                announced.extend(int(value) for value in _SIZE_IN_150.findall(first.text)[-1:])
            data_sock = connector.establish(pending, self._prot == "P")
            self._set_security(data_resumed=control.data_resumed)
            self.cancel_token.attach(data_sock)
            result = handle_data(data_sock)
            self.cancel_token.attach(None)
            close_data(data_sock, sending=sending)
            data_sock = None
            self.last_reply = check_reply(control.read_final(), line, (2,))
            return result
        except (Cancelled, ConnectionLost, FTPTimeout, TLSError, FTPError, OSError) as error:
            if data_sock is not None or pending.sock is not None or pending.listener is not None:
                self._abort_after_failure(data_sock, pending, line, error)
            if self.cancel_token.cancelled and not isinstance(error, Cancelled):
                raise Cancelled("transfer cancelled") from error
            raise
        finally:
            control.line_listeners.clear()
            self.cancel_token.attach(None)
            pending.close()
            self.last_activity = time.monotonic()

    def _abort_after_failure(self, data_sock: socket.socket | None, pending: object, line: str, error: BaseException) -> None:
        """Close the data side and bring the control connection back in step (ABOR and its replies).

        The data connection is reset (RST), so a server blocked sending notices at once. The first
        reply may take as long as any reply; if none comes the session is closed rather than left
        out of step (a late ``426`` would otherwise answer the next command).
        """
        if data_sock is not None:
            reset_connection(data_sock)
        control = self.control
        if control is None or control.closed:
            return
        if isinstance(error, ReplyError) and error.command == line:
            return  # the command itself was refused: nothing is running on the server
        try:
            control.send_line("ABOR")
            first = control.read_reply()
            # Usually the transfer's own answer (426/451/226) comes first, then ABOR's (225/226).
            # A server that had already finished answers ABOR alone: wait only briefly for more.
            control.read_reply(1.0 if first.code in (225, 226) else _CLEANUP_TIMEOUT, fatal_timeout=False)
        except FTPTimeout:
            pass
        except (ConnectionLost, ReplyError):
            pass

    def _with_contention_retries(self, run: Callable[[], T], transfer_id: str) -> T:
        """z/OS ``550 ... used exclusively by someone else``: retry per site (contention_retries × wait)."""
        retries = self.options.contention_retries
        for attempt in range(retries + 1):
            try:
                return run()
            except PermanentReplyError as error:
                dataset = zos.is_exclusive_use_failure(error.text)
                remaining = retries - attempt
                if dataset is None or remaining <= 0:
                    raise
                self._log(
                    Direction.WARNING,
                    f"{dataset} is held by another job: retrying in {self.options.contention_wait:g} s ({remaining} tries left)",
                )
                self.sink(
                    ContentionWait(dataset, "", remaining, self.options.contention_wait, True, transfer_id, self.name)
                )
                self._wait_cancellable(self.options.contention_wait)
        raise AssertionError("unreachable")

    def _wait_cancellable(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.cancel_token.check()
            time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))
        self.cancel_token.check()

    def _on_contention_line(self, tracker: "zos.ContentionTracker", line: ReplyLine, transfer_id: str) -> None:
        notice = tracker.feed(line.text)
        if notice is None:
            return
        self.sink(
            ContentionWait(
                notice.dataset if not notice.member else f"{notice.dataset}({notice.member})",
                notice.holder,
                notice.attempts_remaining,
                notice.interval_seconds,
                False,
                transfer_id,
                self.name,
            )
        )

    # == state helpers ============================================================================
    def _protect_data(self, *, listing: bool) -> None:
        """PROT for the next data connection: "SSL listings" and "SSL transfers" are chosen apart."""
        if self.control is None or self.control.tls is None:
            return
        wanted = "P" if (self.options.protect_listings if listing else self.options.protect_transfers) else "C"
        self._set_prot(wanted)
        self._set_security(**{"prot_listings" if listing else "prot_transfers": self._prot or "C"})

    def _set_prot(self, level: str) -> None:
        """PROT P/C when it changes. After CCC the level is fixed: a mismatch is logged, not sent."""
        if level == self._prot:
            return
        if self.security.ccc:
            self._log(Direction.WARNING, f"PROT {level} wanted, but after CCC the level stays {self._prot}")
            return
        control = self._control()
        control.send_line(f"PROT {level}")
        reply = control.read_final()
        if reply.code // 100 != 2:
            if level == "P" and self.options.security.tls_required:
                raise TLSError(f"the server refused PROT P ({reply.code}); not downgrading the data channel")
            raise reply_error_for(reply.code, reply.lines, f"PROT {level}")
        self._prot = level

    def _set_type(self, kind: TransferType) -> None:
        if kind is not self._type:
            self._control().command(f"TYPE {kind.value}")
            self._type = kind

    def _set_security(self, **changes: object) -> None:
        current = {field: getattr(self.security, field) for field in self.security.__dataclass_fields__}
        if "warnings" in changes:
            changes["warnings"] = tuple(self.security.warnings) + tuple(changes["warnings"])  # type: ignore[arg-type]
        current.update(changes)
        updated = SecurityInfo(**current)  # type: ignore[arg-type]
        if updated != self.security:
            self.security = updated
            self.sink(SecurityChanged(updated, self.name))

    def _control(self) -> ControlConnection:
        if self.control is None or self.control.closed:
            raise ConnectionLost("not connected")
        return self.control

    def _state(self, state: SessionState, detail: str = "") -> None:
        self.sink(StateChanged(state, detail, self.name))

    def _log(self, direction: Direction, text: str) -> None:
        if self.control is not None:
            self.control.log(direction, text)
        else:
            self.sink(LogLine(direction, text, self.name))


def _read_listing(sock: socket.socket, cancel: CancelToken) -> bytes:
    """A whole listing, capped so a hostile server cannot exhaust memory."""
    chunks = bytearray()
    buffer = bytearray(1 << 16)
    while True:
        with data_errors(cancel):
            count = sock.recv_into(buffer)
        if count == 0:
            cancel.check()
            return bytes(chunks)
        chunks += buffer[:count]
        if len(chunks) > MAX_LISTING_BYTES:
            raise ProtocolError(f"listing larger than {MAX_LISTING_BYTES >> 20} MiB")


def _announced_total(announced: list[int], offset: int) -> int | None:
    """``150 ... (N bytes)``: N counts what is sent now, so the whole file is offset + N."""
    return offset + announced[0] if announced else None
