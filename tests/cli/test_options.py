"""From command line to ConnectOptions: every option, in any order, and the exit code table."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_ftp.cli.connect import Target, target_from_args
from tui_ftp.cli.exitcodes import EXIT_CODE_MEANINGS, ExitCode, exit_code_for
from tui_ftp.cli.parser import parse_arguments
from tui_ftp.engine import errors
from tui_ftp.engine.options import CCCMode, DataMode, Security

FINGERPRINT = "ab" * 32


def target(*argv: str) -> Target:
    args = parse_arguments(argv)
    return target_from_args(args, args.url, lambda text: None)


@pytest.fixture(autouse=True)
def no_user_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No ~/.netrc, sites or pins of the machine running the tests."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TUI_FTP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("TUI_FTP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NETRC", raising=False)


def test_every_option_reaches_the_connect_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ca, cert, key = (tmp_path / name for name in ("ca.pem", "client.pem", "client.key"))
    for path in (ca, cert, key):
        path.write_text("x")
    monkeypatch.setenv("SECRET", "s3cret")
    result = target(
        "get", "--ccc=nonotify", "ftpes://user1@mvs.example:2121/'USER1.PDS(MEM)'", "local.txt",
        "--auth", "ssl", "--clear-listings", "--clear-data", "--active", "--no-epsv",
        "--trust-pasv-ip", "--port-range", "50000-50100", "--source-ip", "10.0.0.5",
        "--ca-file", str(ca), "--fingerprint", FINGERPRINT.upper(), "--no-verify-hostname",
        "--cert", str(cert), "--key", str(key), "--tls-min", "1.2", "--tls-max", "1.3",
        "--keepalive", "0", "--noop", "30", "--timeout", "12", "--retries", "3",
        "--contention-retries", "4", "--contention-wait", "5", "--site-cmd", "RECFM=FB LRECL=80",
        "--site-cmd", "SITE FILETYPE=SEQ", "--password-env", "SECRET",
    )  # fmt: skip
    options = result.options
    assert result.path == "'USER1.PDS(MEM)'"
    assert (options.host, options.port, options.user, options.password) == ("mvs.example", 2121, "user1", "s3cret")
    assert options.security is Security.EXPLICIT_SSL
    assert options.ccc is CCCMode.NO_NOTIFY
    assert (options.protect_listings, options.protect_transfers) == (False, False)
    assert options.data_mode is DataMode.PORT
    assert options.trust_pasv_address and options.active_port_range == (50000, 50100)
    assert options.source_ip == "10.0.0.5"
    assert options.tls.ca_file == str(ca) and options.tls.pinned_sha256 == FINGERPRINT
    assert not options.tls.verify_hostname
    assert (options.tls.client_cert, options.tls.client_key) == (str(cert), str(key))
    assert (options.tls.min_version, options.tls.max_version) == ("1.2", "1.3")
    assert (options.keepalive_seconds, options.noop_seconds) == (None, 30)
    assert (options.connect_timeout, options.reply_timeout, options.connect_retries) == (12, 12, 3)
    assert (options.contention_retries, options.contention_wait) == (4, 5)
    assert options.site_commands == ("RECFM=FB LRECL=80", "SITE FILETYPE=SEQ")  # the engine reads both forms


def test_defaults_are_the_secure_ones() -> None:
    options = target("ls", "ftpes://host.example/", "--password-env", "HOME").options
    assert options.security is Security.EXPLICIT_TLS
    assert options.tls.verify_hostname and options.tls.pinned_sha256 is None
    assert options.protect_listings and options.protect_transfers
    assert options.data_mode is DataMode.AUTO and not options.trust_pasv_address


def test_schemes_and_the_zos_implicit_flag() -> None:
    plain = target("ls", "ftp://anonymous@h/").options
    implicit = target("ls", "ftps://anonymous@h/").options
    zos = target("ls", "ftps://anonymous@h/", "--zos-implicit").options
    assert plain.security is Security.PLAIN and plain.effective_port == 21
    assert implicit.security is Security.IMPLICIT and implicit.effective_port == 990
    assert zos.security is Security.IMPLICIT_CLEAR_GREETING and zos.effective_port == 990


def test_bare_ccc_does_not_swallow_the_url() -> None:
    options = target("ls", "--ccc", "ftpes://anonymous@h/").options
    assert options.ccc is CCCMode.NOTIFY


def test_no_subcommand_means_the_tui() -> None:
    assert parse_arguments([]).command == "open"
    assert parse_arguments(["--demo", "--zos"]).demo
    assert parse_arguments(["ftpes://h/"]).url == "ftpes://h/"


@pytest.mark.parametrize(
    "argv",
    [
        ["ls", "ftp://h/", "--port-range", "70000-80000"],
        ["ls", "ftp://h/", "--fingerprint", "not-hex"],
        ["ls", "ftps://h/", "--auth", "tls"],
        ["ls", "ftp://h/", "--ca-file", "/nonexistent/ca.pem"],
        ["ls", "ftp://h/", "--timeout", "0"],
        ["ls", "ftp://h/", "--password-env", "TUI_FTP_SURELY_UNSET_VARIABLE"],
        ["ls", "host-without-scheme/path"],
        ["ls", "gopher://h/"],
    ],
)
def test_bad_input_is_a_usage_error(argv: list[str]) -> None:
    with pytest.raises(errors.UsageError):
        target(*argv)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (errors.UsageError("x"), ExitCode.USAGE),
        (errors.CertificateError("self-signed certificate"), ExitCode.CERTIFICATE),
        (errors.TLSError("handshake"), ExitCode.CONNECTION),
        (errors.ConnectionLost("reset"), ExitCode.CONNECTION),
        (errors.FTPTimeout("slow"), ExitCode.CONNECTION),
        (errors.ServiceClosing(421, ["421 bye"]), ExitCode.CONNECTION),
        (errors.LoginError(530, ["530 no"]), ExitCode.LOGIN),
        (errors.PermanentReplyError(550, ["550 no such file"]), ExitCode.REMOTE),
        (errors.TransientReplyError(450, ["450 busy"]), ExitCode.REMOTE),
        (errors.LocalFileError("disk full"), ExitCode.LOCAL),
        (errors.UnsafePathError("../x"), ExitCode.LOCAL),
        (errors.TransferIncomplete("short"), ExitCode.INCOMPLETE),
        (errors.ProtocolError("garbage"), ExitCode.FAILURE),
    ],
)
def test_each_error_has_its_exit_code(error: Exception, code: ExitCode) -> None:
    assert exit_code_for(error) is code


def test_every_exit_code_is_documented_in_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse_arguments(["--help"])
    text = capsys.readouterr().out
    for code, meaning in EXIT_CODE_MEANINGS.items():
        assert f"{int(code):>3}  {meaning}" in text
    assert len(set(EXIT_CODE_MEANINGS)) == len(ExitCode)
