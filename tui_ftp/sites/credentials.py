"""Where a site's password comes from at connect time: vault, ~/.netrc, nothing, or a prompt."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .netrc import netrc_credentials
from .profile import PasswordMode, SiteProfile
from .secrets import Vault


@dataclass(frozen=True)
class PasswordLookup:
    """``password`` None means: ask the user (``reason`` says why, for the prompt's text).

    ``user`` is the login to use when it differs from the profile's (a netrc entry for a site
    left at "anonymous"), else ``""``.
    """

    password: str | None = field(repr=False)
    source: str  # "vault" | "netrc" | "none" | "prompt"
    reason: str = ""
    user: str = ""

    @property
    def needs_prompt(self) -> bool:
        return self.password is None


def password_for(profile: SiteProfile, vault: Vault | None = None, netrc_path: Path | None = None) -> PasswordLookup:
    """Resolve the password of ``profile`` without prompting.

    "saved" falls back to a prompt when there is no vault, it is locked, or it holds nothing for
    the site (so a site saved on another machine still connects). A broken ``.netrc`` raises
    :class:`~tui_ftp.sites.errors.NetrcError`.
    """
    mode = profile.password_mode
    if mode is PasswordMode.NONE:
        return PasswordLookup("", "none")
    if mode is PasswordMode.NETRC:
        return _from_netrc(profile, netrc_path)
    if mode is PasswordMode.SAVED:
        return _from_vault(profile, vault)
    return PasswordLookup(None, "prompt", "this site asks for its password at every connect")


def _from_vault(profile: SiteProfile, vault: Vault | None) -> PasswordLookup:
    if vault is None or not vault.exists:
        return PasswordLookup(None, "prompt", "no password vault yet")
    if not vault.is_unlocked:
        return PasswordLookup(None, "prompt", "the password vault is locked")
    password = vault.get(profile.name)
    if password is None:
        return PasswordLookup(None, "prompt", f"no saved password for {profile.name!r}")
    return PasswordLookup(password, "vault")


def _from_netrc(profile: SiteProfile, netrc_path: Path | None) -> PasswordLookup:
    wanted_user = profile.user if profile.user not in ("", "anonymous") else None
    found = netrc_credentials(profile.host.strip(), wanted_user, netrc_path)
    if found is None or not found.password:
        return PasswordLookup(None, "prompt", f"no .netrc entry for {profile.host.strip()!r}")
    user = found.login if found.login != profile.user else ""
    return PasswordLookup(found.password, "netrc", user=user)
