"""The connection doctor: what a server supports, found out with short fresh connections.

:func:`probe` tries each capability on a connection (or a logged-in session) of its own, so one
refusal cannot spoil the next test: the greeting, SYST and FEAT in clear; AUTH TLS and AUTH SSL
each on their own connection; implicit TLS on its port (handshake first, then the z/OS model with
the greeting in clear); then, logged in over TLS, PROT P, a listing over each data connection
mode, MLSD, a data connection WITHOUT TLS session reuse (does the server insist on it?), and CCC on
a session of its own. Every step is bounded by one timeout; a refusal, a hang or a broken
handshake is a finding with its evidence (the server's reply line), never an exception.

USER/PASS travel only over TLS, unless the caller's own options are plain FTP. A certificate that
does not verify is reported with the reason, and the probe goes on by pinning the fingerprint it
saw (the report says so; the suggested profile never pins it on the user's behalf).
"""

from __future__ import annotations

import enum
import re
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any, Generic, TypeVar

from ..display import safe_text
from . import zos
from .control import ControlConnection, check_reply
from .data import DataConnector
from .errors import (
    CertificateError,
    ConnectionLost,
    FTPError,
    FTPTimeout,
    LoginError,
    ReplyError,
    TLSError,
    UsageError,
)
from .events import Direction, Event, EventSink, LogLine, discard
from .options import CCCMode, ConnectOptions, DataMode, Security, ServerType, TLSOptions
from .replies import Reply, parse_227, parse_229, parse_feat
from .session import FTPSession
from .tls import (
    CertificateInfo,
    build_context,
    certificate_error_from,
    certificate_of,
    check_pin,
    probe_context,
    trust_level,
)

V = TypeVar("V")

_ANY_REPLY = (1, 2, 3, 4, 5)
_QUIT_TIMEOUT = 2.0
_FINAL_LINE = re.compile(r"[2-5]\d\d ")
_ERROR_LINE = re.compile(r"[45]\d\d[ -]")
_DATA_MODES = (
    (DataMode.EPSV, "epsv"),
    (DataMode.PASV, "pasv"),
    (DataMode.EPRT, "eprt"),
    (DataMode.PORT, "port_command"),
)
_TLS_ROUTES = (
    (Security.EXPLICIT_TLS, "auth_tls"),
    (Security.EXPLICIT_SSL, "auth_ssl"),
    (Security.IMPLICIT, "implicit"),
    (Security.IMPLICIT_CLEAR_GREETING, "implicit_clear_greeting"),
)
_NO_CLOSE_NOTIFY = "close_notify"  # the session's CCC warning names it when the server sent none


@dataclass(frozen=True)
class Finding(Generic[V]):
    """One fact about the server: its value (None = not found out) and the evidence for it."""

    value: V | None = None
    evidence: str = "not tried"

    def as_dict(self) -> dict[str, Any]:
        return {"value": _jsonable(self.value), "evidence": self.evidence}


_NOT_TRIED: Finding[Any] = Finding()


def _finding(label: str) -> Any:
    """A report field holding a :class:`Finding` (not tried until the probe says otherwise)."""
    return field(default=_NOT_TRIED, metadata={"label": label})


