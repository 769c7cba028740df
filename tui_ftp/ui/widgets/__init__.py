"""Reusable widgets of the tui-ftp interface."""

from __future__ import annotations

from tui_ftp.ui.widgets.file_list import COLUMN_SETS, PARENT_ENTRY, Column, FileList, PatternPrompt

__all__ = ["COLUMN_SETS", "PARENT_ENTRY", "Column", "FileList", "PatternPrompt"]
