"""The nine frictions a new trainer met (issue 12), each fixed and checked here."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.content.library import load_library
from simulator.content.problems import Problem

ROOT = Path(__file__).resolve().parents[2]

INTRO = [
    "Bonjour, Claire Martin, service crédit clients d'Axis Fournitures.",
    "Je suis bien en ligne avec Madame Morel, qui gère les règlements fournisseurs ?",
    "Vous avez deux minutes ? Je vous appelle au sujet d'une facture de notre dossier Morel Agencement.",
    "Je vous appelle au sujet de la facture F-2026-0412 de 14 400 €, échue depuis le 31/10/2026 : "
    "elle reste ouverte dans nos comptes.",
    "Avez-vous bien reçu cette facture, et où en est son règlement chez vous ?",
]
"""The method's model replies up to the floor, where the persona raises its objection."""


def _problems(pack: Path) -> list[Problem]:
    return list(load_library([pack], use_cache=False, strict=False).problems)


def _errors(pack: Path) -> list[Problem]:
    return [p for p in _problems(pack) if p.severity == "error"]


# 1. Two schema classes named Objective -------------------------------------------------


def test_case_objective_and_training_objective_have_distinct_names() -> None:
    guide = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
    case_table = guide[guide.index("### Case\n") : guide.index("### Creditor\n")]
    assert "| `objective` | [CallObjective](#callobjective) |" in case_table
    assert "| `fallback` | [CallObjective](#callobjective) |" in case_table
    module_table = guide[guide.index("### Module\n") : guide.index("### TrainingObjective\n")]
    assert "[TrainingObjective](#trainingobjective)" in module_table
    assert "### Objective\n" not in guide
    schema = json.loads((ROOT / "docs" / "pack-schema.json").read_text(encoding="utf-8"))
    assert {"CallObjective", "TrainingObjective"} <= set(schema["$defs"])
    assert "Objective" not in schema["$defs"]


# 2. Reusing the bundled content without `depends` ----------------------------------------


def test_missing_depends_is_named_in_the_hint(make_pack: Callable[..., Path]) -> None:
    pack = make_pack(pack_yaml="kind: pack\nid: morel\ntitle: Pack Morel\nversion: '1.0'\n")
    errors = _errors(pack)
    objection = next(p for p in errors if p.code == "unknown-reference" and "tresorerie-tendue" in p.message)
    assert "ajoutez `depends: [relance-appels]`" in objection.hint
    method = next(p for p in errors if p.code == "no-method")
    assert "depends: [relance-appels]" in method.hint
    assert not any(p.code == "ambiguous-method" for p in errors)
    # With the dependency declared, the pack is clean.
    assert _errors(make_pack()) == []


# 3. validate names each pack, on stdout ------------------------------------------------


