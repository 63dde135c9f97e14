"""`relance playtest`: the call screen opens mid-call with a trainer panel and reloads on save."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from simulator.content.library import load_library
from simulator.dialogue import start
from simulator.dialogue.playtest import parse_sets, position
from simulator.errors import UsageError
from simulator.tui.playtest import PlaytestApp, PlaytestScreen, TrainerPanel

ROOT = Path(__file__).resolve().parents[2]
PERSONA_LINE = "Je regarde… Non, je n'ai aucune facture {invoice} dans mon logiciel."


def _texts(app: PlaytestApp) -> list[str]:
    return [str(w.render()) for w in app.screen.query("#conversation Static")]


@pytest.fixture
def demo_pack(tmp_path: Path) -> Path:
    """A trainer's pack: a copy of the Leroy case and persona (as `relance new … --from` writes)."""
    from simulator.commands.scaffold import scaffold

    root = tmp_path / "demo"
    root.mkdir()
    scaffold("case", "demo", source="leroy-premier-appel", folder=root)
    scaffold("persona", "leroy-copie", source="martine-leroy", folder=root)
    case = root / "dossiers" / "demo.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("persona: martine-leroy", "persona: leroy-copie"), encoding="utf-8")
    return root


async def test_playtest_opens_mid_call_and_replays_after_a_persona_line_changes(demo_pack: Path) -> None:
    paths = [str(demo_pack)]
    library = load_library(paths)
    app = PlaytestApp(
        library,
        "demo",
        start_at="facture-non-recue",
        sets={"patience": 2},
        reload=lambda: load_library(paths, strict=False),
    )
    async with app.run_test(size=(150, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlaytestScreen)
        # Mid-call: the objection is on the table and the panel says so.
        assert screen.state.current_objection.id == "facture-non-recue"
        assert "Je regarde… Non, je n'ai aucune facture F-2026-0412" in " ".join(_texts(app))
        panel = str(screen.query_one(TrainerPanel)._state.render())
        assert "facture-non-recue" in panel and "patience 2" in panel
        await pilot.click("#reply")
        await pilot.press(*"Si je comprends bien, vous n'avez pas reçu la facture : je vous la renvoie.")
        await pilot.press("enter")
        await pilot.pause()
        assert len(screen.typed) == 1
        criteria = str(screen.query_one(TrainerPanel)._criteria.render())
        assert "Dernière réplique" in criteria and "«" in criteria

        persona = demo_pack / "personas" / "leroy-copie.yaml"
        original = persona.read_text(encoding="utf-8")
        # A broken save: the problem shows in the panel, the call stays as it was.
        persona.write_text(original.replace(f"- {PERSONA_LINE}", "- Rien: du tout"), encoding="utf-8")
        app.apply_reload()
        await pilot.pause()
        status = str(screen.query_one(TrainerPanel)._status.render())
        assert "Erreur de contenu" in status and "guillemets" in status
        assert len(screen.state.turns) == 4
        # A good save: the new line is said, and the typed reply replayed against it.
        persona.write_text(original.replace(PERSONA_LINE, "Rien reçu pour la {invoice}, vraiment (ligne modifiée)."), encoding="utf-8")
        app.apply_reload()
        await pilot.pause()
        said = " ".join(_texts(app))
        assert "Rien reçu pour la F-2026-0412, vraiment (ligne modifiée)." in said
        assert "Je regarde… Non" not in said
        assert len(screen.state.turns) == 4 and screen.state.turns[2].speaker == "trainee"
        assert "Rechargé" in str(screen.query_one(TrainerPanel)._status.render())


def test_position_starts_at_a_step_or_an_objection_and_rejects_typos() -> None:
    library = load_library()
    case = library.case("leroy-premier-appel")
    opening, _events = start(case, 1, library)
    at_step, events = position(opening, "negocier", {"irritation": 2})
    assert at_step.current_step.id == "negocier" and at_step.irritation == 2 and not events
    assert "se-presenter" in at_step.covered and at_step.identity_confirmed
    with pytest.raises(UsageError) as error:
        position(opening, "negociation")
    assert "`negocier`" in error.value.hint
    with pytest.raises(UsageError):
        parse_sets(["patience=beaucoup"])
    assert parse_sets(["connected=non", "patience=1"]) == {"connected": False, "patience": 1}


def test_scaffold_advice_fits_what_was_written(tmp_path: Path) -> None:
    from simulator.commands.scaffold import scaffold

    _written, copied = scaffold("case", "demo", source="leroy-premier-appel", folder=tmp_path / "a")
    assert "transcription(s) de référence copiées" in copied and "Ajoutez ensuite" not in copied
    _written, blank = scaffold("case", "vierge", folder=tmp_path / "b")
    assert "Ajoutez ensuite deux transcriptions" in blank
    _written, persona = scaffold("persona", "p1", source="martine-leroy", folder=tmp_path / "a")
    assert "`persona: p1`" in persona


def test_show_objection_says_which_facts_in_french(capsys: pytest.CaptureFixture[str]) -> None:
    from simulator.cli import main

    assert main(["show", "objection", "tresorerie-tendue"]) == 0
    out = capsys.readouterr().out
    assert "un montant (`amount`)" in out and "amount et date" not in out


@pytest.mark.parametrize(("width", "folded"), [(100, True), (150, False)])
async def test_at_100_columns_the_client_file_starts_folded(demo_pack: Path, width: int, folded: bool) -> None:
    paths = [str(demo_pack)]
    app = PlaytestApp(load_library(paths), "demo", start_at="negocier", reload=lambda: load_library(paths, strict=False))
    async with app.run_test(size=(width, 30)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#client-file").has_class("hidden") is folded
        conversation = app.screen.query_one("#conversation")
        assert conversation.size.width >= 40
        assert app.screen.title.startswith("Essai — ")
        opening = [text for text in _texts(app) if "bonjour" in text]
        assert len(opening) == 1  # the call screen's mount work runs once
