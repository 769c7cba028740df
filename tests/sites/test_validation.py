from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.sites.builders import every_field_changed
from tui_ftp.engine.options import CCCMode, Security, ServerType
from tui_ftp.sites.profile import SiteProfile, TransferRule
from tui_ftp.sites.validation import ValidationProblem, errors_of, validate

GOOD = SiteProfile(name="LPAR", host="mvs1.example.com")


def problems(profile: SiteProfile, severity: str = "error") -> dict[str, str]:
    """field → message of the problems of one severity (one per field in these tests)."""
    return {problem.field: problem.message for problem in validate(profile) if problem.severity == severity}


def test_a_plain_good_profile_has_no_problem() -> None:
    assert validate(GOOD) == []


def test_every_field_set_is_valid_apart_from_ccc_on_the_zos_implicit_port(
    pem_files: dict[str, str], tmp_path: Path
) -> None:
    profile = every_field_changed(pem_files, str(tmp_path))
    assert [(problem.field, problem.message) for problem in errors_of(profile)] == [
        ("ccc", "z/OS does not support CCC on its implicit TLS port")
    ]
    assert errors_of(replace(profile, ccc=CCCMode.OFF)) == []


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "the site needs a name"),
        ({"host": ""}, "host", "enter the server's host name or IP address"),
        ({"host": "ftp://mvs1/x"}, "host", "enter only the host name, without ftp:// or a path: 'ftp://mvs1/x'"),
        ({"host": "mvs 1"}, "host", "a host name has no spaces: 'mvs 1'"),
        ({"port": 70000}, "port", "port 70000 is out of range (1-65535, or 0 for the standard port)"),
        ({"port": -1}, "port", "port -1 is out of range (1-65535, or 0 for the standard port)"),
        ({"user": "bob\r\nDELE x"}, "user", "must not contain line breaks or NUL characters"),
        (
            {"security": Security.PLAIN, "ccc": CCCMode.NOTIFY},
            "ccc",
            "CCC clears TLS on the control connection: it needs a TLS security mode",
        ),
        ({"client_cert": "/nonexistent/c.pem"}, "client_cert", "file not found: /nonexistent/c.pem"),
        ({"ca_file": "/nonexistent/ca.pem"}, "ca_file", "file not found: /nonexistent/ca.pem"),
        ({"pinned_sha256": "AB:CD"}, "pinned_sha256", "a SHA-256 fingerprint has 64 hex digits, this one has 4"),
        (
            {"pinned_sha256": "zz" * 32},
            "pinned_sha256",
            "a SHA-256 fingerprint holds only hex digits 0-9 and A-F (colons optional)",
        ),
        ({"tls_min_version": "1.1"}, "tls_min_version", "unknown TLS version '1.1' (use 1.2 or 1.3, or leave empty)"),
        (
            {"tls_min_version": "1.3", "tls_max_version": "1.2"},
            "tls_max_version",
            "maximum TLS 1.2 is below the minimum TLS 1.3",
        ),
        ({"ciphers": "NO-SUCH-CIPHER"}, "ciphers", "OpenSSL knows no cipher in 'NO-SUCH-CIPHER'"),
        (
            {"active_port_range": (50100, 50000)},
            "active_port_range",
            "the range starts above its end: 50100-50000",
        ),
        (
            {"active_port_range": (0, 70000)},
            "active_port_range",
            "ports must be between 1 and 65535, got 0-70000",
        ),
        ({"source_ip": "10.1.2"}, "source_ip", "not an IP address: '10.1.2'"),
        ({"connect_timeout": 0.0}, "connect_timeout", "must be more than 0 seconds"),
        ({"contention_retries": -1}, "contention_retries", "must be 0 or more"),
        ({"charset": "klingon"}, "charset", "unknown character set 'klingon'"),
        ({"parallel_transfers": 0}, "parallel_transfers", "must be between 1 and 10"),
        ({"site_commands": ("SITE A\nDELE x",)}, "site_commands", "each command is one non-empty line: 'SITE A\\nDELE x'"),
        ({"transfer_rules": (TransferRule("", "ascii"),)}, "transfer_rules", "a rule needs a name pattern, e.g. *.jcl"),
        (
            {"transfer_rules": (TransferRule("*.x", "ebcdic"),)},
            "transfer_rules",
            "rule '*.x': mode must be ascii or binary",
        ),
    ],
)
def test_error_messages(changes: dict[str, object], field: str, message: str) -> None:
    assert problems(replace(GOOD, **changes)) == {field: message}  # type: ignore[arg-type]


def test_client_key_without_certificate(pem_files: dict[str, str]) -> None:
    profile = replace(GOOD, client_key=pem_files["client_key"])
    assert problems(profile) == {"client_key": "a client key needs its client certificate file"}
    assert problems(replace(profile, client_cert=pem_files["client_cert"])) == {}


def test_certificate_without_separate_key_is_fine(pem_files: dict[str, str]) -> None:
    assert validate(replace(GOOD, client_cert=pem_files["client_cert"])) == []


def test_fingerprint_forms_that_are_accepted() -> None:
    for text in ("ab" * 32, ":".join(["AB"] * 32), "SHA256 Fingerprint=" + ":".join(["ab"] * 32)):
        assert validate(replace(GOOD, pinned_sha256=text)) == [], text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"security": Security.PLAIN}, "security"),
        ({"security": Security.TLS_IF_AVAILABLE}, "security"),
        ({"verify_hostname": False}, "verify_hostname"),
        ({"trust_pasv_address": True}, "trust_pasv_address"),
        ({"protect_transfers": False}, "protect_transfers"),
        ({"local_folder": "/nonexistent/folder"}, "local_folder"),
    ],
)
def test_warnings_do_not_block(changes: dict[str, object], field: str) -> None:
    profile = replace(GOOD, **changes)  # type: ignore[arg-type]
    assert errors_of(profile) == []
    assert list(problems(profile, "warning")) == [field]


def test_short_reply_timeout_warns_for_zos_contention() -> None:
    profile = replace(GOOD, server_type=ServerType.MVS, reply_timeout=20.0)
    assert problems(profile, "warning") == {
        "reply_timeout": "z/OS may stay silent 60 s while a data set is busy; 20 s will give up before it answers"
    }
    assert validate(replace(profile, server_type=ServerType.UNIX)) == []


def test_problem_severity() -> None:
    assert ValidationProblem("host", "x").is_error
    assert not ValidationProblem("host", "x", "warning").is_error
