"""What the site form shows for each profile field, and the conversions between its text and values.

No Textual here: the form builds its widgets from :data:`FIELD_SPECS` and :data:`TABS`, and tests
check the conversions directly. A widget holds ``str`` (inputs, selects, text areas) or ``bool``
(checkboxes); :func:`display_value` turns a profile value into that, :func:`parse_value` back.

The first tab carries the seed's toggles: the ``security`` radio buttons (AUTH TLS, AUTH SSL, SSL
Direct...), "Clear control channel (CCC)" and "Passive". The last two are *proxies*: on/off views
of the three-valued ``ccc`` and the five-valued ``data_mode``, whose full choice sits on the Security
and Firewall/NAT tabs (:func:`ccc_from_toggle`, :func:`data_mode_from_toggle` keep them in step).
"""

from __future__ import annotations

import dataclasses
import enum
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...engine.options import CCCMode, ConnectOptions, DataMode, Security
from ...sites import FIELD_HELP, PROFILE_FIELDS, FieldInfo, SiteProfile, TransferRule, ValidationProblem, validate
from ...sites.profile import TLS_VERSIONS, TRANSFER_MODES

WidgetValue = str | bool


class Kind(enum.Enum):
    """Which widget edits a field."""

    TEXT = "text"  # Input
    INTEGER = "integer"  # Input, whole numbers
    NUMBER = "number"  # Input, decimals
    SWITCH = "switch"  # Checkbox
    CHOICE = "choice"  # Select (RadioSet for security)
    LINES = "lines"  # TextArea, one string per line
    RULES = "rules"  # TextArea, "pattern mode" per line
    PORT_RANGE = "port-range"  # Input, "low-high"
    NOTES = "notes"  # TextArea, free text


@dataclass(frozen=True)
class FieldSpec:
    info: FieldInfo
    kind: Kind
    choices: tuple[tuple[str, str], ...] = ()  # (label, value) for CHOICE fields
    placeholder: str = ""

    @property
    def name(self) -> str:
        return self.info.name


@dataclass(frozen=True)
class FormTab:
    key: str
    title: str
    fields: tuple[str, ...]


class FieldParseError(ValueError):
    """The text of a field is not a value of its type (the message says what to type)."""


SECURITY_LABELS: dict[str, str] = {
    Security.EXPLICIT_TLS.value: "AUTH TLS",
    Security.EXPLICIT_SSL.value: "AUTH SSL",
    Security.IMPLICIT.value: "SSL Direct",
    Security.IMPLICIT_CLEAR_GREETING.value: "z/OS implicit",
    Security.TLS_IF_AVAILABLE.value: "TLS if available",
    Security.PLAIN.value: "Plain FTP",
}

_CHOICE_LABELS: dict[str, dict[str, str]] = {
    "security": SECURITY_LABELS,
    "password_mode": {
        "saved": "saved (vault)",
        "ask": "ask each time",
        "netrc": "from ~/.netrc",
        "none": "none (empty)",
    },
    "ccc": {
        CCCMode.OFF.value: "off",
        CCCMode.NOTIFY.value: "on, with close_notify",
        CCCMode.NO_NOTIFY.value: "on, no close_notify (z/OS)",
    },
    "data_mode": {
        DataMode.AUTO.value: "auto (EPSV, then PASV)",
        DataMode.EPSV.value: "EPSV (passive)",
        DataMode.PASV.value: "PASV (passive)",
        DataMode.EPRT.value: "EPRT (active)",
        DataMode.PORT.value: "PORT (active)",
    },
    "server_type": {"auto": "auto (from SYST)", "unix": "Unix", "windows": "Windows", "mvs": "z/OS MVS"},
    "tls_min_version": {"": "default (1.2)", **{version: version for version in TLS_VERSIONS}},
    "tls_max_version": {"": "default (newest)", **{version: version for version in TLS_VERSIONS}},
}

_SPECIAL_KINDS: dict[str, Kind] = {
    "notes": Kind.NOTES,
    "site_commands": Kind.LINES,
    "transfer_rules": Kind.RULES,
    "active_port_range": Kind.PORT_RANGE,
    "tls_min_version": Kind.CHOICE,
    "tls_max_version": Kind.CHOICE,
}

_PLACEHOLDERS: dict[str, str] = {
    "port": "21/990",
    "host": "ftp.example.com",
    "folder": "top level",
    "active_port_range": "any, e.g. 50000-50100",
    "source_ip": "chosen by the system",
    "ca_file": "system CAs",
    "pinned_sha256": "not pinned",
    "client_cert": "none",
    "client_key": "in the certificate file",
    "ciphers": "secure defaults",
    "local_folder": "the current folder",
    "remote_folder": "the login folder",
    "site_commands": "SITE RECFM=FB LRECL=80",
    "transfer_rules": "*.jcl ascii",
}

#: Shown as empty (with the placeholder) when 0: 0 means "the standard port".
_BLANK_WHEN_ZERO = frozenset({"port"})

_HINTS: dict[str, Any] = typing.get_type_hints(SiteProfile)


