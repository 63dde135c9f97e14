"""Results: per module and overall, history of attempts, progress chart, score per step."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Sparkline, Static

from simulator.tui.base import bar, localize_bindings
from simulator.tui.i18n import t

__all__ = ["ResultsScreen", "summarise"]


def summarise(attempts: list[Any]) -> dict[str, Any]:
    """Figures shown on the results screen, from finished attempts (pure, for tests)."""
    finished = [a for a in attempts if a.status == "finished" and a.score is not None]
    finished.sort(key=lambda a: (a.started_at, a.id))
    by_kind: dict[str, list[float]] = defaultdict(list)
    steps: dict[str, list[float]] = defaultdict(list)
    titles: dict[str, str] = {}
    for attempt in finished:
        by_kind[attempt.kind].append(float(attempt.score))
        if attempt.kind == "call":
            card = (attempt.result or {}).get("scorecard") or {}
            for step in card.get("steps", []):
                steps[step["id"]].append(float(step["score"]))
                titles[step["id"]] = step["title"]
    overall = sum(float(a.score) for a in finished) / len(finished) if finished else None
    return {
        "finished": finished,
        "overall": overall,
        "by_kind": {k: sum(v) / len(v) for k, v in by_kind.items()},
        "series": [float(a.score) for a in finished],
        "steps": [(titles[k], sum(v) / len(v)) for k, v in steps.items()],
    }


class ResultsScreen(Screen[None]):
    """The trainee's results."""

    CSS_PATH = "../pages.tcss"

    BINDINGS = [Binding("escape", "back", "key.back")]

    def __init__(self) -> None:
        super().__init__()
        localize_bindings(self)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="results-scroll"):
            figures = summarise(self.app.attempts())  # type: ignore[attr-defined]
            if not figures["finished"]:
                yield Static(t("results.none"), id="results-empty")
            else:
                yield Label(
                    t("results.overall", score=round(figures["overall"]), n=len(figures["finished"])),
                    classes="title",
                    id="results-overall",
                )
                for kind, average in sorted(figures["by_kind"].items()):
                    line = Text(f"{t(f'results.kind.{kind}'):<18} ")
                    line.append(bar(average, 20), style=_style(average))
                    line.append(f" {round(average):>3}/100")
                    yield Static(line)
                yield Label(t("results.chart"), classes="section")
                yield Sparkline(figures["series"], summary_function=max, id="results-chart")
                if figures["steps"]:
                    yield Label(t("results.by_step"), classes="section")
                    for title, average in figures["steps"]:
                        line = Text(f"{title[:26]:<26} ")
                        line.append(bar(average, 20), style=_style(average))
                        line.append(f" {round(average):>3}")
                        yield Static(line)
                yield Label(t("results.history"), classes="section")
                table: DataTable[str] = DataTable(id="results-table", zebra_stripes=True)
                yield table
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("results.title")
        tables = self.query("#results-table")
        if not tables:
            return
        table = tables.first(DataTable)
        table.add_columns(t("results.col.date"), t("results.col.kind"), t("results.col.what"), t("results.col.score"))
        for attempt in reversed(summarise(self.app.attempts())["finished"]):  # type: ignore[attr-defined]
            when = str(attempt.started_at)[:16].replace("T", " ")
            table.add_row(when, t(f"results.kind.{attempt.kind}"), self.app.title_of(attempt.kind, attempt.ref), f"{round(attempt.score)}")  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.app.pop_screen()


def _style(score: float) -> str:
    return "green" if score >= 70 else ("yellow" if score >= 40 else "red")
