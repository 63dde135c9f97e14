"""Quiz, case-study and self-assessment screens (engines in :mod:`simulator.quiz`)."""

from __future__ import annotations

import re
import time
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from simulator.quiz.case_study import grade_case_question, grade_case_study, start_case_study
from simulator.quiz.questionnaire import QuestionnaireError, rate
from simulator.quiz.session import answer, finish, start_quiz
from simulator.tui.base import literal, localize_bindings
from simulator.tui.i18n import t

__all__ = ["CaseStudyScreen", "QuestionnaireScreen", "QuizScreen", "to_response"]

_NUMBERS = re.compile(r"^\s*\d+(\s*[,; ]\s*\d+)*\s*$")


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


class _Base(Screen[None]):

    CSS_PATH = "../pages.tcss"
    BINDINGS = [Binding("escape", "leave", "key.back")]

    def __init__(self) -> None:
        super().__init__()
        localize_bindings(self)
        self.done = False
        self.attempt_id: int | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="quiz-scroll")
        yield Input(placeholder=t("quiz.answer_placeholder"), id="answer", max_length=2000)
        yield Footer()

    def write(self, renderable: Any, classes: str = "") -> None:
        scroll = self.query_one("#quiz-scroll", VerticalScroll)
        scroll.mount(Static(renderable, classes=classes))
        scroll.scroll_end(animate=False)

    def action_leave(self) -> None:
        if self.done:
            self.app.pop_screen()
            return
        from simulator.tui.screens.dialogs import ConfirmScreen

        def answer_(abandon: bool | None) -> None:
            if abandon:
                self.app.abandon(self.attempt_id)  # type: ignore[attr-defined]
                self.app.pop_screen()

        self.app.push_screen(ConfirmScreen(t("quiz.abandon")), answer_)


