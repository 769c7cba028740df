from __future__ import annotations

import pytest

from tui_ftp.engine.errors import UsageError
from tui_ftp.engine.options import ConnectOptions, Security, parse_url


def test_schemes_map_to_security_modes_and_ports() -> None:
    assert parse_url("ftp://h/").options.security is Security.PLAIN
    explicit = parse_url("ftpes://h").options
    assert explicit.security is Security.EXPLICIT_TLS and explicit.effective_port == 21
    implicit = parse_url("ftps://h").options
    assert implicit.security is Security.IMPLICIT and implicit.effective_port == 990


def test_credentials_port_and_path() -> None:
    parsed = parse_url("ftpes://bob:p%40ss@host:2121/dir/file.txt")
    assert (parsed.options.user, parsed.options.password, parsed.options.port) == ("bob", "p@ss", 2121)
    assert parsed.path == "/dir/file.txt" and parsed.user_given and parsed.password_given


def test_zos_dataset_path_reaches_the_server_as_typed() -> None:
    assert parse_url("ftp://mvs/'USER1.ALFRED.PDSE(MEMBER1)'").path == "'USER1.ALFRED.PDSE(MEMBER1)'"


@pytest.mark.parametrize("url", ["http://h/", "ftp:///x", "ftp://h:99999/"])
def test_bad_urls(url: str) -> None:
    with pytest.raises(UsageError):
        parse_url(url)


def test_secure_defaults_and_password_not_in_repr() -> None:
    options = ConnectOptions(host="h", password="topsecret")
    assert options.security is Security.EXPLICIT_TLS
    assert options.tls.verify_hostname and options.protect_transfers and options.protect_listings
    assert not options.trust_pasv_address
    assert "topsecret" not in repr(options)


def test_url_errors_never_show_the_password() -> None:
    with pytest.raises(UsageError) as caught:
        parse_url("ftp://bob:hunter2@host:99999/")
    assert "hunter2" not in str(caught.value) and "****" in str(caught.value)
