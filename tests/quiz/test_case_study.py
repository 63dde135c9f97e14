"""Case studies: the worked examples of domain.md §5 with fixed values, draws, grading."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec
import pytest

from simulator.content.library import load_library
from simulator.errors import ContentError, NotFoundError
from simulator.model.case_study import CaseStudy
from simulator.quiz.case_study import grade_case_question, grade_case_study, start_case_study

FIXTURE_PACK = Path(__file__).parent / "fixtures" / "pack"
NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.fixture(scope="module")
def study() -> CaseStudy:
    return load_library([FIXTURE_PACK], use_cache=False).case_study("etude-dso")


def test_domain_worked_example_dso_73_days_and_penalties(study: CaseStudy) -> None:
    """domain.md §5.1: 360 000 / 1 800 000 × 365 = 73 j; §5.5: 12 000 × 12,15 % × 45 / 365 = 179,75 €."""
    sheet = start_case_study(study, 0, values={"creances": 360000, "ca_ht": 1500000})
    assert sheet.value("ca_ttc") == Decimal(1800000)
    assert sheet.value("dso") == Decimal(73)
    dso, penalties = sheet.questions
    assert dso.expected == Decimal(73)
    assert dso.answer_text() == f"73,0{NBSP}jours"
    assert round(penalties.expected, 2) == Decimal("179.75")
    assert penalties.answer_text() == f"179,75{NBSP}€"
    assert dso.solution == (
        f"CA TTC = 1{NNBSP}500{NNBSP}000{NBSP}€ × 1,2 = 1{NNBSP}800{NNBSP}000{NBSP}€",
        f"DSO = 360{NNBSP}000{NBSP}€ / 1{NNBSP}800{NNBSP}000{NBSP}€ × 365 = 73,0{NBSP}jours",
    )
    assert (
        penalties.solution[0]
        == f"12{NNBSP}000{NBSP}€ × 12,15{NBSP}% × 45{NBSP}jours / 365 = 179,75{NBSP}€"
    )
    assert (
        sheet.intro
        == f"La société Martin a un encours de 360{NNBSP}000{NBSP}€ pour un CA HT de 1{NNBSP}500{NNBSP}000{NBSP}€."
    )
    table = sheet.tables[0]
    assert table.title == "Données au 31/12" and table.columns == ("Poste", "Montant")
    assert table.rows == (
        ("Créances clients TTC", f"360{NNBSP}000{NBSP}€"),
        ("CA TTC", f"1{NNBSP}800{NNBSP}000{NBSP}€"),
    )


@pytest.mark.parametrize(
    ("question", "response", "status"),
    [
        ("dso", "73", "correct"),
        ("dso", "73 jours", "correct"),
        ("dso", "72,5 j", "correct"),  # tolerance 0.5, inclusive
        ("dso", "73,5", "correct"),
        ("dso", "72,4", "wrong"),
        ("dso", 73, "correct"),
        ("dso", "73 €", "invalid"),
        ("dso", "environ 73", "invalid"),
        ("dso", None, "unanswered"),
        ("penalites", "179,75 €", "correct"),
        ("penalites", "179,75", "correct"),
        ("penalites", "179.75", "correct"),
        ("penalites", "219,75", "wrong"),  # with the 40 € indemnity: not what is asked
        ("penalites", "179,75 %", "invalid"),
    ],
)
def test_grading_with_tolerance_and_units(
    study: CaseStudy, question: str, response: Any, status: str
) -> None:
    sheet = start_case_study(study, 0, values={"creances": 360000, "ca_ht": 1500000})
    graded = grade_case_question(sheet, question, response)
    assert graded.status == status
    assert graded.solution  # the worked solution always comes with the answer
    if status == "invalid":
        assert graded.message and graded.score == 0


def test_whole_study_result(study: CaseStudy) -> None:
    sheet = start_case_study(study, 0, values={"creances": 360000, "ca_ht": 1500000})
    result = grade_case_study(sheet, {"dso": "73 jours", "penalites": "200"})
    assert (result.raw, result.max_score, result.percent, result.passed) == (1.0, 2.0, 50.0, False)
    data = result.to_dict()
    assert data["questions"]["dso"]["correct"] is True
    assert data["questions"]["penalites"]["expected"] == f"179,75{NBSP}€"
    with pytest.raises(NotFoundError) as info:
        grade_case_study(sheet, {"dos": "73"})
    assert "`dso`" in info.value.hint


def test_seeded_draws_are_stable_and_vary(study: CaseStudy) -> None:
    sheets = [start_case_study(study, seed) for seed in range(12)]
    assert all(s == start_case_study(study, s.seed) for s in sheets)
    assert len({(s.value("creances"), s.value("ca_ht")) for s in sheets}) > 4
    for sheet in sheets:
        assert sheet.value("dso") == sheet.value("creances") / sheet.value("ca_ttc") * 365
        assert sheet.questions[0].expected == sheet.value("dso")


def test_fixed_values_must_be_known(study: CaseStudy) -> None:
    with pytest.raises(ValueError, match="creanse"):
        start_case_study(study, 0, values={"creanse": 1})


def _study(**extra: Any) -> CaseStudy:
    data: dict[str, Any] = {
        "kind": "case-study",
        "id": "cs",
        "title": "Cas",
        "module": "m",
        "questions": [{"id": "q", "text": "?", "formula": "x"}],
    }
    data.update(extra)
    return msgspec.convert(data, CaseStudy)


def test_derived_values_are_computed_in_order_unrounded() -> None:
    study = _study(
        variables=[{"name": "a", "values": [10]}],
        derived=[
            {"name": "b", "formula": "a / 3", "decimals": 2},
            {"name": "c", "formula": "b * 3", "decimals": 0},
        ],
        questions=[{"id": "q", "text": "{b} ?", "formula": "c", "decimals": 2}],
    )
    sheet = start_case_study(study, 0)
    assert sheet.questions[0].text == "3,33 ?"
    expected = sheet.questions[0].expected
    assert round(expected, 20) == 10  # computed from b unrounded (3.333…), not from 3,33 → 9,99


def test_bad_placeholders_are_left_as_typed() -> None:
    study = _study(variables=[{"name": "x", "values": [2]}], intro="{x} {y} {x * 2} {}")
    assert start_case_study(study, 0).intro == "2 {y} {x * 2} {}"


def test_runtime_formula_failure_is_a_content_error() -> None:
    study = _study(
        variables=[{"name": "x", "values": [0]}], derived=[{"name": "y", "formula": "1 / x"}]
    )
    with pytest.raises(ContentError, match="division par zéro"):
        start_case_study(study, 0)


def test_bundled_study_reproduces_the_domain_examples() -> None:
    """domain.md §5.2 and §5.5 through the bundled study, when it is there (content is authored separately)."""
    library = load_library(use_cache=False)
    if "dso-penalites" not in {s.id for s in library.all("case-study")}:
        pytest.skip("bundled case study `dso-penalites` not present")
    study = library.case_study("dso-penalites")
    fixed = {
        "ca_janvier": 90000,
        "ca_fevrier": 100000,
        "ca_mars": 120000,
        "encours": 250000,
        "montant_ttc": 12000,
        "jours_retard": 45,
        "taux": 12.15,
    }
    sheet = start_case_study(study, 0, values=fixed)
    answers = {q.id: q.answer_text() for q in sheet.questions}
    assert answers == {
        "dso-comptable": f"72,6{NBSP}jours",  # 250 000 / 310 000 × 90
        "dso-epuisement": f"69,3{NBSP}jours",  # 31 + 28 + 10,3
        "penalites-indemnite": f"219,75{NBSP}€",  # 179,75 + 40
    }
    assert sheet.value("penalites") == Decimal("179.75")
    result = grade_case_study(
        sheet,
        {
            "dso-comptable": "72,6",
            "dso-epuisement": "69,3 jours",
            "penalites-indemnite": "219,75 €",
        },
    )
    assert result.passed and result.percent == 100.0


def test_bundled_studies_run_for_many_seeds() -> None:
    library = load_library(use_cache=False)
    for study in library.all("case-study"):
        for seed in range(25):
            sheet = start_case_study(study, seed)
            for q in sheet.questions:
                assert grade_case_question(sheet, q.id, q.answer_text()).correct, (
                    study.id,
                    seed,
                    q.id,
                )