@dataclass(frozen=True)
class ProbeReport:
    """What the probe found, the profile it suggests and why, in plain language."""

    host: str
    port: int | None  # the explicit/clear port probed (None when the options were implicit)
    implicit_port: int | None  # the implicit TLS port probed (None when not probed)
    suggested: ConnectOptions  # without the password
    certificate: CertificateInfo | None = None
    explanations: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    seconds: float = 0.0
    greeting: Finding[str] = _finding("Greeting")
    system: Finding[str] = _finding("System (SYST)")
    zos: Finding[bool] = _finding("z/OS")
    features: Finding[tuple[str, ...]] = _finding("Features (FEAT)")
    mlst_feature: Finding[bool] = _finding("MLST in FEAT")
    utf8: Finding[bool] = _finding("UTF8")
    rest_stream: Finding[bool] = _finding("REST STREAM")
    size: Finding[bool] = _finding("SIZE")
    epsv_feature: Finding[bool] = _finding("EPSV in FEAT")
    auth_feature: Finding[str] = _finding("AUTH in FEAT")
    auth_tls: Finding[bool] = _finding("AUTH TLS")
    auth_ssl: Finding[bool] = _finding("AUTH SSL")
    implicit: Finding[bool] = _finding("Implicit TLS (handshake first)")
    implicit_clear_greeting: Finding[bool] = _finding("Implicit TLS, clear greeting (z/OS)")
    tls_version: Finding[str] = _finding("TLS version")
    certificate_trusted: Finding[bool] = _finding("Certificate trusted")
    login: Finding[bool] = _finding("Login")
    prot_p: Finding[bool] = _finding("PROT P")
    epsv: Finding[bool] = _finding("EPSV listing")
    pasv: Finding[bool] = _finding("PASV listing")
    eprt: Finding[bool] = _finding("EPRT listing (active)")
    port_command: Finding[bool] = _finding("PORT listing (active)")
    pasv_address: Finding[str] = _finding("Address in the PASV reply")
    pasv_nat: Finding[bool] = _finding("PASV address is another (NAT)")
    passive_ports: Finding[tuple[int, ...]] = _finding("Passive ports seen")
    mlsd: Finding[bool] = _finding("MLSD listing")
    data_session_resumed: Finding[bool] = _finding("Data TLS session resumed")
    reuse_required: Finding[bool] = _finding("TLS session reuse required")
    tls12_needed: Finding[bool] = _finding("TLS 1.2 needed for data")
    ccc: Finding[bool] = _finding("CCC (clear control channel)")
    ccc_close_notify: Finding[bool] = _finding("CCC with close_notify")

    def findings(self) -> dict[str, Finding[Any]]:
        """Every finding by field name, in report order."""
        return {item.name: getattr(self, item.name) for item in fields(self) if "label" in item.metadata}

    def as_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data (``--json``); the password is never in it."""
        return {
            "host": self.host,
            "port": self.port,
            "implicit_port": self.implicit_port,
            "seconds": round(self.seconds, 3),
            "findings": {name: finding.as_dict() for name, finding in self.findings().items()},
            "certificate": _certificate_dict(self.certificate),
            "suggested": options_dict(self.suggested),
            "explanations": list(self.explanations),
            "notes": list(self.notes),
        }

    def lines(self) -> list[str]:
        """The report as text lines, server text made safe for a terminal."""
        where = f"port {self.port}" if self.port is not None else "no clear port"
        implicit = f", implicit TLS on port {self.implicit_port}" if self.implicit_port is not None else ""
        out = [f"Connection doctor: {self.host} {where}{implicit} ({self.seconds:.1f} s)"]
        labels = {item.name: item.metadata["label"] for item in fields(self) if "label" in item.metadata}
        for name, finding in self.findings().items():
            out.append(f"  {labels[name]:<36} {_finding_text(finding)}")
        out += _certificate_lines(self.certificate)
        out.append("Suggested profile: " + _suggestion_text(self.suggested))
        out += [f"  - {safe_text(text)}" for text in self.explanations]
        out += [f"Note: {safe_text(text)}" for text in self.notes]
        return out


def probe(
    options: ConnectOptions, sink: EventSink = discard, *, implicit_port: int = 990, timeout: float = 10
) -> ProbeReport:
    """Find out what the server of ``options`` supports and suggest a profile (see the module doc).

    With implicit ``options`` only their port is probed (implicit); otherwise the clear/explicit
    port of ``options`` and ``implicit_port``. ``sink`` gets the live protocol log. Options that
    cannot work at all (unreadable CA file, malformed pin or TLS version, timeout not positive) raise
    :class:`UsageError` / :class:`TLSError` before anything is sent.
    """
    if not timeout > 0:
        raise UsageError(f"the probe timeout must be positive, not {timeout!r}")
    build_context(options.tls)
    return _Probe(options, sink, implicit_port, timeout).run()


# == the probe =======================================================================================


class _Transcript:
    """Passes every event on to the caller's sink and keeps the protocol log: the probe's evidence."""

    def __init__(self, sink: EventSink) -> None:
        self.sink = sink
        self.lines: list[LogLine] = []

    def __call__(self, event: Event) -> None:
        if isinstance(event, LogLine):
            self.lines.append(event)
        self.sink(event)

    def mark(self) -> int:
        return len(self.lines)

    def reply_to(self, verb: str, since: int) -> str | None:
        """The final reply line to the last ``verb`` sent after ``since`` (None if it got none)."""
        recent = self.lines[since:]
        sent = [index for index, line in enumerate(recent) if _is_command(line, verb)]
        if not sent:
            return None
        return next((line.text for line in recent[sent[-1] + 1 :] if _is_final(line)), None)

    def first_error(self, since: int) -> str | None:
        """The first 4xx/5xx line the server sent after ``since``."""
        return next((line.text for line in self.lines[since:] if _is_error(line)), None)

    def warned(self, since: int, word: str) -> bool:
        return any(line.direction is Direction.WARNING and word in line.text for line in self.lines[since:])


class _Probe:
    """One run of the probe: the steps in order, the findings as they come."""

    def __init__(self, options: ConnectOptions, sink: EventSink, implicit_port: int, timeout: float) -> None:
        self.given = options
        self.timeout = timeout
        self.options = options.with_changes(
            connect_timeout=timeout, reply_timeout=timeout, connect_retries=0, ccc=CCCMode.OFF,
            data_mode=DataMode.AUTO, site_commands=(), noop_seconds=None,
        )  # fmt: skip
        self.transcript = _Transcript(sink)
        self.found: dict[str, Finding[Any]] = {}
        self.notes: list[str] = []
        self.tls: TLSOptions = options.tls
        self.certificate: CertificateInfo | None = None
        self.clear_port: int | None = None if options.security.implicit else options.effective_port
        self.implicit_port: int | None = options.effective_port if options.security.implicit else implicit_port
        if self.implicit_port == self.clear_port:
            self.implicit_port = None
        self.unreachable: dict[int, str] = {}
        self.route: tuple[Security, int] | None = None
        self.protect = True
        self.live: FTPSession | None = None
        self.resumed: dict[DataMode, bool | None] = {}

    def run(self) -> ProbeReport:
        started = time.monotonic()
        if self.clear_port is not None:
            self._clear_step(self.clear_port)
            self.found["auth_tls"] = self._tls_step(self.clear_port, Security.EXPLICIT_TLS)
            self.found["auth_ssl"] = self._tls_step(self.clear_port, Security.EXPLICIT_SSL)
        if self.implicit_port is not None:
            self._implicit_steps(self.implicit_port)
        self.route = self._login_route()
        if self.route is not None:
            self._session_steps()
            self.found["ccc"] = self._ccc_step()
        return self._report(time.monotonic() - started)

    # -- connections without login ----------------------------------------------------------------
    def _open(self, port: int) -> ControlConnection:
        host = self.options.host
        source = (self.options.source_ip, 0) if self.options.source_ip else None
        try:
            sock = socket.create_connection((host, port), timeout=self.timeout, source_address=source)
        except TimeoutError as error:
            self.unreachable[port] = f"connecting to {host} port {port} timed out"
            raise FTPTimeout(self.unreachable[port]) from error
        except OSError as error:
            self.unreachable[port] = f"cannot connect to {host} port {port}: {error.strerror or error}"
            raise ConnectionLost(self.unreachable[port]) from error
        return ControlConnection(
            sock, sink=self.transcript, session_name="probe", encoding=self.options.encoding, reply_timeout=self.timeout
        )

    def _quit(self, control: ControlConnection) -> None:
        try:
            control.command("QUIT", expect=_ANY_REPLY, timeout=min(self.timeout, _QUIT_TIMEOUT))
        except (FTPError, OSError):
            pass
        finally:
            control.close()

    def _clear_step(self, port: int) -> None:
        """The greeting, SYST and FEAT in clear (no login: they are refined after login)."""
        try:
            control = self._open(port)
        except FTPError as error:
            self.found["greeting"] = Finding(None, str(error))
            return
        try:
            greeting = check_reply(control.read_final(), "(greeting)", (2,))
            self.found["greeting"] = Finding(greeting.message, greeting.lines[0])
            self._record_system(control.command("SYST", expect=_ANY_REPLY).lines[0])
            feat = control.command("FEAT", expect=_ANY_REPLY)
            self._record_features(parse_feat(feat), feat.lines[-1])
        except (FTPError, OSError) as error:
            self.found.setdefault("greeting", Finding(None, _describe(error)))
        finally:
            self._quit(control)

    def _tls_step(self, port: int, security: Security) -> Finding[bool]:
        """Can a connection be secured this way? Evidence: the AUTH reply or the greeting."""
        if port in self.unreachable:
            return Finding(False, self.unreachable[port])  # one wait for a dead port is enough
        mark = self.transcript.mark()
        try:
            control, greeting = self._secured(port, security)
        except (FTPError, OSError) as error:
            return Finding(False, self._failure_evidence(error, mark))
        try:
            self._record_tls(control)
            self.found.setdefault("greeting", Finding(greeting.message, greeting.lines[0]))
            evidence = self.transcript.reply_to("AUTH", mark) if security in _EXPLICIT else greeting.lines[0]
            return Finding(True, f"{evidence} ({_tls_summary(control)})")
        finally:
            self._quit(control)

    def _implicit_steps(self, port: int) -> None:
        self.found["implicit"] = self._tls_step(port, Security.IMPLICIT)
        if self.found["implicit"].value:
            self.found["implicit_clear_greeting"] = Finding(False, "not needed: the port starts with the TLS handshake")
        else:
            self.found["implicit_clear_greeting"] = self._tls_step(port, Security.IMPLICIT_CLEAR_GREETING)

    def _secured(self, port: int, security: Security) -> tuple[ControlConnection, Reply]:
        """A control connection secured as ``security`` says; an untrusted certificate is pinned."""
        try:
            return self._open_secured(port, security, self.tls)
        except CertificateError as error:
            self._distrust(error)
        control, greeting = self._open_secured(port, security, None)
        self._pin(control)
        return control, greeting

    def _open_secured(self, port: int, security: Security, tls: TLSOptions | None) -> tuple[ControlConnection, Reply]:
        control = self._open(port)
        try:
            if security is Security.IMPLICIT:
                self._handshake(control, tls)
            greeting = check_reply(control.read_final(), "(greeting)", (2,))
            if security is Security.IMPLICIT_CLEAR_GREETING:
                self._handshake(control, tls)
            elif security in _EXPLICIT:
                control.command(f"AUTH {'SSL' if security is Security.EXPLICIT_SSL else 'TLS'}", expect=(2, 3))
                self._handshake(control, tls)
            return control, greeting
        except BaseException:
            control.close()
            raise

    def _handshake(self, control: ControlConnection, tls: TLSOptions | None) -> None:
        """TLS with ``tls`` (verified or pinned), or with ``None``: accept anything, to see the certificate."""
        context = build_context(tls) if tls is not None else probe_context()
        try:
            control.start_tls(context, self.options.host, self.timeout)
        except ssl.SSLCertVerificationError as error:
            raise certificate_error_from(error) from error
        except (OSError, ssl.SSLError) as error:
            raise TLSError(f"TLS handshake failed: {error}") from error
        if tls is not None:
            check_pin(certificate_of(_tls_socket(control)), tls)

    def _distrust(self, error: CertificateError) -> None:
        if "certificate_trusted" not in self.found:
            detail = f": {error.detail}" if error.detail and error.detail != error.reason else ""
            self.found["certificate_trusted"] = Finding(False, f"{error.reason}{detail}")

    def _pin(self, control: ControlConnection) -> None:
        certificate = certificate_of(_tls_socket(control))
        if certificate is None:
            raise CertificateError("the server presented no certificate")
        if self.tls.pinned_sha256 != certificate.sha256:
            self.tls = replace(self.tls, pinned_sha256=certificate.sha256)
            self.notes.append(
                f"The certificate did not verify; the probe went on with its fingerprint pinned "
                f"(SHA-256 {certificate.fingerprint}). Check it with the server's administrator before trusting it."
            )

    def _record_tls(self, control: ControlConnection) -> None:
        sock = _tls_socket(control)
        if self.certificate is None:
            self.certificate = certificate_of(sock)
        self.found.setdefault("certificate_trusted", Finding(True, _trust_text(self.tls)))
        self.found.setdefault("tls_version", Finding(sock.version(), _tls_summary(control)))

    # -- what the server says about itself ----------------------------------------------------------
    def _record_system(self, line: str | None) -> None:
        if line is None or not line.startswith("215"):
            self.found.setdefault("system", Finding(None, line or "no SYST reply"))
            return
        self.found["system"] = Finding(line[4:], line)
        self.found["zos"] = Finding(zos.is_mvs_syst(line), line)

    def _record_features(self, features: dict[str, str], evidence: str) -> None:
        if not features and "features" in self.found:
            return  # a refused FEAT after login does not hide what FEAT said before
        self.found["features"] = Finding(tuple(features), evidence)
        self.found["mlst_feature"] = _feature(features, "MLST")
        self.found["utf8"] = _feature(features, "UTF8")
        self.found["size"] = _feature(features, "SIZE")
        self.found["epsv_feature"] = _feature(features, "EPSV")
        rest = "STREAM" in features.get("REST", "").upper()
        self.found["rest_stream"] = Finding(rest, _feature_line(features, "REST"))
        self.found["auth_feature"] = Finding(features.get("AUTH", ""), _feature_line(features, "AUTH"))

    # -- the logged-in steps ------------------------------------------------------------------------
    def _login_route(self) -> tuple[Security, int] | None:
        """The given security if it worked, else the first that did; clear only for plain options."""
        ports = {Security.EXPLICIT_TLS: self.clear_port, Security.EXPLICIT_SSL: self.clear_port}
        ports.update({Security.IMPLICIT: self.implicit_port, Security.IMPLICIT_CLEAR_GREETING: self.implicit_port})
        working = [security for security, name in _TLS_ROUTES if self._yes(name)]
        for security in sorted(working, key=lambda item: item is not self.given.security):
            port = ports[security]
            if port is not None:
                return security, port
        if self.given.security is Security.PLAIN and self.clear_port is not None:
            return Security.PLAIN, self.clear_port
        self.found["login"] = Finding(
            None,
            "not tried: no TLS method worked, and the password is never sent in clear unless the profile is plain FTP",
        )
        return None

    def _session_options(self) -> ConnectOptions:
        assert self.route is not None
        security, port = self.route
        return self.options.with_changes(
            security=security, port=port, tls=self.tls, protect_listings=self.protect, protect_transfers=self.protect
        )

    def _session(self) -> FTPSession:
        """The logged-in session; a fresh one when the last step cost the connection."""
        if self.live is not None and self.live.connected:
            return self.live
        self._close_live()
        self.live = FTPSession(self._session_options(), self.transcript, "probe")
        self.live.connect()
        if self.live.security.tls_version:
            self.found["tls_version"] = Finding(self.live.security.tls_version, self.live.security.cipher or "")
        return self.live

    def _close_live(self) -> None:
        if self.live is not None:
            self.live.close()
            self.live = None

    def _session_steps(self) -> None:
        mark = self.transcript.mark()
        try:
            session = self._session()
        except LoginError as error:
            self.found["login"] = Finding(False, error.lines[-1] if error.lines else str(error))
            return
        except (FTPError, OSError) as error:
            self.found["login"] = Finding(False, self._failure_evidence(error, mark))
            return
        try:
            self._record_login(session, mark)
            self.found["prot_p"] = self._prot_p_step(session)
            self._data_steps()
            self._tls12_step()
            self.found["mlsd"] = self._listing_with_best_mode("MLSD")
            self._reuse_steps()  # last: vsftpd closes the control connection after refusing it
        finally:
            self._close_live()

    def _record_login(self, session: FTPSession, mark: int) -> None:
        reply = self.transcript.reply_to("PASS", mark) or self.transcript.reply_to("USER", mark) or ""
        self.found["login"] = Finding(True, reply)
        self._record_system(self.transcript.reply_to("SYST", mark))
        self._record_features(session.features, self.transcript.reply_to("FEAT", mark) or "no FEAT reply")
        opts = self.transcript.reply_to("OPTS", mark)
        if "UTF8" in session.features and opts:
            # RFC 2640 UTF8 is the FEAT line; OPTS UTF8 ON comes from a later draft (pure-ftpd: 504).
            self.found["utf8"] = Finding(True, f"FEAT: UTF8; OPTS UTF8 ON: {opts}")

    def _prot_p_step(self, session: FTPSession) -> Finding[bool]:
        if not session.security.encrypted:
            return Finding(None, "no TLS: data connections are clear")
        mark = self.transcript.mark()
        try:
            reply = session.quote("PROT P")
        except FTPError as error:
            return Finding(None, self._failure_evidence(error, mark))
        if reply.code // 100 == 2:
            return Finding(True, reply.lines[-1])
        self.protect = False  # the listings that follow run in clear, so the rest can still be probed
        self._close_live()
        return Finding(False, reply.lines[-1])

    def _data_steps(self) -> None:
        for mode, name in _DATA_MODES:
            self.found[name] = self._listing(mode, "LIST", evidence_verb=mode.name)
        self._record_passive_addresses()

    def _listing(
        self, mode: DataMode, verb: str, *, resume: bool = True, evidence_verb: str | None = None
    ) -> Finding[bool]:
        """A listing over ``mode``; ``resume=False`` opens the data TLS session afresh."""
        mark = self.transcript.mark()
        try:
            session = self._session()
            assert session.control is not None
            data_options = session.options.with_changes(data_mode=mode)
            session.connector = DataConnector(session.control, data_options, resume_tls_session=resume)
            session.list_lines(verb)
        except (FTPError, OSError) as error:
            return Finding(False, self._failure_evidence(error, mark))
        if resume and session.control is not None:
            self.resumed.setdefault(mode, session.control.data_resumed)
        return Finding(True, self.transcript.reply_to(evidence_verb or verb, mark) or f"{verb} done")

    def _record_passive_addresses(self) -> None:
        """The ports EPSV/PASV offered, and whether the 227 reply names another address than the server's."""
        ports: list[int] = []
        epsv, pasv = self.found["epsv"], self.found["pasv"]
        if epsv.value:
            ports += _passive_port(epsv.evidence, parse_229)
        if pasv.value:
            ports += _passive_port(pasv.evidence, lambda text: parse_227(text)[1])
            self._record_pasv_address(pasv.evidence)
        if ports:
            self.found["passive_ports"] = Finding(tuple(ports), "from the EPSV/PASV replies")

    def _record_pasv_address(self, reply_line: str) -> None:
        try:
            announced = parse_227(reply_line)[0]
        except FTPError:
            return
        peer = self.live.control.peer_address if self.live is not None and self.live.control is not None else None
        self.found["pasv_address"] = Finding(announced, reply_line)
        if peer is not None:
            differs = announced != peer
            relation = f"differs from the server's address {peer}" if differs else "is the server's own address"
            self.found["pasv_nat"] = Finding(differs, f"{announced} {relation}")

    def _best_mode(self) -> DataMode | None:
        return next((mode for mode, name in _DATA_MODES if self._yes(name)), None)

    def _listing_with_best_mode(self, verb: str) -> Finding[bool]:
        mode = self._best_mode()
        if mode is None:
            return Finding(None, "not tried: no data connection mode worked")
        return self._listing(mode, verb)

    def _tls12_step(self) -> None:
        """Some servers fail data TLS on 1.3 even with reuse (curl#4654): try every mode on TLS 1.2."""
        version = self.found.get("tls_version", _NOT_TRIED).value
        if self._best_mode() is not None or not self.protect or version != "TLSv1.3" or self.tls.max_version:
            return
        self.tls = replace(self.tls, max_version="1.2")
        self._close_live()
        self._data_steps()
        mode = self._best_mode()
        evidence = self.found[dict(_DATA_MODES)[mode]].evidence if mode else "data connections fail on TLS 1.2 too"
        self.found["tls12_needed"] = Finding(mode is not None, evidence)
        if mode is None:
            self.tls = replace(self.tls, max_version=None)

    def _reuse_steps(self) -> None:
        mode = self._best_mode()
        if not self._yes("prot_p") or mode is None:
            reason = "not tried: no protected data connection worked" if self._yes("prot_p") else "not tried: no PROT P"
            self.found["reuse_required"] = Finding(None, reason)
            return
        resumed = self.resumed.get(mode)
        state = "resumed" if resumed else "did not resume"
        self.found["data_session_resumed"] = Finding(
            resumed, f"the {mode.name} data connection {state} the control TLS session"
        )
        fresh = self._listing(mode, "LIST", resume=False)
        if fresh.value:
            self.found["reuse_required"] = Finding(
                False, f"a data connection with a new TLS session worked: {fresh.evidence}"
            )
        elif resumed:
            self.found["reuse_required"] = Finding(True, fresh.evidence)
        else:
            self.found["reuse_required"] = Finding(None, f"inconclusive: {fresh.evidence}")

    def _ccc_step(self) -> Finding[bool]:
        """CCC on a session of its own (with close_notify), then a listing in the clear control channel."""
        assert self.route is not None
        if not self.route[0].uses_tls:
            return Finding(None, "no TLS: CCC does not apply")
        if not self._yes("login"):
            return Finding(None, "not tried: no login")
        options = self._session_options().with_changes(ccc=CCCMode.NOTIFY, data_mode=self._best_mode() or DataMode.AUTO)
        session = FTPSession(options, self.transcript, "probe-ccc")
        mark = self.transcript.mark()
        try:
            return self._ccc_session_step(session, mark)
        finally:
            session.close()

    def _ccc_session_step(self, session: FTPSession, mark: int) -> Finding[bool]:
        try:
            session.connect()
        except ReplyError as error:
            if error.command == "CCC":
                return Finding(False, error.lines[-1] if error.lines else str(error))
            return Finding(None, f"not tried: {self._failure_evidence(error, mark)}")
        except (FTPError, OSError) as error:
            return Finding(False if _sent(self.transcript, "CCC", mark) else None, self._failure_evidence(error, mark))
        accepted = self.transcript.reply_to("CCC", mark) or "CCC accepted"
        notify = not self.transcript.warned(mark, _NO_CLOSE_NOTIFY)
        self.found["ccc_close_notify"] = Finding(
            notify,
            "close_notify exchanged" if notify else "the server dropped TLS without close_notify (z/OS CCCNONOTIFY)",
        )
        try:
            session.list_lines("LIST")
        except (FTPError, OSError) as error:
            return Finding(False, f"{accepted}, but a listing after it failed: {self._failure_evidence(error, mark)}")
        return Finding(True, f"{accepted}; a listing after it worked")

    # -- the report -----------------------------------------------------------------------------
    def _report(self, seconds: float) -> ProbeReport:
        return ProbeReport(
            host=self.given.host,
            port=self.clear_port,
            implicit_port=self.implicit_port,
            suggested=self._suggestion(),
            certificate=self.certificate,
            explanations=tuple(_explanations(self.found, self.route, self.certificate)),
            notes=tuple(self.notes),
            seconds=seconds,
            **self.found,
        )

    def _suggestion(self) -> ConnectOptions:
        changes: dict[str, Any] = {"password": "", "account": "", "ccc": CCCMode.OFF}
        if self.route is not None:
            changes.update(security=self.route[0], port=self.route[1])
        changes["data_mode"] = self._best_mode() or DataMode.AUTO
        if self.found.get("prot_p", _NOT_TRIED).value is False:
            changes.update(protect_listings=False, protect_transfers=False)
        if self._yes("zos"):
            changes["server_type"] = ServerType.MVS
        if self._yes("tls12_needed"):
            changes["tls"] = replace(self.given.tls, max_version="1.2")
        return self.given.with_changes(**changes)

    # -- helpers ----------------------------------------------------------------------------------
    def _yes(self, name: str) -> bool:
        return _yes(self.found, name)

    def _failure_evidence(self, error: BaseException, mark: int) -> str:
        """The server's own words when it said something (a 4xx/5xx line), else the error."""
        if isinstance(error, ReplyError) and error.lines:
            return error.lines[-1]
        said = self.transcript.first_error(mark)
        described = _describe(error)
        return f"{said} ({described})" if said else described


