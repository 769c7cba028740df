from __future__ import annotations

import stat
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tui_ftp import locations
from tui_ftp.sites.errors import SiteFileError
from tui_ftp.sites.known_certs import CertStatus, KnownCertificates, endpoint_key, normalize_fingerprint

FIRST = "ab" * 32
SECOND = "cd" * 32
FIRST_NORMALIZED = ":".join(["AB"] * 32)


def test_unknown_then_trusted_then_changed(tmp_path: Path) -> None:
    pins = KnownCertificates(tmp_path / "known.toml")
    assert pins.check("mvs1.example.com", 21, FIRST) == "unknown"
    pinned = pins.pin("MVS1.example.com.", 21, FIRST, subject="CN=mvs1.example.com", note="self-signed test LPAR")
    assert (pinned.host, pinned.sha256, pinned.key) == ("mvs1.example.com", FIRST_NORMALIZED, "mvs1.example.com:21")
    assert pins.check("mvs1.example.com", 21, FIRST_NORMALIZED) is CertStatus.TRUSTED
    assert pins.check("mvs1.example.com", 21, SECOND) is CertStatus.CHANGED
    assert pins.check("mvs1.example.com", 990, FIRST) is CertStatus.UNKNOWN  # per port


def test_pins_persist_with_their_details(tmp_path: Path) -> None:
    path = tmp_path / "data" / "known.toml"
    seen = datetime(2026, 11, 27, 9, 30, tzinfo=timezone.utc)
    KnownCertificates(path).pin("::1", 990, FIRST, subject="CN=localhost", note="demo", now=seen)
    reloaded = KnownCertificates(path)
    [pinned] = reloaded.entries()
    assert (pinned.key, pinned.subject, pinned.note, pinned.first_seen) == ("[::1]:990", "CN=localhost", "demo", seen)
    assert reloaded.check("[::1]", 990, FIRST) is CertStatus.TRUSTED
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_repin_after_a_change_and_forget(tmp_path: Path) -> None:
    pins = KnownCertificates(tmp_path / "known.toml")
    pins.pin("h", 21, FIRST)
    pins.pin("h", 21, SECOND)
    assert pins.check("h", 21, SECOND) is CertStatus.TRUSTED
    assert len(pins.entries()) == 1
    assert pins.forget("H", 21) and not pins.forget("h", 21)
    assert KnownCertificates(pins.path).check("h", 21, SECOND) is CertStatus.UNKNOWN


def test_default_location_is_the_data_folder(isolated_dirs: Path) -> None:
    KnownCertificates().pin("h", 21, FIRST)
    assert locations.known_certificates_file() == isolated_dirs / "data" / "known_certificates.toml"
    assert locations.known_certificates_file().is_file()


def test_damaged_pin_file_reports_line_and_stays(tmp_path: Path) -> None:
    path = tmp_path / "known.toml"
    path.write_text('version = 1\n\n[[certificate]]\nhost = "h"\nport = 21\nsha256 = "AB:CD"\n')
    before = path.read_bytes()
    with pytest.raises(SiteFileError) as caught:
        KnownCertificates(path)
    assert caught.value.line == 6 and "64 hex digits" in str(caught.value)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "text",
    [FIRST, FIRST.upper(), FIRST_NORMALIZED, "SHA256 Fingerprint=" + FIRST_NORMALIZED, " sha256:" + FIRST + " "],
)
def test_fingerprint_spellings(text: str) -> None:
    assert normalize_fingerprint(text) == FIRST_NORMALIZED


@pytest.mark.parametrize("text", ["", "ab" * 31, "ab" * 33, "gg" * 32])
def test_bad_fingerprints(text: str) -> None:
    with pytest.raises(ValueError):
        normalize_fingerprint(text)


def test_endpoint_keys() -> None:
    assert endpoint_key("Host.Example.", 21) == "host.example:21"
    assert endpoint_key("[2001:db8::1]", 990) == "[2001:db8::1]:990"
