"""The real app driven with Pilot: identity, a full call, debrief, follow-up sheet, quiz, results."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from helpers import correct_answer as _correct_answer  # type: ignore[import-not-found]

from simulator.tui.app import make_app
from simulator.tui.i18n import set_language


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


async def test_first_start_asks_identity_and_keeps_it(library, store):
    app = make_app(library, store=store, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "IdentityScreen"
        await pilot.press("enter")  # empty: refused with a message
        await pilot.press("enter", "enter", "enter")
        assert type(app.screen).__name__ == "IdentityScreen"
        for field, value in (("#id-nom", "Martin"), ("#id-prenom", "Claire"), ("#id-organisation", "Soléo")):
            app.screen.query_one(field, Input).value = value
        app.screen.query_one("#id-session", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
    assert store.current_trainee().prenom == "Claire"
    # Second start: straight to the home screen.
    app = make_app(library, store=store, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"


async def test_full_call_to_commitment_then_debrief_and_sheet(library, known_store):
    golden = next(g for g in library.all("golden") if g.id == "leroy-bon-parcours")
    app = make_app(library, store=known_store, seed=golden.seed)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await _select(pilot, "call:leroy-premier-appel")
        screen = app.screen
        assert type(screen).__name__ == "CallScreen"
        for reply in golden.replies:
            await _type(pilot, reply)
        assert screen.state.ended and screen.state.outcome == "commitment"
        # Saved after every reply, finished with the score.
        attempt = known_store.attempt(1)
        assert [e["text"] for e in known_store.events(1)] == list(golden.replies)
        assert attempt.status == "finished" and attempt.score >= 70
        assert attempt.result["scorecard"]["outcome"] == "commitment"
        await pilot.press("enter")
        await pilot.pause()
        debrief = app.screen
        assert type(debrief).__name__ == "DebriefScreen"
        assert "Note globale" in str(debrief.query_one("#overall").render())
        assert len(debrief.query(".step-bar")) == 9
        await pilot.press("s")
        await pilot.pause()
        sheet = app.screen
        assert type(sheet).__name__ == "FollowUpScreen"
        values = {
            "date": "17/11/2026", "interlocutor": "Martine Leroy, comptable", "reason": "facture non reçue",
            "amount": "4 800 €", "promised_date": "19/11/2026", "means": "virement", "who": "Martine Leroy",
            "next_action": "Vérifier la réception du virement", "next_date": "20/11/2026",
        }
        for name, value in values.items():
            sheet.query_one(f"#sheet-{name}", Input).value = value
        sheet.submit()
        await pilot.pause()
        assert sheet.sheet_score.score == 100
        assert known_store.followup(1).score == 100


async def test_wrong_sheet_is_corrected_field_by_field(library, known_store):
    golden = next(g for g in library.all("golden") if g.id == "leroy-bon-parcours")
    app = make_app(library, store=known_store, seed=golden.seed)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await _select(pilot, "call:leroy-premier-appel")
        for reply in golden.replies:
            await _type(pilot, reply)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        sheet = app.screen
        sheet.query_one("#sheet-amount", Input).value = "2 000 €"
        sheet.submit()
        await pilot.pause()
        wrong = {f.field for f in sheet.sheet_score.fields if not f.ok}
        assert {"amount", "promised_date", "means", "next_date"} <= wrong
        assert sheet.sheet_score.score < 50


async def test_escape_asks_before_abandoning_a_call(library, known_store):
    app = make_app(library, store=known_store, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _select(pilot, "call:leroy-premier-appel")
        await _type(pilot, "Bonjour, Claire Martin, de Soléo Emballages.")
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("escape")  # no
        await pilot.pause()
        assert type(app.screen).__name__ == "CallScreen"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
    assert known_store.attempt(1).status == "abandoned"


async def test_unfinished_call_is_offered_for_resume(library, known_store):
    app = make_app(library, store=known_store, seed=3)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _select(pilot, "call:leroy-premier-appel")
        await _type(pilot, "Bonjour, Claire Martin, de Soléo Emballages.")
        await _type(pilot, "Je suis bien en ligne avec Madame Leroy ?")
        before = [t.text for t in app.screen.state.turns]
    # "Crash": the app is gone; the attempt is still open with its two replies.
    app = make_app(library, store=known_store, seed=99)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.click("#yes")
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "CallScreen"
        assert [t.text for t in screen.state.turns] == before


async def test_author_text_and_replies_are_shown_literally(library, known_store):
    app = make_app(library, store=known_store, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _select(pilot, "call:leroy-premier-appel")
        await _type(pilot, "[bold red]Bonjour[/] [link=http://x]Claire[/link]")
        texts = [str(w.render()) for w in app.screen.query("#conversation Static")]
        assert any("[bold red]Bonjour[/] [link=http://x]Claire[/link]" in text for text in texts)


HOSTILE_REPLY = "Bonjour \x1b]0;PWNED\x07 Claire\x1b[2J\x08\x00 \u202eaxis"


async def test_pasted_control_characters_are_shown_not_obeyed(library, known_store):
    app = make_app(library, store=known_store, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _select(pilot, "call:leroy-premier-appel")
        await _type(pilot, HOSTILE_REPLY)
        texts = [str(w.render()) for w in app.screen.query("#conversation Static")]
        shown = next(text for text in texts if "Claire" in text)
        assert not any(ch in shown for ch in "\x1b\x07\x08\x00\u202e")
        assert "␛]0;PWNED␇ Claire␛[2J␈␀ \ufffdaxis" in shown
        # The transcript keeps the reply as typed.
        assert known_store.events(1)[0]["text"] == HOSTILE_REPLY

async def test_full_quiz_then_results(library, known_store):
    from simulator.quiz.session import start_quiz

    bank = library.quiz("fondamentaux")
    app = make_app(library, store=known_store, seed=5, mode="exam")
    state = start_quiz(bank, 5, mode="exam")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _select(pilot, "quiz:fondamentaux")
        screen = app.screen
        assert type(screen).__name__ == "QuizScreen"
        for prepared in state.questions:
            await _type(pilot, _correct_answer(prepared), "#answer")
        assert screen.done
        attempt = known_store.attempt(1)
        assert attempt.status == "finished" and attempt.score == 100 and attempt.passed
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        results = app.screen
        assert type(results).__name__ == "ResultsScreen"
        assert "100/100" in str(results.query_one("#results-overall").render())
        assert results.history.row_count == 1


async def test_language_switch_and_help(library, known_store):
    app = make_app(library, store=known_store, seed=1)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert "Bonjour" in str(app.screen.query_one("#hello").render())
            await pilot.press("f2")
            await pilot.pause()
            assert "Hello" in str(app.screen.query_one("#hello").render())
            assert known_store.get_setting("language") == "en"
            await pilot.press("f1")
            await pilot.pause()
            assert type(app.screen).__name__ == "HelpScreen"
    finally:
        set_language("fr")


async def test_works_at_80x24(library, known_store):
    golden = next(g for g in library.all("golden") if g.id == "leroy-bon-parcours")
    app = make_app(library, store=known_store, seed=golden.seed)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await _select(pilot, "call:leroy-premier-appel")
        for reply in golden.replies[:3]:
            await _type(pilot, reply)
        reply = app.screen.query_one("#reply", Input)
        assert reply.region.width > 60 and reply.region.y < 24


def test_interface_catalogue_is_complete():
    import re
    from pathlib import Path

    from simulator.tui.i18n import CATALOGUE, placeholders

    for key, (fr, en) in CATALOGUE.items():
        assert fr.strip() and en.strip(), key
        assert placeholders(fr) == placeholders(en), key
    # Every key used by the interface exists in the catalogue.
    used: set[str] = set()
    for path in Path("simulator/tui").rglob("*.py"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_.-]+)["']""", path.read_text()))
        used |= set(re.findall(r"""["'](key\.[a-z_]+)["']""", path.read_text()))
    missing = sorted(k for k in used if k not in CATALOGUE)
    assert not missing, missing


