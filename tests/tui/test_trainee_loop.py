"""What a new trainee met (issue « the trainee's loop »), each as the app does it now.

Every test drives the real app (Pilot) on the frozen demo pack with a real SQLite store;
a few use the bundled packs where only they have the case (voicemail, several invoices).
"""

from __future__ import annotations

import re

import pytest
from rich.console import Console
from textual.widgets import Input, OptionList, Static

from simulator.tui.app import make_app
from simulator.tui.i18n import set_language

LEROY = "call:leroy-premier-appel"


async def _select(pilot, option_id: str) -> None:
    options = pilot.app.screen.query_one(OptionList)
    for index in range(options.option_count):
        if options.get_option_at_index(index).id == option_id:
            options.highlighted = index
            break
    else:  # pragma: no cover
        raise AssertionError(f"no option {option_id}")
    await pilot.press("enter")
    await pilot.pause()


async def _type(pilot, text: str, widget_id: str = "#reply") -> None:
    pilot.app.screen.query_one(widget_id, Input).value = text
    await pilot.press("enter")
    await pilot.pause()


def _text(widget) -> str:
    """What a widget shows, as plain text."""
    from helpers import shown_text  # type: ignore[import-not-found]

    return shown_text(widget)


def _screen_text(screen, selector: str = "Static") -> str:
    return "\n".join(_text(w) for w in screen.query(selector))


def _options(screen) -> str:
    options = screen.query_one(OptionList)
    return "\n".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))


def _golden(library):
    return next(g for g in library.all("golden") if g.id == "leroy-bon-parcours")


async def _finished_call(pilot, library, replies=None) -> None:
    await _select(pilot, LEROY)
    for reply in replies or _golden(library).replies:
        await _type(pilot, reply)
    await pilot.press("enter")  # the debrief
    await pilot.pause()


# --------------------------------------------------------------------------- 1. follow-up sheet


