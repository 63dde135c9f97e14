"""Small modal screens: identity, yes/no confirmation, help."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from simulator.tui.base import literal, localize_bindings
from simulator.tui.i18n import t

__all__ = ["ConfirmScreen", "HelpScreen", "IdentityScreen"]


class IdentityScreen(ModalScreen[dict[str, str]]):
    """First start: who is training (kept in the store)."""

    BINDINGS = [Binding("escape", "app.quit", "key.quit")]

    def __init__(self, initial: dict[str, str] | None = None) -> None:
        super().__init__()
        localize_bindings(self)
        self.initial = initial or {}

    def compose(self) -> ComposeResult:
        with Vertical(id="identity-box"):
            yield Label(t("identity.title"), classes="title")
            yield Static(t("identity.intro"), classes="muted")
            for name in ("nom", "prenom", "organisation", "session"):
                yield Label(t(f"identity.{name}"), classes="field-label")
                yield Input(value=self.initial.get(name, ""), id=f"id-{name}", max_length=120, compact=True)
            yield Static("", id="identity-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(t("identity.save"), variant="primary", id="identity-save")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        order = ["id-nom", "id-prenom", "id-organisation", "id-session"]
        current = event.input.id or ""
        if current in order[:-1]:
            self.query_one(f"#{order[order.index(current) + 1]}", Input).focus()
        else:
            self._save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "identity-save":
            self._save()

    def _save(self) -> None:
        values = {name: self.query_one(f"#id-{name}", Input).value.strip() for name in ("nom", "prenom", "organisation", "session")}
        if not (values["nom"] and values["prenom"] and values["organisation"]):
            self.query_one("#identity-error", Static).update(t("identity.missing"))
            return
        self.dismiss(values)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; Esc means no."""

    BINDINGS = [Binding("escape", "answer(False)", "key.back"), Binding("y,o", "answer(True)", show=False)]

    def __init__(self, question: str) -> None:
        super().__init__()
        localize_bindings(self)
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.question))
            with Horizontal(classes="buttons"):
                yield Button(t("confirm.yes"), variant="error", id="yes")
                yield Button(t("confirm.no"), variant="primary", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class HelpScreen(ModalScreen[None]):
    """F1: the keys of the application."""

    BINDINGS = [Binding("escape,f1,q", "close", "key.back")]

    def __init__(self) -> None:
        super().__init__()
        localize_bindings(self)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Label(t("help.title"), classes="title")
            yield Static(literal(t("help.body")))

    def action_close(self) -> None:
        self.dismiss(None)
