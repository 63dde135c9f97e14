"""Progress figures: mastery weighs recent calls most, trend compares the last call, unreached steps do not count."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from simulator.records.progress import DECAY, mastery, series


def _call(index: int, steps: list[tuple[str, int, bool, bool]], objections=(), score: float = 50.0):
    card = {
        "steps": [{"id": i, "title": i.title(), "score": s, "covered": c, "skipped": k} for i, s, c, k in steps],
        "objections": [{"id": i, "title": i, "score": s} for i, s in objections],
    }
    return SimpleNamespace(id=index, kind="call", ref="case", status="finished", score=score,
                           started_at=f"2026-11-1{index}T09:00:00.000Z", finished_at=f"2026-11-1{index}T09:10:00.000Z",
                           result={"scorecard": card})


def test_mastery_weighs_the_latest_call_most_and_gives_a_trend() -> None:
    calls = [_call(1, [("presentation", 40, True, False)]), _call(2, [("presentation", 80, True, False)])]
    (row,) = mastery(calls)
    assert row.mastery == pytest.approx((40 * DECAY + 80) / (DECAY + 1))
    assert row.trend == pytest.approx(40) and row.count == 2


def test_steps_never_reached_do_not_count_but_skipped_ones_do() -> None:
    calls = [
        _call(1, [("presentation", 90, True, False), ("negocier", 0, False, False)]),
        _call(2, [("presentation", 90, True, False), ("negocier", 0, False, True)], objections=[("cheque", 70)]),
    ]
    rows = {r.id: r for r in mastery(calls)}
    assert rows["negocier"].count == 1 and rows["negocier"].mastery == 0
    assert rows["cheque"].kind == "objection" and rows["cheque"].trend is None


def test_series_holds_calls_and_sheets_in_time_order() -> None:
    calls = [_call(2, []), _call(1, [])]
    sheets = {2: SimpleNamespace(saved_at="2026-11-12T09:20:00.000Z", score=100.0)}
    points = series(calls, sheets)
    assert [(p.kind, p.score) for p in points] == [("call", 50.0), ("call", 50.0), ("sheet", 100.0)]


def test_a_step_tried_but_not_done_counts_with_its_score() -> None:
    call = _call(1, [("conclure", 54, False, False)])
    call.result["scorecard"]["steps"][0]["attempted"] = True
    (row,) = mastery([call])
    assert row.id == "conclure" and row.count == 1 and row.mastery == 54


def test_the_history_keeps_numbers_dates_and_scores_whole_at_80_columns() -> None:
    from rich.console import Console

    from simulator.tui.i18n import set_language
    from simulator.tui.screens.results import history_table

    set_language("fr")
    first, retried = _call(1, []), _call(2, [])
    retried.retry_of = 1
    titles = {("call", "case"): "Maison Vercors Traiteur — une facture passée inaperçue"}
    sheet = SimpleNamespace(score=100)
    for width in (80, 100):
        console = Console(width=width - 4, record=True)
        console.print(history_table([first, retried], {2: sheet}, titles, width))
        text = console.export_text()
        assert "Fiche" in text and "N°" in text and "↻1" in text, text
        row = next(line for line in text.splitlines() if "↻1" in line)
        assert row.rstrip().endswith("100")  # the sheet's score, whole (it read « 10 » at 80 columns)
