"""The site editor: one tab per section, a widget per profile field, problems shown beside fields.

Widgets are generated from :data:`~.site_form_model.FIELD_SPECS` (Input for text and numbers,
Select for choices, Checkbox for switches, TextArea for lists); the General tab is laid out by hand
so the seed's toggles fit on the first screen at 80x24. Every edit re-reads all widgets into a
:class:`~.site_form_model.FormState` (validated) and posts :class:`SiteForm.Changed`; "dirty" is a
comparison with the profile last loaded, so it cannot drift from what the widgets show.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, RadioButton, RadioSet, Select, Static, TabbedContent, TabPane, Tabs, TextArea

from ...engine.options import CCCMode, DataMode, Security
from ...sites import PasswordMode, SiteProfile, ValidationProblem
from .._css import css_beside
from .site_form_model import (
    CCC_TOGGLE,
    FIELD_SPECS,
    GENERAL_LABELS,
    PASSIVE_TOGGLE,
    PASSWORD_HELP,
    PROXY_HELP,
    PROXY_LABELS,
    PROXY_TARGETS,
    SECURITY_LABELS,
    TAB_OF_FIELD,
    TABS,
    FieldSpec,
    FormState,
    Kind,
    WidgetValue,
    ccc_from_toggle,
    data_mode_from_toggle,
    display_value,
    form_state,
)

PASSWORD_ID = "field-password"
_TEXT_TYPES = {Kind.INTEGER: "integer", Kind.NUMBER: "number"}
_MULTILINE = (Kind.LINES, Kind.RULES, Kind.NOTES)
_PORT_RANGE_CHARACTERS = r"[0-9 \-]*"
_PASSWORD_PLACEHOLDERS = {
    PasswordMode.SAVED: "type it to save it",
    PasswordMode.ASK: "asked at connect",
    PasswordMode.NETRC: "from ~/.netrc",
    PasswordMode.NONE: "none",
}
_TABS_HELP = ("Sections", "left/right (or 1-6 outside a text field) switch between the sections of the site.")


def field_id(name: str) -> str:
    return f"field-{name}"


def _field_name(widget: Widget) -> str | None:
    """The field (or proxy, or "password") a widget or one of its ancestors edits."""
    for node in (widget, *widget.ancestors):
        node_id = getattr(node, "id", None) or ""
        if node_id.startswith("field-"):
            return node_id.removeprefix("field-")
    return None


def field_widget(spec: FieldSpec) -> Widget:
    """The widget that edits ``spec``'s field (its id is ``field-<name>``)."""
    kind, name = spec.kind, spec.name
    if kind is Kind.SWITCH:
        return Checkbox(spec.info.label, compact=True, id=field_id(name))
    if kind is Kind.CHOICE:
        return Select(spec.choices, allow_blank=False, compact=True, id=field_id(name))
    if kind in _MULTILINE:
        return TextArea(compact=True, id=field_id(name), classes="field-lines", soft_wrap=kind is Kind.NOTES)
    restrict = _PORT_RANGE_CHARACTERS if kind is Kind.PORT_RANGE else None
    return Input(
        placeholder=spec.placeholder,
        type=_TEXT_TYPES.get(kind, "text"),  # type: ignore[arg-type]
        restrict=restrict,
        compact=True,
        id=field_id(name),
    )


def _message(name: str, variant: str = "") -> Static:
    """The line under a field that shows its problems (hidden while there is none)."""
    suffix = f"-{variant}" if variant else ""
    message = Static("", classes="field-message", id=f"message-{name}{suffix}", markup=False)
    message.display = False
    return message


def _label(text: str) -> Label:
    return Label(text, classes="field-label", markup=False)


