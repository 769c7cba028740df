from __future__ import annotations

import stat
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from tests.sites.builders import every_field_changed
from tui_ftp import locations
from tui_ftp.engine.options import Security
from tui_ftp.sites.errors import DuplicateSite, FolderNotEmpty, InvalidSite, SiteFileError, SiteNotFound
from tui_ftp.sites.profile import PasswordMode, SiteProfile
from tui_ftp.sites.store import SiteStore, normalize_folder, read_sites_file

LPAR = SiteProfile(name="LPAR1", folder="Prod/Mainframes", host="mvs1.example.com", user="USER1")
WEB = SiteProfile(name="web", host="web.example.com")


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def store(tmp_path: Path) -> SiteStore:
    return SiteStore(tmp_path / "config" / "sites.toml")


def test_every_field_survives_save_and_load(store: SiteStore, pem_files: dict[str, str], tmp_path: Path) -> None:
    profile = every_field_changed(pem_files, str(tmp_path))
    store.add(profile)
    assert SiteStore(store.path).get(profile.name) == profile


def test_default_profile_survives_save_and_load(store: SiteStore) -> None:
    store.add(WEB)
    assert SiteStore(store.path).profiles() == [WEB]


def test_file_is_readable_toml_with_enum_spellings(store: SiteStore) -> None:
    store.add(replace(LPAR, security=Security.IMPLICIT_CLEAR_GREETING))
    text = store.path.read_text()
    assert text.startswith("# tui-ftp sites.")
    data = tomllib.loads(text)
    assert data["version"] == 1
    assert data["site"][0]["security"] == "implicit-zos"
    assert data["site"][0]["folder"] == "Prod/Mainframes"


def test_default_location_follows_the_env_override(isolated_dirs: Path) -> None:
    SiteStore().add(WEB)
    assert locations.sites_file() == isolated_dirs / "config" / "sites.toml"
    assert locations.sites_file().is_file()
    assert not (isolated_dirs / "home" / ".config").exists()


def test_file_mode_0600_and_folder_0700(store: SiteStore) -> None:
    store.add(WEB)
    assert mode_of(store.path) == 0o600
    assert mode_of(store.path.parent) == 0o700
    assert [path.name for path in store.path.parent.iterdir()] == ["sites.toml"]  # no temp file left


def test_loose_existing_folder_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "loose"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    SiteStore(folder / "sites.toml").add(WEB)
    assert mode_of(folder) == 0o700


def test_broken_toml_reports_file_and_line_and_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "sites.toml"
    damaged = b'version = 1\n\n[[site]]\nname = "LPAR1"\nhost = "mvs1\nport = 21\n'
    path.write_bytes(damaged)
    with pytest.raises(SiteFileError) as caught:
        SiteStore(path)
    assert caught.value.path == path and caught.value.line == 5
    assert str(caught.value).startswith(f"{path}:5: not valid TOML")
    assert path.read_bytes() == damaged


def test_bad_enum_value_reports_its_line(tmp_path: Path) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(
        'version = 1\n\n[[site]]\nname = "ok"\nhost = "a"\n\n[[site]]\nname = "LPAR1"\nhost = "mvs1"\n'
        'security = "tls"\n'
    )
    before = path.read_bytes()
    with pytest.raises(SiteFileError) as caught:
        SiteStore(path)
    assert caught.value.line == 10
    assert "site 'LPAR1': security: unknown value 'tls' (one of: plain, explicit-tls" in str(caught.value)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("port = \"21\"", "port: expected a whole number, got '21'"),
        ("protect_listings = 1", "protect_listings: expected true or false, got 1"),
        ("active_port_range = [1]", "active_port_range: expected [low, high], got [1]"),
        ('transfer_rules = [{ pattern = "*.x", mode = "ebcdic" }]', "rule mode must be ascii or binary"),
        ("site_commands = [1, 2]", "site_commands: expected a list of strings"),
        ('name = "a/b"', "a site name cannot hold '/' or control characters"),
    ],
)
def test_bad_values_are_reported_with_their_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(f'[[site]]\nhost = "h"\n{line}\n' + ('name = "x"\n' if not line.startswith("name") else ""))
    with pytest.raises(SiteFileError) as caught:
        SiteStore(path)
    assert message in str(caught.value)
    assert caught.value.line == 3


def test_duplicate_names_in_the_file_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "sites.toml"
    path.write_text('[[site]]\nname = "LPAR"\nhost = "a"\n\n[[site]]\nhost = "b"\nname = "lpar"\n')
    with pytest.raises(SiteFileError) as caught:
        SiteStore(path)
    assert caught.value.line == 7 and "second site named 'lpar'" in str(caught.value)


def test_newer_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sites.toml"
    path.write_text("version = 7\n")
    with pytest.raises(SiteFileError, match="newer tui-ftp") as caught:
        SiteStore(path)
    assert caught.value.line == 1


def test_file_damaged_after_loading_is_not_overwritten(store: SiteStore) -> None:
    store.add(WEB)
    damaged = store.path.read_bytes().replace(b'security = "explicit-tls"', b'security = "bogus"')
    store.path.write_bytes(damaged)
    with pytest.raises(SiteFileError, match="bogus"):
        store.add(LPAR)
    with pytest.raises(SiteFileError):
        store.delete("web")
    assert store.path.read_bytes() == damaged


def test_unknown_keys_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "sites.toml"
    path.write_text('theme = "dark"\n\n[[site]]\nname = "LPAR"\nhost = "a"\ncolour = "red"\n')
    store = SiteStore(path)
    store.update(replace(store.get("LPAR"), host="b"))
    store.rename("LPAR", "LPAR-A")
    data = tomllib.loads(path.read_text())
    assert data["theme"] == "dark"
    assert data["site"][0]["colour"] == "red" and data["site"][0]["host"] == "b"


