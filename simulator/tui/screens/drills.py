"""« Entraînement du jour »: the cards due today, each the debtor's line in its context.

The call is rebuilt at the card's moment (same case, seed and replies), the trainee
answers, the reply is scored as in a call and the card is rescheduled (FSRS). Each
answer is saved at once; leaving keeps what was done.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from simulator.errors import SimulatorError
from simulator.tui.base import clean_message, literal, localize_bindings, number, short_date
from simulator.tui.calltext import reply_lines
from simulator.tui.i18n import said_by, t

__all__ = ["DrillScreen"]


class DrillScreen(Screen[None]):
    """Today's drill cards, one after the other."""

    CSS_PATH = "../pages.tcss"
    HELP = "help.drills"
    BINDINGS = [Binding("escape", "back", "key.back")]

    def __init__(self) -> None:
        super().__init__()
        localize_bindings(self)
        self.cards: list[Any] = []
        self.position = 0
        self.state: Any = None
        self.waiting_next = False
        self.scores: list[int] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="drill-scroll")
        yield Input(placeholder=t("drill.placeholder"), id="drill-reply", max_length=10_000)
        yield Footer()

    def write(self, renderable: Any, classes: str = "") -> None:
        scroll = self.query_one("#drill-scroll", VerticalScroll)
        scroll.mount(Static(renderable, classes=classes))
        scroll.scroll_end(animate=False)

    def on_mount(self) -> None:
        from simulator.records.drills import due_today

        self.title = t("drill.title")
        app: Any = self.app
        try:
            self.cards = due_today(app.store, app.trainee.id) if app.trainee is not None else []
        except SimulatorError as error:
            self.write(literal(clean_message(error.message), "red"))
            self.cards = []
        if not self.cards:
            self._nothing_due()
            return
        self.write(Text(t("drill.intro", n=len(self.cards)), style="bold"))
        self._show_card()
        self.query_one("#drill-reply", Input).focus()

    def _nothing_due(self) -> None:
        from simulator.records.drills import days_until

        app: Any = self.app
        self.write(Text(t("drill.none"), style="bold"))
        upcoming = app._store("drills", app.trainee.id) if app.trainee is not None else []
        now = app.store.now()
        for card in (upcoming or [])[:8]:
            days = days_until(card, now)
            self.write(literal(f"  • {card.title} — {t('drill.due_in', n=days, date=_due_date(card))}"))
        self._close()

    def _close(self) -> None:
        field = self.query_one("#drill-reply", Input)
        field.placeholder = t("quiz.over")
        field.value = ""
        self.waiting_next = False
        self.position = len(self.cards)

    def _show_card(self) -> None:
        from simulator.records.drills import DrillError, start_drill

        while self.position < len(self.cards):
            card = self.cards[self.position]
            app: Any = self.app
            try:
                self.state = start_drill(card, app.library, app.trainee_name())
            except (DrillError, SimulatorError) as error:
                self.write(literal(t("drill.skipped", title=card.title, reason=clean_message(error.message)), "yellow"))
                self.position += 1
                continue
            kind = t(f"drill.kind.{card.kind}")
            self.write(Text(t("drill.card", n=self.position + 1, total=len(self.cards), kind=kind, title=card.title), style="bold"), "section")
            self.write(literal(t("drill.case", case=self.state.setup.case.title), "dim"))
            for turn in self.state.turns[-3:-1]:
                who = t("call.you") if turn.speaker == "trainee" else t("call.them")
                self.write(literal(f"{said_by(who)}{turn.text}", "dim"))
            line = Text(said_by(t("call.them")), style="bold magenta")
            line.append(self.state.turns[-1].text)
            self.write(line)
            return
        self._finish()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value
        event.input.value = ""
        if self.position >= len(self.cards):
            self.notify(t("quiz.over"), timeout=4)
            return
        if self.waiting_next:
            self.waiting_next = False
            self.position += 1
            self._show_card()
            return
        if not typed.strip():
            self.notify(t("call.empty"), severity="warning")
            return
        self._answer(typed)

    def _answer(self, typed: str) -> None:
        from simulator.records.drills import answer_drill, days_until

        app: Any = self.app
        card = self.cards[self.position]
        try:
            score, updated, after = answer_drill(app.store, card, self.state, typed)
        except SimulatorError as error:
            self.notify(t("error.store", message=clean_message(error.message)), severity="error", timeout=8)
            return
        self.scores.append(score.score)
        turn = next(t_ for t_ in reversed(after.turns) if t_.speaker == "trainee")
        for text in reply_lines(after.setup, turn):
            self.write(text)
        reaction = after.turns[-1]
        if reaction.speaker == "debtor":
            line = Text(said_by(t("call.them")), style="bold magenta")
            line.append(reaction.text)
            self.write(line)
        days = days_until(updated, app.store.now())
        self.write(Text(t("drill.next", when=t("drill.due_in", n=days, date=_due_date(updated))), style="bold green"))
        self.waiting_next = True
        last = self.position + 1 >= len(self.cards)
        self.write(Text(t("drill.finish") if last else t("drill.next_card"), style="dim"))

    def _finish(self) -> None:
        if self.scores:
            mean = sum(self.scores) / len(self.scores)
            self.write(Text(t("drill.done", n=len(self.scores), score=number(mean, 0)), style="bold"), "title")
        else:
            self.write(Text(t("drill.none"), style="bold"))
        self._close()

    def action_back(self) -> None:
        self.app.pop_screen()


def _due_date(card: Any) -> str:
    from simulator.records.drills import next_due

    return short_date(next_due(card).astimezone().date())
