"""Shared fixtures for the listing parser tests: the captured server listings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def captured() -> Callable[[str], list[str]]:
    """Reads a captured listing as the engine hands it over (lines without line ends)."""

    def read(name: str) -> list[str]:
        return (FIXTURES / name).read_text(encoding="utf-8").splitlines()

    return read