_EXPLICIT = (Security.EXPLICIT_TLS, Security.EXPLICIT_SSL)


# == explanations ================================================================================


def _explanations(
    found: dict[str, Finding[Any]], route: tuple[Security, int] | None, certificate: CertificateInfo | None
) -> list[str]:
    """Why the suggested profile looks the way it does, in the words firewall and z/OS people use."""
    texts = [_security_text(found, route)]
    texts += _certificate_texts(found, certificate)
    texts += _nat_texts(found)
    texts += _static_filter_texts(found)
    texts += _dynamic_filter_texts(found)
    texts += _reuse_texts(found)
    texts += _misc_texts(found)
    return [text for text in texts if text]


def _yes(found: dict[str, Finding[Any]], name: str) -> bool:
    return found.get(name, _NOT_TRIED).value is True


def _no(found: dict[str, Finding[Any]], name: str) -> bool:
    return found.get(name, _NOT_TRIED).value is False


def _evidence(found: dict[str, Finding[Any]], name: str) -> str:
    return found.get(name, _NOT_TRIED).evidence


def _security_text(found: dict[str, Finding[Any]], route: tuple[Security, int] | None) -> str:
    if route is None:
        return (
            "No TLS method worked and the profile is not plain FTP, so the probe did not log in (no password in clear)."
        )
    security, port = route
    texts = {
        Security.EXPLICIT_TLS: f"Explicit FTPS (AUTH TLS) on port {port}: the server accepted it.",
        Security.EXPLICIT_SSL: f"Explicit FTPS with the old AUTH SSL on port {port}: AUTH TLS was refused.",
        Security.IMPLICIT: f'Implicit FTPS ("SSL Direct", TLS first) on port {port}.',
        Security.IMPLICIT_CLEAR_GREETING: (
            f"Implicit FTPS on port {port} in the z/OS model: the 220 greeting comes in clear, then TLS."
        ),
        Security.PLAIN: "Plain FTP: the server offers no TLS, so passwords and files travel in clear.",
    }
    return texts[security]