def _kind_of(info: FieldInfo) -> Kind:
    special = _SPECIAL_KINDS.get(info.name)
    if special is not None:
        return special
    hint = _HINTS[info.name]
    if hint is bool:
        return Kind.SWITCH
    if hint is int:
        return Kind.INTEGER
    if hint is float:
        return Kind.NUMBER
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return Kind.CHOICE
    return Kind.TEXT


def _choices_of(info: FieldInfo) -> tuple[tuple[str, str], ...]:
    labels = _CHOICE_LABELS.get(info.name, {})
    values = info.choices or tuple(labels)
    return tuple((labels.get(value, value), value) for value in values)


def _spec_of(info: FieldInfo) -> FieldSpec:
    kind = _kind_of(info)
    choices = _choices_of(info) if kind is Kind.CHOICE else ()
    return FieldSpec(info, kind, choices, _PLACEHOLDERS.get(info.name, ""))


#: Every profile field's spec, by field name, in declaration order.
FIELD_SPECS: dict[str, FieldSpec] = {info.name: _spec_of(info) for info in PROFILE_FIELDS}

TABS: tuple[FormTab, ...] = (
    FormTab(
        "general",
        "General",
        ("name", "folder", "host", "port", "user", "password_mode", "security", "protect_listings", "protect_transfers"),
    ),
    FormTab(
        "security",
        "Security",
        ("ccc", "verify_hostname", "ca_file", "pinned_sha256", "client_cert", "client_key",
         "tls_min_version", "tls_max_version", "ciphers"),
    ),
    FormTab("transfer", "Transfer", ("transfer_rules", "parallel_transfers", "local_folder", "remote_folder", "charset")),
    FormTab(
        "firewall",
        "Firewall/NAT",
        ("data_mode", "trust_pasv_address", "active_port_range", "source_ip", "keepalive_seconds", "noop_seconds"),
    ),
    FormTab("zos", "z/OS", ("server_type", "site_commands", "contention_retries", "contention_wait")),
    FormTab("advanced", "Advanced", ("account", "connect_timeout", "reply_timeout", "connect_retries", "notes")),
)

TAB_OF_FIELD: dict[str, FormTab] = {name: tab for tab in TABS for name in tab.fields}

# The General tab's on/off views of ccc and data_mode (see the module docstring).
CCC_TOGGLE, PASSIVE_TOGGLE = "ccc_toggle", "passive"
PROXY_LABELS: dict[str, str] = {
    CCC_TOGGLE: "Clear control channel (CCC)",
    PASSIVE_TOGGLE: "Passive",
}
PROXY_TARGETS: dict[str, str] = {CCC_TOGGLE: "ccc", PASSIVE_TOGGLE: "data_mode"}
PROXY_HELP: dict[str, str] = {
    CCC_TOGGLE: "On = CCC with close_notify; the Security tab picks the variant. " + FIELD_HELP["ccc"],
    PASSIVE_TOGGLE: "On = passive (this machine connects to the server: EPSV, then PASV); off = active "
    "PORT (the server connects back). The Firewall/NAT tab has every mode. " + FIELD_HELP["data_mode"],
}
#: Labels the General tab uses instead of the profile's (the seed's words).
GENERAL_LABELS: dict[str, str] = {"protect_listings": "SSL listings", "protect_transfers": "SSL transfers"}
PASSWORD_HELP = (
    "The password for this site. Typed here, it is kept encrypted in the password vault (with the "
    "mode 'saved'); it is never written to sites.toml. Leave it empty to keep the saved one."
)


def ccc_from_toggle(on: bool, current: CCCMode) -> CCCMode:
    """The CCC mode after the General tab's toggle: on keeps a chosen variant, else RFC 4217."""
    if not on:
        return CCCMode.OFF
    return current if current is not CCCMode.OFF else CCCMode.NOTIFY


def data_mode_from_toggle(passive: bool, current: DataMode) -> DataMode:
    """The data mode after the "Passive" toggle: keeps a passive (or active) choice already made."""
    if passive == current.passive:
        return current
    return DataMode.AUTO if passive else DataMode.PORT


# == text ⇄ values ====================================================================================


def display_value(spec: FieldSpec, value: Any) -> WidgetValue:
    """What the widget of ``spec`` shows for ``value``."""
    kind = spec.kind
    if kind is Kind.SWITCH:
        return bool(value)
    if isinstance(value, enum.Enum):
        return str(value.value)
    if kind is Kind.INTEGER:
        return "" if value == 0 and spec.name in _BLANK_WHEN_ZERO else str(value)
    if kind is Kind.NUMBER:
        return f"{value:g}"
    if kind is Kind.LINES:
        return "\n".join(value)
    if kind is Kind.RULES:
        return "\n".join(f"{rule.pattern} {rule.mode}" for rule in value)
    if kind is Kind.PORT_RANGE:
        return "" if value is None else f"{value[0]}-{value[1]}"
    return str(value)


