from __future__ import annotations

from pathlib import Path

import pytest

from tui_ftp.engine.options import DataMode, Security, ServerType
from tui_ftp.sites.errors import SiteImportError
from tui_ftp.sites.filezilla import FileZillaImport, decode_safe_path, import_filezilla, parse_filezilla
from tui_ftp.sites.profile import PasswordMode, SiteProfile
from tui_ftp.sites.store import SiteStore

SAMPLE = Path(__file__).parent / "data" / "sitemanager.xml"


@pytest.fixture(scope="module")
def imported() -> FileZillaImport:
    return import_filezilla(SAMPLE, existing_names=["Accounting"])


def by_name(result: FileZillaImport) -> dict[str, SiteProfile]:
    return {profile.name: profile for profile in result.profiles}


def test_sites_and_nested_folders(imported: FileZillaImport) -> None:
    assert [(profile.folder, profile.name) for profile in imported.profiles] == [
        ("Prod/Mainframes", "MVS1 LPAR"),
        ("Prod/Mainframes", "MVS2 implicit"),
        ("Prod", "Partner drop"),
        ("Prod", "Accounting (2)"),
        ("Test", "MVS1 LPAR (2)"),
        ("", "Old mirror"),
    ]


def test_explicit_tls_mvs_site_with_everything(imported: FileZillaImport) -> None:
    lpar = by_name(imported)["MVS1 LPAR"]
    assert (lpar.host, lpar.port, lpar.security) == ("mvs1.example.com", 0, Security.EXPLICIT_TLS)
    assert (lpar.user, lpar.password_mode, lpar.server_type) == ("USER1", PasswordMode.SAVED, ServerType.MVS)
    assert (lpar.data_mode, lpar.parallel_transfers, lpar.charset) == (DataMode.AUTO, 1, "iso8859-1")
    assert (lpar.local_folder, lpar.remote_folder) == ("/home/ops/jcl", "'USER1.'")
    assert lpar.site_commands == ("SITE RECFM=FB LRECL=80 BLKSIZE=27920", "SITE TRACKS PRIMARY=10 SECONDARY=5")
    assert lpar.notes == "Sysplex PLEX1, ask ops before 06:00"
    assert imported.passwords["MVS1 LPAR"] == "Zos!pass1"


def test_protocols_logon_types_and_modes(imported: FileZillaImport) -> None:
    sites = by_name(imported)
    partner = sites["Partner drop"]
    assert (partner.security, partner.port, partner.password_mode) == (Security.IMPLICIT, 2121, PasswordMode.ASK)
    assert (partner.data_mode, partner.parallel_transfers, partner.remote_folder) == (DataMode.PORT, 10, "/incoming/daily")
    implicit = sites["MVS2 implicit"]
    assert (implicit.security, implicit.port, implicit.password_mode) == (Security.IMPLICIT, 0, PasswordMode.ASK)
    accounting = sites["Accounting (2)"]
    assert (accounting.security, accounting.account) == (Security.TLS_IF_AVAILABLE, "DEPT42")
    assert (accounting.password_mode, accounting.server_type) == (PasswordMode.SAVED, ServerType.AUTO)
    mirror = sites["Old mirror"]
    assert (mirror.security, mirror.user, mirror.password_mode) == (Security.PLAIN, "anonymous", PasswordMode.NONE)
    assert (mirror.server_type, mirror.remote_folder, mirror.notes) == (ServerType.UNIX, "/pub/linux", "Public mirror")


def test_passwords_go_to_the_vault_list_only(imported: FileZillaImport) -> None:
    assert imported.passwords == {"MVS1 LPAR": "Zos!pass1", "Accounting (2)": "acct-pw", "MVS1 LPAR (2)": "pässé"}
    assert "Zos!pass1" not in repr(imported)


def test_skipped_entries_have_reasons(imported: FileZillaImport) -> None:
    assert [(skipped.site, skipped.reason) for skipped in imported.skipped] == [
        ("Test/Deploy SFTP", "SFTP is not FTP or FTPS: tui-ftp does not speak it"),
        ("Test/Backups S3", "Amazon S3 is not FTP or FTPS: tui-ftp does not speak it"),
        ("Test/Half-finished", "no host"),
    ]


def test_notes_explain_what_changed(imported: FileZillaImport) -> None:
    notes = {(note.site, note.message) for note in imported.notes}
    assert ("MVS2 implicit", "the password is protected by FileZilla's master password; you will be asked for it") in notes
    assert ("Partner drop", "25 simultaneous connections lowered to 10") in notes
    assert ("Accounting (2)", "server type VMS has no equivalent; auto-detect") in notes
    assert ("Accounting (2)", "renamed from 'Accounting': that name was taken") in notes
    assert ("MVS1 LPAR (2)", "renamed from 'MVS1 LPAR': that name was taken") in notes


def test_imported_sites_fit_the_store(imported: FileZillaImport, tmp_path: Path) -> None:
    store = SiteStore(tmp_path / "sites.toml")
    store.add_many(imported.profiles)
    assert SiteStore(store.path).profiles() == sorted(
        imported.profiles, key=lambda profile: (profile.folder.casefold(), profile.name.casefold())
    )


def test_doctype_and_entities_are_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n'
        b"<FileZilla3><Servers><Server><Host>&lol2;</Host></Server></Servers></FileZilla3>"
    )
    with pytest.raises(SiteImportError, match="DOCTYPE or entities"):
        parse_filezilla(bomb)
    external = b'<!doctype x SYSTEM "file:///etc/passwd"><FileZilla3><Servers/></FileZilla3>'
    with pytest.raises(SiteImportError, match="unsafe XML"):
        parse_filezilla(external)


def test_malformed_xml_reports_the_line() -> None:
    with pytest.raises(SiteImportError, match=r"sitemanager.xml:3: malformed XML"):
        parse_filezilla(b"<FileZilla3>\n<Servers>\n<Server></Servers>\n</FileZilla3>")


def test_other_xml_or_encoding_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SiteImportError, match="not a FileZilla site manager file"):
        parse_filezilla(b"<html><body/></html>")
    with pytest.raises(SiteImportError, match="not UTF-8"):
        parse_filezilla("<FileZilla3/>".encode("utf-16"))
    with pytest.raises(SiteImportError, match="cannot read"):
        import_filezilla(tmp_path / "missing.xml")


@pytest.mark.parametrize(
    ("encoded", "path"),
    [
        ("1 0", "/"),
        ("1 0 4 home 3 bob", "/home/bob"),
        ("1 0 8 my files 3 web", "/my files/web"),
        ("4 1 . 5 USER1", "'USER1.'"),
        ("4 0 5 USER1 3 JCL", "'USER1.JCL'"),
        ("3 0 2 C: 5 Users", "C:\\Users"),
        ("1 0 9 home", None),
        ("x 0", None),
    ],
)
def test_decode_safe_path(encoded: str, path: str | None) -> None:
    assert decode_safe_path(encoded) == path
