"""Quiz, case-study and self-assessment screens (engines in :mod:`simulator.quiz`).

All three share one shape: a scrolling page, one line for the current error (replaced,
never piled up), the answer field. Each answer is saved as it is given; a finished
activity shows its review and waits for Esc (Enter never starts it again).
"""

from __future__ import annotations

import re
import time
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from simulator.quiz.case_study import grade_case_question, grade_case_study, start_case_study
from simulator.quiz.questionnaire import QuestionnaireError, default_phase, rate
from simulator.quiz.session import answer, finish, start_quiz
from simulator.tui.base import literal, localize_bindings, number
from simulator.tui.i18n import language, t

__all__ = ["CaseStudyScreen", "QuestionnaireScreen", "QuizScreen", "to_response"]

_NUMBERS = re.compile(r"^\s*\d+(\s*[,; ]\s*\d+)*\s*$")

_HELP = {
    "single": "quiz.single_help",
    "multiple": "quiz.multiple_help",
    "ordering": "quiz.order_help",
    "matching": "quiz.match_help",
    "truefalse": "quiz.truefalse_help",
    "numeric": "quiz.number_help",
    "calculated": "quiz.number_help",
    "text": "quiz.text_help",
}
"""How to type an answer, per question kind (shown under the question, and on an unreadable answer)."""


def to_response(kind: str, typed: str) -> object:
    """Turn what the trainee typed into a response the grader reads.

    Matching is typed as the right-hand numbers in the order of the left items
    (« 2,3,1 »); everything else is passed as typed (the grader reads numbers,
    lists « 1,3 », V/F and French numbers itself).
    """
    if kind == "matching" and _NUMBERS.match(typed):
        numbers = [int(x) for x in re.split(r"[,; ]+", typed.strip())]
        return {index: value for index, value in enumerate(numbers, 1)}
    return typed


def unreadable(message: str, kind: str | None) -> str:
    """The line shown for an unreadable answer, in the interface language.

    The engines explain in French; in English the catalogue's help for the kind says how to type it.
    """
    if language() == "fr" and message:
        return t("quiz.invalid", message=message)
    return t("quiz.invalid", message=t(_HELP.get(kind or "", "quiz.number_help")))


class _Base(Screen[None]):

    CSS_PATH = "../pages.tcss"
    BINDINGS = [Binding("escape", "leave", "key.back")]
    HELP = "help.quiz"

    def __init__(self) -> None:
        super().__init__()
        localize_bindings(self)
        self.done = False
        self.attempt_id: int | None = None
        self.waiting_next = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="quiz-scroll")
        with Vertical(id="answer-bar"):  # the error line sits just above the answer field
            yield Static("", id="quiz-error")
            yield Input(placeholder=t("quiz.answer_placeholder"), id="answer", max_length=2000)
        yield Footer()

    def write(self, renderable: Any, classes: str = "") -> None:
        self.error("")
        scroll = self.query_one("#quiz-scroll", VerticalScroll)
        scroll.mount(Static(renderable, classes=classes))
        scroll.scroll_end(animate=False)

    def error(self, text: str) -> None:
        """The current error, one line that replaces the previous one (never a pile)."""
        widget = self.query_one("#quiz-error", Static)
        widget.update(literal(text, "yellow"))
        widget.display = bool(text)

    def wait_for_next(self) -> None:
        self.waiting_next = True
        self.write(Text(t("quiz.next"), style="dim"))

    def close(self) -> None:
        """The activity is over: the review stays on screen; Esc goes back."""
        self.done = True
        field = self.query_one("#answer", Input)
        field.placeholder = t("quiz.over")
        field.value = ""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value
        event.input.value = ""
        if self.done:
            self.notify(t("quiz.over"), timeout=4)
            return
        if self.waiting_next:
            if typed.strip():
                self.error(t("quiz.press_enter"))
                return
            self.waiting_next = False
            self.next_item()
            return
        if not typed.strip() and not self.accepts_empty():
            return
        self.submit(typed)

    def accepts_empty(self) -> bool:
        """Whether an empty Enter is an answer here (it is not, unless a screen says so)."""
        return False

    def next_item(self) -> None:  # pragma: no cover - each screen defines it
        raise NotImplementedError

    def submit(self, typed: str) -> None:  # pragma: no cover - each screen defines it
        raise NotImplementedError

    def quit_note(self) -> str | None:
        return None

    def action_leave(self) -> None:
        if self.done or self.attempt_id is None:
            self.app.pop_screen()
            return
        from simulator.tui.screens.dialogs import ConfirmScreen

        def answer_(abandon: bool | None) -> None:
            if abandon:
                self.app.abandon(self.attempt_id)  # type: ignore[attr-defined]
                self.app.pop_screen()

        self.app.push_screen(ConfirmScreen(t("quiz.abandon")), answer_)