def test_validate_prints_each_pack_with_counts_on_stdout(
    make_pack: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    pack = make_pack()
    assert main(["validate", "--no-golden", str(pack)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    lines = captured.out.splitlines()
    assert any(line.startswith("pack morel (") and "1 personnage(s), 1 dossier(s)" in line for line in lines)
    assert any(line.startswith("pack relance-appels (") for line in lines)
    assert lines[-1].startswith("OK : 2 pack(s)")


def test_validate_without_a_folder_checks_the_pack_it_is_run_from(
    make_pack: Callable[..., Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = make_pack(case_yaml="kind: case\nid: morel-premier-appel\npersona: [\n")
    (pack / "notes").mkdir()
    monkeypatch.chdir(pack / "notes")
    assert main(["validate", "--no-golden"]) == 1
    captured = capsys.readouterr()
    assert "pack du dossier courant" in captured.err and "case.yaml" in captured.out
    assert "OK" not in captured.out.splitlines()[-1]


# 4. Reference problems in the same run as structural ones ------------------------------------


def test_references_are_checked_even_when_another_file_is_broken(make_pack: Callable[..., Path]) -> None:
    persona = (
        "kind: persona\nid: sophie-morel\nname: Sophie Morel\ntype: bonne-foi\n"
        "objections:\n  - objection: tresorerie-tendue\n    at: negociation\n"
    )
    broken = "kind: objection\nid: mon-objection\ntitle: x\ncategory: nope\nphrasings: [a]\n"
    pack = make_pack(persona_yaml=persona, broken_yaml=broken)
    codes = {(p.code, p.file.rsplit("/", 1)[-1]) for p in _errors(pack)}
    assert ("unknown-value", "broken.yaml") in codes
    assert ("unknown-reference", "persona.yaml") in codes
    step = next(p for p in _errors(pack) if "negociation" in p.message)
    assert "`negocier`" in step.hint and step.line == 7


def test_a_reference_to_an_object_whose_file_failed_is_not_a_second_error(make_pack: Callable[..., Path]) -> None:
    # The persona file has a syntax error: the case naming it gets no "introuvable".
    pack = make_pack(persona_yaml="kind: persona\nid: sophie-morel\nname: [oops\n")
    errors = _errors(pack)
    assert [p.code for p in errors] == ["yaml-syntax"]


# 5. YAML traps --------------------------------------------------------------------------


def test_a_line_starting_with_a_placeholder_says_to_quote_it_at_its_column(make_pack: Callable[..., Path]) -> None:
    persona = "kind: persona\nid: sophie-morel\nname: S\ntype: bonne-foi\nlines:\n  answer:\n    - {company}, bonjour.\n"
    (problem,) = _errors(make_pack(persona_yaml=persona))
    assert problem.code == "yaml-syntax"
    assert "mettez la ligne entre guillemets" in problem.hint
    assert (problem.line, problem.column) == (7, 7)
    assert "did not find" not in problem.message


def test_a_lone_placeholder_line_read_as_a_dictionary_says_to_quote_it(make_pack: Callable[..., Path]) -> None:
    persona = "kind: persona\nid: sophie-morel\nname: S\ntype: bonne-foi\nlines:\n  goodbye:\n    - {company}\n"
    (problem,) = _errors(make_pack(persona_yaml=persona))
    assert problem.code == "wrong-type"
    assert "mettez la ligne entre guillemets" in problem.hint
    assert (problem.line, problem.column) == (7, 7)


def test_a_plain_line_with_colon_space_says_to_quote_it(make_pack: Callable[..., Path]) -> None:
    persona = "kind: persona\nid: sophie-morel\nname: S\ntype: bonne-foi\nlines:\n  goodbye: Bon: au revoir\n"
    (problem,) = _errors(make_pack(persona_yaml=persona))
    assert problem.code == "yaml-syntax"
    assert "« : »" in problem.message and "mapping values" not in problem.message
    assert "mettez la ligne entre guillemets" in problem.hint
    assert (problem.line, problem.column) == (6, 12)
    listed = "kind: persona\nid: sophie-morel\nname: S\ntype: bonne-foi\nlines:\n  goodbye:\n    - Morel: au revoir\n"
    (problem,) = _errors(make_pack(persona_yaml=listed))
    assert "mettez la ligne entre guillemets" in problem.hint and problem.line == 7


def test_french_amounts_are_accepted_and_nonsense_gets_advice(
    make_pack: Callable[..., Path], morel_texts: dict[str, str]
) -> None:
    library = load_library([make_pack()], use_cache=False)
    assert library.case("morel-premier-appel").invoices[0].amount == 14400.0
    case = morel_texts["case.yaml"].replace("14 400,00 €", "quatorze mille")
    (problem,) = _errors(make_pack(case_yaml=case))
    assert problem.code == "wrong-type" and "`14400.00`" in problem.hint


# 6. Client-file fields used in the dialogue -------------------------------------------------


def test_client_file_fields_become_placeholders_the_persona_uses(make_pack: Callable[..., Path]) -> None:
    from simulator.dialogue import play
    from simulator.dialogue.engine import case_facts
    from simulator.model.case import PLACEHOLDERS

    library = load_library([make_pack()], use_cache=False)
    case = library.case("morel-premier-appel")
    facts = dict(case_facts(case, library.persona(case.persona)))
    assert set(facts) == set(PLACEHOLDERS)
    assert facts["signatory"] == "Hélène Vidal"
    assert facts["signatory_role"] == "directrice financière"
    assert facts["sales_rep"] == "Bruno Lefort"
    assert facts["caller_email"] == "c.martin@axis.fr"
    assert facts["payment_terms"] == "45 jours fin de mois"
    assert facts["seniority"] == "12 ans" and facts["customer_since"] == "2014"


def test_the_debtor_names_who_signs_when_asked(make_pack: Callable[..., Path]) -> None:
    from simulator.dialogue import play

    library = load_library([make_pack()], use_cache=False)
    case = library.case("morel-premier-appel")
    replies = [
        *INTRO,
        "Je comprends que la trésorerie est tendue. Quel montant pouvez-vous régler cette semaine ?",
        "Et le solde, quand pouvez-vous le régler ?",
        "Qui valide les paiements chez vous ?",
    ]
    state, _used = play(case, 1, library, replies)
    assert "Hélène Vidal" in state.last_debtor_line
    assert state.turns[-1].line_key == "asked_who"


def test_unknown_placeholder_in_a_debtor_line_is_a_warning(make_pack: Callable[..., Path]) -> None:
    persona = "kind: persona\nid: sophie-morel\nname: S\ntype: bonne-foi\nlines:\n  goodbye: ['Merci {signataire}.']\n"
    (problem,) = [p for p in _problems(make_pack(persona_yaml=persona)) if p.code == "unknown-placeholder"]
    assert problem.severity == "warning" and "`signatory`" in problem.hint and problem.line == 6


# 7. Line kinds for diagnostic questions -----------------------------------------------------


def test_a_diagnostic_question_gets_an_answer_consistent_with_the_objection(make_pack: Callable[..., Path]) -> None:
    from simulator.dialogue import play

    library = load_library([make_pack()], use_cache=False)
    case = library.case("morel-premier-appel")
    replies = list(INTRO)
    state, _ = play(case, 1, library, replies)
    assert state.current_objection is not None and state.current_objection.id == "tresorerie-tendue"
    replies.append("Je comprends que la trésorerie est tendue. Quel montant pouvez-vous régler cette semaine ?")
    state, _ = play(case, 1, library, replies)
    # The objection's own answer, not the generic "I don't know where that invoice is".
    assert state.last_debtor_line == "Cette semaine, je peux faire 5\u202f000\u00a0€, pas plus."
    assert state.turns[-1].line_key == "asked_amount"
    replies.append("Et le solde, quand pouvez-vous le régler ?")
    state, _ = play(case, 1, library, replies)
    assert state.last_debtor_line == "Le solde, je peux le faire le 24/11."


# 8. call and golden agree on unplayed replies; missing goldens warned ----------------------------


def test_call_with_replies_left_over_fails_like_a_golden(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replies = tmp_path / "replies.txt"
    replies.write_text("Espèce d'incapable, payez !\nEncore une réplique\nEt une autre\n", encoding="utf-8")
    assert main(["call", "leroy-premier-appel", "--replies", str(replies)]) == 1
    err = capsys.readouterr().err
    assert "réplique(s) non jouée(s)" in err and "erreur" in err


def test_a_case_without_good_and_poor_golden_is_warned(make_pack: Callable[..., Path]) -> None:
    (problem,) = [p for p in _problems(make_pack()) if p.code == "missing-golden"]
    assert problem.severity == "warning" and problem.object_id == "morel-premier-appel"
    assert "bon parcours" in problem.message and "mauvais parcours" in problem.message


# 9. show objection --------------------------------------------------------------------------


def test_show_objection_prints_criteria_and_model_answer(capsys: pytest.CaptureFixture[str]) -> None:
    from simulator.content.library import load_library as load

    objection = load().objection("cheque-parti")
    assert main(["show", "objection", "cheque-parti"]) == 0
    out = capsys.readouterr().out
    assert objection.title in out
    for criterion in objection.criteria:
        assert criterion.label in out
    assert "Réponse modèle" in out and objection.model.strip()[:40] in out
    assert main(["show", "objection", "cheque-part"]) == 2
    assert "cheque-parti" in capsys.readouterr().err
