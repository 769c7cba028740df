from __future__ import annotations

import pytest

from tui_ftp.engine.commands import command_line, masked, raw_command_line
from tui_ftp.engine.errors import UsageError


@pytest.mark.parametrize("argument", ["a\r\nDELE x", "a\nb", "a\rb", "a\0b"])
def test_injection_characters_are_refused(argument: str) -> None:
    with pytest.raises(UsageError, match="inject"):
        command_line("RETR", argument)
    with pytest.raises(UsageError):
        raw_command_line(f"SITE {argument}")


def test_verbs_must_be_words() -> None:
    with pytest.raises(UsageError):
        command_line("RETR x")
    assert command_line("RETR", "a b.txt") == "RETR a b.txt"


def test_password_and_account_are_masked() -> None:
    assert masked("PASS hunter2") == "PASS ****"
    assert masked("pass hunter2") == "PASS ****"
    assert masked("ACCT secret") == "ACCT ****"
    assert masked("USER bob") == "USER bob"