class QuizScreen(_Base):
    """One question at a time; training mode corrects at once, exam mode at the end; then the review."""

    def __init__(self, bank: Any, seed: int, attempt_id: int | None, events: list[dict[str, Any]] | None = None) -> None:
        super().__init__()
        self.bank = bank
        self.seed = seed
        self.attempt_id = attempt_id
        self.events = events or []
        self.position = 0
        self.started = time.monotonic()
        self.state: Any = None
        self.passed: set[str] = {str(e["question"]) for e in self.events if e.get("type") == "next"}

    def on_mount(self) -> None:
        self.title = t("quiz.title", title=self.bank.title)
        # A resumed quiz keeps the mode it was started in (the draw and the rules depend on it).
        mode = next((e["mode"] for e in self.events if e.get("type") == "start" and "mode" in e), self.app.mode)  # type: ignore[attr-defined]
        self.state = start_quiz(self.bank, self.seed, mode=mode)
        offset = 0.0
        for event in self.events:  # resume: replay the saved answers
            if "question" in event and event.get("type") in (None, "answer"):
                self.state, _ = answer(self.state, event["question"], event["response"], float(event.get("at") or 0.0))
                offset = float(event.get("at") or 0.0)
        self.started = time.monotonic() - offset
        self.position = self._first_open()
        if self.events and self.position:
            self.write(Text(t("quiz.resumed", n=self.position + 1), style="italic green"))
        self._show_question()
        self.query_one("#answer", Input).focus()

    def _elapsed(self) -> float:
        return round(time.monotonic() - self.started, 1)

    def _first_open(self) -> int:
        for position, attempts in enumerate(self.state.attempts):
            if not attempts:
                return position
            question = self.state.questions[position].id
            if self.state.mode == "training" and self.state.tries_left(question) > 0 and question not in self.passed:
                return position
        return len(self.state.questions)

    def quit_note(self) -> str | None:
        if self.done or self.attempt_id is None or self.state is None:
            return None
        total = len(self.state.questions)
        return t("quit.quiz", n=min(self.position + (1 if not self.waiting_next else 2), total), total=total)

    def next_item(self) -> None:
        self.position += 1
        self._show_question()

    def _show_question(self) -> None:
        if self.position >= len(self.state.questions):
            self._finish()
            return
        prepared = self.state.questions[self.position]
        self.write(Text(t("quiz.progress", n=self.position + 1, total=len(self.state.questions)), style="bold"), "section")
        self.write(literal(prepared.text))
        kind = prepared.kind
        if prepared.options:
            if kind == "matching":
                lefts = [pair.left for pair in prepared.question.pairs]
                for number_, left in enumerate(lefts, 1):
                    self.write(literal(f"  {number_}. {left}"))
                self.write(Text("  →", style="dim"))
                for number_, option in enumerate(prepared.options, 1):
                    self.write(literal(f"     {number_}) {option}"))
            else:
                for number_, option in enumerate(prepared.options, 1):
                    self.write(literal(f"  {number_}. {option}"))
        help_key = _HELP.get(kind)
        if help_key:
            self.write(Text(t(help_key), style="dim"))

    def accepts_empty(self) -> bool:
        # Enter alone after a first try: keep that answer and go on (no more tries).
        return self.state is not None and self.position < len(self.state.questions) and bool(self.state.attempts[self.position])

    def submit(self, typed: str) -> None:
        if not typed.strip():
            # Moving on keeps the answer given; saved so that a resume starts after it.
            question = self.state.questions[self.position].id
            self.passed.add(question)
            self.app.save_event(self.attempt_id, {"type": "next", "question": question})  # type: ignore[attr-defined]
            self.next_item()
            return
        prepared = self.state.questions[self.position]
        response = to_response(prepared.kind, typed)
        now = self._elapsed()
        self.state, result = answer(self.state, prepared.id, response, now)
        if result.status == "invalid":
            self.error(unreadable(result.message, prepared.kind))
            return
        self.write(literal(f"  > {typed}"), "muted")
        self.app.save_event(  # type: ignore[attr-defined]
            self.attempt_id, {"type": "answer", "question": prepared.id, "response": response, "at": now}
        )
        if result.status in ("late", "refused", "recorded"):
            if result.message and result.status != "recorded":
                self.write(literal(result.message))
            self.next_item()
            return
        label = {"correct": "quiz.correct", "partial": "quiz.partial"}.get(result.status, "quiz.wrong")
        style = {"correct": "green", "partial": "yellow"}.get(result.status, "red")
        self.write(Text(t(label, score=number(result.score or 0)), style=style))
        for line in result.feedback:
            self.write(literal(f"  {line}"))
        if result.expected:
            self.write(literal(t("quiz.expected", text=result.expected)))
        if result.tries_left == 0:
            if result.message and language() == "fr":
                self.write(literal(result.message), "muted")
            self.wait_for_next()
        else:
            # The engine says it in French (with the penalty); English gets the catalogue's words.
            note = result.message if (result.message and language() == "fr") else t("quiz.try_again", n=result.tries_left)
            self.write(literal(note + " " + t("quiz.or_skip"), "dim"))

    def _finish(self) -> None:
        result = finish(self.state)
        verdict = t("quiz.passed") if result.passed else t("quiz.failed")
        self.write(Text(t("quiz.finished", score=number(result.percent), verdict=verdict), style="bold"), "title")
        if result.feedback:
            self.write(literal(result.feedback.strip()))
        missed = [o for o in result.outcomes if o.status != "correct"]
        self.write(Text(t("quiz.review") if missed else t("quiz.all_right"), style="bold"), "section")
        for outcome in missed:
            style = {"partial": "yellow"}.get(outcome.status, "red")
            self.write(Text(f"{number(outcome.score)}/{number(outcome.max_score)} · ", style=style) + literal(outcome.text))
            shown = t("quiz.unanswered") if outcome.response is None else str(outcome.response)
            self.write(literal("   " + t("quiz.your_answer", text=shown)))
            self.write(literal("   " + t("quiz.expected", text=outcome.expected)))
            for line in outcome.feedback:
                self.write(literal(f"   {line}"))
        self.app.finish_attempt(self.attempt_id, result.percent, result.passed, _with_options(self.state, result.to_dict()))  # type: ignore[attr-defined]
        self.close()