async def test_progress_is_saved_in_the_real_store_and_resumed(library, tmp_path):
    from simulator.records.store import Store

    path = tmp_path / "relance.sqlite3"
    with Store.open(path) as store:
        trainee = store.upsert_trainee("Martin", "Claire", "Soléo Emballages")
        store.set_current_trainee(trainee.id)
    app = make_app(library, store_path=path, seed=11)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _select(pilot, "call:leroy-premier-appel")
        await _type(pilot, "Bonjour, Claire Martin, de Soléo Emballages.")
        await _type(pilot, "Je suis bien en ligne avec Madame Leroy ?")
    app.store.close()
    # Another process (the next start) sees both replies, committed as they were typed.
    with Store.open(path) as store:
        (attempt,) = store.open_attempts(trainee.id)
        assert attempt.kind == "call" and attempt.seed == 11
        assert [e["text"] for e in store.events(attempt.id)] == [
            "Bonjour, Claire Martin, de Soléo Emballages.",
            "Je suis bien en ligne avec Madame Leroy ?",
        ]
    app = make_app(library, store_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "CallScreen"
        assert [t.text for t in screen.state.turns if t.speaker == "trainee"] == [
            "Bonjour, Claire Martin, de Soléo Emballages.",
            "Je suis bien en ligne avec Madame Leroy ?",
        ]
    app.store.close()


async def test_case_study_and_self_assessment_screens(library, known_store):
    from simulator.quiz.case_study import start_case_study

    study = library.case_study("dso-penalites")
    sheet = start_case_study(study, 2)
    app = make_app(library, store=known_store, seed=2)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await _select(pilot, "study:dso-penalites")
        screen = app.screen
        assert type(screen).__name__ == "CaseStudyScreen"
        await _type(pilot, "beaucoup", "#answer")  # unreadable: told, asked again
        assert screen.position == 0
        for question in sheet.questions:
            await _type(pilot, question.answer_text(), "#answer")
            await _type(pilot, "", "#answer")  # the correction stays until Enter
        assert screen.done
        attempt = known_store.attempts()[-1]
        assert attempt.kind == "case-study" and attempt.score == 100 and attempt.passed
        await pilot.press("escape")
        await pilot.pause()
        await _select(pilot, "questionnaire:positionnement-demo")
        screen = app.screen
        await _type(pilot, "", "#answer")  # Enter: the proposed phase (the positioning)
        await _type(pilot, "7", "#answer")  # refused, asked again
        assert screen.position == 0
        await _type(pilot, "2", "#answer")
        await _type(pilot, "4", "#answer")
        await _type(pilot, "Reformuler avant de négocier.", "#answer")
        assert screen.done
        attempt = known_store.attempts()[-1]
        assert attempt.kind == "questionnaire" and attempt.status == "finished"
        assert attempt.result["phase"] == "before" and attempt.result["ratings"] == {"structurer": 2, "dso": 4}
        assert attempt.result["free_text"] == "Reformuler avant de négocier."


def test_keys_built_at_run_time_exist_in_both_languages():
    from simulator.quiz.questionnaire import PHASE_LABELS
    from simulator.tui.i18n import CATALOGUE

    families = {
        "mode.short": ("training", "exam"),
        "mode.explain": ("training", "exam"),
        "drill.kind": ("step", "objection"),
        "step.title": ("messagerie", "tiers"),
        "call.goal": ("messagerie", "tiers"),
        "phase": ("before", "after"),
        "results.kind": ("call", "quiz", "case-study", "questionnaire", "sheet"),
    }
    missing = [f"{family}.{name}" for family, names in families.items() for name in names
               if f"{family}.{name}" not in CATALOGUE]
    from simulator.dialogue.followup import FIELDS

    missing += [f"sheet.{f}.placeholder" for f in FIELDS if f"sheet.{f}.placeholder" not in CATALOGUE]
    missing += [f"identity.{f}.placeholder" for f in ("nom", "prenom", "organisation", "session")
                if f"identity.{f}.placeholder" not in CATALOGUE]
    assert not missing, missing
    # The app and `relance questionnaire` name the two phases with the same words.
    assert {k: CATALOGUE[f"phase.{k}"][0] for k in PHASE_LABELS} == PHASE_LABELS
