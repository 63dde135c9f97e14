"""Wrong methods that a tolerance lets through, scanned over every draw (issue 15, point 4)."""

from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest

from simulator.content.library import load_library
from simulator.model.case_study import CaseStudy
from simulator.model.quiz import Calculated
from simulator.quiz.audit import wrong_method_findings
from simulator.quiz.wrong_methods import WRONG_METHODS, scan_calculated, scan_study

METHODS = {m.code: m for m in WRONG_METHODS}


def _question(formula: str, tolerance: float, variables: list[dict], mode: str = "absolute", decimals: int = 2) -> Calculated:
    return msgspec.convert(
        {
            "type": "calculated",
            "id": "q",
            "text": "…",
            "variables": variables,
            "formula": formula,
            "tolerance": tolerance,
            "tolerance_mode": mode,
            "decimals": decimals,
        },
        Calculated,
    )


def _codes(findings) -> dict[str, tuple[int, int]]:
    return {f.method.code: (f.passes, f.draws) for f in findings}


# The four questions of the audit, with the values they had before issue 15.
AUDITED = [
    pytest.param(
        "montant * taux / 100 * jours / 360", 0.5, "absolute", 2,
        [{"name": "montant", "min": 12000, "max": 90000, "step": 3000},
         {"name": "jours", "min": 15, "max": 90, "step": 5},
         {"name": "taux", "values": [4, 4.5, 5, 5.5, 6, 7]}],
        "annee-365", (18, 2592), id="cout-retard-calcul",
    ),
    pytest.param(
        "escompte / (100 - escompte) * 365 / 20 * 100", 0.1, "absolute", 1,
        [{"name": "escompte", "values": [0.5, 1, 1.5, 2, 2.5, 3]}],
        "taux-sur-100", (1, 6), id="escompte-calcul",
    ),
    pytest.param(
        "creances / ca_trim * 91", 0.5, "absolute", 1,
        [{"name": "creances", "min": 150000, "max": 300000, "step": 10000},
         {"name": "ca_trim", "min": 300000, "max": 450000, "step": 25000}],
        "trimestre-91-25", (111, 112), id="dso-trimestriel",
    ),
]


@pytest.mark.parametrize(("formula", "tolerance", "mode", "decimals", "variables", "code", "counts"), AUDITED)
def test_the_audited_tolerances_let_a_wrong_method_through(formula, tolerance, mode, decimals, variables, code, counts):
    found = _codes(scan_calculated(_question(formula, tolerance, variables, mode, decimals), 0, "t"))
    assert found == {code: counts}


@pytest.mark.parametrize(
    ("formula", "tolerance", "mode", "decimals", "variables"),
    [
        ("montant * taux / 100 * jours / 360", 0.005, "relative", 2,
         [{"name": "montant", "min": 12000, "max": 90000, "step": 3000},
          {"name": "jours", "min": 15, "max": 90, "step": 5},
          {"name": "taux", "values": [4, 4.5, 5, 5.5, 6, 7]}]),
        ("escompte / (100 - escompte) * 365 / 20 * 100", 0.05, "absolute", 1,
         [{"name": "escompte", "values": [0.5, 1, 1.5, 2, 2.5, 3]}]),
        ("creances / ca_trim * 91", 0.05, "absolute", 1,
         [{"name": "creances", "min": 150000, "max": 300000, "step": 10000},
          {"name": "ca_trim", "min": 300000, "max": 450000, "step": 25000}]),
    ],
)
def test_the_new_tolerances_refuse_it(formula, tolerance, mode, decimals, variables):
    assert scan_calculated(_question(formula, tolerance, variables, mode, decimals), 0, "t") == []


@pytest.mark.parametrize(
    ("formula", "code"),
    [
        ("montant * 1.2 * taux / 100 * jours / 365", "ht-au-lieu-du-ttc"),
        ("montant * (1 + tva / 100) * jours / 365", "ht-au-lieu-du-ttc"),
        ("montant / 1.2", "ttc-au-lieu-du-ht"),
        ("round(montant * 12.15 / 100 * jours / 365, 2) + 40", "sans-indemnite-40"),
        ("montant * jours / 365 + 40 * 2", "sans-indemnite-40"),
        ("montant / (100 - jours)", "taux-sur-100"),
        ("montant / 90 * jours", "trimestre-91-25"),
        ("montant * jours / 360", "annee-365"),
        ("montant * jours / 365", "annee-360"),
    ],
)
def test_each_method_applies_to_its_formula(formula, code):
    # A huge tolerance accepts every wrong answer: each applicable method is reported.
    variables = [{"name": "montant", "values": [1000, 2000]}, {"name": "jours", "values": [10, 20]},
                 {"name": "tva", "values": [20]}, {"name": "taux", "values": [5]}]
    found = _codes(scan_calculated(_question(formula, 1e6, variables), 0, "t"))
    assert code in found
    passes, draws = found[code]
    assert passes == draws > 0


def test_a_method_that_changes_nothing_does_not_apply():
    # 40 as a day count, 360 as an amount and 1.2 added are not the mistakes described.
    variables = [{"name": "x", "values": [10, 20]}]
    assert scan_calculated(_question("x - 40 + 360 + 1.2", 1e6, variables), 0, "t") == []


