"""The debrief after a call ("décryptage"), replay and retry, and the follow-up sheet (main courante)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Static

from simulator.dialogue.followup import FIELDS, FollowUpSheet, score_sheet
from simulator.dialogue.scorecard import scorecard
from simulator.tui.base import bar, literal, localize_bindings, number, score_style, when
from simulator.tui.calltext import ONE_STEP, overall_reasons, reply_lines
from simulator.tui.i18n import said_by, t

if TYPE_CHECKING:
    from simulator.dialogue.engine import CallState

__all__ = ["DebriefScreen", "FollowUpScreen", "step_mark"]

PASS_REPLY = 60
"""A one-step situation (voicemail, third party) is done when its reply scores this much."""


def step_mark(step: Any, ended: bool, one_step: bool) -> str:
    """What the debrief says of a step: done, skipped, not reached (after the call), to come."""
    if one_step:
        return t("step.done") if step.score >= PASS_REPLY else t("step.missed")
    if step.skipped:
        return t("step.skipped")
    if step.covered:
        return t("step.covered")
    if getattr(step, "attempted", False):
        return t("step.attempted")
    return t("step.not_reached") if ended else t("step.todo")


class DebriefScreen(Screen[None]):
    """Reply by reply: score, evidence, advice, model answer; why the overall score; retry."""

    CSS_PATH = "../pages.tcss"
    HELP = "help.debrief"

    BINDINGS = [
        Binding("escape", "home", "key.back"),
        Binding("s", "sheet", "key.sheet"),
        Binding("p", "replay", "key.replay"),
    ]

    def __init__(self, state: CallState, attempt_id: int | None) -> None:
        super().__init__()
        localize_bindings(self)
        self.state = state
        self.attempt_id = attempt_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(*self._content(), id="debrief-scroll")
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("debrief.title")
        self._refresh_sheet()
        app: Any = self.app
        attempt = app._store("attempt", self.attempt_id) if self.attempt_id is not None else None
        note = self.query_one("#retry-note", Static)
        if attempt is not None and getattr(attempt, "retry_of", None):
            first = app._store("attempt", attempt.retry_of)
            when_first = when(first.started_at) if first is not None else "?"
            note.update(t("debrief.retry_of", reply=(attempt.retry_from or 0) + 1, when=when_first))
        else:
            note.display = False

    def on_screen_resume(self) -> None:
        self._refresh_sheet()

    def _refresh_sheet(self) -> None:
        app: Any = self.app
        saved = None
        if self.attempt_id is not None:
            saved = app._store("followup", self.attempt_id)
        text = t("debrief.sheet_saved", score=number(saved.score, 0)) if saved else t("debrief.sheet_todo")
        self.query_one("#sheet-status", Static).update(Text(text, style="green" if saved else "yellow"))

    def _content(self) -> list[Any]:
        state = self.state
        card = scorecard(state)
        one_step = state.setup.case.situation in ONE_STEP
        widgets: list[Any] = []
        met = t("debrief.objective_met") if card.objective_met else (
            t("debrief.obtained.fallback") if card.met == "fallback" else t("debrief.objective_missed")
        )
        outcome = t(f"outcome.{card.outcome}")
        widgets.append(Label(t("debrief.overall", score=card.overall, outcome=f"{outcome} — {met}"), classes="title", id="overall"))
        widgets.append(Static("", id="retry-note", classes="muted"))
        widgets.append(Static(Text(t("debrief.why"), style="bold"), id="why-title"))
        for reason in overall_reasons(card):
            widgets.append(Static(literal(f"  • {reason}"), classes="why"))
        widgets.append(Static("", id="sheet-status"))
        widgets.append(
            Horizontal(
                Button(t("debrief.replay"), id="replay", variant="default"),
                Button(t("debrief.sheet"), id="open-sheet", variant="primary"),
                classes="buttons",
            )
        )
        widgets.append(Label(t("debrief.steps"), classes="section"))
        for step in card.steps:
            mark = step_mark(step, True, one_step)  # the debrief comes after the call
            title = t(f"step.title.{step.id}") if step.id in ("messagerie", "tiers") else step.title
            line = Text(f"{title[:26]:<26} ")
            line.append(bar(step.score, 20), style=score_style(step.score))
            line.append(f" {step.score:>3}  {mark}")
            widgets.append(Static(line, classes="step-bar"))
        if card.objections:
            widgets.append(Label(t("debrief.objections"), classes="section"))
            for objection in card.objections:
                line = Text(f"{objection.title[:26]:<26} ")
                line.append(bar(objection.score, 20), style=score_style(objection.score))
                line.append(f" {objection.score:>3}")
                widgets.append(Static(line))
        faults = list(card.faults)
        if faults:
            widgets.append(Static(Text(t("debrief.violations", list=" ; ".join(faults)), style="red"), id="faults"))
        widgets.append(Label(t("debrief.turns"), classes="section"))
        number_ = 0
        for turn in state.turns:
            if turn.speaker == "debtor":
                line = Text(said_by(t("call.them")), style="bold magenta")
                line.append_text(literal(turn.text))
                widgets.append(Static(line))
                continue
            for index, text in enumerate(reply_lines(state.setup, turn)):
                widgets.append(Static(text, classes="turn-you" if index == 0 else ""))
            if turn.score is not None and turn.score.score < 70:
                for example in self._good_examples(turn):
                    widgets.append(Static(literal("   " + t("debrief.example", text=example.reply.strip()), style="green")))
            widgets.append(Button(t("debrief.retry_here"), id=f"retry-{number_}", classes="retry", compact=True))
            number_ += 1
        return widgets

    def _good_examples(self, turn: Any) -> list[Any]:
        """One labelled good reply of the corpus for the same moment, when the reply scored low."""
        from simulator.dialogue.judge import good_examples

        library = getattr(self.app, "library", None)
        score = turn.score
        if library is None or score is None:
            return []
        step = score.step if score.step not in ("messagerie", "tiers") else None
        return good_examples(library, turn.text, case=self.state.setup.case.id, step=step, objection=score.objection,
                             limit=1)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button == "open-sheet":
            self.action_sheet()
        elif button == "replay":
            self.action_replay()
        elif button.startswith("retry-"):
            self.retry_from(int(button.removeprefix("retry-")))

    def retry_from(self, index: int) -> None:
        """« Rejouer à partir d'ici »: a new attempt, the call rebuilt before reply ``index``."""
        replies = [(t_.text, t_.at) for t_ in self.state.turns if t_.speaker == "trainee"][:index]
        self.app.start_call(  # type: ignore[attr-defined]
            self.state.setup.case.id, seed=self.state.seed, replies=replies, retry_of=self.attempt_id, switch=True
        )

    def action_replay(self) -> None:
        """The whole call again, from the first reply (same seed: the debtor says the same)."""
        self.retry_from(0)

    def action_sheet(self) -> None:
        self.app.push_screen(FollowUpScreen(self.state, self.attempt_id))

    def action_home(self) -> None:
        self.app.pop_screen()