def _certificate_texts(found: dict[str, Finding[Any]], certificate: CertificateInfo | None) -> list[str]:
    if not _no(found, "certificate_trusted") or certificate is None:
        return []
    return [
        f"The certificate is not trusted ({_evidence(found, 'certificate_trusted')}). Trust it only after checking "
        f"its SHA-256 fingerprint {certificate.fingerprint} with the server's administrator (or give the CA file)."
    ]


def _nat_texts(found: dict[str, Finding[Any]]) -> list[str]:
    texts = []
    if _yes(found, "epsv"):
        texts.append(
            "Behind NAT: EPSV is suggested. Its reply carries only a port, no address, so no NAT on the way "
            "can hand the client a wrong (private) address."
        )
    elif _yes(found, "pasv"):
        texts.append(
            "EPSV does not work here; PASV does. tui-ftp connects to the server's own address and ignores the "
            "one inside the 227 reply, which avoids the usual NAT trouble."
        )
    if _yes(found, "pasv_nat"):
        texts.append(
            f"The PASV reply names another address ({_evidence(found, 'pasv_nat')}): the server is behind NAT "
            "and announces its inside address. Leave 'trust PASV address' off."
        )
    if not _yes(found, "epsv") and not _yes(found, "pasv") and (_yes(found, "eprt") or _yes(found, "port_command")):
        texts.append(
            "Only active mode works: the server connects back to this machine, so your firewall must let it in."
        )
    return texts


