"""The practice call: client file, conversation, method tracker, reply input."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from simulator.dialogue import advance, start
from simulator.dialogue.engine import fill_line, money
from simulator.dialogue.scorecard import scorecard
from simulator.tui.base import bar, literal, localize_bindings
from simulator.tui.i18n import t

if TYPE_CHECKING:
    from simulator.dialogue.engine import CallState, Event
    from simulator.model import Case

__all__ = ["CallScreen"]

_clock = time.monotonic
"""The call timer's clock (a seam for tests)."""


class CallScreen(Screen[None]):
    """Play one case against its persona; progress is saved after every reply."""

    CSS_PATH = "../call.tcss"

    BINDINGS = [
        Binding("escape", "leave", "key.back"),
        Binding("f3", "hint", "key.hint"),
        Binding("f4", "toggle_file", "key.file"),
    ]

    def __init__(self, case: Case, seed: int, attempt_id: int | None, replies: list[tuple[str, float | None]] | None = None) -> None:
        super().__init__()
        localize_bindings(self)
        self.case = case
        self.seed = seed
        self.attempt_id = attempt_id
        self.resume = replies or []
        self.state: CallState | None = None
        self.started = _clock()
        self.time_offset = 0.0
        self.hint_visible = False

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="call-body"):
            yield VerticalScroll(Static(self._client_file(), id="file-text"), id="client-file")
            with Vertical():
                yield VerticalScroll(id="conversation")
                yield Static("", id="tracker")
                yield Static("", id="status")
                yield Static("", id="hint")
        yield Input(placeholder=t("call.placeholder"), id="reply", max_length=10_000)
        yield Footer()

    def _client_file(self) -> Text:
        case = self.case
        out = Text()

        def section(title: str) -> None:
            out.append(f"\n{title}\n", style="bold")

        out.append(case.title + "\n", style="bold")
        out.append(t("call.situation", situation=t(f"situation.{case.situation}")) + "\n", style="italic")
        section(t("call.debtor"))
        out.append(f"{case.debtor.company}\n")
        section(t("call.contact"))
        role = f" — {case.debtor.contact_role}" if case.debtor.contact_role else ""
        out.append(f"{case.debtor.contact}{role}\n")
        if case.debtor.phone:
            out.append(f"{case.debtor.phone}\n")
        if case.debtor.email:
            out.append(f"{case.debtor.email}\n")
        if case.debtor.payment_terms:
            out.append(t("call.terms", terms=case.debtor.payment_terms) + "\n")
        if case.debtor.customer_since:
            out.append(t("call.since", year=case.debtor.customer_since) + "\n")
        if case.third_parties:
            section(t("call.third_parties"))
            for party in case.third_parties:
                side = t("call.our_side" if party.side == "creditor" else "call.their_side")
                what = party.function or party.role
                out.append(f"{party.name} — {what} ({side})\n")
        if case.creditor.email:
            out.append(t("call.your_email", email=case.creditor.email) + "\n")
        section(t("call.invoices"))
        total = 0.0
        for invoice in case.invoices:
            total += invoice.amount
            out.append(
                t(
                    "call.invoice_line",
                    number=invoice.number,
                    amount=money(invoice.amount, invoice.currency),
                    due=invoice.due.strftime("%d/%m/%Y"),
                )
                + "\n"
            )
        out.append(t("call.total", amount=money(total, case.invoices[0].currency)) + "\n", style="bold")
        if case.history:
            section(t("call.history"))
            for entry in case.history:
                out.append(f"{entry.date.strftime('%d/%m')} · {entry.note.strip()}\n")
        section(t("call.objective"))
        out.append(case.objective.text.strip() + "\n")
        if case.fallback is not None:
            section(t("call.fallback"))
            out.append(case.fallback.text.strip() + "\n")
        if case.briefing:
            section(t("call.briefing"))
            out.append(case.briefing.strip() + "\n")
        return out

    # ------------------------------------------------------------------ lifecycle

    def on_mount(self) -> None:
        self.title = t("call.title", case=self.case.title)
        self.state, events = self._opening()
        self._show_events(events)
        for text, at in self.resume:
            if self.state.ended:
                break
            self._play(text, at, save=False)
        if self.resume and self.resume[-1][1] is not None:
            self.time_offset = float(self.resume[-1][1] or 0.0)
        self.started = _clock()
        self._refresh_panels()
        self.set_interval(1.0, self._tick)
        self.query_one("#reply", Input).focus()
        if self.size.width < 100:
            self.query_one("#client-file").add_class("hidden")

    def _opening(self) -> tuple[CallState, list[Event]]:
        """The call's first state and events (a seam: playtest starts elsewhere)."""
        return start(self.case, self.seed, self.app.library)  # type: ignore[attr-defined]

    def _elapsed(self) -> float:
        return round(self.time_offset + _clock() - self.started, 1)

    def _tick(self) -> None:
        self._refresh_status()

    # ------------------------------------------------------------------ playing

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        assert self.state is not None
        if self.state.ended:
            self._open_debrief()
            return
        text = event.value
        if not text.strip():
            self.notify(t("call.empty"), severity="warning")
            return
        event.input.value = ""
        self._play(text, self._elapsed(), save=True)

    def _play(self, text: str, at: float | None, save: bool) -> None:
        assert self.state is not None
        if save:
            self.app.save_event(self.attempt_id, {"reply": text, "at": at})  # type: ignore[attr-defined]
        self._say("you", text)
        self.state, events = advance(self.state, text, at)
        self._show_events(events)
        self._refresh_panels()
        if self.state.ended:
            self._on_ended(save)

    def _show_events(self, events: list[Event]) -> None:
        training = self.app.mode == "training"  # type: ignore[attr-defined]
        for event in events:
            if event.kind == "debtor":
                self._say("them", event.text)
            elif event.kind == "score" and training:
                self._note(t("call.score", score=event.score, feedback=event.text), _score_style(event.score or 0))
            elif event.kind == "ended":
                self._note(t("call.ended", outcome=t(f"outcome.{event.outcome}")), "bold")

    def _say(self, who: str, text: str) -> None:
        line = Text()
        line.append(f"{t('call.you') if who == 'you' else t('call.them')} : ", style="bold cyan" if who == "you" else "bold magenta")
        line.append_text(literal(text))  # never markup; control characters made visible
        self._append(line)

    def _note(self, text: str, style: str) -> None:
        self._append(Text("   " + text, style=style))

    def _append(self, renderable: Text) -> None:
        conversation = self.query_one("#conversation", VerticalScroll)
        conversation.mount(Static(renderable))
        conversation.scroll_end(animate=False)

    def _on_ended(self, save: bool) -> None:
        assert self.state is not None
        card = scorecard(self.state)
        if save:
            self.app.finish_call(self.attempt_id, self.state, card)  # type: ignore[attr-defined]
        self.query_one("#reply", Input).placeholder = t("call.ended", outcome=t(f"outcome.{card.outcome}"))

    def _open_debrief(self) -> None:
        from simulator.tui.screens.debrief import DebriefScreen

        assert self.state is not None
        self.app.switch_screen(DebriefScreen(self.state, self.attempt_id))

    # ------------------------------------------------------------------ panels

    def _refresh_panels(self) -> None:
        self._refresh_tracker()
        self._refresh_status()
        if self.hint_visible:
            self._show_hint()

    def _refresh_tracker(self) -> None:
        state = self.state
        assert state is not None
        steps = state.setup.method.steps
        line = Text(f"{t('call.method')} ", style="bold")
        for number, step in enumerate(steps, 1):
            if step.id in state.covered:
                line.append(f"{number}✓ ", style="green")
            elif step.id in state.skipped:
                line.append(f"{number}✗ ", style="red")
            elif number - 1 == state.step_index and not state.ended:
                line.append(f"{number}▶ ", style="bold yellow")
            else:
                line.append(f"{number}· ", style="dim")
        current = state.current_step
        if current is not None and not state.ended:
            line.append(f" {t('step.current')} : {current.title}", style="bold")
        self.query_one("#tracker", Static).update(line)

    def _refresh_status(self) -> None:
        state = self.state
        if state is None:
            return
        seconds = int(self._elapsed())
        parts = [t("call.elapsed", time=f"{seconds // 60:02d}:{seconds % 60:02d}")]
        if self.app.mode == "training":  # type: ignore[attr-defined]
            parts.append(f"{t('call.mood')} {bar(state.mood * 100, 10)}")
        self.query_one("#status", Static).update("   ".join(parts))

    def _show_hint(self) -> None:
        assert self.state is not None
        step = self.state.current_step
        objection = self.state.current_objection
        facts = self.state.setup.facts
        hints: list[str] = []
        if objection is not None and objection.model:
            hints.append(fill_line(objection.model.strip(), facts))
        elif step is not None:
            hints.extend(fill_line(h, facts) for h in step.hints)
        text = t("call.hint", hint=" / ".join(hints)) if hints else t("call.no_hint")
        self.query_one("#hint", Static).update(literal(text))

    # ------------------------------------------------------------------ actions

    def action_hint(self) -> None:
        if self.app.mode != "training":  # type: ignore[attr-defined]
            return
        self.hint_visible = not self.hint_visible
        if self.hint_visible:
            self._show_hint()
        else:
            self.query_one("#hint", Static).update("")

    def action_toggle_file(self) -> None:
        self.query_one("#client-file").toggle_class("hidden")

    def action_leave(self) -> None:
        if self.state is not None and self.state.ended:
            self._open_debrief()
            return

        def answer(abandon: bool | None) -> None:
            if abandon:
                self.app.abandon(self.attempt_id)  # type: ignore[attr-defined]
                self.app.pop_screen()

        from simulator.tui.screens.dialogs import ConfirmScreen

        self.app.push_screen(ConfirmScreen(t("call.abandon")), answer)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hint" and getattr(self.app, "mode", "training") != "training":
            return None  # hidden in exam mode
        return True


def _score_style(score: int) -> str:
    return "green" if score >= 70 else ("yellow" if score >= 40 else "red")


def replies_from_events(events: list[dict[str, Any]]) -> list[tuple[str, float | None]]:
    """The replies saved for an attempt, to resume it after a crash."""
    return [(str(e["reply"]), e.get("at")) for e in events if "reply" in e]