async def test_1_follow_up_sheet_is_saved_and_shown_in_results(library, known_store):
    app = make_app(library, store=known_store, seed=_golden(library).seed)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _finished_call(pilot, library)
        await pilot.press("s")
        await pilot.pause()
        sheet = app.screen
        sheet.query_one("#sheet-date", Input).value = "17/11/2026"
        sheet.submit()
        await pilot.pause()
        assert "enregistrée" in _text(sheet.query_one("#sheet-result"))
        await pilot.pause()
        shown = sheet.query_one("#sheet-result").region
        assert shown.height > 0 and 0 <= shown.y < 30 - 2  # on screen, above the footer, without scrolling
        await pilot.press("escape")
        await pilot.pause()
        assert "Fiche de suivi enregistrée" in _text(app.screen.query_one("#sheet-status"))
    saved = known_store.followup(1)
    assert saved is not None and saved.score == sheet.sheet_score.score and saved.sheet["date"] == "17/11/2026"
    app = make_app(library, store=known_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        results = app.screen
        assert "fiche de suivi" in _screen_text(results)
        assert any(p.kind == "sheet" for p in results.query_one("#results-chart").points)


# --------------------------------------------------------------------------- 2. resume


async def test_2_quiz_quit_with_ctrl_q_asks_then_resumes_with_enter_at_the_same_question(library, known_store):
    from simulator.quiz.session import start_quiz

    app = make_app(library, store=known_store, seed=5)
    state = start_quiz(library.quiz("fondamentaux"), 5, mode="training")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _select(pilot, "quiz:fondamentaux")
        for prepared in state.questions[:2]:
            await _type(pilot, _right_answer(prepared), "#answer")
            await _type(pilot, "", "#answer")  # Enter: next question
        assert app.screen.position == 2
        await pilot.press("ctrl+q")
        await pilot.pause()
        dialog = app.screen
        assert type(dialog).__name__ == "ConfirmScreen"
        assert "question 3/" in dialog.question and app.focused.id == "yes"
        await pilot.press("enter")  # Enter quits
        await pilot.pause()
    (attempt,) = known_store.open_attempts(1)
    app = make_app(library, store=known_store, seed=99)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert type(dialog).__name__ == "ConfirmScreen"
        assert "2 réponse(s)" in dialog.question and "ne compteront pas" in dialog.question
        assert app.focused.id == "yes" and str(app.focused.label) == "Reprendre"
        await pilot.press("enter")  # Enter resumes
        await pilot.pause()
        quiz = app.screen
        assert type(quiz).__name__ == "QuizScreen" and quiz.position == 2
        assert quiz.state.questions[2].id == state.questions[2].id  # same draw, same question
    assert known_store.attempt(attempt.id).status == "open"


def _right_answer(prepared) -> str:
    from helpers import correct_answer  # type: ignore[import-not-found]

    return correct_answer(prepared)


# --------------------------------------------------------------------------- 3. who am I calling as


async def test_3_the_call_screen_says_who_you_are_and_when(library, known_store):
    app = make_app(library, store=known_store, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _select(pilot, LEROY)
        band = _text(app.screen.query_one("#call-id")).replace("\xa0", " ")
        case = library.case("leroy-premier-appel")
        assert case.creditor.caller in band and case.creditor.company in band
        assert case.creditor.phone in band
        assert "mardi 17/11/2026" in band and case.debtor.contact in band


async def test_3_at_80_columns_the_band_keeps_the_debtor_company_and_an_unbroken_number(library, known_store):
    app = make_app(library, store=known_store, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _select(pilot, LEROY)
        band = app.screen.query_one("#call-id")
        case = library.case("leroy-premier-appel")
        shown = "".join(strip.text for strip in band.render_lines(band.region.reset_offset))
        assert case.debtor.company in " ".join(shown.split())
        assert case.creditor.phone.replace(" ", "\xa0") in shown  # one piece, on one line
        assert band.region.height <= 4


def test_3_a_case_without_a_caller_is_played_under_the_trainee_s_name(library):
    import msgspec

    from simulator.dialogue.trainee import caller_name

    case = library.case("leroy-premier-appel")
    assert caller_name(case, "Anne Dupont") == case.creditor.caller
    anonymous = msgspec.structs.replace(case, creditor=msgspec.structs.replace(case.creditor, caller=""))
    assert caller_name(anonymous, "Anne Dupont") == "Anne Dupont"


def test_3_a_voicemail_model_answer_gives_the_call_back_number():
    from simulator.content.library import load_library
    from simulator.dialogue import advance, start
    from simulator.tui.calltext import model_answer

    bundled = load_library()
    case = next(c for c in bundled.all("case") if c.situation == "voicemail")
    state, _ = start(case, 1, bundled)
    state, _ = advance(state, "Bonjour, c'est pour une facture.")
    score = next(t.score for t in state.turns if t.speaker == "trainee")
    text = model_answer(state.setup, score)
    assert case.creditor.phone in text and "…" not in text


# --------------------------------------------------------------------------- 4. screens that contradict the score


async def test_4_tracker_moves_and_the_debrief_says_not_reached_after_the_call(library, known_store):
    replies = _golden(library).replies
    app = make_app(library, store=known_store, seed=_golden(library).seed)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _select(pilot, LEROY)
        await _type(pilot, replies[0])
        assert "2▶" in _text(app.screen.query_one("#tracker"))
        await _type(pilot, "Au revoir.")  # leaves early
        await pilot.press("enter")
        await pilot.pause()
        debrief = _screen_text(app.screen, ".step-bar")
        assert "à venir" not in debrief and "non abordée" in debrief


def test_4_one_step_situations_are_marked_by_their_score():
    from types import SimpleNamespace

    from simulator.tui.screens.debrief import step_mark

    zero = SimpleNamespace(score=0, covered=True, skipped=False)
    assert step_mark(zero, True, one_step=True) == "manqué"
    assert step_mark(SimpleNamespace(score=80, covered=True, skipped=False), True, one_step=True) == "réussi"


async def test_4_debrief_explains_the_overall_names_faults_in_words_and_quotes_the_trainee(library, known_store):
    replies = list(_golden(library).replies)
    replies[5] = "Je comprends, mais qu'est-ce qui vous empêche de payer ? On verra bien plus tard."
    app = make_app(library, store=known_store, seed=_golden(library).seed)
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.pause()
        await _finished_call(pilot, library, replies)
        screen = app.screen
        why = _screen_text(screen, ".why")
        # Every point lost is explained: here the call obtained nothing and a step was skipped.
        assert "résultat de l'appel : aucun engagement" in why and "points)" in why
        text = _screen_text(screen)
        faults = _text(screen.query_one("#faults")) if screen.query("#faults") else ""
        assert not re.search(r"\b[a-z]+(-[a-z]+)+\b", faults.split(":", 1)[-1]), faults  # no codes
        assert "qu'est-ce qui vous empêche" in text  # the trainee's own words
        assert "qu est ce qui vous empeche" not in text


def test_4_model_answers_name_every_invoice_with_the_total():
    from simulator.content.library import load_library
    from simulator.dialogue import play
    from simulator.tui.calltext import model_answer

    bundled = load_library()
    case = bundled.case("garnier-promesse-non-tenue")
    assert len(case.invoices) > 1
    golden = next(g for g in bundled.all("golden") if g.case == case.id and "bon" in g.id)
    state, _ = play(case, golden.seed, bundled, golden.replies)
    for turn in state.turns:
        if turn.score is None:
            continue
        text = model_answer(state.setup, turn.score)
        if case.invoices[0].number in text:
            assert all(i.number in text for i in case.invoices), text


async def test_4_quiz_numbers_are_french(library, known_store):
    from simulator.quiz.session import start_quiz

    app = make_app(library, store=known_store, seed=5)
    state = start_quiz(library.quiz("fondamentaux"), 5, mode="training")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _select(pilot, "quiz:fondamentaux")
        for prepared in state.questions:
            await _type(pilot, _right_answer(prepared), "#answer")
            await _type(pilot, "", "#answer")
        text = _screen_text(app.screen)
        assert re.search(r"Correct \(\d+(,\d+)? pt\)", text)
        assert not re.search(r"\d\.\d+ (pt|%)", text)
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text)


# --------------------------------------------------------------------------- 5. reading the file and typing


async def test_5_the_file_leads_with_what_to_obtain_and_tab_never_loses_the_reply(library, known_store):
    app = make_app(library, store=known_store, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await _select(pilot, LEROY)
        file = _text(app.screen.query_one("#file-text"))
        assert file.index("Objectif") < file.index("Factures") and "Marges de négociation" in file
        reply = app.screen.query_one("#reply", Input)
        reply.value = "Bonjour, Claire Martin"
        await pilot.press("tab", "tab", "tab")
        assert app.focused is reply and reply.value == "Bonjour, Claire Martin"
        await pilot.press("f4", "f4")
        assert app.focused is reply and reply.value == "Bonjour, Claire Martin"


async def test_5_a_hint_is_for_one_moment_only(library, known_store):
    replies = _golden(library).replies
    app = make_app(library, store=known_store, seed=_golden(library).seed)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await _select(pilot, LEROY)
        await pilot.press("f3")
        assert _text(app.screen.query_one("#hint")).strip()
        await _type(pilot, replies[0])
        assert not _text(app.screen.query_one("#hint")).strip()


async def test_5_sheet_fields_say_what_to_write(library, known_store):
    app = make_app(library, store=known_store, seed=_golden(library).seed)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _finished_call(pilot, library)
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.query_one("#sheet-date", Input).placeholder == "jj/mm/aaaa"
        assert "€" in app.screen.query_one("#sheet-amount", Input).placeholder


async def _results_after_a_call(pilot, library) -> None:
    await pilot.pause()
    await _finished_call(pilot, library)
    await pilot.press("escape")
    await pilot.pause()
    await pilot.press("r")
    await pilot.pause()


async def test_5_results_chart_has_axes_dates_and_values(library, known_store):
    app = make_app(library, store=known_store, seed=_golden(library).seed)
    async with app.run_test(size=(80, 24)) as pilot:
        await _results_after_a_call(pilot, library)
        chart = app.screen.query_one("#results-chart")
        built = Console(width=80, record=True)
        built.print(chart.render())
        drawn = built.export_text()
        assert "note /100" in drawn and ("date" in drawn or "heure (le " in drawn)
        assert "100┤" in drawn and re.search(r"\d{2}/\d{2}", drawn)
        score = str(round(known_store.attempt(1).score))
        assert score in drawn


def test_5_time_axis_tells_points_of_one_day_apart_and_writes_each_day_once():
    import datetime as dt

    from simulator.tui.screens.results import time_ticks

    def local(stamp: str, fmt: str) -> str:  # the chart shows local time: expect it without changing TZ
        return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone().strftime(fmt)

    same_day = ["2026-12-04T11:05:00Z", "2026-12-04T12:40:00Z", "2026-12-04T13:00:00Z"]
    positions, labels, axis = time_ticks(same_day)
    assert labels == [local(s, "%H:%M") for s in same_day] and positions == [1, 2, 3]
    assert axis == f"heure (le {local(same_day[0], '%d/%m')})"
    positions, labels, _axis = time_ticks([*same_day[:2], "2026-12-04T12:40:30Z"])
    assert labels == [local(s, "%H:%M") for s in same_day[:2]] and positions == [1, 2]  # one minute, one label
    days = ["2026-12-01T11:00:00Z", "2026-12-01T12:00:00Z", "2026-12-03T11:00:00Z", "2026-12-03T12:00:00Z"]
    positions, labels, axis = time_ticks(days)
    assert (positions, labels, axis) == ([1, 3], [local(days[0], "%d/%m"), local(days[2], "%d/%m")], "date")
    many = [f"2026-11-{d:02d}T09:00:00Z" for d in range(1, 21)]
    positions, labels, _axis = time_ticks(many)
    assert len(labels) <= 8 and len(set(labels)) == len(labels) and positions[0] == 1


async def test_5_chart_legend_is_a_line_of_its_own(library, known_store):
    app = make_app(library, store=known_store, seed=_golden(library).seed)
    async with app.run_test(size=(80, 24)) as pilot:
        await _results_after_a_call(pilot, library)
        legend = str(app.screen.query_one("#results-legend").render())
        assert "● " in legend and "ppel" in legend
        built = Console(width=80, record=True)
        built.print(app.screen.query_one("#results-chart").render())
        assert "ppel" not in built.export_text()  # no legend box drawn over the values


# --------------------------------------------------------------------------- 6. quiz and exam flow


async def test_6_quiz_end_shows_the_review_and_enter_does_not_start_again(library, known_store):
    app = make_app(library, store=known_store, seed=5, mode="exam")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _select(pilot, "quiz:fondamentaux")
        screen = app.screen
        from helpers import correct_answer, wrong_answer  # type: ignore[import-not-found]

        for index, prepared in enumerate(screen.state.questions):
            await _type(pilot, wrong_answer(prepared) if index < 3 else correct_answer(prepared), "#answer")
        assert screen.done
        text = _screen_text(screen)
        assert "Correction des questions manquées" in text and "Réponse attendue" in text
        count = len(known_store.attempts(1))
        await _type(pilot, "", "#answer")
        await _type(pilot, "", "#answer")
        assert app.screen is screen and len(known_store.attempts(1)) == count


async def test_6_unreadable_answers_make_one_line_not_a_pile(library, known_store):
    app = make_app(library, store=known_store, seed=5)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _select(pilot, "quiz:fondamentaux")
        screen = app.screen
        before = len(screen.query("#quiz-scroll Static"))
        for _ in range(10):
            await _type(pilot, "n'importe quoi ???", "#answer")
        assert len(screen.query("#quiz-scroll Static")) == before
        assert screen.query_one("#quiz-error").display


def test_6_single_choice_help_does_not_offer_several_answers():
    from simulator.tui.i18n import t

    assert "plusieurs" not in t("quiz.single_help").lower() and "1,3" in t("quiz.multiple_help")


def test_6_the_dso_explanation_does_not_give_a_drawable_answer_away():
    from simulator.content.library import load_library

    question = next(q for q in load_library().quiz("fondamentaux").questions if q.id == "dso-methode-comptable")
    creances = {v.name: v for v in question.variables}["creances"]
    ca = {v.name: v for v in question.variables}["ca_ttc"]
    ratios = {
        round(c / a, 6)
        for c in range(int(creances.min), int(creances.max) + 1, int(creances.step))
        for a in range(int(ca.min), int(ca.max) + 1, int(ca.step))
    }
    numbers = [float(n.replace("\u202f", "").replace(" ", "")) for n in re.findall(r"\d[\d  ]*\d", question.feedback)]
    example = numbers[0] / numbers[1]
    assert round(example, 6) not in ratios


async def test_6_exam_mode_is_explained_and_offers_no_hint(library, known_store):
    app = make_app(library, store=known_store, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert app.mode == "exam"
        assert any("pas d'indice" in str(n.message) for n in app._notifications)
        await _select(pilot, LEROY)
        assert app.screen.check_action("hint", ()) is False
        assert "f3" not in [b.binding.key for b in app.screen.active_bindings.values() if b.binding.show and b.enabled]


async def test_6_f6_hangs_up_and_opens_the_debrief(library, known_store):
    app = make_app(library, store=known_store, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _select(pilot, LEROY)
        await _type(pilot, "Bonjour, Claire Martin, de Soléo Emballages.")
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert type(app.screen).__name__ == "DebriefScreen"
    assert known_store.attempt(1).status == "finished"


# --------------------------------------------------------------------------- 7. layout and language


async def test_7_at_80_columns_the_hidden_file_is_announced(library, known_store):
    app = make_app(library, store=known_store, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _select(pilot, LEROY)
        assert "F4" in _screen_text(app.screen, "#conversation Static")


async def test_7_results_scores_are_whole_at_80_columns_and_attempts_numbered_from_one(library, known_store):
    for index in range(3):  # abandoned attempts do not count
        aid = known_store.start_attempt(1, "call", "leroy-premier-appel", "tui-demo", "1", "h", index)
        known_store.abandon_attempt(aid)
    app = make_app(library, store=known_store, seed=_golden(library).seed)
    async with app.run_test(size=(80, 24)) as pilot:
        await _results_after_a_call(pilot, library)
        console = Console(width=78, record=True)
        console.print(app.screen.history)
        table = console.export_text()
        score = str(round(known_store.attempt(4).score))
        assert re.search(rf"^\s*1\s.*\s{score}\s", table, re.MULTILINE), table


async def test_7_amounts_never_break_across_lines():
    from textual.app import App

    from simulator.dialogue.engine import money

    class Narrow(App):
        CSS = "Static { width: 24; }"

        def compose(self):
            yield Static(f"Montant dû xxxxxxxx : {money(4980, 'EUR')} ce jour")

    app = Narrow()
    async with app.run_test(size=(40, 8)) as pilot:
        await pilot.pause()
        lines = [line.text.strip() for line in app.query_one(Static).render_lines(app.query_one(Static).region.reset_offset)]
        assert not any(line.endswith(" 4") or line == "4" for line in lines), lines
        assert any("4\u202f980\u00a0€" in line for line in lines)


async def test_7_english_interface_has_no_french_in_quizzes(library, known_store):
    app = make_app(library, "en", store=known_store, seed=5)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await _select(pilot, "quiz:fondamentaux")
            screen = app.screen
            truefalse = next((i for i, q in enumerate(screen.state.questions) if q.kind == "truefalse"), None)
            await _type(pilot, "???", "#answer")
            error = _text(screen.query_one("#quiz-error"))
            assert error.strip().startswith("Unreadable answer") and "Tapez" not in error and "Répondez" not in error
            await _type(pilot, _right_answer(screen.state.questions[0]), "#answer")
            assert "Entrée" not in _screen_text(screen) and "Enter: next question" in _screen_text(screen)
            del truefalse
    finally:
        set_language("fr")


async def test_7_english_call_screen_uses_english_punctuation(library, known_store):
    app = make_app(library, "en", store=known_store, seed=5)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await _select(pilot, LEROY)
            await _type(pilot, "Bonjour, Claire Martin, du service crédit clients de Soléo Emballages.", "#reply")
            text = _screen_text(app.screen)
            assert "You: " in text and "You : " not in text and "current: " in text and "current : " not in text
    finally:
        set_language("fr")


async def test_at_80_columns_the_folded_file_note_goes_once_the_file_is_shown(library, known_store):
    app = make_app(library, store=known_store, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _select(pilot, LEROY)
        screen = app.screen
        assert screen.query_one("#client-file").has_class("hidden")
        assert "dossier client est masqué" in _screen_text(screen)
        await pilot.press("f4")
        await pilot.pause()
        assert not screen.query_one("#client-file").has_class("hidden")
        assert "dossier client est masqué" not in _screen_text(screen)


async def test_7_palette_commands_describe_instead_of_raw_ids(library, known_store):
    app = make_app(library, store=known_store, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        commands = list(app.get_system_commands(app.screen))
        ids = {c.id for c in library.all("case")} | {q.id for q in library.all("quiz")}
        assert all(command.help not in ids for command in commands)


# --------------------------------------------------------------------------- 8. more that muddles work


async def test_8_an_unknown_session_code_is_refused_on_the_form(library, store):
    app = make_app(library, store=store, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for field, value in (("#id-nom", "Dupont"), ("#id-prenom", "Anne"), ("#id-organisation", "Acme"),
                             ("#id-session", "XYZ")):
            app.screen.query_one(field, Input).value = value
        app.screen.query_one("#id-session", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "IdentityScreen"
        assert "XYZ" in _text(app.screen.query_one("#identity-error"))
        assert store.trainees() == []
        app.screen.query_one("#id-session", Input).value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert "Bonjour Anne Dupont" in _text(app.screen.query_one("#hello"))


async def test_8_self_assessment_phase_is_chosen_and_matches_the_cli(library, known_store):
    from simulator.quiz.questionnaire import default_phase

    app = make_app(library, store=known_store, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for phase_key in ("", "1"):  # first: Enter takes the positioning; again: choose it on purpose
            await _select(pilot, "questionnaire:positionnement-demo")
            await _type(pilot, phase_key, "#answer")
            for rating in ("3", "4"):
                await _type(pilot, rating, "#answer")
            await _type(pilot, "", "#answer")
            assert app.screen.done
            await pilot.press("escape")
            await pilot.pause()
    phases = [a.result["phase"] for a in known_store.attempts(1, "questionnaire")]
    assert phases == ["before", "before"]
    assert default_phase(phases) == "after"


def test_8_to_the_cent_means_to_the_cent():
    from decimal import Decimal

    from simulator.content.library import load_library
    from simulator.quiz.case_study import grade_case_question, start_case_study

    checked = 0
    for study in load_library().all("case-study"):
        sheet = start_case_study(study, 3)
        for question in sheet.questions:
            if "au centime" not in question.text:
                continue
            expected = Decimal(str(question.expected)).quantize(Decimal("0.01"))
            near = grade_case_question(sheet, question.id, str(expected).replace(".", ","))
            off = grade_case_question(sheet, question.id, str(expected - Decimal("0.05")).replace(".", ","))
            assert near.correct and not off.correct, (study.id, question.id)
            checked += 1
    assert checked >= 4


async def test_8_case_study_waits_for_enter(library, known_store):
    from simulator.quiz.case_study import start_case_study

    sheet = start_case_study(library.case_study("dso-penalites"), 2)
    app = make_app(library, store=known_store, seed=2)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await _select(pilot, "study:dso-penalites")
        screen = app.screen
        await _type(pilot, sheet.questions[0].answer_text(), "#answer")
        assert screen.position == 0 and screen.waiting_next
        await _type(pilot, "", "#answer")
        assert screen.position == 1


# --------------------------------------------------------------------------- build: retry, drills, progress, help


async def test_retry_from_a_reply_is_a_new_attempt_linked_to_the_first(library, known_store):
    replies = _golden(library).replies
    app = make_app(library, store=known_store, seed=_golden(library).seed)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _finished_call(pilot, library)
        app.screen.retry_from(5)  # « Rejouer à partir d'ici » on the answer to the objection
        await pilot.pause()
        call = app.screen
        assert type(call).__name__ == "CallScreen"
        assert [t.text for t in call.state.turns if t.speaker == "trainee"] == list(replies[:5])
        assert call.state.current_objection is not None
        for reply in replies[5:]:
            await _type(pilot, reply)
        assert call.state.ended
        await pilot.press("enter")  # the retried call's debrief names what it retries
        await pilot.pause()
        note = _text(app.screen.query_one("#retry-note"))
        assert "Nouvelle tentative de l'appel du" in note and "réplique n° 6" in note
    retry = known_store.attempt(2)
    assert (retry.retry_of, retry.retry_from, retry.status) == (1, 5, "finished")
    assert [e["text"] for e in known_store.events(2)] == list(replies)


async def test_drills_come_back_the_next_day_and_are_rescheduled(library, known_store, clock):
    replies = list(_golden(library).replies)
    replies[5] = "Bon, on verra bien, rappelez-moi plus tard."
    app = make_app(library, store=known_store, seed=_golden(library).seed)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _finished_call(pilot, library, replies)
        await pilot.press("escape")
        await pilot.pause()
        assert "rien à revoir" in _options(app.screen)
    assert known_store.drills(1)
    clock.next_day()
    app = make_app(library, store=known_store, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        home = _options(app.screen)
        assert "à revoir aujourd'hui" in home
        await _select(pilot, "drills")
        screen = app.screen
        assert type(screen).__name__ == "DrillScreen" and screen.cards
        card = screen.cards[0]
        assert screen.state.last_debtor_line == card.debtor_line
        await _type(pilot, _golden(library).replies[5], "#drill-reply")
        assert "Prochaine révision" in _screen_text(screen)
    assert known_store.drill(card.id).reviews == card.reviews + 1


async def test_progress_shows_mastery_and_trend_per_step_and_objection(library, known_store):
    replies = list(_golden(library).replies)
    app = make_app(library, store=known_store, seed=_golden(library).seed)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _finished_call(pilot, library)
        await pilot.press("escape")
        await pilot.pause()
        await _finished_call(pilot, library, replies)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        steps = _text(app.screen.query_one("#mastery-steps"))
        objections = _text(app.screen.query_one("#mastery-objections"))
        assert "Se présenter" in steps and "→ 0" in steps and "Tendance" in steps
        assert "Maîtrise par objection" in objections


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_help_lists_every_key_of_the_current_screen(library, known_store, lang):
    app = make_app(library, lang, store=known_store, seed=1)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await _select(pilot, LEROY)
            await pilot.press("f1")
            await pilot.pause()
            help_text = _screen_text(app.screen)
            for key in ("F3", "F4", "F6", "Ctrl+Q", "F2"):
                assert key.lower() in help_text.lower(), (key, help_text)
            assert ("PgUp" if lang == "en" else "PgPréc") in help_text
    finally:
        set_language("fr")
