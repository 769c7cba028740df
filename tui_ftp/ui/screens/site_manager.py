"""The site manager: saved sites in a tree, the chosen one in a form; connect, test and organise.

Push it and wait for a :class:`ConnectRequest` (or None when the user closed it)::

    app.push_screen(SiteManagerScreen(), callback)        # the default store and vault
    request = await app.push_screen_wait(SiteManagerScreen(store, vault, select="Prod"))

Keys (shown in the Footer; the letters act when no text field has the cursor):

| Key | Action |
| :- | :- |
| ctrl+o, c, enter on a site | Connect (a valid edit is saved first) |
| ctrl+s | Save the form |
| ctrl+t, t | Test the connection (connection doctor), then apply its suggestions |
| ctrl+n, n | New site (in the folder under the cursor) |
| f | New folder |
| d | Duplicate the site under the cursor |
| delete, x | Delete the site or empty folder under the cursor (asks first) |
| i | Import FileZilla's sitemanager.xml |
| e | Export the sites to a TOML file |
| 1-6 | Show a section of the form |
| escape | Close |

Passwords never touch ``sites.toml``: a password typed in the form is stored in the encrypted
vault (after the master password dialog), "ask" prompts at connect time. The screen is modal so
the main screen's single-letter keys cannot fire while it is open.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Static, Tree
from textual.widgets.tree import TreeNode

from ...display import plural, safe_text
from ...sites import (
    FileZillaImport,
    FolderNode,
    PasswordMode,
    SiteError,
    SiteProfile,
    SiteStore,
    Vault,
    import_filezilla,
    password_for,
)
from ..messages import ConnectRequest as AppConnectRequest
from ..site_connect import request_for_profile
from .dialogs import ConfirmScreen, PromptScreen
from .master_password import MasterPasswordScreen
from .site_form import SiteForm
from .site_form_model import TABS, FormState, apply_suggestion, problem_text
from .site_form_reports import LinesScreen, ProbeScreen

NEW_SITE_NAME = "New site"
_TREE_HELP = (
    "Sites",
    (
        "up/down choose a site, enter connects, n new site, f new folder, d duplicate, del delete, "
        "i import FileZilla, e export; tab moves into the form."
    ),
)
_FILEZILLA_FILES = ("~/.config/filezilla/sitemanager.xml", "~/.filezilla/sitemanager.xml")


@dataclass(frozen=True)
class ConnectRequest(AppConnectRequest):
    """The app's connect request, plus the saved site it came from."""

    profile: SiteProfile | None = None


def connect_request(profile: SiteProfile, password: str, user: str = "") -> ConnectRequest:
    """The request for ``profile`` with its resolved ``password`` (``user``: a netrc login override)."""
    base = request_for_profile(profile, password, user)
    return ConnectRequest(**{item.name: getattr(base, item.name) for item in fields(base)}, profile=profile)


# == the tree =======================================================================================


@dataclass(frozen=True)
class TreeFolder:
    path: str  # "" = the top level


@dataclass(frozen=True)
class TreeSite:
    name: str
    folder: str


TreeItem = TreeFolder | TreeSite


class SiteTree(Tree[TreeItem]):
    """Folders and sites; enter on a site asks to connect (enter on a folder opens or closes it)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "choose", "Connect", show=False)]

    class Chosen(Message):
        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def fill(self, root: FolderNode) -> None:
        """Show the store's folder tree, every folder open."""
        self.clear()
        self._add_branch(self.root, root)
        self.root.expand_all()

    def _add_branch(self, node: TreeNode[TreeItem], folder: FolderNode) -> None:
        for child in folder.folders:
            branch = node.add(Text(safe_text(child.name) + "/"), data=TreeFolder(child.path), expand=True)
            self._add_branch(branch, child)
        for profile in folder.sites:
            node.add_leaf(Text(safe_text(profile.name)), data=TreeSite(profile.name, profile.folder))

    def find(self, wanted: Callable[[TreeItem], bool]) -> TreeNode[TreeItem] | None:
        """The first node (depth first) whose data matches."""
        stack = list(reversed(self.root.children))
        while stack:
            node = stack.pop()
            if node.data is not None and wanted(node.data):
                return node
            stack.extend(reversed(node.children))
        return None

    @property
    def current(self) -> TreeItem | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def action_choose(self) -> None:
        item = self.current
        if isinstance(item, TreeSite):
            self.post_message(self.Chosen(item.name))
        else:
            self.action_select_cursor()


