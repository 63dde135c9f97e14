"""A few snapshots of the real app (cursor blink off, clock frozen)."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList

from simulator.tui.app import make_app


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    import simulator.tui.screens.call as call

    monkeypatch.setattr(call, "_clock", lambda: 1000.0)


def _no_blink(pilot) -> None:
    for widget in pilot.app.query(Input):
        widget.cursor_blink = False


async def _open_call(pilot, replies=()):
    options = pilot.app.screen.query_one(OptionList)
    for index in range(options.option_count):
        if options.get_option_at_index(index).id == "call:leroy-premier-appel":
            options.highlighted = index
    await pilot.press("enter")
    await pilot.pause()
    for reply in replies:
        pilot.app.screen.query_one("#reply", Input).value = reply
        await pilot.press("enter")
        await pilot.pause()
    _no_blink(pilot)
    await pilot.pause()


def test_home_snapshot(snap_compare, library, known_store):
    app = make_app(library, store=known_store, seed=1)

    async def before(pilot):
        await pilot.pause()
        _no_blink(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


def test_call_snapshot(snap_compare, library, known_store):
    app = make_app(library, store=known_store, seed=1)
    golden = next(g for g in library.all("golden") if g.id == "leroy-bon-parcours")

    async def before(pilot):
        await pilot.pause()
        await _open_call(pilot, golden.replies[:3])

    assert snap_compare(app, terminal_size=(110, 32), run_before=before)


def test_debrief_snapshot(snap_compare, library, known_store):
    app = make_app(library, store=known_store, seed=1)
    golden = next(g for g in library.all("golden") if g.id == "leroy-bon-parcours")

    async def before(pilot):
        await pilot.pause()
        await _open_call(pilot, golden.replies)
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 36), run_before=before)
