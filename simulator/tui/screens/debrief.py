"""The debrief after a call ("décryptage") and the follow-up sheet (main courante)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Static

from simulator.dialogue.followup import FIELDS, FollowUpSheet, score_sheet
from simulator.dialogue.scorecard import scorecard
from simulator.scoring.normalize import fold
from simulator.tui.base import bar, literal, localize_bindings
from simulator.tui.i18n import t

if TYPE_CHECKING:
    from simulator.dialogue.engine import CallState

__all__ = ["DebriefScreen", "FollowUpScreen", "fold_for_search", "highlight"]


def fold_for_search(text: str) -> str:
    """The reply folded like the scorer's text (lower case, no accents, apostrophes and
    hyphens as spaces) but one character per character, so a match is a span of the reply."""
    return fold(text).replace("'", " ").replace("-", " ")


def highlight(text: str, evidence: list[str], style: str = "bold green") -> Text:
    """The reply as typed, with the words the scorer matched highlighted."""
    rendered = literal(text)  # same length as ``text``: the spans below still fit
    folded = fold_for_search(text)
    for item in evidence:
        needle = item.split(" (")[0].strip().lower()
        if len(needle) < 2:
            continue
        start = folded.find(needle)
        if start < 0:
            continue
        rendered.stylize(style, start, start + len(needle))
    return rendered


class DebriefScreen(Screen[None]):
    """Reply by reply: score, evidence, advice, model answer; a bar per step; the outcome."""

    CSS_PATH = "../pages.tcss"

    BINDINGS = [
        Binding("escape", "home", "key.back"),
        Binding("s", "sheet", "key.sheet"),
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

    def _content(self) -> list[Static | Label | Button]:
        state = self.state
        card = scorecard(state)
        widgets: list[Static | Label | Button] = []
        met = t("debrief.objective_met") if card.objective_met else t("debrief.objective_missed")
        widgets.append(
            Label(t("debrief.overall", score=card.overall, outcome=f"{t(f'outcome.{card.outcome}')} — {met}"), classes="title", id="overall")
        )
        widgets.append(Label(t("debrief.steps"), classes="section"))
        for step in card.steps:
            mark = t("step.skipped") if step.skipped else (t("step.covered") if step.covered else t("step.todo"))
            line = Text(f"{step.title[:26]:<26} ")
            line.append(bar(step.score, 20), style=_style(step.score))
            line.append(f" {step.score:>3}  {mark}")
            widgets.append(Static(line, classes="step-bar"))
        if card.objections:
            widgets.append(Label(t("debrief.objections"), classes="section"))
            for objection in card.objections:
                line = Text(f"{objection.title[:26]:<26} ")
                line.append(bar(objection.score, 20), style=_style(objection.score))
                line.append(f" {objection.score:>3}")
                widgets.append(Static(line))
        if card.violations:
            widgets.append(Static(Text(t("debrief.violations", list=", ".join(card.violations)), style="red")))
        widgets.append(Label(t("debrief.turns"), classes="section"))
        for turn in state.turns:
            if turn.speaker == "debtor":
                line = Text(f"{t('call.them')} : ", style="bold magenta")
                line.append_text(literal(turn.text))
                widgets.append(Static(line))
                continue
            score = turn.score
            assert score is not None
            head = Text(f"{t('call.you')} : ", style="bold cyan")
            evidence = [e for c in score.criteria if c.passed and c.level != "must-not" for e in c.evidence]
            faults = [e for c in score.criteria if not c.passed and c.level == "must-not" for e in c.evidence]
            head.append_text(highlight(turn.text, evidence))
            if faults:
                head = _restyle(head, turn.text, faults)
            widgets.append(Static(head, classes="turn-you"))
            titles = {s.id: s.title for s in state.setup.method.steps}
            titles.update({o.id: o.title for o in state.setup.objections})
            where = titles.get(score.objection or score.step or "", score.objection or score.step or "")
            widgets.append(Static(Text(f"   {score.score}/100 · {where}", style=_style(score.score))))
            for c in score.criteria:
                if c.level == "must-not" and c.passed:
                    continue
                mark = "✓" if (c.passed and c.level != "must-not") else "✗"
                line = Text(f"   {mark} {c.label}", style="green" if mark == "✓" else "red")
                if c.evidence:
                    line.append_text(literal("  " + t("debrief.evidence", text=" ; ".join(c.evidence)), style="dim"))
                widgets.append(Static(line))
            widgets.append(Static(Text("   " + t("debrief.feedback", text=score.feedback), style="yellow")))
            if score.model:
                widgets.append(Static(Text("   " + t("debrief.model", text=score.model.strip()), style="italic")))
        widgets.append(Button(t("debrief.sheet"), id="open-sheet", variant="primary"))
        return widgets

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "open-sheet":
            self.action_sheet()

    def action_sheet(self) -> None:
        self.app.push_screen(FollowUpScreen(self.state, self.attempt_id))

    def action_home(self) -> None:
        self.app.pop_screen()


def _style(score: float) -> str:
    return "green" if score >= 70 else ("yellow" if score >= 40 else "red")


def _restyle(rendered: Text, text: str, faults: list[str]) -> Text:
    folded = fold_for_search(text)
    offset = len(rendered.plain) - len(text)
    for item in faults:
        needle = item.split(" (")[0].strip().lower()
        start = folded.find(needle)
        if start >= 0 and len(needle) >= 2:
            rendered.stylize("bold red underline", offset + start, offset + start + len(needle))
    return rendered


class FollowUpScreen(Screen[None]):
    """The main courante: the trainee records the call; it is compared with the call."""

    CSS_PATH = "../pages.tcss"

    BINDINGS = [Binding("escape", "back", "key.back")]

    def __init__(self, state: CallState, attempt_id: int | None) -> None:
        super().__init__()
        localize_bindings(self)
        self.state = state
        self.attempt_id = attempt_id
        self.result_shown = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="sheet-scroll"):
            for name in FIELDS:
                yield Label(t(f"sheet.{name}"), classes="field-label")
                yield Input(id=f"sheet-{name}", max_length=300, compact=True)
                yield Static("", id=f"sheet-{name}-result", classes="field-result")
            yield Button(t("sheet.submit"), id="sheet-submit", variant="primary")
            yield Static("", id="sheet-result", classes="title")
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("sheet.title")
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
                widget.update(Text(f"✗ {field.feedback} ({t('sheet.expected', text=field.expected)})", style="red"))
        self.query_one("#sheet-result", Static).update(t("sheet.result", score=result.score))
        self.app.save_event(self.attempt_id, {"sheet": sheet.as_dict(), "sheet_score": result.score})  # type: ignore[attr-defined]
        button = self.query_one("#sheet-submit", Button)
        button.label = t("sheet.done")
        self.result_shown = True
        self.sheet_score = result

    def action_back(self) -> None:
        self.app.pop_screen()