def parse_value(spec: FieldSpec, raw: WidgetValue) -> Any:
    """The profile value for the widget text ``raw``; FieldParseError when it is not one."""
    if spec.kind is Kind.SWITCH:
        return bool(raw)
    text = str(raw)
    parser = _PARSERS.get(spec.kind)
    if parser is not None:
        return parser(spec, text)
    return text


def _parse_integer(spec: FieldSpec, text: str) -> int:
    stripped = text.strip()
    if not stripped:
        return int(spec.info.default)
    try:
        return int(stripped)
    except ValueError:
        raise FieldParseError(f"enter a whole number, not {stripped!r}") from None


def _parse_number(spec: FieldSpec, text: str) -> float:
    stripped = text.strip()
    if not stripped:
        return float(spec.info.default)
    try:
        return float(stripped)
    except ValueError:
        raise FieldParseError(f"enter a number of seconds, not {stripped!r}") from None


def _parse_choice(spec: FieldSpec, text: str) -> Any:
    hint = _HINTS[spec.name]
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(text)
        except ValueError:
            raise FieldParseError(f"choose one of: {', '.join(value for _, value in spec.choices)}") from None
    return text


def _parse_lines(spec: FieldSpec, text: str) -> tuple[str, ...]:
    return tuple(line.rstrip() for line in text.splitlines() if line.strip())


def _parse_rules(spec: FieldSpec, text: str) -> tuple[TransferRule, ...]:
    return tuple(_parse_rule(line) for line in _parse_lines(spec, text))


def _parse_rule(line: str) -> TransferRule:
    pattern, _, mode = line.strip().rpartition(" ")
    if not pattern.strip() or mode.lower() not in TRANSFER_MODES:
        raise FieldParseError(f"write each rule as 'pattern ascii' or 'pattern binary', not {line.strip()!r}")
    return TransferRule(pattern.strip(), mode.lower())


def _parse_port_range(spec: FieldSpec, text: str) -> tuple[int, int] | None:
    stripped = text.strip()
    if not stripped:
        return None
    low, separator, high = stripped.partition("-")
    try:
        if not separator:
            raise ValueError
        return (int(low), int(high))
    except ValueError:
        raise FieldParseError(f"write the range as LOW-HIGH, e.g. 50000-50100, not {stripped!r}") from None


_PARSERS = {
    Kind.INTEGER: _parse_integer,
    Kind.NUMBER: _parse_number,
    Kind.CHOICE: _parse_choice,
    Kind.LINES: _parse_lines,
    Kind.RULES: _parse_rules,
    Kind.PORT_RANGE: _parse_port_range,
}


@dataclass(frozen=True)
class FormState:
    """The profile the form's widgets describe, and everything wrong with it."""

    profile: SiteProfile
    problems: tuple[ValidationProblem, ...]

    @property
    def errors(self) -> tuple[ValidationProblem, ...]:
        return tuple(problem for problem in self.problems if problem.is_error)


def form_state(base: SiteProfile, raw: Mapping[str, WidgetValue]) -> FormState:
    """``base`` with the widget values ``raw`` applied, checked by :func:`validate`.

    A value that does not parse keeps ``base``'s and becomes an error of its own; ``validate``'s
    problems for that field are left out (they would talk about the old value).
    """
    values: dict[str, Any] = {}
    unparsed: list[ValidationProblem] = []
    for name, widget_value in raw.items():
        try:
            values[name] = parse_value(FIELD_SPECS[name], widget_value)
        except FieldParseError as error:
            unparsed.append(ValidationProblem(name, str(error)))
    profile = dataclasses.replace(base, **values)
    bad = {problem.field for problem in unparsed}
    checked = [problem for problem in validate(profile) if problem.field not in bad]
    return FormState(profile, tuple(unparsed + checked))


def problem_text(problem: ValidationProblem) -> str:
    """``Security › CA file: file not found: /x`` (the tab, so a problem on a hidden tab is found)."""
    tab = TAB_OF_FIELD.get(problem.field)
    label = FIELD_SPECS[problem.field].info.label if problem.field in FIELD_SPECS else problem.field
    where = f"{tab.title} › {label}" if tab else label
    return f"{where}: {problem.message}"


# == probe suggestions ================================================================================

_STANDARD_PORTS = {True: 990, False: 21}


def apply_suggestion(profile: SiteProfile, options: ConnectOptions) -> SiteProfile:
    """``profile`` with the choices of the connection doctor's suggested ``options``.

    Only what the probe decides changes: security and port, PROT P, the data connection, the
    server type and the TLS maximum. A standard port is stored as 0 ("the standard one"). CCC stays
    as chosen (it is a firewall decision the probe only reports on), unless the suggestion is plain
    FTP, where CCC has no meaning.
    """
    port = options.port or 0
    if port == _STANDARD_PORTS[options.security.implicit]:
        port = 0
    return dataclasses.replace(
        profile,
        security=options.security,
        port=port,
        ccc=profile.ccc if options.security.uses_tls else CCCMode.OFF,
        protect_listings=options.protect_listings,
        protect_transfers=options.protect_transfers,
        data_mode=options.data_mode,
        server_type=options.server_type,
        tls_max_version=options.tls.max_version or "",
    )