def _same_name(first: str | None, second: str | None) -> bool:
    return first is not None and second is not None and first.casefold() == second.casefold()


def _site_named(name: str) -> Callable[[TreeItem], bool]:
    return lambda item: isinstance(item, TreeSite) and _same_name(item.name, name)


def _folder_at(path: str) -> Callable[[TreeItem], bool]:
    return lambda item: isinstance(item, TreeFolder) and item.path == path


# == the screen =====================================================================================


def _binding(keys: str, action: str, description: str, *, show: bool = True, display: str | None = None) -> Binding:
    return Binding(keys, action, description, show=show, key_display=display)


class SiteManagerScreen(ModalScreen[ConnectRequest | None]):
    """Saved sites: browse, edit, validate, test and connect. See the module docstring for keys."""

    CSS_PATH = "site_manager.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        _binding("ctrl+o,c", "connect", "Connect", display="^o"),
        _binding("ctrl+s", "save", "Save", display="^s"),
        _binding("ctrl+t,t", "test", "Test", display="^t"),
        _binding("ctrl+n,n", "new_site", "New", display="^n"),
        _binding("f", "new_folder", "Folder"),
        _binding("d", "duplicate", "Dup"),
        _binding("delete,x", "delete", "Del", display="del"),
        _binding("i", "import_sites", "Import"),
        _binding("e", "export_sites", "Export"),
        _binding("escape", "close", "Close", display="esc"),
        *(_binding(str(index + 1), f"show_tab({index})", tab.title, show=False) for index, tab in enumerate(TABS)),
    ]

    def __init__(self, store: SiteStore | None = None, vault: Vault | None = None, *, select: str | None = None) -> None:
        super().__init__()
        self._open_errors: list[SiteError] = []
        self.store: SiteStore | None = store if store is not None else self._open(SiteStore)
        self.vault: Vault | None = vault if vault is not None else self._open(Vault)
        self._select = select
        self._editing: str | None = None  # the stored site in the form; None = a new, unsaved site
        self._problems_shown = ""

    def _open(self, kind: Callable[[], Any]) -> Any:
        """The default store or vault; None (reported on mount) when its file is damaged."""
        try:
            return kind()
        except SiteError as error:
            self._open_errors.append(error)
            return None

    # == building ===================================================================================
    def compose(self) -> ComposeResult:
        with Horizontal(id="sm-body"):
            tree = SiteTree("Sites", id="sm-tree")
            tree.show_root = False
            tree.border_title = "Sites"
            yield tree
            yield SiteForm(id="sm-form")
        yield Static("", id="sm-problems", markup=False)
        yield Static("", id="sm-help", markup=False)
        yield Footer(show_command_palette=False, compact=True, id="sm-footer")

    def on_mount(self) -> None:
        for error in self._open_errors:
            self.notify(str(error), title=error.title, severity="error", timeout=15)
        if self.store is None:
            self.dismiss(None)
            return
        self._refill()
        start = self.site_tree.find(_site_named(self._select)) if self._select else None
        start = start or self.site_tree.find(lambda item: isinstance(item, TreeSite))
        if start is not None and isinstance(start.data, TreeSite):
            self._load(start.data.name)
            self.call_after_refresh(self.site_tree.move_cursor, start)
        else:
            self._start_new_site("")
        self.site_tree.focus()

    @property
    def site_tree(self) -> SiteTree:
        return self.query_one(SiteTree)

    @property
    def form(self) -> SiteForm:
        return self.query_one(SiteForm)

    @property
    def sites(self) -> SiteStore:
        assert self.store is not None  # the screen dismisses itself on mount without one
        return self.store

    # == tree and form ==============================================================================
    def _refill(self, select: str | None = None, folder: str | None = None) -> None:
        """Rebuild the tree from the store; put the cursor on site ``select`` or ``folder``."""
        self.site_tree.fill(self.sites.tree())
        wanted = _site_named(select) if select else _folder_at(folder) if folder is not None else None
        node = self.site_tree.find(wanted) if wanted else None
        if node is not None:
            self.call_after_refresh(self.site_tree.move_cursor, node)

    def _load(self, name: str) -> None:
        profile = self.sites.get(name)
        self._editing = profile.name
        self.form.load(profile, saved_password=self._has_saved_password(profile.name))

    def _start_new_site(self, folder: str) -> None:
        self._editing = None
        self.form.load(SiteProfile(name=self.sites.unique_name(NEW_SITE_NAME), folder=folder))

    def _has_saved_password(self, name: str) -> bool:
        try:
            return self.vault is not None and name in self.vault
        except SiteError:
            return False

    def _cursor_folder(self) -> str:
        """The folder under the tree cursor (a site's own folder); "" at the top level."""
        item = self.site_tree.current
        if isinstance(item, TreeFolder):
            return item.path
        return item.folder if isinstance(item, TreeSite) else ""

    @on(SiteForm.Changed)
    def _form_changed(self, event: SiteForm.Changed) -> None:
        self._show_title(event.state, event.dirty)
        self._show_problems(event.state)

    def _show_title(self, state: FormState, dirty: bool) -> None:
        name = safe_text(state.profile.name) or "(no name)"
        if self._editing is None:
            title = f"New site: {name} • not saved"
        else:
            title = f"Site: {name}" + (" • modified" if dirty else "")
        if self.form.border_title != title:
            self.form.border_title = title

    def _show_problems(self, state: FormState) -> None:
        line = self.query_one("#sm-problems", Static)
        errors, warnings = len(state.errors), len(state.problems) - len(state.errors)
        text = _problems_summary(state)
        if text != self._problems_shown:  # an update costs a layout: only on change
            self._problems_shown = text
            line.update(text)
        line.set_class(bool(errors), "-error")
        line.set_class(bool(warnings) and not errors, "-warning")

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[TreeItem]) -> None:
        item = event.node.data
        if isinstance(item, TreeSite) and not _same_name(item.name, self._editing):
            self._open_site(item.name)

    @work(group="site-manager")
    async def _open_site(self, name: str) -> None:
        if self.form.dirty and not await self._discard_ok():
            if self._editing is not None and (node := self.site_tree.find(_site_named(self._editing))):
                self.site_tree.move_cursor(node)
            return
        try:
            self._load(name)
        except SiteError as error:
            self._report(error)
            self._refill(self._editing)

    @on(SiteTree.Chosen)
    def _chosen(self, event: SiteTree.Chosen) -> None:
        self.action_connect()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._show_help(event.widget)

    def _show_help(self, widget: Widget) -> None:
        found = _TREE_HELP if isinstance(widget, SiteTree) else self.form.help_for(widget)
        if found is not None:
            label, text = found
            self.query_one("#sm-help", Static).update(Text.assemble((label, "bold"), ": ", text))

    # == actions ====================================================================================
    def action_show_tab(self, index: int) -> None:
        self.form.show_tab(index)

    @work(group="site-manager")
    async def action_new_site(self) -> None:
        if self.form.dirty and not await self._discard_ok():
            return
        self._start_new_site(self._cursor_folder())
        self.form.focus_field("name")

    @work(group="site-manager")
    async def action_new_folder(self) -> None:
        parent = self._cursor_folder()
        where = f"inside {parent}" if parent else "at the top level"
        name = await self.app.push_screen_wait(PromptScreen("New folder", hint=f"A folder {where}; 'A/B' makes two levels.", validate=_folder_problem))
        if name is None:
            return
        try:
            path = self.sites.add_folder(f"{parent}/{name}" if parent else name)
        except SiteError as error:
            self._report(error)
            return
        self._refill(folder=path)

    @work(group="site-manager")
    async def action_duplicate(self) -> None:
        item = self.site_tree.current
        if not isinstance(item, TreeSite):
            self.notify("Put the cursor on a site to duplicate it.", severity="warning")
            return
        try:
            copy = self.sites.duplicate(item.name)
        except SiteError as error:
            self._report(error)
            return
        await self._copy_saved_password(item.name, copy.name)
        self._refill(copy.name)
        self.notify(f"Duplicated as {copy.name}")

    async def _copy_saved_password(self, source: str, target: str) -> None:
        if not self._has_saved_password(source):
            return
        if await self._vault_unlocked(f"Copy the saved password of {source} to {target}?"):
            self._vault_call(lambda vault: vault.set(target, vault.get(source) or ""))
        else:
            self.notify(f"{target} will ask for its password (the saved one was not copied).", severity="warning")

    @work(group="site-manager")
    async def action_delete(self) -> None:
        item = self.site_tree.current
        if isinstance(item, TreeSite):
            await self._delete_site(item.name)
        elif isinstance(item, TreeFolder):
            await self._delete_folder(item.path)

    async def _delete_site(self, name: str) -> None:
        if not await self._confirmed("Delete site", f"Delete the site {name}? Its saved password is deleted too.", "Delete"):
            return
        try:
            removed = self.sites.delete(name)
        except SiteError as error:
            self._report(error)
            return
        if self._has_saved_password(name) and await self._vault_unlocked(f"Remove the saved password of {name}?"):
            self._vault_call(lambda vault: vault.delete(name))
        self.notify(f"Deleted {removed.name}")
        if _same_name(name, self._editing):
            self._start_new_site(removed.folder)
        self._refill(folder=removed.folder)

    async def _delete_folder(self, path: str) -> None:
        if not await self._confirmed("Delete folder", f"Delete the empty folder {path}?", "Delete"):
            return
        try:
            self.sites.delete_folder(path)
        except SiteError as error:
            self._report(error)
            return
        self._refill(folder=path.rpartition("/")[0])

    @work(group="site-manager")
    async def action_save(self) -> None:
        await self._save()

    async def _save(self) -> SiteProfile | None:
        """Save the form (its password into the vault); None when refused or cancelled."""
        state = self.form.state
        if state.errors:
            self._refuse("Not saved", state)
            return None
        profile, password = state.profile, self.form.typed_password
        wants_vault = bool(password) and profile.password_mode is PasswordMode.SAVED
        if wants_vault and not await self._vault_unlocked(f"Save the password of {profile.name} in the vault."):
            self.notify("Not saved: the password can only be kept in the vault.", severity="warning")
            return None
        try:
            saved = self.sites.add(profile) if self._editing is None else self.sites.update(profile, old_name=self._editing)
        except SiteError as error:
            self._report(error)
            return None
        previous, self._editing = self._editing, saved.name
        await self._update_vault(previous, saved, password if wants_vault else "")
        self.form.load(saved, saved_password=self._has_saved_password(saved.name))
        self._refill(saved.name)
        self.notify(f"Saved {saved.name}")
        return saved

    async def _update_vault(self, previous: str | None, saved: SiteProfile, password: str) -> None:
        """Follow a rename, store a typed password, forget one no longer wanted."""
        renamed = previous is not None and not _same_name(previous, saved.name)
        if renamed and self._has_saved_password(previous or "") and await self._vault_unlocked(
            f"Move the saved password of {previous} to {saved.name}?"
        ):
            self._vault_call(lambda vault: vault.rename(previous or "", saved.name))
        if password:
            self._vault_call(lambda vault: vault.set(saved.name, password))
        elif saved.password_mode is not PasswordMode.SAVED and self.vault and self.vault.is_unlocked:
            self._vault_call(lambda vault: vault.delete(saved.name))

    @work(group="site-manager")
    async def action_connect(self) -> None:
        typed, state = self.form.typed_password, self.form.state
        if state.errors:
            self._refuse("Cannot connect", state)
            return
        profile: SiteProfile | None = state.profile
        if self.form.dirty or self._editing is None:
            profile = await self._save()
        if profile is None:
            return
        credentials = await self._credentials(profile, typed)
        if credentials is not None:
            self.dismiss(connect_request(profile, *credentials))

    @work(group="site-manager")
    async def action_test(self) -> None:
        state = self.form.state
        if state.errors:
            self._refuse("Cannot test", state)
            return
        credentials = await self._credentials(state.profile, self.form.typed_password)
        if credentials is None:
            return
        options = connect_request(state.profile, *credentials).options
        suggested = await self.app.push_screen_wait(ProbeScreen(options))
        if suggested is not None:
            self.form.apply(apply_suggestion(self.form.state.profile, suggested))
            self.notify("The suggested settings are in the form: check them, then save (ctrl+s).")

    @work(group="site-manager")
    async def action_import_sites(self) -> None:
        path = await self.app.push_screen_wait(
            PromptScreen(
                "Import FileZilla sites",
                _default_filezilla_file(),
                placeholder="path of sitemanager.xml",
                hint="FileZilla's site list (its File › Export writes one too). Passwords go into the vault.",
                validate=_file_problem,
            )
        )
        if path is None:
            return
        try:
            result = import_filezilla(Path(path).expanduser(), self.sites.names())
            self.sites.add_many(result.profiles)
        except SiteError as error:
            self._report(error)
            return
        kept = await self._keep_imported_passwords(result)
        self._refill(result.profiles[0].name if result.profiles else None)
        await self.app.push_screen_wait(LinesScreen("FileZilla import", _import_summary(path, result, kept)))

    async def _keep_imported_passwords(self, result: FileZillaImport) -> int:
        passwords = result.passwords
        if not passwords or not await self._vault_unlocked(f"Keep the {plural(len(passwords), 'imported password')} in the vault?"):
            return 0
        kept = 0
        for name, password in passwords.items():
            kept += self._vault_call(lambda vault: vault.set(name, password))  # noqa: B023 (called at once)
        return kept

    @work(group="site-manager")
    async def action_export_sites(self) -> None:
        answer = await self.app.push_screen_wait(
            PromptScreen(
                "Export sites",
                str(Path.home() / "tui-ftp-sites.toml"),
                hint="Every site, without passwords (saved ones become 'ask').",
                validate=_export_problem,
            )
        )
        if answer is None:
            return
        target = Path(answer).expanduser()
        if target.exists() and not await self._confirmed("Export sites", f"Replace {target}?", "Replace"):
            return
        try:
            count = self.sites.export(target)
        except SiteError as error:
            self._report(error)
            return
        self.notify(f"Exported {plural(count, 'site')} to {target}")

    @work(group="site-manager")
    async def action_close(self) -> None:
        if self.form.dirty and not await self._discard_ok():
            return
        self.dismiss(None)

    # == passwords ==================================================================================
    async def _credentials(self, profile: SiteProfile, typed: str) -> tuple[str, str] | None:
        """(password, login override) for ``profile``: typed, vault, netrc, or a prompt; None = cancelled."""
        if typed:
            return typed, ""
        try:
            lookup = password_for(profile, self.vault)
            if lookup.needs_prompt and self._vault_would_know(profile) and await self._vault_unlocked(
                f"The password of {profile.name} is in the vault."
            ):
                lookup = password_for(profile, self.vault)
        except SiteError as error:
            self._report(error)
            return None
        if lookup.password is not None:
            return lookup.password, lookup.user
        who = f"{profile.user or 'anonymous'}@{profile.host.strip()}"
        answer = await self.app.push_screen_wait(PromptScreen(f"Password for {who}", hint=lookup.reason, password=True))
        return (answer, "") if answer is not None else None

    def _vault_would_know(self, profile: SiteProfile) -> bool:
        vault = self.vault
        return (
            profile.password_mode is PasswordMode.SAVED
            and vault is not None
            and not vault.is_unlocked
            and self._has_saved_password(profile.name)
        )

    async def _vault_unlocked(self, reason: str) -> bool:
        """True once the vault is unlocked (created if need be), asking for the master password."""
        if self.vault is None:
            self.notify("The password vault cannot be used (see the earlier error).", severity="error")
            return False
        if self.vault.is_unlocked:
            return True
        unlocked: bool = await self.app.push_screen_wait(MasterPasswordScreen(self.vault, reason))
        return unlocked

    def _vault_call(self, change: Callable[[Vault], object]) -> bool:
        """Run a vault change; a failure is reported, never raised."""
        assert self.vault is not None
        try:
            change(self.vault)
        except SiteError as error:
            self._report(error)
            return False
        return True

    # == dialogs and messages =======================================================================
    async def _discard_ok(self) -> bool:
        name = self.form.state.profile.name or "the new site"
        return await self._confirmed("Unsaved changes", f"Discard the changes to {name}?", "Discard")

    async def _confirmed(self, title: str, question: str, verb: str) -> bool:
        """Ask before something that cannot be undone (the focus starts on Cancel)."""
        answer: bool = await self.app.push_screen_wait(ConfirmScreen(title, question, verb, danger=True))
        return answer

    def _refuse(self, what: str, state: FormState) -> None:
        first = state.errors[0]
        self.notify(problem_text(first), title=f"{what}: {plural(len(state.errors), 'error')}", severity="error")
        self.form.focus_field(first.field)

    def _report(self, error: SiteError) -> None:
        self.notify(str(error), title=error.title, severity="error", timeout=10)