class FollowUpScreen(Screen[None]):
    """The main courante: the trainee records the call; it is compared with the call and kept."""

    CSS_PATH = "../pages.tcss"
    HELP = "help.sheet"

    BINDINGS = [Binding("escape", "back", "key.back")]

    def __init__(self, state: CallState, attempt_id: int | None) -> None:
        super().__init__()
        localize_bindings(self)
        self.state = state
        self.attempt_id = attempt_id
        self.result_shown = False
        self.sheet_score: Any = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="sheet-scroll"):
            yield Static(t("sheet.intro"), classes="muted")
            for name in FIELDS:
                with Horizontal(classes="sheet-row"):
                    yield Label(t(f"sheet.{name}"), classes="sheet-label")
                    yield Input(
                        id=f"sheet-{name}",
                        max_length=300,
                        placeholder=t(f"sheet.{name}.placeholder"),
                        classes="sheet-field",
                        compact=True,
                    )
                yield Static("", id=f"sheet-{name}-result", classes="field-result")
            # The result sits above the button: focusing the button after saving brings both into view.
            yield Static("", id="sheet-result", classes="title")
            yield Button(t("sheet.submit"), id="sheet-submit", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("sheet.title")
        app: Any = self.app
        saved = app._store("followup", self.attempt_id) if self.attempt_id is not None else None
        if saved is not None:  # edit what was saved
            for name in FIELDS:
                self.query_one(f"#sheet-{name}", Input).value = str(saved.sheet.get(name, ""))
        self.query_one(f"#sheet-{FIELDS[0]}", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = (event.input.id or "").removeprefix("sheet-")
        if name in FIELDS and FIELDS.index(name) < len(FIELDS) - 1:
            self.query_one(f"#sheet-{FIELDS[FIELDS.index(name) + 1]}", Input).focus()
        else:
            self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "sheet-submit":
            if self.result_shown:
                self.app.pop_screen()
            else:
                self.submit()

    def submit(self) -> None:
        sheet = FollowUpSheet(**{name: self.query_one(f"#sheet-{name}", Input).value for name in FIELDS})
        result = score_sheet(sheet, self.state)
        for field in result.fields:
            widget = self.query_one(f"#sheet-{field.field}-result", Static)
            widget.display = True
            if field.ok:
                widget.update(Text("✓", style="green"))
            else:
                widget.update(literal(f"✗ {field.feedback} ({t('sheet.expected', text=field.expected)})", "red"))
        saved = self.app.save_followup(self.attempt_id, sheet.as_dict(), result)  # type: ignore[attr-defined]
        note = t("sheet.saved") if saved else t("sheet.not_saved")
        self.query_one("#sheet-result", Static).update(f"{t('sheet.result', score=result.score)} — {note}")
        button = self.query_one("#sheet-submit", Button)
        button.label = t("sheet.done")
        button.focus()
        self.call_after_refresh(lambda: button.scroll_visible(animate=False))
        self.notify(f"{t('sheet.result', score=result.score)} — {note}", timeout=6)
        self.result_shown = True
        self.sheet_score = result

    def action_back(self) -> None:
        self.app.pop_screen()
