from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from tests.sites.builders import FINGERPRINT, every_field_changed, unchanged_fields
from tui_ftp.engine.options import ConnectOptions, ServerType, TransferType
from tui_ftp.sites.profile import FIELD_HELP, FIELD_LABELS, PROFILE_FIELDS, Section, SiteProfile, TransferRule


def test_builder_changes_every_field(pem_files: dict[str, str], tmp_path: Path) -> None:
    assert unchanged_fields(every_field_changed(pem_files, str(tmp_path))) == []


def test_every_field_has_label_help_and_section() -> None:
    names = [item.name for item in fields(SiteProfile)]
    assert [info.name for info in PROFILE_FIELDS] == names
    for info in PROFILE_FIELDS:
        assert info.label.strip() and len(info.help) > 20, info.name
        assert isinstance(info.section, Section)
    assert set(FIELD_HELP) == set(FIELD_LABELS) == set(names)


def test_help_texts_name_the_zos_ftp_data_statements() -> None:
    text = " ".join(FIELD_HELP.values())
    for statement in (
        "FTPKEEPALIVE",
        "DATAKEEPALIVE",
        "SECURE_FTP",
        "SECURE_HOSTNAME",
        "TLSRFCLEVEL",
        "CCCNONOTIFY",
        "SECUREIMPLICITZOS",
        "EPSV4",
        "DSWAITTIME",
        "SECURE_DATACONN",
    ):
        assert statement in text, statement
    assert "CCC" in FIELD_HELP["ccc"] and "FTPKEEPALIVE" in FIELD_HELP["keepalive_seconds"]


def test_enum_fields_list_their_choices() -> None:
    by_name = {info.name: info for info in PROFILE_FIELDS}
    assert by_name["security"].choices == (
        "plain",
        "explicit-tls",
        "explicit-ssl",
        "implicit",
        "implicit-zos",
        "tls-if-available",
    )
    assert by_name["password_mode"].choices == ("saved", "ask", "netrc", "none")
    assert by_name["host"].choices == ()


def test_defaults_are_the_secure_ones() -> None:
    options = SiteProfile(name="x", host="h").to_connect_options("")
    assert options.security.tls_required
    assert options.tls.verify_hostname and not options.trust_pasv_address
    assert options.protect_listings and options.protect_transfers
    assert SiteProfile().parallel_transfers == 2


def test_to_connect_options_maps_every_field(pem_files: dict[str, str], tmp_path: Path) -> None:
    profile = every_field_changed(pem_files, str(tmp_path))
    options = profile.to_connect_options("s3cret")
    assert isinstance(options, ConnectOptions)
    assert (options.host, options.port, options.user, options.password, options.account) == (
        "mvs1.example.com",
        2121,
        "USER1",
        "s3cret",
        "DEPT42",
    )
    assert (options.security, options.ccc) == (profile.security, profile.ccc)
    assert (options.protect_listings, options.protect_transfers) == (False, False)
    assert (options.data_mode, options.trust_pasv_address) == (profile.data_mode, True)
    assert (options.active_port_range, options.source_ip) == ((50000, 50100), "10.1.2.3")
    assert options.tls.ca_file == pem_files["ca_file"]
    assert options.tls.verify_hostname is False
    assert options.tls.pinned_sha256 == FINGERPRINT
    assert (options.tls.client_cert, options.tls.client_key) == (pem_files["client_cert"], pem_files["client_key"])
    assert (options.tls.min_version, options.tls.max_version, options.tls.ciphers) == ("1.2", "1.3", "ECDHE+AESGCM")
    assert (options.connect_timeout, options.reply_timeout, options.connect_retries) == (7.5, 120.0, 3)
    assert (options.keepalive_seconds, options.noop_seconds) == (30, 240)
    assert (options.contention_retries, options.contention_wait) == (4, 45.5)
    assert (options.server_type, options.encoding) == (ServerType.MVS, "latin-1")
    assert options.site_commands == profile.site_commands


def test_unset_values_become_none_for_the_engine() -> None:
    options = SiteProfile(name="x", host=" h ", keepalive_seconds=0, user="").to_connect_options("")
    assert options.host == "h" and options.port is None and options.user == "anonymous"
    assert options.keepalive_seconds is None and options.noop_seconds is None
    assert options.source_ip is None and options.tls.ca_file is None and options.tls.pinned_sha256 is None
    assert options.effective_port == 21


def test_home_relative_paths_are_expanded(tmp_path: Path) -> None:
    options = SiteProfile(name="x", host="h", ca_file="~/ca.pem").to_connect_options("")
    assert options.tls.ca_file == str(Path.home() / "ca.pem")


def test_account_and_password_stay_out_of_repr() -> None:
    profile = SiteProfile(name="x", host="h", account="DEPT42")
    assert "DEPT42" not in repr(profile)
    options = profile.to_connect_options("s3cret")
    assert "s3cret" not in repr(options) and "DEPT42" not in repr(options)


@pytest.mark.parametrize(
    ("server_type", "detected", "name", "expected"),
    [
        (ServerType.MVS, None, "USER1.DATA", TransferType.ASCII),
        (ServerType.UNIX, None, "notes.txt", TransferType.BINARY),
        (ServerType.AUTO, None, "USER1.DATA", TransferType.BINARY),
        (ServerType.AUTO, ServerType.MVS, "USER1.DATA", TransferType.ASCII),
        (ServerType.UNIX, ServerType.MVS, "USER1.DATA", TransferType.BINARY),
    ],
)
def test_transfer_type_defaults_by_server_type(
    server_type: ServerType, detected: ServerType | None, name: str, expected: TransferType
) -> None:
    assert SiteProfile(server_type=server_type).transfer_type_for(name, detected) is expected


def test_transfer_rules_first_match_wins_case_insensitively() -> None:
    profile = SiteProfile(
        server_type=ServerType.MVS,
        transfer_rules=(TransferRule("*.load(*)", "binary"), TransferRule("*.zip", "binary"), TransferRule("*", "ascii")),
    )
    assert profile.transfer_type_for("USER1.LOAD(PROG1)") is TransferType.BINARY
    assert profile.transfer_type_for("backup.ZIP") is TransferType.BINARY
    assert profile.transfer_type_for("USER1.JCL(JOB)") is TransferType.ASCII
    unix = SiteProfile(server_type=ServerType.UNIX, transfer_rules=(TransferRule("*.txt", "ascii"),))
    assert unix.transfer_type_for("readme.TXT") is TransferType.ASCII
    assert unix.transfer_type_for("image.png") is TransferType.BINARY


def test_path_joins_folder_and_name() -> None:
    assert SiteProfile(name="LPAR", folder="Prod/MF").path == "Prod/MF/LPAR"
    assert SiteProfile(name="LPAR").path == "LPAR"