def _with_options(state: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The quiz result as ``relance quiz --record`` stores it (with the options shown)."""
    questions = {key: dict(value) for key, value in data.get("questions", {}).items()}
    for prepared in state.questions:
        if prepared.id in questions and prepared.options:
            questions[prepared.id]["options"] = list(prepared.options)
    return {**data, "questions": questions}


class CaseStudyScreen(_Base):
    """A dossier with tables, then one question at a time (Enter for the next), then the result."""

    def __init__(self, study: Any, seed: int, attempt_id: int | None) -> None:
        super().__init__()
        self.study = study
        self.seed = seed
        self.attempt_id = attempt_id
        self.position = 0
        self.responses: dict[str, object] = {}

    def on_mount(self) -> None:
        self.title = t("study.title", title=self.study.title)
        self.sheet = start_case_study(self.study, self.seed)
        if self.sheet.intro:
            self.write(literal(self.sheet.intro))
        for table in self.sheet.tables:
            grid = Table(title=table.title, show_lines=False)
            for column in table.columns:
                grid.add_column(column, overflow="fold")
            for row in table.rows:
                grid.add_row(*(Text(cell) for cell in row))
            self.write(grid)
        self._show_question()
        self.query_one("#answer", Input).focus()

    def quit_note(self) -> str | None:
        if self.done or self.attempt_id is None:
            return None
        return t("quit.study")

    def next_item(self) -> None:
        self.position += 1
        self._show_question()

    def _show_question(self) -> None:
        if self.position >= len(self.sheet.questions):
            self._finish()
            return
        question = self.sheet.questions[self.position]
        self.write(Text(t("quiz.progress", n=self.position + 1, total=len(self.sheet.questions)), style="bold"), "section")
        self.write(literal(question.text))
        self.write(Text(t("quiz.number_help"), style="dim"))

    def submit(self, typed: str) -> None:
        question = self.sheet.questions[self.position]
        graded = grade_case_question(self.sheet, question.id, typed)
        if graded.status == "invalid":
            self.error(unreadable(graded.message, "numeric"))
            return
        self.responses[question.id] = typed
        self.app.save_event(self.attempt_id, {"type": "answer", "question": question.id, "response": typed, "at": 0.0})  # type: ignore[attr-defined]
        self.write(literal(f"  > {typed}"), "muted")
        self.write(Text(t("quiz.correct" if graded.correct else "quiz.wrong", score=number(graded.score)),
                        style="green" if graded.correct else "red"))
        self.write(literal(t("quiz.expected", text=graded.expected)))
        if graded.solution:
            self.write(Text(t("study.solution"), style="bold"))
            for line in graded.solution:
                self.write(literal(f"  {line}"))
        self.wait_for_next()

    def _finish(self) -> None:
        result = grade_case_study(self.sheet, self.responses)
        verdict = t("quiz.passed") if result.passed else t("quiz.failed")
        self.write(Text(t("study.result", score=number(result.percent), verdict=verdict), style="bold"), "title")
        self.app.finish_attempt(self.attempt_id, result.percent, result.passed, result.to_dict())  # type: ignore[attr-defined]
        self.close()


class QuestionnaireScreen(_Base):
    """Self-assessment: the trainee chooses the moment (before/after), rates each statement 1–5,
    then the free text; the progress since the positioning is shown when there is one."""

    def __init__(self, questionnaire: Any, attempt_id: int | None = None) -> None:
        super().__init__()
        self.questionnaire = questionnaire
        self.attempt_id = attempt_id
        self.position = -1  # -1: choosing the phase
        self.ratings: dict[str, int] = {}
        self.phase = "before"
        self.before: dict[str, Any] | None = None

    def on_mount(self) -> None:
        self.title = t("questionnaire.title", title=self.questionnaire.title)
        previous = [
            a for a in self.app.attempts()  # type: ignore[attr-defined]
            if a.kind == "questionnaire" and a.ref == self.questionnaire.id and a.status == "finished"
        ]
        phases = [(a.result or {}).get("phase") for a in previous]
        self.before = next((a.result for a in reversed(previous) if (a.result or {}).get("phase") == "before"), None)
        self.phase = default_phase(phases)
        if self.questionnaire.description:
            self.write(literal(self.questionnaire.description.strip()))
        self.write(Text(t("questionnaire.choose"), style="bold"), "section")
        for choice, phase in enumerate(("before", "after"), 1):
            done = t("questionnaire.already") if phase in phases else ""
            self.write(literal(f"  {choice} — {t(f'phase.{phase}')}{done}"))
        self.write(Text(t("questionnaire.choose_help", phase=t(f"phase.{self.phase}")), style="dim"))
        self.query_one("#answer", Input).focus()

    def quit_note(self) -> str | None:
        if self.done or self.attempt_id is None:
            return None
        return t("quit.questionnaire")

    def _begin(self, phase: str) -> None:
        self.phase = phase
        self.attempt_id = self.app.start_attempt("questionnaire", self.questionnaire.id, 0)  # type: ignore[attr-defined]
        self.position = 0
        self.write(Text(t("questionnaire.phase", phase=t(f"phase.{phase}")), style="bold green"))
        for level, label in enumerate(self.questionnaire.scale, 1):
            self.write(literal(f"  {level} — {label}"), "muted")
        self._show_item()

    def _show_item(self) -> None:
        items = self.questionnaire.items
        if self.position < len(items):
            self.write(Text(t("quiz.progress", n=self.position + 1, total=len(items)), style="bold"), "section")
            self.write(literal(items[self.position].text))
            self.write(Text(t("questionnaire.scale_help"), style="dim"))
        elif self.questionnaire.free_text:
            self.write(literal(t("questionnaire.free", prompt=self.questionnaire.free_text)), "section")

    def accepts_empty(self) -> bool:
        # Enter alone takes the proposed phase, or ends with no free text.
        return self.position < 0 or self.position >= len(self.questionnaire.items)

    def submit(self, typed: str) -> None:
        typed = typed.strip()
        if self.position < 0:
            choice = {"": self.phase, "1": "before", "2": "after"}.get(typed)
            if choice is None:
                self.error(t("questionnaire.choose_help", phase=t(f"phase.{self.phase}")))
                return
            self._begin(choice)
            return
        items = self.questionnaire.items
        if self.position < len(items):
            if typed not in {"1", "2", "3", "4", "5"}:
                self.error(t("questionnaire.scale_help"))
                return
            item = items[self.position]
            self.ratings[item.id] = int(typed)
            self.app.save_event(self.attempt_id, {"type": "rating", "item": item.id, "value": int(typed)})  # type: ignore[attr-defined]
            self.write(literal(f"  > {typed} — {self.questionnaire.scale[int(typed) - 1]}"), "muted")
            self.position += 1
            if self.position < len(items) or self.questionnaire.free_text:
                self._show_item()
                return
        self._finish(typed if self.position >= len(items) else "")

    def _finish(self, free_text: str) -> None:
        try:
            answers = rate(self.questionnaire, self.ratings, phase=self.phase, free_text=free_text)  # type: ignore[arg-type]
        except QuestionnaireError as error:
            self.error(error.message)
            return
        result = answers.to_dict()
        if self.phase == "after" and self.before:
            from simulator.quiz.questionnaire import compare

            before = rate(self.questionnaire, self.before["ratings"], phase="before", free_text=self.before.get("free_text", ""))
            self.write(Text(t("questionnaire.progress"), style="bold"), "section")
            titles = {o.id: o.text for m in self.app.library.packs for mod in m.manifest.modules for o in mod.objectives}  # type: ignore[attr-defined]
            progress = compare(self.questionnaire, before, answers)
            for row in progress:
                sign = "+" if row.delta >= 0 else ""
                line = f"  {titles.get(row.objective, row.objective)} : {number(float(row.before))} → {number(float(row.after))} ({sign}{number(float(row.delta))})"
                self.write(literal(line))
            result["progress"] = [row.to_dict() for row in progress]
        self.write(Text(t("questionnaire.saved", phase=t(f"phase.{self.phase}")), style="green"))
        self.app.finish_attempt(self.attempt_id, None, None, result)  # type: ignore[attr-defined]
        self.close()