class QuizScreen(_Base):
    """One question at a time; training mode corrects at once, exam mode at the end."""

    def __init__(self, bank: Any, seed: int, attempt_id: int | None, events: list[dict[str, Any]] | None = None) -> None:
        super().__init__()
        self.bank = bank
        self.seed = seed
        self.attempt_id = attempt_id
        self.events = events or []
        self.position = 0
        self.waiting_next = False
        self.started = time.monotonic()
        self.state: Any = None

    def on_mount(self) -> None:
        self.title = t("quiz.title", title=self.bank.title)
        self.state = start_quiz(self.bank, self.seed, mode=self.app.mode)  # type: ignore[attr-defined]
        offset = 0.0
        for event in self.events:  # resume after a crash: replay the saved answers
            if "question" in event:
                self.state, _ = answer(self.state, event["question"], event["response"], float(event.get("at") or 0.0))
                offset = float(event.get("at") or 0.0)
        self.started = time.monotonic() - offset
        self.position = self._first_open()
        self._show_question()
        self.query_one("#answer", Input).focus()

    def _elapsed(self) -> float:
        return round(time.monotonic() - self.started, 1)

    def _first_open(self) -> int:
        for position, attempts in enumerate(self.state.attempts):
            if not attempts:
                return position
            if self.state.mode == "training" and self.state.tries_left(self.state.questions[position].id) > 0:
                return position
        return len(self.state.questions)

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
                for number, left in enumerate(lefts, 1):
                    self.write(literal(f"  {number}. {left}"))
                self.write(Text("  →", style="dim"))
                for number, option in enumerate(prepared.options, 1):
                    self.write(literal(f"     {number}) {option}"))
            else:
                for number, option in enumerate(prepared.options, 1):
                    self.write(literal(f"  {number}. {option}"))
        help_key = {
            "single": "quiz.choices_help",
            "multiple": "quiz.choices_help",
            "ordering": "quiz.order_help",
            "matching": "quiz.match_help",
            "truefalse": "quiz.truefalse_help",
        }.get(kind)
        if help_key:
            self.write(Text(t(help_key), style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value
        event.input.value = ""
        if self.done:
            self.app.pop_screen()
            return
        if self.waiting_next and not typed.strip():
            self.waiting_next = False
            self.position += 1
            self._show_question()
            return
        if not typed.strip():
            return
        prepared = self.state.questions[self.position]
        response = to_response(prepared.kind, typed)
        now = self._elapsed()
        self.state, result = answer(self.state, prepared.id, response, now)
        if result.status == "invalid":
            self.write(Text(t("quiz.invalid", message=result.message), style="yellow"))
            return
        self.write(literal(f"  > {typed}"), "muted")
        self.app.save_event(self.attempt_id, {"question": prepared.id, "response": response, "at": now})  # type: ignore[attr-defined]
        if result.status in ("late", "refused", "recorded"):
            if result.message and result.status != "recorded":
                self.write(literal(result.message))
            self.position += 1
            self._show_question()
            return
        label = {"correct": "quiz.correct", "partial": "quiz.partial"}.get(result.status, "quiz.wrong")
        style = {"correct": "green", "partial": "yellow"}.get(result.status, "red")
        self.write(Text(t(label, score=f"{result.score:g}"), style=style))
        for line in result.feedback:
            self.write(literal(f"  {line}"))
        if result.message:
            self.write(literal(result.message), "muted")
        if result.expected:
            self.write(literal(t("quiz.expected", text=result.expected)))
        if result.tries_left == 0:
            self.waiting_next = True
            self.write(Text(f"[{t('key.next')} : Entrée]", style="dim"))

    def _finish(self) -> None:
        result = finish(self.state)
        self.done = True
        verdict = t("quiz.passed") if result.passed else t("quiz.failed")
        self.write(Text(t("quiz.finished", score=f"{result.percent:g}", verdict=verdict), style="bold"), "title")
        if result.feedback:
            self.write(literal(result.feedback))
        if self.state.mode == "exam":
            self.write(Text(t("quiz.review"), style="bold"), "section")
            for outcome in result.outcomes:
                style = {"correct": "green", "partial": "yellow"}.get(outcome.status, "red")
                self.write(Text(f"{outcome.score:g}/{outcome.max_score:g} · ", style=style) + literal(outcome.text))
                self.write(literal("   " + t("quiz.your_answer", text=str(outcome.response))))
                self.write(literal("   " + t("quiz.expected", text=outcome.expected)))
                for line in outcome.feedback:
                    self.write(literal(f"   {line}"))
        self.app.finish_attempt(self.attempt_id, result.percent, result.passed, result.to_dict())  # type: ignore[attr-defined]
        self.query_one("#answer", Input).placeholder = t("key.back")


class CaseStudyScreen(_Base):
    """A dossier with tables, then one question at a time, then the worked solution."""

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

    def _show_question(self) -> None:
        if self.position >= len(self.sheet.questions):
            self._finish()
            return
        question = self.sheet.questions[self.position]
        self.write(Text(t("quiz.progress", n=self.position + 1, total=len(self.sheet.questions)), style="bold"), "section")
        self.write(literal(question.text))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value
        event.input.value = ""
        if self.done:
            self.app.pop_screen()
            return
        if not typed.strip():
            return
        question = self.sheet.questions[self.position]
        graded = grade_case_question(self.sheet, question.id, typed)
        if graded.status == "invalid":
            self.write(Text(t("quiz.invalid", message=graded.message), style="yellow"))
            return
        self.responses[question.id] = typed
        self.app.save_event(self.attempt_id, {"question": question.id, "response": typed})  # type: ignore[attr-defined]
        self.write(literal(f"  > {typed}"), "muted")
        self.write(Text(t("quiz.correct" if graded.correct else "quiz.wrong", score=f"{graded.score:g}"),
                        style="green" if graded.correct else "red"))
        self.write(literal(t("quiz.expected", text=graded.expected)))
        if graded.solution:
            self.write(Text(t("study.solution"), style="bold"))
            for line in graded.solution:
                self.write(literal(f"  {line}"))
        self.position += 1
        self._show_question()

    def _finish(self) -> None:
        result = grade_case_study(self.sheet, self.responses)
        self.done = True
        verdict = t("quiz.passed") if result.passed else t("quiz.failed")
        self.write(Text(t("study.result", score=f"{result.percent:g}", verdict=verdict), style="bold"), "title")
        self.app.finish_attempt(self.attempt_id, result.percent, result.passed, result.to_dict())  # type: ignore[attr-defined]


class QuestionnaireScreen(_Base):
    """Self-assessment: each statement rated 1–5, then the free text; progress if taken before."""

    def __init__(self, questionnaire: Any, attempt_id: int | None) -> None:
        super().__init__()
        self.questionnaire = questionnaire
        self.attempt_id = attempt_id
        self.position = 0
        self.ratings: dict[str, int] = {}
        self.phase = "before"

    def on_mount(self) -> None:
        self.title = t("questionnaire.title", title=self.questionnaire.title)
        previous = [
            a for a in self.app.attempts()  # type: ignore[attr-defined]
            if a.kind == "questionnaire" and a.ref == self.questionnaire.id and a.status == "finished"
        ]
        self.before = next((a.result for a in previous if (a.result or {}).get("phase") == "before"), None)
        self.phase = "after" if self.before else "before"
        self.write(Text(t("questionnaire.phase", phase=t(f"phase.{self.phase}")), style="bold"))
        if self.questionnaire.description:
            self.write(literal(self.questionnaire.description.strip()))
        for level, label in enumerate(self.questionnaire.scale, 1):
            self.write(literal(f"  {level} — {label}"), "muted")
        self._show_item()
        self.query_one("#answer", Input).focus()

    def _show_item(self) -> None:
        items = self.questionnaire.items
        if self.position < len(items):
            self.write(Text(t("quiz.progress", n=self.position + 1, total=len(items)), style="bold"), "section")
            self.write(literal(items[self.position].text))
            self.write(Text(t("questionnaire.scale_help"), style="dim"))
        elif self.questionnaire.free_text:
            self.write(literal(t("questionnaire.free", prompt=self.questionnaire.free_text)), "section")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value.strip()
        event.input.value = ""
        if self.done:
            self.app.pop_screen()
            return
        items = self.questionnaire.items
        if self.position < len(items):
            if typed not in {"1", "2", "3", "4", "5"}:
                self.write(Text(t("questionnaire.scale_help"), style="yellow"))
                return
            item = items[self.position]
            self.ratings[item.id] = int(typed)
            self.app.save_event(self.attempt_id, {"item": item.id, "rating": int(typed)})  # type: ignore[attr-defined]
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
            self.write(Text(error.message, style="red"))
            return
        self.done = True
        result = answers.to_dict()
        if self.before:
            from simulator.quiz.questionnaire import compare

            before = rate(self.questionnaire, self.before["ratings"], phase="before", free_text=self.before.get("free_text", ""))
            self.write(Text(t("questionnaire.progress"), style="bold"), "section")
            titles = {o.id: o.text for m in self.app.library.packs for mod in m.manifest.modules for o in mod.objectives}  # type: ignore[attr-defined]
            progress = compare(self.questionnaire, before, answers)
            for row in progress:
                sign = "+" if row.delta >= 0 else ""
                self.write(literal(f"  {titles.get(row.objective, row.objective)} : {row.before} → {row.after} ({sign}{row.delta})"))
            result["progress"] = [row.to_dict() for row in progress]
        self.write(Text(t("questionnaire.saved"), style="green"))
        self.app.finish_attempt(self.attempt_id, None, None, result)  # type: ignore[attr-defined]
