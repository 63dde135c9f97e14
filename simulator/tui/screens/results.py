"""Results: averages, a dated chart of scores (calls, quizzes, follow-up sheets), mastery per step
and objection with its trend, and the history of attempts (with follow-up sheet scores)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Static

from simulator.records.progress import Mastery, Point, mastery, series
from simulator.tui.base import bar, localize_bindings, number, score_style, when
from simulator.tui.i18n import t

__all__ = ["ResultsScreen", "history_table", "summarise", "trend_text"]

MAX_POINTS = 24
"""Most recent scores drawn on the chart (older ones stay in the history)."""

SERIES_STYLE = {"call": ("●", "blue"), "quiz": ("◆", "magenta"), "case-study": ("■", "cyan"), "sheet": ("x", "green")}


def summarise(attempts: list[Any]) -> dict[str, Any]:
    """Figures shown on the results screen, from finished attempts (pure, for tests)."""
    finished = [a for a in attempts if a.status == "finished" and a.score is not None]
    finished.sort(key=lambda a: (a.started_at, a.id))
    by_kind: dict[str, list[float]] = defaultdict(list)
    for attempt in finished:
        by_kind[attempt.kind].append(float(attempt.score))
    overall = sum(float(a.score) for a in finished) / len(finished) if finished else None
    return {
        "finished": finished,
        "overall": overall,
        "by_kind": {k: sum(v) / len(v) for k, v in by_kind.items()},
        "series": [float(a.score) for a in finished],
    }


def trend_text(trend: float | None) -> Text:
    """« ↗ +12 », « ↘ −8 », « → 0 », or « — » with a single score."""
    if trend is None:
        return Text("—", style="dim")
    rounded = round(trend)
    if rounded > 0:
        return Text(f"↗ +{rounded}", style="green")
    if rounded < 0:
        return Text(f"↘ −{-rounded}", style="red")
    return Text("→ 0", style="dim")


def mastery_table(rows: list[Mastery], title: str) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", box=None, padding=(0, 1), expand=False)
    table.add_column(t("results.col.what"), no_wrap=True, max_width=30, overflow="ellipsis")
    table.add_column(t("results.col.mastery"), no_wrap=True)
    table.add_column(t("results.col.score"), justify="right", no_wrap=True, min_width=3)
    table.add_column(t("results.col.trend"), no_wrap=True, min_width=5)
    table.add_column(t("results.col.calls"), justify="right", no_wrap=True)
    for row in rows:
        table.add_row(
            Text(row.title),
            Text(bar(row.mastery, 12), style=score_style(row.mastery)),
            Text(number(row.mastery, 0), style=score_style(row.mastery)),
            trend_text(row.trend),
            str(row.count),
        )
    return table


def history_table(
    attempts: list[Any], followups: dict[int, Any], titles: dict[tuple[str, str], str], width: int = 100
) -> Table:
    """Every finished attempt, newest first, numbered 1, 2, 3… for this trainee (abandoned
    attempts are not counted); only the activity's title gives way to a narrow screen
    (``width`` columns): numbers, dates and scores are never clipped."""
    table = Table(box=None, padding=(0, 1), expand=False, header_style="bold")
    table.add_column(t("results.col.number"), justify="right", no_wrap=True)
    table.add_column(t("results.col.date"), no_wrap=True)
    table.add_column(t("results.col.kind"), no_wrap=True)
    finished = [a for a in attempts if a.status == "finished"]
    kinds = [t(f"results.kind.{a.kind}") + (" ↻00" if getattr(a, "retry_of", None) else "") for a in finished]
    fixed = (  # every column but the title, with its one-column padding each side
        max(len(t("results.col.number")), len(str(len(finished)))) + 16
        + max([len(t("results.col.kind")), *map(len, kinds)]) + max(5, len(t("results.col.score")))
        + max(5, len(t("results.col.sheet"))) + 2 * 6 + HISTORY_MARGIN
    )
    table.add_column(t("results.col.what"), max_width=max(8, min(34, width - fixed)), overflow="ellipsis", no_wrap=True)
    table.add_column(t("results.col.score"), justify="right", no_wrap=True, min_width=5)
    table.add_column(t("results.col.sheet"), justify="right", no_wrap=True, min_width=5)
    numbered = list(enumerate(sorted(finished, key=lambda a: (a.started_at, a.id)), 1))
    index_of = {a.id: i for i, a in numbered}
    for index, attempt in reversed(numbered):
        score = "—" if attempt.score is None else number(attempt.score, 0)
        sheet = followups.get(attempt.id)
        retried = index_of.get(getattr(attempt, "retry_of", None) or -1)
        retry = f" ↻{retried}" if retried else ""
        table.add_row(
            str(index),
            when(attempt.finished_at or attempt.started_at),
            t(f"results.kind.{attempt.kind}") + retry,
            Text(titles.get((attempt.kind, attempt.ref), attempt.ref)),
            Text(score, style=score_style(attempt.score) if attempt.score is not None else "dim"),
            Text(number(sheet.score, 0), style=score_style(sheet.score)) if sheet else Text("—", style="dim"),
        )
    return table


class ResultsScreen(Screen[None]):
    """The trainee's results and progress."""

    CSS_PATH = "../pages.tcss"
    HELP = "help.results"

    BINDINGS = [
        Binding("escape", "back", "key.back"),
        Binding("pageup", "scroll(-1)", "key.scroll_up", show=False),
        Binding("pagedown", "scroll(1)", "key.scroll_down", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        localize_bindings(self)

    def compose(self) -> ComposeResult:
        app: Any = self.app
        attempts = app.attempts()
        followups = app.followups()
        figures = summarise(attempts)
        points = series(attempts, followups)
        yield Header()
        with VerticalScroll(id="results-scroll"):
            if not figures["finished"]:
                yield Static(t("results.none"), id="results-empty")
            else:
                yield Label(
                    t("results.overall", score=round(figures["overall"]), n=len(figures["finished"])),
                    classes="title",
                    id="results-overall",
                )
                kinds = dict(figures["by_kind"])
                sheets = [p.score for p in points if p.kind == "sheet"]
                if sheets:
                    kinds["sheet"] = sum(sheets) / len(sheets)
                for kind, average in sorted(kinds.items()):
                    line = Text(f"{t(f'results.kind.{kind}'):<18} ")
                    line.append(bar(average, 20), style=score_style(average))
                    line.append(f" {round(average):>3}/100")
                    yield Static(line)
                yield Label(t("results.chart"), classes="section")
                shown = points[-MAX_POINTS:]
                yield Static(chart_legend(shown), id="results-legend")
                yield self._chart(shown)
                rows = mastery(attempts)
                steps = [r for r in rows if r.kind == "step"]
                objections = [r for r in rows if r.kind == "objection"]
                if steps:
                    yield Static(mastery_table(steps, t("results.by_step")), id="mastery-steps", classes="block")
                if objections:
                    yield Static(mastery_table(objections, t("results.by_objection")), id="mastery-objections", classes="block")
                yield Label(t("results.history"), classes="section")
                titles = {(a.kind, a.ref): app.title_of(a.kind, a.ref) for a in attempts}
                self.history = history_table(attempts, followups, titles, self.app.size.width)
                yield Static(self.history, id="results-table")
        yield Footer()

    def _chart(self, points: list[Point]) -> Any:
        """Scores over time: one series per kind, dates on the x axis, each value written."""
        from textual_plotext import PlotextPlot  # imported here: charts never slow the first screen

        chart = PlotextPlot(id="results-chart")
        plt = chart.plt
        xs = list(range(1, len(points) + 1))
        for kind in ("call", "quiz", "case-study", "sheet"):
            chosen = [(x, p.score) for x, p in zip(xs, points, strict=True) if p.kind == kind]
            if not chosen:
                continue
            marker, color = SERIES_STYLE[kind]
            if len(chosen) > 1:  # a thin line joins the scores of one kind
                plt.plot([x for x, _ in chosen], [y for _, y in chosen], marker="braille", color=color)
            # The legend is a line of its own above the chart (plotext's would cover the values).
            plt.scatter([x for x, _ in chosen], [y for _, y in chosen], marker=marker, color=color)
        for x, point in zip(xs, points, strict=True):  # each value written above its point
            plt.text(number(point.score, 0), x, point.score + 12, alignment="center")
        positions, labels, axis = time_ticks([p.at for p in points])
        plt.xticks(positions, labels)
        plt.xlim(0.5, len(xs) + 0.5)
        plt.ylim(-4, 118)  # headroom above 100 for the values
        plt.yticks([0, 25, 50, 75, 100])
        plt.xlabel(axis)
        plt.ylabel(t("results.axis.score"))
        chart.points = points  # type: ignore[attr-defined]  # what the chart shows (tests read it)
        return chart

    def on_mount(self) -> None:
        self.title = t("results.title")

    def action_scroll(self, direction: int) -> None:
        scroll = self.query_one("#results-scroll", VerticalScroll)
        (scroll.scroll_page_down if direction > 0 else scroll.scroll_page_up)(animate=False)

    def action_back(self) -> None:
        self.app.pop_screen()


def chart_legend(points: list[Point]) -> Text:
    """The series shown, each with its marker in its colour (« ● appel  ◆ quiz »)."""
    legend = Text()
    for kind in ("call", "quiz", "case-study", "sheet"):
        if any(p.kind == kind for p in points):
            marker, color = SERIES_STYLE[kind]
            if legend:
                legend.append("   ")
            legend.append(marker, style=color)
            legend.append(f" {t(f'results.kind.{kind}')}")
    return legend


HISTORY_MARGIN = 4
"""Columns the results page keeps around its tables (padding and scroll bar)."""

MAX_TICKS = 8
"""Labels on the date axis at most (more would run into each other at 80 columns)."""


def time_ticks(stamps: list[str]) -> tuple[list[int], list[str], str]:
    """Positions (1-based), labels and axis title of the chart's time axis.

    Points of one day are told apart by the hour (« 14:05 », axis « heure (le 04/12) »);
    over several days, each day is written once, under its first point (« 17/11 »).
    """
    moments = [_local(stamp) for stamp in stamps]
    days = [m.strftime("%d/%m") if m else stamp[:5] for m, stamp in zip(moments, stamps, strict=True)]
    if len(set(days)) == 1 and all(moments):
        labels = [m.strftime("%H:%M") for m in moments if m]
        chosen = [i for i, label in enumerate(labels) if i == 0 or label != labels[i - 1]]  # each minute once
        axis = t("results.axis.hour", day=days[0]) if days else t("results.axis.date")
    else:
        labels = days
        chosen = [i for i, day in enumerate(days) if i == 0 or day != days[i - 1]]
        axis = t("results.axis.date")
    if len(chosen) > MAX_TICKS:
        stride = -(-len(chosen) // MAX_TICKS)
        chosen = chosen[::stride]
    return [i + 1 for i in chosen], [labels[i] for i in chosen], axis


def _local(stamp: str) -> Any:
    """A stored UTC time in local time, or None when it cannot be read."""
    import datetime as dt

    try:
        return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return None