def _static_filter_texts(found: dict[str, Finding[Any]]) -> list[str]:
    ports = found.get("passive_ports", _NOT_TRIED).value
    seen = f" (seen here: {', '.join(map(str, ports))})" if ports else ""
    return [
        "Static packet filters (fixed firewall rules): the server must use a fixed passive port range"
        f"{seen}, opened in the firewall (vsftpd pasv_min_port/pasv_max_port, proftpd PassivePorts, "
        "pure-ftpd -p). For active mode (EPRT/PORT) set an active port range in this profile and open it "
        "to connections from the server."
    ]


def _dynamic_filter_texts(found: dict[str, Finding[Any]]) -> list[str]:
    if _yes(found, "ccc"):
        notify = "" if not _no(found, "ccc_close_notify") else " Choose CCC without close_notify (z/OS CCCNONOTIFY)."
        return [
            "Dynamic filtering firewalls that inspect FTP cannot read PORT/PASV inside TLS. This server accepts "
            "CCC: the login stays encrypted, then the control channel returns to clear so the firewall can read "
            "the PORT/PASV commands and open the data port; files stay encrypted (PROT P). Turn CCC on only for "
            f"such a firewall: the commands after login travel in clear.{notify}"
        ]
    if _no(found, "ccc"):
        return [
            f"This server does not accept CCC ({_evidence(found, 'ccc')}): behind a firewall that inspects FTP, "
            "use a fixed passive port range instead."
        ]
    return []


