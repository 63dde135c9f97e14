"""The Relance Textual application."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from simulator.content.library import Library

__all__ = ["RelanceApp", "make_app"]


class RelanceApp(App[int]):
    """Home of the trainee: the modules of the loaded packs."""

    TITLE = "Relance"
    SUB_TITLE = "Entraînement à la relance téléphonique"
    BINDINGS = [("q", "quit", "Quitter")]

    def __init__(self, library: Library, lang: str | None = None) -> None:
        super().__init__()
        self.library = library
        self.lang = lang or "fr"

    def compose(self) -> ComposeResult:
        yield Header()
        lines = []
        for pack in self.library.packs:
            lines.append(f"{pack.title} (v{pack.manifest.version})")
            for module in pack.manifest.modules:
                lines.append(f"  • {module.title}")
            for case in pack.cases:
                lines.append(f"  ☎ {case.title}")
            for quiz in pack.quizzes:
                lines.append(f"  ? {quiz.title} — {len(quiz.questions)} questions")
        yield Static("\n".join(lines) or "Aucun contenu chargé.", markup=False, id="home")
        yield Footer()


def make_app(library: Library, lang: str | None = None) -> RelanceApp:
    """The one factory shared by the CLI and the tests."""
    return RelanceApp(library, lang=lang)
