"""Opening a call prepares the scorer in a thread, so that the trainee's first reply does not pay
its one-time loading (under ``relance serve`` a class's first replies otherwise queue for seconds;
``bench/serve.py`` measures it). The preparation is invisible: nothing saved, nothing shown."""

from __future__ import annotations

import threading

from textual.widgets import Input, OptionList

import simulator.tui.screens.call as call_module
from simulator.tui.app import make_app
from simulator.tui.screens.call import CallScreen


async def _open_call(pilot, case_id: str) -> CallScreen:
    options = pilot.app.screen.query_one(OptionList)
    options.highlighted = next(
        i for i in range(options.option_count) if options.get_option_at_index(i).id == f"call:{case_id}"
    )
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, CallScreen)
    return screen


async def test_opening_a_call_warms_the_scorer_once_and_invisibly(library, known_store, monkeypatch) -> None:
    monkeypatch.setattr(CallScreen, "warmed", False, raising=False)
    real_advance = call_module.advance
    calls: list[tuple[str, object, str]] = []

    def spy(state, reply, at=None):
        calls.append((threading.current_thread().name, state, reply))
        return real_advance(state, reply, at)

    monkeypatch.setattr(call_module, "advance", spy)
    app = make_app(library, store=known_store, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await _open_call(pilot, "leroy-premier-appel")
        await app.workers.wait_for_complete()
        # One throw-away reply, scored off the UI thread, from the call's opening state…
        assert len(calls) == 1
        thread, state, _ = calls[0]
        assert thread != threading.main_thread().name and state is screen.state
        # …and dropped: the call has not moved, nothing was saved, nothing shown.
        assert screen.state is state and state.trainee_turns == 0
        assert known_store.events(screen.attempt_id) == []
        shown = [str(line.render()) for line in screen.query_one("#conversation").children]
        assert shown and not any(text.startswith("Vous :") for text in shown)
        # The trainee's real first reply is played as usual, on the UI thread.
        screen.query_one("#reply", Input).value = "Bonjour, Claire Martin, de Soléo Emballages."
        await pilot.press("enter")
        await pilot.pause()
        assert screen.state.trainee_turns == 1
        assert [e["text"] for e in known_store.events(screen.attempt_id)] == ["Bonjour, Claire Martin, de Soléo Emballages."]
        assert calls[-1][0] == threading.main_thread().name
        # A second call in the same process does not warm again.
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        before = len(calls)
        await _open_call(pilot, "leroy-premier-appel")
        await app.workers.wait_for_complete()
        assert len(calls) == before
