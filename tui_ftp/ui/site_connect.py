"""Turn a saved site into a :class:`ConnectRequest`: the profile, its password, its folders.

The password comes from the vault, ``~/.netrc``, nothing, or the user (``ask``). Prompts are the
caller's business: :func:`site_request` takes callables that ask for the master password or the
site password (the app shows dialogs; tests pass lambdas).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from ..sites.credentials import password_for
from ..sites.errors import WrongMasterPassword
from ..sites.profile import SiteProfile
from ..sites.secrets import Vault
from ..sites.store import SiteStore
from .messages import ConnectRequest

Ask = Callable[[str], Awaitable[str | None]]  # prompt text → the answer, None when cancelled


async def site_request(name: str, ask_password: Ask, ask_master: Ask, store: SiteStore | None = None, vault: Vault | None = None) -> ConnectRequest | None:
    """The request for site ``name``; None when the user cancelled a prompt. SiteError on bad sites."""
    profile = (store or SiteStore()).get(name)
    vault = vault if vault is not None else Vault()
    lookup = password_for(profile, vault)
    if lookup.needs_prompt and lookup.reason == "the password vault is locked":
        if not await _unlock(vault, ask_master):
            return None
        lookup = password_for(profile, vault)
    password = lookup.password
    if password is None:
        password = await ask_password(f"Password for {profile.user or 'anonymous'}@{profile.host} ({lookup.reason})")
        if password is None:
            return None
    return request_for_profile(profile, password, lookup.user)


def request_for_profile(profile: SiteProfile, password: str, user: str = "") -> ConnectRequest:
    options = profile.to_connect_options(password)
    if user:
        options = options.with_changes(user=user)
    return ConnectRequest(
        options,
        path=profile.remote_folder,
        title=profile.name,
        parallel=profile.parallel_transfers,
        local_path=profile.local_folder,
        transfer_type_for=profile.transfer_type_for,
    )


async def _unlock(vault: Vault, ask_master: Ask) -> bool:
    for attempt in range(3):
        master = await ask_master("Master password (unlocks saved passwords)" + (" — try again" if attempt else ""))
        if master is None:
            return False
        try:
            vault.unlock(master)
            return True
        except WrongMasterPassword:
            continue
    return False
