"""The practice call: who you are, the client file, the conversation, the method tracker, the reply.

The reply field keeps the focus for the whole call: the client file and the
conversation scroll with keys (PgUp/PgDn, Ctrl+↑/↓) and cannot take the focus, so
nothing typed is ever lost to them.
"""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from simulator.dialogue import advance
from simulator.dialogue.engine import fill_line
from simulator.dialogue.trainee import start_as
from simulator.tui.base import bar, literal, localize_bindings, score_style, tie_amounts
from simulator.tui.calltext import client_file, identity, situation_goal
from simulator.tui.i18n import said_by, t

if TYPE_CHECKING:
    from simulator.dialogue.engine import CallState, Event
    from simulator.model import Case

__all__ = ["CallScreen", "replies_from_events"]

_clock = time.monotonic
"""The call timer's clock (a seam for tests)."""

NARROW = 100
"""Below this width the client file starts hidden (F4 shows it; a note says so)."""


class CallScreen(Screen[None]):
    """Play one case against its persona; progress is saved after every reply."""

    CSS_PATH = "../call.tcss"
    HELP = "help.call"

    BINDINGS = [
        Binding("escape", "leave", "key.back"),
        Binding("f3", "hint", "key.hint"),
        Binding("f4", "toggle_file", "key.file"),
        Binding("f6", "hang_up", "key.hangup"),
        Binding("pageup", "scroll_conversation(-1)", "key.scroll_up", show=False),
        Binding("pagedown", "scroll_conversation(1)", "key.scroll_down", show=False),
        Binding("ctrl+up", "scroll_file(-1)", "key.file_up", show=False),
        Binding("ctrl+down", "scroll_file(1)", "key.file_down", show=False),
    ]

    warmed: ClassVar[bool] = False
    """Whether this process has paid the scorer's one-time loading (see :meth:`_warm_up`)."""

    def __init__(
        self,
        case: Case,
        seed: int,
        attempt_id: int | None,
        replies: list[tuple[str, float | None]] | None = None,
        *,
        retry: bool = False,
    ) -> None:
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
        self.finished = False
        self.retry = retry

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="call-id")
        with Horizontal(id="call-body"):
            file = VerticalScroll(Static(self._client_file(), id="file-text"), id="client-file")
            file.can_focus = False
            yield file
            with Vertical():
                conversation = VerticalScroll(id="conversation")
                conversation.can_focus = False
                yield conversation
                yield Static("", id="tracker")
                yield Static("", id="status")
                yield Static("", id="hint")
        yield Input(placeholder=t("call.placeholder"), id="reply", max_length=10_000)
        yield Footer()

    # ------------------------------------------------------------------ lifecycle

    def _client_file(self) -> Text:
        return client_file(self.case)

    def _trainee(self) -> str:
        """The trainee's name (empty when the app has no trainee, as in a trainer's playtest)."""
        name = getattr(self.app, "trainee_name", None)
        return name() if callable(name) else ""

    def on_mount(self) -> None:
        self.title = t("call.title", case=self.case.title)
        self.query_one("#call-id", Static).update(identity(self.case, self._trainee()))
        self.state, events = self._opening()
        if self.size.width < NARROW:
            self.query_one("#client-file").add_class("hidden")
            self.query_one("#conversation", VerticalScroll).mount(
                Static(Text("   " + t("call.file_hidden"), style="italic dim"), id="file-hidden-note")
            )
        self._show_events(events)
        for text, at in self.resume:
            if self.state.ended:
                break
            self._play(text, at, save=False)
        if self.retry:
            self._note(t("call.retry_note", n=len(self.resume) + 1), "bold green")
        if self.resume and self.resume[-1][1] is not None:
            self.time_offset = float(self.resume[-1][1] or 0.0)
        self.started = _clock()
        self._refresh_panels()
        self.set_interval(1.0, self._tick)
        self.query_one("#reply", Input).focus()
        self.call_after_refresh(self._warm_up)

    def _warm_up(self) -> None:
        """Score a throw-away reply in a thread, once per process, while the trainee reads.

        The scorer loads lazily (the lemmatiser's French dictionary alone is ~0.2 s of CPU):
        without this, the trainee's first reply pays it. Under ``relance serve`` a class opens
        its first calls together, one process per tab, and those first replies then queue
        behind each other for seconds (``bench/serve.py``). The engine is pure and
        deterministic: the throw-away state is dropped, nothing is saved or shown.
        """
        state = self.state
        if CallScreen.warmed or state is None or state.ended:
            return
        CallScreen.warmed = True
        self.run_worker(partial(advance, state, "Bonjour."), thread=True, exit_on_error=False, group="warm-up")

    def _opening(self) -> tuple[CallState, list[Event]]:
        """The call's first state and events (a seam: playtest starts elsewhere)."""
        return start_as(self.case, self.seed, self.app.library, self._trainee())  # type: ignore[attr-defined]

    def _elapsed(self) -> float:
        return round(self.time_offset + _clock() - self.started, 1)

    def _tick(self) -> None:
        self._refresh_status()

    def quit_note(self) -> str | None:
        """What Ctrl+Q keeps (the app asks before quitting mid-call)."""
        if self.state is None or self.state.ended or self.finished or self.attempt_id is None:
            return None
        return t("quit.call", n=self.state.trainee_turns)

    # ------------------------------------------------------------------ playing

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        assert self.state is not None
        if self.state.ended or self.finished:
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
            self.app.save_event(self.attempt_id, {"type": "reply", "text": text, "at": at})  # type: ignore[attr-defined]
        self._say("you", text)
        self.state, events = advance(self.state, text, at)
        self._show_events(events)
        # A hint is for one moment: the next one needs F3 again.
        self.hint_visible = False
        self.query_one("#hint", Static).update("")
        self._refresh_panels()
        if self.state.ended:
            self._on_ended(save)

    def _show_events(self, events: list[Event]) -> None:
        training = self.app.mode == "training"  # type: ignore[attr-defined]
        for event in events:
            if event.kind == "debtor":
                self._say("them", event.text)
            elif event.kind == "score" and training:
                self._note(t("call.score", score=event.score, feedback=event.text), score_style(event.score or 0))
            elif event.kind == "ended":
                self._note(t("call.ended", outcome=t(f"outcome.{event.outcome}")), "bold")

    def _say(self, who: str, text: str) -> None:
        line = Text(said_by(t("call.you") if who == "you" else t("call.them")), style="bold cyan" if who == "you" else "bold magenta")
        line.append_text(literal(tie_amounts(text) if who == "them" else text))  # never markup; control characters made visible
        self._append(line)

    def _note(self, text: str, style: str) -> None:
        self._append(Text("   " + text, style=style))

    def _append(self, renderable: Text) -> None:
        conversation = self.query_one("#conversation", VerticalScroll)
        conversation.mount(Static(renderable))
        conversation.scroll_end(animate=False)

    def _on_ended(self, save: bool) -> None:
        assert self.state is not None
        if save:
            self.app.finish_call(self.attempt_id, self.state)  # type: ignore[attr-defined]
        self.finished = True
        self.refresh_bindings()
        outcome = self.state.outcome
        self.query_one("#reply", Input).placeholder = t("call.ended", outcome=t(f"outcome.{outcome}"))

    def _open_debrief(self) -> None:
        from simulator.tui.screens.debrief import DebriefScreen

        assert self.state is not None
        self.app.switch_screen(DebriefScreen(self.state, self.attempt_id))

    # ------------------------------------------------------------------ panels

    def _refresh_panels(self) -> None:
        self._refresh_tracker()
        self._refresh_status()

    def _refresh_tracker(self) -> None:
        state = self.state
        assert state is not None
        goal = situation_goal(state)
        if goal is not None:
            self.query_one("#tracker", Static).update(goal)
            return
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
            line.append(f" {said_by(t('step.current'))}{current.title}", style="bold")
        objection = state.current_objection
        if objection is not None and not state.ended:
            line.append(f"  · {t('call.objection')} : {objection.title}", style="magenta")
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
        if objection is not None and objection.technique:
            hints.append(fill_line(objection.technique.strip(), facts))
        elif objection is not None and objection.model:
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
        for note in self.query("#file-hidden-note"):  # the file is shown: the note no longer holds
            note.remove()
        self.query_one("#reply", Input).focus()

    def action_scroll_conversation(self, direction: int) -> None:
        conversation = self.query_one("#conversation", VerticalScroll)
        (conversation.scroll_page_down if direction > 0 else conversation.scroll_page_up)(animate=False)

    def action_scroll_file(self, direction: int) -> None:
        file = self.query_one("#client-file", VerticalScroll)
        (file.scroll_page_down if direction > 0 else file.scroll_page_up)(animate=False)

    def action_hang_up(self) -> None:
        """F6: end the call now; it is scored as it stands (no outcome)."""
        if self.state is None or self.state.ended or self.finished:
            self._open_debrief()
            return

        def answer(hang_up: bool | None) -> None:
            if hang_up and self.state is not None:
                self.app.finish_call(self.attempt_id, self.state)  # type: ignore[attr-defined]
                self.finished = True
                self._open_debrief()

        from simulator.tui.screens.dialogs import ConfirmScreen

        self.app.push_screen(ConfirmScreen(t("call.hangup_confirm"), yes=t("key.hangup")), answer)

    def action_leave(self) -> None:
        if self.state is not None and (self.state.ended or self.finished):
            self._open_debrief()
            return

        def answer(abandon: bool | None) -> None:
            if abandon:
                self.app.abandon(self.attempt_id)  # type: ignore[attr-defined]
                self.app.pop_screen()

        from simulator.tui.screens.dialogs import ConfirmScreen

        self.app.push_screen(ConfirmScreen(t("call.abandon")), answer)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        over = self.finished or (self.state is not None and self.state.ended)
        if action == "hint" and (over or getattr(self.app, "mode", "training") != "training"):
            return False  # no hint in exam mode (nor after the call): the key is not offered at all
        if action == "hang_up" and over:
            return False
        return True


def replies_from_events(events: list[dict[str, Any]]) -> list[tuple[str, float | None]]:
    """The replies saved for an attempt (``{"type": "reply", "text"}``, or the older ``{"reply"}``)."""
    replies: list[tuple[str, float | None]] = []
    for event in events:
        if event.get("type") == "reply" and "text" in event:
            replies.append((str(event["text"]), event.get("at")))
        elif "type" not in event and "reply" in event:
            replies.append((str(event["reply"]), event.get("at")))
    return replies