def _reuse_texts(found: dict[str, Finding[Any]]) -> list[str]:
    texts = []
    if _yes(found, "reuse_required"):
        texts.append(
            "The server requires data connections to resume the control connection's TLS session (without it: "
            f"{_evidence(found, 'reuse_required')}). Keep session reuse on (tui-ftp always resumes); if data "
            "connections still fail on TLS 1.3, set the maximum TLS version to 1.2."
        )
    if _yes(found, "tls12_needed"):
        texts.append("Data connections failed on TLS 1.3 and worked on TLS 1.2: maximum TLS 1.2 is suggested.")
    return texts


def _misc_texts(found: dict[str, Finding[Any]]) -> list[str]:
    texts = []
    if _no(found, "prot_p"):
        texts.append(
            f"The server refused PROT P ({_evidence(found, 'prot_p')}): listings and files would travel in clear."
        )
    if _yes(found, "zos"):
        texts.append("z/OS (MVS) detected from SYST: server type MVS (dataset listings, text transfers by default).")
    if _no(found, "login"):
        texts.append(f"The login failed ({_evidence(found, 'login')}): check the user name and password.")
    return texts


# == small helpers ===============================================================================


def _tls_socket(control: ControlConnection) -> ssl.SSLSocket:
    sock = control.tls_socket
    if sock is None:
        raise TLSError("the control connection is not encrypted")
    return sock


