"""SiteProfile ⇄ plain TOML tables, checking every value's type and enum spelling.

One table per site, one key per field, in declaration order; enums as their value
(``security = "explicit-tls"``), rules as inline tables. Keys this version does not know are
returned separately so the store can write them back untouched.
"""

from __future__ import annotations

import enum
import typing
from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any

from .profile import TRANSFER_MODES, SiteProfile, TransferRule


class FieldValueError(ValueError):
    """A value in a site table has the wrong type or spelling. ``field`` names the TOML key."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


_HINTS: dict[str, Any] = typing.get_type_hints(SiteProfile)
_FIELD_NAMES: tuple[str, ...] = tuple(item.name for item in fields(SiteProfile))


def profile_to_table(profile: SiteProfile) -> dict[str, Any]:
    """The TOML table of a profile: every field except unset optional ones (TOML has no null)."""
    table: dict[str, Any] = {}
    for name in _FIELD_NAMES:
        value = _encode(getattr(profile, name))
        if value is not None:
            table[name] = value
    return table


def profile_from_table(table: Mapping[str, Any]) -> tuple[SiteProfile, dict[str, Any]]:
    """(profile, unknown keys). Missing keys take their defaults; bad values raise FieldValueError."""
    values = {name: _decode(name, table[name]) for name in _FIELD_NAMES if name in table}
    unknown = {key: value for key, value in table.items() if key not in _HINTS}
    return SiteProfile(**values), unknown


def _encode(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, TransferRule):
        return {"pattern": value.pattern, "mode": value.mode}
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    return value


def _decode(name: str, raw: Any) -> Any:
    special = _SPECIAL_DECODERS.get(name)
    if special is not None:
        return special(name, raw)
    hint = _HINTS[name]
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return decode_enum(name, hint, raw)
    return _decode_scalar(name, hint, raw)


def decode_enum(name: str, enum_type: type[enum.Enum], raw: Any) -> Any:
    """The member whose value is ``raw``; the error lists the allowed spellings."""
    allowed = [member.value for member in enum_type]
    if not isinstance(raw, str) or raw not in allowed:
        raise FieldValueError(name, f"unknown value {raw!r} (one of: {', '.join(allowed)})")
    return enum_type(raw)


def _decode_scalar(name: str, hint: Any, raw: Any) -> Any:
    if hint is bool:
        if not isinstance(raw, bool):
            raise FieldValueError(name, f"expected true or false, got {raw!r}")
        return raw
    if hint is int:
        return _expect_int(name, raw)
    if hint is float:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise FieldValueError(name, f"expected a number, got {raw!r}")
        return float(raw)
    if not isinstance(raw, str):
        raise FieldValueError(name, f"expected a string, got {raw!r}")
    return raw


def _expect_int(name: str, raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise FieldValueError(name, f"expected a whole number, got {raw!r}")
    return raw


def _expect_list(name: str, raw: Any) -> list[Any]:
    if not isinstance(raw, list):
        raise FieldValueError(name, f"expected a list, got {raw!r}")
    return raw


def _decode_strings(name: str, raw: Any) -> tuple[str, ...]:
    items = _expect_list(name, raw)
    if not all(isinstance(item, str) for item in items):
        raise FieldValueError(name, "expected a list of strings")
    return tuple(items)


def _decode_rules(name: str, raw: Any) -> tuple[TransferRule, ...]:
    return tuple(_decode_rule(name, item) for item in _expect_list(name, raw))


def _decode_rule(name: str, item: Any) -> TransferRule:
    if not isinstance(item, dict) or set(item) != {"pattern", "mode"}:
        raise FieldValueError(name, f'each rule is {{ pattern = "*.jcl", mode = "ascii" }}, got {item!r}')
    pattern, mode = item["pattern"], item["mode"]
    if not isinstance(pattern, str):
        raise FieldValueError(name, f"rule pattern must be a string, got {pattern!r}")
    if mode not in TRANSFER_MODES:
        raise FieldValueError(name, f"rule mode must be ascii or binary, got {mode!r}")
    return TransferRule(pattern, mode)


def _decode_port_range(name: str, raw: Any) -> tuple[int, int]:
    items = _expect_list(name, raw)
    if len(items) != 2:
        raise FieldValueError(name, f"expected [low, high], got {raw!r}")
    return (_expect_int(name, items[0]), _expect_int(name, items[1]))


_SPECIAL_DECODERS: dict[str, Callable[[str, Any], Any]] = {
    "site_commands": _decode_strings,
    "transfer_rules": _decode_rules,
    "active_port_range": _decode_port_range,
}
