"""Moodle interchange: GIFT and Aiken import, Moodle XML and GIFT export, round trips."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

from simulator.cli import main
from simulator.content.library import load_library
from simulator.model.quiz import (
    Calculated,
    Matching,
    MultipleChoice,
    Numeric,
    ShortText,
    SingleChoice,
    TrueFalse,
    Variable,
)
from simulator.quiz.draw import variable_values
from simulator.quiz.gift import gift_text, parse_aiken, parse_gift, to_banks
from simulator.quiz.moodle_xml import moodle_formula, moodle_xml, parse_moodle_xml, relance_formula
from simulator.quiz.questions import grade, prepare_question

FIXTURES = Path(__file__).parent / "fixtures" / "moodle"


def _norm(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_norm(v) for v in value]
    return value.strip() if isinstance(value, str) else value


def _comparable(question: Any, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    data = _norm(msgspec.to_builtins(question))
    for key in ("module", *drop):
        data.pop(key, None)
    if isinstance(question, Calculated):
        # Moodle carries the values a variable takes, not its label, unit or how it was written.
        data["variables"] = {v.name: [str(x) for x in variable_values(v)] for v in question.variables}
    if data.get("tolerance_mode") == "relative" and isinstance(question, Numeric):
        data["tolerance"] = round(question.tolerance * abs(question.answer), 10)
        data.pop("tolerance_mode")
    return data


def test_gift_file_from_the_documentation_is_read_type_by_type() -> None:
    imported = parse_gift((FIXTURES / "relance.gift").read_text(encoding="utf-8"))
    assert list(imported.categories) == ["$course$/top/Relance/Délais de paiement", "$course$/top/Relance/Échappements"]
    by_id = {q.id: q for q in imported.questions}
    legal = by_id["delai-legal"]
    assert isinstance(legal, SingleChoice) and [c.correct for c in legal.choices] == [True, False, False]
    assert legal.choices[0].feedback == "Exact : article L441-10."
    assert legal.feedback.startswith("Le délai convenu ne peut dépasser 60 jours")
    assert isinstance(by_id["vrai-ou-faux"], TrueFalse) and by_id["vrai-ou-faux"].answer is True
    assert by_id["faux-simple"].answer is False
    assert (by_id["dso"].answer, by_id["dso"].tolerance) == (45.0, 2.0)
    assert (by_id["plage"].answer, by_id["plage"].tolerance) == (11.0, 1.0)
    assert isinstance(by_id["indemnite"], Numeric) and by_id["indemnite"].answer == 40
    weighted = by_id["plusieurs-bonnes-reponses"]
    assert isinstance(weighted, MultipleChoice) and [c.fraction for c in weighted.choices] == [0.5, 0.5, -1.0]
    assert isinstance(by_id["reponse-courte"], ShortText) and by_id["reponse-courte"].answers == ("DSO", "days sales outstanding")
    matching = by_id["appariement"]
    assert isinstance(matching, Matching) and matching.pairs[2].right == "Proposer un acompte daté"
    # Escapes and accents.
    escaped = by_id["deux-points-et-egal"]
    assert escaped.text == "Que vaut 1 = 1 dans un tableur qui compare : ?"
    assert escaped.feedback == "Oui, # le dièse s'échappe aussi."
    assert by_id["accolades"].text == "Dans un message, on écrit {montant} pour un repère."
    # Missing word and HTML.
    gap = next(q for q in imported.questions if "_____" in q.text)
    assert gap.text == "Le chèque a été _____ par notre service comptable."
    assert by_id["html"].text == "Le recouvrement amiable précède-t-il le judiciaire ?"


def test_what_relance_cannot_represent_is_reported_with_its_line() -> None:
    imported = parse_gift((FIXTURES / "relance.gift").read_text(encoding="utf-8"))
    skipped = {(n.line, n.title): n.message for n in imported.notes if n.severity == "error"}
    assert set(skipped) == {(48, "Composition"), (50, "Description"), (52, "Cloze")}
    assert "essay" in skipped[(48, "Composition")] and "cloze" in skipped[(52, "Cloze")]
    (partial,) = [n for n in imported.notes if n.severity == "warning"]
    assert partial.line == 54 and "45" in partial.message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("::T::Question {=a ~b", "non refermé"),
        ("::T:: {=a ~b}", "énoncé vide"),
        ("::T::Question {#beaucoup}", "nombre illisible"),
        ("::T::Question {=a} et {=b}", "plusieurs blocs"),
        ("::Titre sans fin Question {T}", "titre"),
    ],
)
def test_broken_gift_is_reported_not_crashed(text: str, fragment: str) -> None:
    imported = parse_gift(text)
    assert imported.questions == []
    assert fragment in imported.notes[0].message and imported.notes[0].line == 1


def test_true_false_feedback_goes_to_who_answered_wrong_then_right() -> None:
    # Moodle's GIFT: {TRUE#shown to who answers wrong#shown to who answers right}
    (q,) = parse_gift("::Vf:: Le chèque fait foi à réception ? {FALSE#Non : c'est l'encaissement.#Exact.####Voir L441-10.}").questions
    assert isinstance(q, TrueFalse) and q.answer is False
    assert (q.feedback_wrong, q.feedback_right, q.feedback) == ("Non : c'est l'encaissement.", "Exact.", "Voir L441-10.")
    bank = to_banks(parse_gift("::Vf:: Le chèque fait foi à réception ? {FALSE#Non.#Exact.}"), "m", "x", "x")[0]
    prepared = prepare_question(bank.questions[0], 1)
    assert grade(prepared, "vrai").feedback == ("Non.",)
    assert grade(prepared, "faux").feedback == ("Exact.",)
    (only_right,) = parse_gift("::R:: Une relance se prépare ? {T##Oui, toujours.}").questions
    assert (only_right.feedback_wrong, only_right.feedback_right) == ("", "Oui, toujours.")


def test_numeric_feedback_for_any_other_value_is_kept() -> None:
    (q,) = parse_gift("::Dso:: DSO en jours ? {#=45:2#Juste. ~#Refaites le calcul : créances / CA × 365.}").questions
    assert isinstance(q, Numeric) and (q.answer, q.tolerance) == (45.0, 2.0)
    assert (q.feedback_right, q.feedback_wrong) == ("Juste.", "Refaites le calcul : créances / CA × 365.")
    prepared = prepare_question(q, 1)
    assert grade(prepared, "46").feedback == ("Juste.",)
    assert grade(prepared, "60").feedback == ("Refaites le calcul : créances / CA × 365.",)


def test_answer_feedbacks_survive_both_exports() -> None:
    source = "::Vf:: Vrai ? {TRUE#Non.#Oui.####Général.}\n\n::N:: Combien ? {#=40#Bien. ~#Non, 40 €.}"
    banks = to_banks(parse_gift(source), "m", "x", "x")
    again = to_banks(parse_gift(gift_text(banks)[0]), "m", "x", "x")
    xml_again, ids = parse_moodle_xml(moodle_xml(banks)[0].encode())
    expected = msgspec.to_builtins(banks[0].questions)
    assert expected[0]["feedback_wrong"] == "Non." and expected[1]["feedback_wrong"] == "Non, 40 €."
    assert msgspec.to_builtins(again[0].questions) == expected
    assert msgspec.to_builtins(to_banks(xml_again, "m", "x", "x", ids)[0].questions) == expected


def test_calculated_formulas_cross_to_moodle_and_back() -> None:
    assert moodle_formula("creances / ca_ttc * 365") == "{creances} / {ca_ttc} * 365"
    assert moodle_formula("min(besoin, cp * 0.10)") == "min({besoin}, {cp} * 0.10)"
    assert moodle_formula("(1 + t / 100) ** 2") == "pow(1 + {t} / 100, 2)"
    assert relance_formula("pow(1 + {t} / 100, 2)", ["t"]) == "(1 + t / 100) ** 2"
    with pytest.raises(ValueError, match="si … sinon"):
        moodle_formula("a if retard > 0 else 0")
    with pytest.raises(ValueError, match="pi"):
        relance_formula("pi() * {r}", ["r"])
    with pytest.raises(ValueError, match="inconnue"):
        relance_formula("{zz} + 1", ["r"])


def test_a_conditional_formula_is_reported_not_written() -> None:
    bank = to_banks(parse_gift("::D:: Délai ? {#30}"), "m", "x", "x")[0]
    calculated = Calculated(
        id="penalite", text="Pénalité pour {retard} jours ?", formula="40 if retard > 0 else 0",
        variables=(Variable(name="retard", min=0, max=10),),
    )
    text, skipped = moodle_xml([msgspec.structs.replace(bank, questions=(*bank.questions, calculated))])
    assert "penalite" not in text and any("penalite" in s and "non exportée" in s for s in skipped)


def test_aiken_file_is_read_and_a_bad_answer_reported() -> None:
    imported = parse_aiken((FIXTURES / "relance.aiken").read_text(encoding="utf-8"))
    questions = imported.questions
    assert len(questions) == 3
    assert [c.correct for c in questions[1].choices] == [False, True, False, False]
    assert questions[1].choices[1].text == "Donner la parole au client"
    (note,) = imported.notes
    assert note.line == 17 and "ANSWER: C" in note.message


def test_moodle_xml_written_by_hand_is_read() -> None:
    imported, _ids = parse_moodle_xml((FIXTURES / "relance.xml").read_bytes())
    (category,) = imported.categories
    assert category == "Relance/Recouvrement"
    first, second = imported.questions
    assert first.text == "Quel acte fait courir les intérêts moratoires ?" and first.points == 2
    assert second.answer == 40 and second.feedback_right == "40 €."
    (note,) = imported.notes
    assert note.title == "Rédaction" and "essay" in note.message


def test_moodle_xml_export_reimports_into_the_same_questions() -> None:
    banks = load_library().all("quiz")
    text, skipped = moodle_xml(banks)
    imported, ids = parse_moodle_xml(text.encode())
    assert imported.notes == []
    back = {bank.id: bank for bank in to_banks(imported, "m", "x", "x", ids)}
    assert set(back) == {bank.id for bank in banks}
    compared = 0
    for bank in banks:
        assert [_comparable(q) for q in bank.questions] == [_comparable(q) for q in back[bank.id].questions]
        compared += len(bank.questions)
    assert compared > 180 and sum(isinstance(q, Calculated) for b in banks for q in b.questions) >= 30
    # Only what Moodle has no field for is reported: nothing is left out.
    assert skipped and all("relative" in s or "libellé ou unité" in s for s in skipped)


def test_gift_export_reimports_into_the_same_questions() -> None:
    banks = load_library().all("quiz")
    text, _skipped = gift_text(banks)
    imported = parse_gift(text)
    assert [n for n in imported.notes if n.severity == "error"] == []
    back = {bank.title: bank for bank in to_banks(imported, "m", "x", "x")}
    for bank in banks:
        exported = [q for q in bank.questions if type(q).__struct_config__.tag not in ("calculated", "ordering")]
        drop = ("shuffle", "unit", "points")
        assert [_comparable(q, drop) for q in exported] == [_comparable(q, drop) for q in back[bank.title].questions]


def test_gift_written_in_french_with_escapes_round_trips() -> None:
    imported = parse_gift((FIXTURES / "relance.gift").read_text(encoding="utf-8"))
    banks = to_banks(imported, "m", "x", "x")
    again = to_banks(parse_gift(gift_text(banks)[0]), "m", "x", "x")
    assert [msgspec.to_builtins(b.questions) for b in banks] == [msgspec.to_builtins(b.questions) for b in again]
    xml_again, ids = parse_moodle_xml(moodle_xml(banks)[0].encode())
    assert [msgspec.to_builtins(b.questions) for b in banks] == [
        msgspec.to_builtins(b.questions) for b in to_banks(xml_again, "m", "x", "x", ids)
    ]


def test_import_command_writes_quiz_files_that_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        "kind: pack\nid: importe\ntitle: Importé\nversion: '1.0'\nmodules:\n  - {id: m1, title: Module 1}\n",
        encoding="utf-8",
    )
    code = main(["import", "gift", str(FIXTURES / "relance.gift"), "--module", "m1", "-o", str(pack)])
    assert code == 1  # three questions could not be imported: said, and the exit code says so
    captured = capsys.readouterr()
    assert "relance.gift:48: non importée « Composition »" in captured.err
    assert f"suite : `relance validate {pack}`" in captured.out
    assert sorted(p.name for p in pack.glob("*.yaml")) == ["delais-de-paiement.yaml", "echappements.yaml", "pack.yaml"]
    library = load_library([pack], use_cache=False, strict=False)
    assert [p for p in library.problems if p.severity == "error"] == []
    assert len(library.quiz("delais-de-paiement").questions) == 9
    # A second import does not overwrite without --force.
    assert main(["import", "gift", str(FIXTURES / "relance.gift"), "--module", "m1", "-o", str(pack)]) == 2
    assert "--force" in capsys.readouterr().err


def test_import_says_what_the_files_still_need(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = str(FIXTURES / "relance.gift")
    assert main(["import", "gift", source, "--module", "m-inconnu", "-o", str(tmp_path / "seul")]) == 1
    out = capsys.readouterr().out
    assert "relance new pack ID -d" in out and "déclarez-y le module `m-inconnu`" in out
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "pack.yaml").write_text("kind: pack\nid: p\ntitle: P\nversion: '1.0'\n", encoding="utf-8")
    assert main(["import", "gift", source, "--module", "m-inconnu", "-o", str(pack / "quiz")]) == 1
    out = capsys.readouterr().out
    assert "le module `m-inconnu` n'est déclaré ni dans" in out and "modules:" in out


def test_import_rejects_hostile_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    binary = tmp_path / "binaire.gift"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert main(["import", "gift", str(binary), "--module", "m1", "--json"]) == 2
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
        '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
        '<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]><quiz>&h;</quiz>',
        encoding="utf-8",
    )
    assert main(["import", "moodle-xml", str(bomb), "--module", "m1", "--json"]) == 1
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert "XML" in notes[0]["message"]
    empty = tmp_path / "vide.gift"
    empty.write_text("// rien\n", encoding="utf-8")
    assert main(["import", "gift", str(empty), "--module", "m1", "-o", str(tmp_path)]) == 2
    assert "aucune question" in capsys.readouterr().err
    assert main(["import", "gift", str(empty), "--module", "Pas Un Id"]) == 2


def test_export_quiz_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "cadre.xml"
    assert main(["export-quiz", "cadre-legal", "--format", "moodle-xml", "-o", str(target)]) == 0
    imported, _ids = parse_moodle_xml(target.read_bytes())
    bank = load_library().quiz("cadre-legal")
    assert len(imported.questions) == len(bank.questions)
    assert f"{len(bank.questions)} question(s) ; 0 non exportée(s)" in capsys.readouterr().out
    assert main(["export-quiz", "cadre-legal", "--format", "gift"]) == 0
    assert "$CATEGORY: $course$/top/" in capsys.readouterr().out
    assert main(["export-quiz", "cadre-legl"]) == 2
    assert "cadre-legal" in capsys.readouterr().err


def test_what_moodle_cannot_hold_is_said_at_export() -> None:
    bank = to_banks(parse_gift("// source : C. com. art. L441-10\n::C:: Sigle du délai moyen ? {=DSO}"), "m", "x", "x")[0]
    assert bank.questions[0].source == "C. com. art. L441-10"
    strict = msgspec.structs.replace(bank.questions[0], threshold=95)
    bank = msgspec.structs.replace(bank, questions=(strict,))
    for text, notes in (moodle_xml([bank]), gift_text([bank])):
        assert any("tolérance aux fautes (95) non transmise" in n for n in notes)
        assert "L441-10" in text