def _tls_summary(control: ControlConnection) -> str:
    sock = control.tls_socket
    if sock is None:
        return "clear"
    cipher = sock.cipher()
    return f"{sock.version()}, {cipher[0] if cipher else '?'}"


def _trust_text(tls: TLSOptions) -> str:
    return {
        "verified": "verified: CA chain and host name",
        "chain-only": "verified: CA chain (host name not checked)",
        "pinned": "pinned fingerprint matches",
    }[trust_level(tls)]


def _feature(features: dict[str, str], name: str) -> Finding[bool]:
    return Finding(name in features, _feature_line(features, name))


def _feature_line(features: dict[str, str], name: str) -> str:
    if name not in features:
        return f"FEAT does not list {name}"
    return f"FEAT: {name} {features[name]}".rstrip()


def _is_command(line: LogLine, verb: str) -> bool:
    return line.direction is Direction.SENT and line.text.split(" ", 1)[0].upper() == verb


def _is_final(line: LogLine) -> bool:
    return line.direction is Direction.RECEIVED and _FINAL_LINE.match(line.text) is not None


def _is_error(line: LogLine) -> bool:
    return line.direction is Direction.RECEIVED and _ERROR_LINE.match(line.text) is not None


def _sent(transcript: _Transcript, verb: str, since: int) -> bool:
    return any(_is_command(line, verb) for line in transcript.lines[since:])