def test_a_zero_tolerance_is_never_abused_and_identical_results_do_not_count():
    variables = [{"name": "jours", "values": [0, 30]}]
    assert scan_calculated(_question("1000 * jours / 360", 0, variables), 0, "t") == []
    # jours = 0 gives 0 with both bases: that draw cannot be caught and is not counted.
    found = _codes(scan_calculated(_question("1000 * jours / 360", 2, variables), 0, "t"))
    assert found == {"annee-365": (1, 2)}


def _study(data: dict) -> CaseStudy:
    return msgspec.convert({"kind": "case-study", "id": "s", "title": "Étude", "module": "m", **data}, CaseStudy)


def test_in_a_case_study_hidden_steps_are_recomputed_and_shown_values_are_read():
    base = {
        "variables": [{"name": "vente_ht", "values": [100000, 60000]}, {"name": "jours", "values": [30, 60]}],
        "derived": [
            {"name": "vente_ttc", "formula": "vente_ht * 1.2"},
            {"name": "frais", "formula": "vente_ttc * 6 / 100 * jours / 360"},
        ],
        "questions": [{"id": "q", "text": "Frais / marge ?", "formula": "frais / (vente_ht * 0.04) * 100",
                       "tolerance": 1, "decimals": 1}],
    }
    hidden = _codes(scan_study(_study(base)))
    # The trainee computes the costs (hidden): a 365-day year passes within 1 point,
    # and so does… nothing else (HT instead of TTC moves the result by 20 %).
    assert set(hidden) == {"annee-365"}
    shown = {**base, "intro": "Frais financiers : {frais}."}
    # The costs are given by the dossier: no method can be applied to them any more.
    assert scan_study(_study(shown)) == []


def test_a_ttc_value_read_where_the_ht_is_shown_too():
    study = _study({
        "variables": [{"name": "ca_ht", "values": [1000, 2000]}],
        "derived": [{"name": "ca_ttc", "formula": "ca_ht * 1.2"}],
        "tables": [{"title": "CA", "columns": ["HT", "TTC"], "rows": [["{ca_ht}", "{ca_ttc}"]]}],
        "questions": [{"id": "q", "text": "Coût ?", "formula": "ca_ttc * 5 / 100", "tolerance": 100}],
    })
    assert _codes(scan_study(study)) == {"ht-au-lieu-du-ttc": (2, 2)}


def test_the_erosion_case_study_as_it_was_and_as_it_is():
    library = load_library(use_cache=False)
    study = library.case_study("erosion-marge-retard")
    assert [f for f in scan_study(study)] == []
    questions = list(study.questions)
    index = next(i for i, q in enumerate(questions) if q.id == "part-marge-perdue")
    questions[index] = msgspec.structs.replace(questions[index], tolerance=0.2)
    old = msgspec.structs.replace(study, questions=tuple(questions))
    found = scan_study(old)
    assert [(f.question, f.method.code, f.draws) for f in found] == [(index, "annee-365", 1200)]
    assert found[0].passes > 200


def test_the_bundled_packs_accept_no_wrong_method():
    library = load_library(use_cache=False)
    found = [f for pack in library.packs for f in wrong_method_findings(pack)]
    assert [(f.object_id, f.path, f.message) for f in found] == []


def test_the_warning_says_the_method_the_share_and_an_example():
    from simulator.model import Pack
    from simulator.model.quiz import QuizBank

    question = {"type": "calculated", "id": "q", "text": "…", "formula": "montant * jours / 360",
                "tolerance": 1, "variables": [{"name": "montant", "values": [1000]},
                                                {"name": "jours", "values": [10, 20]}]}
    quiz = msgspec.convert({"kind": "quiz", "id": "b", "title": "B", "module": "m", "questions": [question]},
                           QuizBank)
    pack = msgspec.convert({"manifest": {"kind": "pack", "id": "p", "title": "P", "version": "1.0"},
                            "root": "/tmp", "hash": "x", "quizzes": [msgspec.to_builtins(quiz)]}, Pack)
    (warning,) = list(wrong_method_findings(pack))
    assert warning.severity == "warning" and warning.code == "wrong-method-accepted"
    assert warning.path == ("questions", 0, "tolerance")
    assert "« année de 365 jours au lieu de 360 »" in warning.message
    assert "2 des 2 tirages (100,0 %)" in warning.message
    # The example is the draw where the two methods are furthest apart.
    assert "montant = 1\u202f000, jours = 20 → attendu 55,5556, méthode fausse 54,7945 (tolérance 1)" in warning.message


def test_large_grids_are_sampled_the_same_way_every_time():
    variables = [{"name": f"v{i}", "min": 1, "max": 40} for i in range(4)]
    question = _question("(v0 + v1 + v2 + v3) / 360", 1, variables)
    first, second = scan_calculated(question, 0, "t"), scan_calculated(question, 0, "t")
    assert first == second and first and not first[0].exhaustive
    assert Decimal(first[0].draws) < 40**4
