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


def _plant_as_a_trainer(root: Path) -> Path:
    """A trainer's copy of the bundled first call whose objection nothing can lift (as in the issue-12 walk).

    The copied goldens and the objection's good examples stay: they move the steps on under the
    objection, so the call never stalls — it ends without a commitment instead.
    """
    import yaml

    pack = root / "demo"
    assert main(["new", "case", "demo", "--from", "leroy-premier-appel", "-d", str(pack)]) == 0
    assert main(["new", "persona", "leroy-demo", "--from", "martine-leroy", "-d", str(pack)]) == 0
    assert main(["new", "objection", "sans-issue", "--from", "facture-non-recue", "-d", str(pack)]) == 0
    files = {p.stem: p for p in pack.rglob("*.yaml")}

    def edit(name: str, change: Callable[[dict], None]) -> None:
        data = yaml.safe_load(files[name].read_text(encoding="utf-8"))
        change(data)
        files[name].write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    impossible = {"kind": "pattern", "id": "mot-impossible", "label": "Mot que personne ne dit", "level": "must",
                  "points": 10, "patterns": [r"\bzzqqxx\b"]}
    edit("sans-issue", lambda d: d.update(criteria=[impossible]))
    edit("leroy-demo", lambda d: [o.update(objection="sans-issue") for o in d["objections"]])
    edit("demo", lambda d: d.update(persona="leroy-demo"))
    return pack


def test_an_objection_nothing_lifts_is_a_dead_end_even_when_the_steps_go_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = _plant_as_a_trainer(tmp_path)
    capsys.readouterr()
    assert main(["lint", "demo", "--pack", str(pack), "--playthroughs", "3"]) == 1
    out = capsys.readouterr().out
    (dead,) = [line for line in out.splitlines() if "error dead-end" in line]
    assert "objection `sans-issue` sur la table" in dead and "ne lève l'objection" in dead
    # The hint's commands work as printed for a trainer's pack.
    assert f"relance --pack {pack.resolve()} call demo --replies" in dead
    assert main(["validate", "--no-golden", "--lint", str(pack)]) == 1


def test_each_dead_end_prints_only_its_own_replies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    import yaml

    pack = _plant_as_a_trainer(tmp_path)
    shutil.rmtree(pack / "golden")
    objection = next(pack.rglob("sans-issue.yaml"))
    data = yaml.safe_load(objection.read_text(encoding="utf-8"))
    data["examples"] = [{"label": "good", "reply": "Je comprends. Quand pouvez-vous régler la facture ?"}]
    objection.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    capsys.readouterr()
    assert main(["lint", "demo", "--pack", str(pack), "--playthroughs", "3", "--seed", "1"]) == 1
    blocks = capsys.readouterr().out.split("error dead-end")[1:]
    assert len(blocks) == 2  # stalls at two steps: each lists its own replay path, once
    for block in blocks:
        assert block.count("graine ") == 1
        hinted = int(block.split("rejouez les ")[1].split(" ")[0])
        replayed = block.split("répliques :\n")[1].split("\n")
        assert len([line for line in replayed if line.startswith("      ")]) == hinted