def _passive_port(reply_line: str, parser: Callable[[str], int]) -> list[int]:
    try:
        return [parser(reply_line)]
    except FTPError:
        return []


def _describe(error: BaseException) -> str:
    if isinstance(error, ReplyError) and error.lines:
        return error.lines[-1]
    if isinstance(error, FTPError):
        return str(error) or error.title
    return f"{type(error).__name__}: {error}"


def _finding_text(finding: Finding[Any]) -> str:
    """``yes  234 AUTH TLS successful``; a text value already inside its evidence is shown once."""
    value, evidence = _value_text(finding.value), safe_text(finding.evidence)
    if isinstance(finding.value, str) and value and value in evidence:
        return evidence
    return f"{value:<8} {evidence}"


def _value_text(value: object) -> str:
    if value is None:
        return "?"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return safe_text(", ".join(map(str, value))) or "-"
    return safe_text(str(value).split("\n", 1)[0]) or "-"


def _jsonable(value: object) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_jsonable(item) for item in value]
    if isinstance(value, TLSOptions):
        return {item.name: _jsonable(getattr(value, item.name)) for item in fields(value)}
    return value


def options_dict(options: ConnectOptions) -> dict[str, Any]:
    """ConnectOptions as JSON-ready data, without the password and account."""
    return {
        item.name: _jsonable(getattr(options, item.name))
        for item in fields(options)
        if item.name not in ("password", "account")
    }


def _certificate_dict(certificate: CertificateInfo | None) -> dict[str, Any] | None:
    if certificate is None:
        return None
    return {
        "subject": certificate.subject,
        "issuer": certificate.issuer,
        "not_before": certificate.not_before.isoformat(),
        "not_after": certificate.not_after.isoformat(),
        "sha256": certificate.sha256,
        "fingerprint": certificate.fingerprint,
        "serial": str(certificate.serial),
        "alt_names": list(certificate.alt_names),
        "self_signed": certificate.self_signed,
    }


def _certificate_lines(certificate: CertificateInfo | None) -> list[str]:
    if certificate is None:
        return []
    return [
        f"Certificate: {safe_text(certificate.subject)} issued by {safe_text(certificate.issuer)}",
        f"  valid {certificate.not_before:%Y-%m-%d} to {certificate.not_after:%Y-%m-%d}; "
        f"names: {safe_text(', '.join(certificate.alt_names)) or '-'}",
        f"  SHA-256 {certificate.fingerprint}",
    ]


def _suggestion_text(options: ConnectOptions) -> str:
    parts = [
        f"security={options.security.value}",
        f"port={options.effective_port}",
        f"data={options.data_mode.value}",
        f"ssl-listings={'on' if options.protect_listings else 'off'}",
        f"ssl-transfers={'on' if options.protect_transfers else 'off'}",
        f"ccc={options.ccc.value}",
        f"server-type={options.server_type.value}",
    ]
    if options.tls.max_version:
        parts.append(f"max-tls={options.tls.max_version}")
    return " ".join(parts)
