"""Listing parsers: pure functions from text lines to :class:`Entry` tuples (no sockets)."""

from .model import Entry, EntryKind

__all__ = ["Entry", "EntryKind"]
