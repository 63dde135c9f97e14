"""Home: the activities of the loaded packs with the trainee's progress."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, OptionList
from textual.widgets.option_list import Option

from simulator.tui.base import literal, localize_bindings
from simulator.tui.i18n import t

__all__ = ["HomeScreen"]


class HomeScreen(Screen[None]):
    """Modules and activities; Enter opens one."""

    BINDINGS = [
        Binding("r", "app.results", "key.results"),
        Binding("d", "app.drills", "key.drills"),
        Binding("m", "app.toggle_mode", "key.mode"),
        Binding("ctrl+q", "app.quit", "key.quit"),
    ]
    HELP = "help.home"

    def __init__(self) -> None:
        super().__init__()
        localize_bindings(self)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="hello", classes="title")
        yield Label("", id="mode", classes="muted")
        yield OptionList(id="home-list")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_list()

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        app = self.app
        self.title = t("app.title")
        self.sub_title = t("app.subtitle")
        name = app.trainee_name()  # type: ignore[attr-defined]
        self.query_one("#hello", Label).update(literal(t("home.hello", name=name)))
        mode = app.mode  # type: ignore[attr-defined]
        self.query_one("#mode", Label).update(f"{t('home.mode', mode=t(f'mode.{mode}'))} — {t(f'mode.short.{mode}')}")
        best = app.best_scores()  # type: ignore[attr-defined]
        library = app.library  # type: ignore[attr-defined]
        options: list[Option | None] = []

        def header(key: str) -> None:
            options.append(Option(t(key), disabled=True))

        def progress(kind: str, ref: str) -> str:
            score = best.get((kind, ref))
            return t("home.best", score=round(score)) if score is not None else t("home.todo")

        due = app.due_drills()  # type: ignore[attr-defined]
        header("home.drills")
        label = t("home.drills_due", n=due) if due else t("home.drills_none")
        options.append(Option(f"  ↻ {label}", id="drills"))
        cases = sorted(library.all("case"), key=lambda c: (c.difficulty, c.title))
        if cases:
            header("home.calls")
            for case in cases:
                stars = "★" * case.difficulty
                label = f"  ☎ {stars:<3} {case.title} · {progress('call', case.id)}"
                options.append(Option(label, id=f"call:{case.id}"))
        quizzes = library.all("quiz")
        if quizzes:
            header("home.quizzes")
            for quiz in quizzes:
                count = quiz.draw or len(quiz.questions)
                label = f"  ? {quiz.title} · {t('home.questions', n=count)} · {progress('quiz', quiz.id)}"
                options.append(Option(label, id=f"quiz:{quiz.id}"))
        studies = library.all("case-study")
        if studies:
            header("home.studies")
            for study in studies:
                options.append(Option(f"  ∑ {study.title} · {progress('case-study', study.id)}", id=f"study:{study.id}"))
        questionnaires = library.all("questionnaire")
        if questionnaires:
            header("home.questionnaires")
            for q in questionnaires:
                options.append(Option(f"  ✎ {q.title}", id=f"questionnaire:{q.id}"))
        header("home.results")
        options.append(Option(f"  ★ {t('home.results')}", id="results"))
        widget = self.query_one("#home-list", OptionList)
        highlighted = widget.highlighted
        widget.clear_options()
        widget.add_options([o for o in options if o is not None])
        if highlighted is not None and highlighted < widget.option_count:
            widget.highlighted = highlighted
        else:
            # Today's drills when some are due, else the first call.
            first = 1 if due else next((i for i, o in enumerate(options) if o and o.id and o.id.startswith("call:")), 1)
            widget.highlighted = min(first, widget.option_count - 1)
        widget.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or ""
        self.app.open_activity(option_id)  # type: ignore[attr-defined]