class SiteForm(Vertical):
    """Every field of a :class:`SiteProfile`, in tabs."""

    DEFAULT_CSS = css_beside(__file__)

    class Changed(Message):
        """The widgets describe another profile (an edit, or a load)."""

        def __init__(self, form: SiteForm, state: FormState, dirty: bool) -> None:
            super().__init__()
            self.form = form
            self.state = state
            self.dirty = dirty

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._baseline = SiteProfile()
        self._state = FormState(self._baseline, ())
        self._widgets: dict[str, Widget] = {}
        self._messages: list[Static] = []
        self._message_texts: dict[Static, str] = {}
        self._password_saved = False  # the vault holds a password for the loaded site

    # == building ===================================================================================
    def compose(self) -> ComposeResult:
        with TabbedContent(id="site-tabs"):
            with TabPane(TABS[0].title, id=f"tab-{TABS[0].key}"), VerticalScroll(classes="form-page"):
                yield from self._general()
            for tab in TABS[1:]:
                with TabPane(tab.title, id=f"tab-{tab.key}"), VerticalScroll(classes="form-page"):
                    for name in tab.fields:
                        yield from self._row(FIELD_SPECS[name])

    def _row(self, spec: FieldSpec) -> ComposeResult:
        tall = " -tall" if spec.kind in _MULTILINE else ""
        with Horizontal(classes="field-row" + tall):
            yield _label("" if spec.kind is Kind.SWITCH else spec.info.label)
            yield field_widget(spec)
        yield _message(spec.name)

    def _general(self) -> ComposeResult:
        """Name, host and login, then the seed's security toggles, all on the first screen."""
        for name in ("name", "folder"):
            yield from self._row(FIELD_SPECS[name])
        with Horizontal(classes="field-row"):
            yield _label(FIELD_SPECS["host"].info.label)
            yield field_widget(FIELD_SPECS["host"])
            yield Label("Port", classes="inline-label")
            yield field_widget(FIELD_SPECS["port"])
        yield _message("host")
        yield _message("port")
        yield from self._row(FIELD_SPECS["user"])
        with Horizontal(classes="field-row"):
            yield _label(FIELD_SPECS["password_mode"].info.label)
            yield field_widget(FIELD_SPECS["password_mode"])
            yield Input(password=True, compact=True, id=PASSWORD_ID)
        yield _message("password_mode")
        with Horizontal(classes="field-row -radio"):
            yield _label(FIELD_SPECS["security"].info.label)
            with RadioSet(compact=True, id=field_id("security")):
                for value, label in SECURITY_LABELS.items():
                    yield RadioButton(label, id=f"security-{value}")
        yield _message("security")
        yield from self._toggle_row(CCC_TOGGLE, PASSIVE_TOGGLE)
        yield _message("ccc", "general")
        yield _message("data_mode", "general")
        yield from self._toggle_row("protect_listings", "protect_transfers")
        yield _message("protect_listings", "general")
        yield _message("protect_transfers", "general")

    def _toggle_row(self, *names: str) -> ComposeResult:
        with Horizontal(classes="field-row -toggles"):
            yield _label("")
            for name in names:
                label = PROXY_LABELS.get(name) or GENERAL_LABELS[name]
                yield Checkbox(label, compact=True, id=field_id(name))

    def on_mount(self) -> None:
        self._messages = list(self.query(".field-message").results(Static))
        self.load(self._baseline)

    def _widget(self, name: str) -> Widget:
        """The widget of field (or proxy) ``name``, looked up once."""
        widget = self._widgets.get(name)
        if widget is None:
            widget = self._widgets[name] = self.query_one(f"#{field_id(name)}")
        return widget

    # == reading and writing the widgets ============================================================
    @property
    def state(self) -> FormState:
        """The profile the widgets describe, validated (as of the last edit)."""
        return self._state

    @property
    def baseline(self) -> SiteProfile:
        """The profile last loaded (what "dirty" compares against)."""
        return self._baseline

    @property
    def typed_password(self) -> str:
        return self.query_one(f"#{PASSWORD_ID}", Input).value

    @property
    def dirty(self) -> bool:
        return self._state.profile != self._baseline or bool(self.typed_password)

    def load(self, profile: SiteProfile, *, saved_password: bool = False) -> None:
        """Show ``profile`` and make it the unmodified state; the password field is cleared."""
        self._baseline = profile
        self._password_saved = saved_password
        self.query_one(f"#{PASSWORD_ID}", Input).value = ""
        self.show(profile)
        self._state = FormState(profile, ())

    def show(self, profile: SiteProfile) -> None:
        """Put ``profile``'s values into the widgets (the baseline stays: the form becomes dirty)."""
        for name, spec in FIELD_SPECS.items():
            self._set_widget(name, display_value(spec, getattr(profile, name)))
        self._set_widget(CCC_TOGGLE, profile.ccc is not CCCMode.OFF)
        self._set_widget(PASSIVE_TOGGLE, profile.data_mode.passive)
        self._set_widget("protect_listings", profile.protect_listings)
        self._set_widget("protect_transfers", profile.protect_transfers)
        self._sync_password_field(profile.password_mode)
        self.call_after_refresh(self.revalidate)

    def raw_values(self) -> dict[str, WidgetValue]:
        """Every field's widget value, by field name."""
        return {name: self._widget_value(name) for name in FIELD_SPECS}

    def _set_widget(self, name: str, value: WidgetValue) -> None:
        if name == "security":
            self.query_one(f"#security-{value}", RadioButton).value = True
            return
        widget = self._widget(name)
        if isinstance(widget, TextArea):
            if widget.text != value:
                widget.load_text(str(value))
        elif isinstance(widget, (Input, Select)):
            widget.value = str(value)
        elif isinstance(widget, Checkbox):
            widget.value = bool(value)

    def _widget_value(self, name: str) -> WidgetValue:
        if name == "security":
            radio_set = self._widget("security")
            pressed = radio_set.pressed_button if isinstance(radio_set, RadioSet) else None
            return (pressed.id or "").removeprefix("security-") if pressed else Security.EXPLICIT_TLS.value
        widget = self._widget(name)
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Checkbox):
            return widget.value
        if isinstance(widget, Select):
            value = widget.value
            return "" if value is Select.NULL else str(value)
        return str(widget.value) if isinstance(widget, Input) else ""

    # == reacting to edits ==========================================================================
    def revalidate(self) -> None:
        """Read the widgets, check the profile, show the problems, tell the screen."""
        self._state = form_state(self._baseline, self.raw_values())
        self._show_problems(self._state.problems)
        self.post_message(self.Changed(self, self._state, self.dirty))

    def _show_problems(self, problems: Iterable[ValidationProblem]) -> None:
        """Update only the messages and highlights that change (each update costs a layout)."""
        by_field: dict[str, list[ValidationProblem]] = {}
        for problem in problems:
            by_field.setdefault(problem.field, []).append(problem)
        for message in self._messages:
            field = (message.id or "").removeprefix("message-").removesuffix("-general")
            self._show_field_problems(message, by_field.get(field, []))
        for name in FIELD_SPECS:
            has_error = any(problem.is_error for problem in by_field.get(name, []))
            widget = self._widget(name)
            if widget.has_class("-problem") != has_error:
                widget.set_class(has_error, "-problem")

    def _show_field_problems(self, message: Static, problems: list[ValidationProblem]) -> None:
        text = "\n".join(("✗ " if problem.is_error else "⚠ ") + problem.message for problem in problems)
        if self._message_texts.get(message) == text:
            return
        self._message_texts[message] = text
        message.update(text)
        message.display = bool(problems)
        message.set_class(any(problem.is_error for problem in problems), "-error")

    @on(Input.Changed)
    @on(Select.Changed)
    @on(RadioSet.Changed)
    @on(TextArea.Changed)
    def _edited(self, event: Message) -> None:
        event.stop()
        if isinstance(event, Select.Changed):
            self._select_changed(event)
        self.revalidate()

    @on(Checkbox.Changed)
    def _toggled(self, event: Checkbox.Changed) -> None:
        event.stop()
        name = _field_name(event.checkbox)
        if name in PROXY_TARGETS:
            self._proxy_toggled(name, event.value)
        self.revalidate()

    def _proxy_toggled(self, name: str, on: bool) -> None:
        """Keep ccc / data_mode in step with the General tab's CCC and Passive toggles."""
        target = PROXY_TARGETS[name]
        current = str(self._widget_value(target))
        if name == CCC_TOGGLE:
            wanted = ccc_from_toggle(on, CCCMode(current)).value
        else:
            wanted = data_mode_from_toggle(on, DataMode(current)).value
        if wanted != current:
            self._set_widget(target, wanted)

    def _select_changed(self, event: Select.Changed) -> None:
        name = _field_name(event.select)
        value = str(event.value)
        if name == "ccc":
            self._set_widget(CCC_TOGGLE, value != CCCMode.OFF.value)
        elif name == "data_mode":
            self._set_widget(PASSIVE_TOGGLE, DataMode(value).passive)
        elif name == "password_mode":
            self._sync_password_field(PasswordMode(value))

    def _sync_password_field(self, mode: PasswordMode) -> None:
        """The password can be typed only when it is to be saved in the vault."""
        password = self.query_one(f"#{PASSWORD_ID}", Input)
        password.disabled = mode is not PasswordMode.SAVED
        saved = mode is PasswordMode.SAVED and self._password_saved
        password.placeholder = "saved: type to replace" if saved else _PASSWORD_PLACEHOLDERS[mode]

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter in a field moves on, as tab does."""
        event.stop()
        self.screen.focus_next()

    # == navigation and help ========================================================================
    def focus_field(self, name: str) -> None:
        """Show the tab of field ``name`` and put the cursor in it."""
        tab = TAB_OF_FIELD.get(name)
        if tab is not None:
            self.query_one(TabbedContent).active = f"tab-{tab.key}"
        self._widget(name).focus()

    def show_tab(self, index: int) -> None:
        if 0 <= index < len(TABS):
            self.query_one(TabbedContent).active = f"tab-{TABS[index].key}"

    def help_for(self, widget: Widget) -> tuple[str, str] | None:
        """(label, help text) of the field ``widget`` edits; None when it edits none."""
        name = _field_name(widget)
        if name is None:
            return _TABS_HELP if isinstance(widget, Tabs) else None
        if name == "password":
            return ("Password", PASSWORD_HELP)
        if name in PROXY_HELP:
            return (PROXY_LABELS[name], PROXY_HELP[name])
        spec = FIELD_SPECS.get(name)
        return (spec.info.label, spec.info.help) if spec else None

    def apply(self, profile: SiteProfile) -> None:
        """Show ``profile`` as an edit of the loaded one (e.g. the connection doctor's suggestion)."""
        self.show(dataclasses.replace(profile, name=self._state.profile.name, folder=self._state.profile.folder))
