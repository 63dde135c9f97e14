"""``relance playtest``: the call screen with a trainer panel, reloaded when a file is saved.

The trainer panel (its own widget) shows the current step, the persona's
variables, the objection queue and, for the last reply, each criterion with
its evidence. A file watcher (``watchfiles``) reloads the packs on save and
replays the replies typed so far against the new content; a content error is
shown in the panel and the session goes on with the last good content.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import App
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from simulator.dialogue.engine import CallState, Event, describe_commitment
from simulator.errors import SimulatorError
from simulator.scoring.normalize import own_words
from simulator.tui.base import literal, number
from simulator.tui.screens.call import CallScreen

__all__ = ["PlaytestApp", "PlaytestScreen", "TrainerPanel"]

LEVEL_MARK = {"must": "!", "should": "·", "must-not": "✗"}


class TrainerPanel(VerticalScroll):
    """What a trainer needs to see while playing: state, queue, criteria and evidence."""

    DEFAULT_CSS = """
    TrainerPanel {
        dock: right;
        width: 48;
        height: 1fr;
        border-left: solid $accent;
        padding: 0 1;
    }
    TrainerPanel .hidden { display: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._status = Static("", id="trainer-status")
        self._state = Static("", id="trainer-state")
        self._criteria = Static("", id="trainer-criteria")

    def compose(self) -> Any:
        yield self._status
        yield self._state
        yield self._criteria

    def show_status(self, text: str, style: str = "bold green") -> None:
        self._status.update(Text(text, style=style))

    def show_state(self, state: CallState) -> None:
        out = Text()
        out.append("Formateur\n", style="bold reverse")
        step = state.current_step
        out.append("Étape : ", style="bold")
        out.append(f"{step.id} ({step.title})\n" if step is not None else "fin de la méthode\n")
        out.append("Variables : ", style="bold")
        out.append(
            f"patience {state.patience}, coopération {state.cooperation}, irritation {state.irritation}, "
            f"concessions {state.concessions}, identifié {'oui' if state.identity_confirmed else 'non'}, "
            f"en ligne {'oui' if state.connected else 'non'}\n"
        )
        out.append("Objection sur la table : ", style="bold")
        current = state.current_objection
        out.append(f"{current.id} (tour {state.progress + 1})\n" if current is not None else "aucune\n")
        out.append("File d'attente : ", style="bold")
        queued = [f"{state.setup.schedule[i][0]} @ {state.setup.schedule[i][1]}" for i in state.queue]
        out.append(", ".join(queued) + "\n" if queued else "vide\n")
        if state.commitment is not None:
            out.append("Engagement : ", style="bold")
            out.append(describe_commitment(state.commitment) + "\n")
        if state.ended:
            out.append(f"Appel terminé : {state.outcome}\n", style="bold")
        self._state.update(out)
        self._show_criteria(state)

    def _show_criteria(self, state: CallState) -> None:
        last = next((t for t in reversed(state.turns) if t.speaker == "trainee"), None)
        out = Text()
        if last is None or last.score is None:
            out.append("Critères : tapez une réplique.\n", style="dim")
        else:
            score = last.score
            where = score.objection or score.step or "—"
            out.append(f"Dernière réplique : {score.score}/100 ({where})\n", style="bold")
            for result in score.criteria:
                mark = "✓" if result.passed else "✗"
                style = "green" if result.passed == (result.level != "must-not") else "red"
                out.append(f"{mark} {LEVEL_MARK.get(result.level, '')} {result.label}", style=style)
                if result.evidence:
                    words = " ; ".join(own_words(score.reply_text, e) for e in result.evidence)
                    out.append_text(literal(f" « {words} »", style="italic"))
                out.append("\n")
        self._criteria.update(out)


WIDE_ENOUGH = 140
"""Terminal columns from which the client file is shown beside the conversation and the trainer panel."""


class PlaytestScreen(CallScreen):
    """The trainee's call screen, started at a chosen point, with the trainer panel beside it."""

    CSS_PATH = "call.tcss"
    """The call screen's stylesheet (the path is resolved from this module's folder)."""

    def __init__(
        self,
        case: Any,
        seed: int,
        start_at: str | None = None,
        sets: Mapping[str, int | bool] | None = None,
    ) -> None:
        super().__init__(case, seed, None)
        self.start_at = start_at
        self.sets = dict(sets or {})
        self.typed: list[tuple[str, float | None]] = []

    def compose(self) -> Any:
        yield from super().compose()
        yield TrainerPanel(id="trainer")

    def on_mount(self) -> None:  # Textual runs CallScreen.on_mount too (handlers follow the MRO)
        if self.app.size.width < WIDE_ENOUGH:
            # Client file, conversation and trainer panel side by side leave the conversation
            # a dozen columns below this width: the file starts folded (F4 shows it).
            self.query_one("#client-file").add_class("hidden")

    def _opening(self) -> tuple[CallState, list[Event]]:
        from simulator.dialogue import start
        from simulator.dialogue.playtest import position

        state, events = start(self.case, self.seed, self.app.library)  # type: ignore[attr-defined]
        state, more = position(state, self.start_at, self.sets)
        self.title = f"Essai — {self.case.title}"
        return state, [*events, *more]

    def _play(self, text: str, at: float | None, save: bool) -> None:
        if save:
            self.typed.append((text, at))
        super()._play(text, at, save=False)

    def _refresh_panels(self) -> None:
        super()._refresh_panels()
        if self.state is not None:
            self.query_one(TrainerPanel).show_state(self.state)

    def _open_debrief(self) -> None:
        self.notify("Fin de l'appel : modifiez un fichier pour rejouer, Échap pour quitter.")

    def action_leave(self) -> None:
        self.app.exit(0)

    def replay(self, library: Any) -> None:
        """Play the replies typed so far against freshly loaded content."""
        self.app.library = library  # type: ignore[attr-defined]
        self.case = library.case(self.case.id)
        self.query_one("#file-text", Static).update(self._client_file())
        self.query_one("#conversation", VerticalScroll).remove_children()
        self.state, events = self._opening()
        self._show_events(events)
        for text, at in self.typed:
            if self.state.ended:
                break
            super()._play(text, at, save=False)
        self._refresh_panels()


class PlaytestApp(App[int]):
    """A bare app around the playtest screen: no store, no trainee, training mode."""

    TITLE = "Relance — playtest"
    CSS_PATH = "app.tcss"

    def __init__(
        self,
        library: Any,
        case_id: str,
        *,
        seed: int = 1,
        start_at: str | None = None,
        sets: Mapping[str, int | bool] | None = None,
        watch: Sequence[Path] = (),
        reload: Callable[[], Any] | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.mode = "training"
        self.store = None
        self.case_id = case_id
        self.seed = seed
        self.start_at = start_at
        self.sets = sets
        self.watch = list(watch)
        self.reload = reload

    # The call screen saves progress through these; a playtest records nothing.
    def save_event(self, attempt_id: int | None, payload: dict[str, Any]) -> None:
        return None

    def finish_call(self, attempt_id: int | None, state: Any, card: Any = None) -> None:
        return None

    def abandon(self, attempt_id: int | None) -> None:
        return None

    def on_mount(self) -> None:
        screen = PlaytestScreen(self.library.case(self.case_id), self.seed, self.start_at, self.sets)
        self.push_screen(screen)
        if self.watch and self.reload is not None:
            self._watch()

    @work(exclusive=True, group="watch")
    async def _watch(self) -> None:
        from watchfiles import awatch

        async for changes in awatch(*self.watch, debounce=100, step=30):
            if not any(path.endswith((".yaml", ".yml")) for _change, path in changes):
                continue
            self.apply_reload()

    def apply_reload(self) -> None:
        """Reload the packs; replay, or show the problems and keep the last good content."""
        assert self.reload is not None
        screen = self.screen
        if not isinstance(screen, PlaytestScreen):
            return
        panel = screen.query_one(TrainerPanel)
        started = time.perf_counter()
        library = self.reload()
        errors = [p for p in library.problems if p.severity == "error"]
        if errors:
            shown = "\n".join(p.format() for p in errors[:6])
            panel.show_status(f"Erreur de contenu — appel inchangé :\n{shown}", "bold red")
            return
        try:
            library.case(self.case_id)
        except SimulatorError as error:
            panel.show_status(f"Dossier introuvable après rechargement : {error}", "bold red")
            return
        screen.replay(library)
        elapsed = time.perf_counter() - started
        panel.show_status(
            f"Rechargé à {time.strftime('%H:%M:%S')} en {number(elapsed, 2)} s ; {len(screen.typed)} réplique(s) rejouée(s)"
        )
        screen.query_one("#reply", Input).focus()