def test_hand_written_minimal_site_takes_defaults(tmp_path: Path) -> None:
    path = tmp_path / "sites.toml"
    path.write_text('[[site]]\nname = "Mirror"\nhost = "ftp.example.org"\nsecurity = "plain"\n')
    assert SiteStore(path).get("mirror") == SiteProfile(name="Mirror", host="ftp.example.org", security=Security.PLAIN)


def test_add_get_and_duplicate_names(store: SiteStore) -> None:
    store.add(LPAR)
    assert store.get("lpar1") == LPAR and "LPAR1" in store and len(store) == 1
    with pytest.raises(DuplicateSite):
        store.add(replace(WEB, name="lpar1"))
    with pytest.raises(SiteNotFound, match="no site named 'nope'"):
        store.get("nope")
    assert store.find("nope") is None


def test_names_are_checked_and_folders_normalized(store: SiteStore) -> None:
    with pytest.raises(InvalidSite):
        store.add(replace(WEB, name=" "))
    with pytest.raises(InvalidSite):
        store.add(replace(WEB, name="a/b"))
    saved = store.add(replace(WEB, name="  web  ", folder="/Prod//Web/ "))
    assert (saved.name, saved.folder) == ("web", "Prod/Web")
    assert normalize_folder(" a / b ") == "a/b"


def test_update_rename_move_duplicate_delete(store: SiteStore) -> None:
    store.add_many([LPAR, WEB])
    store.update(replace(LPAR, host="mvs9.example.com"))
    assert store.get("LPAR1").host == "mvs9.example.com"
    store.update(replace(LPAR, name="LPAR9", port=2121), old_name="LPAR1")
    assert "LPAR1" not in store and store.get("LPAR9").port == 2121
    with pytest.raises(DuplicateSite):
        store.rename("LPAR9", "WEB")
    store.rename("LPAR9", "lpar9")  # a change of case only is allowed
    assert store.get("LPAR9").name == "lpar9"
    store.move("web", "Test")
    copy = store.duplicate("web")
    again = store.duplicate("web")
    assert (copy.name, copy.folder, again.name) == ("web (copy)", "Test", "web (copy) (2)")
    assert store.delete("WEB") == replace(WEB, folder="Test")
    reloaded = SiteStore(store.path)
    assert reloaded.names() == ["lpar9", "web (copy)", "web (copy) (2)"]


def test_add_many_is_all_or_nothing(store: SiteStore) -> None:
    store.add(WEB)
    with pytest.raises(DuplicateSite):
        store.add_many([LPAR, replace(WEB, host="other")])
    assert SiteStore(store.path).names() == ["web"]


def test_folder_tree(store: SiteStore) -> None:
    store.add_many([LPAR, WEB, replace(WEB, name="dev", folder="Test")])
    store.add_folder("Archive/2024")
    assert store.folders() == ["Archive", "Archive/2024", "Prod", "Prod/Mainframes", "Test"]
    tree = store.tree()
    assert [site.name for site in tree.sites] == ["web"]
    assert [folder.name for folder in tree.folders] == ["Archive", "Prod", "Test"]
    shape = {node.path: [site.name for site in node.sites] for node in tree.walk()}
    assert shape == {"": ["web"], "Archive": [], "Archive/2024": [], "Prod": [], "Prod/Mainframes": ["LPAR1"], "Test": ["dev"]}
    assert SiteStore(store.path).folders() == store.folders()  # the empty folder was saved


def test_rename_and_delete_folder(store: SiteStore) -> None:
    store.add_many([LPAR, replace(WEB, folder="Prod")])
    store.add_folder("Prod/Empty")
    store.rename_folder("Prod", "Archive/Prod")
    assert store.get("LPAR1").folder == "Archive/Prod/Mainframes"
    assert store.get("web").folder == "Archive/Prod"
    assert "Archive/Prod/Empty" in store.folders()
    with pytest.raises(InvalidSite):
        store.rename_folder("Archive", "Archive/Prod/x")
    with pytest.raises(FolderNotEmpty):
        store.delete_folder("Archive")
    store.delete_folder("Archive/Prod/Empty")
    assert "Archive/Prod/Empty" not in SiteStore(store.path).folders()


def test_two_stores_on_one_file_merge_their_changes(store: SiteStore) -> None:
    other = SiteStore(store.path)
    store.add(LPAR)
    other.add(WEB)  # re-reads the file first, so LPAR1 is kept
    assert SiteStore(store.path).names() == ["web", "LPAR1"]
    assert store.names() == ["web", "LPAR1"]


def test_export_has_no_password_mode_saved(store: SiteStore, tmp_path: Path) -> None:
    store.add_many([replace(LPAR, password_mode=PasswordMode.SAVED), replace(WEB, password_mode=PasswordMode.NETRC)])
    target = tmp_path / "export" / "sites.toml"
    assert store.export(target, ["LPAR1"]) == 1
    exported = read_sites_file(target)
    assert exported == [replace(LPAR, password_mode=PasswordMode.ASK)]
    assert store.export(target) == 2
    assert {profile.name: profile.password_mode for profile in read_sites_file(target)} == {
        "LPAR1": PasswordMode.ASK,
        "web": PasswordMode.NETRC,
    }


def test_read_sites_file_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SiteFileError, match="file not found"):
        read_sites_file(tmp_path / "none.toml")
