"""The Relance Textual application: one factory shared by the CLI and the tests."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from simulator.content.library import Library
from simulator.errors import SimulatorError
from simulator.tui.base import localize_bindings
from simulator.tui.i18n import set_language, t

__all__ = ["RelanceApp", "make_app"]


class RelanceApp(App[int]):
    """Trainee app: identity, home, calls, debriefs, quizzes, results."""

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
    ) -> None:
        self.library = library
        self.store = store
        chosen = lang or self._setting("language", "fr")
        set_language(chosen)
        self.lang = chosen
        super().__init__()
        localize_bindings(self)
        self.fixed_seed = seed
        self.mode = mode or self._setting("mode", "training")
        self.trainee: Any = None

    # ------------------------------------------------------------------ store helpers

    def _setting(self, key: str, default: str) -> str:
        try:
            value = self.store.get_setting(key, default)
        except (SimulatorError, AttributeError):
            return default
        return str(value) if value else default

    def _store(self, action: str, *args: Any, **kwargs: Any) -> Any:
        """Call the store; a failure is shown, never a crash (the call goes on)."""
        try:
            return getattr(self.store, action)(*args, **kwargs)
        except SimulatorError as error:
            self.notify(t("error.store", message=error.message), severity="error", timeout=8)
            return None

    def save_event(self, attempt_id: int | None, payload: dict[str, Any]) -> None:
        if attempt_id is not None:
            self._store("add_event", attempt_id, payload)

    def abandon(self, attempt_id: int | None) -> None:
        if attempt_id is not None:
            self._store("abandon_attempt", attempt_id)

    def finish_call(self, attempt_id: int | None, state: Any, card: Any) -> None:
        if attempt_id is None:
            return
        from simulator.dialogue import dumps, to_document

        pack = self.library.pack_of("case", state.setup.case.id)
        document = to_document(state, pack.id, pack.hash, pack.manifest.version)
        import hashlib

        digest = "sha256:" + hashlib.sha256(dumps(document).encode()).hexdigest()
        success = card.outcome in ("commitment", "instalments", "dispute", "callback", "voicemail")
        self._store("finish_attempt", attempt_id, card.overall, bool(success and card.overall >= 70), document, digest)

    def finish_attempt(self, attempt_id: int | None, score: float | None, passed: bool | None, result: dict[str, Any]) -> None:
        if attempt_id is not None:
            self._store("finish_attempt", attempt_id, score, passed, result)

    def attempts(self) -> list[Any]:
        if self.trainee is None:
            return []
        return list(self._store("attempts", self.trainee.id) or [])

    def best_scores(self) -> dict[tuple[str, str], float]:
        best: dict[tuple[str, str], float] = {}
        for attempt in self.attempts():
            if attempt.status == "finished" and attempt.score is not None:
                key = (attempt.kind, attempt.ref)
                best[key] = max(best.get(key, 0.0), float(attempt.score))
        return best

    def title_of(self, kind: str, ref: str) -> str:
        lookup = {"call": "case", "quiz": "quiz", "case-study": "case-study", "questionnaire": "questionnaire"}
        try:
            return str(self.library.get(lookup.get(kind, kind), ref).title)
        except SimulatorError:
            return ref

    def new_seed(self) -> int:
        return self.fixed_seed if self.fixed_seed is not None else secrets.randbelow(2**32)

    def start_attempt(self, kind: str, lookup: str, ref: str, seed: int) -> int | None:
        if self.trainee is None:
            return None
        pack = self.library.pack_of(lookup, ref)
        return self._store(
            "start_attempt", self.trainee.id, kind, ref, pack.id, pack.manifest.version, pack.hash, seed
        )

    # ------------------------------------------------------------------ lifecycle

    def on_mount(self) -> None:
        self.title = t("app.title")
        self.sub_title = t("app.subtitle")
        self.trainee = self._store("current_trainee")
        if self.trainee is None:
            from simulator.tui.screens.dialogs import IdentityScreen

            self.push_screen(IdentityScreen(), self._identity_saved)
        else:
            self._go_home()

    def _identity_saved(self, values: dict[str, str] | None) -> None:
        if not values:
            self.exit(0)
            return
        trainee = self._store(
            "upsert_trainee", values["nom"], values["prenom"], values["organisation"], session_code=values.get("session", "")
        )
        if trainee is not None:
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
        from simulator.tui.screens.dialogs import ConfirmScreen

        def answer(resume: bool | None) -> None:
            for other in pending[:-1]:
                self.abandon(other.id)
            if resume:
                self.resume_attempt(attempt)
            else:
                self.abandon(attempt.id)

        what = f"{t(f'results.kind.{attempt.kind}')} « {self.title_of(attempt.kind, attempt.ref)} »"
        self.push_screen(ConfirmScreen(t("home.resume", what=what)), answer)

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

    # ------------------------------------------------------------------ navigation

    def open_activity(self, option_id: str) -> None:
        kind, _, ref = option_id.partition(":")
        if kind == "results":
            self.action_results()
        elif kind == "call":
            from simulator.tui.screens.call import CallScreen

            seed = self.new_seed()
            attempt = self.start_attempt("call", "case", ref, seed)
            self.push_screen(CallScreen(self.library.case(ref), seed, attempt))
        elif kind == "quiz":
            from simulator.tui.screens.quiz import QuizScreen

            seed = self.new_seed()
            attempt = self.start_attempt("quiz", "quiz", ref, seed)
            self.push_screen(QuizScreen(self.library.quiz(ref), seed, attempt))
        elif kind == "study":
            from simulator.tui.screens.quiz import CaseStudyScreen

            seed = self.new_seed()
            attempt = self.start_attempt("case-study", "case-study", ref, seed)
            self.push_screen(CaseStudyScreen(self.library.case_study(ref), seed, attempt))
        elif kind == "questionnaire":
            from simulator.tui.screens.quiz import QuestionnaireScreen

            attempt = self.start_attempt("questionnaire", "questionnaire", ref, 0)
            self.push_screen(QuestionnaireScreen(self.library.questionnaire(ref), attempt))

    def action_results(self) -> None:
        from simulator.tui.screens.results import ResultsScreen

        self.push_screen(ResultsScreen())

    def action_help(self) -> None:
        from simulator.tui.screens.dialogs import HelpScreen

        self.push_screen(HelpScreen())

    def action_toggle_mode(self) -> None:
        self.mode = "exam" if self.mode == "training" else "training"
        self._store("set_setting", "mode", self.mode)
        self._refresh_home()

    def action_language(self) -> None:
        self.lang = "en" if self.lang == "fr" else "fr"
        set_language(self.lang)
        self._store("set_setting", "language", self.lang)
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
        yield SystemCommand(t("palette.results"), "", self.action_results)
        yield SystemCommand(t("palette.language"), "", self.action_language)
        yield SystemCommand(t("palette.help"), "", self.action_help)
        for case in self.library.all("case"):
            yield SystemCommand(t("palette.call", title=case.title), case.id, lambda ref=case.id: self.open_activity(f"call:{ref}"))
        for quiz in self.library.all("quiz"):
            yield SystemCommand(t("palette.quiz", title=quiz.title), quiz.id, lambda ref=quiz.id: self.open_activity(f"quiz:{ref}"))
        for study in self.library.all("case-study"):
            yield SystemCommand(t("palette.study", title=study.title), study.id, lambda ref=study.id: self.open_activity(f"study:{ref}"))


def make_app(
    library: Library,
    lang: str | None = None,
    *,
    store: Any = None,
    store_path: Path | None = None,
    seed: int | None = None,
    mode: str | None = None,
) -> RelanceApp:
    """Build the app with its data (the CLI and the tests share this factory)."""
    if store is None:
        from simulator.records.store import Store

        store = Store.open(store_path)
    return RelanceApp(library, store, lang, seed=seed, mode=mode)
