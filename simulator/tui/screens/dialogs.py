"""Small modal screens: identity, yes/no confirmation, help."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, Static

from simulator.tui.base import literal, localize_bindings
from simulator.tui.i18n import language, t

__all__ = ["ConfirmScreen", "HelpScreen", "IdentityScreen", "key_rows"]

_FIELDS = ("nom", "prenom", "organisation", "session")


class IdentityScreen(ModalScreen[dict[str, str]]):
    """First start (or each browser tab): who is training; an unknown session code is refused here."""

    BINDINGS = [Binding("escape", "app.quit", "key.quit")]
    HELP = "help.identity"

    def __init__(self, session_known: Callable[[str], bool] | None = None, initial: dict[str, str] | None = None) -> None:
        super().__init__()
        localize_bindings(self)
        self.session_known = session_known or (lambda code: True)
        self.initial = initial or {}

    def compose(self) -> ComposeResult:
        with Vertical(id="identity-box"):
            yield Label(t("identity.title"), classes="title")
            yield Static(t("identity.intro"), classes="muted")
            for name in _FIELDS:
                yield Label(t(f"identity.{name}"), classes="field-label")
                yield Input(
                    value=self.initial.get(name, ""),
                    placeholder=t(f"identity.{name}.placeholder"),
                    id=f"id-{name}",
                    max_length=120,
                    compact=True,
                )
            yield Static("", id="identity-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(t("identity.save"), variant="primary", id="identity-save")

    def on_mount(self) -> None:
        self.query_one("#id-nom", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        order = [f"id-{name}" for name in _FIELDS]
        current = event.input.id or ""
        if current in order[:-1]:
            self.query_one(f"#{order[order.index(current) + 1]}", Input).focus()
        else:
            self._save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "identity-save":
            self._save()

    def _save(self) -> None:
        values = {name: " ".join(self.query_one(f"#id-{name}", Input).value.split()) for name in _FIELDS}
        error = self.query_one("#identity-error", Static)
        missing = [name for name in ("nom", "prenom", "organisation") if not values[name]]
        if missing:
            error.update(t("identity.missing"))
            self.query_one(f"#id-{missing[0]}", Input).focus()
            return
        if values["session"] and not self.session_known(values["session"]):
            error.update(literal(t("identity.unknown_session", code=values["session"])))
            self.query_one("#id-session", Input).focus()
            return
        self.dismiss(values)


class ConfirmScreen(ModalScreen[bool | None]):
    """A question with two answers; Esc closes without choosing (None).

    ``default_yes`` puts the focus on the first answer, so Enter chooses it.
    """

    BINDINGS = [Binding("escape", "close", "key.back"), Binding("y,o", "answer(True)", show=False)]

    def __init__(
        self,
        question: str,
        *,
        yes: str | None = None,
        no: str | None = None,
        default_yes: bool = False,
        yes_variant: str = "error",
        no_variant: str = "primary",
    ) -> None:
        super().__init__()
        localize_bindings(self)
        self.question = question
        self.labels = (yes or t("confirm.yes"), no or t("confirm.no"))
        self.variants = (yes_variant, no_variant)
        self.default_yes = default_yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.question))
            with Horizontal(classes="buttons"):
                yield Button(self.labels[0], variant=self.variants[0], id="yes")  # type: ignore[arg-type]
                yield Button(self.labels[1], variant=self.variants[1], id="no")  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.query_one("#yes" if self.default_yes else "#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    def action_close(self) -> None:
        self.dismiss(None)


_KEY_NAMES = {
    "escape": ("Échap", "Esc"),
    "enter": ("Entrée", "Enter"),
    "pageup": ("PgPréc", "PgUp"),
    "pagedown": ("PgSuiv", "PgDn"),
    "tab": ("Tab", "Tab"),
    "space": ("Espace", "Space"),
    "up": ("↑", "↑"),
    "down": ("↓", "↓"),
    "left": ("←", "←"),
    "right": ("→", "→"),
    "ctrl": ("Ctrl", "Ctrl"),
    "shift": ("Maj", "Shift"),
    "alt": ("Alt", "Alt"),
    "super": ("Super", "Super"),
}

_TEXTUAL_ACTIONS = {
    "focus_next": "key.focus_next",
    "focus_previous": "key.focus_previous",
    "screen.copy_text": "key.copy",
    "command_palette": "key.palette",
}
"""Keys Textual itself binds, described in the interface language."""


def key_label(key: str) -> str:
    """« ctrl+q » → « Ctrl+Q », « pageup » → « PgPréc » (or « PgUp »), « f3 » → « F3 »."""
    index = 0 if language() == "fr" else 1
    parts = key.split("+")
    shown = [_KEY_NAMES[p][index] if p in _KEY_NAMES else p for p in parts[:-1]]
    last = parts[-1]
    if last in _KEY_NAMES:
        shown.append(_KEY_NAMES[last][index])
    elif len(last) > 1 and last[0] == "f" and last[1:].isdigit():
        shown.append(last.upper())
    else:
        shown.append(last.upper() if len(parts) > 1 else last)
    return "+".join(shown)


def key_rows(screen: Screen[Any]) -> list[tuple[str, str]]:
    """(keys, what they do) for every key active on ``screen``: its own first, then the app's."""
    rows: dict[str, tuple[list[str], str]] = {}
    for node in (screen, screen.app):
        for key, bindings in node._bindings.key_to_bindings.items():
            for binding in bindings:
                action = binding.action.removeprefix("app.")
                description = binding.description or ""
                if action in _TEXTUAL_ACTIONS:
                    description = t(_TEXTUAL_ACTIONS[action])
                elif description.startswith("key."):
                    description = t(description)
                if not description:
                    continue
                if node is screen and screen.check_action(binding.action, ()) is False:
                    continue
                label = key_label(key)
                if action in rows:
                    if node is screen and label not in rows[action][0]:
                        rows[action][0].append(label)
                    continue
                rows[action] = ([label], description)
    return [(" / ".join(labels), description) for labels, description in rows.values()]


class HelpScreen(ModalScreen[None]):
    """F1: every key of the screen it was opened from, and how to answer there."""

    BINDINGS = [Binding("escape,f1,q", "close", "key.back")]

    def __init__(self, screen: Screen[Any] | None = None) -> None:
        super().__init__()
        localize_bindings(self)
        self.origin = screen

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Label(t("help.title"), classes="title")
            origin = self.origin
            if origin is not None:
                table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
                table.add_column(style="bold cyan", no_wrap=True)
                table.add_column()
                for key, description in key_rows(origin):
                    table.add_row(Text(key), Text(description))
                yield Static(table, id="help-keys")
                topic = getattr(origin, "HELP", None)
                if topic:
                    yield Static(literal(t(topic)), id="help-topic")
            yield Static(literal(t("help.body")), classes="muted")

    def action_close(self) -> None:
        self.dismiss(None)
