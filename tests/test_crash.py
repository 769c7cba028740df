"""Crash reports: a bug's traceback goes to a private file with every password removed."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

import tui_ftp.cli
from tui_ftp.cli import main
from tui_ftp.cli.exitcodes import ExitCode
from tui_ftp.crash import crash_report_text, write_crash_report
from tui_ftp.engine.options import ConnectOptions
from tui_ftp.engine.redaction import redact, remember_secret


def test_redact_removes_remembered_secrets_url_passwords_and_pass_arguments() -> None:
    secret = "hunter2-\\quoted'"
    remember_secret(secret)
    text = redact(
        f"options password={secret!r} and {secret}\n"
        "url ftpes://bob:p@ss:w0rd@host:21/f and ftp://carol@host/a:b@c\n"
        ">>> PASS letmein\n"
    )
    assert "hunter2" not in text and "p@ss" not in text and "w0rd" not in text and "letmein" not in text
    assert "ftpes://bob:****@host:21/f" in text
    assert "ftp://carol@host/a:b@c" in text  # no password: left as it is
    assert "PASS ****" in text


def test_connection_options_remember_their_password() -> None:
    ConnectOptions(host="example.org", password="Opt1ons-Secret")
    assert redact("login failed for Opt1ons-Secret") == "login failed for ****"


def test_report_has_the_traceback_and_no_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUI_FTP_DATA_DIR", str(tmp_path))
    remember_secret("Rep0rt-Secret")
    try:
        raise KeyError("looked up Rep0rt-Secret")
    except KeyError as error:
        path = write_crash_report(error, "a test")
    assert path is not None and path.parent == tmp_path / "crash"
    text = path.read_text()
    assert "Traceback" in text and "KeyError" in text and "test_report_has_the_traceback" in text
    assert "Rep0rt-Secret" not in text and "****" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert crash_report_text(ValueError("x"), "here").startswith("tui-ftp ")


def test_report_that_cannot_be_written_returns_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "crash").write_text("a file where the folder should be")
    monkeypatch.setenv("TUI_FTP_DATA_DIR", str(tmp_path))
    assert write_crash_report(RuntimeError("x"), "a test") is None


def test_a_bug_in_a_command_prints_one_line_and_writes_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TUI_FTP_DATA_DIR", str(tmp_path))
    secret = "Cl1-Crash-Secret"

    def buggy_open_session(options: ConnectOptions, *_: object) -> None:
        raise RuntimeError(f"unexpected state for {options.user}:{options.password}@{options.host}")

    monkeypatch.setattr(tui_ftp.cli, "open_session", buggy_open_session)
    code = main(["ls", f"ftp://alice:{secret}@127.0.0.1:2121/"])
    captured = capsys.readouterr()
    assert code == ExitCode.INTERNAL
    assert "internal error" in captured.err and "Traceback" not in captured.err
    assert secret not in captured.err + captured.out
    [report] = (tmp_path / "crash").iterdir()
    assert str(report) in captured.err
    text = report.read_text()
    assert "RuntimeError: unexpected state for alice:****@127.0.0.1" in text and secret not in text
