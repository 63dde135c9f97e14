"""The Relance Textual application: one factory shared by the CLI, ``relance serve`` and the tests."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from simulator.content.library import Library
from simulator.errors import NotFoundError, SimulatorError
from simulator.tui.base import clean_message, keep_spaces_unbroken, localize_bindings
from simulator.tui.i18n import set_language, t

__all__ = ["RelanceApp", "make_app", "progress_of"]

keep_spaces_unbroken()

LOOKUP = {"call": "case", "quiz": "quiz", "case-study": "case-study", "questionnaire": "questionnaire"}
"""Attempt kind → library kind."""


def progress_of(events: list[dict[str, Any]]) -> int:
    """How many replies, answers or ratings an attempt's events hold (old and new formats)."""
    return sum(
        1
        for e in events
        if e.get("type") in ("reply", "answer", "rating") or ("type" not in e and ("reply" in e or "question" in e or "item" in e))
    )


class RelanceApp(App[int]):
    """Trainee app: identity, home, calls, debriefs, drills, quizzes, results.

    ``served`` is set by ``relance serve``: the app is then one browser tab, a trainee
    session of its own over the shared store (the identity is asked in each tab, and
    the language and mode chosen there stay in that tab).
    """

    CSS_PATH = "app.tcss"
    TITLE = "Relance"
    BINDINGS = [
        Binding("f1", "help", "key.help"),
        Binding("f2", "language", "key.language"),
        Binding("ctrl+q", "quit", "key.quit", priority=True),
    ]

    def __init__(
        self,
        library: Library,
        store: Any,
        lang: str | None = None,
        *,
        seed: int | None = None,
        mode: str | None = None,
        served: bool = False,
    ) -> None:
        self.library = library
        self.store = store
        self.served = served
        chosen = lang or ("fr" if served else self._setting("language", "fr"))
        set_language(chosen)
        self.lang = chosen
        super().__init__()
        localize_bindings(self)
        self.fixed_seed = seed
        self.mode = mode or ("training" if served else self._setting("mode", "training"))
        self.trainee: Any = None

    # ------------------------------------------------------------------ store helpers

    def _setting(self, key: str, default: str) -> str:
        try:
            value = self.store.get_setting(key, default)
        except (SimulatorError, AttributeError):
            return default
        return str(value) if value else default

    def _save_setting(self, key: str, value: str) -> None:
        if not self.served:  # a browser tab keeps its choices to itself
            self._store("set_setting", key, value)

    def _store(self, action: str, *args: Any, **kwargs: Any) -> Any:
        """Call the store; a failure is shown, never a crash (the activity goes on)."""
        try:
            return getattr(self.store, action)(*args, **kwargs)
        except SimulatorError as error:
            self.notify(t("error.store", message=clean_message(error.message)), severity="error", timeout=8)
            return None

    def save_event(self, attempt_id: int | None, payload: dict[str, Any]) -> None:
        if attempt_id is not None:
            self._store("add_event", attempt_id, payload)

    def abandon(self, attempt_id: int | None) -> None:
        if attempt_id is not None:
            self._store("abandon_attempt", attempt_id)

    def trainee_name(self) -> str:
        """The trainee's full name (who they are when a case names no caller)."""
        if self.trainee is None:
            return ""
        return f"{self.trainee.prenom} {self.trainee.nom}".strip()

    def start_attempt(
        self, kind: str, ref: str, seed: int, *, retry_of: int | None = None, retry_from: int | None = None
    ) -> int | None:
        """Open an attempt for the trainee, as the headless commands record one."""
        if self.trainee is None:
            return None
        from simulator.records.recording import CALL_MODULE, pack_dependencies

        lookup = LOOKUP[kind]
        pack = self.library.pack_of(lookup, ref)
        module = CALL_MODULE if kind == "call" else getattr(self.library.get(lookup, ref), "module", None)
        sessions = self._store("trainee_sessions", self.trainee.id) or []
        return self._store(
            "start_attempt",
            self.trainee.id,
            kind,
            ref,
            pack.id,
            pack.manifest.version,
            pack.hash,
            seed,
            sessions[-1].id if sessions else None,
            module=module,
            dependencies=pack_dependencies(self.library, pack),
            retry_of=retry_of,
            retry_from=retry_from,
        )

    def finish_call(self, attempt_id: int | None, state: Any) -> None:
        """Close a call attempt with its transcript, then update the trainee's drill cards."""
        if attempt_id is None:
            return
        from simulator.dialogue import to_document
        from simulator.records.recording import finish_call

        pack = self.library.pack_of("case", state.setup.case.id)
        document = to_document(state, pack.id, pack.hash, pack.manifest.version)
        try:
            finish_call(self.store, attempt_id, document)
        except SimulatorError as error:
            self.notify(t("error.store", message=clean_message(error.message)), severity="error", timeout=8)
            return
        from simulator.records.drills import record_call_drills

        self._store_call(
            record_call_drills,
            self.trainee.id,
            state,
            case_id=state.setup.case.id,
            pack_id=pack.id,
            pack_hash=pack.hash,
            attempt_id=attempt_id,
        )

    def _store_call(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        """Run a records helper on the store; a failure is shown, never a crash."""
        try:
            return function(self.store, *args, **kwargs)
        except SimulatorError as error:
            self.notify(t("error.store", message=clean_message(error.message)), severity="error", timeout=8)
            return None

    def finish_attempt(self, attempt_id: int | None, score: float | None, passed: bool | None, result: dict[str, Any]) -> None:
        if attempt_id is not None:
            self._store("finish_attempt", attempt_id, score, passed, result)

    def save_followup(self, attempt_id: int | None, sheet: dict[str, str], result: Any) -> bool:
        """Keep the follow-up sheet of a finished call; True when it is on disk."""
        if attempt_id is None:
            return False
        saved = self._store("save_followup", attempt_id, sheet, result.score, result.as_dict())
        return saved is not None

    def attempts(self) -> list[Any]:
        if self.trainee is None:
            return []
        return list(self._store("attempts", self.trainee.id) or [])

    def followups(self) -> dict[int, Any]:
        if self.trainee is None:
            return {}
        return dict(self._store("followups", self.trainee.id) or {})

    def due_drills(self) -> int:
        """How many drill cards are due today (a plain count: no scheduler imported)."""
        if self.trainee is None:
            return 0
        from simulator.records.store import end_of_day

        try:
            return int(self.store.count_due_drills(self.trainee.id, end_of_day(self.store.now())))
        except (SimulatorError, AttributeError):
            return 0

    def best_scores(self) -> dict[tuple[str, str], float]:
        best: dict[tuple[str, str], float] = {}
        for attempt in self.attempts():
            if attempt.status == "finished" and attempt.score is not None:
                key = (attempt.kind, attempt.ref)
                best[key] = max(best.get(key, 0.0), float(attempt.score))
        return best

    def title_of(self, kind: str, ref: str) -> str:
        try:
            return str(self.library.get(LOOKUP.get(kind, kind), ref).title)
        except SimulatorError:
            return ref

    def new_seed(self) -> int:
        return self.fixed_seed if self.fixed_seed is not None else secrets.randbelow(2**32)

    # ------------------------------------------------------------------ lifecycle

    def on_mount(self) -> None:
        self.title = t("app.title")
        self.sub_title = t("app.subtitle")
        self.trainee = None if self.served else self._store("current_trainee")
        if self.trainee is None:
            self._ask_identity()
        else:
            self._go_home()

    def _ask_identity(self) -> None:
        from simulator.tui.screens.dialogs import IdentityScreen

        self.push_screen(IdentityScreen(self.session_known), self._identity_saved)

    def session_known(self, code: str) -> bool:
        """Whether a training session has this code (the welcome form refuses unknown codes)."""
        try:
            self.store.session_by_code(code)
        except NotFoundError:
            return False
        except (SimulatorError, AttributeError):
            return True  # the store will say what is wrong when the trainee is saved
        return True

    def _identity_saved(self, values: dict[str, str] | None) -> None:
        if not values:
            self.exit(0)
            return
        trainee = self._store(
            "upsert_trainee", values["nom"], values["prenom"], values["organisation"], session_code=values.get("session", "")
        )
        if trainee is None:
            self._ask_identity()  # nothing recorded: ask again, with the error shown
            return
        if not self.served:
            self._store("set_current_trainee", trainee.id)
        self.trainee = trainee
        self._go_home()

    def _go_home(self) -> None:
        from simulator.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        self._offer_resume()

    def _offer_resume(self) -> None:
        if self.trainee is None:
            return
        pending = self._store("open_attempts", self.trainee.id) or []
        if not pending:
            return
        attempt = pending[-1]
        done = progress_of(self._store("events", attempt.id) or [])
        if not done:  # opened but nothing answered: nothing to resume, nothing lost
            for other in pending:
                self.abandon(other.id)
            return
        from simulator.tui.screens.dialogs import ConfirmScreen

        def answer(resume: bool | None) -> None:
            if resume is None:
                return  # later: the attempt stays open
            for other in pending[:-1]:
                self.abandon(other.id)
            if resume:
                self.resume_attempt(attempt)
            else:
                self.abandon(attempt.id)

        what = f"{t(f'results.kind.{attempt.kind}')} « {self.title_of(attempt.kind, attempt.ref)} »"
        question = t("home.resume", what=what, n=done) + "\n" + t("home.resume_lost", n=done)
        self.push_screen(
            ConfirmScreen(question, yes=t("home.resume_yes"), no=t("home.resume_no"), default_yes=True, yes_variant="primary", no_variant="error"),
            answer,
        )

    def resume_attempt(self, attempt: Any) -> None:
        events = self._store("events", attempt.id) or []
        try:
            if attempt.kind == "call":
                from simulator.tui.screens.call import CallScreen, replies_from_events

                case = self.library.case(attempt.ref)
                self.push_screen(CallScreen(case, attempt.seed, attempt.id, replies_from_events(events)))
            elif attempt.kind == "quiz":
                from simulator.tui.screens.quiz import QuizScreen

                self.push_screen(QuizScreen(self.library.quiz(attempt.ref), attempt.seed, attempt.id, events))
            else:
                self.abandon(attempt.id)
        except SimulatorError:
            self.abandon(attempt.id)

    async def action_quit(self) -> None:
        """Ctrl+Q: in an activity, say what is kept before quitting (Enter quits)."""
        note_of = getattr(self.screen, "quit_note", None)
        note = note_of() if callable(note_of) else None
        if not note:
            self.exit(0)
            return
        from simulator.tui.screens.dialogs import ConfirmScreen

        def answer(leave: bool | None) -> None:
            if leave:
                self.exit(0)

        self.push_screen(
            ConfirmScreen(t("quit.confirm", note=note), yes=t("quit.yes"), no=t("quit.no"), default_yes=True, yes_variant="primary"),
            answer,
        )

    # ------------------------------------------------------------------ navigation

    def open_activity(self, option_id: str) -> None:
        kind, _, ref = option_id.partition(":")
        if kind == "results":
            self.action_results()
        elif kind == "drills":
            self.action_drills()
        elif kind == "call":
            self.start_call(ref)
        elif kind == "quiz":
            from simulator.tui.screens.quiz import QuizScreen

            seed = self.new_seed()
            attempt = self.start_attempt("quiz", ref, seed)
            self.save_event(attempt, {"type": "start", "mode": self.mode})
            self.push_screen(QuizScreen(self.library.quiz(ref), seed, attempt))
        elif kind == "study":
            from simulator.tui.screens.quiz import CaseStudyScreen

            seed = self.new_seed()
            attempt = self.start_attempt("case-study", ref, seed)
            self.push_screen(CaseStudyScreen(self.library.case_study(ref), seed, attempt))
        elif kind == "questionnaire":
            from simulator.tui.screens.quiz import QuestionnaireScreen

            self.push_screen(QuestionnaireScreen(self.library.questionnaire(ref)))

    def start_call(
        self,
        ref: str,
        *,
        seed: int | None = None,
        replies: list[tuple[str, float | None]] | None = None,
        retry_of: int | None = None,
        switch: bool = False,
    ) -> None:
        """Open a call; with ``replies`` and ``retry_of``, a retry that starts after those replies."""
        from simulator.tui.screens.call import CallScreen

        seed = self.new_seed() if seed is None else seed
        kept = replies or []
        attempt = self.start_attempt(
            "call", ref, seed, retry_of=retry_of, retry_from=len(kept) if retry_of is not None else None
        )
        for text, at in kept:  # the retry holds the whole call: the kept replies come first
            self.save_event(attempt, {"type": "reply", "text": text, "at": at, "kept": True})
        screen = CallScreen(self.library.case(ref), seed, attempt, kept, retry=retry_of is not None)
        if switch:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def action_results(self) -> None:
        from simulator.tui.screens.results import ResultsScreen

        self.push_screen(ResultsScreen())

    def action_drills(self) -> None:
        from simulator.tui.screens.drills import DrillScreen

        self.push_screen(DrillScreen())

    def action_help(self) -> None:
        from simulator.tui.screens.dialogs import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))

    def action_toggle_mode(self) -> None:
        self.mode = "exam" if self.mode == "training" else "training"
        self._save_setting("mode", self.mode)
        self.notify(t(f"mode.explain.{self.mode}"), title=t("home.mode", mode=t(f"mode.{self.mode}")), timeout=8)
        self._refresh_home()

    def action_language(self) -> None:
        self.lang = "en" if self.lang == "fr" else "fr"
        set_language(self.lang)
        self._save_setting("language", self.lang)
        localize_bindings(self)
        for screen in self.screen_stack:
            localize_bindings(screen)
        self.title = t("app.title")
        self.sub_title = t("app.subtitle")
        self._refresh_home()
        self.refresh_bindings()

    def _refresh_home(self) -> None:
        from simulator.tui.screens.home import HomeScreen

        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.refresh_list()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.trainee is None:
            return
        yield SystemCommand(t("palette.results"), t("palette.results_help"), self.action_results)
        yield SystemCommand(t("palette.drills"), t("palette.drills_help"), self.action_drills)
        yield SystemCommand(t("palette.language"), t("palette.language_help"), self.action_language)
        yield SystemCommand(t("palette.help"), t("palette.help_help"), self.action_help)
        for case in self.library.all("case"):
            about = t("palette.call_help", stars="★" * case.difficulty, situation=t(f"situation.{case.situation}"), company=case.debtor.company)
            yield SystemCommand(t("palette.call", title=case.title), about, lambda ref=case.id: self.open_activity(f"call:{ref}"))
        for quiz in self.library.all("quiz"):
            count = quiz.draw or len(quiz.questions)
            yield SystemCommand(t("palette.quiz", title=quiz.title), t("home.questions", n=count), lambda ref=quiz.id: self.open_activity(f"quiz:{ref}"))
        for study in self.library.all("case-study"):
            yield SystemCommand(t("palette.study", title=study.title), t("palette.study_help"), lambda ref=study.id: self.open_activity(f"study:{ref}"))


def make_app(
    library: Library,
    lang: str | None = None,
    *,
    store: Any = None,
    store_path: Path | None = None,
    seed: int | None = None,
    mode: str | None = None,
    served: bool = False,
) -> RelanceApp:
    """Build the app with its data (the CLI, ``relance serve`` and the tests share this factory)."""
    if store is None:
        from simulator.records.store import Store

        store = Store.open(store_path)
    return RelanceApp(library, store, lang, seed=seed, mode=mode, served=served)
