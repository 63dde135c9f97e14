"""`relance lint`: seeded playthroughs find a planted dead end and report reach for every case."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.content.library import load_library

WALL = """\
kind: objection
id: mur
title: Le mur
category: report
phrasings: ["Je ne peux rien vous dire."]
criteria:
  - {kind: pattern, id: mot-magique, label: Dit le mot magique, level: must, points: 5, patterns: ["xyzzy"]}
examples:
  - {label: good, reply: "Je comprends. Quand pouvez-vous régler la facture ?"}
  - {label: poor, reply: "Tant pis."}
"""
"""An objection no labelled good reply can lift: the call is stuck once it is raised."""

WALL_PERSONA = """\
kind: persona
id: sophie-morel
name: Sophie Morel
type: bonne-foi
traits: {patience: 5, cooperation: 3, honesty: 3}
objections:
  - objection: mur
    at: donner-la-parole
"""


def test_lint_finds_a_planted_dead_end(make_pack: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    pack = make_pack(persona_yaml=WALL_PERSONA, mur_yaml=WALL)
    assert main(["lint", "morel-premier-appel", "--pack", str(pack), "--json", "--playthroughs", "3"]) == 1
    report = json.loads(capsys.readouterr().out)
    (case,) = report["cases"]
    (dead,) = case["dead_ends"]
    assert dead["objection"] == "mur" and dead["step"] == "capter-reponses"
    # The replies that reach it are given, and replaying them shows the wall.
    assert dead["replies"][-1] == "Je comprends. Quand pouvez-vous régler la facture ?"
    problem = next(p for p in report["problems"] if p["code"] == "dead-end")
    assert problem["severity"] == "error" and problem["file"].endswith("case.yaml")
    no_path = next(p for p in report["problems"] if p["code"] == "no-good-path")
    assert "None" not in no_path["message"] and "(meilleur : " in no_path["message"]


def test_validate_lint_makes_a_dead_end_an_error(make_pack: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    pack = make_pack(persona_yaml=WALL_PERSONA, mur_yaml=WALL)
    assert main(["validate", "--no-golden", str(pack)]) == 0
    capsys.readouterr()
    assert main(["validate", "--no-golden", "--lint", str(pack)]) == 1
    out = capsys.readouterr().out
    assert "error dead-end" in out and "`mur`" in out


def test_the_same_seed_gives_the_same_report(make_pack: Callable[..., Path]) -> None:
    from simulator.dialogue.lint import labelled_replies, lint_case

    library = load_library([make_pack()], use_cache=False)
    case = library.case("morel-premier-appel")
    first = lint_case(case, library, labelled_replies(library, case), playthroughs=4, seed=7).as_dict()
    again = lint_case(case, library, labelled_replies(library, case), playthroughs=4, seed=7).as_dict()
    other = lint_case(case, library, labelled_replies(library, case), playthroughs=4, seed=8).as_dict()
    assert first == again
    assert first != other


def test_lint_reports_reach_for_every_bundled_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    library = load_library()
    assert {c["case"] for c in report["cases"]} == {c.id for c in library.all("case")}
    for case in report["cases"]:
        assert case["dead_ends"] == [], case["case"]
        assert sum(case["outcomes"].values()) == case["playthroughs"] == 8
        assert case["good_path"]["objective_met"], case["case"]
        assert all(g["ok"] for g in case["goldens"]) and len(case["goldens"]) >= 2
        assert case["lines_said"], case["case"]


def test_lint_rejects_an_unknown_case_and_bad_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "leroy-premier-apel"]) == 2
    assert "leroy-premier-appel" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["lint", "--playthroughs", "0"])
    assert exit_info.value.code == 2