# == prompts' checks and texts ========================================================================


def _folder_problem(text: str) -> str | None:
    if not text.strip().strip("/"):
        return "enter a folder name"
    return None


def _file_problem(text: str) -> str | None:
    path = Path(text.strip()).expanduser()
    return None if path.is_file() else f"no such file: {path}"


def _export_problem(text: str) -> str | None:
    path = Path(text.strip()).expanduser()
    if not text.strip():
        return "enter a file name"
    if path.is_dir():
        return f"{path} is a folder: add a file name"
    return None if path.parent.is_dir() else f"no such folder: {path.parent}"


def _default_filezilla_file() -> str:
    for candidate in _FILEZILLA_FILES:
        if Path(candidate).expanduser().is_file():
            return candidate
    appdata = os.environ.get("APPDATA")
    return str(Path(appdata) / "FileZilla" / "sitemanager.xml") if appdata else _FILEZILLA_FILES[0]


def _problems_summary(state: FormState) -> str:
    """``✗ 1 error, 2 warnings: General › Port: ...`` (the first problem), or ``✓ no problems``."""
    if not state.problems:
        return "✓ no problems"
    errors, warnings = len(state.errors), len(state.problems) - len(state.errors)
    counts = [plural(errors, "error")] if errors else []
    counts += [plural(warnings, "warning")] if warnings else []
    return f"{'✗' if errors else '⚠'} {', '.join(counts)}: {problem_text(state.problems[0])}"


def _import_summary(path: str, result: FileZillaImport, kept: int) -> list[str]:
    lines = [f"Imported {plural(len(result.profiles), 'site')} from {path}."]
    if result.passwords:
        lost = len(result.passwords) - kept
        lines.append(f"{plural(kept, 'password')} kept in the vault." + (f" {lost} not kept: those sites ask at connect." if lost else ""))
    lines += [f"Skipped {skipped.site}: {skipped.reason}" for skipped in result.skipped]
    lines += [f"{note.site}: {note.message}" for note in result.notes]
    return lines


__all__ = ["ConnectRequest", "SiteManagerScreen", "SiteTree", "connect_request"]
