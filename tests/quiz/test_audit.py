"""Reference rates cited with their half-year, and a table that says when it expires (issue 15, point 1)."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from simulator.content.library import load_library
from simulator.model import Pack
from simulator.quiz import rates
from simulator.quiz.audit import cites_rates, outdated_message, rate_mentions


def _pack(**objects) -> Pack:
    data = {"manifest": {"kind": "pack", "id": "p", "title": "P", "version": "1.0"}, "root": "/tmp", "hash": "x"}
    data.update(objects)
    return msgspec.convert(data, Pack)


def _quiz(*questions: dict) -> dict:
    return {"kind": "quiz", "id": "b", "title": "B", "module": "m", "questions": list(questions)}


def _found(pack: Pack) -> list[tuple[tuple, str]]:
    return [(f.path, f.code) for f in rate_mentions(pack, rates.packaged_table())]


TF = {"type": "truefalse", "id": "q", "answer": True}


@pytest.mark.parametrize(
    ("feedback", "expected"),
    [
        ("12,15 % est le taux par défaut.", [(("questions", 0, "feedback"), "rate-without-semester")]),
        ("12,15 % est le taux par défaut du 1er semestre 2026.", []),
        ("Taux par défaut : 12,15 % (S2 2025).", []),
        ("Taux BCE de 2,15 % retenu au 1er janvier 2026.", []),
        ("12,15 % au second semestre de l'année 2025.", []),
        # 13,15 % is the default rate of S1 2025, not of S1 2026.
        ("13,15 % au 1er semestre 2026.", [(("questions", 0, "feedback"), "rate-semester-mismatch")]),
        # Not a reference rate: nothing to say.
        ("Une marge de 12,50 % ne suffit pas.", []),
        ("", []),
    ],
)
def test_a_rate_needs_its_half_year_in_the_same_text(feedback, expected):
    pack = _pack(quizzes=[_quiz({**TF, "text": "Les pénalités sont dues.", "feedback": feedback})])
    assert _found(pack) == expected


def test_choices_may_lean_on_the_question_but_feedback_may_not():
    question = {
        "type": "single", "id": "q",
        "text": "Vos CGV s'appliquent à des factures du 1er semestre 2026.",
        "choices": [{"text": "Sous le plancher (7,86 % sur ce semestre)", "correct": True}, {"text": "Conforme"}],
        "feedback": "Le plancher est de 7,86 %.",
    }
    assert _found(_pack(quizzes=[_quiz(question)])) == [(("questions", 0, "feedback"), "rate-without-semester")]


def test_a_drawn_rate_counts_as_a_rate():
    question = {
        "type": "calculated", "id": "q", "text": "Au taux de {taux}, combien ?", "formula": "taux * 2",
        "variables": [{"name": "taux", "values": [12.15, 7.86], "unit": "%"}],
    }
    assert _found(_pack(quizzes=[_quiz(question)])) == [(("questions", 0, "text"), "rate-without-semester")]
    question["text"] = "Au taux de {taux} (1er semestre 2026), combien ?"
    assert _found(_pack(quizzes=[_quiz(question)])) == []


def test_case_study_tables_and_solutions_are_checked():
    study = {
        "kind": "case-study", "id": "s", "title": "S", "module": "m",
        "tables": [{"title": "CGV", "columns": ["Clause", "Contenu"], "rows": [["Taux", "12,15 %"]]}],
        "questions": [{"id": "q", "text": "Combien ?", "formula": "1",
                       "solution": ["Taux du 2nd semestre 2025 :", "12,15 %"]}],
    }
    assert _found(_pack(case_studies=[study])) == [(("tables", 0), "rate-without-semester")]


def test_the_bundled_packs_cite_every_rate_with_its_half_year():
    library = load_library(use_cache=False)
    table = rates.packaged_table()
    assert [(f.object_id, f.path, f.message) for p in library.packs for f in rate_mentions(p, table)] == []
    assert any(cites_rates(p, table) for p in library.packs)


def test_outdated_table_message_names_the_last_confirmed_half_year():
    table = rates.packaged_table()
    assert outdated_message(table, date(2026, 6, 30)) is None
    message, hint = outdated_message(table, date(2026, 12, 4))
    assert "s'arrête au 30/06/2026 (dernier semestre confirmé : S1 2026)" in message
    assert "nous sommes le 04/12/2026" in message
    assert "S2 2026 : non confirmé" in message
    assert "rates_fr.json" in hint and "docs/sources.md" in hint
    # Past the pending half-year too: still outdated, no note to add.
    message, _hint = outdated_message(table, date(2027, 3, 1))
    assert "S2 2026" not in message
